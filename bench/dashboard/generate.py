"""A year of cases for the benchmark, written straight into the tables.

Not through the steps (a million histories would take hours): numpy draws
the columns of every case at once, with the shapes of a district hotline
(kinds, channels, a skewed category mix, streets and departments, most old
cases closed and rated, recent ones still open, some late), and the rows go in
with COPY on PostgreSQL and multi-row INSERTs on SQLite. Each case's fact is
derived from the same columns, then the daily summaries are built by the
product's own `rollup()`.
"""

import datetime as dt

import numpy as np
from django.db import connection, transaction

from huying.analytics.imports.write import CASE_FIELDS, FACT_COLUMNS, copy_lines, insert_rows, text
from huying.analytics.models import COUNTS, CaseFact
from huying.analytics.refresh import category_tops, rollup
from huying.cases.models import Case, Category
from huying.org.models import Unit

TODAY = dt.date(2026, 10, 31)
TZ = dt.timezone(dt.timedelta(hours=8))
KINDS = (["consult", "help", "complaint", "report", "suggestion", "praise"], [0.30, 0.15, 0.35, 0.05, 0.10, 0.05])
REPLY_DAYS = {"consult": 2, "help": 10, "complaint": 15, "report": 15, "suggestion": 10, "praise": 5}
CHANNELS = (["phone", "web", "app", "city12345", "patrol", "sensor"], [0.60, 0.15, 0.10, 0.10, 0.03, 0.02])
TEXTS = [
    "小区楼下垃圾堆放多日无人清运，气味难闻，请尽快处理。", "夜间施工噪音扰民，影响休息，希望有关部门查处。",
    "老旧小区加装电梯申请进度咨询，想了解审批需要多长时间。", "人行道上共享单车乱停放，行人通行困难。",
    "路灯损坏多日不亮，夜间出行不安全。", "餐馆油烟直排，居民楼窗户不敢打开。",
    "公司拖欠工资三个月，请劳动部门协助追讨。", "学校周边占道经营，上下学时段交通拥堵。",
    "自来水水压不足，高层住户用水困难。", "小区消防通道被车辆长期占用。",
]
CELLS = 200  # cells per degree, as huying.analytics.facts


def generate(n, seed=6, batch=100_000, log=print):
    rng = np.random.default_rng(seed)
    units = Units()
    categories = np.array(Category.objects.filter(children__isnull=True).order_by("pk").values_list("pk", flat=True))
    tops = category_tops()
    first_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    # Seconds before the end of the year, largest first: ids grow with time, as cases arrive.
    ago = np.sort(rng.uniform(0, 365 * 86400, n))[::-1]
    for start in range(0, n, batch):
        size = min(batch, n - start)
        cols = draw(rng, ago[start:start + size], units, categories)
        ids = np.arange(first_id + start, first_id + start + size)
        with transaction.atomic():
            put(Case._meta.db_table, [f.column for f in CASE_FIELDS], case_rows(ids, cols), CASE_FIELDS)
            put(CaseFact._meta.db_table, FACT_COLUMNS, fact_rows(ids, cols, tops))
        log(f"  {start + size:>9,} cases written")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Case._meta.db_table}', 'id'), %s)", [first_id + n])


class Units:
    def __init__(self):
        self.streets = list(Unit.objects.filter(kind=Unit.STREET).order_by("code").values_list("pk", flat=True))
        self.departments = list(Unit.objects.filter(kind=Unit.DEPARTMENT).order_by("code").values_list("pk", flat=True))
        self.communities = {s: list(Unit.objects.filter(parent_id=s, kind=Unit.COMMUNITY).values_list("pk", flat=True)) for s in self.streets}
        self.centre = Unit.objects.filter(kind=Unit.CENTRE).values_list("pk", flat=True).first()
        # Street centres spread over the district (about 6 km x 5 km).
        grid = np.random.default_rng(1).uniform([23.112, 113.250], [23.160, 113.305], size=(len(self.streets), 2))
        self.centres = dict(zip(self.streets, grid))


