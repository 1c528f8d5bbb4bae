"""Writing built rows in batches: cases, their two events, the external-id
keys and the facts. On PostgreSQL each table's rows go as COPY text,
formatted here without per-value adaptation and sent in chunks as they are
formatted; elsewhere (SQLite) as multi-row INSERTs of the same values. Callers hold one transaction around all
batches, so a failure leaves nothing.
"""

import datetime as dt
from itertools import islice

from django.conf import settings
from django.db import connection
from django.utils import timezone

from huying.analytics.imports.build import DEFAULTS, IMPORT_LABEL, JSON, OUTCOME, VARYING
from huying.analytics.models import COUNTS, CaseFact, ImportedCase
from huying.cases.models import Case, Counter, Event

CASE_FIELDS = list(Case._meta.concrete_fields)
# Where each column's value comes from in a built row (field names, not attnames).
SOURCES = [f.name for f in CASE_FIELDS]
EVENT_COLUMNS = ["case_id", "seq", "at", "actor_id", "actor_label", "actor_unit_id", "action", "changes", "reason"]
KEY_COLUMNS = ["key", "case_id", "file", "line"]
FACT_COLUMNS = ["case_id", "rev", "day", "unit", "place", "cell", "kind", "channel", "category"] + COUNTS
# Columns the import sets besides id and number; the rest take one value for every row.
FIXED = {"version": 2, "stats_dirty": False}
INTAKE_ONLY = [n for n in VARYING if n not in OUTCOME]
COLUMN = {f.name: f.column for f in CASE_FIELDS}
SET_BY_ROW = INTAKE_ONLY + OUTCOME
CONSTANT = [n for n in SOURCES if n not in SET_BY_ROW and n not in ("id", "number")]


