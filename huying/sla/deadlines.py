"""Accept and reply deadlines by kind and urgency (Guangdong 12345 practice).

The defaults below are what the brief gives; a deployment changes them in the
`Limit` table. A missing row falls back to these defaults, so computing a
deadline never fails.
"""

import datetime as dt
import time
from decimal import Decimal

from huying.sla import calendar
from huying.sla.models import Limit

ANY_KIND = "*"

# (kind, urgency) -> (accept, accept_unit, reply, reply_unit)
DEFAULTS = {
    ("consult", "normal"): (1, Limit.WORKDAYS, 2, Limit.WORKDAYS),
    ("help", "normal"): (1, Limit.WORKDAYS, 10, Limit.WORKDAYS),
    ("suggestion", "normal"): (1, Limit.WORKDAYS, 10, Limit.WORKDAYS),
    ("complaint", "normal"): (1, Limit.WORKDAYS, 15, Limit.WORKDAYS),
    ("report", "normal"): (1, Limit.WORKDAYS, 15, Limit.WORKDAYS),
    # Praise needs no work from the unit beyond passing it on.
    ("praise", "normal"): (1, Limit.WORKDAYS, 5, Limit.WORKDAYS),
    (ANY_KIND, "urgent"): (24, Limit.HOURS, 24, Limit.HOURS),
    (ANY_KIND, "very_urgent"): (1, Limit.HOURS, 2, Limit.HOURS),
}
FALLBACK = (1, Limit.WORKDAYS, 15, Limit.WORKDAYS)

# After a reply the centre calls the citizen back within this many working days.
FOLLOWUP_WORKDAYS = 1
# A unit may hand a case back only this long after it was dispatched to it.
RETURN_WORKDAYS = 1
# A supervision (督办) gives the unit this long to answer.
SUPERVISE_WORKDAYS = 2


_CACHE_SECONDS = 60
_cache = {"at": 0.0, "rows": None}


def table():
    """The Limit rows by (kind, urgency), read at most once a minute: every
    step asks, and the table changes rarely (a save clears it at once)."""
    now = time.monotonic()
    if _cache["rows"] is None or now - _cache["at"] > _CACHE_SECONDS:
        _cache["rows"] = {(r.kind, r.urgency): (r.accept, r.accept_unit, r.reply, r.reply_unit) for r in Limit.objects.all()}
        _cache["at"] = now
    return _cache["rows"]


def forget():
    _cache["rows"] = None


def limits(kind, urgency):
    rows = table()
    return (
        rows.get((kind, urgency)) or rows.get((ANY_KIND, urgency))
        or DEFAULTS.get((kind, urgency)) or DEFAULTS.get((ANY_KIND, urgency)) or FALLBACK
    )


def after(start, amount, unit):
    if unit == Limit.HOURS:
        return start + dt.timedelta(hours=float(amount))
    return calendar.add_working_days(start, Decimal(amount))


def accept_due(kind, urgency, start):
    accept, accept_unit, _, _ = limits(kind, urgency)
    return after(start, accept, accept_unit)


def reply_due(kind, urgency, start):
    _, _, reply, reply_unit = limits(kind, urgency)
    return after(start, reply, reply_unit)


def extended(due, workdays):
    """The reply deadline moved on by an approved extension."""
    return calendar.add_working_days(due, workdays)


def workdays_after(start, workdays):
    return calendar.add_working_days(start, workdays)


def urge_time(kind, urgency, due, stage="reply"):
    """When a missed deadline is urged: the next working day for limits
    counted in working days; at once for limits counted in hours (urgent).
    `stage` says which limit `due` came from: "accept" or "reply"."""
    _, accept_unit, _, reply_unit = limits(kind, urgency)
    if (accept_unit if stage == "accept" else reply_unit) == Limit.HOURS:
        return due
    return calendar.add_working_days(due, 1)


def install_defaults():
    """Create the default rows a deployment can then edit. Idempotent."""
    for (kind, urgency), (a, au, r, ru) in DEFAULTS.items():
        Limit.objects.get_or_create(
            kind=kind, urgency=urgency, defaults={"accept": a, "accept_unit": au, "reply": r, "reply_unit": ru}
        )
