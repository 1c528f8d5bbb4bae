"""延期 extension: more time, asked before the deadline with a reason, and
approved or rejected by a supervisor."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import BadInput, WrongState
from huying.cases.models import Status
from huying.cases.steps.common import actor_and_time, require_centre, require_handler, require_reason, require_status
from huying.org.models import Membership as M
from huying.sla import deadlines

MAX_DAYS = 30


@transaction.atomic
def request_extension(case, by, *, days, reason, now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, Status.ACCEPTED)
    unit = require_handler(actor, case.lead_unit)
    reason = require_reason(reason)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise BadInput(_("Say how many working days more are needed.")) from None
    if not 1 <= days <= MAX_DAYS:
        raise BadInput(_("An extension is 1 to %(max)s working days.") % {"max": MAX_DAYS})
    if case.extension_days:
        raise WrongState(_("An extension request is already waiting for a decision."))
    if now >= case.reply_due:
        raise WrongState(_("An extension must be asked before the deadline; this one has passed."))
    changes = {"extension_days": days, "extension_reason": reason}
    ledger.record(case, actor, "request_extension", changes, now=now, reason=reason, unit=unit)
    return case


@transaction.atomic
def approve_extension(case, by, *, reason="", now=None):
    actor, now = actor_and_time(by, now)
    require_pending(case)
    unit = require_centre(actor, M.SUPERVISOR)
    due = deadlines.extended(case.reply_due, case.extension_days)
    changes = {
        "reply_due": due,
        "urge_at": deadlines.urge_time(case.kind, case.urgency, due),
        "supervise_at": None,
        "extension_days": None,
        "extension_reason": "",
        "extension_count": case.extension_count + 1,
    }
    ledger.record(case, actor, "approve_extension", changes, now=now, reason=reason, unit=unit)
    return case


@transaction.atomic
def reject_extension(case, by, *, reason, now=None):
    actor, now = actor_and_time(by, now)
    require_pending(case)
    unit = require_centre(actor, M.SUPERVISOR)
    reason = require_reason(reason)
    changes = {"extension_days": None, "extension_reason": ""}
    ledger.record(case, actor, "reject_extension", changes, now=now, reason=reason, unit=unit)
    return case


def require_pending(case):
    require_status(case, Status.ACCEPTED)
    if not case.extension_days:
        raise WrongState(_("No extension request is waiting on case %(number)s.") % {"number": case.number})
