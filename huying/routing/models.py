"""Who is responsible: rules from category to unit."""

from django.db import models

from huying.cases.models import Category
from huying.org.models import Unit


class Rule(models.Model):
    """A category is handled by a department (行业), or by the street where
    it happened (属地) when `unit` is empty."""

    category = models.OneToOneField(Category, models.CASCADE, related_name="rule")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+")

    def __str__(self):
        return f"{self.category} → {self.unit or 'territory'}"

    @property
    def territorial(self):
        return self.unit_id is None
