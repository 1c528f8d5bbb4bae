"""From a work report to orders, with a person in between.

`read` stores the report and `proposals_of` lists what the reader
(extract.py) proposes, each with a stable key ("199.1": the first figure
on line 199) and suggested fields. Nothing becomes an order until a leader
`confirm`s chosen proposals — all of them or, if any is wrong, none.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.cases.errors import BadInput, NotAllowed
from huying.cases.steps.common import actor_and_time, require_text
from huying.orders import rules
from huying.orders.extract import Proposal, extract, parse_number
from huying.orders.models import Order, Project, Report, Source
from huying.orders.steps.common import fmt
from huying.orders.steps.give import clean as give_clean
from huying.orders.steps.give import create as give_create
from huying.orders.steps.give import end_of_day

ANNEX = re.compile(r"^附件\s*\d*")
LIVELIHOOD = re.compile(r"实事")
ITEM = re.compile(r"^([一二三四五六七八九十]{1,3})、\s*(.+)$")
TITLE_YEAR = re.compile(r"((?:19|20)\d\d)年")


class ConfirmErrors(BadInput):
    """Some chosen proposals cannot become orders; `errors` says which and why."""

    def __init__(self, errors):
        self.errors = errors  # key -> message
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))


@dataclass
class Suggested:
    """A proposal and what the confirm page offers for it."""

    key: str
    proposal: Proposal
    title: str
    target: str
    target_text: str
    measure: str
    deadline: dt.date
    public: bool
    project: str  # the livelihood project it belongs to, "" for the body of the report
    project_rank: int
    order: Order | None = None  # already confirmed
    twins: list[str] = field(default_factory=list)  # keys of the same target stated elsewhere


@transaction.atomic
def read(by, *, title, text, now=None):
    """Store a report so its proposals can be confirmed (leaders only)."""
    actor, now = actor_and_time(by, now)
    rules.require_leader(actor)
    text = require_text(text, _("report text"))
    title = require_text(title, _("report title"))[:200]
    year = report_year(title, text)
    return Report.objects.create(title=title, year=year, text=text, uploaded_by=actor.user, uploaded_at=now)


def report_year(title, text):
    found = TITLE_YEAR.search(title) or re.search(r"((?:19|20)\d\d)年.{0,30}工作报告", text[:3000])
    return int(found.group(1)) if found else None


def keyed(proposals):
    """(key, proposal): the key is the line and the figure's place on it."""
    counts = {}
    for p in proposals:
        counts[p.line] = counts.get(p.line, 0) + 1
        yield f"{p.line}.{counts[p.line]}", p


def proposals_of(report, now=None):
    now = now or timezone.now()
    done = {o.report_key: o for o in report.orders.all()}
    items = [suggest(key, p, report.year, now) for key, p in keyed(extract(report.text))]
    by_line = {}
    for item in items:
        by_line.setdefault(item.proposal.line, []).append(item)
        item.order = done.get(item.key)
    for item in items:  # the reader links twins by line; the page wants keys
        for line in item.proposal.see_also:
            item.twins += [t.key for t in by_line.get(line, []) if same_figure(t.proposal, item.proposal)]
    return items


def same_figure(a, b):
    return (a.quantity, a.measure, a.quantity_text if a.quantity is None else "") == (
        b.quantity, b.measure, b.quantity_text if b.quantity is None else "")


def suggest(key, p, year, now):
    parts = p.section.split(" › ")
    livelihood = bool(ANNEX.match(parts[0])) and any(LIVELIHOOD.search(x) for x in parts[:2])
    item = ITEM.match(parts[2]) if livelihood and len(parts) > 2 else None
    return Suggested(
        key=key,
        proposal=p,
        title=(p.clause or p.sentence).strip(" ,，。;；")[:200],
        target="" if p.quantity is None else fmt(p.quantity),
        target_text=target_text(p),
        measure=p.measure or "",
        deadline=dt.date(max(year or now.year, timezone.localtime(now).year), 12, 31),
        public=item is not None,
        project=item.group(2).rstrip("。") if item else "",
        project_rank=(parse_number(item.group(1)) or 0) if item else 0,
    )


def target_text(p):
    """The target as written, with its 不少于 in front when that stood apart."""
    text = p.quantity_text
    for part in ("不少于", "不低于", "至少", "超过", "约", "近"):
        if p.qualifier.startswith(part) and part not in text:
            text = part + text
    return text[:60]


@transaction.atomic
def confirm(report, picks, by, *, now=None):
    """Create one order per chosen proposal.

    `picks` are dicts with the proposal `key`, `lead_unit` (a Unit) and any
    of title, target, measure, deadline (a date), co_units, public to
    override the suggestion. Every pick is checked first; if any is wrong,
    ConfirmErrors names each problem and nothing is created."""
    actor, now = actor_and_time(by, now)
    rules.require_leader(actor)  # each pick is then checked against the leader's area
    offered = {s.key: s for s in proposals_of(report, now)}
    tz = timezone.get_current_timezone()
    errors, ready = {}, []
    if not picks:
        raise BadInput(_("Choose at least one proposal to confirm."))
    for pick in picks:
        key = str(pick.get("key", ""))
        try:
            ready.append(prepare(offered, key, pick, actor, tz, now))
        except (BadInput, NotAllowed) as error:
            errors[key] = str(error)
    keys = [r[0].key for r in ready]
    for key in {k for k in keys if keys.count(k) > 1}:
        errors[key] = _("This proposal was chosen twice.")
    if errors:
        raise ConfirmErrors(errors)
    return [create(report, *r, actor, now) for r in ready]


def prepare(offered, key, pick, actor, tz, now):
    suggested = offered.get(key)
    if suggested is None:
        raise BadInput(_("The report has no proposal %(key)s.") % {"key": key})
    if suggested.order is not None:
        raise BadInput(_("Already confirmed as order “%(title)s”.") % {"title": suggested.order.title})
    value = lambda name, default: default if pick.get(name) in (None, "") else pick[name]
    deadline = value("deadline", suggested.deadline)
    if isinstance(deadline, str):
        deadline = parse_date(deadline)
    if isinstance(deadline, dt.date) and not isinstance(deadline, dt.datetime):
        deadline = end_of_day(deadline, tz)
    p = suggested.proposal
    fields, co_units = give_clean(
        title=value("title", suggested.title), target=value("target", suggested.target),
        measure=value("measure", suggested.measure), deadline=deadline, lead_unit=pick.get("lead_unit"),
        co_units=pick.get("co_units") or [], text=p.sentence, source=Source.REPORT,
        target_text=suggested.target_text, starts_at=now, now=now,
    )
    unit = rules.require_leader(actor, fields["lead_unit"], *co_units)
    public = bool(value("public", suggested.public))
    return suggested, fields, co_units, unit, public


def create(report, suggested, fields, co_units, unit, public, actor, now):
    project = None
    if suggested.project:
        project, _created = Project.objects.get_or_create(
            year=report.year or timezone.localtime(now).year, title=suggested.project,
            defaults={"rank": suggested.project_rank, "public": public, "report": report},
        )
    fields = fields | {"project": project, "report": report, "report_key": suggested.key,
                       "report_section": suggested.proposal.section[:300], "given_by": actor.user}
    return give_create(actor, unit, fields, co_units, now)


def parse_date(text):
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(_("“%(text)s” is not a date (YYYY-MM-DD).") % {"text": text}) from None
