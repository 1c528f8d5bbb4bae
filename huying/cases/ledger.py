"""The only way a case changes: apply changes and append the event, together.

`record` updates the case row with `WHERE version = <the version the caller
read>`; if someone else got there first the update touches no row and the
step is refused with `Conflict`, leaving nothing behind. The event's `seq`
is the new version, so the history has no gaps and no duplicates.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from huying.cases.errors import Conflict
from huying.cases.models import Case, Event

# Fields that are the case's state: everything but the key, the lock and the
# data centre's change marker (which no event records).
STATE_FIELDS = [f for f in Case._meta.concrete_fields if f.name not in ("id", "version", "stats_dirty")]
FIELD_BY_NAME = {f.name: f for f in STATE_FIELDS}


def encode(value):
    """Turn a field value into what the event's JSON keeps."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, dt.datetime):
        # One zone for all, so a value read back from the database encodes
        # exactly like the value that was written.
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def encode_changes(changes):
    out = {}
    for name, value in changes.items():
        if name == "co_units":
            out[name] = sorted(encode(u) for u in value)
        else:
            out[name] = encode(value)
    return out


def set_fields(case, changes):
    """Set the given fields on the instance (co_units handled by the caller)."""
    for name, value in changes.items():
        if name == "co_units":
            continue
        field = FIELD_BY_NAME[name]
        if field.is_relation and not isinstance(value, Model):
            setattr(case, field.attname, value)
        else:
            setattr(case, name, value)


def record(case, actor, action, changes, *, now, reason="", unit=None):
    """Apply `changes` to `case` and append one event; all or nothing."""
    with transaction.atomic():
        values = {}
        for name, value in changes.items():
            if name == "co_units":
                continue
            field = FIELD_BY_NAME[name]
            values[field.attname] = value.pk if isinstance(value, Model) else value
        seen = case.version
        updated = Case.objects.filter(pk=case.pk, version=seen).update(version=seen + 1, stats_dirty=True, **values)
        if not updated:
            raise Conflict(_("Someone else changed case %(number)s a moment ago. Reload it and try again.") % {"number": case.number})
        if "co_units" in changes:
            case.co_units.set(changes["co_units"])
        event = Event.objects.create(
            case=case,
            seq=seen + 1,
            at=now,
            actor=actor.user,
            actor_label=actor.label[:100],
            actor_unit=unit,
            action=action,
            changes=encode_changes(changes),
            reason=reason,
        )
    set_fields(case, changes)
    case.version = seen + 1
    return event


def create(fields, actor, *, now, unit=None, reason=""):
    """Insert a new case with its first event (the intake). Both or neither;
    no savepoint, as the caller's transaction fails with them."""
    with transaction.atomic(savepoint=False):
        case = Case.objects.create(version=1, **fields)
        changes = {f.name: getattr(case, f.attname) for f in STATE_FIELDS}
        event = Event.objects.create(
            case=case, seq=1, at=now, actor=actor.user, actor_label=actor.label[:100],
            actor_unit=unit, action="intake", changes=encode_changes(changes) | {"co_units": []}, reason=reason,
        )
    return case, event
