"""办结 / 答复 reply: the lead unit answers the citizen; co-units contribute
their part first (联办)."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import NotAllowed
from huying.cases.models import Status
from huying.cases.steps.common import actor_and_time, require_handler, require_status, require_text
from huying.org import people
from huying.org.models import Membership as M
from huying.sla import deadlines


@transaction.atomic
def reply(case, by, *, text, now=None):
    actor, now = actor_and_time(by, now)
    require_status(case, Status.ACCEPTED)
    unit = require_handler(actor, case.lead_unit)
    text = require_text(text, _("reply"))
    changes = {
        "status": Status.REPLIED,
        "reply_text": text,
        "replied_at": now,
        "followup_due": deadlines.workdays_after(now, deadlines.FOLLOWUP_WORKDAYS),
        "followup_alerted": False,
        "urge_at": None,
        "supervise_at": None,
        "extension_days": None,
        "extension_reason": "",
    }
    ledger.record(case, actor, "reply", changes, now=now, unit=unit)
    share_reply(case, actor, unit, text, now)
    return case


def share_reply(case, actor, unit, text, now):
    """Callers whose cases were merged into this one get the same answer and
    their own follow-up."""
    for merged in case.merged_cases.filter(status=Status.MERGED):
        changes = {
            "reply_text": text,
            "replied_at": now,
            "followup_due": deadlines.workdays_after(now, deadlines.FOLLOWUP_WORKDAYS),
        }
        ledger.record(merged, actor, "reply", changes, now=now, reason=case.number, unit=unit)


@transaction.atomic
def contribute(case, by, *, text, now=None):
    """A co-unit adds its part of the answer for the lead unit."""
    actor, now = actor_and_time(by, now)
    require_status(case, Status.DISPATCHED, Status.ACCEPTED)
    text = require_text(text, _("contribution"))
    unit = co_unit_of(actor, case)
    ledger.record(case, actor, "contribute", {}, now=now, reason=text, unit=unit)
    return case


def co_unit_of(actor, case):
    for co in case.co_units.all():
        if actor.user and people.has_role(actor.user, M.HANDLER, over=co):
            return co
    raise NotAllowed(_("Only a handler of a co-unit can contribute to case %(number)s.") % {"number": case.number})
