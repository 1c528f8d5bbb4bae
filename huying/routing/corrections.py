"""Learning from corrections.

A person's word on a case is a training example for the next model:
- a dispatcher who sends a routed case somewhere other than the router's
  first suggestion (or re-sends one it dispatched automatically);
- a dispatch that follows an approved return (退单): the first unit was wrong;
- a category corrected with `change_category`.

The examples are read from the case events by a worker job (so the steps
need not know about routing), one round behind, and kept as
`TrainingExample` rows; `huying router train --from-cases` uses them.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import BadInput
from huying.cases.models import Case, Category, Event, Status
from huying.cases.steps.common import CENTRE_ROLES, actor_and_time, require_centre, require_status
from huying.routing.models import Cursor, Routing, Suggestion, TrainingExample
from huying.routing.responsibility import responsible
from huying.routing.training import text_of

BATCH = 500
CURSOR = "corrections"
ACTIONS = ("dispatch", "categorise")


@transaction.atomic
def change_category(case, by, *, category, reason="", now=None):
    """The centre corrects a case's category (分类纠正), on record."""
    actor, now = actor_and_time(by, now)
    require_status(case, *[s for s in Status.values if s != Status.MERGED])
    unit = require_centre(actor, *CENTRE_ROLES)
    if not isinstance(category, Category) or not category.active:
        raise BadInput(_("Choose a category in use."))
    if category.pk == case.category_id:
        raise BadInput(_("Case %(number)s already has this category.") % {"number": case.number})
    ledger.record(case, actor, "categorise", {"category": category}, now=now, reason=reason, unit=unit)
    return case


def learn_corrections(now):
    """Worker job: turn new correcting events into training examples.

    Events are read up to the highest id seen in the previous round, so an
    event whose transaction was still open then is not skipped; the cursor
    moves by a conditional update, so of two workers one reads each batch."""
    cursor = Cursor.objects.filter(name=CURSOR).first() or Cursor(name=CURSOR)
    newest = Event.objects.aggregate(m=Max("pk"))["m"] or 0
    events = list(
        Event.objects.filter(pk__gt=cursor.position, pk__lte=cursor.horizon, action__in=ACTIONS)
        .select_related("case").order_by("pk")[:BATCH]
    )
    position = events[-1].pk if len(events) == BATCH else max(cursor.position, cursor.horizon)
    if not events and position == cursor.position and newest == cursor.horizon:
        return 0  # nothing new: no write, so an idle worker never takes the write lock
    if cursor._state.adding:
        Cursor.objects.bulk_create([cursor], ignore_conflicts=True)
    with transaction.atomic():
        claimed = Cursor.objects.filter(name=CURSOR, position=cursor.position, horizon=cursor.horizon).update(
            position=position, horizon=max(newest, position)
        )
        if not claimed:
            return 0
        examples = [e for e in (example_of(event) for event in events) if e is not None]
        TrainingExample.objects.bulk_create(examples, ignore_conflicts=True)
    return len(examples)


def example_of(event):
    case = event.case
    if event.action == "categorise":
        category = Category.objects.filter(pk=event.changes.get("category")).first()
        return example(case, event, category, None, TrainingExample.CORRECTION) if category else None
    if event.actor_id is None:
        return None  # the router's own or another system's dispatch
    lead = event.changes.get("lead_unit")
    earlier = case.events.filter(seq__lt=event.seq, action="dispatch").aggregate(s=Max("seq"))["s"] or 0
    if case.events.filter(seq__gt=earlier, seq__lt=event.seq, action="approve_return").exists():
        source = TrainingExample.RETURN
    elif Routing.objects.filter(case=case).exists():
        top = Suggestion.objects.filter(case=case, kind=Suggestion.DISPATCH, rank=1).first()
        if top is not None and top.unit_id == lead:
            return None  # the dispatcher took the first suggestion
        source = TrainingExample.CORRECTION
    else:
        return None
    return example(case, event, category_for(case, lead), lead, source)


def category_for(case, lead):
    """The category the person's choice of unit speaks for: a suggested
    category that leads there, else the case's category when its rule does."""
    suggested = Suggestion.objects.filter(case=case, kind=Suggestion.DISPATCH, unit_id=lead, category__isnull=False).order_by("rank").first()
    if suggested is not None:
        return suggested.category
    category = Case.objects.filter(pk=case.pk).values_list("category", flat=True).first()
    if category is not None:
        category = Category.objects.get(pk=category)
        decision = responsible(category, case.street)
        if decision is not None and decision.unit.pk == lead:
            return category
    return None


def example(case, event, category, unit_id, source):
    return TrainingExample(
        text=text_of(case.title, case.text), category=category, unit_id=unit_id, source=source,
        case=case, event_id=event.pk, created_at=event.at,
    )
