"""Hotspots over the deployment's own cases, kept by the worker.

Every `HOTSPOT_INTERVAL_MINUTES` one worker claims the run (a conditional
update of its `JobClock` row), reads the cases of the last `HOTSPOT_DAYS`
days (at most `MAX_CASES`, the newest), groups them and stores the hottest
`KEEP` groups with their cases, replacing the previous run's. A case's place
is its community and street (set at intake from the address or map point)
and the place phrases of its address and title; a person is the caller's
phone or account, so the same caller calling again counts as a repeat.
"""

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import transaction

from huying.analytics.hotspots import Message, find
from huying.analytics.hotspots import text as words
from huying.analytics.models import Hotspot, JobClock
from huying.cases.models import Case

JOB = "hotspots"
MAX_CASES = 20_000
KEEP = 50


def refresh_hotspots(now):
    """Worker job: recompute the hotspots when their time has come."""
    if not claim(now):
        return 0
    return len(compute(now))


def claim(now):
    interval = dt.timedelta(minutes=settings.HOTSPOT_INTERVAL_MINUTES)
    JobClock.objects.get_or_create(name=JOB, defaults={"next_at": now})
    return bool(JobClock.objects.filter(name=JOB, next_at__lte=now).update(next_at=now + interval))


def compute(now):
    since = now - dt.timedelta(days=settings.HOTSPOT_DAYS)
    rows = list(
        Case.objects.filter(created_at__gte=since, created_at__lte=now)
        .order_by("-created_at")
        .values("id", "title", "text", "address", "created_at", "citizen_phone", "citizen_user_id",
                "street_id", "street__name", "community__name")[:MAX_CASES]
    )
    messages = [message(row) for row in rows]
    spots = find(messages, top=KEEP)
    street_of = {str(row["id"]): row["street_id"] for row in rows}
    with transaction.atomic():
        Hotspot.objects.all().delete()
        for rank, spot in enumerate(spots, start=1):
            streets = Counter(street_of[i] for i in spot.ids if street_of.get(i))
            hotspot = Hotspot.objects.create(
                computed_at=now, rank=rank, title=spot.title[:200], place=spot.place[:100],
                street=streets.most_common(1)[0][0] if streets else 0, first_at=spot.first, last_at=spot.last,
                size=spot.size, people=spot.people, likes=spot.likes + spot.repeats, growth=round(spot.pace, 2),
                heat=spot.heat, terms=spot.terms,
            )
            hotspot.cases.set([int(i) for i in spot.ids])
    return spots


def message(row):
    places = [row["community__name"]] if row["community__name"] else []
    places += words.places(f"{row['address']}。{row['title']}")
    person = row["citizen_phone"] or (f"user:{row['citizen_user_id']}" if row["citizen_user_id"] else "")
    return Message(
        id=str(row["id"]), title=row["title"], body=row["text"], at=row["created_at"], person=person,
        areas=[row["street__name"]] if row["street__name"] else [], places=places,
    )
