"""Demo cases: a year of a district hotline, simulated through the real steps.

Each case is a *story*: a short script of what happens to it (intake,
dispatch, accept, perhaps a pass-down, a return or an extension, the reply,
the follow-up call, a reopening ...), each step at a moment of its own. All
stories run on one simulated clock, earliest moment first; every step is the
real function from `huying.cases.steps`, called with `now=` that moment, and
whenever a deadline timer falls due the worker's own timer jobs
(`huying.sla.worker.urge_due` and the rest) run at that moment too. So
every case's history is made of genuine events in time order, the worker's
urges and supervisions included, and the open cases are simply the stories
the present cut short.

Everything random comes from one seed, so a seed and a `now` give the same
cases every time.
"""

import datetime as dt
import heapq
import itertools
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from huying.cases import steps
from huying.cases.actors import Actor
from huying.cases.errors import Conflict, Refused
from huying.cases.models import Case, Category, Channel, Event, Kind, Satisfaction, Status, Urgency
from huying.demo import texts
from huying.org.models import Membership as M
from huying.org.models import Unit
from huying.routing.responsibility import responsible
from huying.sla import calendar, worker

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

# Special paths and their share of all cases (at least `least` of each in a
# batch of MIN_FOR_LEAST or more, so a small demo still shows every state).
# Every other case takes the ordinary path, with variations (see Flags).
PLOTS = {
    "reopen": (0.06, 2),  # a bad follow-up, then handled again
    "review": (0.012, 1),  # three bad follow-ups; a supervisor reviews the rating
    "return_wrong": (0.025, 1),  # sent to the wrong unit, returned, re-sent
    "return_rejected": (0.01, 1),  # a return the centre refuses
    "return_down": (0.005, 1),  # a community hands a case back to its street
    "invalid": (0.02, 1),  # a call with nothing to do, closed at once
    "unreachable": (0.008, 1),  # the citizen never answers the follow-up call
    "reopen_after_close": (0.006, 1),  # a supervisor reopens a closed case
    # Stories placed just before now, so they end in an open state.
    "open_new": (0.006, 2),
    "open_dispatched": (0.01, 2),
    "open_return_requested": (0.004, 1),
    "open_extension_pending": (0.005, 1),
    "open_accepted": (0.03, 2),
    "open_replied": (0.012, 2),
    "open_review": (0.004, 1),
    "open_overdue": (0.008, 1),  # never answered: urged and supervised by the worker
}
OPEN_PLOTS = {name for name in PLOTS if name.startswith("open_")}
# Cases with duplicates merged into them, each with 1-3 duplicates.
CLUSTERS = (0.012, 1)
MIN_FOR_LEAST = 60

# Who helps as a co-unit (联办), when the deployment has them.
CO_UNIT_CODES = ["dept-urban", "dept-market", "dept-police", "dept-housing", "dept-eco", "dept-traffic"]
# The centre's people: a demo of one operator would be a strange call centre.
CENTRE_TEAM = {M.OPERATOR: 5, M.DISPATCHER: 2, M.SUPERVISOR: 2}
# When calls come in, by hour of the day (a hotline never closes).
HOUR_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.4, 2.0, 2.1, 2.0, 1.3, 1.2,
                1.8, 1.9, 1.8, 1.6, 1.2, 1.1, 1.0, 0.8, 0.5, 0.3]
CHUNK = 500  # story steps per transaction: few commits, bounded rollback
# The worker's jobs that act on case timers, replayed at the simulated
# moments. Its other jobs (figures, orders, routing) work on the present and
# run when the real worker starts.
TIMER_JOBS = (worker.urge_due, worker.supervise_due, worker.followups_due)
TERRITORY = object()  # a category whose lead is the street where it happened


# --- the deployment, read once ----------------------------------------------


class World:
    """Units, categories and who is responsible, cached for the whole run."""

    def __init__(self):
        units = list(Unit.objects.filter(active=True).order_by("path"))
        self.units = {u.pk: u for u in units}
        self.by_code = {u.code: u for u in units}
        self.below = defaultdict(list)
        for unit in units:
            self.below[unit.parent_id].append(unit)
        kinds = defaultdict(list)
        for unit in units:
            kinds[unit.kind].append(unit)
        self.centre = (kinds[Unit.CENTRE] or [None])[0]
        self.district = (kinds[Unit.DISTRICT] or [None])[0]
        self.streets = kinds[Unit.STREET]
        self.departments = kinds[Unit.DEPARTMENT]
        if self.centre is None or not self.streets:
            raise LookupError("load a deployment first (huying load-deployment yuexiu)")
        self.gridded = [u for u in kinds[Unit.COMMUNITY] if self.grids(u)]
        self._leads = {}
        self.leaves = self.leaf_categories()

    def leaf_categories(self):
        categories = list(Category.objects.filter(active=True).select_related("parent__parent"))
        parents = {c.parent_id for c in categories}
        leaves = [c for c in categories if c.pk not in parents]
        # Only categories a case can really be sent for: a rule to an active unit.
        return [c for c in leaves if (lead := self.lead(c, self.streets[0])) is not None and lead.active]

    def lead(self, category, street):
        """The routing rule's answer, asked once per category.

        A territory rule answers with the street it is given, so asking with
        one street tells the answer for all of them."""
        if category.pk not in self._leads:
            probe = self.streets[0]
            decision = responsible(category, probe)
            unit = decision.unit if decision else None
            self._leads[category.pk] = TERRITORY if unit is not None and unit.pk == probe.pk else unit
        lead = self._leads[category.pk]
        return street if lead is TERRITORY else lead

    def communities(self, street):
        return [u for u in self.below[street.pk] if u.kind == Unit.COMMUNITY]

    def grids(self, community):
        return [u for u in self.below[community.pk] if u.kind == Unit.GRID]


