"""Working days.

The State Council's schedule comes from `chinese-calendar` and is stored in
the `Day` table, so a deployment can add its own days off and an admin can
load a year the package does not know yet. A day with no row at all follows
the plain rule, Monday to Friday, so a deadline never fails for lack of data.
"""

import csv
import datetime as dt
import time
from decimal import Decimal

import chinese_calendar
from django.db import transaction
from django.utils import timezone

from huying.sla.models import Day, ScheduleYear

_CACHE_SECONDS = 60
_cache = {"at": 0.0, "calendar": None}


class Calendar:
    """An in-memory view of the days that break the Mon–Fri rule."""

    def __init__(self, exceptions):
        self.exceptions = exceptions  # date -> working?

    @classmethod
    def from_db(cls):
        days = {}
        # Deployment rows come last so they win over the national schedule.
        order = {Day.CHINESE_CALENDAR: 0, Day.DEPLOYMENT: 1}
        rows = Day.objects.values_list("date", "working", "source")
        for date, working, source in sorted(rows, key=lambda r: order[r[2]]):
            days[date] = working
        return cls({d: w for d, w in days.items() if w != (d.weekday() < 5)})

    def is_working(self, day):
        return self.exceptions.get(day, day.weekday() < 5)

    def next_working_day(self, day):
        day += dt.timedelta(days=1)
        while not self.is_working(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start, days):
        """The same clock time `days` working days after `start`.

        A start on a day off counts from 00:00 of the next working day, so a
        case that arrives on Saturday gets the same time as one that arrives
        first thing on Monday. Fractions of a day are wall-clock hours.
        """
        local = timezone.localtime(start)
        whole = int(days)
        if not self.is_working(local.date()):
            first = self.next_working_day(local.date())
            local = local.replace(year=first.year, month=first.month, day=first.day, hour=0, minute=0, second=0, microsecond=0)
        day = local.date()
        for _ in range(whole):
            day = self.next_working_day(day)
        result = local.replace(year=day.year, month=day.month, day=day.day)
        return result + dt.timedelta(hours=float((Decimal(days) - whole) * 24))

    def working_days_between(self, start, end):
        """Whole working days from start's date (exclusive) to end's date (inclusive)."""
        a, b = timezone.localtime(start).date(), timezone.localtime(end).date()
        count, day = 0, a
        while day < b:
            day += dt.timedelta(days=1)
            count += self.is_working(day)
        return count


def scheduled_years():
    """Years whose official schedule has been loaded, from the package or a file."""
    return set(ScheduleYear.objects.values_list("year", flat=True))


def current():
    """The calendar, rebuilt at most once a minute (and at once after a change)."""
    now = time.monotonic()
    if _cache["calendar"] is None or now - _cache["at"] > _CACHE_SECONDS:
        _cache["calendar"] = Calendar.from_db()
        _cache["at"] = now
    return _cache["calendar"]


def forget():
    _cache["calendar"] = None


def add_working_days(start, days):
    return current().add_working_days(start, days)


def is_working(day):
    return current().is_working(day)


def national_years():
    """The years `chinese-calendar` knows, e.g. 2004..2026."""
    return range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


@transaction.atomic
def load_national(years=None):
    """Store every day of the years `chinese-calendar` knows. Idempotent."""
    created = 0
    for year in years or national_years():
        day = dt.date(year, 1, 1)
        have = set(Day.objects.filter(source=Day.CHINESE_CALENDAR, date__year=year).values_list("date", flat=True))
        rows = []
        while day.year == year:
            if day not in have:
                _, name = chinese_calendar.get_holiday_detail(day)
                rows.append(Day(date=day, working=chinese_calendar.is_workday(day), source=Day.CHINESE_CALENDAR, note=name or ""))
            day += dt.timedelta(days=1)
        Day.objects.bulk_create(rows)
        ScheduleYear.objects.get_or_create(year=year, defaults={"source": Day.CHINESE_CALENDAR})
        created += len(rows)
    forget()
    return created


class ScheduleError(ValueError):
    pass


def read_schedule(lines):
    """Parse a schedule file: CSV with the columns date,working[,note].

    `working` is 1/0, true/false, 班/休. Every error names its line, and
    nothing is stored unless the whole file is good.
    """
    truthy = {"1", "true", "yes", "班", "working", "work"}
    falsy = {"0", "false", "no", "休", "off", "holiday"}
    rows, errors, seen = [], [], {}
    reader = csv.DictReader(lines)
    if reader.fieldnames:
        # "date, working" or a spreadsheet's byte-order mark must still find
        # the columns, or every row would read as empty.
        reader.fieldnames = [f.strip().lstrip("\ufeff").strip().lower() for f in reader.fieldnames]
    if not reader.fieldnames or not {"date", "working"} <= set(reader.fieldnames):
        raise ScheduleError("the file needs a header with the columns date,working[,note]")
    for row in reader:
        line = reader.line_num  # the file's own line, blank lines included
        try:
            day = dt.date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            errors.append(f"line {line}: bad date {row.get('date')!r} (want YYYY-MM-DD)")
            continue
        flag = (row.get("working") or "").strip().lower()
        if flag not in truthy | falsy:
            errors.append(f"line {line}: working must be 1 or 0, not {row.get('working')!r}")
            continue
        if day in seen:
            errors.append(f"line {line}: {day} already given on line {seen[day]}")
            continue
        seen[day] = line
        rows.append((day, flag in truthy, (row.get("note") or "").strip()[:100]))
    if errors:
        raise ScheduleError("; ".join(errors))
    return rows


@transaction.atomic
def store_deployment_days(rows, schedule_years=()):
    """Store deployment days (they override the national schedule).

    `schedule_years` marks years the file declares complete, e.g. a year's
    official schedule loaded before `chinese-calendar` knows it."""
    for day, working, note in rows:
        Day.objects.update_or_create(
            date=day, source=Day.DEPLOYMENT, defaults={"working": working, "note": note}
        )
    for year in schedule_years:
        ScheduleYear.objects.update_or_create(year=year, defaults={"source": Day.DEPLOYMENT})
    forget()
    return len(rows)


def schedule_warnings(today=None):
    """Messages for admins: a year that deadlines will soon reach has no schedule."""
    today = today or timezone.localdate()
    known = scheduled_years()
    messages = []
    if today.year not in known:
        messages.append(f"No working-day schedule is loaded for {today.year}: Monday to Friday count as working days.")
    # The State Council publishes the next year's schedule in Nov or Dec.
    if today.month >= 11 and today.year + 1 not in known:
        messages.append(
            f"No working-day schedule is loaded for {today.year + 1} yet. Load it when the State Council "
            f"publishes it (huying calendar load FILE, or the admin pages); until then Monday to Friday count."
        )
    return messages
