"""Case events into webhook deliveries, in the event's own transaction.

Hooking `post_save` of `Event` catches every change from every source (the
console, the API, the worker) without touching the ledger; writing the
delivery rows in the same transaction means an event that is rolled back is
never announced, and one that commits is never lost (a transactional outbox).
"""

from django.db.models.signals import post_save

from huying.cases.models import Event

# Timer bookkeeping of the worker, not news for anyone outside.
QUIET_ACTIONS = {"timer_cleared"}


def connect():
    post_save.connect(enqueue, sender=Event, dispatch_uid="huying.api.webhooks.enqueue")


def enqueue(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.action in QUIET_ACTIONS:
        return
    from huying.api.models import WebhookDelivery, WebhookEndpoint

    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True).only("pk", "events") if e.wants(instance.action)]
    if endpoints:
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint=e, event=instance, created_at=instance.at, next_attempt_at=instance.at) for e in endpoints
        )