def draw(rng, seconds, units, categories):
    c = {}
    n = len(seconds)
    end = dt.datetime.combine(TODAY, dt.time(23, 59), TZ)
    c["created"] = [end - dt.timedelta(seconds=float(s)) for s in seconds]
    c["age_days"] = seconds / 86400
    c["kind"] = rng.choice(KINDS[0], n, p=KINDS[1])
    c["channel"] = rng.choice(CHANNELS[0], n, p=CHANNELS[1])
    weights = 1 / np.arange(1, len(categories) + 1) ** 0.8
    c["category"] = rng.choice(categories, n, p=weights / weights.sum())
    street_w = rng.uniform(0.5, 2, len(units.streets))
    c["street"] = rng.choice(units.streets, n, p=street_w / street_w.sum())
    c["community"] = np.array([rng.choice(units.communities[s]) if units.communities[s] and r < 0.7 else 0
                               for s, r in zip(c["street"], rng.random(n))])
    located = rng.random(n) < 0.7
    centre = np.array([units.centres[s] for s in c["street"]])
    c["lat"] = np.where(located, centre[:, 0] + rng.normal(0, 0.004, n), np.nan)
    c["lng"] = np.where(located, centre[:, 1] + rng.normal(0, 0.004, n), np.nan)
    route = rng.random(n)
    lead = np.where(route < 0.65, c["street"], 0)
    lead = np.where((route >= 0.65) & (route < 0.75) & (c["community"] > 0), c["community"], lead)
    lead = np.where(lead == 0, rng.choice(units.departments, n), lead)
    c["lead"] = lead
    draw_outcome(rng, n, c)
    return c


def draw_outcome(rng, n, c):
    age = c["age_days"]
    reply_days = np.array([REPLY_DAYS[k] for k in c["kind"]])
    fresh = age < reply_days * 1.5  # still being handled, some of them
    stage = rng.random(n)
    # 0 new, 1 dispatched, 2 accepted, 3 replied, 4 closed, 5 merged, 6 review
    status = np.full(n, 4)
    status = np.where(fresh & (stage < 0.03), 0, status)
    status = np.where(fresh & (stage >= 0.03) & (stage < 0.15), 1, status)
    status = np.where(fresh & (stage >= 0.15) & (stage < 0.55), 2, status)
    status = np.where(fresh & (stage >= 0.55) & (stage < 0.75), 3, status)
    other = rng.random(n)
    status = np.where(~fresh & (other < 0.02), 5, status)
    status = np.where(~fresh & (other >= 0.02) & (other < 0.025), 6, status)
    c["status"] = status
    c["dispatch_min"] = rng.exponential(30, n)
    c["accept_late"] = rng.random(n) < 0.05
    c["reply_late"] = rng.random(n) < 0.07
    c["reply_days"] = reply_days
    c["reply_frac"] = rng.uniform(0.1, 0.9, n)
    rated = (status == 4) & (rng.random(n) < 0.9) | (status == 6)
    c["rated"] = rated
    c["resolved"] = rng.random(n) < 0.88
    sat = rng.random(n)
    c["satisfaction"] = np.where(sat < 0.75, "satisfied", np.where(sat < 0.92, "basically", "unsatisfied"))
    c["satisfaction"] = np.where(status == 6, "unsatisfied", c["satisfaction"])
    c["excluded"] = (status == 4) & rated & (rng.random(n) < 0.005)
    c["reopen"] = np.where(rng.random(n) < 0.05, 1, 0) + np.where(status == 6, 2, 0)


STATUS = ["new", "dispatched", "accepted", "replied", "closed", "merged", "review"]


def times(c, i):
    """Dispatch, accept and reply times and deadlines of case i."""
    created = c["created"][i]
    status = c["status"][i]
    if status == 0:
        return {}
    dispatched = created + dt.timedelta(minutes=float(c["dispatch_min"][i]))
    t = {"dispatched_at": dispatched, "accept_due": dispatched + dt.timedelta(days=1),
         "reply_due": dispatched + dt.timedelta(days=int(c["reply_days"][i]) * 1.4)}
    if status in (2, 3, 4, 6):
        t["accepted_at"] = dispatched + dt.timedelta(hours=30 if c["accept_late"][i] else 3)
    if status in (3, 4, 6):
        span = t["reply_due"] - dispatched
        t["replied_at"] = t["reply_due"] + dt.timedelta(days=2) if c["reply_late"][i] else dispatched + span * float(c["reply_frac"][i])
    if status == 4:
        t["closed_at"] = t["replied_at"] + dt.timedelta(days=1)
    return t


