"""`huying import-cases`: an old system's export loads unchanged through a
mapping file; bad rows are reported by line; nothing is half-loaded; running
it twice adds nothing; imported cases are the replay of their events and the
bulk writer gives exactly what the ledger gives."""

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import openpyxl
from django.core.management import CommandError, call_command
from django.utils import translation

from huying.analytics.imports import mapping as mappings
from huying.analytics.imports.build import IMPORT_LABEL, Lookups, RowBuilder
from huying.analytics.imports.load import import_file
from huying.analytics.models import CaseFact, DailyStat, ImportedCase
from huying.analytics.refresh import rebuild
from huying.cases import ledger
from huying.cases.actors import Actor
from huying.cases.models import Case, Counter, Event, Status
from huying.cases.replay import replay, snapshot
from huying.test import BaseTestCase, at

HEADER = ["工单编号", "受理时间", "标题", "诉求内容", "诉求类型", "来源", "事项分类", "街道", "社区", "承办单位",
          "签收时间", "答复时间", "答复内容", "是否解决", "满意度", "电话"]
GOOD = [
    ["OLD-1", "2026-02-02 09:00:00", "垃圾未清运", "东风中路垃圾堆放", "投诉", "电话", "02.01.01", "洪桥街道", "登峰社区", "洪桥街道",
     "2026-02-02 10:00:00", "2026-02-04 10:00:00", "已清运", "是", "满意", "13812345678"],
    ["OLD-2", "2026/02/03 14:30", "", "加装电梯进度咨询", "咨询", "网站", "城乡建设/住房管理/加装电梯", "", "", "区住房建设和水务局",
     "2026-02-05 10:00:00", "2026-02-10 10:00:00", "已答复", "否", "不满意", ""],
    ["OLD-3", "2026-02-04 08:00:00", "噪音", "夜间施工噪音", "投诉", "电话", "", "440104001", "", "洪桥街道",
     "", "", "", "", "", ""],
    ["OLD-4", "2026-02-05 08:00:00", "建议", "增设路灯", "建议", "", "", "", "", "", "", "", "", "", "", ""],
]
BAD = [
    ["OLD-5", "2026-02-05 09:00:00", "x", "y", "投诉", "电话", "", "不存在街道", "", "", "", "", "", "", "", ""],
    ["OLD-6", "昨天", "x", "y", "投诉", "电话", "", "", "", "", "", "", "", "", "", ""],
    ["OLD-7", "2026-02-05 09:00:00", "x", "", "投诉", "电话", "", "", "", "", "", "", "", "", "", ""],
    ["OLD-1", "2026-02-05 09:00:00", "x", "y", "投诉", "电话", "", "", "", "", "", "", "", "", "", ""],
    ["OLD-8", "2026-02-05 09:00:00", "x", "y", "投诉", "电话", "", "", "", "洪桥街道", "2026-02-04 09:00:00", "", "", "", "", ""],
]
MAPPING = {
    "source": "old12345",
    "columns": {"external_id": "工单编号", "created_at": "受理时间", "title": "标题", "text": "诉求内容", "kind": "诉求类型",
                "channel": "来源", "category": "事项分类", "street": "街道", "community": "社区", "lead_unit": "承办单位",
                "accepted_at": "签收时间", "replied_at": "答复时间", "reply_text": "答复内容", "resolved": "是否解决",
                "satisfaction": "满意度", "citizen_phone": "电话"},
    "defaults": {"channel": "phone"},
}


class ImportTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.dir = Path(tempfile.mkdtemp())
        self.mapping = mappings.from_dict(MAPPING)
        self.enterContext(translation.override("en"))  # messages asserted in English

    def csv_file(self, rows, name="old.csv"):
        path = self.dir / name
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(rows)
        return path

    def test_good_rows_become_cases_with_their_outcome(self):
        report = import_file(self.csv_file(GOOD), self.mapping)
        self.assertEqual((report.rows, report.added, report.bad), (4, 4, []))
        one = Case.objects.get(external_id="OLD-1")
        self.assertEqual((one.status, one.lead_unit, one.community, one.street), (Status.CLOSED, self.street, self.community, self.street))
        self.assertEqual((one.resolved, one.satisfaction, one.citizen_phone), (True, "satisfied", "13812345678"))
        self.assertTrue(one.number.startswith("YX20260202"))
        self.assertEqual(list(one.events.values_list("action", "seq")), [("intake", 1), ("import", 2)])
        two = Case.objects.get(external_id="OLD-2")
        self.assertEqual((two.kind, two.channel, two.category, two.title[:4]), ("consult", "web", self.lifts, "加装电梯"))
        self.assertEqual(two.created_at, at(2026, 2, 3, 14, 30))
        three = Case.objects.get(external_id="OLD-3")
        self.assertEqual((three.status, three.street), (Status.DISPATCHED, self.street))
        self.assertIsNotNone(three.urge_at)  # an open case joins the live work: the worker will urge it
        four = Case.objects.get(external_id="OLD-4")
        self.assertEqual((four.status, four.lead_unit, four.kind), (Status.NEW, None, "suggestion"))

    def test_imported_cases_are_the_replay_of_their_events(self):
        import_file(self.csv_file(GOOD), self.mapping)
        for case in Case.objects.all():
            self.assertEqual(replay(case.events.all()), snapshot(case), case.external_id)

    def test_a_bad_row_refuses_the_whole_file(self):
        report = import_file(self.csv_file(GOOD + BAD), self.mapping)
        self.assertTrue(report.refused)
        self.assertEqual([line for line, _ in report.bad], [6, 7, 8, 9, 10])
        messages = dict(report.bad)
        self.assertIn("不存在街道", messages[6])
        self.assertIn("昨天", messages[7])
        self.assertIn("诉求内容", messages[8])
        self.assertIn("repeats line 2", messages[9])
        self.assertIn("before", messages[10])
        self.assertEqual(Case.objects.count(), 0)
        self.assertEqual((Event.objects.count(), ImportedCase.objects.count(), CaseFact.objects.count(), Counter.objects.count()), (0, 0, 0, 0))

    def test_skip_bad_loads_the_rest_and_lists_the_bad(self):
        report = import_file(self.csv_file(GOOD + BAD), self.mapping, skip_bad=True)
        self.assertFalse(report.refused)
        self.assertEqual((report.added, len(report.bad)), (4, 5))
        self.assertEqual(Case.objects.count(), 4)

    def test_running_the_same_file_again_adds_nothing(self):
        path = self.csv_file(GOOD)
        import_file(path, self.mapping)
        again = import_file(path, self.mapping)
        self.assertEqual((again.added, again.existing), (0, 4))
        self.assertEqual(Case.objects.count(), 4)
        more = import_file(self.csv_file(GOOD + [["OLD-9"] + GOOD[0][1:]], "more.csv"), self.mapping)
        self.assertEqual((more.added, more.existing), (1, 4))

    def test_figures_include_imported_history(self):
        import_file(self.csv_file(GOOD), self.mapping)
        built = sorted(DailyStat.objects.values_list("dim", "day", "unit", "key", "received", "responded", "rated", "satisfied"))
        self.assertTrue(built)
        one = CaseFact.objects.get(case__external_id="OLD-1")
        self.assertEqual((one.responded, one.rated, one.satisfied, one.unit), (1, 1, 1, self.street.pk))
        DailyStat.objects.all().delete()
        CaseFact.objects.all().delete()
        rebuild()
        self.assertEqual(sorted(DailyStat.objects.values_list("dim", "day", "unit", "key", "received", "responded", "rated", "satisfied")), built)

    def test_xlsx_loads_like_csv(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER)
        for row in GOOD:
            values = list(row)
            values[1] = dt.datetime.fromisoformat(values[1].replace("/", "-")) if values[1] else None
            sheet.append(values)
        path = self.dir / "old.xlsx"
        book.save(path)
        report = import_file(path, self.mapping)
        self.assertEqual((report.added, report.bad), (4, []))
        self.assertEqual(Case.objects.get(external_id="OLD-2").created_at, at(2026, 2, 3, 14, 30))

    def test_bulk_writer_equals_the_ledger(self):
        """The same row through ledger.create + ledger.record('import') and
        through the bulk writer gives the same case and the same events."""
        builder = RowBuilder(self.mapping, Lookups(), "old.csv")
        record = dict(zip(HEADER, GOOD[0]))
        built = builder.build(record, 2)
        actor = Actor(label=IMPORT_LABEL, system=True)
        number = "YX202602020999"
        fields = {name: value for name, value in built.intake.items()} | {"number": number}
        fields = {ledger.FIELD_BY_NAME[n].attname if ledger.FIELD_BY_NAME[n].is_relation else n: v for n, v in fields.items()}
        case, _ = ledger.create(fields, actor, now=built.created_at)
        ledger.record(case, actor, "import", built.outcome, now=self.now, reason="old.csv line 2")
        by_ledger = Case.objects.get(pk=case.pk)

        import_file(self.csv_file(GOOD[:1]), self.mapping)
        bulk = Case.objects.get(external_id="OLD-1", number__startswith="YX20260202000")
        self.assertEqual(without(snapshot(bulk), "number"), without(snapshot(by_ledger), "number"))
        self.assertEqual((bulk.version, bulk.status), (by_ledger.version, by_ledger.status))
        ours = [(e.seq, e.action, without(e.changes, "number"), e.actor_label) for e in bulk.events.all()]
        theirs = [(e.seq, e.action, without(e.changes, "number"), e.actor_label) for e in by_ledger.events.all()]
        self.assertEqual(ours, theirs)

    def test_command_reports_and_refuses(self):
        path = self.csv_file(GOOD + BAD[:1])
        mapping_path = self.dir / "mapping.json"
        mapping_path.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "nothing was loaded"):
            call_command("import_cases", str(path), mapping=str(mapping_path), no_progress=True, stderr=err)
        self.assertIn("line 6: unknown street: 不存在街道", err.getvalue())
        out = io.StringIO()
        call_command("import_cases", str(path), mapping=str(mapping_path), skip_bad=True, no_progress=True, stdout=out, stderr=io.StringIO())
        self.assertIn("5 rows: 4 cases added, 0 already loaded, 1 bad rows skipped.", out.getvalue())

    def test_cached_working_days_equal_the_calendar(self):
        """The importer works out deadlines once per date; it must agree with
        the calendar at every hour, on working days and days off alike."""
        from huying.sla import calendar
        from huying.sla.models import Limit

        look = Lookups()
        start = at(2026, 1, 1, 0, 30)  # New Year, then a weekend, then Spring Festival in February
        for hour in range(0, 24 * 60, 7):
            moment = start + dt.timedelta(hours=hour)
            for days in (1, 2, 10, 15):
                self.assertEqual(look.after(moment, days, Limit.WORKDAYS), calendar.add_working_days(moment, days), (moment, days))

    def test_mapping_and_file_errors_are_clear(self):
        with self.assertRaisesMessage(mappings.MappingError, "external_id"):
            mappings.from_dict({"columns": {"created_at": "受理时间", "text": "诉求内容"}})
        with self.assertRaisesMessage(mappings.MappingError, "Unknown fields"):
            mappings.from_dict({"columns": {**MAPPING["columns"], "colour": "颜色"}})
        with self.assertRaisesMessage(mappings.MappingError, "no value"):
            mappings.from_dict({**MAPPING, "values": {"kind": {"投诉": "grumble"}}})
        odd = dict(MAPPING, columns={**MAPPING["columns"], "address": "详细地址"})
        with self.assertRaisesMessage(mappings.MappingError, "详细地址"):
            import_file(self.csv_file(GOOD), mappings.from_dict(odd))


def without(changes, *names):
    return {k: v for k, v in changes.items() if k not in names}
