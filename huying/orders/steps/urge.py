"""催办 urge: a reminder to the units of an order that is behind — by a
leader, a centre supervisor, or by the worker when the order falls behind
its plan or passes its deadline (and again every few working days while it
stays behind)."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases.steps.common import actor_and_time
from huying.orders import ledger, rules, status
from huying.orders.models import Status
from huying.orders.steps.common import require_not_done, tell


@transaction.atomic
def urge(order, by, *, message="", now=None, changes=None):
    actor, now = actor_and_time(by, now)
    unit = rules.require_urger(actor, order)
    require_not_done(order)
    message = (message or "").strip() or default_message(order)
    changes = (changes or {}) | {"urge_count": order.urge_count + 1, "urged_at": now}
    ledger.record(order, actor, "urge", changes, now=now, reason=message, unit=unit)
    tell(units_behind(order, now), order, _("Urged (%(message)s)") % {"message": message}, now)
    return order


def default_message(order):
    if order.status == Status.LATE:
        return _("The deadline has passed; finish the order and report progress now.")
    if order.status == Status.AT_RISK:
        return _("Progress is behind plan; speed up and report progress.")
    return _("Please speed up and report progress.")


def units_behind(order, now):
    """The lead unit, and every assigned unit behind its own part."""
    lagging = [a.unit for a in order.assignments.select_related("order", "unit")
               if status.of_assignment(a, now) in (Status.AT_RISK, Status.LATE)]
    return [order.lead_unit, *lagging]
