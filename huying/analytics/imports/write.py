"""Writing built rows in batches: cases, their two events, the external-id
keys and the facts, with COPY on PostgreSQL and multi-row INSERTs on SQLite.
Callers hold one transaction around all batches, so a failure leaves nothing.
"""

import datetime as dt
import json

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from huying.analytics.imports.build import IMPORT_LABEL
from huying.analytics.models import COUNTS, CaseFact, ImportedCase
from huying.cases.models import Case, Counter, Event

CASE_FIELDS = list(Case._meta.concrete_fields)
# Where each column's value comes from in a built row (field names, not attnames).
SOURCES = [f.name for f in CASE_FIELDS]
EVENT_COLUMNS = ["case_id", "seq", "at", "actor_id", "actor_label", "actor_unit_id", "action", "changes", "reason"]
KEY_COLUMNS = ["key", "case_id", "file", "line"]
FACT_COLUMNS = ["case_id", "rev", "day", "unit", "place", "cell", "kind", "channel", "category"] + COUNTS


class Writer:
    def __init__(self, file_label, imported_at=None):
        self.file = file_label[:200]
        self.imported_at = imported_at or timezone.now()
        self.pg = connection.vendor == "postgresql"
        self.days = set()

    def write(self, batch):
        if not batch:
            return
        ids = self.reserve_ids(len(batch))
        numbers = self.numbers(batch)
        cases, events, keys, facts = [], [], [], []
        reason = f"{self.file}"
        for built, cid, number in zip(batch, ids, numbers):
            values = {**built.intake, **built.outcome, "id": cid, "number": number, "version": 2, "stats_dirty": False}
            cases.append([values[name] for name in SOURCES])
            events.append((cid, 1, built.created_at, None, IMPORT_LABEL, None, "intake", dumps(built.intake_event(number)), ""))
            events.append((cid, 2, self.imported_at, None, IMPORT_LABEL, None, "import", dumps(built.import_changes),
                           f"{reason} line {built.line}"))
            keys.append((built.key, cid, self.file, built.line))
            k = built.fact.keys
            facts.append((cid, 1, k.day, k.unit, k.place, k.cell, k.kind, k.channel, k.category, *built.fact.counts))
            self.days.add(k.day)
        self.put(Case._meta.db_table, [f.column for f in CASE_FIELDS], cases, CASE_FIELDS)
        self.put(Event._meta.db_table, EVENT_COLUMNS, events)
        self.put(ImportedCase._meta.db_table, KEY_COLUMNS, keys)
        self.put(CaseFact._meta.db_table, FACT_COLUMNS, facts)

    # --- ids and numbers ------------------------------------------------------

    def reserve_ids(self, n):
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [Case._meta.db_table, n])
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the transaction holds the write lock, so max + 1 is ours.
            cursor.execute(f"SELECT MAX(id) FROM {Case._meta.db_table}")
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [Case._meta.db_table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
            return list(range(top + 1, top + n + 1))

    def numbers(self, batch):
        """YX202103050017 …: the running numbers of each intake day, taken
        from the same counters live intake uses."""
        prefix = settings.CASE_NUMBER_PREFIX
        keys = [f"{prefix}{timezone.localtime(b.created_at):%Y%m%d}" for b in batch]
        need = {}
        for key in keys:
            need[key] = need.get(key, 0) + 1
        start = {}
        for key, n in sorted(need.items()):
            if not Counter.objects.filter(key=key).update(value=F("value") + n):
                Counter.objects.create(key=key, value=n)
            start[key] = Counter.objects.get(key=key).value - n
        out = []
        for key in keys:
            start[key] += 1
            out.append(f"{key}{start[key]:04d}")
        return out

    # --- bytes to the database ------------------------------------------------

    def put(self, table, columns, rows, fields=None):
        if self.pg:
            copy_rows(table, columns, rows)
        else:
            insert_rows(table, columns, rows, fields)


def dumps(changes):
    return json.dumps(changes, ensure_ascii=False, separators=(",", ":"))


def copy_rows(table, columns, rows):
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def insert_rows(table, columns, rows, fields=None):
    ops = connection.ops
    adapters = [adapter_for(f, ops) for f in fields] if fields else None
    if adapters:
        rows = [[a(v) if a else v for a, v in zip(adapters, row)] for row in rows]
    else:
        rows = [[adapt_plain(v, ops) for v in row] for row in rows]
    per = max(1, 900 // len(columns))  # SQLite's limit on parameters per statement
    with connection.cursor() as cursor:
        for i in range(0, len(rows), per):
            chunk = rows[i:i + per]
            marks = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {marks}", [v for row in chunk for v in row])


def adapter_for(field, ops):
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return ops.adapt_datetimefield_value
    if internal == "DateField":
        return ops.adapt_datefield_value
    return None


def adapt_plain(value, ops):
    if isinstance(value, dt.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return ops.adapt_datefield_value(value)
    return value
