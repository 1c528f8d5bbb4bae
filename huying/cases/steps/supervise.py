"""督办 supervise: formal supervision with its own deadline and a record,
by a supervisor or by the worker when a case stays overdue after an urge."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import BadInput
from huying.cases.models import WITH_UNIT, Notification
from huying.cases.steps.common import actor_and_time, require_centre, require_status
from huying.org.models import Membership as M
from huying.sla import deadlines


@transaction.atomic
def supervise(case, by, *, message="", days=deadlines.SUPERVISE_WORKDAYS, now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, *WITH_UNIT)
    unit = require_centre(actor, M.SUPERVISOR, allow_system=True)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise BadInput(_("The supervision deadline must be a number of working days.")) from None
    if not 1 <= days <= 30:
        raise BadInput(_("The supervision deadline is 1 to 30 working days."))
    message = (message or "").strip() or _("Still overdue: formal supervision.")
    due = deadlines.workdays_after(now, days)
    changes = {"supervised": True, "supervise_due": due, "supervise_at": None}
    ledger.record(case, actor, "supervise", changes, now=now, reason=message, unit=unit)
    text = f"{_('Supervised')}: {case.number} {message}"[:300]
    Notification.objects.create(unit=case.lead_unit, case=case, text=text, created_at=now)
    return case
