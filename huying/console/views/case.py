"""A case's page: everything about it, and the forms for what the viewer may do."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huying.cases import privacy
from huying.cases.errors import Refused
from huying.console import actions, queues, suggest, timeline
from huying.console.clock import Clocks
from huying.console.views.access import staff_only
from huying.sla import deadlines
from huying.web import roles, uploads


def case_or_404(request, number):
    case = queues.case_of(request.user, number)
    if case is None:
        raise Http404
    return case


@staff_only
def case_page(request, number):
    case = case_or_404(request, number)
    offered = actions.offered(request.user, case)
    name, phone = privacy.person(request.user, case)
    context = {
        "case": case,
        "citizen_name": name,
        "citizen_phone": phone,
        "hidden_person": privacy.hides_person(request.user, case),
        "rows": timeline.rows(case),
        "co_units": list(case.co_units.all()),
        "merged": list(case.merged_cases.all()),
        "offered": offered,
        # A rejection shares its form with the approval.
        "forms": [name for name in offered if not name.startswith("reject_")],
        "labels": actions.LABELS,
        "clocks": Clocks(),
        "max_extension": actions.EXTENSION_MAX_DAYS,
        "supervise_days": deadlines.SUPERVISE_WORKDAYS,
    }
    if "dispatch" in offered:
        context["targets"] = actions.dispatch_targets()
        context["suggestion"] = suggest.lead_unit(case.category, case.street)
        context["smart"] = suggest.smart_dispatch(case)
        best = context["smart"][0].unit if context["smart"] else getattr(context["suggestion"], "unit", None)
        context["preselected"] = case.lead_unit or best
    if "merge" in offered:
        context["merge_hints"] = suggest.smart_merges(request.user, case)
    if "dispatch_down" in offered:
        context["below"] = actions.units_below(case.lead_unit)
    return render(request, "console/case.html", context)


@require_POST
@staff_only
def act(request, number, action):
    case = case_or_404(request, number)
    if uploads.body_too_big(request):
        messages.error(request, _("The photos are too large together; send fewer or smaller ones."))
        return redirect(reverse("console:case", args=[case.number]))
    try:
        messages.success(request, actions.perform(action, case, request.user, request.POST, request.FILES))
    except Refused as error:
        messages.error(request, str(error))
    return redirect(back(request, case))


def back(request, case):
    """Where the person asked to go back to, else the case (if still theirs to see)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    if queues.case_of(request.user, case.number) is None:
        return roles.landing(request.user)
    return reverse("console:case", args=[case.number])
