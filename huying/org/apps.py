from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "huying.org"
    label = "org"
    verbose_name = "组织 Organisation"
