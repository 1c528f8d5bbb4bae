"""Questions asked about a person: which roles, over which units."""

from huying.org.models import Membership, Unit


def memberships(user):
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_huying_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit", "unit__parent"))
        user._huying_memberships = cached
    return cached


def roles(user):
    return {m.role for m in memberships(user)}


def has_role(user, *wanted, over=None):
    """True when the user holds one of `wanted` roles whose scope covers the
    unit `over` (any unit when `over` is None)."""
    for m in memberships(user):
        if m.role in wanted and (over is None or m.scope.contains(over)):
            return True
    return False


def is_member(user, unit, *wanted):
    """True when the user holds one of `wanted` roles in exactly `unit`."""
    return any(m.unit_id == unit.pk and m.role in wanted for m in memberships(user))


def scope_units(user, *wanted):
    """The scope roots of the user's memberships (optionally only `wanted`)."""
    return [m.scope for m in memberships(user) if not wanted or m.role in wanted]


def is_centre(user, *wanted):
    wanted = wanted or (Membership.OPERATOR, Membership.DISPATCHER, Membership.SUPERVISOR)
    return any(m.unit.kind == Unit.CENTRE and m.role in wanted for m in memberships(user))


def is_citizen(user):
    return bool(user and user.is_authenticated and not memberships(user) and not user.is_staff)
