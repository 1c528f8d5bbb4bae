"""Who is responsible (rules), and what the router learnt and decided.

- `Rule`: category → department (行业), or the street where it happened (属地).
- `Model`: a trained category classifier, stored in the deployment's own
  database with its version and held-out scores; one is active.
- `Label`: a category name from an older system, kept as it is and mapped to
  one of the deployment's categories when an admin says which.
- `Routing`: one row per routed case; its existence is the claim that keeps
  two routers (intake and worker) from routing a case twice.
- `Suggestion`: what the router proposes for a case: units to dispatch to, or
  an open case it may duplicate.
- `TrainingExample`: a correction by a person, kept to train the next model.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.cases.models import Case, Category
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


class Model(models.Model):
    """A trained classifier (the `CategoryClassifier`, serialised)."""

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField()
    active = models.BooleanField(default=False)
    # Where the examples came from: a file name, or "cases".
    source = models.CharField(max_length=200)
    data = models.BinaryField()
    # Held-out scores of this model, and of the model that was active when
    # it was trained, on the same held-out examples.
    metrics = models.JSONField(default=dict)
    labels = models.JSONField(default=list)
    n_train = models.PositiveIntegerField(default=0)
    n_held_out = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_model"),
        ]

    def __str__(self):
        state = " (active)" if self.active else ""
        return f"v{self.version}{state}"

    @property
    def macro_f1(self):
        return self.metrics.get("macro_f1")


class Label(models.Model):
    """A label the classifier learnt, and the category it stands for.

    Labels from an older system ("劳动和社会保障") are learnt as they are;
    until an admin maps one to a category its predictions suggest no unit."""

    name = models.CharField(max_length=200, unique=True)
    category = models.ForeignKey(Category, models.SET_NULL, null=True, blank=True, related_name="+")
    first_seen = models.DateTimeField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} → {self.category or '?'}"


class Routing(models.Model):
    DISPATCHED = "dispatched"
    SUGGESTED = "suggested"
    UNDECIDED = "undecided"
    FAILED = "failed"
    OUTCOMES = [
        (DISPATCHED, _("Dispatched automatically")),
        (SUGGESTED, _("Suggestions for a dispatcher")),
        (UNDECIDED, _("No suggestion")),
        (FAILED, _("Routing failed")),
    ]

    case = models.OneToOneField(Case, models.CASCADE, related_name="routing")
    routed_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=OUTCOMES)
    confidence = models.FloatField(null=True, blank=True)
    model_version = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["outcome", "routed_at"])]

    def __str__(self):
        return f"{self.case_id} {self.outcome}"


class Suggestion(models.Model):
    DISPATCH = "dispatch"
    MERGE = "merge"
    KINDS = [(DISPATCH, _("Dispatch to")), (MERGE, _("Merge into"))]

    case = models.ForeignKey(Case, models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=10, choices=KINDS)
    rank = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="+")
    co_unit_ids = models.JSONField(default=list, blank=True)
    category = models.ForeignKey(Category, models.SET_NULL, null=True, blank=True, related_name="+")
    other_case = models.ForeignKey(Case, models.CASCADE, null=True, blank=True, related_name="+")
    confidence = models.FloatField()
    reason = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "kind", "rank"]
        indexes = [models.Index(fields=["case", "kind", "rank"])]

    def __str__(self):
        target = self.unit if self.kind == self.DISPATCH else self.other_case
        return f"{self.case_id} {self.kind} #{self.rank} {target} ({self.confidence:.2f})"

    @property
    def co_units(self):
        return list(Unit.objects.filter(pk__in=self.co_unit_ids))


class TrainingExample(models.Model):
    CORRECTION = "correction"
    RETURN = "return"
    SOURCES = [(CORRECTION, _("Dispatcher's correction")), (RETURN, _("Approved return"))]

    text = models.TextField()
    category = models.ForeignKey(Category, models.CASCADE, null=True, blank=True, related_name="+")
    # The unit the person chose: kept with the example even when no
    # category can be told from it.
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=12, choices=SOURCES)
    case = models.ForeignKey(Case, models.CASCADE, null=True, blank=True, related_name="+")
    event_id = models.BigIntegerField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.source}: {self.text[:30]} → {self.category or self.unit}"


class Cursor(models.Model):
    """How far a worker job has read an append-only table (events)."""

    name = models.CharField(max_length=40, primary_key=True)
    # Read up to here; next time up to `horizon`, the newest id seen now.
    position = models.BigIntegerField(default=0)
    horizon = models.BigIntegerField(default=0)
