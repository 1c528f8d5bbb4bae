"""The monthly report: an Excel workbook with the ranking of the three rates
and the details per unit, from the command and the same builder the page uses."""

import io
import tempfile
from pathlib import Path

import openpyxl
from django.core.management import CommandError, call_command
from django.utils import translation

from huying.analytics import report
from huying.analytics.periods import parse
from huying.analytics.scope import Scope
from huying.analytics.tests.test_rates import Stories
from huying.test import BaseTestCase


def rows_of(sheet):
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


class ReportTestCase(Stories, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.build()

    def workbook(self, language="en"):
        with translation.override(language):
            return openpyxl.load_workbook(io.BytesIO(report.build(Scope(None), parse("2026-03"))))

    def test_ranking_sheet_has_the_hand_computed_rates(self):
        book = self.workbook()
        self.assertEqual(book.sheetnames, ["Ranking", "Streets in detail", "Departments in detail", "Definitions"])
        rows = rows_of(book["Ranking"])
        self.assertIn("2026-03", rows[0][0])
        self.assertIn("30", rows[1][0])  # the weights used are stated
        street = next(r for r in rows if r[1] == "洪桥街道")
        self.assertEqual(street[0], 1)
        self.assertEqual(list(street[2:4]), [6, 5])
        self.assertAlmostEqual(street[4], 0.6)
        self.assertAlmostEqual(street[5], 1.0)
        self.assertAlmostEqual(street[6], 0.75)
        self.assertAlmostEqual(street[7], 79.25)
        housing = next(r for r in rows if r[1] == "区住房建设和水务局")
        self.assertEqual((housing[0], housing[4], housing[5], housing[7]), (None, 0.0, "–", "–"))
        other = next(r for r in rows if r[1] == "北京街道")
        self.assertEqual((other[2], other[7]), (0, "–"))  # listed, with nothing to rank

    def test_details_list_every_count_and_the_communities(self):
        rows = rows_of(self.workbook()["Streets in detail"])
        header = rows[3]
        street = dict(zip(header, next(r for r in rows if r[0] == "洪桥街道")))
        self.assertEqual((street["Cases in"], street["Merged"], street["Overdue"], street["Disputed ratings excluded"], street["Reopened"]),
                         (6, 1, 2, 1, 2))

    def test_chinese_by_default(self):
        book = self.workbook("zh-hans")
        self.assertEqual(book.sheetnames[0], "三率排名")
        self.assertIn("响应率", rows_of(book["三率排名"])[4])

    def test_command_writes_the_file(self):
        out = Path(tempfile.mkdtemp()) / "march.xlsx"
        stdout = io.StringIO()
        call_command("report", month="2026-03", out=str(out), language="en", stdout=stdout)
        self.assertIn("march.xlsx", stdout.getvalue())
        self.assertEqual(openpyxl.load_workbook(out).sheetnames[0], "Ranking")
        with self.assertRaisesMessage(CommandError, "Not a period"), translation.override("en"):
            call_command("report", month="March", out=str(out))
