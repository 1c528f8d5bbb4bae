"""催办 urge: a reminder to the unit holding a case, by a supervisor or by
the worker the day after a deadline is missed."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.models import WITH_UNIT, Notification
from huying.cases.steps.common import actor_and_time, require_centre, require_status
from huying.org.models import Membership as M
from huying.sla import deadlines


@transaction.atomic
def urge(case, by, *, message="", now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, *WITH_UNIT)
    unit = require_centre(actor, M.SUPERVISOR, allow_system=True)
    message = (message or "").strip() or default_message(case, now)
    changes = {"urge_count": case.urge_count + 1}
    if actor.system:
        # The worker's urge is for a missed deadline: next comes supervision
        # if the unit still has not caught up a working day later.
        changes["urge_at"] = None
        if not case.supervised:
            changes["supervise_at"] = deadlines.workdays_after(now, 1)
    ledger.record(case, actor, "urge", changes, now=now, reason=message, unit=unit)
    Notification.objects.create(unit=case.lead_unit, case=case, text=f"{_('Urged')}: {case.number} {message}"[:300], created_at=now)
    return case


def default_message(case, now):
    if case.accepted_at is None and case.accept_due and now > case.accept_due:
        return _("Not accepted in time; accept it now.")
    if case.reply_due and now > case.reply_due:
        return _("The reply deadline has passed; reply now.")
    return _("Please speed up.")
