"""The dashboard's figures: sums over the daily summaries, within a scope.

Each function reads `DailyStat` rows of one breakdown for the period (a few
thousand rows at most) and returns plain dicts; nothing here scans cases,
except `live`, which reads only the open cases held by units.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Sum

from huying.analytics import periods
from huying.analytics.models import COUNTS, DailyStat
from huying.analytics.rates import with_rates, zero
from huying.analytics.scope import Units
from huying.cases.models import WITH_UNIT, Case
from huying.org.models import Unit
from huying.sla.risk import Risk

SUMS = {name: Sum(name) for name in COUNTS}


def stats(scope, period, dim, *, units=None):
    """DailyStat rows of one breakdown for the period within the scope."""
    qs = DailyStat.objects.filter(dim=dim, day__gte=period.first, day__lte=period.last)
    allowed = scope.unit_ids if units is None else scope.restrict(units)
    if allowed is not None:
        qs = qs.filter(unit__in=sorted(allowed))
    return qs


def summed(rows):
    out = zero()
    for name in COUNTS:
        out[name] = rows.get(name) or 0
    return out


def totals(scope, period, *, units=None):
    """All counts and rates for the period (within `units` if given)."""
    return with_rates(summed(stats(scope, period, DailyStat.UNIT, units=units).aggregate(**SUMS)))


def by_unit(scope, period):
    """{unit id: counts} for every unit with cases in the period."""
    rows = stats(scope, period, DailyStat.UNIT).values("unit").annotate(**SUMS)
    return {row["unit"]: summed(row) for row in rows}


def ranking(scope, period, kind, tree=None):
    """Streets (kind="street") or departments ranked by composite score,
    each with its communities and grids rolled in."""
    tree = tree or Units()
    rolled = defaultdict(zero)
    for uid, counts in by_unit(scope, period).items():
        top = tree.top.get(uid)
        if top is None or tree.kind(top) != kind:
            continue
        add_into(rolled[top], counts)
    rows = [{"unit": uid, "name": tree.name(uid), "full_name": tree.full_name(uid), **with_rates(c)} for uid, c in rolled.items()]
    for uid in tree.of_kind(kind):
        if uid not in rolled and scope.allows(uid) and tree.by_id[uid]["active"]:
            rows.append({"unit": uid, "name": tree.name(uid), "full_name": tree.full_name(uid), **with_rates(zero())})
    rows.sort(key=rank_key)
    for i, row in enumerate(rows, start=1):
        row["rank"] = i if row["score"] is not None else None
    return rows


def rank_key(row):
    """Best score first; units without a score last; ties by more cases, then name."""
    return (row["score"] is None, -(row["score"] or 0), -row["received"], row["name"])


def add_into(target, counts):
    for name in COUNTS:
        target[name] += counts[name]


def trend(scope, period, step=None):
    """[(first day of step, counts with rates)] over the period, no gaps."""
    step = step or period.step()
    rows = stats(scope, period, DailyStat.UNIT).values("day").annotate(**SUMS)
    buckets = defaultdict(zero)
    for row in rows:
        add_into(buckets[periods.bucket(as_date(row["day"]), step)], summed(row))
    out, day = [], periods.bucket(period.first, step)
    while day <= period.last:
        out.append((day, with_rates(buckets.get(day, zero()))))
        day = next_step(day, step)
    return out


def next_step(day, step):
    if step == "month":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day + dt.timedelta(days=7 if step == "week" else 1)


def as_date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def breakdown(scope, period, dim):
    """{key: counts with rates} by kind, category (top level) or channel."""
    assert dim in (DailyStat.KIND, DailyStat.CATEGORY, DailyStat.CHANNEL)
    rows = stats(scope, period, dim).values("key").annotate(**SUMS)
    out = {row["key"]: with_rates(summed(row)) for row in rows}
    return dict(sorted(out.items(), key=lambda kv: -kv[1]["received"]))


def places(scope, period):
    """{place unit id: counts} where cases happened (communities, or streets
    for cases placed no finer)."""
    rows = stats(scope, period, DailyStat.PLACE).values("unit").annotate(**SUMS)
    return {row["unit"]: summed(row) for row in rows}


def cells(scope, period):
    """{(place, cell): cases} for the map grid."""
    rows = stats(scope, period, DailyStat.CELL).values("unit", "key").annotate(n=Sum("received"))
    return {(row["unit"], row["key"]): row["n"] for row in rows}


# --- now, not per period ------------------------------------------------------

# The rule is huying.sla.risk's, the same as the console's clocks.

def overdue_now(now):
    return Risk(now).overdue()


def at_risk_now(now):
    return Risk(now).at_risk()


LIVE = {"overdue_now": overdue_now, "at_risk_now": at_risk_now}


def live(scope, now):
    """{unit id: {"open", "overdue_now", "at_risk_now"}} over cases units hold now."""
    qs = Case.objects.filter(status__in=WITH_UNIT)
    if scope.unit_ids is not None:
        qs = qs.filter(lead_unit_id__in=sorted(scope.unit_ids))
    risk = Risk(now)
    rows = qs.values("lead_unit_id").annotate(
        open=Count("id"), overdue_now=Count("id", filter=risk.overdue()), at_risk_now=Count("id", filter=risk.at_risk())
    )
    return {row["lead_unit_id"]: row for row in rows}


def live_totals(scope, now, units=None):
    out = {"open": 0, "overdue_now": 0, "at_risk_now": 0}
    for uid, row in live(scope, now).items():
        if units is None or uid in units:
            for name in out:
                out[name] += row[name]
    return out


def unit_choices(tree, scope, kinds=(Unit.STREET, Unit.DEPARTMENT)):
    """Units a viewer may pick to narrow the figures to, by name."""
    ids = [uid for uid in tree.by_id if tree.kind(uid) in kinds and scope.allows(uid)]
    return sorted(ids, key=lambda uid: tree.by_id[uid]["path"])
