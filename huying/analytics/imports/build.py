"""One row of an old system's export -> one case: its fields, its two events
and its fact. Pure Python over in-memory lookups, so a million rows build
without a query per row.

The case is what `huying.cases.ledger.create` would insert (the case as it
came in, status new) followed by what `ledger.record(case, …, "import", …)`
would change (how the old system handled it): the *intake* event holds the
first, the *import* event the second, so the case is still the replay of its
events. `tests/test_import.py` checks the bulk writer gives exactly what the
ledger gives.
"""

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from huying.analytics.facts import REPLIED, Fact, Keys, cell_of
from huying.cases.errors import BadInput
from huying.cases.ledger import STATE_FIELDS, encode_changes
from huying.cases.models import Category, Kind, Status, Urgency
from huying.cases.steps.common import the_centre
from huying.cases.steps.intake import phone as clean_phone
from huying.org.models import Unit
from huying.sla import calendar, deadlines
from huying.sla.models import Limit

IMPORT_LABEL = "import"
# The outcome the import event records, always all of these.
OUTCOME = ["status", "lead_unit", "dispatched_by", "dispatched_at", "accept_due", "accepted_at", "reply_due",
           "replied_at", "reply_text", "closed_at", "resolved", "satisfaction", "reopen_count", "urge_at", "followup_due"]
OUTCOME_TIMES = [name for name in OUTCOME if name.endswith(("_at", "_due"))]
DEFAULTS = {f.name: f.get_default() for f in STATE_FIELDS}
ENCODED_DEFAULTS = encode_changes(DEFAULTS) | {"co_units": []}
# Intake fields a row sets; the others keep their defaults.
VARYING = ["kind", "channel", "urgency", "category", "title", "text", "citizen_name", "citizen_phone", "address",
           "lat", "lng", "street", "community", "external_id", "status", "created_at"]
UTC = dt.timezone.utc
JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# The intake event's fields no row sets, as JSON text once: a row's event is
# its own fields' JSON followed by these and the case number.
CONSTANT_JSON = JSON.encode({k: v for k, v in ENCODED_DEFAULTS.items() if k not in VARYING and k != "number"})[1:-1]


def encode(values, times):
    """As ledger.encode_changes for the plain values a row holds (ids, text,
    numbers, datetimes): only the named times need encoding."""
    out = dict(values)
    for name in times:
        if out[name] is not None:
            out[name] = out[name].astimezone(UTC).isoformat()
    return out


class BadRow(ValueError):
    pass


@dataclass
class Built:
    key: str
    line: int
    created_at: dt.datetime
    intake: dict  # field name -> value at intake (ids for relations), for the VARYING fields
    outcome: dict  # field name -> value after the import event
    intake_head: str  # the intake event's JSON up to the case number
    import_json: str  # the import event's JSON
    fact: Fact = None
    encoded: dict = None  # intake fields the row sets and the outcome, as the events hold them
    text: tuple = None  # COPY text around the id and number, when the writer prepared it

    def intake_json(self, number):
        return f"{self.intake_head}{JSON.encode(number)}}}"

    @property
    def intake_changes(self):
        """The intake event's changes, less the number (as a dict)."""
        changes = json.loads(self.intake_json(""))
        del changes["number"]
        return changes

    @property
    def import_changes(self):
        return json.loads(self.import_json)


class Lookups:
    """Everything a row refers to, loaded once."""

    def __init__(self):
        self.zone = ZoneInfo(settings.TIME_ZONE)
        units = list(Unit.objects.filter(active=True).values("id", "code", "name", "short", "kind", "parent_id"))
        self.parent = {u["id"]: u["parent_id"] for u in units}
        self.kind = {u["id"]: u["kind"] for u in units}
        self.units = {}
        for kind in (Unit.STREET, Unit.COMMUNITY, Unit.DEPARTMENT, Unit.GRID):
            table = {}
            for u in units:
                if u["kind"] == kind:
                    for name in {u["code"], u["name"], u["short"]} - {""}:
                        table[name] = u["id"]
            self.units[kind] = table
        self.categories = category_names()
        self.tops = {c: top for c, top in category_tops().items()}
        centre = the_centre()
        self.centre = centre.pk if centre else None
        # Every (kind, urgency) up front: the builder runs beside the database
        # work and must not query.
        self.limits = {(k, u): deadlines.limits(k, u) for k in Kind.values for u in Urgency.values}
        self.days = {}
        self.calendar = calendar.current()

    def unit(self, text, kinds):
        for kind in kinds:
            if text in self.units[kind]:
                return self.units[kind][text]
        return None

    def limit(self, kind, urgency):
        return self.limits[(kind, urgency)]

    def after(self, start, amount, unit):
        if unit == Limit.HOURS:
            return start + dt.timedelta(hours=float(amount))
        if amount != int(amount):
            return self.calendar.add_working_days(start, amount)
        # Whole working days keep the clock time (00:00 from a day off), so the
        # answer depends only on the date: work it out once per date.
        local = start.astimezone(self.zone)
        day = local.date()
        key = (day, int(amount))
        if key not in self.days:
            self.days[key] = self.calendar.add_working_days(dt.datetime(day.year, day.month, day.day, 12, tzinfo=self.zone), int(amount)).date()
        target = self.days[key]
        if not self.calendar.is_working(day):
            local = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return local.replace(year=target.year, month=target.month, day=target.day)


