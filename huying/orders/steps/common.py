"""Checks and helpers shared by the order steps."""

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from huying.cases.errors import BadInput, WrongState
from huying.orders.models import QUANTITY, Notice, Status, fmt  # noqa: F401 (fmt is used by the steps)
from huying.org.models import Unit

# The largest quantity the columns hold (18 digits, 2 after the point).
MAX_QUANTITY = Decimal(10) ** (QUANTITY["max_digits"] - QUANTITY["decimal_places"]) - 1


def parse_quantity(value, what, *, level=False, zero=False):
    """A positive quantity (or a level 0–100 for % targets) as a Decimal."""
    try:
        number = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise BadInput(_("The %(what)s must be a number.") % {"what": what})
    if number != number.quantize(Decimal("0.01")):
        raise BadInput(_("The %(what)s may have at most two decimal places.") % {"what": what})
    if number < 0 or (number == 0 and not zero):
        raise BadInput(_("The %(what)s must be more than zero.") % {"what": what})
    if level and number > 100:
        raise BadInput(_("The %(what)s is a percentage and cannot exceed 100.") % {"what": what})
    if number > MAX_QUANTITY:
        raise BadInput(_("The %(what)s is too large.") % {"what": what})
    return number


def working_unit(unit, what):
    """A unit that can be given work: active, and not the district as a whole."""
    if not isinstance(unit, Unit):
        raise BadInput(_("Choose the %(what)s.") % {"what": what})
    if not unit.active or unit.kind == Unit.DISTRICT:
        raise BadInput(_("%(unit)s cannot be given work as the %(what)s.") % {"unit": unit.name, "what": what})
    return unit


def require_not_done(order):
    if order.status == Status.DONE:
        raise WrongState(_("The order “%(title)s” is done; nothing more can be reported or assigned.") % {"title": order.title})


def aware(moment, what):
    if moment is None:
        raise BadInput(_("The %(what)s is required.") % {"what": what})
    if timezone.is_naive(moment):
        raise BadInput(_("The %(what)s needs a time zone.") % {"what": what})
    return moment


def tell(units, order, text, now):
    """A notice for each unit (once per unit)."""
    seen = set()
    for unit in units:
        if unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            Notice.objects.create(unit=unit, order=order, text=f"{text}: {order.title}"[:300], created_at=now)
