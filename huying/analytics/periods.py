"""Periods the figures are asked for: a day, an ISO week, a month, or any range.

    2021-03-05              one day
    2021-W09                ISO week (Monday to Sunday)
    2021-03                 a month
    2021-03-01..2021-03-15  any range of days, both ends included
"""

import calendar as cal
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.I)
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
# Longest range one request may ask for, to keep every query bounded.
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    label: str

    @property
    def days(self):
        return (self.last - self.first).days + 1

    @property
    def text(self):
        """The period as parse() reads it back."""
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def previous(self):
        """The period of the same length just before this one."""
        length = self.last - self.first
        last = self.first - dt.timedelta(days=1)
        return Period(last - length, last, "")

    def step(self):
        """The trend's step for this length: day, week or month."""
        return "day" if self.days <= 62 else "week" if self.days <= 190 else "month"


def parse(text):
    text = (text or "").strip()
    try:
        if ".." in text:
            a, b = (parse_day(x) for x in text.split("..", 1))
            if b < a:
                raise ValueError(_("The range ends before it starts."))
            period = Period(a, b, f"{a}–{b}")
        elif DAY.match(text):
            day = parse_day(text)
            period = Period(day, day, text)
        elif m := WEEK.match(text):
            first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            period = Period(first, first + dt.timedelta(days=6), f"{m[1]}-W{int(m[2]):02d}")
        elif m := MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            period = Period(dt.date(year, month, 1), dt.date(year, month, cal.monthrange(year, month)[1]), f"{year}-{month:02d}")
        else:
            raise ValueError(_("Write the period as 2021-03-05, 2021-W09, 2021-03 or 2021-03-01..2021-03-15."))
    except ValueError as error:
        raise ValueError(_("Not a period: %(text)s. %(why)s") % {"text": text, "why": error}) from None
    if period.days > MAX_DAYS:
        raise ValueError(_("A period can be at most %(days)s days long.") % {"days": MAX_DAYS})
    return period


def parse_day(text):
    return dt.date.fromisoformat(text.strip())


def this_month(today=None):
    today = today or timezone.localdate()
    return parse(f"{today.year}-{today.month:02d}")


def last_days(n, today=None):
    today = today or timezone.localdate()
    return Period(today - dt.timedelta(days=n - 1), today, "")


def bucket(day, step):
    """The first day of the trend step that `day` falls in."""
    if step == "week":
        return day - dt.timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    return day
