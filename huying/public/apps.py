from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "huying.public"
    label = "public"
    verbose_name = "市民 Citizens"