def case_rows(ids, c):
    rows = []
    for i, cid in enumerate(ids):
        t = times(c, i)
        status = STATUS[c["status"][i]]
        rated = bool(c["rated"][i])
        lat = None if np.isnan(c["lat"][i]) else float(c["lat"][i])
        values = {
            "id": int(cid), "number": f"B{c['created'][i]:%Y%m%d}{int(cid):09d}", "channel": c["channel"][i], "kind": c["kind"][i],
            "category_id": int(c["category"][i]), "title": TEXTS[cid % len(TEXTS)][:14], "text": TEXTS[cid % len(TEXTS)],
            "citizen_name": "", "citizen_phone": f"138{int(cid) % 100_000_000:08d}", "citizen_user_id": None,
            "address": "", "lat": lat, "lng": None if lat is None else float(c["lng"][i]),
            "street_id": int(c["street"][i]), "community_id": int(c["community"][i]) or None, "grid_id": None,
            "urgency": "normal", "confidential": False, "status": status,
            "lead_unit_id": int(c["lead"][i]) if status != "new" else None, "dispatched_by_id": None,
            "created_at": c["created"][i], "dispatched_at": t.get("dispatched_at"), "accepted_at": t.get("accepted_at"),
            "replied_at": t.get("replied_at"), "closed_at": t.get("closed_at"), "accept_due": t.get("accept_due"),
            "reply_due": t.get("reply_due"), "urge_at": None, "supervise_at": None, "followup_due": None,
            "followup_alerted": False, "urge_count": 0, "supervised": False, "supervise_due": None,
            "reopen_count": int(c["reopen"][i]), "extension_days": None, "extension_reason": "", "extension_count": 0,
            "return_reason": "", "reply_text": "已处理" if t.get("replied_at") else "",
            "resolved": bool(c["resolved"][i]) if rated else None, "satisfaction": c["satisfaction"][i] if rated else "",
            "rating_excluded": bool(c["excluded"][i]), "main_case_id": None, "external_id": "", "version": 1, "stats_dirty": False,
        }
        rows.append([values[f.attname] for f in CASE_FIELDS])
    return rows


def fact_rows(ids, c, tops):
    rows = []
    for i, cid in enumerate(ids):
        t = times(c, i)
        status = STATUS[c["status"][i]]
        merged = status == "merged"
        working = status != "new" and not merged
        acc = working and "accepted_at" in t and t["accepted_at"] <= t["accept_due"]
        first = working and "replied_at" in t and t["replied_at"] <= t["reply_due"]
        replied = working and status in ("replied", "review", "closed")
        has_rating = bool(c["rated"][i])
        excluded = has_rating and bool(c["excluded"][i])
        rated = has_rating and not excluded
        sat = c["satisfaction"][i]
        late = working and (("accepted_at" in t and not acc) or ("replied_at" in t and not first))
        counts = {
            "received": 1, "merged": merged, "dispatched": working, "accepted_on_time": acc, "first_contact_in_time": first,
            "responded": acc and first, "replied": replied, "replied_on_time": replied and first, "overdue": late,
            "rated": rated, "resolved": rated and bool(c["resolved"][i]), "satisfied": rated and sat == "satisfied",
            "basically": rated and sat == "basically", "unsatisfied": rated and sat == "unsatisfied", "excluded": excluded,
            "reopened": c["reopen"][i] > 0, "closed": status == "closed",
        }
        lat = c["lat"][i]
        cell = "" if np.isnan(lat) else f"{int(np.floor(lat * CELLS))}:{int(np.floor(c['lng'][i] * CELLS))}"
        place = int(c["community"][i]) or int(c["street"][i])
        unit = int(c["lead"][i]) if status != "new" else 0
        rows.append((int(cid), 1, c["created"][i].date(), unit, place, cell, c["kind"][i], c["channel"][i],
                     tops[int(c["category"][i])], *(int(bool(counts[k])) for k in COUNTS)))
    return rows


def put(table, columns, rows, fields=None):
    if connection.vendor == "postgresql":
        copy_lines(table, columns, ("\t".join(map(text, row)) + "\n" for row in rows))
    else:
        insert_rows(table, columns, rows, fields)


def summarise():
    """Daily summaries from the facts (the product's rollup), then fresh planner statistics."""
    rollup()
    with connection.cursor() as cursor:
        # VACUUM also sets PostgreSQL's visibility map, as autovacuum would on a live system.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
