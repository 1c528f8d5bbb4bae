from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "huying.sla"
    label = "sla"
    verbose_name = "时限 Deadlines"

    def ready(self):
        from huying.sla import checks  # noqa: F401  (registers the calendar check)
