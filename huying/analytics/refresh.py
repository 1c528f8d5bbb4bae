"""Keeping the facts and daily summaries current as cases change.

Every change to a case sets `Case.stats_dirty` (the ledger does it). The
worker job `refresh_stats` reads a batch of marked cases by their partial
index, recomputes their facts from their events, and for each fact that
changed adds the difference to the daily summaries. It writes a fact only
if nobody did since it read it (`rev`), and clears a case's mark only if the
case has not changed since (`version`), so several workers can run at once,
no change is counted twice and none is lost.

`rebuild` recomputes everything from the events; the summaries it builds
equal what the increments add up to (a test checks).
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Max

from huying.analytics.facts import Keys, fact_of
from huying.analytics.models import COUNTS, CaseFact, DailyStat
from huying.cases.models import Case, Category, Event

BATCH = 500
STAT_TABLE = DailyStat._meta.db_table
FACT_TABLE = CaseFact._meta.db_table
KEY_COLUMNS = ["dim", "day", "unit", "key"]


def refresh_stats(now=None):
    """Worker job: bring the figures up to date with changed cases."""
    ids = list(Case.objects.filter(stats_dirty=True).order_by("id").values_list("id", flat=True)[:BATCH])
    if not ids:
        return 0
    versions = update_facts(ids)
    done = 0
    with transaction.atomic():
        for case_id in ids:
            if case_id in versions:
                done += Case.objects.filter(pk=case_id, version=versions[case_id], stats_dirty=True).update(stats_dirty=False)
    return done


def update_facts(ids):
    """Recompute the facts of these cases and of their duplicates; return
    {case id: the version its fact now reflects} for those written or unchanged."""
    ids = set(ids) | set(Case.objects.filter(main_case_id__in=ids).values_list("id", flat=True))
    events = events_by_case(ids)
    leads = main_leads(events)
    tops = category_tops()
    old = {f.case_id: f for f in CaseFact.objects.filter(case_id__in=ids)}
    versions, deltas = {}, defaultdict(lambda: [0] * len(COUNTS))
    with transaction.atomic():
        for case_id in sorted(ids):
            if not events.get(case_id):
                continue
            new = fact_of(events[case_id], category_top=tops.get, main_lead=leads.get)
            if write_fact(case_id, old.get(case_id), new):
                add(deltas, old.get(case_id), -1)
                add(deltas, new, +1)
                versions[case_id] = max(e.seq for e in events[case_id])
            elif not differs(old.get(case_id), new):
                versions[case_id] = max(e.seq for e in events[case_id])
        apply_deltas(deltas)
    return versions


def events_by_case(ids):
    grouped = defaultdict(list)
    rows = Event.objects.filter(case_id__in=ids).only("case_id", "seq", "at", "action", "changes", "actor_id")
    for event in rows:
        grouped[event.case_id].append(event)
    return grouped


def main_leads(events):
    """Lead unit of every main case the given cases were merged into."""
    mains = set()
    for case_events in events.values():
        for e in case_events:
            if e.changes.get("main_case"):
                mains.add(e.changes["main_case"])
    return dict(Case.objects.filter(pk__in=mains).values_list("id", "lead_unit_id"))


def category_tops():
    parents = dict(Category.objects.values_list("id", "parent_id"))
    tops = {}
    for cid in parents:
        node = cid
        while parents.get(node):
            node = parents[node]
        tops[cid] = node
    return tops


def differs(old, new):
    if old is None:
        return True
    fields = new.as_fields()
    return any(getattr(old, name) != value for name, value in fields.items())


def write_fact(case_id, old, new):
    """Insert or conditionally replace the fact; False when unchanged or
    when another worker got there first."""
    if not differs(old, new):
        return False
    if old is None:
        with transaction.atomic():  # a savepoint: a lost insert race leaves the batch intact
            _, created = CaseFact.objects.get_or_create(case_id=case_id, defaults=new.as_fields())
        return created
    return bool(CaseFact.objects.filter(case_id=case_id, rev=old.rev).update(rev=old.rev + 1, **new.as_fields()))


def stat_keys(keys):
    """The summary rows a fact with these keys adds to."""
    day, unit, place = keys.day, keys.unit, keys.place
    rows = [
        (DailyStat.UNIT, day, unit, ""),
        (DailyStat.KIND, day, unit, keys.kind),
        (DailyStat.CATEGORY, day, unit, str(keys.category)),
        (DailyStat.CHANNEL, day, unit, keys.channel),
        (DailyStat.PLACE, day, place, ""),
    ]
    if keys.cell:
        rows.append((DailyStat.CELL, day, place, keys.cell))
    return rows


def add(deltas, fact, sign):
    if fact is None:
        return
    if isinstance(fact, CaseFact):
        keys, values = fact_keys(fact), [getattr(fact, name) for name in COUNTS]
    else:
        keys, values = fact.keys, fact.counts
    for key in stat_keys(keys):
        row = deltas[key]
        for i, value in enumerate(values):
            row[i] += sign * value


def fact_keys(row):
    return Keys(day=row.day, unit=row.unit, place=row.place, cell=row.cell, kind=row.kind, channel=row.channel, category=row.category)


def apply_deltas(deltas):
    """Add the differences to the summaries; keys in a fixed order so two
    workers lock rows in the same order and never deadlock."""
    day = connection.ops.adapt_datefield_value
    rows = [(dim, day(d), unit, key, *values) for (dim, d, unit, key), values in sorted(deltas.items()) if any(values)]
    if not rows:
        return
    columns = KEY_COLUMNS + COUNTS
    updates = ", ".join(f"{c} = {STAT_TABLE}.{c} + excluded.{c}" for c in COUNTS)
    sql = (
        f"INSERT INTO {STAT_TABLE} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    days = sorted({row[1] for row in rows})
    DailyStat.objects.filter(day__in=days, received=0).delete()


# --- from scratch -------------------------------------------------------------

def rebuild(batch=2000, progress=None):
    """Recompute every fact from the events, then every summary from the facts."""
    last = 0
    tops = category_tops()
    while True:
        ids = list(Case.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        events = events_by_case(ids)
        leads = main_leads(events)
        facts = []
        for case_id in ids:
            fact = fact_of(events[case_id], category_top=tops.get, main_lead=leads.get)
            facts.append(CaseFact(case_id=case_id, **fact.as_fields()))
        versions = Case.objects.filter(pk__in=ids).annotate(seen=Max("events__seq")).values_list("pk", "seen")
        with transaction.atomic():
            CaseFact.objects.filter(case_id__in=ids).delete()
            CaseFact.objects.bulk_create(facts)
            for case_id, seen in versions:
                Case.objects.filter(pk=case_id, version=seen).update(stats_dirty=False)
        last = ids[-1]
        if progress:
            progress(len(ids))
    rollup()


ROLLUPS = {
    DailyStat.UNIT: ("unit", "''", ""),
    DailyStat.KIND: ("unit", "kind", "kind"),
    DailyStat.CATEGORY: ("unit", "CAST(category AS TEXT)", "category"),
    DailyStat.CHANNEL: ("unit", "channel", "channel"),
    DailyStat.PLACE: ("place", "''", ""),
    DailyStat.CELL: ("place", "cell", "cell"),
}


def rollup(first=None, last=None):
    """Rebuild the summaries of days first..last (all days if None) from the facts."""
    where, params = "", []
    if first is not None:
        where, params = "WHERE day >= %s AND day <= %s", [first, last]
    sums = ", ".join(f"SUM({c})" for c in COUNTS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Workers adding increments wait until the new sums are in.
            cursor.execute(f"LOCK TABLE {STAT_TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {STAT_TABLE} {where}", params)
        for dim, (unit, key, group) in ROLLUPS.items():
            cond = where + (" AND " if where else "WHERE ") + "cell <> ''" if dim == DailyStat.CELL else where
            group_by = ", ".join(["day", unit] + ([group] if group else []))
            cursor.execute(
                f"INSERT INTO {STAT_TABLE} ({', '.join(KEY_COLUMNS + COUNTS)}) "
                f"SELECT '{dim}', day, {unit}, {key}, {sums} FROM {FACT_TABLE} {cond} GROUP BY {group_by}",
                params,
            )
