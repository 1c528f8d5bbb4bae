"""The Django admin as the way in until the web console exists.

People see only cases in their scope, personal data masked as the brief
says, and can take the steps that need no extra input as admin actions.
Nothing here edits a case directly: every change goes through a step.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from huying.cases import privacy, steps
from huying.cases.errors import Refused
from huying.cases.models import Case, Category
from huying.cases.scope import visible_cases
from huying.org import people

SHOWN = [
    "number", "status", "kind", "channel", "urgency", "category", "title", "text", "address", "street",
    "community", "grid", "lead_unit", "dispatched_by", "created_at", "dispatched_at", "accept_due",
    "accepted_at", "reply_due", "replied_at", "reply_text", "resolved", "satisfaction", "closed_at",
    "urge_count", "supervised", "supervise_due", "reopen_count", "extension_days", "extension_reason",
    "return_reason", "main_case",
]


def is_member(request):
    return request.user.is_active and (request.user.is_superuser or bool(people.memberships(request.user)))


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name", "keywords"]
    autocomplete_fields = ["parent"]


def step_action(name, label, step, **kwargs):
    def action(modeladmin, request, queryset):
        done = 0
        for case in queryset:
            try:
                step(case, request.user, **kwargs)
                done += 1
            except Refused as error:
                modeladmin.message_user(request, f"{case.number}: {error}", messages.WARNING)
        if done:
            modeladmin.message_user(request, _("%(n)s case(s) done.") % {"n": done}, messages.SUCCESS)

    action.__name__ = name
    return admin.action(description=label)(action)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "status", "kind", "lead_unit", "reply_due", "created_at"]
    list_filter = ["status", "kind", "urgency", "channel", ("street", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "title", "address"]
    date_hierarchy = "created_at"
    list_select_related = ["lead_unit"]
    fields = SHOWN
    readonly_fields = SHOWN
    change_form_template = "admin/cases/case/change_form.html"
    actions = [
        step_action("accept", _("Accept"), steps.accept),
        step_action("urge", _("Urge"), steps.urge),
        step_action("supervise", _("Supervise"), steps.supervise),
        step_action("approve_extension", _("Approve extension"), steps.approve_extension),
        step_action("approve_return", _("Approve return"), steps.approve_return),
    ]

    def get_queryset(self, request):
        return visible_cases(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return is_member(request)

    def has_view_permission(self, request, obj=None):
        return is_member(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            name, phone = privacy.person(request.user, obj)
            context.update(
                citizen_name=name,
                citizen_phone=phone,
                events=obj.events.select_related("actor_unit"),
                co_units=obj.co_units.all(),
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
