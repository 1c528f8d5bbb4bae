from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "huying.demo"
    label = "demo"
    verbose_name = "Demo"
