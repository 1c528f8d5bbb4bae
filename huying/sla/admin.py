"""Admin pages for the calendar and the time limits.

The national rows (from chinese-calendar) are read-only: a deployment
overrides a day by adding its own row, which wins, so the official schedule
stays visible next to the local change. A year's schedule can be uploaded
as a CSV from the ScheduleYear list (`read_schedule`, then
`store_deployment_days`): all of the file or nothing.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huying.cases.models import Kind, Urgency
from huying.sla import calendar
from huying.sla.deadlines import ANY_KIND
from huying.sla.models import Day, Limit, ScheduleYear

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


class DayForm(forms.ModelForm):
    class Meta:
        model = Day
        fields = ["date", "working", "note"]

    def clean_date(self):
        # `source` is not on the form, so Django cannot check the unique
        # (date, source) constraint itself: say it here, not as a crash.
        day = self.cleaned_data["date"]
        if Day.objects.filter(date=day, source=Day.DEPLOYMENT).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The deployment already has a row for %(date)s; edit that one.") % {"date": day})
        return day


@admin.register(Day)
class DayAdmin(admin.ModelAdmin):
    form = DayForm
    list_display = ["date", "weekday", "working", "source", "note"]
    list_filter = ["source", "working"]
    date_hierarchy = "date"
    search_fields = ["note"]

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, day):
        return "周" + WEEKDAYS[day.date.weekday()]

    def has_change_permission(self, request, obj=None):
        # The official schedule is not edited in place; add a deployment day instead.
        if obj is not None and obj.source == Day.CHINESE_CALENDAR:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.source == Day.CHINESE_CALENDAR:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.source = Day.DEPLOYMENT
        super().save_model(request, obj, form, change)
        calendar.forget()  # deadlines computed from now on see the change

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar.forget()

    def delete_queryset(self, request, queryset):
        # Django refuses a bulk delete that selects a national row (see
        # has_delete_permission), so only deployment rows get here.
        super().delete_queryset(request, queryset)
        calendar.forget()


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Schedule file (CSV: date,working[,note])"))
    year = forms.IntegerField(
        label=gettext_lazy("Complete schedule of the year"), required=False, min_value=2000, max_value=2200,
        help_text=gettext_lazy("Leave empty for a deployment's own days; give the year when the file is "
                               "that year's whole official schedule, which ends the warning."),
    )


@admin.register(ScheduleYear)
class ScheduleYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "loaded_at"]
    list_filter = ["source"]
    fields = ["year"]
    change_list_template = "admin/sla/scheduleyear/change_list.html"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Day.DEPLOYMENT  # a year an admin declares complete by hand
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        for text in calendar.schedule_warnings():
            self.message_user(request, text, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="sla_scheduleyear_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        if not (self.has_add_permission(request) and request.user.has_perm("sla.add_day")):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        if request.method == "POST" and form.is_valid():
            stored = self.store(request, form.cleaned_data["file"], form.cleaned_data["year"])
            if stored is not None:
                return redirect(reverse("admin:sla_scheduleyear_changelist"))
        context = self.admin_site.each_context(request) | {
            "opts": self.model._meta,
            "form": form,
            "title": _("Upload a working-day schedule"),
        }
        return TemplateResponse(request, "admin/sla/scheduleyear/upload.html", context)

    def store(self, request, upload, year):
        """Store the file's days, or show every error and store nothing."""
        try:
            rows = calendar.read_schedule(upload.read().decode("utf-8-sig").splitlines())
        except UnicodeDecodeError:
            self.message_user(request, _("The file is not UTF-8 text; save it as CSV UTF-8. Nothing stored."), messages.ERROR)
            return None
        except calendar.ScheduleError as error:
            for text in str(error).split("; "):
                self.message_user(request, text, messages.ERROR)
            self.message_user(request, _("Nothing was stored."), messages.ERROR)
            return None
        if year and not any(day.year == year for day, _w, _n in rows):
            self.message_user(request, _("The file has no day in %(year)s. Nothing stored.") % {"year": year}, messages.ERROR)
            return None
        stored = calendar.store_deployment_days(rows, schedule_years=[year] if year else [])
        text = _("%(n)s days stored.") % {"n": stored}
        if year:
            text += " " + _("%(year)s is marked as scheduled.") % {"year": year}
        self.message_user(request, text, messages.SUCCESS)
        return stored


class LimitForm(forms.ModelForm):
    # Choices, not free text: a misspelt kind would be a row no case ever uses.
    kind = forms.ChoiceField(choices=[(ANY_KIND, gettext_lazy("* any kind")), *Kind.choices])
    urgency = forms.ChoiceField(choices=Urgency.choices)

    class Meta:
        model = Limit
        fields = ["kind", "urgency", "accept", "accept_unit", "reply", "reply_unit"]


@admin.register(Limit)
class LimitAdmin(admin.ModelAdmin):
    form = LimitForm
    list_display = ["kind", "urgency", "accept", "accept_unit", "reply", "reply_unit"]
    list_filter = ["urgency", "kind", "reply_unit"]
    ordering = ["urgency", "kind"]
