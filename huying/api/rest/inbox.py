"""A person's own inbox: the cases waiting for them, and their units' unread
notifications (urges, supervisions, follow-ups due).

What waits for whom follows the steps' own rules:
- operators and dispatchers: new cases to dispatch, returns to decide;
- supervisors: returns, extension requests, disputed ratings to review;
- operators and supervisors: replies to follow up;
- handlers: cases to accept or answer in their scope, cases to contribute to
  as a co-unit, returns to decide for cases their unit passed down;
- a citizen: answers to their own cases to rate.
"""

from django.db.models import Q

from huying.cases.models import Case, Notification, Status
from huying.cases.scope import visible_cases
from huying.org import people
from huying.org.models import Membership as M
from huying.org.models import Unit

LIMIT = 200


def centre_todo(user):
    roles = {m.role for m in people.memberships(user) if m.unit.kind == Unit.CENTRE}
    todo = []
    from_centre = Q(dispatched_by__kind=Unit.CENTRE)
    if roles & {M.OPERATOR, M.DISPATCHER}:
        todo.append(("dispatch", Q(status=Status.NEW)))
    if roles & {M.DISPATCHER, M.SUPERVISOR}:
        todo.append(("decide_return", Q(status=Status.RETURN_REQUESTED) & from_centre))
    if M.SUPERVISOR in roles:
        todo.append(("decide_extension", Q(status=Status.ACCEPTED, extension_days__isnull=False)))
        todo.append(("review", Q(status=Status.REVIEW)))
    if roles & {M.OPERATOR, M.SUPERVISOR}:
        todo.append(("follow_up", Q(status=Status.REPLIED)))
    return todo


def handler_todo(user):
    todo = []
    for unit in {m.scope for m in people.memberships(user) if m.role == M.HANDLER and m.unit.kind != Unit.CENTRE}:
        below = Q(lead_unit__path__startswith=unit.path)
        todo.append(("accept", below & Q(status=Status.DISPATCHED)))
        todo.append(("reply", below & Q(status=Status.ACCEPTED)))
        todo.append(("contribute", Q(co_units__path__startswith=unit.path, status__in=[Status.DISPATCHED, Status.ACCEPTED])))
        todo.append(("decide_return", Q(status=Status.RETURN_REQUESTED, dispatched_by__path__startswith=unit.path)))
    return todo


def todo_of(user):
    """[(what to do, case)] for the person, oldest deadline first."""
    rules = centre_todo(user) + handler_todo(user)
    if people.is_citizen(user):
        rules.append(("rate", Q(citizen_user=user, status=Status.REPLIED)))
    visible = visible_cases(user, Case.objects.select_related("category__parent__parent", "lead_unit", "street"))
    out, seen = [], set()
    for what, rule in rules:
        for case in visible.filter(rule).distinct().order_by("reply_due", "created_at")[:LIMIT]:
            if (what, case.pk) not in seen:
                seen.add((what, case.pk))
                out.append({"todo": what, "case": case})
    return out[:LIMIT]


def notifications_of(user):
    units = [m.unit_id for m in people.memberships(user)]
    return Notification.objects.filter(unit_id__in=units, read_at__isnull=True).select_related("unit", "case")[:LIMIT]
