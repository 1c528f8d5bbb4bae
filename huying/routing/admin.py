from django.contrib import admin

from huying.routing.models import Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["category", "unit"]
    list_filter = ["unit"]
    search_fields = ["category__name", "category__code", "unit__name"]
    autocomplete_fields = ["category", "unit"]
