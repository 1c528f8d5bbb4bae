"""The timed work: urge missed deadlines, supervise cases still overdue,
and raise follow-ups that are due.

Each job reads a batch of due rows by an indexed column (`urge_at`,
`supervise_at`, `followup_due`), then acts on each through a step, whose
conditional update (`WHERE version = seen`) lets only one worker win a row.
A worker that loses simply moves on, so several can run at once.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.analytics.hotspots.cases import refresh_hotspots
from huying.analytics.refresh import refresh_stats
from huying.cases import ledger, steps
from huying.cases.actors import Actor
from huying.cases.errors import Refused
from huying.cases.models import WITH_UNIT, Case, Notification, Status
from huying.cases.steps.common import the_centre

log = logging.getLogger(__name__)
BATCH = 200


def due(column, now):
    return Case.objects.filter(**{f"{column}__lte": now}).order_by(column)[:BATCH]


def urge_due(now):
    done = 0
    for case in due("urge_at", now):
        if case.status not in WITH_UNIT:
            done += clear(case, "urge_at", now)
            continue
        done += attempt(steps.urge, case, now=now)
    return done


def supervise_due(now):
    done = 0
    for case in due("supervise_at", now):
        if case.status not in WITH_UNIT or not overdue(case, now):
            done += clear(case, "supervise_at", now)
            continue
        done += attempt(steps.supervise, case, now=now)
    return done


def followups_due(now):
    """Replies not followed up in time: tell the centre, once."""
    done = 0
    centre = the_centre()
    for case in due("followup_due", now):
        with transaction.atomic():
            if not claim(case, {"followup_due": None, "followup_alerted": True}, "followup_overdue", now,
                         _("Follow-up call is due.")):
                continue
            if centre is not None:
                Notification.objects.create(unit=centre, case=case, created_at=now,
                                            text=f"{_('Follow-up due')}: {case.number} {case.title}"[:300])
        done += 1
    return done


def overdue(case, now):
    if case.status == Status.DISPATCHED:
        return case.accept_due is not None and now > case.accept_due
    return case.reply_due is not None and now > case.reply_due


def attempt(step, case, *, now):
    try:
        step(case, Actor.worker(), now=now)
        return 1
    except Refused as error:
        # Another worker, or a person, changed the case first: theirs stands.
        log.info("worker skipped %s: %s", case.number, error)
        return 0


def clear(case, column, now):
    """The timer is stale (the case moved on): drop it, on record."""
    return claim(case, {column: None}, "timer_cleared", now, column)


def claim(case, changes, action, now, reason):
    try:
        ledger.record(case, Actor.worker(), action, changes, now=now, reason=reason)
        return 1
    except Refused:
        return 0


# The data centre's figures follow every change (huying/analytics/refresh.py).
JOBS = [urge_due, supervise_due, followups_due, refresh_stats, refresh_hotspots]

# Orders (令) that fall behind plan or pass their deadline: huying/orders/worker.py.
from huying.orders.worker import orders_due  # noqa: E402

JOBS.append(orders_due)

# Webhook deliveries and Open311 batch intake: huying/api.
from huying.api.intake import process_batch  # noqa: E402
from huying.api.webhooks.deliver import deliver_webhooks  # noqa: E402

JOBS += [deliver_webhooks, process_batch]

# Smart dispatch: route new cases no intake caller routed; learn from corrections (huying/routing/jobs.py).
from huying.routing.jobs import learn_corrections, route_new  # noqa: E402

JOBS += [route_new, learn_corrections]


def tick(now=None):
    """Run every job once; return how many cases each touched."""
    now = now or timezone.now()
    return {job.__name__: job(now) for job in JOBS}
