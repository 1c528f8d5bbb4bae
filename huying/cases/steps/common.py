"""Checks shared by the steps: who may act, in which state, with what input."""

from django.utils import timezone
from django.utils.translation import gettext as _

from huying.cases.actors import Actor
from huying.cases.errors import BadInput, NotAllowed, WrongState
from huying.org import people
from huying.org.models import Membership as M
from huying.org.models import Unit

CENTRE_ROLES = (M.OPERATOR, M.DISPATCHER, M.SUPERVISOR)


def actor_and_time(by, now):
    return Actor.of(by), now or timezone.now()


def require_status(case, *allowed):
    if case.status not in allowed:
        raise WrongState(
            _("Case %(number)s is %(status)s; this step is not possible now.")
            % {"number": case.number, "status": case.get_status_display()}
        )


def require_text(value, what):
    value = (value or "").strip()
    if not value:
        raise BadInput(_("A %(what)s is required.") % {"what": what})
    return value


def centre_unit(user, *roles):
    """The centre unit in which the user holds one of `roles`, or None."""
    for m in people.memberships(user):
        if m.unit.kind == Unit.CENTRE and m.role in roles:
            return m.unit
    return None


def require_centre(actor, *roles, allow_system=False):
    """The person must hold one of `roles` at the command centre."""
    if actor.system and allow_system:
        return None
    unit = centre_unit(actor.user, *roles) if actor.user else None
    if unit is None:
        raise NotAllowed(_("Only the command centre (%(roles)s) can do this.") % {"roles": role_names(roles)})
    return unit


def require_handler(actor, unit):
    """The person must be a handler in `unit` or in a unit above it."""
    if actor.user:
        for m in people.memberships(actor.user):
            if m.role == M.HANDLER and m.scope.contains(unit):
                return m.unit
    raise NotAllowed(_("Only a handler of %(unit)s can do this.") % {"unit": unit.name if unit else "-"})


def role_names(roles):
    labels = dict(M.ROLES)
    return " / ".join(str(labels[r]) for r in roles)


def the_centre():
    """The command centre, which stands behind every case it did not send itself."""
    return Unit.objects.filter(kind=Unit.CENTRE, active=True).order_by("pk").first()


def require_reason(reason):
    return require_text(reason, _("reason"))
