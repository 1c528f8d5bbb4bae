"""POST /orders/hotspot/: the data centre starts an order from a hotspot
(未诉先办). Fields: title, place (text) or place_unit (id), case_ids (ids or
numbers, comma- or space-separated), optional lead_unit (id) and deadline
(YYYY-MM-DD). Answers JSON to clients that ask for it, else redirects to the
new order (or back, with the reason, when refused)."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huying.cases.errors import Refused
from huying.cases.models import Case
from huying.cases.scope import visible_cases
from huying.console.views.access import staff_only
from huying.orders import rules
from huying.orders.forms import HotspotForm, working_units
from huying.orders.hotspot import HOTSPOT_WORKDAYS, MAX_CASES, default_lead, start_order_from_hotspot
from huying.orders.steps.give import end_of_day
from huying.sla import deadlines


@require_POST
@staff_only
def hotspot(request):
    if not rules.may_start_from_hotspot(request.user):
        raise PermissionDenied
    form = HotspotForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        if not form.is_valid():
            raise Refused("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        data = form.cleaned_data
        deadline = end_of_day(data["deadline"], timezone.get_current_timezone()) if data["deadline"] else None
        order = start_order_from_hotspot(request.user, title=data["title"], place=data["place_unit"] or data["place"],
                                         case_ids=form.ids(), lead_unit=data["lead_unit"], deadline=deadline)
    except Refused as error:
        if wants_json:
            return JsonResponse({"error": str(error)}, status=error.status)
        messages.error(request, str(error))
        return redirect(back(request))
    url = reverse("orders:order", args=[order.pk])
    if wants_json:
        return JsonResponse({"id": order.pk, "url": url, "title": order.title}, status=201)
    messages.success(request, _("Order started: %(title)s") % {"title": order.title})
    return redirect(url)


def back(request):
    target = request.POST.get("next") or request.headers.get("Referer", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("orders:list")


@staff_only
def from_hotspot(request):
    """GET /orders/hotspot/new/?hotspot=<id> (a hotspot of the data centre), or
    ?title=…&place=…&case_ids=…: the form that starts the order, filled in
    from the hotspot, for a person to check before POSTing it to `hotspot`."""
    if not rules.may_start_from_hotspot(request.user):
        raise PermissionDenied
    title, place, ids = request.GET.get("title", ""), request.GET.get("place", ""), request.GET.get("case_ids", "")
    spot = find_hotspot(request.GET.get("hotspot", ""))
    if spot is not None:
        title, place = title or spot.title, place or spot.place
        ids = ids or " ".join(str(pk) for pk in spot.cases.values_list("pk", flat=True))
    wanted = [x for x in ids.replace(",", " ").split() if x]
    cases = visible_cases(request.user, Case.objects.filter(Q(pk__in=[x for x in wanted if x.isdigit()]) | Q(number__in=wanted)))
    cases = list(cases.select_related("lead_unit", "street").order_by("-created_at")[:MAX_CASES])
    lead = default_lead(place, cases) if cases else None
    context = {
        "title": title, "place": place, "cases": cases, "case_ids": " ".join(str(c.pk) for c in cases),
        "lead": lead, "units": working_units(),
        "deadline": timezone.localtime(deadlines.workdays_after(timezone.now(), HOTSPOT_WORKDAYS)).date(),
    }
    return render(request, "orders/from_hotspot.html", context)


def find_hotspot(pk):
    """The data centre's hotspot, when that app has one with this id."""
    if not str(pk).isdigit():
        return None
    try:
        model = apps.get_model("analytics", "Hotspot")
    except LookupError:
        return None
    return model.objects.filter(pk=pk).first()
