"""Case events into webhook deliveries, in the event's own transaction.

Hooking `post_save` of `Event` catches every change from every source (the
console, the API, the worker) without touching the ledger; writing the
delivery rows in the same transaction means an event that is rolled back is
never announced, and one that commits is never lost (a transactional outbox).

The active endpoints are read once per LOOKUP_CACHE_SECONDS per process
(huying/memo.py), not once per event: an endpoint added or switched off in
another process counts for new events within that time, at once in this one.
"""

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
    from huying.api.models import WebhookDelivery

    endpoints = [e for e in ENDPOINTS.get("active", active_endpoints) if e.wants(instance.action)]
    if endpoints:
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint=e, event=instance, created_at=instance.at, next_attempt_at=instance.at) for e in endpoints
        )
