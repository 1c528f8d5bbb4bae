"""The worker job that sends webhook deliveries, with retries and back-off.

Each round reads due deliveries by the indexed `(state, next_attempt_at)`,
claims each with a conditional update (moving `next_attempt_at` past the
time a try can take), so two workers never send the same delivery at once,
then POSTs it. A 2xx response delivers it; anything else is recorded and
tried again after `WEBHOOK_BACKOFF_SECONDS × 2^(tries-1)` (capped at six
hours), until `WEBHOOK_MAX_ATTEMPTS` tries have failed.
"""

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from huying.api.models import WebhookAttempt, WebhookDelivery
from huying.api.webhooks import signing

log = logging.getLogger(__name__)
BATCH = 100
MAX_BACKOFF = dt.timedelta(hours=6)
# Never sent outside: who the citizen is (see huying/cases/privacy.py).
PERSONAL = {"citizen_name", "citizen_phone", "citizen_user"}
USER_AGENT = "Huying-Webhooks/1"


def backoff(tries):
    """Wait after the `tries`-th failed try: base, 2×base, 4×base … ≤ 6 h."""
    seconds = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (tries - 1)
    return min(dt.timedelta(seconds=seconds), MAX_BACKOFF)


def payload(delivery):
    event = delivery.event
    changes = {k: v for k, v in event.changes.items() if k not in PERSONAL}
    return {
        "delivery": delivery.pk,
        "event": event.action,
        "case": event.case.number,
        "seq": event.seq,
        "at": event.at,
        "actor": event.actor_label,
        "unit": event.actor_unit.code if event.actor_unit_id else None,
        "reason": event.reason,
        "changes": changes,
    }


def body_of(delivery):
    return json.dumps(payload(delivery), cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True).encode("utf-8")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer we did not ask for: record it as a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def post(delivery, body, now):
    """Send once; returns (status code or None, error text, response excerpt)."""
    endpoint = delivery.endpoint
    request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Huying-Event": delivery.event.action,
        "X-Huying-Delivery": str(delivery.pk),
        signing.HEADER: signing.sign(endpoint.secret, body, now.timestamp()),
    })
    try:
        with OPENER.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status, "", response.read(1000).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}", error.read(1000).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:500], ""


def claim(delivery, now):
    lease = now + dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT * 3)
    return WebhookDelivery.objects.filter(
        pk=delivery.pk, state=WebhookDelivery.PENDING, next_attempt_at=delivery.next_attempt_at,
    ).update(next_attempt_at=lease)


def attempt(delivery, now):
    """One try, recorded; returns True when delivered."""
    started = time.monotonic()
    code, error, excerpt = post(delivery, body_of(delivery), now)
    took = int((time.monotonic() - started) * 1000)
    ok = code is not None and 200 <= code < 300
    WebhookAttempt.objects.create(delivery=delivery, at=now, status_code=code, error=error, response=excerpt, duration_ms=took)
    tries = delivery.attempts + 1
    changes = {"attempts": tries}
    if ok:
        changes |= {"state": WebhookDelivery.DELIVERED, "delivered_at": now, "next_attempt_at": None}
    elif tries >= settings.WEBHOOK_MAX_ATTEMPTS:
        changes |= {"state": WebhookDelivery.FAILED, "next_attempt_at": None}
        log.warning("webhook delivery %s to %s failed for good: %s", delivery.pk, delivery.endpoint.url, error or code)
    else:
        changes["next_attempt_at"] = now + backoff(tries)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)
    return ok


def deliver_webhooks(now):
    """Worker job: send what is due; returns how many were delivered."""
    due = (
        WebhookDelivery.objects.filter(state=WebhookDelivery.PENDING, next_attempt_at__lte=now, endpoint__active=True)
        .select_related("endpoint", "event__case", "event__actor_unit")
        .order_by("next_attempt_at")[:BATCH]
    )
    done = 0
    for delivery in due:
        if claim(delivery, now):
            done += attempt(delivery, now)
    return done