def category_names():
    """code, full path (any of › / > separators) and unique leaf names -> id."""
    rows = list(Category.objects.filter(active=True).select_related("parent__parent"))
    table, leaf_count = {}, {}
    for c in rows:
        table[c.code] = c.pk
        names = c.path_label.split(" › ")
        for sep in (" › ", "›", "/", ">", "-"):
            table[sep.join(names)] = c.pk
        leaf_count[c.name] = leaf_count.get(c.name, 0) + 1
    for c in rows:
        if leaf_count[c.name] == 1:
            table.setdefault(c.name, c.pk)
    return table


def category_tops():
    from huying.analytics.refresh import category_tops as tops

    return tops()


class RowBuilder:
    def __init__(self, mapping, lookups, file_label):
        self.m = mapping
        self.look = lookups
        self.file = file_label
        self.maps = {name: mapping.value_map(name) for name in ("kind", "channel", "urgency", "satisfaction", "resolved")}
        self.columns = mapping.columns
        self.pairs = list(mapping.columns.items())
        self.defaults = dict(mapping.defaults)

    def values(self, record):
        """field -> the row's value, stripped; empty cells take the mapping's default."""
        out = dict(self.defaults)
        for name, column in self.pairs:
            value = record.get(column)
            if isinstance(value, str):
                value = value.strip()
            if value is not None and value != "":
                out[name] = value
        return out

    def build(self, record, line):
        """A Built row, or BadRow with the reason."""
        try:
            return self._build(record, line)
        except BadInput as error:
            raise BadRow(str(error)) from None

    def _build(self, record, line):
        g = self.values(record).get
        external = text_of(g("external_id"))
        if not external:
            raise BadRow(_("no external id (%(column)s)") % {"column": self.columns["external_id"]})
        created = self.moment(g("created_at"), "created_at", required=True)
        text = text_of(g("text"))
        if not text:
            raise BadRow(_("no description (%(column)s)") % {"column": self.columns["text"]})
        title = (text_of(g("title")) or text[:30])[:200]
        kind = self.coded("kind", g("kind"), required=True)
        channel = self.coded("channel", g("channel")) or "phone"
        urgency = self.coded("urgency", g("urgency")) or "normal"
        street, community = self.place(g("street"), g("community"))
        lat, lng = self.point(g("lat"), g("lng"))
        intake = {  # VARYING, in its order; the other fields keep their DEFAULTS
            "kind": kind, "channel": channel, "urgency": urgency, "category": self.category(g("category")),
            "title": title, "text": text, "citizen_name": text_of(g("citizen_name"))[:50],
            "citizen_phone": clean_phone(text_of(g("citizen_phone"))), "address": text_of(g("address"))[:200],
            "lat": lat, "lng": lng, "street": street, "community": community, "external_id": external[:100],
            "status": Status.NEW, "created_at": created,
        }
        outcome = self.outcome(g, intake)
        varying, done = encode(intake, ["created_at"]), encode(outcome, OUTCOME_TIMES)
        return Built(
            key=f"{self.m.source}:{external}"[:150], line=line, created_at=created, intake=intake, outcome=outcome,
            intake_head=f"{JSON.encode(varying)[:-1]},{CONSTANT_JSON},\"number\":", import_json=JSON.encode(done),
            fact=self.fact(intake, outcome), encoded=varying | done,
        )

    def fact(self, intake, outcome):
        """What `facts.fact_of` gives for the row's two events, worked out from
        the values (tests check both agree)."""
        keys = Keys(
            day=intake["created_at"].astimezone(self.look.zone).date(), unit=outcome["lead_unit"] or 0,
            place=intake["community"] or intake["street"] or 0, cell=cell_of(intake["lat"], intake["lng"]),
            kind=intake["kind"], channel=intake["channel"], category=self.look.tops.get(intake["category"]) or 0,
        )
        return Fact(keys, imported_counts(outcome))

    def outcome(self, g, intake):
        created, kind, urgency = intake["created_at"], intake["kind"], intake["urgency"]
        lead = self.lead(g("lead_unit"))
        times = {name: self.moment(g(name), name) for name in ("dispatched_at", "accepted_at", "replied_at", "closed_at", "accept_due", "reply_due")}
        resolved = self.coded("resolved", g("resolved"))
        satisfaction = self.coded("satisfaction", g("satisfaction")) or ""
        if (resolved is None) != (satisfaction == ""):
            raise BadRow(_("a rating needs both resolved and satisfaction"))
        rated = resolved is not None
        if lead is None and any(times[n] for n in ("dispatched_at", "accepted_at", "replied_at")):
            raise BadRow(_("dispatched, accepted or replied without a handling unit (%(column)s)")
                         % {"column": self.columns.get("lead_unit", "lead_unit")})
        if rated and not (times["replied_at"] or times["closed_at"]):
            raise BadRow(_("rated but never replied"))
        dispatched = times["dispatched_at"] or (created if lead else None)
        order = [("created_at", created), ("dispatched_at", dispatched), ("accepted_at", times["accepted_at"]),
                 ("replied_at", times["replied_at"]), ("closed_at", times["closed_at"])]
        check_order(order)
        accept_limit, accept_unit, reply_limit, reply_unit = self.look.limit(kind, urgency)
        accept_due = times["accept_due"] or (self.look.after(dispatched, accept_limit, accept_unit) if dispatched else None)
        reply_due = times["reply_due"] or (self.look.after(dispatched, reply_limit, reply_unit) if dispatched else None)
        closed_at = times["closed_at"] or (times["replied_at"] if rated else None)
        status = (Status.CLOSED if closed_at else Status.REPLIED if times["replied_at"] else Status.ACCEPTED if times["accepted_at"]
                  else Status.DISPATCHED if lead else Status.NEW)
        urge_at = None
        if status == Status.DISPATCHED:
            urge_at = accept_due if accept_unit == Limit.HOURS else self.look.after(accept_due, 1, Limit.WORKDAYS)
        elif status == Status.ACCEPTED:
            urge_at = reply_due if reply_unit == Limit.HOURS else self.look.after(reply_due, 1, Limit.WORKDAYS)
        followup_due = self.look.after(times["replied_at"], deadlines.FOLLOWUP_WORKDAYS, Limit.WORKDAYS) if status == Status.REPLIED else None
        return {
            "status": status, "lead_unit": lead, "dispatched_by": self.look.centre if lead else None,
            "dispatched_at": dispatched, "accept_due": accept_due, "accepted_at": times["accepted_at"],
            "reply_due": reply_due, "replied_at": times["replied_at"], "reply_text": text_of(g("reply_text")),
            "closed_at": closed_at, "resolved": resolved, "satisfaction": satisfaction,
            "reopen_count": self.count(g("reopen_count")), "urge_at": urge_at, "followup_due": followup_due,
        }

    # --- one value --------------------------------------------------------

    def moment(self, value, name, required=False):
        if value is None or value == "":
            if required:
                raise BadRow(_("no %(field)s (%(column)s)") % {"field": name, "column": self.columns.get(name, name)})
            return None
        if isinstance(value, dt.datetime):
            naive = value
        elif isinstance(value, dt.date):
            naive = dt.datetime(value.year, value.month, value.day)
        else:
            naive = parse_time(str(value), self.m.datetime_formats)
            if naive is None:
                raise BadRow(_("%(field)s is not a date and time: %(value)s") % {"field": name, "value": value})
        if naive.tzinfo is not None:
            return naive
        return naive.replace(tzinfo=self.look.zone)

    def coded(self, name, value, required=False):
        if value is None or value == "":
            if required:
                raise BadRow(_("no %(field)s") % {"field": name})
            return None
        table = self.maps[name]
        key = str(value).strip()
        if key in table:
            return table[key]
        if key.lower() in table:
            return table[key.lower()]
        raise BadRow(_("unknown %(field)s: %(value)s") % {"field": name, "value": value})

    def category(self, value):
        if not value:
            return None
        found = self.look.categories.get(str(value).strip())
        if found is None:
            raise BadRow(_("unknown category: %(value)s") % {"value": value})
        return found

    def place(self, street_text, community_text):
        street = community = None
        if community_text:
            community = self.look.unit(str(community_text), [Unit.COMMUNITY])
            if community is None:
                raise BadRow(_("unknown community: %(value)s") % {"value": community_text})
        if street_text:
            street = self.look.unit(str(street_text), [Unit.STREET])
            if street is None:
                raise BadRow(_("unknown street: %(value)s") % {"value": street_text})
        if community is not None:
            parent = self.look.parent[community]
            if street is not None and parent != street:
                raise BadRow(_("%(community)s is not in %(street)s") % {"community": community_text, "street": street_text})
            street = parent
        return street, community

    def lead(self, value):
        if not value:
            return None
        found = self.look.unit(str(value), [Unit.DEPARTMENT, Unit.STREET, Unit.COMMUNITY, Unit.GRID])
        if found is None:
            raise BadRow(_("unknown handling unit: %(value)s") % {"value": value})
        return found

    def point(self, lat, lng):
        if lat in (None, "") and lng in (None, ""):
            return None, None
        try:
            lat, lng = float(lat), float(lng)
        except (TypeError, ValueError):
            raise BadRow(_("the map point needs a latitude and a longitude, as numbers")) from None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180) or math.isnan(lat + lng):
            raise BadRow(_("the map point %(lat)s, %(lng)s is not on Earth") % {"lat": lat, "lng": lng})
        return lat, lng

    def count(self, value):
        if value in (None, ""):
            return 0
        try:
            number = int(float(value))
        except (TypeError, ValueError):
            raise BadRow(_("reopen count is not a number: %(value)s") % {"value": value}) from None
        if number < 0 or number > 100:
            raise BadRow(_("reopen count out of range: %(value)s") % {"value": value})
        return number


