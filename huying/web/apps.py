from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "huying.web"
    label = "web"
    verbose_name = "网页 Web"
