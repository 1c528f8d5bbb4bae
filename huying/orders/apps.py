from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "huying.orders"
    label = "orders"
    verbose_name = "令 Orders"
