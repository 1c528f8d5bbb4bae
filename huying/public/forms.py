"""The citizen's forms: a request, and the two things that open its page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huying.cases.models import Kind, Satisfaction

CITIZEN_KINDS = [Kind.COMPLAINT, Kind.HELP, Kind.CONSULT, Kind.REPORT, Kind.SUGGESTION, Kind.PRAISE]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=[(k.value, k.label) for k in CITIZEN_KINDS])
    title = forms.CharField(label=_("In one line"), max_length=200)
    text = forms.CharField(label=_("What happened, where, since when"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    citizen_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    citizen_phone = forms.CharField(label=_("Your mobile phone"), max_length=20,
                                    help_text=_("To track your case you need its number and the last four digits of this phone."))
    confidential = forms.BooleanField(label=_("Keep my name and phone from the units handling a report"), required=False)

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("A map point needs both a latitude and a longitude."))
        if data.get("confidential") and data.get("kind") != Kind.REPORT:
            self.add_error("confidential", _("Only a report (举报) can be confidential."))
        return data


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    last_four = forms.CharField(label=_("Last four digits of the phone"), min_length=4, max_length=4)

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class RateForm(forms.Form):
    resolved = forms.TypedChoiceField(label=_("Was your problem resolved?"), choices=[("yes", _("Yes")), ("no", _("No"))],
                                      coerce=lambda v: v == "yes", widget=forms.RadioSelect)
    satisfaction = forms.ChoiceField(label=_("How satisfied are you with the answer?"), choices=Satisfaction.choices,
                                     widget=forms.RadioSelect)
    note = forms.CharField(label=_("Anything to add"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
