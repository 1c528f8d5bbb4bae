"""Units (district, centre, departments, streets, communities, grids) and
the roles people hold in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    DISTRICT = "district"
    CENTRE = "centre"
    DEPARTMENT = "department"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"
    KINDS = [
        (DISTRICT, _("District")),
        (CENTRE, _("Command centre")),
        (DEPARTMENT, _("Department")),
        (STREET, _("Street")),
        (COMMUNITY, _("Community")),
        (GRID, _("Grid")),
    ]

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    short = models.CharField(max_length=50, blank=True)
    kind = models.CharField(max_length=12, choices=KINDS)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    # Materialised path ("/440104/440104001/") so a scope is one indexed
    # prefix query instead of a recursive walk.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        prefix = self.parent.path if self.parent_id else "/"
        self.path = f"{prefix}{self.code}/"
        super().save(*args, **kwargs)

    def contains(self, other):
        """True when `other` is this unit or lies below it."""
        return other is not None and other.path.startswith(self.path)

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)

    @property
    def label(self):
        return self.short or self.name


class Membership(models.Model):
    OPERATOR = "operator"
    DISPATCHER = "dispatcher"
    HANDLER = "handler"
    SUPERVISOR = "supervisor"
    LEADER = "leader"
    ADMIN = "admin"
    ROLES = [
        (OPERATOR, _("Operator")),
        (DISPATCHER, _("Dispatcher")),
        (HANDLER, _("Handler")),
        (SUPERVISOR, _("Supervisor")),
        (LEADER, _("Leader")),
        (ADMIN, _("Administrator")),
    ]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=ROLES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="one_role_per_unit")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    @property
    def scope(self):
        """The unit whose subtree this membership covers.

        The command centre works for the whole district it belongs to, so
        its people see and act on everything under the district."""
        if self.unit.kind == Unit.CENTRE and self.unit.parent_id:
            return self.unit.parent
        return self.unit
