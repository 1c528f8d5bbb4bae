"""`huying calendar`: the working-day calendar that every deadline counts on.

    huying calendar sync                      store the State Council schedule chinese-calendar knows
    huying calendar load FILE [--year YEAR]   store a deployment's own days (CSV date,working[,note])
    huying calendar show YEAR                 the days that break the Monday–Friday rule, and why
    huying calendar warnings                  what an admin must still load
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from huying.sla import calendar
from huying.sla.models import Day

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Command(BaseCommand):
    help = "Working-day calendar: sync the national schedule, load a deployment's days, show a year, warnings."
    # `calendar warnings` reports the calendar itself; the system check would say it twice.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{sync,load,show,warnings}")
        actions.add_parser("sync", help="store every year chinese-calendar knows (safe to repeat)")
        load = actions.add_parser("load", help="store a CSV of days (date,working[,note]); all or nothing")
        load.add_argument("file", help="CSV file with the header date,working[,note]; working is 1/0 or 班/休")
        load.add_argument(
            "--year", type=int, action="append", default=[], metavar="YEAR",
            help="the file is this year's complete official schedule (repeatable)",
        )
        show = actions.add_parser("show", help="list a year's weekdays off and working weekend days")
        show.add_argument("year", type=int)
        warnings = actions.add_parser("warnings", help="say which coming year still has no schedule")
        warnings.add_argument("--today", type=dt.date.fromisoformat, help="check as of this date (YYYY-MM-DD)")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def sync(self, **options):
        years = calendar.national_years()
        before = Day.objects.filter(source=Day.CHINESE_CALENDAR).count()
        created = calendar.load_national(years)
        self.stdout.write(
            f"chinese-calendar {years[0]}–{years[-1]}: {created} days added, {before} already stored."
        )

    def load(self, *, file, year, **options):
        rows = read_file(file)
        empty = [y for y in year if not any(day.year == y for day, _, _ in rows)]
        if empty:
            # A year marked complete without a single day in it is almost surely a typo.
            raise CommandError(f"{file} has no day in {', '.join(map(str, empty))}; nothing stored.")
        stored = calendar.store_deployment_days(rows, schedule_years=year)
        self.stdout.write(f"{stored} deployment days stored from {file}.")
        for y in year:
            self.stdout.write(f"{y} is now marked as scheduled.")

    def show(self, *, year, **options):
        scheduled = year in calendar.scheduled_years()
        self.stdout.write(
            f"{year}: " + ("schedule loaded." if scheduled else "no schedule loaded; Monday to Friday count as working days.")
        )
        exceptions = exceptions_of(year)
        for day, working, source, note in exceptions:
            status = "working" if working else "off"
            self.stdout.write(f"{day} {WEEKDAYS[day.weekday()]}  {status:<7}  {source:<16}  {note}".rstrip())
        if not exceptions:
            self.stdout.write("No day breaks the Monday–Friday rule.")

    def warnings(self, *, today=None, **options):
        messages = calendar.schedule_warnings(today)
        for message in messages:
            self.stdout.write(self.style.WARNING(message))
        if not messages:
            self.stdout.write("No warnings: this year and the coming one are scheduled.")


def read_file(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            return calendar.read_schedule(f)
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text; save it as CSV UTF-8. Nothing stored.") from None
    except calendar.ScheduleError as error:
        lines = "\n".join(f"  {e}" for e in str(error).split("; "))
        raise CommandError(f"{path} refused, nothing stored:\n{lines}") from None


def exceptions_of(year):
    """(date, working, source, note) for each day of `year` whose status,
    after the deployment's rows override the national ones, breaks Mon–Fri."""
    winner = {}
    rows = Day.objects.filter(date__year=year).values_list("date", "working", "source", "note")
    for day, working, source, note in rows:
        if day not in winner or source == Day.DEPLOYMENT:
            winner[day] = (day, working, source, note)
    return [row for day, row in sorted(winner.items()) if row[1] != (day.weekday() < 5)]
