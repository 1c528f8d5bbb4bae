"""Demo orders: the ten livelihood projects (民生实事) of Yuexiu's 2021 work
report, read and confirmed through the real steps, with a year of progress.

`load(now)` is called by `huying demo` after the deployment and the demo
users exist. The report's targets are set for the current year (start of the
year to 31 December) so the demo's statuses are live: some orders ahead,
some on plan, some behind, one done, and a few reports awaiting approval.
Lift complaints among the demo cases are linked to the 300-lift order.

Acting people: the demo logins where they fit (the leader confirms; the
住建水务局 handler approves the streets' lift reports), otherwise staff
accounts with no usable password, named like the case generator's
(`staff-<unit code>`), plus a second one per lead unit (`staff-<code>-b`)
because nobody approves their own report.
"""

import datetime as dt
import functools
import random
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from huying.cases.models import Case
from huying.orders import proposals, steps
from huying.orders.models import Order, Report, fmt
from huying.orders.worker import orders_due
from huying.org.models import Membership as M
from huying.org.models import Unit

REPORT = Path(__file__).resolve().parent / "data" / "yuexiu-2021-work-report.txt"
TITLE = "2021年越秀区人民政府工作报告"

# Project rank → (lead unit, co-units). From the report's wording and the
# district's departments (huying/org/deployments/yuexiu/departments.csv).
LEADS = {
    1: ("dept-health", ["dept-edu"]),
    2: ("dept-culture", []),
    3: ("dept-market", []),
    4: ("dept-emergency", ["dept-fire"]),
    5: ("dept-civil", ["dept-disabled"]),
    6: ("dept-edu", []),
    7: ("dept-housing", []),
    8: ("dept-hrss", []),
    9: ("dept-housing", []),  # split over the 18 streets below
    10: ("dept-civil", []),
}
# How far each order is against its straight-line plan (share of the target
# minus share of the time), cycling: ahead, on plan, behind, well behind.
PACE = [Decimal("0.08"), Decimal("-0.03"), Decimal("0.02"), Decimal("-0.18"), Decimal("0.05"), Decimal("-0.3")]


class Missing(Exception):
    pass


@transaction.atomic
def load(now=None, seed=2021):
    """Load the demo orders once; returns how many orders exist afterwards."""
    now = now or timezone.now()
    if Report.objects.filter(title=TITLE).exists():
        return Order.objects.filter(report__title=TITLE).count()
    rng = random.Random(seed)
    handler.cache_clear()  # people of an earlier database must not be reused
    approver.cache_clear()
    start = plan_start(now)
    leader = member(M.LEADER, Unit.DISTRICT)
    report = proposals.read(leader, title=TITLE, text=REPORT.read_text(encoding="utf-8"), now=start)
    annex = [s for s in proposals.proposals_of(report, start) if s.project]
    deadline = dt.date(timezone.localtime(now).year, 12, 31)
    orders = proposals.confirm(report, [pick(s) | {"deadline": deadline} for s in annex], leader, now=start)
    for n, order in enumerate(orders):
        work(order, PACE[n % len(PACE)], start, now, rng, done=(n == 2))
    link_lift_cases(orders, now)
    while orders_due(now):  # statuses as of now, urges included
        pass
    return len(orders)


def plan_start(now):
    """1 January of this year, or two months back early in the year."""
    local = timezone.localtime(now)
    start = local.replace(month=1, day=1, hour=9, minute=0, second=0, microsecond=0)
    return min(start, now - dt.timedelta(days=60))


def pick(s):
    lead, co = LEADS[s.project_rank]
    chosen = {"key": s.key, "lead_unit": unit(lead), "co_units": [unit(c) for c in co]}
    if not s.target:  # 完成“百栋千户”…改造: a hundred buildings
        chosen |= {"target": 100, "measure": "栋"}
    return chosen


