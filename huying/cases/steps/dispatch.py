"""派单 dispatch: the centre sends a case to its lead unit (and co-units);
转办 a street passes a case it accepted down to a community or grid."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import BadInput
from huying.cases.models import Status
from huying.cases.steps.common import actor_and_time, require_centre, require_handler, require_status, the_centre
from huying.org.models import Membership as M
from huying.org.models import Unit
from huying.sla import deadlines

# The centre dispatches to departments and streets; lower units get cases
# from their street, so every street knows what happens on its ground.
DISPATCH_TARGETS = (Unit.DEPARTMENT, Unit.STREET)


@transaction.atomic
def dispatch(case, by, *, lead, co_units=(), reason="", now=None):
    """Send a new case, or re-send one not yet accepted (改派)."""
    actor, now = actor_and_time(by, now)
    centre = require_centre(actor, M.OPERATOR, M.DISPATCHER, allow_system=True)
    require_status(case, Status.NEW, Status.DISPATCHED)
    co_units = check_targets(lead, co_units)
    changes = assignment(case, lead, now, dispatched_by=centre or the_centre())
    changes["co_units"] = co_units
    changes["reply_due"] = deadlines.reply_due(case.kind, case.urgency, now)
    ledger.record(case, actor, "dispatch", changes, now=now, reason=reason, unit=centre)
    return case


@transaction.atomic
def dispatch_down(case, by, *, to, reason="", now=None):
    """A unit that accepted a case passes it to a unit below it.

    The reply deadline stays: the street remains answerable for it."""
    actor, now = actor_and_time(by, now)
    require_status(case, Status.ACCEPTED)
    unit = require_handler(actor, case.lead_unit)
    if to is None or to.pk == case.lead_unit_id or not case.lead_unit.contains(to) or not to.active:
        raise BadInput(_("A case can only be passed down to an active unit below %(unit)s.") % {"unit": case.lead_unit.name})
    changes = assignment(case, to, now, dispatched_by=case.lead_unit)
    ledger.record(case, actor, "dispatch_down", changes, now=now, reason=reason, unit=unit)
    return case


def assignment(case, lead, now, *, dispatched_by):
    accept_due = deadlines.accept_due(case.kind, case.urgency, now)
    return {
        "status": Status.DISPATCHED,
        "lead_unit": lead,
        "dispatched_by": dispatched_by,
        "dispatched_at": now,
        "accepted_at": None,
        "accept_due": accept_due,
        "urge_at": deadlines.urge_time(case.kind, case.urgency, accept_due, "accept"),
        "return_reason": "",
    }


def check_targets(lead, co_units):
    if lead is None or lead.kind not in DISPATCH_TARGETS or not lead.active:
        raise BadInput(_("The lead unit must be an active department or street."))
    co_units = list(dict.fromkeys(co_units))
    for unit in co_units:
        if unit.kind not in DISPATCH_TARGETS or not unit.active:
            raise BadInput(_("%(name)s cannot be a co-unit.") % {"name": unit.name})
        if unit.pk == lead.pk:
            raise BadInput(_("The lead unit cannot also be a co-unit."))
    return co_units
