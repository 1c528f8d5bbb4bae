"""The lists each workbench shows, always inside what the viewer may see.

Every list starts from `visible_cases(user)`, so a page can never show a
case outside the viewer's scope even if a filter below were wrong.
"""

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, Value, When

from huying.cases.models import WITH_UNIT, Notification, Status
from huying.cases.scope import visible_cases
from huying.console.clock import Clocks, due_expression
from huying.org import people
from huying.org.models import Membership as M
from huying.org.models import Unit

RELATED = ["category", "category__parent", "category__parent__parent", "lead_unit", "street", "community"]
URGENCY_FIRST = ["-urgency_rank", "created_at"]


def base(user):
    return visible_cases(user).select_related(*RELATED)


def handler_units(user):
    return [m.unit for m in people.memberships(user) if m.role == M.HANDLER]


def below(units):
    """Units under `units`, not the units themselves."""
    match = Q(pk__in=[])
    for unit in units:
        match |= Q(path__startswith=unit.path) & ~Q(pk=unit.pk)
    return Unit.objects.filter(match)


def by_deadline(qs):
    return qs.annotate(due=due_expression()).order_by("due", "created_at")


# -- handlers ------------------------------------------------------------------------------

def inbox(user, tab):
    units = handler_units(user)
    qs = base(user)
    if tab == "below":
        return by_deadline(qs.filter(lead_unit__in=below(units), status__in=WITH_UNIT))
    if tab == "returns":
        return qs.filter(status=Status.RETURN_REQUESTED, dispatched_by__in=units).order_by("dispatched_at")
    if tab == "co":
        return by_deadline(qs.filter(co_units__in=units, status__in=[Status.DISPATCHED, Status.ACCEPTED]).distinct())
    if tab == "done":
        return qs.filter(lead_unit__in=units, status__in=[Status.REPLIED, Status.REVIEW, Status.CLOSED]).order_by("-replied_at")
    return by_deadline(qs.filter(lead_unit__in=units, status__in=WITH_UNIT))


def inbox_counts(user):
    return {tab: inbox(user, tab).count() for tab in ("mine", "below", "returns", "co")}


def notifications(user):
    units = handler_units(user)
    return (
        Notification.objects.filter(unit__in=units, read_at__isnull=True, case__in=visible_cases(user))
        .select_related("case", "unit")
        .order_by("-created_at")
    )


# -- the centre ----------------------------------------------------------------------------

def urgency_ranked(qs):
    return qs.annotate(urgency_rank=SqlCase(
        When(urgency="very_urgent", then=Value(2)), When(urgency="urgent", then=Value(1)),
        default=Value(0), output_field=IntegerField(),
    ))


def awaiting_dispatch(user):
    return urgency_ranked(base(user).filter(status=Status.NEW)).order_by(*URGENCY_FIRST)


def returns_to_centre(user):
    return base(user).filter(status=Status.RETURN_REQUESTED, dispatched_by__kind=Unit.CENTRE).order_by("dispatched_at")


def extensions(user):
    return base(user).filter(status=Status.ACCEPTED, extension_days__isnull=False).order_by("reply_due")


def overdue(user, clocks=None):
    clocks = clocks or Clocks()
    return by_deadline(base(user).filter(clocks.overdue()))


def at_risk(user, clocks=None):
    clocks = clocks or Clocks()
    return by_deadline(base(user).filter(clocks.at_risk()))


def reviews(user):
    return base(user).filter(status=Status.REVIEW).order_by("replied_at")


def followups(user):
    """Replies waiting for the follow-up call, and merged callers who have
    the answer but no rating yet."""
    qs = base(user).filter(
        Q(status=Status.REPLIED) | Q(status=Status.MERGED, replied_at__isnull=False, resolved__isnull=True)
    )
    return qs.order_by("replied_at")


def all_cases(user, status=""):
    qs = base(user)
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def case_of(user, number):
    """One case by number, or None when it does not exist or is out of scope."""
    return base(user).filter(number=number).select_related("dispatched_by", "grid", "main_case").first()

