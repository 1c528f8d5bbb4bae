from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "huying.routing"
    label = "routing"
    verbose_name = "分派 Routing"
