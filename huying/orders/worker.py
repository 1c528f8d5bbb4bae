"""The worker's job for orders (appended to huying.sla.worker.JOBS).

It claims orders whose `check_at` (indexed) has come, recomputes their
status from the time used, records a change of status, and urges orders that
fall behind plan or pass their deadline — again every ORDERS_URGE_EVERY
working days while they stay behind. Every write is conditional on the
version read (`WHERE version = seen`), so of several workers exactly one
acts on an order and the others move on.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases.actors import Actor
from huying.cases.errors import Refused
from huying.orders import ledger, status
from huying.orders.models import Order, Status
from huying.orders.steps.urge import urge

log = logging.getLogger(__name__)
BATCH = 200
BEHIND = (Status.AT_RISK, Status.LATE)


def orders_due(now):
    done = 0
    for order in Order.objects.filter(check_at__lte=now).select_related("lead_unit").order_by("check_at")[:BATCH]:
        done += review(order, now)
    return done


def review(order, now):
    new = status.of_order(order, now)
    urging = new in BEHIND and (new != order.status or order.urged_at is None or status.next_urge(order.urged_at) <= now)
    probe = Order(done=order.done, target=order.target, starts_at=order.starts_at, deadline=order.deadline,
                  urged_at=now if urging else order.urged_at)
    check_at = status.next_check(probe, new, now)
    worker = Actor.worker()
    try:
        with transaction.atomic():
            if new != order.status:
                ledger.record(order, worker, "status", {"status": new, "check_at": check_at}, now=now,
                              reason=str(Status(new).label))
            if urging:
                urge(order, worker, message=message(new), now=now, changes={"check_at": check_at})
            elif new == order.status and not Order.objects.filter(pk=order.pk, version=order.version).update(check_at=check_at):
                return 0  # another worker (or a person) got there first
        return 1
    except Refused as error:
        log.info("worker skipped order %s: %s", order.pk, error)
        return 0


def message(state):
    if state == Status.LATE:
        return _("The deadline has passed; finish the order and report progress now.")
    return _("Progress is behind plan; speed up and report progress.")
