"""The working-day calendar and the time limits by kind and urgency."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Day(models.Model):
    """One day whose status differs from, or confirms, the plain Mon–Fri rule.

    Rows come from `chinese-calendar` (the State Council schedule) and from
    the deployment, whose rows win. A day without a row follows Mon–Fri.
    """

    CHINESE_CALENDAR = "chinese-calendar"
    DEPLOYMENT = "deployment"
    SOURCES = [(CHINESE_CALENDAR, "chinese-calendar"), (DEPLOYMENT, _("Deployment"))]

    date = models.DateField()
    working = models.BooleanField()
    source = models.CharField(max_length=20, choices=SOURCES)
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["date", "source"], name="one_day_per_source")]
        indexes = [models.Index(fields=["date"])]
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'working' if self.working else 'off'} ({self.source})"


class Limit(models.Model):
    """How long a unit has to accept and to reply, per kind and urgency."""

    WORKDAYS = "workdays"
    HOURS = "hours"
    UNITS = [(WORKDAYS, _("working days")), (HOURS, _("hours"))]

    kind = models.CharField(max_length=12)
    urgency = models.CharField(max_length=12)
    accept = models.DecimalField(max_digits=6, decimal_places=2)
    accept_unit = models.CharField(max_length=10, choices=UNITS)
    reply = models.DecimalField(max_digits=6, decimal_places=2)
    reply_unit = models.CharField(max_length=10, choices=UNITS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "urgency"], name="one_limit_per_kind")]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from huying.sla import deadlines

        deadlines.forget()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from huying.sla import deadlines

        deadlines.forget()
        return result

    def __str__(self):
        return f"{self.kind}/{self.urgency}: accept {self.accept} {self.accept_unit}, reply {self.reply} {self.reply_unit}"


class ScheduleYear(models.Model):
    """A year whose official holiday schedule is loaded. Without one, the
    year runs on Mon–Fri and admins are warned."""

    year = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField(max_length=20, choices=Day.SOURCES)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} ({self.source})"
