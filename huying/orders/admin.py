"""Orders in the Django admin: to look, never to edit. Every change to an
order goes through a step (huying/orders/steps), which keeps its history."""

from django.contrib import admin

from huying.cases.admin import is_member
from huying.orders import rules
from huying.orders.models import Order, OrderEvent, Project, Report


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return is_member(request)

    def has_view_permission(self, request, obj=None):
        return is_member(request)


class EventInline(admin.TabularInline):
    model = OrderEvent
    fields = ["seq", "at", "actor_label", "actor_unit", "action", "changes", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnly):
    list_display = ["title", "status", "done", "target", "measure", "lead_unit", "deadline", "source"]
    list_filter = ["status", "source", ("lead_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "text"]
    inlines = [EventInline]

    def get_queryset(self, request):
        return rules.visible_orders(request.user, super().get_queryset(request))


@admin.register(Project)
class ProjectAdmin(ReadOnly):
    list_display = ["year", "rank", "title", "public"]


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ["title", "year", "uploaded_at"]
    exclude = ["text"]
