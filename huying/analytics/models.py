"""The data centre's own tables: one fact row per case, and daily summaries.

A `CaseFact` is what the figures need to know about one case (where it is
counted and which of the counts it adds to), computed from the case's events
by `facts.py`. `DailyStat` rows are the sums of facts per day, unit and one
breakdown (kind, category, channel, place, map cell); every figure on the
dashboard is a sum over a few thousand of them, never a scan of the cases.
The worker keeps both current (`refresh.py`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.cases.models import Case

# The counts a case adds to, in this order everywhere (facts, summaries, SQL).
COUNTS = [
    "received",  # every case that came in, duplicates included
    "merged",  # joined another case as a duplicate
    "dispatched",  # not merged and sent to a unit: the response rate's denominator
    "accepted_on_time",
    "first_contact_in_time",
    "responded",  # accepted on time and first contact in time
    "replied",
    "replied_on_time",
    "overdue",  # missed an accept or reply deadline, or was urged by the worker
    "rated",  # has a rating that counts (disputed ones found unreasonable excluded)
    "resolved",
    "satisfied",
    "basically",
    "unsatisfied",
    "excluded",  # rating excluded after review
    "reopened",
    "closed",
]


class Counts(models.Model):
    received = models.IntegerField(default=0)
    merged = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    accepted_on_time = models.IntegerField(default=0)
    first_contact_in_time = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    replied = models.IntegerField(default=0)
    replied_on_time = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    excluded = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)

    class Meta:
        abstract = True


class CaseFact(Counts):
    """Where one case is counted, and what it adds (each count 0 or 1)."""

    case = models.OneToOneField(Case, models.CASCADE, primary_key=True, related_name="fact")
    # Optimistic lock: a worker replaces a fact only if nobody did since it
    # read it, so two workers never add one change twice.
    rev = models.PositiveIntegerField(default=1)
    day = models.DateField()  # local date of intake
    # Plain ids rather than foreign keys: 0 means "none" and takes part in
    # the summaries' unique key (NULLs would not).
    unit = models.IntegerField(default=0)  # the unit answerable for the case
    place = models.IntegerField(default=0)  # community, else street, where it happened
    cell = models.CharField(max_length=16, blank=True)  # map grid cell of its point
    kind = models.CharField(max_length=12)
    channel = models.CharField(max_length=12)
    category = models.IntegerField(default=0)  # top-level category

    class Meta:
        indexes = [
            models.Index(fields=["day", "unit"]),
            models.Index(fields=["unit", "day"]),
            models.Index(fields=["place", "day"]),
        ]


class DailyStat(Counts):
    UNIT, KIND, CATEGORY, CHANNEL, PLACE, CELL = "unit", "kind", "category", "channel", "place", "cell"
    DIMS = [UNIT, KIND, CATEGORY, CHANNEL, PLACE, CELL]

    dim = models.CharField(max_length=10)
    day = models.DateField()
    unit = models.IntegerField()  # answerable unit; for place and cell: the place
    key = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dim", "day", "unit", "key"], name="one_stat_per_key")]


class Hotspot(models.Model):
    """A group of cases about one problem in one place and time (热点问题)."""

    computed_at = models.DateTimeField(db_index=True)
    rank = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=100, blank=True)
    street = models.IntegerField(default=0)  # for scoping: the street most of its cases are in
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    size = models.PositiveIntegerField()
    people = models.PositiveIntegerField()
    likes = models.PositiveIntegerField(default=0)
    growth = models.FloatField()
    heat = models.FloatField()
    terms = models.JSONField(default=list)
    cases = models.ManyToManyField(Case, related_name="hotspots")

    class Meta:
        ordering = ["-computed_at", "rank"]

    def __str__(self):
        return f"#{self.rank} {self.title}"


class JobClock(models.Model):
    """When a periodic job runs next; a worker claims a run by moving the time
    on with a conditional update, so only one worker runs it."""

    name = models.CharField(max_length=40, primary_key=True)
    next_at = models.DateTimeField()


class ImportedCase(models.Model):
    """One row of an old system's export that became a case: its external id
    makes loading the same file twice add nothing."""

    key = models.CharField(max_length=150, unique=True, help_text=_("source:external id"))
    case = models.OneToOneField(Case, models.PROTECT, related_name="+")
    file = models.CharField(max_length=200)
    line = models.PositiveIntegerField()
