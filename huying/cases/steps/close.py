"""办结归档 close: the case ends. Normally through a good follow-up; a
supervisor may also close an invalid case or one whose citizen cannot be
reached, with a reason."""

from django.db import transaction

from huying.cases import ledger
from huying.cases.models import Status
from huying.cases.steps.common import actor_and_time, require_centre, require_reason, require_status
from huying.org.models import Membership as M


@transaction.atomic
def close(case, by, *, reason, now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, Status.NEW, Status.REPLIED)
    roles = (M.OPERATOR, M.DISPATCHER, M.SUPERVISOR) if case.status == Status.NEW else (M.SUPERVISOR,)
    unit = require_centre(actor, *roles)
    reason = require_reason(reason)
    ledger.record(case, actor, "close", closing_changes(now), now=now, reason=reason, unit=unit)
    return case


def closing_changes(now):
    return {
        "status": Status.CLOSED,
        "closed_at": now,
        "urge_at": None,
        "supervise_at": None,
        "followup_due": None,
    }
