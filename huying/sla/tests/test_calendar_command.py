"""`huying calendar sync | load | show | warnings`."""

import datetime as dt
import re
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from huying.sla import calendar
from huying.sla.management.commands.calendar import Command
from huying.sla.models import Day, ScheduleYear
from huying.test import BaseTestCase, at

# Part of the 2027 schedule as an admin would type it from the State Council notice.
GOOD_2027 = "date,working,note\n2027-01-01,0,元旦\n2027-02-06,休,春节\n2027-02-20,班,春节调休\n"


class CalendarCommandTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def tearDown(self):
        calendar.forget()  # no rolled-back day may stay in the cached calendar

    def run_command(self, *args):
        out = StringIO()
        call_command("calendar", *args, stdout=out)
        return out.getvalue()

    def write(self, text, name="schedule.csv", encoding="utf-8"):
        path = self.folder / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    def test_help_is_one_line(self):
        self.assertNotIn("\n", Command.help)
        self.assertTrue(Command.help.startswith("Working-day calendar"))

    def test_a_subcommand_is_required(self):
        with self.assertRaisesRegex(CommandError, "required"):
            self.run_command()

    # sync

    def test_sync_stores_every_known_year_then_nothing(self):
        # 2004–2026: 23 years, six of them leap (2004 … 2024), 8,401 days.
        added, before = map(int, re.fullmatch(
            r"chinese-calendar 2004–2026: (\d+) days added, (\d+) already stored\.", self.run_command("sync").strip()
        ).groups())
        self.assertEqual(added + before, 8401)
        self.assertEqual(self.run_command("sync").strip(), "chinese-calendar 2004–2026: 0 days added, 8401 already stored.")
        self.assertEqual(Day.objects.filter(source=Day.CHINESE_CALENDAR).count(), 8401)
        self.assertEqual(ScheduleYear.objects.filter(year__range=(2004, 2026)).count(), 23)
        self.assertFalse(ScheduleYear.objects.filter(year=2027).exists())

    # load

    def test_load_a_next_years_schedule(self):
        out = self.run_command("load", self.write(GOOD_2027), "--year", "2027")
        self.assertIn("3 deployment days stored", out)
        self.assertIn("2027 is now marked as scheduled.", out)
        self.assertEqual(ScheduleYear.objects.get(year=2027).source, Day.DEPLOYMENT)
        self.assertTrue(calendar.is_working(dt.date(2027, 2, 20)))  # a Saturday
        # Thu 31 Dec 2026 + 1 skips the New Year's Day now loaded: Mon 4 Jan 2027.
        self.assertEqual(calendar.add_working_days(at(2026, 12, 31, 10, 0), 1), at(2027, 1, 4, 10, 0))

    def test_load_without_year_leaves_the_year_unscheduled(self):
        self.run_command("load", self.write(GOOD_2027))
        self.assertEqual(Day.objects.filter(source=Day.DEPLOYMENT).count(), 3)
        self.assertNotIn(2027, calendar.scheduled_years())

    def test_load_refuses_the_whole_file_naming_the_lines(self):
        path = self.write("date,working,note\n2027-01-01,0,元旦\n2027-02-30,0,\n\n2027-02-20,maybe,\n")
        with self.assertRaises(CommandError) as raised:
            self.run_command("load", path, "--year", "2027")
        message = str(raised.exception)
        self.assertIn("nothing stored", message)
        self.assertIn("line 3: bad date '2027-02-30'", message)
        self.assertIn("line 5: working must be 1 or 0, not 'maybe'", message)
        self.assertFalse(Day.objects.filter(source=Day.DEPLOYMENT).exists())
        self.assertFalse(ScheduleYear.objects.filter(year=2027).exists())

    def test_load_refuses_a_year_the_file_does_not_have(self):
        with self.assertRaisesRegex(CommandError, "no day in 2028"):
            self.run_command("load", self.write(GOOD_2027), "--year", "2027", "--year", "2028")
        self.assertFalse(Day.objects.filter(source=Day.DEPLOYMENT).exists())

    def test_load_a_missing_file(self):
        with self.assertRaisesRegex(CommandError, "cannot read"):
            self.run_command("load", str(self.folder / "nowhere.csv"))

    def test_load_a_file_that_is_not_utf8(self):
        with self.assertRaisesRegex(CommandError, "not UTF-8"):
            self.run_command("load", self.write(GOOD_2027, encoding="gb18030"))
        self.assertFalse(Day.objects.filter(source=Day.DEPLOYMENT).exists())

    def test_load_a_spreadsheet_export_with_a_byte_order_mark(self):
        self.run_command("load", self.write(GOOD_2027, encoding="utf-8-sig"))
        self.assertEqual(Day.objects.filter(source=Day.DEPLOYMENT).count(), 3)

    # show

    def test_show_lists_the_days_that_break_monday_to_friday(self):
        out = self.run_command("show", "2026")
        self.assertIn("2026: schedule loaded.", out)
        self.assertIn("2026-02-14 Sat  working  chinese-calendar  Spring Festival", out)
        self.assertIn("2026-02-17 Tue  off      chinese-calendar  Spring Festival", out)
        self.assertIn("2026-01-04 Sun  working  chinese-calendar  New Year's Day", out)
        self.assertNotIn("2026-02-15", out)  # a Sunday off is no exception
        self.assertNotIn("2026-02-24", out)  # nor a Tuesday at work

    def test_show_with_deployment_days(self):
        calendar.store_deployment_days([(dt.date(2026, 3, 4), False, "区运会"), (dt.date(2026, 2, 23), True, "值班")])
        out = self.run_command("show", "2026")
        self.assertIn("2026-03-04 Wed  off      deployment        区运会", out)
        self.assertNotIn("2026-02-23", out)  # back to an ordinary working Monday

    def test_show_a_year_without_schedule(self):
        out = self.run_command("show", "2027")
        self.assertIn("2027: no schedule loaded; Monday to Friday count as working days.", out)
        self.assertIn("No day breaks the Monday–Friday rule.", out)

    # warnings

    def test_warnings_in_november(self):
        out = self.run_command("warnings", "--today", "2026-11-15")
        self.assertIn("No working-day schedule is loaded for 2027 yet", out)

    def test_no_warnings_once_loaded(self):
        self.run_command("load", self.write(GOOD_2027), "--year", "2027")
        out = self.run_command("warnings", "--today", "2026-11-15")
        self.assertEqual(out.strip(), "No warnings: this year and the coming one are scheduled.")

    def test_no_warnings_in_summer(self):
        out = self.run_command("warnings", "--today", "2026-06-01")
        self.assertIn("No warnings", out)
