"""受理 intake of a phone call in one screen, with hints as the operator types:
the place from the address, categories from the words, the responsible unit,
and likely duplicates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from huying.cases import steps
from huying.cases.errors import BadInput, Refused
from huying.cases.models import OPEN_STATUSES, Category
from huying.cases.scope import visible_cases
from huying.console import duplicates, suggest
from huying.console.forms import IntakeForm
from huying.console.views.access import centre_role
from huying.org.models import Membership as M
from huying.routing import intake as routing
from huying.routing.location import address_place


@centre_role(M.OPERATOR)
def intake(request):
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # "dispatch", "save", or "merge:YX…" from a duplicate's button.
        then, _sep, into = request.POST.get("then", "save").partition(":")
        then = then if then in ("dispatch", "merge") else "save"
        dispatch_now = then == "dispatch"
        try:
            case = save(request.user, form, then, into)
        except Refused as error:
            form.add_error(None, str(error))
        else:
            if then == "save":
                routing.route(case)  # the smart dispatch's suggestions (or dispatch) at once
            if then == "merge":
                text = _("Case %(number)s saved and merged into %(main)s.") % {"number": case.number, "main": case.main_case.number}
            elif dispatch_now:
                text = _("Case %(number)s saved and dispatched to %(unit)s.") % {"number": case.number, "unit": case.lead_unit.name}
            else:
                text = _("Case %(number)s saved.") % {"number": case.number}
            link = format_html('{} <a href="{}">{}</a>', text, reverse("console:case", args=[case.number]), _("Open"))
            messages.success(request, link)
            return redirect("console:intake")
    return render(request, "console/intake.html", {
        "form": form, "hints": hints_for(request.user, form), "categories": leaf_categories(),
    })


def leaf_categories():
    return Category.objects.filter(active=True, children__isnull=True).select_related("parent__parent").order_by("code")


def save(user, form, then, into=""):
    """Intake, then dispatch or merge into a duplicate if asked: all or nothing."""
    with transaction.atomic():
        case = steps.intake(user, **form.intake_values())
        if then == "merge":
            main = visible_cases(user).filter(number=into.strip().upper(), status__in=OPEN_STATUSES).first()
            if main is None:
                raise BadInput(_("No open case %(number)s that you can see.") % {"number": into or "-"})
            steps.merge(case, user, into=main)
        elif then == "dispatch":
            lead = form.cleaned_data["lead"]
            if lead is None:
                raise BadInput(_("Choose the lead unit to dispatch to, or save without dispatching."))
            steps.dispatch(case, user, lead=lead, co_units=list(form.cleaned_data["co_units"]))
    return case


@centre_role(M.OPERATOR)
def hints(request):
    """The hints panel, refreshed by htmx while the operator types."""
    form = IntakeForm(request.POST or request.GET or None)
    return render(request, "console/_hints.html", {"hints": hints_for(request.user, form)})


def hints_for(user, form):
    data = form.data if form.is_bound else {}
    if not data:
        return None
    address = data.get("address", "")
    title, text, phone = data.get("title", ""), data.get("text", ""), data.get("phone", "") or data.get("citizen_phone", "")
    place = address_place(address)
    street = field_value(form, "street") or (place.street if place else None)
    community = field_value(form, "community") or (place.community if place else None)
    category = field_value(form, "category")
    proposals = suggest.categories(title, text)
    lead = suggest.lead_unit(category or (proposals[0] if proposals else None), street)
    return {
        "place": place,
        "categories": proposals,
        "lead": lead,
        "duplicates": duplicates.likely(user, title=title, text=text, phone=phone.strip(), address=address,
                                        street=street, community=community),
    }


def field_value(form, name):
    """One field's clean value, without requiring the rest of the form."""
    field = form.fields[name]
    try:
        return field.clean(field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name)))
    except ValidationError:  # a half-typed value is simply no hint
        return None
