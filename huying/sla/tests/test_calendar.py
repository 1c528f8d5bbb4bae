"""Working-day arithmetic against the real State Council schedule.

Every expected date is counted by hand from the official notices (and
checked against chinese-calendar 1.11):

Spring Festival 2026   off Sun 15 – Mon 23 Feb; make-up working Saturdays 14 and 28 Feb.
National Day 2025      off Wed 1 – Wed 8 Oct (with Mid-Autumn on 6 Oct);
                       make-up working Sun 28 Sep and Sat 11 Oct.
New Year 2026          off Thu 1 – Sat 3 Jan; make-up working Sun 4 Jan.
2027                   not published when chinese-calendar 1.11 was made: Monday–Friday.
"""

import datetime as dt
from decimal import Decimal

from huying.sla import calendar
from huying.sla.models import Day, ScheduleYear
from huying.test import BaseTestCase, at

D = dt.date


class Helpers:
    """Groups of tests below are mixed into one TestCase at the end."""

    def add(self, start, days):
        return calendar.add_working_days(start, days)

    def deployment_days(self, *rows, years=()):
        calendar.store_deployment_days(rows, schedule_years=years)


class SpringFestival2026(Helpers):
    def test_the_holiday_block_is_off_even_on_weekdays(self):
        for day in range(15, 24):
            with self.subTest(day=day):
                self.assertFalse(calendar.is_working(D(2026, 2, day)))
        self.assertTrue(calendar.is_working(D(2026, 2, 13)))  # Fri before
        self.assertTrue(calendar.is_working(D(2026, 2, 24)))  # Tue after

    def test_make_up_saturdays_are_working_days(self):
        self.assertEqual(D(2026, 2, 14).weekday(), 5)
        self.assertEqual(D(2026, 2, 28).weekday(), 5)
        self.assertTrue(calendar.is_working(D(2026, 2, 14)))
        self.assertTrue(calendar.is_working(D(2026, 2, 28)))
        self.assertFalse(calendar.is_working(D(2026, 3, 1)))  # the Sunday after is an ordinary Sunday

    def test_friday_plus_one_lands_on_the_make_up_saturday(self):
        self.assertEqual(self.add(at(2026, 2, 13, 10, 0), 1), at(2026, 2, 14, 10, 0))

    def test_friday_plus_two_jumps_the_whole_holiday(self):
        self.assertEqual(self.add(at(2026, 2, 13, 10, 0), 2), at(2026, 2, 24, 10, 0))

    def test_fifteen_working_days_across_the_festival(self):
        # 10 11 12 13 14(Sat) | 24 25 26 27 28(Sat) | 2 3 4 5 6 Mar
        self.assertEqual(self.add(at(2026, 2, 9, 10, 0), 15), at(2026, 3, 6, 10, 0))

    def test_a_case_on_spring_festival_day_counts_from_the_first_day_back(self):
        # 17 Feb is 春节 itself: the count starts at 00:00 on Tue 24 Feb.
        self.assertEqual(self.add(at(2026, 2, 17, 15, 0), 1), at(2026, 2, 25, 0, 0))
        # 25 26 27 28(Sat) | 2 3 4 5 6 | 9 10 11 12 13 | 16 Mar
        self.assertEqual(self.add(at(2026, 2, 17, 15, 0), 15), at(2026, 3, 16, 0, 0))

    def test_working_days_between_counts_the_make_up_day(self):
        # After Fri 13 Feb up to Tue 24 Feb: Sat 14 and Tue 24 only.
        self.assertEqual(calendar.current().working_days_between(at(2026, 2, 13, 9, 0), at(2026, 2, 24, 9, 0)), 2)


class NationalDay2025(Helpers):
    def test_the_holiday_block_and_its_make_up_days(self):
        for day in range(1, 9):
            with self.subTest(day=day):
                self.assertFalse(calendar.is_working(D(2025, 10, day)))
        self.assertTrue(calendar.is_working(D(2025, 9, 28)))  # Sunday, make-up
        self.assertTrue(calendar.is_working(D(2025, 10, 11)))  # Saturday, make-up
        self.assertFalse(calendar.is_working(D(2025, 9, 27)))  # the Saturday before stays off
        self.assertFalse(calendar.is_working(D(2025, 10, 12)))

    def test_a_saturday_case_starts_on_the_make_up_sunday(self):
        # Sat 27 Sep is off, Sun 28 Sep is a working day: counting starts there.
        self.assertEqual(self.add(at(2025, 9, 27, 14, 0), 1), at(2025, 9, 29, 0, 0))
        self.assertEqual(self.add(at(2025, 9, 27, 14, 0), 2), at(2025, 9, 30, 0, 0))

    def test_ten_working_days_from_the_eve_of_the_holiday(self):
        # 9 10 11(Sat) | 13 14 15 16 17 | 20 21 Oct
        self.assertEqual(self.add(at(2025, 9, 30, 16, 0), 2), at(2025, 10, 10, 16, 0))
        self.assertEqual(self.add(at(2025, 9, 30, 16, 0), 10), at(2025, 10, 21, 16, 0))

    def test_a_case_in_the_holiday_counts_from_the_first_day_back(self):
        self.assertEqual(self.add(at(2025, 10, 3, 11, 0), 1), at(2025, 10, 10, 0, 0))


