"""Figures for a period, over the cases a person may see: counts by status
and channel, and per lead unit the three rates (三率) of the brief:

- response rate: cases accepted within their accept deadline ÷ cases sent;
- resolution rate: rated resolved ÷ rated;
- satisfaction rate: satisfied + basically satisfied ÷ rated;
- score: 30 % response + 35 % resolution + 35 % satisfaction.

Ratings a supervisor found unreasonable on review are left out.
"""

from django.db.models import Count, F, Q

from huying.cases.models import OPEN_STATUSES, Satisfaction
from huying.cases.scope import visible_cases
from huying.org.models import Unit

WEIGHTS = (0.30, 0.35, 0.35)


def ratio(part, whole):
    return round(part / whole, 4) if whole else None


def figures(user, start, end, now):
    cases = visible_cases(user).filter(created_at__gte=start, created_at__lt=end)
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).order_by())
    by_channel = dict(cases.values_list("channel").annotate(n=Count("pk")).order_by())
    counted = Q(rating_excluded=False, resolved__isnull=False)
    rows = (
        cases.filter(lead_unit__isnull=False)
        .values("lead_unit")
        .annotate(
            cases=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, reply_due__lt=now)),
            responded=Count("pk", filter=Q(accepted_at__isnull=False, accepted_at__lte=F("accept_due"))),
            rated=Count("pk", filter=counted),
            resolved_n=Count("pk", filter=counted & Q(resolved=True)),
            satisfied=Count("pk", filter=counted & Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        )
        .order_by()
    )
    units = Unit.objects.in_bulk([r["lead_unit"] for r in rows])
    out = [unit_row(units[r["lead_unit"]], r) for r in rows]
    out.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["unit"].code))
    return {"start": start, "end": end, "total": sum(by_status.values()), "by_status": by_status, "by_channel": by_channel, "units": out}


def unit_row(unit, r):
    rates = (ratio(r["responded"], r["cases"]), ratio(r["resolved_n"], r["rated"]), ratio(r["satisfied"], r["rated"]))
    score = None
    if None not in rates:
        score = round(sum(w * v for w, v in zip(WEIGHTS, rates)) * 100, 2)
    return {
        "unit": unit, "cases": r["cases"], "open": r["open"], "overdue": r["overdue"], "rated": r["rated"],
        "response_rate": rates[0], "resolution_rate": rates[1], "satisfaction_rate": rates[2], "score": score,
    }
