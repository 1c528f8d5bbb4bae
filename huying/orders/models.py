"""Orders (令): tasks from above with owners, targets and progress.

Like a case, the `Order` row is the current state and `OrderEvent` rows are
its history, written once and never changed. Every change to an order goes
through `huying.orders.ledger.record`, which writes both in one transaction
with `UPDATE … WHERE version = seen`.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huying.cases.models import HistoryEvent
from huying.org.models import Unit


class Source(models.TextChoices):
    REPORT = "report", _("Work report")
    INSTRUCTION = "instruction", _("Leader's instruction")
    HOTSPOT = "hotspot", _("Hotspot (proactive)")


class Status(models.TextChoices):
    # In their own context: a case "at risk" is near its deadline, an order
    # "at risk" is behind its plan, and the words differ in Chinese.
    ON_TRACK = "on_track", pgettext_lazy("order status", "On track")
    AT_RISK = "at_risk", pgettext_lazy("order status", "At risk")
    LATE = "late", pgettext_lazy("order status", "Late")
    DONE = "done", pgettext_lazy("order status", "Done")


# Targets that state a level rather than a count (就业率达70%): a progress
# report gives the level reached, which replaces the previous one; counts add up.
LEVEL_MEASURES = {"%"}
QUANTITY = {"max_digits": 18, "decimal_places": 2}


class Report(models.Model):
    """A work report as it was read: orders keep the line they came from."""

    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title


class Project(models.Model):
    """A group of orders citizens follow, e.g. one of the ten livelihood
    projects (民生实事) of a year: each of its targets is an order."""

    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField(default=0)
    public = models.BooleanField(default=True)
    report = models.ForeignKey(Report, models.PROTECT, null=True, blank=True, related_name="projects")

    class Meta:
        ordering = ["-year", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["year", "title"], name="one_project_per_year_and_title")]

    def __str__(self):
        return self.title


class Order(models.Model):
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)  # the instruction, or the report's sentence
    source = models.CharField(max_length=12, choices=Source.choices)
    report = models.ForeignKey(Report, models.PROTECT, null=True, blank=True, related_name="orders")
    report_key = models.CharField(max_length=20, blank=True)  # the proposal it confirmed: "199.1"
    report_section = models.CharField(max_length=300, blank=True)
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="orders")

    target = models.DecimalField(**QUANTITY)
    target_text = models.CharField(max_length=60, blank=True)  # as written: 不少于300台, “百栋千户”
    measure = models.CharField(max_length=10)
    starts_at = models.DateTimeField()
    deadline = models.DateTimeField()
    lead_unit = models.ForeignKey(Unit, models.PROTECT, related_name="led_orders")
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_orders")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ON_TRACK)
    done = models.DecimalField(default=Decimal(0), **QUANTITY)  # approved progress only
    done_at = models.DateTimeField(null=True, blank=True)
    # The worker's work list: the next moment the status may change or an
    # order that is behind is due another urge.
    check_at = models.DateTimeField(null=True, blank=True)
    urged_at = models.DateTimeField(null=True, blank=True)
    urge_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["check_at"]),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["lead_unit", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["report", "report_key"], condition=models.Q(report__isnull=False),
                                    name="one_order_per_proposal"),
            models.CheckConstraint(condition=models.Q(target__gt=0), name="order_target_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_level(self):
        return self.measure in LEVEL_MEASURES

    @property
    def percent(self):
        """Approved progress as a share of the target, 0–100, for the bar."""
        return share(self.done, self.target)


class Assignment(models.Model):
    """One unit's part of an order, with its own quantity."""

    order = models.ForeignKey(Order, models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="order_assignments")
    quantity = models.DecimalField(**QUANTITY)
    done = models.DecimalField(default=Decimal(0), **QUANTITY)
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["order", "unit"], name="one_assignment_per_unit"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="assignment_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.order} · {self.unit}"

    @property
    def percent(self):
        return share(self.done, self.quantity)


class Progress(models.Model):
    """A unit's report of work done, counted once the lead unit approves it."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    STATES = [(PENDING, _("Awaiting approval")), (APPROVED, _("Approved")), (REJECTED, _("Rejected"))]

    order = models.ForeignKey(Order, models.PROTECT, related_name="progress")
    assignment = models.ForeignKey(Assignment, models.PROTECT, related_name="reports")
    quantity = models.DecimalField(**QUANTITY)
    text = models.TextField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["order", "state"])]

    def __str__(self):
        return f"{self.order} +{self.quantity}"


class ProgressPhoto(models.Model):
    progress = models.ForeignKey(Progress, models.PROTECT, related_name="photos")
    file = models.FileField(upload_to="orders/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()


class OrderEvent(HistoryEvent):
    """One change to an order."""

    order = models.ForeignKey(Order, models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()

    class Meta:
        ordering = ["order", "seq"]
        constraints = [models.UniqueConstraint(fields=["order", "seq"], name="one_order_event_per_version")]
        indexes = [models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.order_id}#{self.seq} {self.action}"


class CaseOrder(models.Model):
    """A case that belongs to an order's work, e.g. a complaint about lift
    installation under the 300-lift order. The link is on the order's record."""

    case = models.ForeignKey("cases.Case", models.PROTECT, related_name="order_links")
    order = models.ForeignKey(Order, models.PROTECT, related_name="case_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["-linked_at"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="one_link_per_case_and_order")]


class Notice(models.Model):
    """A message for a unit about an order: new work, progress to approve,
    an urge."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="order_notices")
    order = models.ForeignKey(Order, models.CASCADE, related_name="notices")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "read_at"])]


def fmt(number):
    """300.00 → "300", 8.60 → "8.6": quantities as people write them."""
    if number is None:
        return ""
    if isinstance(number, float):
        number = str(number)  # 3.7, not 3.70000000000000017763568394002504646778106689453125
    return format(Decimal(number).normalize(), "f")


def share(done, total):
    if not total:
        return 0
    return max(0, min(100, round(float(done) * 100 / float(total))))
