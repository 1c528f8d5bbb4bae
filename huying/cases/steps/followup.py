"""回访 follow-up: the centre asks the citizen (or the citizen rates online):
resolved? satisfied? A good answer closes the case; a bad one reopens it, at
most twice, and after that a supervisor reviews the rating."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import BadInput, NotAllowed, WrongState
from huying.cases.models import Satisfaction, Status
from huying.cases.steps.close import closing_changes
from huying.cases.steps.common import actor_and_time, centre_unit, require_status
from huying.cases.steps.reopen import MAX_REOPENS, reopen_changes
from huying.org.models import Membership as M

GOOD = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


@transaction.atomic
def follow_up(case, by, *, resolved, satisfaction, note="", now=None):
    actor, now = actor_and_time(by, now)
    unit = require_rater(actor, case)
    if case.status == Status.MERGED:
        return rate_merged(case, actor, unit, resolved, satisfaction, note, now)
    require_status(case, Status.REPLIED)
    ratings = ratings_of(resolved, satisfaction)
    ledger.record(case, actor, "follow_up", ratings | {"followup_due": None}, now=now, reason=note, unit=unit)
    if resolved and satisfaction in GOOD:
        ledger.record(case, actor, "close", closing_changes(now), now=now, reason=_("Resolved and satisfied."), unit=unit)
    elif case.reopen_count < MAX_REOPENS:
        ledger.record(case, actor, "reopen", reopen_changes(case, now), now=now, reason=_("Follow-up: not resolved or not satisfied."), unit=unit)
    else:
        ledger.record(case, actor, "review", {"status": Status.REVIEW}, now=now,
                      reason=_("Reopened %(n)s times already: a supervisor reviews the rating.") % {"n": case.reopen_count}, unit=unit)
    return case


def rate_merged(case, actor, unit, resolved, satisfaction, note, now):
    """A merged caller's own rating; the main case carries the work."""
    if not case.replied_at or case.resolved is not None:
        raise WrongState(_("Case %(number)s has no reply to rate yet.") % {"number": case.number})
    changes = ratings_of(resolved, satisfaction) | {"followup_due": None, "closed_at": now}
    ledger.record(case, actor, "follow_up", changes, now=now, reason=note, unit=unit)
    return case


def ratings_of(resolved, satisfaction):
    if resolved not in (True, False):
        raise BadInput(_("Say whether the problem was resolved."))
    if satisfaction not in Satisfaction.values:
        raise BadInput(_("Satisfaction must be one of: satisfied, basically satisfied, unsatisfied."))
    return {"resolved": resolved, "satisfaction": satisfaction}


def require_rater(actor, case):
    """The centre records follow-up calls; a citizen may rate their own case."""
    if actor.citizen_of == case.pk or (actor.user and case.citizen_user_id == actor.user.pk):
        return None
    unit = centre_unit(actor.user, M.OPERATOR, M.SUPERVISOR) if actor.user else None
    if unit is None:
        raise NotAllowed(_("Only the command centre or the citizen who asked can rate the answer."))
    return unit
