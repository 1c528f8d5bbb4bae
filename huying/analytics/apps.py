from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "huying.analytics"
    label = "analytics"
    verbose_name = "数据中心 Data centre"

    def ready(self):
        from huying.analytics import checks  # noqa: F401  (registers the weights check)