class OrdinaryWeekend(Helpers):
    def test_a_saturday_case_is_due_like_one_at_monday_midnight(self):
        saturday = at(2026, 3, 7, 14, 0)
        self.assertEqual(self.add(saturday, 1), at(2026, 3, 10, 0, 0))
        # 10 11 12 13 | 16 17 18 19 20 | 23 24 25 26 27 | 30 Mar
        self.assertEqual(self.add(saturday, 15), at(2026, 3, 30, 0, 0))
        self.assertEqual(self.add(saturday, 15), self.add(at(2026, 3, 9, 0, 0), 15))

    def test_a_fraction_of_a_day_is_wall_clock_hours(self):
        self.assertEqual(self.add(at(2026, 3, 6, 10, 0), Decimal("1.5")), at(2026, 3, 9, 22, 0))


class YearEnds(Helpers):
    def test_new_year_2026_with_its_make_up_sunday(self):
        self.assertFalse(calendar.is_working(D(2026, 1, 2)))  # a Friday, off
        self.assertTrue(calendar.is_working(D(2026, 1, 4)))  # a Sunday, working
        # Wed 31 Dec 2025 + 2: Sun 4 Jan (make-up), Mon 5 Jan.
        self.assertEqual(self.add(at(2025, 12, 31, 10, 0), 1), at(2026, 1, 4, 10, 0))
        self.assertEqual(self.add(at(2025, 12, 31, 10, 0), 2), at(2026, 1, 5, 10, 0))

    def test_into_2027_monday_to_friday_apply_and_nothing_raises(self):
        self.assertNotIn(2027, calendar.scheduled_years())
        self.assertTrue(calendar.is_working(D(2027, 1, 1)))  # a Friday; no data says otherwise yet
        self.assertFalse(calendar.is_working(D(2027, 1, 2)))
        # Mon 21 Dec 2026 + 15: 22 23 24 25 | 28 29 30 31 | 1 Jan | 4 5 6 7 8 | 11 Jan 2027
        self.assertEqual(self.add(at(2026, 12, 21, 10, 0), 15), at(2027, 1, 11, 10, 0))
        self.assertEqual(self.add(at(2027, 6, 30, 10, 0), 200), at(2028, 4, 5, 10, 0))

    def test_a_loaded_2027_schedule_moves_the_same_deadline(self):
        self.deployment_days((D(2027, 1, 1), False, "元旦"), years=[2027])
        self.assertEqual(self.add(at(2026, 12, 21, 10, 0), 15), at(2027, 1, 12, 10, 0))


class DeploymentDays(Helpers):
    def test_an_extra_day_off(self):
        self.assertEqual(self.add(at(2026, 3, 3, 10, 0), 1), at(2026, 3, 4, 10, 0))
        self.deployment_days((D(2026, 3, 4), False, "区运会"))
        self.assertFalse(calendar.is_working(D(2026, 3, 4)))
        self.assertEqual(self.add(at(2026, 3, 3, 10, 0), 1), at(2026, 3, 5, 10, 0))

    def test_a_national_holiday_turned_into_a_working_day(self):
        self.deployment_days((D(2026, 2, 23), True, "本区值班"))
        self.assertTrue(calendar.is_working(D(2026, 2, 23)))
        # Fri 13 + 2: Sat 14, then Mon 23 instead of Tue 24.
        self.assertEqual(self.add(at(2026, 2, 13, 10, 0), 2), at(2026, 2, 23, 10, 0))

    def test_a_deployment_weekend_working_day(self):
        self.deployment_days((D(2026, 3, 7), True, "集中攻坚"))
        self.assertEqual(self.add(at(2026, 3, 6, 10, 0), 1), at(2026, 3, 7, 10, 0))

    def test_the_national_row_stays_and_the_deployment_row_wins(self):
        self.deployment_days((D(2026, 2, 23), True, "本区值班"))
        sources = dict(Day.objects.filter(date=D(2026, 2, 23)).values_list("source", "working"))
        self.assertEqual(sources, {Day.CHINESE_CALENDAR: False, Day.DEPLOYMENT: True})

    def test_storing_the_same_day_again_updates_it(self):
        self.deployment_days((D(2026, 3, 4), False, "区运会"))
        self.deployment_days((D(2026, 3, 4), True, "改为上班"))
        self.assertEqual(Day.objects.filter(date=D(2026, 3, 4), source=Day.DEPLOYMENT).count(), 1)
        self.assertTrue(calendar.is_working(D(2026, 3, 4)))


