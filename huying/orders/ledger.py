"""The only way an order changes: apply changes and append the event, together.

The same rule as cases (huying/cases/ledger.py): the order row is updated
with `WHERE version = <the version the caller read>`; if someone else got
there first nothing is written and the step is refused with `Conflict`.
Steps that change other rows (assignments, progress) record an event here
too, so every change to an order's work bumps its version and two people
acting on one order at once are serialised.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from huying.cases.errors import Conflict
from huying.cases.ledger import encode
from huying.orders.models import Order, OrderEvent, fmt

FIELDS = {f.name: f for f in Order._meta.concrete_fields if f.name not in ("id", "version")}


def encode_changes(changes):
    out = {}
    for name, value in changes.items():
        if isinstance(value, (list, tuple, set)):
            out[name] = sorted(encode(v) for v in value)
        else:
            out[name] = fmt(value) if isinstance(value, Decimal) else encode(value)  # Decimal("300.00") → "300"
    return out


def record(order, actor, action, changes=None, *, now, reason="", unit=None, note=None):
    """Apply `changes` (fields of the order) and append one event.

    `note` is what the event says beyond the order's own fields (the
    assignment made, the progress approved …); it is kept with the changes."""
    changes = changes or {}
    with transaction.atomic():
        values = {}
        for name, value in changes.items():
            field = FIELDS[name]
            values[field.attname] = value.pk if isinstance(value, Model) else value
        seen = order.version
        if not Order.objects.filter(pk=order.pk, version=seen).update(version=seen + 1, **values):
            raise Conflict(_("Someone else changed this order a moment ago. Reload it and try again."))
        event = OrderEvent.objects.create(
            order=order, seq=seen + 1, at=now, actor=actor.user, actor_label=actor.label[:100],
            actor_unit=unit, action=action, changes=encode_changes(changes | (note or {})), reason=reason,
        )
    for name, value in changes.items():
        setattr(order, name, value)
    order.version = seen + 1
    return event


def create(fields, co_units, actor, *, now, unit=None, reason=""):
    """Insert a new order with its first event."""
    with transaction.atomic():
        order = Order.objects.create(version=1, **fields)
        order.co_units.set(co_units)
        changes = {name: getattr(order, f.attname) for name, f in FIELDS.items()}
        OrderEvent.objects.create(
            order=order, seq=1, at=now, actor=actor.user, actor_label=actor.label[:100], actor_unit=unit,
            action="give", changes=encode_changes(changes | {"co_units": [u.pk for u in co_units]}), reason=reason,
        )
    return order
