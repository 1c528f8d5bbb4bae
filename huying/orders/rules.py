"""Who may do what with an order, by role and unit scope.

    give an order               a leader whose scope covers the lead unit and co-units
    confirm report proposals    the same (a report's targets are the leaders' orders)
    start one from a hotspot    a leader, or the centre's dispatchers and supervisors (未诉先办)
    assign units                a handler of the lead unit, or a leader over it
    report progress             a handler of the assigned unit (or of a unit above it)
    approve / reject progress   a handler of the lead unit, never on their own report
    urge                        a leader over the lead unit, a centre supervisor, the worker
    link a case                 the centre, a handler of the lead unit or a leader, who can see the case
    see                         the centre and district leaders all orders; a unit the orders it
                                leads, helps with or is assigned, and those of the units below it

Each `require_*` returns the unit the person acts for (kept on the event)
or raises NotAllowed.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from huying.cases.errors import NotAllowed
from huying.cases.steps.common import CENTRE_ROLES, centre_unit
from huying.orders.models import Order
from huying.org import people
from huying.org.models import Membership as M
from huying.org.models import Unit


def membership_over(actor, roles, *units):
    """The first membership with one of `roles` whose scope covers every unit."""
    if actor.user is None:
        return None
    for m in people.memberships(actor.user):
        if m.role in roles and all(m.scope.contains(u) for u in units):
            return m
    return None


def require_leader(actor, *units):
    m = membership_over(actor, (M.LEADER,), *units)
    if m is None:
        raise NotAllowed(_("Only a leader whose area covers %(units)s can do this.") % {"units": names(units)})
    return m.unit


def require_giver_of_hotspot_order(actor, unit):
    m = membership_over(actor, (M.LEADER,), unit)
    if m is not None:
        return m.unit
    centre = centre_unit(actor.user, M.DISPATCHER, M.SUPERVISOR) if actor.user else None
    if centre is None or not centre.parent or not centre.parent.contains(unit):
        raise NotAllowed(_("Only a leader or the command centre (dispatchers, supervisors) can start an order from a hotspot."))
    return centre


def require_lead_handler(actor, order):
    m = membership_over(actor, (M.HANDLER,), order.lead_unit)
    if m is None:
        raise NotAllowed(_("Only a handler of the lead unit %(unit)s can do this.") % {"unit": order.lead_unit.name})
    return m.unit


def require_assigner(actor, order):
    m = membership_over(actor, (M.HANDLER, M.LEADER), order.lead_unit)
    if m is None:
        raise NotAllowed(_("Only the lead unit %(unit)s or a leader over it can assign this order.") % {"unit": order.lead_unit.name})
    return m.unit


def require_reporter(actor, assignment):
    m = membership_over(actor, (M.HANDLER,), assignment.unit)
    if m is None:
        raise NotAllowed(_("Only a handler of %(unit)s can report its progress.") % {"unit": assignment.unit.name})
    return m.unit


def require_approver(actor, progress):
    unit = require_lead_handler(actor, progress.order)
    if actor.user is not None and progress.reported_by_id == actor.user.pk:
        raise NotAllowed(_("A progress report is approved by someone other than the person who made it."))
    return unit


def require_urger(actor, order):
    if actor.system:
        return None
    m = membership_over(actor, (M.LEADER,), order.lead_unit)
    if m is not None:
        return m.unit
    centre = centre_unit(actor.user, M.SUPERVISOR) if actor.user else None
    if centre is None:
        raise NotAllowed(_("Only a leader over the lead unit or a centre supervisor can urge an order."))
    return centre


def require_linker(actor, order, case):
    from huying.cases.scope import can_see  # cases imports nothing from orders

    unit = None
    if actor.user is not None:
        unit = centre_unit(actor.user, *CENTRE_ROLES)
        if unit is None:
            m = membership_over(actor, (M.HANDLER, M.LEADER), order.lead_unit)
            unit = m.unit if m else None
    if unit is None or not can_see(actor.user, case):
        raise NotAllowed(_("Only the command centre, the lead unit or a leader who can see case %(number)s can link it.")
                         % {"number": case.number})
    return unit


def names(units):
    return "、".join(u.name for u in units)


# --------------------------------------------------------------------------
# What a person sees
# --------------------------------------------------------------------------


def sees_all(user):
    if user.is_superuser:
        return True
    return any(m.scope.kind == Unit.DISTRICT for m in people.memberships(user))


def visible_orders(user, qs=None):
    qs = Order.objects.all() if qs is None else qs
    if user is None or not user.is_authenticated:
        return qs.none()
    if sees_all(user):
        return qs
    roots = people.scope_units(user)
    if not roots:
        return qs.none()
    match = Q()
    for root in roots:
        match |= (
            Q(lead_unit__path__startswith=root.path)
            | Q(co_units__path__startswith=root.path)
            | Q(assignments__unit__path__startswith=root.path)
        )
    return qs.filter(pk__in=Order.objects.filter(match).values("pk"))


def can_see(user, order):
    return visible_orders(user, Order.objects.filter(pk=order.pk)).exists()


def may_give(user):
    return people.has_role(user, M.LEADER)


def may_start_from_hotspot(user):
    return people.has_role(user, M.LEADER) or centre_unit(user, M.DISPATCHER, M.SUPERVISOR) is not None


def allowed(user, order):
    """What the page may offer this person on this order (the steps check again)."""
    from huying.cases.actors import Actor

    if not user.is_authenticated:
        return set()
    actor = Actor.of(user)
    offered = set()
    for name, check in (
        ("assign", lambda: require_assigner(actor, order)),
        ("approve", lambda: require_lead_handler(actor, order)),
        ("urge", lambda: require_urger(actor, order)),
    ):
        try:
            check()
            offered.add(name)
        except NotAllowed:
            pass
    if any(membership_over(actor, (M.HANDLER,), a.unit) for a in order.assignments.all()):
        offered.add("report")
    if centre_unit(user, *CENTRE_ROLES) or membership_over(actor, (M.HANDLER, M.LEADER), order.lead_unit):
        offered.add("link")
    return offered