class Crew:
    """The people who act in the stories.

    The centre's demo logins and the handler already in a unit take part,
    so a demo user finds their own name in the history; the rest are staff
    accounts made here, with no usable password (nobody logs in as them)."""

    def __init__(self, world):
        self.world = world
        self.centre = {role: [] for role in CENTRE_TEAM}
        members = M.objects.filter(unit=world.centre, role__in=list(CENTRE_TEAM)).select_related("user")
        for m in members.order_by("user__username"):
            self.centre[m.role].append(m.user)
        for role, size in CENTRE_TEAM.items():
            for n in range(len(self.centre[role]) + 1, size + 1):
                self.centre[role].append(self.hire(f"staff-{role}-{n}", world.centre, role))
        self.handlers = {}
        for m in M.objects.filter(role=M.HANDLER).select_related("user").order_by("user__username"):
            self.handlers.setdefault(m.unit_id, m.user)

    def pick(self, role, rng):
        return rng.choice(self.centre[role])

    def handler(self, unit):
        if unit.pk not in self.handlers:
            self.handlers[unit.pk] = self.hire(f"staff-{unit.code}", unit, M.HANDLER)
        return self.handlers[unit.pk]

    @staticmethod
    def hire(username, unit, role):
        # A name from the username, so it stays the same whatever the seed.
        name = person_name(random.Random(username), formal=True)
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": name, "password": make_password(None)})
        M.objects.get_or_create(user=user, unit=unit, role=role)
        return user


# --- what a case is about, decided before the simulation -------------------------


@dataclass
class Flags:
    """Variations on a path, drawn once per case."""

    late_accept: bool = False
    late_reply: bool = False
    manual_urge: bool = False
    extension: str = ""  # "approve" or "reject"
    co_unit: Unit | None = None
    pass_down: bool = False
    to_grid: bool = False
    prompt: bool = False  # quick, and not waiting for a working day (the stories just before now)


@dataclass
class Plan:
    plot: str
    start: dt.datetime
    seed: int
    category: Category
    topic: texts.Topic | None
    kind: str
    urgency: str
    confidential: bool
    channel: str
    place: dict
    citizen_name: str
    citizen_phone: str
    title: str
    text: str
    lead: Unit
    variant: int = 0  # which of the topic's parallel wordings
    wrong: Unit | None = None
    flags: Flags = field(default_factory=Flags)
    ratings: list = field(default_factory=list)
    main: "Plan | None" = None


