"""Calls meet orders: a case is linked to the order whose work it concerns
(lift complaints to the 300-lift order), on the order's record."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases.errors import BadInput, WrongState
from huying.cases.steps.common import actor_and_time, require_reason
from huying.orders import ledger, rules
from huying.orders.models import CaseOrder


@transaction.atomic
def link_case(order, case, by, *, now=None):
    actor, now = actor_and_time(by, now)
    unit = rules.require_linker(actor, order, case)
    if CaseOrder.objects.filter(order=order, case=case).exists():
        raise WrongState(_("Case %(number)s is already linked to this order.") % {"number": case.number})
    ledger.record(order, actor, "link_case", now=now, unit=unit, note={"case": case.pk, "number": case.number})
    return CaseOrder.objects.create(order=order, case=case, linked_by=actor.user, linked_at=now)


@transaction.atomic
def unlink_case(order, case, by, *, reason, now=None):
    actor, now = actor_and_time(by, now)
    unit = rules.require_linker(actor, order, case)
    reason = require_reason(reason)
    link = CaseOrder.objects.filter(order=order, case=case).first()
    if link is None:
        raise BadInput(_("Case %(number)s is not linked to this order.") % {"number": case.number})
    ledger.record(order, actor, "unlink_case", now=now, unit=unit, reason=reason,
                  note={"case": case.pk, "number": case.number})
    link.delete()
