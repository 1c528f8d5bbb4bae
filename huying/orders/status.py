"""An order's status: approved progress measured against the time used.

The plan is a straight line from nothing at the start to the whole target at
the deadline. An order is

    done       when approved progress reaches the target;
    late       when the deadline has passed without that;
    at risk    when progress trails the line by more than the allowed gap
               (ORDERS_AT_RISK_GAP, default 10 % of the target);
    on track   otherwise.

Because the line is straight, the moment an on-track order would fall behind
can be computed, so the worker looks at an order exactly when its status may
change (`next_check`) rather than sweeping all orders every round.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings

from huying.orders.models import Status
from huying.sla import calendar


def gap():
    return Decimal(settings.ORDERS_AT_RISK_GAP) / 100


def elapsed(starts_at, deadline, now):
    """The share of the time used, 0–1."""
    span = (deadline - starts_at).total_seconds()
    if span <= 0:
        return Decimal(1)
    used = (now - starts_at).total_seconds() / span
    return Decimal(str(max(0.0, min(1.0, used))))


def progress(done, target):
    return min(Decimal(1), Decimal(done) / Decimal(target)) if target else Decimal(1)


def compute(done, target, starts_at, deadline, now):
    """The status of any piece of work with a target and a time frame
    (an order, or one unit's assignment)."""
    if done >= target:
        return Status.DONE
    if now > deadline:
        return Status.LATE
    if elapsed(starts_at, deadline, now) - progress(done, target) > gap():
        return Status.AT_RISK
    return Status.ON_TRACK


def of_order(order, now):
    return compute(order.done, order.target, order.starts_at, order.deadline, now)


def of_assignment(assignment, now):
    order = assignment.order
    return compute(assignment.done, assignment.quantity, order.starts_at, order.deadline, now)


def falls_behind_at(done, target, starts_at, deadline):
    """When work with no further progress crosses from on track to at risk,
    or None when it would reach the deadline first."""
    share = progress(done, target) + gap()
    if share >= 1:
        return None
    span = (deadline - starts_at).total_seconds()
    return starts_at + dt.timedelta(seconds=float(share) * span + 1)


def next_check(order, status, now):
    """The next moment the worker must look at the order: when its status
    would change with no new progress, or when it is due another urge."""
    if status == Status.DONE:
        return None
    moments = []
    if status == Status.ON_TRACK:
        moments.append(falls_behind_at(order.done, order.target, order.starts_at, order.deadline))
    if status in (Status.ON_TRACK, Status.AT_RISK):
        moments.append(order.deadline + dt.timedelta(microseconds=1))  # late just after the deadline
    if status in (Status.AT_RISK, Status.LATE):
        moments.append(next_urge(order.urged_at or now))
    # Never in the past: float rounding at the crossing must not make the
    # worker pick the same order up again and again.
    return max(min(m for m in moments if m is not None), now + dt.timedelta(seconds=1))


def next_urge(last):
    """Orders that stay behind are urged again every few working days."""
    return calendar.add_working_days(last, settings.ORDERS_URGE_EVERY)
