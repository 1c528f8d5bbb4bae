from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huying.api"
    label = "api"
    verbose_name = "接口 API"

    def ready(self):
        from huying import memo
        from huying.api.models import ACTIVE_KEYS, ApiKey
        from huying.api.open311.services import SERVICES
        from huying.api.places import UNITS
        from huying.api.webhooks import outbox
        from huying.cases.models import Category
        from huying.org.models import Unit

        # Every case event, from any source, becomes a webhook delivery in
        # the same transaction (see huying/api/webhooks/outbox.py).
        outbox.connect()
        # Rows every POST reads, cached per process (huying/memo.py) and
        # forgotten here at once when this process changes them.
        memo.forget_on_change(ApiKey, ACTIVE_KEYS)
        memo.forget_on_change(Category, SERVICES)
        memo.forget_on_change(Unit, UNITS)