class Writer:
    def __init__(self, file_label, imported_at=None, copy=None):
        self.file = file_label[:200]
        self.imported_at = imported_at or timezone.now()
        self.pg = connection.vendor == "postgresql"
        # COPY on PostgreSQL unless told otherwise (tests compare both ways).
        self.copy = self.pg if copy is None else copy
        self.days = set()
        if self.copy:
            self.case_copy = CaseText(self.file, self.imported_at)

    def begin(self):
        """Inside the import's transaction, before the first batch."""
        if self.pg:
            with connection.cursor() as cursor:
                # The import commits once; waiting for the disk then is all
                # this gives up (a crash before it loses the whole import,
                # which is what an uncommitted import means anyway).
                cursor.execute("SET LOCAL synchronous_commit = off")
                # Check foreign keys after each COPY rather than keeping a
                # queue of millions of checks in memory until the commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def end(self):
        """After the last batch: foreign keys back to Django's deferred
        checking, for a caller whose transaction goes on after the import."""
        if self.pg:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def write(self, batch):
        if not batch:
            return
        ids = self.reserve_ids(len(batch))
        numbers = self.numbers(batch)
        for built in batch:
            self.days.add(built.fact.keys.day)
        if self.copy:
            self.copy_batch(batch, ids, numbers)
        else:
            self.insert_batch(batch, ids, numbers)

    def prepare(self, built):
        """Format what can be formatted before the row has an id and a number;
        the building thread calls this, so the writing thread only joins."""
        if self.copy:
            built.text = self.case_copy.pieces(built)
        return built

    def copy_batch(self, batch, ids, numbers):
        rows = [(b.text or self.case_copy.pieces(b), cid, JSON.encode(n), n) for b, cid, n in zip(batch, ids, numbers)]
        copy_lines(Case._meta.db_table, self.case_copy.case_columns, (f"{cid}\t{n}\t{t[0]}" for t, cid, _, n in rows))
        copy_lines(Event._meta.db_table, EVENT_COLUMNS, (f"{cid}\t1\t{t[1]}{escape(n)}{t[2]}{cid}\t2\t{t[3]}" for t, cid, n, _ in rows))
        copy_lines(ImportedCase._meta.db_table, KEY_COLUMNS, (f"{t[4]}\t{cid}\t{t[5]}" for t, cid, _, _ in rows))
        copy_lines(CaseFact._meta.db_table, FACT_COLUMNS, (f"{cid}\t{t[6]}" for t, cid, _, _ in rows))

    def insert_batch(self, batch, ids, numbers):
        cases, events, keys, facts = [], [], [], []
        for built, cid, number in zip(batch, ids, numbers):
            values = {**DEFAULTS, **built.intake, **built.outcome, "id": cid, "number": number, **FIXED}
            cases.append([values[name] for name in SOURCES])
            events.append((cid, 1, built.created_at, None, IMPORT_LABEL, None, "intake", built.intake_json(number), ""))
            events.append((cid, 2, self.imported_at, None, IMPORT_LABEL, None, "import", built.import_json,
                           f"{self.file} line {built.line}"))
            keys.append((built.key, cid, self.file, built.line))
            k = built.fact.keys
            facts.append((cid, 1, k.day, k.unit, k.place, k.cell, k.kind, k.channel, k.category, *built.fact.counts))
        insert_rows(Case._meta.db_table, [f.column for f in CASE_FIELDS], cases, CASE_FIELDS)
        insert_rows(Event._meta.db_table, EVENT_COLUMNS, events)
        insert_rows(ImportedCase._meta.db_table, KEY_COLUMNS, keys)
        insert_rows(CaseFact._meta.db_table, FACT_COLUMNS, facts)

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
        from the same counters live intake uses, with one statement a batch."""
        prefix = settings.CASE_NUMBER_PREFIX
        keys = [f"{prefix}{b.fact.keys.day:%Y%m%d}" for b in batch]
        need = {}
        for key in keys:
            need[key] = need.get(key, 0) + 1
        table = Counter._meta.db_table
        rows = sorted(need.items())  # one order for every writer, so no deadlock
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, value) VALUES {', '.join(['(%s, %s)'] * len(rows))} "
                f"ON CONFLICT (key) DO UPDATE SET value = {table}.value + excluded.value RETURNING key, value",
                [v for row in rows for v in row],
            )
            start = {key: value - need[key] for key, value in cursor.fetchall()}
        out = []
        for key in keys:
            start[key] += 1
            out.append(f"{key}{start[key]:04d}")
        return out


def existing_keys(keys):
    """The keys among these that an earlier import loaded."""
    table = ImportedCase._meta.db_table
    found = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT key FROM {table} WHERE key = ANY(%s)", [list(keys)])
            return {row[0] for row in cursor.fetchall()}
        for i in range(0, len(keys), 900):
            chunk = keys[i:i + 900]
            cursor.execute(f"SELECT key FROM {table} WHERE key IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found.update(row[0] for row in cursor.fetchall())
    return found


# --- PostgreSQL: COPY text ----------------------------------------------------

def escape(value):
    """A string in COPY's text format. Most have nothing to escape, and four
    `in` tests are far quicker than a translate over long Chinese text."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def text(value):
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return escape(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is float:
        return repr(value)
    if kind is dt.datetime or kind is dt.date:
        return value.isoformat()
    return escape(str(value))


class CaseText:
    """Lines of COPY text for one batch's tables. The case columns a row
    never sets are one preformatted tail."""

    def __init__(self, file_label, imported_at):
        self.case_columns = [COLUMN[n] for n in ["id", "number", *SET_BY_ROW, *CONSTANT]]
        constant = {**DEFAULTS, **FIXED}
        self.tail = "\t".join(text(constant[n]) for n in CONSTANT) + "\n"
        self.intake_tail = f"\t\\N\t{IMPORT_LABEL}\t\\N\tintake\t"
        self.import_head = f"\t\\N\t{IMPORT_LABEL}\t\\N\timport\t"
        self.imported_at = text(imported_at)
        self.file = text(file_label)
        self.reason = text(f"{file_label} line ")

    def pieces(self, built):
        """The row's COPY text around its id and number: (case after the
        number, intake event up to the number, its end, import event after
        the id, key before the id, key after it, fact after the id)."""
        values = built.encoded  # as the events encode them: times already text (UTC)
        k = built.fact.keys
        counts = "\t".join(map(str, built.fact.counts))
        return (
            "\t".join([text(values[n]) for n in SET_BY_ROW]) + "\t" + self.tail,
            f"{values['created_at']}{self.intake_tail}{escape(built.intake_head)}", "}\t\n",
            f"{self.imported_at}{self.import_head}{escape(built.import_json)}\t{self.reason}{built.line}\n",
            text(built.key), f"{self.file}\t{built.line}\n",
            f"1\t{k.day.isoformat()}\t{k.unit}\t{k.place}\t{text(k.cell)}\t{text(k.kind)}\t{text(k.channel)}\t{k.category}\t{counts}\n",
        )


def copy_lines(table, columns, lines, chunk=500):
    """Send lines as they are formatted: PostgreSQL reads one chunk while
    Python formats the next."""
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            while part := "".join(islice(lines, chunk)):
                copy.write(part)


# --- elsewhere: multi-row INSERTs ---------------------------------------------

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
