"""并单 merge: a duplicate joins its main case; every caller still gets the
answer and a follow-up of their own."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import BadInput
from huying.cases.models import OPEN_STATUSES, Status
from huying.cases.steps.common import actor_and_time, require_centre, require_status
from huying.org.models import Membership as M


@transaction.atomic
def merge(case, by, *, into, reason="", now=None):
    actor, now = actor_and_time(by, now)
    unit = require_centre(actor, M.OPERATOR, M.DISPATCHER, M.SUPERVISOR)
    require_status(case, Status.NEW, Status.DISPATCHED, Status.ACCEPTED, Status.RETURN_REQUESTED)
    if into is None or into.pk == case.pk:
        raise BadInput(_("Choose another case to merge into."))
    if into.status not in OPEN_STATUSES or into.status == Status.REVIEW:
        raise BadInput(_("Case %(number)s is no longer open; it cannot take duplicates.") % {"number": into.number})
    if case.merged_cases.exists():
        raise BadInput(_("Case %(number)s has duplicates of its own; merge them the other way.") % {"number": case.number})
    changes = {
        "status": Status.MERGED, "main_case": into, "urge_at": None, "supervise_at": None,
        "extension_days": None, "extension_reason": "",
    }
    ledger.record(case, actor, "merge", changes, now=now, reason=reason or into.number, unit=unit)
    return case