def text_of(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn long numbers into floats
    return str(value).strip()


ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")


def parse_time(text, formats):
    text = text.strip()
    # The common "2020-01-01 08:00:00" is told without the regular expression.
    quick = len(text) == 19 and text[4] == text[7] == "-" and text[13] == text[16] == ":" and text[10] in " T"
    if quick or ISO_LIKE.match(text):
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass  # ISO-shaped but no such time (month 13 …): the formats may still read it
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def imported_counts(o):
    """facts.counts for an imported case: one round judged from its times,
    never merged, no rating excluded."""
    accepted, replied, status, satisfaction = o["accepted_at"], o["replied_at"], o["status"], o["satisfaction"]
    accepted_ok = bool(accepted) and (o["accept_due"] is None or accepted <= o["accept_due"])
    replied_ok = bool(replied) and (o["reply_due"] is None or replied <= o["reply_due"])
    late = (bool(accepted) and not accepted_ok) or (bool(replied) and not replied_ok)
    working = bool(o["lead_unit"])
    rated = o["resolved"] is not None and satisfaction != ""
    has_reply = working and status in REPLIED and bool(replied)
    return (1, 0, int(working), int(working and accepted_ok), int(working and replied_ok),
            int(working and accepted_ok and replied_ok), int(has_reply), int(has_reply and replied_ok), int(working and late),
            int(rated), int(rated and o["resolved"] is True), int(rated and satisfaction == "satisfied"),
            int(rated and satisfaction == "basically"), int(rated and satisfaction == "unsatisfied"), 0,
            int(o["reopen_count"] > 0), int(status == Status.CLOSED))


def check_order(order):
    seen_name, seen = None, None
    for name, value in order:
        if value is None:
            continue
        if seen is not None and value < seen:
            raise BadRow(_("%(later)s (%(b)s) is before %(earlier)s (%(a)s)") % {"later": name, "b": value, "earlier": seen_name, "a": seen})
        seen_name, seen = name, value


class Ev:
    """An event before it is written (what the fact computation reads)."""

    __slots__ = ("seq", "at", "action", "changes", "actor_id")

    def __init__(self, seq, at, action, changes):
        self.seq, self.at, self.action, self.changes, self.actor_id = seq, at, action, changes, None


def events_of(built, imported_at=None):
    """The row's two events as `facts.fact_of` reads them."""
    at = imported_at or built.created_at
    return [Ev(1, built.created_at, "intake", built.intake_changes), Ev(2, at, "import", built.import_changes)]
