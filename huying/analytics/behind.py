"""The cases behind a figure: every number on the data centre's pages links
here, and the list is exactly the cases the number counts (less any case the
viewer may not open, see huying.cases.scope)."""

from huying.analytics.figures import LIVE
from huying.analytics.models import COUNTS, DailyStat
from huying.cases.models import WITH_UNIT, Case
from huying.cases.scope import visible_cases

METRICS = COUNTS + list(LIVE)


def cases_behind(user, scope, metric, period=None, *, unit=None, place=None, dim=None, key=None, now=None, tree=None):
    """Cases counted by `metric` in `period` for `unit` (and its subtree),
    optionally narrowed by a breakdown (`dim`, `key`) or a `place`."""
    if metric not in METRICS:
        raise ValueError(f"unknown figure: {metric}")
    if metric in LIVE:
        qs = Case.objects.filter(status__in=WITH_UNIT).filter(LIVE[metric](now))
        units = units_of(scope, unit, tree)
        if units is not None:
            qs = qs.filter(lead_unit_id__in=sorted(units))
    else:
        qs = Case.objects.filter(fact__day__gte=period.first, fact__day__lte=period.last, **{f"fact__{metric}": 1})
        units = units_of(scope, unit, tree)
        if place is not None:
            places = scope.restrict(tree.subtree(place)) if tree else {place}
            qs = qs.filter(fact__place__in=sorted(places))
        elif units is not None:
            qs = qs.filter(fact__unit__in=sorted(units))
        if dim == DailyStat.KIND:
            qs = qs.filter(fact__kind=key)
        elif dim == DailyStat.CHANNEL:
            qs = qs.filter(fact__channel=key)
        elif dim == DailyStat.CATEGORY:
            qs = qs.filter(fact__category=int(key))
    return visible_cases(user, qs).order_by("-created_at", "-id")


def units_of(scope, unit, tree):
    """Unit ids to match: the unit's subtree within the scope, or the scope."""
    if unit is None:
        return scope.unit_ids
    if unit == 0:  # not dispatched yet: only those who see everything
        return {0} if scope.everything else set()
    return scope.restrict(tree.subtree(unit)) if tree else scope.restrict({unit})
