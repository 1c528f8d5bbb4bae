"""退单 return: a unit says "not ours" within a working day of dispatch, with
a reason; the unit that sent the case approves or rejects."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import NotAllowed, WrongState
from huying.cases.models import Status
from huying.cases.steps.common import (
    actor_and_time,
    require_centre,
    require_handler,
    require_reason,
    require_status,
    the_centre,
)
from huying.org.models import Membership as M
from huying.org.models import Unit
from huying.sla import deadlines


@transaction.atomic
def request_return(case, by, *, reason, now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, Status.DISPATCHED, Status.ACCEPTED)
    unit = require_handler(actor, case.lead_unit)
    reason = require_reason(reason)
    limit = deadlines.workdays_after(case.dispatched_at, deadlines.RETURN_WORKDAYS)
    if now > limit:
        raise WrongState(_("A case can only be returned within %(days)s working day of dispatch.") % {"days": deadlines.RETURN_WORKDAYS})
    ledger.record(case, actor, "return", {"status": Status.RETURN_REQUESTED, "return_reason": reason}, now=now, reason=reason, unit=unit)
    return case


@transaction.atomic
def approve_return(case, by, *, reason="", now=None):
    """The case goes back to whoever sent it: the centre's queue, or the street."""
    actor, now = actor_and_time(by, now)
    require_status(case, Status.RETURN_REQUESTED)
    unit = require_sender(actor, case)
    if case.dispatched_by.kind == Unit.CENTRE:
        changes = {
            "status": Status.NEW, "lead_unit": None, "co_units": [], "dispatched_by": None,
            "dispatched_at": None, "accepted_at": None, "accept_due": None, "reply_due": None,
            "urge_at": None, "supervise_at": None, "extension_days": None, "extension_reason": "",
        }
    else:
        # A street takes back what it passed down; it had accepted it already.
        sender = case.dispatched_by
        changes = {
            "status": Status.ACCEPTED, "lead_unit": sender, "dispatched_by": the_centre(),
            "accepted_at": now, "urge_at": deadlines.urge_time(case.kind, case.urgency, case.reply_due),
        }
    ledger.record(case, actor, "approve_return", changes, now=now, reason=reason, unit=unit)
    return case


@transaction.atomic
def reject_return(case, by, *, reason, now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, Status.RETURN_REQUESTED)
    unit = require_sender(actor, case)
    reason = require_reason(reason)
    status = Status.ACCEPTED if case.accepted_at else Status.DISPATCHED
    ledger.record(case, actor, "reject_return", {"status": status, "return_reason": ""}, now=now, reason=reason, unit=unit)
    return case


def require_sender(actor, case):
    sender = case.dispatched_by
    if sender is None:
        raise NotAllowed(_("Nobody can decide on this return."))
    if sender.kind == Unit.CENTRE:
        return require_centre(actor, M.DISPATCHER, M.SUPERVISOR)
    return require_handler(actor, sender)
