"""进展 progress: an assigned unit reports work done (quantity, text,
photos); the lead unit approves or rejects it. Only approved progress counts
towards the order, and each approval recomputes the order's status."""

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases.errors import Conflict, WrongState
from huying.cases.steps.common import actor_and_time, require_reason, require_text
from huying.orders import ledger, photos, rules, status
from huying.orders.models import Assignment, Progress, Status
from huying.orders.steps.common import fmt, parse_quantity, require_not_done, tell


@transaction.atomic
def report(assignment, by, *, quantity, text, files=(), now=None):
    actor, now = actor_and_time(by, now)
    unit = rules.require_reporter(actor, assignment)
    order = assignment.order
    require_not_done(order)
    what = _("level reached") if order.is_level else _("quantity done")
    amount = parse_quantity(quantity, what, level=order.is_level, zero=order.is_level)
    text = require_text(text, _("description of the work done"))
    uploads = photos.check(files)  # every photo is checked before anything is written
    progress = Progress.objects.create(order=order, assignment=assignment, quantity=amount, text=text,
                                       reported_by=actor.user, reported_at=now)
    ledger.record(order, actor, "report_progress", now=now, unit=unit, reason=text,
                  note={"progress": progress.pk, "unit": assignment.unit_id, "quantity": fmt(amount), "photos": len(uploads)})
    photos.store(progress, uploads)
    tell([order.lead_unit], order, _("Progress to approve from %(unit)s") % {"unit": assignment.unit.name}, now)
    return progress


@transaction.atomic
def approve(progress, by, *, note="", now=None):
    actor, now = actor_and_time(by, now)
    unit = rules.require_approver(actor, progress)
    require_pending(progress)
    order, assignment = progress.order, progress.assignment
    if order.is_level:  # the level reached replaces the one before
        assignment_done, order_done = progress.quantity, progress.quantity
    else:
        assignment_done, order_done = assignment.done + progress.quantity, order.done + progress.quantity
    changes = {"done": order_done}
    changes |= recomputed(order, order_done, now)
    ledger.record(order, actor, "approve_progress", changes, now=now, unit=unit, reason=(note or "").strip(),
                  note={"progress": progress.pk, "unit": assignment.unit_id, "quantity": fmt(progress.quantity)})
    decide(progress, Progress.APPROVED, actor, now, note)
    Assignment.objects.filter(pk=assignment.pk).update(done=assignment_done)
    assignment.done = assignment_done
    tell([assignment.unit], order, _("Progress approved"), now)
    return progress


@transaction.atomic
def reject(progress, by, *, reason, now=None):
    actor, now = actor_and_time(by, now)
    unit = rules.require_approver(actor, progress)
    require_pending(progress)
    reason = require_reason(reason)
    ledger.record(progress.order, actor, "reject_progress", now=now, unit=unit, reason=reason,
                  note={"progress": progress.pk, "unit": progress.assignment.unit_id, "quantity": fmt(progress.quantity)})
    decide(progress, Progress.REJECTED, actor, now, reason)
    tell([progress.assignment.unit], progress.order, _("Progress rejected"), now)
    return progress


def recomputed(order, done, now):
    """The status, completion time and next check after `done` changes."""
    state = status.compute(done, order.target, order.starts_at, order.deadline, now)
    probe = type(order)(done=done, target=order.target, starts_at=order.starts_at, deadline=order.deadline,
                        urged_at=order.urged_at)
    changes = {"status": state, "check_at": status.next_check(probe, state, now)}
    if state == Status.DONE and order.done_at is None:
        changes["done_at"] = now
    elif state != Status.DONE and order.done_at is not None:
        changes["done_at"] = None  # a level can fall back below the target
    return changes


def require_pending(progress):
    if progress.state != Progress.PENDING:
        raise WrongState(_("This progress report was already %(state)s.") % {"state": progress.get_state_display()})


def decide(progress, state, actor, now, note):
    # The order's version already serialises decisions; the state check
    # here is a second guard that never lets one report count twice.
    if not Progress.objects.filter(pk=progress.pk, state=Progress.PENDING).update(
        state=state, decided_by=actor.user, decided_at=now, decision_note=(note or "").strip()
    ):
        raise Conflict(_("Someone else decided on this progress report a moment ago."))
    progress.state, progress.decided_by, progress.decided_at = state, actor.user, now
    progress.decision_note = (note or "").strip()