class ReadSchedule(Helpers):
    def test_a_good_file(self):
        rows = calendar.read_schedule([
            "date,working,note\n", "2027-02-06,休,春节\n", "2027-02-20,班,春节调休\n", "\n", "2027-10-01,0\n",
        ])
        self.assertEqual(rows, [
            (D(2027, 2, 6), False, "春节"), (D(2027, 2, 20), True, "春节调休"), (D(2027, 10, 1), False, ""),
        ])

    def test_a_spreadsheet_header_with_spaces_and_a_byte_order_mark(self):
        rows = calendar.read_schedule(["\ufeffDate, Working\n", "2027-01-01, 0\n"])
        self.assertEqual(rows, [(D(2027, 1, 1), False, "")])

    def test_every_error_names_its_line(self):
        lines = [
            "date,working,note\n",  # 1
            "2027-01-01,0,元旦\n",  # 2
            "2027-02-30,0,no such day\n",  # 3
            "\n",  # 4 (blank, still counted)
            "2027-02-20,maybe\n",  # 5
        ]
        with self.assertRaises(calendar.ScheduleError) as raised:
            calendar.read_schedule(lines)
        message = str(raised.exception)
        self.assertIn("line 3: bad date '2027-02-30'", message)
        self.assertIn("line 5: working must be 1 or 0, not 'maybe'", message)
        self.assertNotIn("line 2", message)

    def test_a_file_without_the_header(self):
        with self.assertRaisesRegex(calendar.ScheduleError, "header"):
            calendar.read_schedule(["2027-01-01,0\n"])

    def test_a_refused_file_stores_nothing(self):
        before = Day.objects.count()
        with self.assertRaises(calendar.ScheduleError):
            calendar.store_deployment_days(calendar.read_schedule(["date,working\n", "2027-01-01,0\n", "x,1\n"]))
        self.assertEqual(Day.objects.count(), before)


class ScheduleYears(Helpers):
    def test_store_deployment_days_marks_the_year_scheduled(self):
        rows = calendar.read_schedule(["date,working,note\n", "2027-01-01,0,元旦\n", "2027-02-20,1,调休\n"])
        self.assertEqual(calendar.store_deployment_days(rows, schedule_years=[2027]), 2)
        self.assertIn(2027, calendar.scheduled_years())
        self.assertEqual(ScheduleYear.objects.get(year=2027).source, Day.DEPLOYMENT)
        self.assertTrue(calendar.is_working(D(2027, 2, 20)))  # a Saturday
        self.assertFalse(calendar.is_working(D(2027, 1, 1)))

    def test_days_alone_do_not_mark_a_year(self):
        calendar.store_deployment_days([(D(2027, 1, 1), False, "")])
        self.assertNotIn(2027, calendar.scheduled_years())

    def test_warns_in_november_while_next_year_has_none(self):
        self.assertEqual(calendar.schedule_warnings(D(2026, 10, 31)), [])
        [warning] = calendar.schedule_warnings(D(2026, 11, 1))
        self.assertIn("2027", warning)
        self.assertEqual(len(calendar.schedule_warnings(D(2026, 12, 31))), 1)

    def test_no_warning_once_next_year_is_loaded(self):
        calendar.store_deployment_days([(D(2027, 1, 1), False, "元旦")], schedule_years=[2027])
        self.assertEqual(calendar.schedule_warnings(D(2026, 11, 15)), [])

    def test_warns_when_the_current_year_has_none(self):
        [warning] = calendar.schedule_warnings(D(2027, 3, 1))
        self.assertIn("for 2027", warning)


class LoadNational(Helpers):
    def test_loading_twice_creates_nothing_the_second_time(self):
        days, years = Day.objects.count(), ScheduleYear.objects.count()
        self.assertEqual(calendar.load_national(range(2025, 2027)), 0)  # already loaded by the base case
        self.assertEqual((Day.objects.count(), ScheduleYear.objects.count()), (days, years))

    def test_a_new_year_stores_every_day_once(self):
        self.assertEqual(calendar.load_national([2019]), 365)
        self.assertEqual(calendar.load_national([2019]), 0)
        self.assertEqual(Day.objects.filter(date__year=2019).count(), 365)
        self.assertIn(2019, calendar.scheduled_years())

    def test_the_years_chinese_calendar_knows(self):
        years = calendar.national_years()
        self.assertEqual((years[0], years[-1]), (2004, 2026))


class CalendarTest(
    SpringFestival2026, NationalDay2025, OrdinaryWeekend, YearEnds, DeploymentDays, ReadSchedule, ScheduleYears,
    LoadNational, BaseTestCase,
):
    """All of the above in one test case: BaseTestCase builds its world (the
    national schedule and the actors) once per class, which is the
    slow part, so the groups share it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        calendar.load_national([2025, 2026])  # the years counted on here, whatever the base loads

    def tearDown(self):
        # The calendar is cached per process; a rolled-back deployment day
        # must not leak into the next test.
        calendar.forget()


def test_a_date_given_twice_is_refused_with_both_lines():
    import io

    import pytest

    from huying.sla.calendar import ScheduleError, read_schedule

    with pytest.raises(ScheduleError, match="line 3: 2027-01-01 already given on line 2"):
        read_schedule(io.StringIO("date,working\n2027-01-01,0\n2027-01-01,1\n"))
