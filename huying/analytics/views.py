"""The data centre's pages: figures, map, hotspots, the cases behind any
figure, and the monthly report download. Every number links to its cases."""

import datetime as dt
import json
from functools import cached_property
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from huying.analytics import facts, figures, periods, report
from huying.analytics.behind import METRICS, cases_behind
from huying.analytics.models import DailyStat, Hotspot
from huying.analytics.rates import weights, with_rates, zero
from huying.analytics.scope import Scope, Units
from huying.cases.models import Category, Channel, Kind
from huying.org.models import Unit

BOUNDARY = Path(__file__).resolve().parents[1] / "org" / "deployments"
PAGE = 50


class View:
    """What every data centre page needs: who looks, at which period and unit."""

    def __init__(self, request):
        if not request.user.is_authenticated:
            raise PermissionDenied
        self.request = request
        self.scope = Scope.of(request.user)
        if self.scope.empty:
            raise PermissionDenied(_("The data centre is for the district's units."))
        self.tree = Units()
        self.now = timezone.now()
        try:
            self.period = periods.parse(request.GET["period"]) if request.GET.get("period") else periods.this_month()
        except ValueError as error:
            self.period, self.error = periods.this_month(), str(error)
        else:
            self.error = ""
        self.unit = self.pick_unit(request.GET.get("unit"))

    def pick_unit(self, value):
        if not value:
            return None
        try:
            unit = int(value)
        except ValueError:
            raise Http404 from None
        if unit not in self.tree.by_id or not self.scope.allows(unit):
            raise Http404
        return unit

    @cached_property
    def units(self):
        """Unit ids the figures are narrowed to (None: the whole scope)."""
        return self.tree.subtree(self.unit) if self.unit else None

    def link(self, metric, period=None, **extra):
        period = period or self.period
        params = {"metric": metric, "period": period.text}
        if self.unit and "unit" not in extra and "place" not in extra:
            params["unit"] = self.unit
        params.update({k: v for k, v in extra.items() if v is not None})
        return reverse("analytics:cases") + "?" + urlencode(params)

    def context(self, **more):
        choices = [(uid, self.tree.name(uid), self.tree.kind(uid)) for uid in figures.unit_choices(self.tree, self.scope)]
        return {
            "period": self.period, "period_error": self.error, "unit": self.unit, "unit_name": self.tree.name(self.unit) if self.unit else "",
            "unit_choices": choices, "presets": presets(), "query": urlencode(self.query()), **more,
        }

    def query(self):
        q = {"period": self.period.text}
        if self.unit:
            q["unit"] = self.unit
        return q


