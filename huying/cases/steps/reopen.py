"""重办 reopen: back to the lead unit with fresh deadlines, counted."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import WrongState
from huying.cases.models import Status
from huying.cases.steps.common import actor_and_time, require_centre, require_reason, require_status
from huying.org.models import Membership as M
from huying.sla import deadlines

# After this many reopenings a bad rating goes to review instead.
MAX_REOPENS = 2


@transaction.atomic
def reopen(case, by, *, reason, now=None):
    """A supervisor reopens a replied, reviewed or closed case."""
    actor, now = actor_and_time(by, now)
    require_status(case, Status.REPLIED, Status.REVIEW, Status.CLOSED)
    unit = require_centre(actor, M.SUPERVISOR)
    reason = require_reason(reason)
    if case.lead_unit_id is None:
        raise WrongState(_("Case %(number)s was never handled by a unit; dispatch it instead.") % {"number": case.number})
    ledger.record(case, actor, "reopen", reopen_changes(case, now), now=now, reason=reason, unit=unit)
    return case


def reopen_changes(case, now):
    accept_due = deadlines.accept_due(case.kind, case.urgency, now)
    return {
        "status": Status.DISPATCHED,
        "reopen_count": case.reopen_count + 1,
        "dispatched_at": now,
        "accepted_at": None,
        "replied_at": None,
        "closed_at": None,
        "reply_text": "",
        "accept_due": accept_due,
        "reply_due": deadlines.reply_due(case.kind, case.urgency, now),
        "urge_at": deadlines.urge_time(case.kind, case.urgency, accept_due, "accept"),
        "supervise_at": None,
        "followup_due": None,
        "followup_alerted": False,
    }
