from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from huying.routing.models import Label, Model, Routing, Rule, Suggestion, TrainingExample


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["category", "unit"]
    list_filter = ["unit"]
    search_fields = ["category__name", "category__code", "unit__name"]
    autocomplete_fields = ["category", "unit"]


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    """Labels the classifier learnt; an older system's label becomes useful
    for dispatch once it is mapped to a category here."""

    list_display = ["name", "category", "source", "first_seen"]
    list_filter = [("category", admin.EmptyFieldListFilter)]
    search_fields = ["name", "category__name"]
    autocomplete_fields = ["category"]
    readonly_fields = ["name", "first_seen", "source"]

    def has_add_permission(self, request):
        return False  # labels come from training


@admin.register(Model)
class ModelAdmin(admin.ModelAdmin):
    list_display = ["version", "active", "created_at", "macro_f1", "n_train", "n_held_out", "source"]
    exclude = ["data"]
    readonly_fields = ["version", "created_at", "active", "source", "metrics", "labels", "n_train", "n_held_out"]
    actions = ["activate"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False  # models come from `huying router train`

    @admin.action(description=_("Make the selected model the active one (roll back)"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one model."), messages.ERROR)
            return
        chosen = queryset.get()
        with transaction.atomic():
            Model.objects.filter(active=True).update(active=False)
            Model.objects.filter(pk=chosen.pk).update(active=True)
        self.message_user(request, _("Model v%(v)s is now active.") % {"v": chosen.version})


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Routing)
class RoutingAdmin(ReadOnly):
    list_display = ["case", "outcome", "confidence", "model_version", "routed_at"]
    list_filter = ["outcome"]
    search_fields = ["case__number"]
    list_select_related = ["case"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnly):
    list_display = ["case", "kind", "rank", "unit", "other_case", "confidence"]
    list_filter = ["kind"]
    search_fields = ["case__number"]
    list_select_related = ["case", "unit", "other_case"]


@admin.register(TrainingExample)
class TrainingExampleAdmin(ReadOnly):
    list_display = ["created_at", "source", "category", "unit", "case"]
    list_filter = ["source"]
    search_fields = ["text", "case__number"]
    list_select_related = ["category", "unit", "case"]