def presets():
    today = timezone.localdate()
    last_month_day = today.replace(day=1) - dt.timedelta(days=1)
    return [
        (_("Today"), today.isoformat()),
        (_("This week"), f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"),
        (_("This month"), f"{today:%Y-%m}"),
        (_("Last month"), f"{last_month_day:%Y-%m}"),
        (_("Last 30 days"), periods.last_days(30, today).text),
        (_("This year"), f"{today.year}-01-01..{today.isoformat()}"),
    ]


# --- the figures --------------------------------------------------------------

def overview(request):
    v = View(request)
    total = figures.totals(v.scope, v.period, units=v.units)
    live = figures.live_totals(v.scope, v.now, units=v.units)
    trend = figures.trend(v.scope if not v.units else Scope(frozenset(v.scope.restrict(v.units))), v.period)
    narrowed = v.scope if not v.units else Scope(frozenset(v.scope.restrict(v.units)))
    if v.unit:
        rankings = [(v.tree.name(v.unit), [with_links(v, row) for row in children_rows(v)])]
    else:
        rankings = [(label, [with_links(v, row) for row in figures.ranking(v.scope, v.period, kind, v.tree)])
                    for kind, label in ((Unit.STREET, _("Streets")), (Unit.DEPARTMENT, _("Departments")))]
    charts = {
        "trend": trend_chart(v, trend),
        "categories": breakdown_chart(v, narrowed, DailyStat.CATEGORY),
        "channels": breakdown_chart(v, narrowed, DailyStat.CHANNEL),
        "kinds": breakdown_chart(v, narrowed, DailyStat.KIND),
    }
    w = weights()
    cards = [
        (_("Cases in"), total["received"], v.link("received"), None),
        (_("Dispatched"), total["dispatched"], v.link("dispatched"), None),
        (_("Accepted on time"), total["accepted_on_time"], v.link("accepted_on_time"), None),
        (_("Replied on time"), total["replied_on_time"], v.link("replied_on_time"), None),
        (_("Overdue"), total["overdue"], v.link("overdue"), "warn"),
        (_("Overdue now"), live["overdue_now"], v.link("overdue_now"), "bad"),
        (_("At risk now"), live["at_risk_now"], v.link("at_risk_now"), "warn"),
        (_("Reopened"), total["reopened"], v.link("reopened"), None),
    ]
    rates = [
        (_("Response rate"), total["response"], v.link("responded"), v.link("dispatched"), _("of %(n)s dispatched") % {"n": total["dispatched"]}),
        (_("Resolution rate"), total["resolution"], v.link("resolved"), v.link("rated"), _("of %(n)s rated") % {"n": total["rated"]}),
        (_("Satisfaction rate"), total["satisfaction"], v.link("satisfied"), v.link("rated"), _("of %(n)s rated") % {"n": total["rated"]}),
    ]
    return render(request, "analytics/overview.html", v.context(
        total=total, cards=cards, rates=rates, score=total["score"], weights=[f"{x:g}" for x in w], rankings=rankings, charts=charts,
        report_month=report_month(v.period), section="overview",
    ))


def children_rows(v):
    """The chosen unit's own cases, then each unit below it (its subtree rolled in)."""
    per_unit = figures.by_unit(v.scope, v.period)
    rows = [{"unit": v.unit, "name": v.tree.name(v.unit), "own": True, **with_rates(per_unit.get(v.unit, zero()))}]
    for child in sorted(v.tree.children.get(v.unit, []), key=lambda u: v.tree.by_id[u]["path"]):
        counts = zero()
        for uid in v.tree.subtree(child):
            if uid in per_unit:
                figures.add_into(counts, per_unit[uid])
        rows.append({"unit": child, "name": v.tree.name(child), **with_rates(counts)})
    rows[1:] = sorted(rows[1:], key=figures.rank_key)
    return rows


def with_links(v, row):
    uid = row["unit"]
    out = dict(row)
    out["links"] = {m: v.link(m, unit=uid) for m in ("received", "dispatched", "responded", "rated", "resolved", "satisfied", "overdue")}
    out["page"] = reverse("analytics:overview") + "?" + urlencode({"period": v.period.text, "unit": uid})
    return out


def trend_chart(v, trend):
    step = v.period.step()
    points = []
    for first, counts in trend:
        last = min(figures.next_step(first, step) - dt.timedelta(days=1), v.period.last)
        span = periods.Period(max(first, v.period.first), last, "")
        points.append({
            "label": first.isoformat() if step == "day" else (f"{first:%Y-%m}" if step == "month" else f"{first.isoformat()}"),
            "received": counts["received"], "response": pct(counts["response"]), "resolution": pct(counts["resolution"]),
            "satisfaction": pct(counts["satisfaction"]), "url": v.link("received", period=span),
        })
    return {"step": step, "points": points, "names": {
        "received": _("Cases in"), "response": _("Response rate"), "resolution": _("Resolution rate"), "satisfaction": _("Satisfaction rate"),
    }}


def breakdown_chart(v, scope, dim):
    rows = figures.breakdown(scope, v.period, dim)
    names = labels(dim, rows.keys())
    return {"items": [{"name": str(names.get(key, key or "—")), "value": counts["received"],
                       "url": v.link("received", dim=dim, key=key)} for key, counts in rows.items()][:15]}


def labels(dim, keys):
    if dim == DailyStat.KIND:
        return dict(Kind.choices)
    if dim == DailyStat.CHANNEL:
        return dict(Channel.choices)
    ids = [int(k) for k in keys if k and k.isdigit()]
    out = {str(pk): name for pk, name in Category.objects.filter(pk__in=ids).values_list("pk", "name")}
    out["0"] = _("No category")
    return out


def pct(value):
    return None if value is None else round(100 * value, 1)


def report_month(period):
    return f"{period.first:%Y-%m}"


# --- the map ------------------------------------------------------------------

def map_page(request):
    v = View(request)
    narrowed = v.scope if not v.units else Scope(frozenset(v.scope.restrict(v.units)))
    data = map_data(v, narrowed)
    return render(request, "analytics/map.html", v.context(map=data, tiles=getattr(settings, "MAP_TILES_URL", ""), section="map"))


def map_data(v, scope):
    """Cells with their counts; communities and streets as circles at the
    centre of their cases' map points (no public street polygons exist)."""
    places = figures.places(scope, v.period)
    cells = figures.cells(scope, v.period)
    centre = {}
    for (place, cell), n in cells.items():
        lat, lng = facts.cell_centre(cell)
        for uid in (place, v.tree.top.get(place)):
            if uid:
                c = centre.setdefault(uid, [0.0, 0.0, 0])
                c[0] += lat * n
                c[1] += lng * n
                c[2] += n
    street_counts = {}
    for place, counts in places.items():
        top = v.tree.top.get(place)
        if top:
            street_counts[top] = street_counts.get(top, 0) + counts["received"]
    circles = []
    for uid, count in list(street_counts.items()) + [(p, c["received"]) for p, c in places.items() if v.tree.kind(p) == Unit.COMMUNITY]:
        if uid in centre and centre[uid][2]:
            lat, lng, n = centre[uid]
            circles.append({"name": v.tree.name(uid), "kind": v.tree.kind(uid), "lat": round(lat / n, 5), "lng": round(lng / n, 5),
                            "count": count, "url": v.link("received", place=uid)})
    grid = {}
    for (place, cell), n in cells.items():
        grid[cell] = grid.get(cell, 0) + n
    size = 1 / facts.CELLS_PER_DEGREE
    squares = []
    for cell, n in grid.items():
        lat, lng = facts.cell_centre(cell)
        south_west = [round(lat - size / 2, 5), round(lng - size / 2, 5)]
        north_east = [round(lat + size / 2, 5), round(lng + size / 2, 5)]
        squares.append({"bounds": [south_west, north_east], "count": n})
    unplaced = sum(c["received"] for p, c in places.items() if p == 0)
    table = sorted(({"name": v.tree.name(uid), "count": n, "url": v.link("received", place=uid)} for uid, n in street_counts.items()),
                   key=lambda r: -r["count"])
    return {"boundary": boundary(), "circles": circles, "cells": squares, "unplaced": unplaced, "streets": table,
            "labels": {"cases": _("cases"), "street": _("Street"), "community": _("Community")}}


def boundary():
    path = BOUNDARY / settings.DEPLOYMENT / "boundary.geojson"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --- hotspots -----------------------------------------------------------------

def hotspots(request):
    v = View(request)
    spots = Hotspot.objects.all()
    if not v.scope.everything:
        spots = spots.filter(street__in=sorted(v.scope.unit_ids))
    spots = list(spots.order_by("rank")[:50])
    return render(request, "analytics/hotspots.html", v.context(
        spots=spots, computed_at=spots[0].computed_at if spots else None, section="hotspots",
        can_order=may_start_order(request.user),
    ))


def may_start_order(user):
    """A hotspot can start an order (huying/orders) for those the orders app allows."""
    try:
        from huying.orders.rules import may_start_from_hotspot

        reverse("orders:from_hotspot")
    except Exception:  # an install without the orders app: no button
        return False
    return may_start_from_hotspot(user)


def hotspot_cases(request, pk):
    v = View(request)
    try:
        spot = Hotspot.objects.get(pk=pk)
    except Hotspot.DoesNotExist:
        raise Http404 from None
    if not v.scope.everything and spot.street not in v.scope.unit_ids:
        raise Http404
    from huying.cases.scope import visible_cases

    cases = visible_cases(request.user, spot.cases.all()).select_related("lead_unit", "street").order_by("-created_at")
    return render(request, "analytics/cases.html", v.context(
        title=spot.title, subtitle=f"{spot.place} · {spot.first_at:%Y-%m-%d} – {spot.last_at:%Y-%m-%d}",
        page=Paginator(cases, PAGE).get_page(request.GET.get("page")), section="hotspots",
    ))


# --- the cases behind a figure -----------------------------------------------

METRIC_NAMES = {
    "received": _lazy("Cases in"), "merged": _lazy("Merged"), "dispatched": _lazy("Dispatched"),
    "accepted_on_time": _lazy("Accepted on time"), "first_contact_in_time": _lazy("First contact in time"),
    "responded": _lazy("Responded"), "replied": _lazy("Replied"), "replied_on_time": _lazy("Replied on time"),
    "overdue": _lazy("Overdue"), "rated": _lazy("Rated"), "resolved": _lazy("Resolved"), "satisfied": _lazy("Satisfied"),
    "basically": _lazy("Basically satisfied"), "unsatisfied": _lazy("Unsatisfied"),
    "excluded": _lazy("Disputed ratings excluded"), "reopened": _lazy("Reopened"), "closed": _lazy("Closed"),
    "overdue_now": _lazy("Overdue now"), "at_risk_now": _lazy("At risk now"),
}


def cases(request):
    v = View(request)
    metric = request.GET.get("metric", "received")
    if metric not in METRICS:
        raise Http404
    dim, key = request.GET.get("dim"), request.GET.get("key")
    if dim not in (None, DailyStat.KIND, DailyStat.CHANNEL, DailyStat.CATEGORY) or (dim and key is None):
        raise Http404
    if dim == DailyStat.CATEGORY and not (key or "").isdigit():
        raise Http404
    place = v.pick_unit(request.GET.get("place"))
    qs = cases_behind(request.user, v.scope, metric, v.period, unit=v.unit, place=place, dim=dim, key=key, now=v.now, tree=v.tree)
    qs = qs.select_related("lead_unit", "street", "community")
    parts = [METRIC_NAMES[metric]]
    if metric not in ("overdue_now", "at_risk_now"):
        parts.append(v.period.label or v.period.text)
    if v.unit:
        parts.append(v.tree.name(v.unit))
    if place:
        parts.append(v.tree.name(place))
    if dim:
        parts.append(labels(dim, [key]).get(key, key))
    return render(request, "analytics/cases.html", v.context(
        title=" · ".join(str(p) for p in parts), page=Paginator(qs, PAGE).get_page(request.GET.get("page")),
        section="overview", metric=metric,
    ))


# --- the monthly report -------------------------------------------------------

def report_download(request):
    v = View(request)
    month = request.GET.get("month") or report_month(v.period)
    try:
        period = periods.parse(month)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(report.build(v.scope, period), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{report.filename(period)}"'
    return response