class Planner:
    """Draws every case's plot, start, topic, place and people from one RNG."""

    def __init__(self, world, rng, now):
        self.world, self.rng, self.now = world, rng, now
        self.local_now = timezone.localtime(now)
        self.anchor = daytime_before(self.local_now)
        topics = {t.code: t for t in texts.TOPICS}
        self.choices = []  # (category, topic or None, weight)
        for category in world.leaves:
            topic = topics.get(category.code)
            if topic is not None and topic.name != category.name:
                topic = None  # the tree changed under this topic: use plain words
            weight = topic.weight if topic else 0.15
            self.choices.append((category, topic, weight))
        self.weights = list(itertools.accumulate(w for _, _, w in self.choices))
        self.invalid = [(c, t) for c, t, _ in self.choices if t is not None and t.code == "17.01.04"]
        co_units = [world.by_code[code] for code in CO_UNIT_CODES if code in world.by_code]
        self.co_units = co_units or world.departments

    def plans(self, count):
        names = self.plots(count)
        plans = [self.plan(name) for name in names if name != "duplicate"]
        mains = [plan for plan in plans if plan.plot == "main"]
        for _ in range(names.count("duplicate")):
            plans.append(self.duplicate(self.rng.choice(mains)) if mains else self.plan("normal"))
        return plans

    def plots(self, count):
        """The path of each case: the special ones by share, the rest ordinary."""
        least = count >= MIN_FOR_LEAST
        names = []
        for name, (share, at_least) in PLOTS.items():
            names += [name] * max(round(count * share), at_least if least else 0)
        share, at_least = CLUSTERS
        for _ in range(max(round(count * share), at_least if least else 0)):
            names += ["main"] + ["duplicate"] * self.rng.randint(1, 3)
        names = names[:count]
        names += ["normal"] * (count - len(names))
        self.rng.shuffle(names)
        return names

    def plan(self, plot):
        rng = self.rng
        category, topic, kind = self.subject(plot)
        place = self.place(category)
        lead = self.world.lead(category, place["street"])
        urgency = self.urgency(topic, plot)
        channel = self.channel(topic, place, plot)
        confidential = kind == Kind.REPORT and rng.random() < 0.4
        name, phone = ("", "") if channel == Channel.PATROL else citizen(rng)
        variant = rng.randrange(len(topic.problems)) if topic else 0
        title, text = compose(rng, category, topic, variant, kind, place, channel, confidential)
        plan = Plan(
            plot=plot, start=self.start(plot), seed=rng.getrandbits(32), category=category, topic=topic,
            kind=kind, urgency=urgency, confidential=confidential, channel=channel, place=place,
            citizen_name=name, citizen_phone=phone, title=title, text=text, lead=lead, variant=variant,
        )
        plan.flags = self.flags(plan)
        plan.ratings = ratings(rng, plot)
        if plot == "return_wrong":
            plan.wrong = self.wrong_unit(lead)
        return plan

    def duplicate(self, main):
        """Another caller about the same problem, a little later."""
        rng = self.rng
        name, phone = citizen(rng)
        channel = Channel.PHONE if main.channel == Channel.PATROL else main.channel
        title, text = compose(rng, main.category, main.topic, main.variant, main.kind, main.place, channel, main.confidential)
        return Plan(
            plot="duplicate", start=min(main.start + rng.uniform(1, 30) * HOUR, self.now - MINUTE),
            seed=rng.getrandbits(32), category=main.category, topic=main.topic, kind=main.kind,
            urgency=main.urgency, confidential=main.confidential, channel=channel, place=main.place,
            citizen_name=name, citizen_phone=phone, title=title, text=text, lead=main.lead,
            variant=main.variant, ratings=ratings(rng, "normal"), main=main,
        )

    def subject(self, plot):
        """A category, its topic (or None) and the kind of request, suiting the plot."""
        rng = self.rng
        if plot == "invalid" and self.invalid:
            category, topic = rng.choice(self.invalid)
            return category, topic, topic.kind
        avoid = set() if plot in ("normal", "main") else {Kind.PRAISE}
        if plot in ("main", "review", "open_review", "open_extension_pending", "open_overdue"):
            avoid |= {Kind.CONSULT, Kind.PRAISE}
        for _ in range(500):
            category, topic, _weight = rng.choices(self.choices, cum_weights=self.weights)[0]
            if topic is not None and topic.weight == 0:
                continue
            kind = topic.kind if topic else (Kind.CONSULT if rng.random() < 0.6 else Kind.COMPLAINT)
            if kind in avoid:
                continue
            if plot == "return_down" and self.world.lead(category, self.world.streets[0]).kind != Unit.STREET:
                continue
            return category, topic, kind
        raise LookupError(f"no category suits a {plot!r} case")

    def place(self, category):
        rng, world = self.rng, self.world
        if world.gridded and rng.random() < 0.08:
            # Few communities have grids; place some cases there on purpose so
            # the grid workers have work to show.
            community = rng.choice(world.gridded)
            street = world.units[community.parent_id]
        else:
            street = rng.choice(world.streets)
            communities = world.communities(street)
            community = rng.choice(communities) if communities else None
        grids = world.grids(community) if community else []
        grid = rng.choice(grids) if grids and rng.random() < 0.6 else None
        road = rng.choice(texts.ROADS.get(street.code, texts.ANY_ROADS))
        spot = rng.choice(texts.SPOTS).format(n=rng.randint(1, 320), b=rng.randint(1, 12))
        if rng.random() < 0.2:
            spot = rng.choice(texts.LANDMARKS)
        district = world.district.name if world.district else ""
        lat, lng = texts.CENTRES.get(street.code, texts.DISTRICT_CENTRE)
        return {
            "street": street, "community": community, "grid": grid, "road": road, "spot": spot,
            "address": f"{district}{road}{spot}",
            "lat": round(lat + rng.uniform(-0.005, 0.005), 6), "lng": round(lng + rng.uniform(-0.005, 0.005), 6),
        }

    def urgency(self, topic, plot):
        if plot not in ("normal", "main") or topic is None or not topic.urgent or self.rng.random() > 0.3:
            return Urgency.NORMAL
        return Urgency.VERY_URGENT if self.rng.random() < 0.2 else Urgency.URGENT

    def channel(self, topic, place, plot):
        r = self.rng.random()
        if plot == "open_new":
            # Still waiting: submitted online, not yet classified by the centre.
            return Channel.WEB if r < 0.5 else Channel.APP
        if topic is not None and topic.patrol and place["community"] is not None and r < 0.12:
            return Channel.PATROL
        if r < 0.25:
            return Channel.CITY
        if r < 0.30:
            return Channel.WEB
        if r < 0.35:
            return Channel.APP
        return Channel.PHONE

    def flags(self, plan):
        rng, plot = self.rng, plan.plot
        flags = Flags(prompt=plot in OPEN_PLOTS)
        lead = plan.lead
        if lead.kind == Unit.STREET and plan.place["community"] is not None:
            flags.pass_down = plot == "return_down" or (plot not in ("open_replied", "open_review") and rng.random() < 0.35)
            flags.to_grid = plan.place["grid"] is not None and rng.random() < 0.6
        if plan.urgency != Urgency.NORMAL or plot in OPEN_PLOTS:
            return flags
        flags.late_accept = rng.random() < 0.04
        flags.late_reply = rng.random() < 0.06
        flags.manual_urge = rng.random() < 0.03
        if plan.kind not in (Kind.CONSULT, Kind.PRAISE):
            r = rng.random()
            flags.extension = "approve" if r < 0.04 else "reject" if r < 0.055 else ""
        if rng.random() < 0.04:
            others = [u for u in self.co_units if u.pk != lead.pk]
            flags.co_unit = rng.choice(others) if others else None
        return flags

    def wrong_unit(self, lead):
        pool = self.world.streets if lead.kind == Unit.STREET else self.world.departments
        others = [u for u in pool if u.pk != lead.pk]
        return self.rng.choice(others) if others else None

    def start(self, plot):
        rng, now, anchor = self.rng, self.local_now, self.anchor
        if plot == "open_new":
            return now - rng.uniform(5, 240) * MINUTE
        if plot == "open_dispatched":
            return now - rng.uniform(60, 480) * MINUTE
        # (latest start before the office-hours anchor, in minutes: low, high;
        #  minutes the story's steps need after it)
        recent = {
            "open_return_requested": (150, 300, 110),
            "open_replied": (240, 480, 230),
            "open_accepted": (360, 6 * 24 * 60, 350),
            "open_extension_pending": (24 * 60, 5 * 24 * 60, 350),
            "open_review": (12 * 24 * 60, 25 * 24 * 60, 0),
            "open_overdue": (30 * 24 * 60, 50 * 24 * 60, 0),
        }
        if plot in recent:
            low, high, need = recent[plot]
            return in_office_hours(rng, anchor - rng.uniform(low, high) * MINUTE, need, anchor)
        earliest = {"review": 30, "reopen_after_close": 30, "unreachable": 30, "invalid": 0.2}.get(plot, 3)
        return past_moment(rng, now, earliest, 365)