def work(order, pace, start, now, rng, done=False):
    """Assign the order and report and approve progress up to its pace."""
    parts = split(order)
    elapsed = Decimal(str((now - start) / (order.deadline - start)))
    share = Decimal(1) if done else max(Decimal(0), min(Decimal("0.97"), elapsed + pace))
    moments = report_days(start, now, rng)
    if len(parts) > 1:
        moments = moments[1::2] or moments  # many units: each reports less often
    for unit, quantity in parts:
        assignment = steps.assign(order, handler(order.lead_unit), unit=unit, quantity=quantity, now=start)
        order = Order.objects.get(pk=order.pk)
        reached = Decimal(0)
        for k, moment in enumerate(moments, start=1):
            goal = (quantity * share * k / len(moments)).quantize(Decimal(1), ROUND_DOWN)  # whole things
            if order.is_level:
                step = goal  # a level: the rate reached so far
            else:
                step = goal - reached
            if step <= 0:
                continue
            reporter = handler(unit)
            progress = steps.report(assignment, reporter, quantity=step, text=progress_text(order, unit, step),
                                    now=moment)
            pending = k == len(moments) and rng.random() < 0.3 and not done
            if not pending:
                steps.approve(progress, approver(order.lead_unit, reporter), now=moment + dt.timedelta(hours=20))
                reached = goal
            order = Order.objects.get(pk=order.pk)
            assignment.refresh_from_db()
            if order.status == "done":
                break


def split(order):
    """Who does the work: the 18 streets share the lifts; else the lead unit."""
    if "电梯" not in order.title:
        return [(order.lead_unit, order.target)]
    streets = list(Unit.objects.filter(kind=Unit.STREET, active=True).order_by("code"))
    each, extra = divmod(int(order.target), len(streets))
    return [(street, Decimal(each + (1 if n < extra else 0))) for n, street in enumerate(streets)]


def report_days(start, now, rng):
    """Report moments every two months or so up to now, in office hours."""
    days = []
    moment = start + dt.timedelta(days=25)
    while moment < now - dt.timedelta(days=2):
        local = timezone.localtime(moment).replace(hour=rng.randint(9, 16), minute=rng.randint(0, 59))
        days.append(local)
        moment += dt.timedelta(days=rng.randint(55, 75))
    return days or [now - dt.timedelta(days=1)]


def progress_text(order, unit, quantity):
    return f"{unit.label}本期完成{fmt(quantity)}{order.measure}（{order.title[:30]}），台账及现场照片已归档。"


def link_lift_cases(orders, now):
    lifts = next((o for o in orders if "电梯" in o.title), None)
    dispatcher = M.objects.filter(role=M.DISPATCHER, unit__kind=Unit.CENTRE).select_related("user").first()
    if lifts is None or dispatcher is None:
        return
    for case in Case.objects.filter(category__name__contains="电梯").order_by("-created_at")[:12]:
        steps.link_case(Order.objects.get(pk=lifts.pk), case, dispatcher.user, now=now)


# --- people -------------------------------------------------------------------


def unit(code):
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise Missing(f"unit {code} is not loaded; run `huying load-deployment yuexiu` first")
    return found


def member(role, kind):
    m = M.objects.filter(role=role, unit__kind=kind).select_related("user").order_by("user__username").first()
    if m is None:
        raise Missing(f"no {role} in a {kind} unit; create the demo users first")
    return m.user


@functools.cache
def handler(unit):
    m = M.objects.filter(role=M.HANDLER, unit=unit).select_related("user").order_by("user__username").first()
    return m.user if m else staff(f"staff-{unit.code}", unit)


@functools.cache
def approver(lead, reporter):
    """A handler of the lead unit other than the reporter."""
    for m in M.objects.filter(role=M.HANDLER, unit=lead).select_related("user").order_by("user__username"):
        if m.user != reporter:
            return m.user
    return staff(f"staff-{lead.code}-b", lead)


def staff(username, unit):
    user, _ = User.objects.get_or_create(username=username, defaults={"first_name": f"{unit.label}经办人",
                                                                      "password": make_password(None)})
    M.objects.get_or_create(user=user, unit=unit, role=M.HANDLER)
    return user
