"""What one case adds to the figures, read from its events alone.

The rules (docs/data-centre.md says the same for readers):

- A case counts on the local date of its intake, for the unit answerable
  for it now: its lead unit, or for a duplicate, the lead unit of the case
  it was merged into. A case never dispatched counts for no unit (0).
- Each time the centre dispatches a case, a new round starts for the unit it
  went to: *accepted on time* is that round's first acceptance by its accept
  deadline, *first contact in time* is its first reply (the unit's first
  answer to the citizen) by the reply deadline then in force. *Responded*
  needs both. Reopening keeps the round: it is the same unit's work again.
- *Replied on time*: the case has a reply now and the latest reply was by
  its deadline (extensions count). *Overdue*: in this round an acceptance
  or a reply came after its deadline, or the worker urged or supervised the
  case (it does so only for a missed deadline).
- Ratings: the latest rating counts, once per case, duplicates' callers
  included; a disputed rating a supervisor found unreasonable is excluded.
"""

import datetime as dt
import math
from dataclasses import astuple, dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

from huying.analytics.models import COUNTS

# Map grid cells of about 550 m x 510 m at Guangzhou's latitude.
CELLS_PER_DEGREE = 200
GOOD = ("satisfied", "basically")
REPLIED = ("replied", "review", "closed")


@dataclass(frozen=True)
class Keys:
    day: dt.date
    unit: int = 0
    place: int = 0
    cell: str = ""
    kind: str = ""
    channel: str = ""
    category: int = 0


@dataclass
class Fact:
    keys: Keys
    counts: tuple = field(default_factory=lambda: (0,) * len(COUNTS))

    def as_fields(self):
        return {**self.keys.__dict__, **dict(zip(COUNTS, self.counts))}


@dataclass
class Round:
    """One unit's round of work since the centre's latest dispatch."""

    accepted_on_time: bool | None = None
    first_contact_in_time: bool | None = None
    last_reply_on_time: bool | None = None
    late: bool = False


def fact_of(events, *, category_top, main_lead=None):
    """The fact for a case with these events.

    `category_top` maps a category id to its top-level id; `main_lead(pk)`
    gives the lead unit id of a main case (for duplicates)."""
    state, rnd = {}, Round()
    for event in sorted(events, key=lambda e: e.seq):
        state.update(event.changes)
        rnd = step(rnd, event, state)
    merged = state.get("status") == "merged"
    unit = state.get("lead_unit")
    if merged:
        unit = main_lead(state["main_case"]) if main_lead and state.get("main_case") else None
    keys = Keys(
        day=local_date(state["created_at"]),
        unit=unit or 0,
        place=state.get("community") or state.get("street") or 0,
        cell=cell_of(state.get("lat"), state.get("lng")),
        kind=state.get("kind", ""),
        channel=state.get("channel", ""),
        category=category_top(state.get("category")) or 0,
    )
    return Fact(keys, counts(state, rnd, merged))


def step(rnd, event, state):
    action = event.action
    if action == "dispatch":
        return Round()
    if action == "import":
        return imported_round(state)
    if action == "accept":
        on_time = by(event.at, state.get("accept_due"))
        if rnd.accepted_on_time is None:
            rnd.accepted_on_time = on_time
        rnd.late |= not on_time
    elif action == "reply" and state.get("status") != "merged":
        on_time = by(event.at, state.get("reply_due"))
        if rnd.first_contact_in_time is None:
            rnd.first_contact_in_time = on_time
        rnd.last_reply_on_time = on_time
        rnd.late |= not on_time
    elif action in ("urge", "supervise") and event.actor_id is None:
        rnd.late = True  # only the worker acts with no person, and only when late
    return rnd


def imported_round(state):
    """An old system's case arrives whole: judge its one round from its times."""
    accepted = state.get("accepted_at")
    replied = state.get("replied_at")
    accepted_on_time = by(accepted, state.get("accept_due")) if accepted else None
    reply_on_time = by(replied, state.get("reply_due")) if replied else None
    late = accepted_on_time is False or reply_on_time is False
    return Round(accepted_on_time, reply_on_time, reply_on_time, late)


def counts(state, rnd, merged):
    satisfaction = state.get("satisfaction") or ""
    has_rating = state.get("resolved") is not None and satisfaction != ""
    excluded = has_rating and bool(state.get("rating_excluded"))
    rated = has_rating and not excluded
    working = not merged and bool(state.get("lead_unit"))
    replied = working and state.get("status") in REPLIED and bool(state.get("replied_at"))
    values = {
        "received": True,
        "merged": merged,
        "dispatched": working,
        "accepted_on_time": working and bool(rnd.accepted_on_time),
        "first_contact_in_time": working and bool(rnd.first_contact_in_time),
        "responded": working and bool(rnd.accepted_on_time) and bool(rnd.first_contact_in_time),
        "replied": replied,
        "replied_on_time": replied and bool(rnd.last_reply_on_time),
        "overdue": working and rnd.late,
        "rated": rated,
        "resolved": rated and state.get("resolved") is True,
        "satisfied": rated and satisfaction == "satisfied",
        "basically": rated and satisfaction == "basically",
        "unsatisfied": rated and satisfaction == "unsatisfied",
        "excluded": excluded,
        "reopened": (state.get("reopen_count") or 0) > 0,
        "closed": state.get("status") == "closed",
    }
    return tuple(int(values[name]) for name in COUNTS)


def by(moment, due):
    """True when `moment` is not after `due`; no deadline means in time."""
    if due is None:
        return True
    return as_datetime(moment) <= as_datetime(due)


def as_datetime(value):
    return value if isinstance(value, dt.datetime) else parse(value)


@lru_cache(maxsize=4096)
def parse(text):
    return dt.datetime.fromisoformat(text)


def local_date(value):
    return as_datetime(value).astimezone(zone()).date()


@lru_cache(maxsize=1)
def zone():
    return ZoneInfo(settings.TIME_ZONE)


def cell_of(lat, lng):
    if lat is None or lng is None:
        return ""
    return f"{math.floor(lat * CELLS_PER_DEGREE)}:{math.floor(lng * CELLS_PER_DEGREE)}"


def cell_centre(cell):
    row, col = (int(x) for x in cell.split(":"))
    return (row + 0.5) / CELLS_PER_DEGREE, (col + 0.5) / CELLS_PER_DEGREE


def as_row(fact):
    """Keys and counts as one flat tuple (for bulk writes)."""
    return astuple(fact.keys) + fact.counts
