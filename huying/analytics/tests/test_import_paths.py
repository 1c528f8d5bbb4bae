"""The import's fast paths give what the plain ones give: PostgreSQL's COPY
text equals the multi-row INSERTs SQLite uses, the facts worked out from a
row's values equal `fact_of` over its events, and a failure in the building
thread leaves nothing behind."""

import csv
import datetime as dt
import sys
import tempfile
import threading
import unittest
from pathlib import Path
from unittest import mock

from django.db import connection, transaction
from django.utils import translation

from huying.analytics.facts import fact_of
from huying.analytics.imports import mapping as mappings
from huying.analytics.imports.build import Lookups, RowBuilder, events_of, parse_time
from huying.analytics.imports.load import import_file
from huying.analytics.imports.reader import FileError
from huying.analytics.imports.write import Writer
from huying.analytics.models import CaseFact, DailyStat, ImportedCase
from huying.analytics.refresh import category_tops
from huying.cases.models import Case, Counter, Event
from huying.test import BaseTestCase

COLUMNS = {"external_id": "编号", "created_at": "受理时间", "text": "内容", "kind": "类型", "category": "分类",
           "street": "街道", "community": "社区", "lead_unit": "承办单位", "dispatched_at": "派单时间",
           "accept_due": "签收时限", "accepted_at": "签收时间", "reply_due": "办理时限", "replied_at": "答复时间",
           "reply_text": "答复内容", "closed_at": "办结时间", "resolved": "是否解决", "satisfaction": "满意度",
           "reopen_count": "重办次数", "lat": "纬度", "lng": "经度", "citizen_name": "姓名"}
HEADER = list(COLUMNS.values())


def rows(n):
    """Rows covering the outcomes a fact tells apart: no unit, open, late
    and in-time acceptance and reply, ratings, reopening, map points, and
    text COPY must escape."""
    out = []
    start = dt.datetime(2026, 1, 30, 7, 0)  # a Friday, then a weekend
    for i in range(n):
        created = start + dt.timedelta(hours=7 * i)
        lead = ["", "洪桥街道", "区住房建设和水务局", "登峰社区"][i % 4]
        accepted = created + dt.timedelta(hours=[1, 30, 70][i % 3]) if lead and i % 5 else None
        replied = accepted + dt.timedelta(days=[1, 4, 12][i % 3]) if accepted and i % 7 else None
        rated = replied is not None and i % 2 == 0
        out.append({
            "编号": f"P-{i}", "受理时间": f"{created:%Y-%m-%d %H:%M:%S}",
            "内容": ["路灯不亮", "噪音\t扰民\n夜间", "反斜杠 \\ 与 \"引号\"", "垃圾"][i % 4],
            "类型": ["投诉", "咨询", "求助", "建议"][i % 4], "分类": ["", "01.01.01", "02.01.01"][i % 3],
            "街道": "洪桥街道" if i % 3 else "", "社区": "登峰社区" if i % 6 == 1 else "", "承办单位": lead,
            "派单时间": "", "签收时限": f"{created + dt.timedelta(hours=24):%Y-%m-%d %H:%M:%S}" if i % 8 == 3 else "",
            "签收时间": f"{accepted:%Y-%m-%d %H:%M:%S}" if accepted else "",
            "办理时限": f"{created + dt.timedelta(days=3):%Y-%m-%d %H:%M}" if i % 9 == 4 else "",
            "答复时间": f"{replied:%Y-%m-%d %H:%M:%S}" if replied else "", "答复内容": "已答复" if replied else "",
            "办结时间": f"{replied + dt.timedelta(days=1):%Y-%m-%d %H:%M:%S}" if replied and i % 11 == 0 else "",
            "是否解决": ("是" if i % 4 else "否") if rated else "", "满意度": ["满意", "基本满意", "不满意"][i % 3] if rated else "",
            "重办次数": str(i % 3) if replied else "", "纬度": f"{23.12 + i / 1000:.4f}" if i % 2 else "",
            "经度": f"{113.26 + i / 1000:.4f}" if i % 2 else "", "姓名": "张\\三" if i % 10 == 0 else "",
        })
    return out


class ImportPathTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.dir = Path(tempfile.mkdtemp())
        self.mapping = mappings.from_dict({"source": "paths", "columns": COLUMNS})
        self.enterContext(translation.override("en"))

    def csv_file(self, records, name="paths.csv"):
        path = self.dir / name
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, HEADER)
            writer.writeheader()
            writer.writerows(records)
        return path

    def test_facts_from_values_equal_fact_of_the_events(self):
        builder = RowBuilder(self.mapping, Lookups(), "paths.csv")
        tops = category_tops()
        for line, record in enumerate(rows(120), start=2):
            built = builder.build(record, line)
            expected = fact_of(events_of(built, imported_at=self.now), category_top=tops.get)
            self.assertEqual(built.fact, expected, record)

    def test_every_row_kind_is_covered(self):
        """The rows above reach each count (else the comparisons prove little)."""
        report = import_file(self.csv_file(rows(120)), self.mapping)
        self.assertEqual((report.added, report.bad), (120, []))
        facts = CaseFact.objects.all()
        for name in ("dispatched", "accepted_on_time", "first_contact_in_time", "replied_on_time", "overdue", "rated",
                     "resolved", "satisfied", "basically", "unsatisfied", "reopened", "closed"):
            values = {getattr(f, name) for f in facts}
            self.assertEqual(values, {0, 1}, name)
        self.assertEqual(Case.objects.get(external_id="P-1").text, "噪音\t扰民\n夜间")

    @unittest.skipUnless(connection.vendor == "postgresql", "COPY is PostgreSQL's")
    def test_copy_gives_what_inserts_give(self):
        path = self.csv_file(rows(60))
        by_insert = self.imported(path, copy=False)
        by_copy = self.imported(path, copy=True)
        self.assertEqual(len(by_copy["cases"]), 60)
        for part in by_insert:
            self.assertEqual(by_copy[part], by_insert[part], part)

    def imported(self, path, copy):
        """Everything the import wrote, keyed by external id; rolled back after."""
        with transaction.atomic():
            report = import_file(path, self.mapping, copy=copy, batch=17)
            self.assertEqual((report.added, report.bad), (60, []))
            state = {
                "cases": {c.pop("external_id"): without(c, "id") for c in Case.objects.values()},
                "events": sorted((e.case.external_id, e.seq, e.at if e.seq == 1 else None, e.actor_label, e.action, e.changes, e.reason)
                                 for e in Event.objects.select_related("case")),
                "keys": sorted((k.key, k.case.external_id, k.file, k.line) for k in ImportedCase.objects.select_related("case")),
                "facts": {f["case__external_id"]: without(f, "case_id") for f in CaseFact.objects.values("case__external_id", *fact_fields())},
                "summaries": sorted(tuple(s.values()) for s in DailyStat.objects.values(*stat_fields())),
                "counters": dict(Counter.objects.values_list("key", "value")),
            }
            transaction.set_rollback(True)
        return state

    @unittest.skipUnless(connection.vendor == "postgresql", "SET CONSTRAINTS is PostgreSQL's")
    def test_the_callers_transaction_keeps_deferred_foreign_keys(self):
        """The import checks foreign keys after each COPY; the caller's
        transaction gets Django's deferred checking back afterwards."""
        import_file(self.csv_file(rows(5)), self.mapping)
        with transaction.atomic():
            ImportedCase.objects.create(key="later:1", case_id=10**9, file="x", line=1)  # checked only at commit
            transaction.set_rollback(True)

    def test_a_file_error_after_written_batches_leaves_nothing(self):
        path = self.csv_file(rows(200))
        with open(path, "ab") as f:
            f.write(b"P-x,\xff\xfe broken\n")
        with self.assertRaisesMessage(FileError, "not utf-8"):
            import_file(path, self.mapping, batch=20)
        self.assertEqual((Case.objects.count(), Event.objects.count(), CaseFact.objects.count(), Counter.objects.count()), (0, 0, 0, 0))

    def test_a_failed_write_stops_the_building_thread(self):
        switch, real, calls = sys.getswitchinterval(), Writer.write, []

        def write(writer, batch):
            calls.append(len(batch))
            if len(calls) == 2:
                raise RuntimeError("disk full")
            real(writer, batch)

        with mock.patch.object(Writer, "write", write):
            with self.assertRaisesMessage(RuntimeError, "disk full"):
                import_file(self.csv_file(rows(200)), self.mapping, batch=20)
        self.assertEqual(calls, [20, 20])
        self.assertNotIn("import-builder", [t.name for t in threading.enumerate()])
        self.assertEqual(sys.getswitchinterval(), switch)
        self.assertEqual(Case.objects.count(), 0)

    def test_bad_rows_found_by_the_building_thread_keep_their_lines(self):
        records = [dict(r, 内容="路灯不亮") for r in rows(30)]  # one line each, so line numbers are row + 1
        records[4]["街道"] = "不存在街道"
        records[20]["受理时间"] = "2026-02-02 09:00:0x"
        report = import_file(self.csv_file(records), self.mapping, batch=7)
        self.assertTrue(report.refused)
        self.assertEqual([line for line, _ in report.bad], [6, 22])
        self.assertIn("unknown street", report.bad[0][1])
        self.assertEqual(Case.objects.count(), 0)
        report = import_file(self.csv_file(records), self.mapping, batch=7, skip_bad=True)
        self.assertEqual((report.added, Case.objects.count()), (28, 28))

    def test_only_the_same_source_counts_as_loaded_before(self):
        path = self.csv_file(rows(10))
        self.assertEqual(import_file(path, self.mapping).added, 10)
        other = mappings.from_dict({"source": "paths2", "columns": COLUMNS})
        self.assertEqual((import_file(path, other).added, import_file(path, other).existing), (10, 10))
        again = import_file(path, self.mapping, batch=3)
        self.assertEqual((again.added, again.existing), (0, 10))
        self.assertEqual(Case.objects.count(), 20)

    def test_times_read_quickly_read_the_same(self):
        formats = mappings.Mapping(columns={}).datetime_formats
        for text in ("2026-02-02 09:00:00", "2026-02-02T09:00:00", "2026-02-02 09:00", "2026/02/02 09:00:00", "2026-02-02"):
            self.assertEqual(parse_time(text, formats), dt.datetime(2026, 2, 2, 9, 0) if " " in text or "T" in text else dt.datetime(2026, 2, 2))
        for text in ("2026-02-02 09:00:0x", "2026-13-02 09:00:00", "2026-02-02+09:00:00"):
            self.assertIsNone(parse_time(text, formats), text)


def fact_fields():
    return [f.name for f in CaseFact._meta.concrete_fields if f.name != "case"]


def stat_fields():
    return [f.name for f in DailyStat._meta.concrete_fields if f.name != "id"]


def without(values, *names):
    return {k: v for k, v in values.items() if k not in names}
