"""The order pages' forms: types and presence here, every rule in the steps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huying.orders.models import Source
from huying.org.models import Unit


def working_units():
    """Units that can lead or take part in an order, in tree order."""
    return Unit.objects.filter(active=True).exclude(kind__in=[Unit.DISTRICT, Unit.CENTRE]).order_by("path")


def leading_units():
    """The shorter list offered on the confirm page: departments and streets."""
    return working_units().filter(kind__in=[Unit.DEPARTMENT, Unit.STREET])


class GiveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    target = forms.DecimalField(label=_("Target"), max_digits=18, decimal_places=2)
    measure = forms.CharField(label=_("Measure word"), max_length=10, help_text=_("台, 户, 场, 人次, % …"))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=_("Co-units"), queryset=Unit.objects.none(), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[(Source.INSTRUCTION, Source.INSTRUCTION.label),
                                                           (Source.REPORT, Source.REPORT.label)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = self.fields["co_units"].queryset = working_units()


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title of the report"), max_length=200)
    text = forms.CharField(label=_("Text of the report"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(label=_("…or a UTF-8 text file"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 2 * 1024 * 1024:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste the report's text or choose its file."))
        return data


class HotspotForm(forms.Form):
    title = forms.CharField(max_length=200)
    place = forms.CharField(max_length=200, required=False)
    place_unit = forms.ModelChoiceField(queryset=Unit.objects.filter(active=True), required=False)
    case_ids = forms.CharField(help_text=_("Case ids or numbers, separated by commas or spaces"))
    lead_unit = forms.ModelChoiceField(queryset=Unit.objects.filter(active=True), required=False)
    deadline = forms.DateField(required=False)

    def ids(self):
        return [x for x in self.cleaned_data["case_ids"].replace(",", " ").replace("，", " ").split() if x]