def in_office_hours(rng, moment, need, latest):
    """`moment`, or one in that day's office hours that leaves `need` minutes
    of office time after it and does not pass `latest`."""
    opens = moment.replace(hour=8, minute=30, second=0, microsecond=0)
    closes = moment.replace(hour=21, minute=0, second=0, microsecond=0) - need * MINUTE
    if opens <= moment <= closes:
        return moment
    if moment > closes and moment.hour >= 12:
        day = opens
    else:
        day = opens - DAY  # before the office opened: the day before
    moment = day + rng.uniform(0, max((closes - opens).total_seconds() / 60, 1)) * MINUTE
    return min(moment, latest - need * MINUTE)


def ratings(rng, plot):
    """The citizen's answers at each follow-up call, in order."""
    good = (True, Satisfaction.SATISFIED if rng.random() < 0.72 else Satisfaction.BASICALLY)

    def bad():
        return (False, Satisfaction.UNSATISFIED) if rng.random() < 0.7 else (True, Satisfaction.UNSATISFIED)

    if plot in ("review", "open_review"):
        return [bad(), bad(), (False, Satisfaction.UNSATISFIED)]
    if plot == "reopen":
        return [bad(), good] if rng.random() < 0.8 else [bad(), bad(), good]
    return [good]


# --- times -------------------------------------------------------------------


