"""Case events into webhook deliveries, in the event's own transaction.

Hooking `post_save` of `Event` catches every change from every source (the
console, the API, the worker) without touching the ledger; writing the
delivery rows in the same transaction means an event that is rolled back is
never announced, and one that commits is never lost (a transactional outbox).

The active endpoints are read once per LOOKUP_CACHE_SECONDS per process
(huying/memo.py), not once per event: an endpoint added or switched off in
another process counts for new events within that time, at once in this one.
"""

from django.db import connection
from django.db.models.signals import post_save

from huying import memo
from huying.cases.models import Event

# Timer bookkeeping of the worker, not news for anyone outside.
QUIET_ACTIONS = {"timer_cleared"}
ENDPOINTS = memo.Memo("webhook_endpoints")


def connect():
    from huying.api.models import WebhookEndpoint

    post_save.connect(enqueue, sender=Event, dispatch_uid="huying.api.webhooks.enqueue")
    memo.forget_on_change(WebhookEndpoint, ENDPOINTS)


def active_endpoints(_key):
    from huying.api.models import WebhookEndpoint

    return list(WebhookEndpoint.objects.filter(active=True).only("pk", "events"))


def enqueue(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.action in QUIET_ACTIONS:
        return
    wanted = [e.pk for e in ENDPOINTS.get("active", active_endpoints) if e.wants(instance.action)]
    if wanted:
        queue(instance, wanted)


def queue(event, endpoint_ids):
    """One pending delivery of the event for each endpoint that still exists
    and is active: the cached list may name one that another process has
    since deleted, and a delivery for it would break the event's transaction."""
    from huying.api.models import WebhookDelivery, WebhookEndpoint

    delivery, endpoint = WebhookDelivery._meta.db_table, WebhookEndpoint._meta.db_table
    at = connection.ops.adapt_datetimefield_value(event.at)
    marks = ", ".join(["%s"] * len(endpoint_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivery} (endpoint_id, event_id, state, attempts, next_attempt_at, created_at) "
            f"SELECT id, %s, %s, 0, %s, %s FROM {endpoint} WHERE active = %s AND id IN ({marks})",
            [event.pk, WebhookDelivery.PENDING, at, at, True, *endpoint_ids],
        )
