"""签收 accept: the lead unit takes the case; its reply clock is now its own."""

from django.db import transaction

from huying.cases import ledger
from huying.cases.models import Status
from huying.cases.steps.common import actor_and_time, require_handler, require_status
from huying.sla import deadlines


@transaction.atomic
def accept(case, by, *, now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, Status.DISPATCHED)
    unit = require_handler(actor, case.lead_unit)
    changes = {
        "status": Status.ACCEPTED,
        "accepted_at": now,
        "urge_at": deadlines.urge_time(case.kind, case.urgency, case.reply_due),
    }
    ledger.record(case, actor, "accept", changes, now=now, unit=unit)
    return case