def past_moment(rng, now, low_days, high_days):
    """A moment when someone might call: fewer at weekends and at night."""
    for _ in range(10):
        day = (now - rng.uniform(low_days, high_days) * DAY).date()
        if day.weekday() < 5 or rng.random() < 0.7:
            break
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    moment = now.replace(year=day.year, month=day.month, day=day.day, hour=hour,
                         minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
    return min(moment, now - MINUTE)


def daytime_before(now):
    """The latest moment not after `now` when offices are open (9:00-20:30)."""
    if 9 <= now.hour and (now.hour, now.minute) <= (20, 30):
        return now
    day = now if now.hour >= 9 else now - DAY
    return day.replace(hour=20, minute=30, second=0, microsecond=0)


# --- words ---------------------------------------------------------------------


def person_name(rng, formal=False):
    surname = rng.choice(texts.SURNAMES)
    given = "".join(rng.choice(texts.GIVEN) for _ in range(rng.choice((1, 2, 2))))
    if formal:
        return surname + given
    r = rng.random()
    if r < 0.45:
        return surname + rng.choice(("先生", "女士"))
    if r < 0.5:
        return surname + rng.choice(("伯", "姨"))
    if r < 0.55:
        return ""  # would not give a name
    return surname + given


def citizen(rng):
    if rng.random() < 0.15:
        phone = f"020-{rng.choice('38')}{rng.randrange(10**7):07d}"
    else:
        phone = f"{rng.choice(texts.MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
    return person_name(rng), phone


def pick(options, variant):
    return options[variant % len(options)]


def compose(rng, category, topic, variant, kind, place, channel, confidential):
    """A title and a description in the words a hotline operator writes."""
    if topic is not None:
        problem, detail, ask = (pick(options, variant) for options in (topic.problems, topic.details, topic.asks))
    else:
        problem, detail, ask = plain_words(rng, category, kind)
    address = place["address"]
    situated = kind in (Kind.COMPLAINT, Kind.HELP, Kind.REPORT)
    title = f"{place['road']}{place['spot'] if rng.random() < 0.6 else ''}{problem}" if situated else problem
    if channel in (Channel.WEB, Channel.APP):
        detail = detail.replace("来电人", "该市民")  # written, not phoned in
    if "{addr}" in detail:
        detail = detail.format(addr=address)
    elif situated:
        detail = address + detail
    if channel == Channel.PATROL:
        text = f"{texts.PATROL_OPENER}{detail}。已拍照留存，{ask}。"
    else:
        said = texts.ONLINE_OPENERS[kind] if channel in (Channel.WEB, Channel.APP) else rng.choice(texts.OPENERS[kind])
        opener = texts.CHANNEL_OPENERS.get(channel, "") + said
        if situated:
            text = f"{opener}{detail}，{rng.choice(texts.DURATIONS)}。诉求：{ask}。"
        elif kind == Kind.SUGGESTION:
            text = f"{opener}{detail}，建议{ask}。"
        else:
            text = f"{opener}{detail}，{ask}。" if ask else f"{opener}{detail}。"
    if confidential:
        text += texts.CONFIDENTIAL_NOTE
    return title[:200], text


def plain_words(rng, category, kind):
    """Words for a category without a topic of its own: its name and keywords."""
    words = [w for w in category.keywords.split("|") if w.strip()] or [category.name]
    first, second = rng.choice(words), rng.choice(words)
    if kind == Kind.CONSULT:
        return (f"咨询{category.name}相关问题", f"来电人想了解{category.name}方面的规定，主要涉及“{first}”“{second}”等问题",
                "希望告知具体政策、办理流程和所需材料")
    return f"{first}问题", f"一带存在{first}的问题，附近居民意见较大", rng.choice(texts.GENERIC_ASKS)


def reply_text(rng, topic, variant, kind, lead):
    we = {Unit.STREET: "我街道", Unit.COMMUNITY: "我社区", Unit.GRID: "本网格"}.get(lead.kind, "我单位")
    if kind == Kind.PRAISE:
        opener = ""
    elif kind == Kind.CONSULT:
        opener = rng.choice(texts.REPLY_OPENERS["consult"])
    else:
        opener = rng.choice(texts.REPLY_OPENERS["default"]).replace("我单位", we)
    if topic is not None and topic.actions:
        action = pick(topic.actions, variant)
    else:
        action = rng.choice(texts.GENERIC_ACTIONS.get(kind, texts.GENERIC_ACTIONS["default"]))
    return f"{opener}{action}。{rng.choice(texts.REPLY_CLOSERS)}".strip()


# --- the stories ------------------------------------------------------------------


class Story:
    """One case's life, as a generator that yields the moment of its next step.

    The simulation resumes it at that moment (having set `self.t`); the code
    after each `yield` is that step."""

    def __init__(self, sim, plan):
        self.sim, self.plan, self.flags = sim, plan, plan.flags
        self.crew = sim.crew
        self.rng = random.Random(plan.seed)
        self.pk = None
        self.t = plan.start
        self.main = None  # the story this duplicate joins
        self.duplicates = []  # stories merged into this one

    @property
    def case(self):
        return self.sim.cases[self.pk]

    # Small helpers: who acts, and when.

    def act(self, step, by, **kwargs):
        """Take a real step on this case at the story's moment."""
        try:
            return step(self.case, by, now=self.t, **kwargs)
        except Conflict:
            # The worker touched the case since we read it: read it again.
            self.sim.refresh([self.pk])
            return step(self.case, by, now=self.t, **kwargs)

    def attempt(self, step, by, **kwargs):
        """A step that may fairly be refused (too late, say); the story goes on."""
        try:
            self.act(step, by, **kwargs)
            return True
        except Refused as error:
            self.sim.skipped[f"{step.__name__}: {error}"] += 1
            return False

    def handler(self, unit=None):
        return self.crew.handler(unit or self.case.lead_unit)

    def centre(self, role):
        return self.crew.pick(role, self.rng)

    def minutes(self, low, high):
        return self.rng.uniform(low, high) * MINUTE

    def hours(self, low, high):
        return self.rng.uniform(low, high) * HOUR

    def office(self, moment, workdays=True):
        """Move a unit's action into office hours (8:30-21:00), mostly on working days.

        Urgent cases are handled at once, whatever the hour. The stories just
        before now keep to the hours but not to working days: they have no
        time to wait for Monday."""
        if self.plan.urgency != Urgency.NORMAL:
            return moment
        workdays = workdays and not self.flags.prompt
        local = timezone.localtime(moment)
        for _ in range(30):
            if local.hour < 8 or (local.hour, local.minute) < (8, 30):
                local = self.morning(local)
            elif local.hour >= 21:
                local = self.morning(local + DAY)
            elif workdays and not calendar.is_working(local.date()) and self.rng.random() < 0.8:
                local = self.morning(local + DAY)
            else:
                break
        return local

    def morning(self, local):
        # Work that waited overnight is picked up over the morning, not all at 8:30.
        return local.replace(hour=8, minute=30, second=0, microsecond=0) + self.minutes(0, 150)

    def calls(self, moment):
        """The centre calls citizens back in the day time, any day."""
        return self.office(moment, workdays=False)

    # The story.

    def run(self):
        plot = self.plan.plot
        yield self.plan.start
        self.intake()
        if plot == "open_new":
            return
        if plot == "invalid":
            yield self.t + self.minutes(2, 30)
            self.act(steps.close, self.centre(M.OPERATOR), reason=self.rng.choice(texts.INVALID_CLOSE))
            return
        if self.main is not None:
            yield self.t + self.minutes(10, 120)
            if self.merge():
                return
        yield from self.dispatch()
        if plot == "open_dispatched":
            return
        if plot == "open_return_requested":
            yield self.t + self.minutes(20, 60)
            self.attempt(steps.request_return, self.handler(), reason=self.rng.choice(texts.REJECT_RETURN_ASKS))
            return
        yield from self.accept(late=self.flags.late_accept)
        if plot == "return_rejected":
            yield from self.rejected_return()
        yield from self.pass_down()
        if plot in ("open_accepted", "open_overdue"):
            return  # the worker urges and supervises what runs late
        if not (yield from self.work()):
            return
        yield from self.reply(late=self.flags.late_reply)
        if plot == "open_replied":
            return
        yield from self.follow_ups()

    def intake(self):
        plan, place = self.plan, self.plan.place
        if plan.channel == Channel.CITY:
            by = Actor.integration("市12345平台")
        elif plan.channel == Channel.PATROL:
            by = self.handler(place["grid"] or place["community"])
        else:
            by = self.centre(M.OPERATOR)
        local = timezone.localtime(self.t)
        external = f"GZ{local:%Y%m%d}{self.rng.randrange(10**6):06d}" if plan.channel == Channel.CITY else ""
        # A case still new at the end has not been classified yet.
        category = None if plan.plot == "open_new" else plan.category
        case = steps.intake(
            by, kind=plan.kind, title=plan.title, text=plan.text, channel=plan.channel, category=category,
            citizen_name=plan.citizen_name, citizen_phone=plan.citizen_phone, address=place["address"],
            lat=place["lat"], lng=place["lng"], street=place["street"], community=place["community"],
            grid=place["grid"], urgency=plan.urgency, confidential=plan.confidential, external_id=external, now=self.t,
        )
        self.pk = case.pk
        self.sim.cases[case.pk] = case

    def merge(self):
        """A duplicate joins its main case while that one is still being handled."""
        main = self.sim.cases.get(self.main.pk) if self.main.pk else None
        if main is None or main.status not in (Status.NEW, Status.DISPATCHED, Status.ACCEPTED):
            return False  # noticed too late: it is handled on its own
        reason = f"与{main.number}反映同一问题，并单处理。"
        if self.attempt(steps.merge, self.centre(M.DISPATCHER), into=main, reason=reason):
            self.main.duplicates.append(self)
            return True
        return False

    def dispatch(self):
        plan = self.plan
        urgent = plan.urgency != Urgency.NORMAL
        yield self.t + (self.minutes(2, 10) if urgent else self.minutes(5, 45))
        dispatcher = self.centre(M.DISPATCHER)
        if plan.plot == "return_wrong" and plan.wrong is not None:
            yield from self.wrong_dispatch(dispatcher)
        kind = "territory" if plan.lead.kind == Unit.STREET else "department"
        co_units = [self.flags.co_unit] if self.flags.co_unit else []
        self.act(steps.dispatch, dispatcher, lead=plan.lead, co_units=co_units, reason=texts.DISPATCH_REASONS[kind])

    def wrong_dispatch(self, dispatcher):
        """Sent to the wrong unit, which hands it back the same day."""
        plan = self.plan
        self.act(steps.dispatch, dispatcher, lead=plan.wrong)
        yield self.office(self.t + self.minutes(30, 300))
        template = texts.WRONG_STREET if plan.lead.kind == Unit.STREET else texts.WRONG_DEPARTMENT
        if not self.attempt(steps.request_return, self.handler(plan.wrong), reason=template.format(correct=plan.lead.name)):
            return
        yield self.t + self.minutes(20, 180)
        self.act(steps.approve_return, self.centre(M.DISPATCHER), reason=texts.APPROVE_RETURN.format(correct=plan.lead.label))
        yield self.t + self.minutes(5, 40)

    def accept(self, late=False):
        case, urgency = self.case, self.plan.urgency
        if urgency == Urgency.VERY_URGENT:
            moment = self.t + self.minutes(3, 40)
        elif urgency == Urgency.URGENT:
            moment = self.t + self.minutes(10, 300)
        elif late and case.urge_at:
            moment = case.urge_at + self.hours(0.5, 30)  # after the worker's urge
        elif self.flags.prompt:
            moment = self.t + self.minutes(10, 60)
        else:
            moment = self.t + self.minutes(10, 240)
        yield self.office(moment)
        self.act(steps.accept, self.handler())

    def rejected_return(self):
        yield self.office(self.t + self.minutes(20, 180))
        if self.attempt(steps.request_return, self.handler(), reason=self.rng.choice(texts.REJECT_RETURN_ASKS)):
            yield self.t + self.minutes(30, 240)
            self.act(steps.reject_return, self.centre(M.DISPATCHER), reason=self.rng.choice(texts.REJECT_RETURN))

    def pass_down(self):
        """A street hands the case to the community, and it perhaps to a grid."""
        case = self.case
        if not self.flags.pass_down or case.lead_unit.kind != Unit.STREET or case.community_id is None:
            return
        street, community = case.lead_unit, self.sim.world.units[case.community_id]
        yield self.office(self.t + self.minutes(15, 60 if self.flags.prompt else 180))
        self.act(steps.dispatch_down, self.handler(street), to=community, reason=self.rng.choice(texts.PASS_DOWN))
        if self.plan.plot == "return_down":
            yield self.office(self.t + self.minutes(30, 240))
            if self.attempt(steps.request_return, self.handler(community), reason=self.rng.choice(texts.DOWN_RETURN)):
                yield self.office(self.t + self.minutes(30, 180))
                self.act(steps.approve_return, self.handler(street), reason=texts.DOWN_RETURN_APPROVE)
            return
        yield self.office(self.t + self.minutes(20, 60 if self.flags.prompt else 300))
        self.act(steps.accept, self.handler(community))
        if self.flags.to_grid and case.grid_id is not None:
            grid = self.sim.world.units[case.grid_id]
            yield self.office(self.t + self.minutes(15, 60 if self.flags.prompt else 240))
            self.act(steps.dispatch_down, self.handler(community), to=grid, reason=self.rng.choice(texts.PASS_DOWN))
            yield self.office(self.t + self.minutes(10, 60 if self.flags.prompt else 240))
            self.act(steps.accept, self.handler(grid))

    def work(self):
        """Between accepting and replying: co-units, urges, an extension.

        Returns False when the story stops here (an extension awaiting a decision)."""
        flags, case = self.flags, self.case
        if flags.co_unit is not None:
            yield self.office(self.t + self.hours(2, 40))
            self.attempt(steps.contribute, self.handler(flags.co_unit), text=self.rng.choice(texts.CO_UNIT_NOTES))
        if flags.manual_urge:
            yield self.calls(self.t + self.hours(20, 72))
            self.attempt(steps.urge, self.centre(M.SUPERVISOR), message=self.rng.choice(texts.MANUAL_URGE))
        pending = self.plan.plot == "open_extension_pending"
        if not (flags.extension or pending):
            return True
        limit = min(case.reply_due, self.sim.anchor) if pending else case.reply_due
        moment = self.office(self.t + (limit - self.t) * self.rng.uniform(0.3, 0.8))
        # A request still waiting must have been made before now.
        yield min(moment, self.sim.anchor) if pending else moment
        days = self.rng.randint(3, 15)
        if not self.attempt(steps.request_extension, self.handler(), days=days, reason=self.rng.choice(texts.EXTENSION_REASONS)):
            return True
        if pending:
            return False
        yield self.calls(self.t + self.hours(1, 20))
        if flags.extension == "approve":
            self.act(steps.approve_extension, self.centre(M.SUPERVISOR), reason=self.rng.choice(texts.EXTENSION_APPROVE))
        else:
            self.act(steps.reject_extension, self.centre(M.SUPERVISOR), reason=self.rng.choice(texts.EXTENSION_REJECT))
        return True

    def reply(self, late=False):
        case, plan = self.case, self.plan
        due = case.reply_due
        if plan.urgency == Urgency.VERY_URGENT:
            moment = self.t + self.minutes(20, 70)
        elif plan.urgency == Urgency.URGENT:
            moment = self.t + self.hours(1, 18)
        elif self.flags.prompt:
            moment = self.t + self.hours(1, 2) if plan.plot == "open_replied" else self.t + self.hours(2, 30)
        elif late:
            moment = due + self.hours(2, 80)  # the worker will have urged it
        elif plan.kind == Kind.CONSULT:
            moment = self.t + self.hours(1, 20)
        else:
            # Most answers come early; a few near the deadline.
            moment = self.t + max((due - self.t) * (self.rng.random() ** 2) * 0.75, 30 * MINUTE)
        yield self.office(max(moment, self.t + 10 * MINUTE))
        self.act(steps.reply, self.handler(), text=reply_text(self.rng, plan.topic, plan.variant, plan.kind, case.lead_unit))
        if self.duplicates:
            # The reply was shared with the merged callers' cases.
            self.sim.refresh([d.pk for d in self.duplicates])

    def follow_ups(self):
        plot = self.plan.plot
        if plot == "unreachable":
            yield self.calls(self.case.followup_due + self.hours(24, 72))
            self.act(steps.close, self.centre(M.SUPERVISOR), reason=texts.UNREACHABLE_CLOSE)
            return
        for resolved, satisfaction in self.plan.ratings:
            yield from self.call_back(resolved, satisfaction)
            status = self.case.status
            if status == Status.CLOSED:
                break
            if status == Status.REVIEW:
                if plot != "open_review":
                    yield from self.review()
                return
            # Reopened: the same unit takes it again.
            yield from self.accept()
            yield from self.reply()
        if plot == "reopen_after_close" and self.case.status == Status.CLOSED:
            yield self.calls(self.t + self.rng.uniform(2, 12) * DAY)
            self.act(steps.reopen, self.centre(M.SUPERVISOR), reason=self.rng.choice(texts.REOPEN_AFTER_CLOSE))
            yield from self.accept()
            yield from self.reply()
            yield from self.call_back(True, Satisfaction.SATISFIED)

    def call_back(self, resolved, satisfaction):
        """The follow-up call, before it falls due; then the merged callers'."""
        due = self.case.followup_due
        moment = self.calls(self.t + (self.hours(1, 8) if self.flags.prompt else self.hours(1, 18)))
        if due is not None and moment >= due:
            moment = max(self.t + MINUTE, due - self.minutes(5, 60))
        yield moment
        good = resolved and satisfaction != Satisfaction.UNSATISFIED
        note = self.rng.choice(texts.FOLLOW_UP_GOOD if good else texts.FOLLOW_UP_BAD)
        self.act(steps.follow_up, self.centre(M.OPERATOR), resolved=resolved, satisfaction=satisfaction, note=note)
        for duplicate in self.duplicates:
            merged = self.sim.cases[duplicate.pk]
            if merged.status == Status.MERGED and merged.replied_at and merged.resolved is None:
                yield self.t + self.minutes(2, 15)
                duplicate.t = self.t
                duplicate.attempt(steps.follow_up, self.centre(M.OPERATOR), resolved=resolved, satisfaction=satisfaction)

    def review(self):
        yield self.calls(self.t + self.hours(20, 72))
        reasonable = self.rng.random() < 0.5
        reason = texts.REVIEW_REASONABLE if reasonable else texts.REVIEW_UNREASONABLE
        self.act(steps.review, self.centre(M.SUPERVISOR), reasonable=reasonable, reason=reason)


# --- the simulation -------------------------------------------------------------------


class Simulation:
    """Runs every story on one clock, with the worker's timers in between."""

    def __init__(self, world, crew, now, progress=False):
        self.world, self.crew, self.now = world, crew, now
        self.anchor = daytime_before(timezone.localtime(now))
        self.cases = {}  # pk -> the one Case instance every story uses
        self.queue = []  # (moment, order, story)
        self.timers = []  # (moment, pk): when the worker has something to do
        self.pushed = set()
        self.order = itertools.count()
        self.skipped = Counter()
        self.progress = progress

    def run(self, plans):
        from tqdm import tqdm

        stories = {id(plan): Story(self, plan) for plan in plans}
        for plan in plans:
            if plan.main is not None:
                stories[id(plan)].main = stories[id(plan.main)]
        for story in stories.values():
            story.script = story.run()
            self.schedule(next(story.script), story)
        with tqdm(total=len(plans), unit="case", disable=not self.progress, desc="demo cases") as self.bar:
            while self.queue:
                with transaction.atomic():
                    for _ in range(CHUNK):
                        if not self.queue:
                            break
                        self.advance()
            with transaction.atomic():
                self.work_until(self.now)
        return [s.pk for s in stories.values() if s.pk is not None]

    def schedule(self, moment, story):
        heapq.heappush(self.queue, (moment, next(self.order), story))

    def advance(self):
        moment, _, story = heapq.heappop(self.queue)
        if moment > self.now:
            self.bar.update()  # the present cuts the story short
            return
        self.work_until(moment)
        # A step never goes back in time: events stay in order.
        story.t = max(moment, story.t)
        try:
            following = story.script.send(story.t)
        except StopIteration:
            self.bar.update()
        except Refused as error:
            # A step the story expected to work did not: the case stays as it is.
            self.skipped[f"{story.plan.plot}: {error}"] += 1
            self.bar.update()
        else:
            self.schedule(following, story)
        finally:
            if story.pk is not None:
                self.track(story.pk)

    def track(self, pk):
        case = self.cases[pk]
        for moment in (case.urge_at, case.supervise_at, case.followup_due):
            if moment is not None and (moment, pk) not in self.pushed:
                self.pushed.add((moment, pk))
                heapq.heappush(self.timers, (moment, pk))

    def work_until(self, moment):
        """Run the worker at each timer that falls due before `moment`."""
        while self.timers and self.timers[0][0] <= moment:
            due_at, pk = heapq.heappop(self.timers)
            if not self.still_set(due_at, pk):
                continue  # the case moved on and the timer went with it
            due = {pk}
            while self.timers and self.timers[0][0] <= due_at:
                _, other = heapq.heappop(self.timers)
                if self.still_set(due_at, other):
                    due.add(other)
            for job in TIMER_JOBS:
                job(due_at)
            self.refresh(due)

    def still_set(self, moment, pk):
        case = self.cases.get(pk)
        return case is not None and moment in (case.urge_at, case.supervise_at, case.followup_due)

    def refresh(self, pks):
        fresh = Case.objects.select_related("lead_unit", "dispatched_by").in_bulk(list(pks))
        for pk, case in fresh.items():
            self.cases[pk] = case
            self.track(pk)


@dataclass
class Summary:
    cases: int
    events: int
    statuses: Counter
    skipped: Counter
    seconds: float

    def lines(self):
        order = [s.value for s in Status]
        counts = ", ".join(f"{s} {self.statuses[s]}" for s in order if self.statuses[s])
        lines = [f"{self.cases} cases, {self.events} events in {self.seconds:.1f} s", counts]
        if self.skipped:
            # Refused steps leave no trace in a case, but say so here.
            common = "; ".join(f"{n}x {why}" for why, n in self.skipped.most_common(3))
            lines.append(f"{sum(self.skipped.values())} planned steps were refused and left out: {common}")
        return lines


def generate(count=2000, *, seed=2021, now=None, progress=False):
    """Add `count` demo cases over the 12 months before `now`; return a Summary."""
    began = time.monotonic()
    now = now or timezone.now()
    rng = random.Random(seed)
    with transaction.atomic():
        world = World()
        crew = Crew(world)
    plans = Planner(world, rng, now).plans(count)
    simulation = Simulation(world, crew, now, progress=progress)
    pks = simulation.run(plans)
    statuses = Counter(Case.objects.filter(pk__in=pks).values_list("status", flat=True)) if pks else Counter()
    events = Event.objects.filter(case__in=pks).count() if pks else 0
    return Summary(len(pks), events, statuses, simulation.skipped, time.monotonic() - began)
