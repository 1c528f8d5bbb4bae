"""分解 assign: the lead unit (or a leader over it) gives a unit its part of
an order, with its own quantity. Assigning the same unit again changes its
quantity; a unit that is neither lead nor co-unit becomes a co-unit."""

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from huying.cases.errors import BadInput
from huying.cases.steps.common import actor_and_time
from huying.orders import ledger, rules
from huying.orders.models import Assignment
from huying.orders.steps.common import fmt, parse_quantity, require_not_done, tell, working_unit
from huying.org.models import Unit


@transaction.atomic
def assign(order, by, *, unit, quantity, now=None):
    actor, now = actor_and_time(by, now)
    acting = rules.require_assigner(actor, order)
    require_not_done(order)
    unit = working_unit(unit, _("assigned unit"))
    if unit.kind == Unit.CENTRE:
        raise BadInput(_("The command centre follows orders; it is not assigned a part of one."))
    amount = parse_quantity(quantity, _("quantity"), level=order.is_level)
    existing = order.assignments.filter(unit=unit).first()
    if existing and amount < existing.done and not order.is_level:
        raise BadInput(_("%(unit)s has already done %(done)s %(measure)s; its quantity cannot be less.")
                       % {"unit": unit.name, "done": fmt(existing.done), "measure": order.measure})
    if not order.is_level:
        others = order.assignments.exclude(unit=unit).aggregate(total=Sum("quantity"))["total"] or 0
        if others + amount > order.target:
            raise BadInput(_("The assignments would total %(total)s %(measure)s, more than the target of %(target)s %(measure)s.")
                           % {"total": fmt(others + amount), "target": fmt(order.target), "measure": order.measure})
    new_co_unit = unit != order.lead_unit and not order.co_units.filter(pk=unit.pk).exists()
    note = {"unit": unit.pk, "quantity": fmt(amount)}
    if existing:
        note["previous"] = fmt(existing.quantity)
    if new_co_unit:
        note["co_unit_added"] = unit.pk
    ledger.record(order, actor, "assign", now=now, unit=acting, note=note)
    if existing:
        Assignment.objects.filter(pk=existing.pk).update(quantity=amount)
    else:
        Assignment.objects.create(order=order, unit=unit, quantity=amount, assigned_at=now)
    if new_co_unit:
        order.co_units.add(unit)
    tell([unit], order, _("Your part of an order: %(quantity)s %(measure)s") % {"quantity": fmt(amount), "measure": order.measure}, now)
    return order.assignments.get(unit=unit)
