"""A case (工单) and its history.

The `Case` row is the current state; `Event` rows are the history, written
once and never changed. Every change to a case goes through
`huying.cases.ledger.record`, which writes both in one transaction, so the
state can always be rebuilt from the events (see `replay.py`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.org.models import Unit


class Category(models.Model):
    """事项分类: a three-level tree; cases point at any level, usually a leaf."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=60)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    level = models.PositiveSmallIntegerField()
    keywords = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.path_label

    @property
    def path_label(self):
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))

    def top(self):
        node = self
        while node.parent_id:
            node = node.parent
        return node


class Kind(models.TextChoices):
    CONSULT = "consult", _("Consult")
    HELP = "help", _("Help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Channel(models.TextChoices):
    PHONE = "phone", _("12345 phone")
    WEB = "web", _("Web")
    APP = "app", _("Mobile app")
    CITY = "city12345", _("City 12345 platform")
    API = "api", _("API")
    SENSOR = "sensor", _("Sensor")
    PATROL = "patrol", _("Grid patrol")
    LEADER = "leader", _("Leader's instruction")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")


class Status(models.TextChoices):
    NEW = "new", _("Awaiting dispatch")
    DISPATCHED = "dispatched", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Being handled")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    REPLIED = "replied", _("Replied, awaiting follow-up")
    REVIEW = "review", _("Rating under review")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")


OPEN_STATUSES = [Status.NEW, Status.DISPATCHED, Status.ACCEPTED, Status.RETURN_REQUESTED, Status.REPLIED, Status.REVIEW]
# Statuses in which a unit holds the case and its clock runs.
WITH_UNIT = [Status.DISPATCHED, Status.ACCEPTED, Status.RETURN_REQUESTED]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class Case(models.Model):
    number = models.CharField(max_length=20, unique=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    category = models.ForeignKey(Category, models.PROTECT, null=True, blank=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    citizen_name = models.CharField(max_length=50, blank=True)
    citizen_phone = models.CharField(max_length=20, blank=True)
    citizen_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    address = models.CharField(max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    street = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+")
    community = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+")
    grid = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+")
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidential = models.BooleanField(default=False)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    lead_unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="lead_cases")
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_cases")
    # Who sent the case to its current lead: the centre, or a street passing
    # it down. Returns go back to this unit.
    dispatched_by = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+")

    created_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    accept_due = models.DateTimeField(null=True, blank=True)
    reply_due = models.DateTimeField(null=True, blank=True)
    # The worker's work list: each is the moment the next timed step is due,
    # cleared when it is done or no longer needed.
    urge_at = models.DateTimeField(null=True, blank=True)
    supervise_at = models.DateTimeField(null=True, blank=True)
    followup_due = models.DateTimeField(null=True, blank=True)
    followup_alerted = models.BooleanField(default=False)

    urge_count = models.PositiveIntegerField(default=0)
    supervised = models.BooleanField(default=False)
    supervise_due = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    extension_days = models.PositiveIntegerField(null=True, blank=True)  # pending request
    extension_reason = models.TextField(blank=True)
    extension_count = models.PositiveIntegerField(default=0)
    return_reason = models.TextField(blank=True)

    reply_text = models.TextField(blank=True)
    resolved = models.BooleanField(null=True, blank=True)
    satisfaction = models.CharField(max_length=12, choices=Satisfaction.choices, blank=True)
    rating_excluded = models.BooleanField(default=False)
    main_case = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="merged_cases")
    external_id = models.CharField(max_length=100, blank=True)

    # Optimistic lock: every change is an UPDATE ... WHERE version = seen,
    # so of two people acting at once exactly one wins.
    version = models.PositiveIntegerField(default=1)
    # Set by every change (ledger), cleared by the data centre's worker job
    # once its figures include the change. Not part of the case's state.
    stats_dirty = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["lead_unit", "status"]),
            models.Index(fields=["urge_at"]),
            models.Index(fields=["supervise_at"]),
            models.Index(fields=["followup_due"]),
            models.Index(fields=["citizen_phone"]),
            models.Index(fields=["id"], condition=models.Q(stats_dirty=True), name="case_stats_dirty"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class HistoryEvent(models.Model):
    """One change to a tracked thing (a case, an order): who, when, what,
    why. Written once; never updated or deleted (the database refuses too)."""

    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    # Who acted, as shown: a person's name, or "worker" / "citizen" / an API client.
    actor_label = models.CharField(max_length=100)
    actor_unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=30)
    changes = models.JSONField(default=dict)
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")


class Event(HistoryEvent):
    """One change to a case."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="one_event_per_version")]
        indexes = [models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.case_id}#{self.seq} {self.action}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="attachments")
    event = models.ForeignKey(Event, models.PROTECT, null=True, blank=True, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Notification(models.Model):
    """A message for a unit (urges, supervisions, follow-ups due)."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "read_at"])]


class Counter(models.Model):
    """The last case number given out per day, e.g. YX20210206 -> 1."""

    key = models.CharField(max_length=20, primary_key=True)
    value = models.PositiveIntegerField(default=0)
