"""Every query the data centre's pages make, and beside each the same figure
computed the plain way: one GROUP BY over the cases table.

Each entry: name -> (product(i), baseline(i)); `i` varies the month, street or
unit between repetitions so no answer is served from a cache of one value.
"""

import datetime as dt

from django.db import connection

from huying.analytics import figures
from huying.analytics.behind import cases_behind
from huying.analytics.models import DailyStat
from huying.analytics.periods import parse
from huying.analytics.scope import Scope, Units
from huying.cases.models import Case
from huying.org.models import Unit

from .generate import TODAY

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime.combine(TODAY, dt.time(23, 59), TZ)


class Context:
    def __init__(self, leader):
        self.leader = leader
        self.scope = Scope(None)
        self.tree = Units()
        self.streets = sorted(self.tree.of_kind(Unit.STREET))
        self.months = []
        day = TODAY.replace(day=1)
        for _ in range(12):
            self.months.append(parse(f"{day:%Y-%m}"))
            day = (day - dt.timedelta(days=1)).replace(day=1)
        self.year = parse(f"{self.months[-1].first}..{self.months[0].last}")

    def month(self, i):
        return self.months[i % len(self.months)]

    def street(self, i):
        return self.streets[i % len(self.streets)]

    def street_scope(self, i):
        return Scope(frozenset(self.tree.subtree(self.street(i))))


def span(period):
    start = dt.datetime.combine(period.first, dt.time(0), TZ)
    end = dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time(0), TZ)
    return start, end


def plain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


T = Case._meta.db_table
COUNTS_SQL = (
    "COUNT(*), SUM(CASE WHEN accepted_at <= accept_due THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN replied_at <= reply_due THEN 1 ELSE 0 END), SUM(CASE WHEN resolved IS NOT NULL AND NOT rating_excluded THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN resolved AND NOT rating_excluded THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN satisfaction IN ('satisfied', 'basically') AND NOT rating_excluded THEN 1 ELSE 0 END)"
)


def day_expr():
    if connection.vendor == "postgresql":
        return "(created_at AT TIME ZONE 'Asia/Shanghai')::date"
    return "date(created_at, '+8 hours')"


def month_expr():
    if connection.vendor == "postgresql":
        return "date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai')"
    return "strftime('%Y-%m', created_at, '+8 hours')"


def queries(ctx):
    s = ctx.scope
    q = {}
    q["totals, district, month"] = (
        lambda i: figures.totals(s, ctx.month(i)),
        lambda i: plain(f"SELECT {COUNTS_SQL} FROM {T} WHERE created_at >= %s AND created_at < %s", span(ctx.month(i))),
    )
    q["totals, district, 12 months"] = (
        lambda i: figures.totals(s, ctx.year),
        lambda i: plain(f"SELECT {COUNTS_SQL} FROM {T} WHERE created_at >= %s AND created_at < %s", span(ctx.year)),
    )
    q["totals, one street, month"] = (
        lambda i: figures.totals(ctx.street_scope(i), ctx.month(i)),
        lambda i: plain(f"SELECT {COUNTS_SQL} FROM {T} WHERE created_at >= %s AND created_at < %s AND lead_unit_id IN "
                        f"({','.join(str(u) for u in ctx.tree.subtree(ctx.street(i)))})", span(ctx.month(i))),
    )
    ranking_sql = f"SELECT lead_unit_id, {COUNTS_SQL} FROM {T} WHERE created_at >= %s AND created_at < %s GROUP BY lead_unit_id"
    q["ranking of streets, month"] = (
        lambda i: figures.ranking(s, ctx.month(i), Unit.STREET, ctx.tree),
        lambda i: plain(ranking_sql, span(ctx.month(i))),
    )
    q["ranking of departments, month"] = (
        lambda i: figures.ranking(s, ctx.month(i), Unit.DEPARTMENT, ctx.tree),
        lambda i: plain(ranking_sql, span(ctx.month(i))),
    )
    q["trend by day, month"] = (
        lambda i: figures.trend(s, ctx.month(i)),
        lambda i: plain(f"SELECT {day_expr()} AS d, {COUNTS_SQL} FROM {T} WHERE created_at >= %s AND created_at < %s GROUP BY d", span(ctx.month(i))),
    )
    q["trend by month, 12 months"] = (
        lambda i: figures.trend(s, ctx.year),
        lambda i: plain(f"SELECT {month_expr()} AS m, {COUNTS_SQL} FROM {T} WHERE created_at >= %s AND created_at < %s GROUP BY m", span(ctx.year)),
    )
    for dim, column in ((DailyStat.KIND, "kind"), (DailyStat.CHANNEL, "channel"), (DailyStat.CATEGORY, "category_id")):
        q[f"by {dim}, month"] = (
            lambda i, dim=dim: figures.breakdown(s, ctx.month(i), dim),
            lambda i, column=column: plain(f"SELECT {column}, {COUNTS_SQL} FROM {T} WHERE created_at >= %s AND created_at < %s GROUP BY {column}",
                                           span(ctx.month(i))),
        )
    q["map: places, month"] = (
        lambda i: figures.places(s, ctx.month(i)),
        lambda i: plain(f"SELECT COALESCE(community_id, street_id), COUNT(*) FROM {T} WHERE created_at >= %s AND created_at < %s "
                        f"GROUP BY COALESCE(community_id, street_id)", span(ctx.month(i))),
    )
    q["map: grid cells, month"] = (
        lambda i: figures.cells(s, ctx.month(i)),
        lambda i: plain(f"SELECT COALESCE(community_id, street_id), CAST(lat * 200 AS INTEGER), CAST(lng * 200 AS INTEGER), COUNT(*) "
                        f"FROM {T} WHERE created_at >= %s AND created_at < %s AND lat IS NOT NULL GROUP BY 1, 2, 3", span(ctx.month(i))),
    )
    live_sql = (f"SELECT lead_unit_id, COUNT(*), SUM(CASE WHEN (status = 'dispatched' AND accept_due < %s) OR "
                f"(status IN ('accepted', 'return_requested') AND reply_due < %s) THEN 1 ELSE 0 END) FROM {T} "
                f"WHERE status IN ('dispatched', 'accepted', 'return_requested') GROUP BY lead_unit_id")
    q["overdue and at risk now"] = (
        lambda i: figures.live(s, NOW),
        lambda i: plain(live_sql, [NOW, NOW]),  # the product's query is this one: it reads open cases only
    )
    q["cases behind a figure (first 50 + count)"] = (
        lambda i: behind(ctx, i),
        lambda i: plain(f"SELECT id, number, title FROM {T} WHERE created_at >= %s AND created_at < %s AND lead_unit_id IN "
                        f"({','.join(str(u) for u in ctx.tree.subtree(ctx.street(i)))}) AND accepted_at > accept_due "
                        f"ORDER BY created_at DESC LIMIT 50", span(ctx.month(i))),
    )
    return q


def behind(ctx, i):
    qs = cases_behind(ctx.leader, ctx.scope, "overdue", ctx.month(i), unit=ctx.street(i), tree=ctx.tree)
    return list(qs.values_list("id", "number", "title")[:50]), qs.count()
