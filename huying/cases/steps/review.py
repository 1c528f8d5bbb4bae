"""Review of a disputed rating: a supervisor decides whether the citizen's
bad rating was reasonable. An unreasonable one is left out of the rates."""

from django.db import transaction

from huying.cases import ledger
from huying.cases.models import Status
from huying.cases.steps.close import closing_changes
from huying.cases.steps.common import actor_and_time, require_centre, require_reason, require_status
from huying.org.models import Membership as M


@transaction.atomic
def review(case, by, *, reasonable, reason, now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, Status.REVIEW)
    unit = require_centre(actor, M.SUPERVISOR)
    reason = require_reason(reason)
    changes = closing_changes(now) | {"rating_excluded": not reasonable}
    ledger.record(case, actor, "review", changes, now=now, reason=reason, unit=unit)
    return case
