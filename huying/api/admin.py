"""Admin pages: client API keys (issued here or with `huying api-key`),
personal tokens, webhook endpoints with their deliveries and every try.

A key or token is shown once, in the message after saving; only its digest
is kept.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.api.models import ACTIVE_KEYS, ApiKey, PersonalToken, Submission, WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.action(description=_("Revoke the selected keys or tokens"))
def revoke(modeladmin, request, queryset):
    n = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    ACTIVE_KEYS.forget()  # update() sends no signal; this process stops accepting them at once
    modeladmin.message_user(request, _("%(n)s revoked.") % {"n": n}, messages.SUCCESS)


class SecretAdmin(admin.ModelAdmin):
    readonly_fields = ["prefix", "created_at", "revoked_at"]
    actions = [revoke]

    def save_model(self, request, obj, form, change):
        if not change:
            secret = obj.issue()
            messages.warning(request, _("Copy it now; it is not shown again: %(secret)s") % {"secret": secret})
        super().save_model(request, obj, form, change)


@admin.register(ApiKey)
class ApiKeyAdmin(SecretAdmin):
    list_display = ["name", "channel", "prefix", "created_at", "revoked_at"]
    fields = ["name", "channel", "prefix", "created_at", "revoked_at"]


@admin.register(PersonalToken)
class PersonalTokenAdmin(SecretAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "name", "prefix", "created_at", "revoked_at"]
    autocomplete_fields = ["user"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["token", "client", "user", "case", "external_id", "created_at", "processed_at", "error"]
    list_select_related = ["client", "user", "case"]
    search_fields = ["token", "external_id", "idempotency_key", "case__number"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "status_code", "error", "response", "duration_ms"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "events", "active", "created_at"]
    readonly_fields = ["secret", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["endpoint", "event", "state", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["state", "endpoint"]
    list_select_related = ["endpoint", "event__case"]
    readonly_fields = ["endpoint", "event", "state", "attempts", "next_attempt_at", "created_at", "delivered_at"]
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False
