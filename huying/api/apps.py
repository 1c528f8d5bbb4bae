from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huying.api"
    label = "api"
    verbose_name = "接口 API"

    def ready(self):
        # Every case event, from any source, becomes a webhook delivery in
        # the same transaction (see huying/api/webhooks/outbox.py).
        from huying.api.webhooks import outbox

        outbox.connect()
