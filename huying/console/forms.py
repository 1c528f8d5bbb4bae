"""The operator's intake form: one screen for a phone call."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huying.cases.models import Category, Channel, Kind, Urgency
from huying.org.models import Unit

# Channels a person at the centre enters by hand; the others arrive by themselves.
HAND_CHANNELS = [Channel.PHONE, Channel.WEB, Channel.APP, Channel.PATROL, Channel.LEADER]


class CategoryField(forms.CharField):
    """A category typed or picked as "01.01.01 城乡建设 › …"; its code decides."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = value.split()[0]
        category = Category.objects.filter(code=code, active=True).first()
        if category is None:
            raise forms.ValidationError(_("Pick a category from the list."))
        return category


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class IntakeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.COMPLAINT)
    channel = forms.ChoiceField(label=_("Channel"), choices=[(c.value, c.label) for c in HAND_CHANNELS], initial=Channel.PHONE)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    category = CategoryField(label=_("Category"), required=False)
    citizen_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    citizen_phone = forms.CharField(label=_("Caller's phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    street = UnitChoice(label=_("Street"), queryset=Unit.objects.none(), required=False)
    community = UnitChoice(label=_("Community"), queryset=Unit.objects.none(), required=False)
    confidential = forms.BooleanField(label=_("Confidential report (hide the reporter from handling units)"), required=False)
    lead = UnitChoice(label=_("Lead unit"), queryset=Unit.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(label=_("Co-units"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = Unit.objects.filter(kind=Unit.STREET, active=True)
        self.fields["community"].queryset = Unit.objects.filter(kind=Unit.COMMUNITY, active=True).select_related("parent")
        targets = Unit.objects.filter(kind__in=[Unit.DEPARTMENT, Unit.STREET], active=True)
        self.fields["lead"].queryset = targets
        self.fields["co_units"].queryset = targets

    def communities_by_street(self):
        groups = {}
        for unit in self.fields["community"].queryset.order_by("path"):
            groups.setdefault(unit.parent, []).append(unit)
        return list(groups.items())

    def intake_values(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"], "channel": data["channel"], "urgency": data["urgency"], "title": data["title"],
            "text": data["text"], "category": data["category"], "citizen_name": data["citizen_name"],
            "citizen_phone": data["citizen_phone"], "address": data["address"], "street": data["street"],
            "community": data["community"], "confidential": data["confidential"],
        }
