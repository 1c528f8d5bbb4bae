"""Limits on the public pages, counted in the database so that every web
process shares them.

Tracking a case needs its number and the last four digits of the phone:
ten thousand guesses would find any case, so failures are counted per case
number and per address and refused beyond a handful an hour. Submissions
are counted per address so that one machine cannot flood the centre.
"""

import datetime as dt

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.utils import timezone

from huying.public.models import Attempt

WINDOW = dt.timedelta(hours=1)
LIMITS = {
    # (kind, what) -> attempts allowed per WINDOW
    (Attempt.TRACK_FAILED, "case"): 5,
    (Attempt.TRACK_FAILED, "ip"): 20,
    (Attempt.SUBMIT, "ip"): 10,
}


def limit(kind, what):
    overrides = getattr(settings, "PUBLIC_LIMITS", {})
    return overrides.get(f"{kind}:{what}", LIMITS[(kind, what)])


def ip_key(request):
    return f"ip:{get_client_ip_address(request) or 'unknown'}"


def too_many(kind, keys, now=None):
    """True when any of the keys ("ip:…", "case:…") has used up its attempts."""
    now = now or timezone.now()
    for key in keys:
        what = key.split(":", 1)[0]
        if Attempt.objects.filter(kind=kind, key=key, at__gt=now - WINDOW).count() >= limit(kind, what):
            return True
    return False


def count(kind, keys, now=None):
    now = now or timezone.now()
    # Old rows are of no further use; dropping them here keeps the table small without a job.
    Attempt.objects.filter(kind=kind, key__in=keys, at__lte=now - WINDOW).delete()
    Attempt.objects.bulk_create([Attempt(kind=kind, key=key, at=now) for key in keys])
