"""The orders list, the page of one order, a leader's new order, and the
actions people take on an order's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huying.cases.errors import BadInput, Refused
from huying.cases.models import Case
from huying.cases.scope import can_see as can_see_case
from huying.console.views.access import staff_only
from huying.orders import rules, status, steps, timeline
from huying.orders.forms import GiveForm, working_units
from huying.orders.models import Assignment, CaseOrder, Notice, Order, Progress, ProgressPhoto, Status
from huying.orders.steps.give import end_of_day
from huying.org import people
from huying.org.models import Membership as M
from huying.org.models import Unit
from huying.web import uploads

PAGE = 100


@staff_only
def order_list(request):
    orders = rules.visible_orders(request.user).select_related("lead_unit", "project")
    chosen = {"status": request.GET.get("status", ""), "unit": request.GET.get("unit", "")}
    if chosen["status"] in Status.values:
        orders = orders.filter(status=chosen["status"])
    if chosen["unit"].isdigit():
        orders = orders.filter(Q(lead_unit=chosen["unit"]) | Q(assignments__unit=chosen["unit"])).distinct()
    counts = dict(rules.visible_orders(request.user).values_list("status").annotate(n=Count("pk")))
    units = own_units(request.user)
    context = {
        "orders": orders.order_by("deadline", "pk")[:PAGE],
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
        "chosen": chosen,
        "to_approve": to_approve(request.user),
        "notices": Notice.objects.filter(unit__in=units, read_at__isnull=True).select_related("order")[:20] if units else [],
        "may_give": rules.may_give(request.user),
    }
    return render(request, "orders/list.html", context)


def own_units(user):
    """The units a person works in (notices are for them, not for the units below)."""
    return [m.unit for m in people.memberships(user)]


def to_approve(user):
    """Progress reports waiting for this person's approval."""
    leads = [m.unit for m in people.memberships(user) if m.role == M.HANDLER]
    if not leads:
        return []
    match = Q()
    for unit in leads:
        match |= Q(order__lead_unit__path__startswith=unit.path)
    return list(Progress.objects.filter(match, state=Progress.PENDING).exclude(reported_by=user)
                .select_related("order", "assignment__unit")[:50])


@staff_only
def new_order(request):
    if not rules.may_give(request.user):
        raise PermissionDenied
    form = GiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = steps.give(request.user, title=data["title"], text=data["text"], target=data["target"],
                               measure=data["measure"], deadline=end_of_day(data["deadline"], timezone.get_current_timezone()),
                               lead_unit=data["lead_unit"], co_units=list(data["co_units"]), source=data["source"])
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Order given: %(title)s") % {"title": order.title})
            return redirect("orders:order", order.pk)
    return render(request, "orders/new.html", {"form": form}, status=400 if form.errors else 200)


def order_or_404(user, pk):
    order = rules.visible_orders(user, Order.objects.select_related("lead_unit", "project", "report")).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


@staff_only
def order_page(request, pk):
    order = order_or_404(request.user, pk)
    now = timezone.now()
    offered = rules.allowed(request.user, order)
    assignments = list(order.assignments.select_related("unit", "order"))
    for a in assignments:
        a.state = status.of_assignment(a, now)
    mine = [a for a in assignments if rules.membership_over(actor(request.user), (M.HANDLER,), a.unit)]
    links = list(order.case_links.select_related("case").order_by("-linked_at"))
    for link in links:
        link.visible = can_see_case(request.user, link.case)
    context = {
        "order": order,
        "co_units": list(order.co_units.all()),
        "assignments": assignments,
        "assigned": sum(a.quantity for a in assignments),
        "offered": offered,
        "mine": mine if order.status != Status.DONE else [],
        "pending": list(order.progress.filter(state=Progress.PENDING).select_related("assignment__unit")),
        "rows": timeline.rows(order),
        "case_links": links,
        "units": working_units() if "assign" in offered else [],
        "now": now,
    }
    return render(request, "orders/order.html", context)


def actor(user):
    from huying.cases.actors import Actor

    return Actor.of(user)


@require_POST
@staff_only
def act(request, pk, action):
    order = order_or_404(request.user, pk)
    try:
        messages.success(request, perform(action, order, request))
    except Refused as error:
        messages.error(request, str(error))
    return redirect(reverse("orders:order", args=[order.pk]) + "#" + ("timeline" if action != "assign" else "parts"))


def perform(action, order, request):
    post, user = request.POST, request.user
    if action == "assign":
        unit = pick(Unit.objects.all(), post.get("unit"), _("unit"))
        steps.assign(order, user, unit=unit, quantity=post.get("quantity"))
        return _("Assigned %(unit)s.") % {"unit": unit.name}
    if action == "report":
        assignment = pick(Assignment.objects.filter(order=order).select_related("order", "unit"), post.get("assignment"), _("part"))
        steps.report(assignment, user, quantity=post.get("quantity"), text=post.get("text"), files=request.FILES.getlist("photos"))
        return _("Progress reported; the lead unit will approve it.")
    if action in ("approve", "reject"):
        progress = pick(Progress.objects.filter(order=order).select_related("order", "assignment__unit"), post.get("progress"),
                        _("progress report"))
        if action == "approve":
            steps.approve(progress, user, note=post.get("note", ""))
            return _("Progress approved.")
        steps.reject(progress, user, reason=post.get("reason", ""))
        return _("Progress rejected.")
    if action == "urge":
        steps.urge(order, user, message=post.get("message", ""))
        return _("Urged.")
    if action in ("link", "unlink"):
        number = (post.get("case") or "").strip()
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise BadInput(_("No case numbered %(number)s.") % {"number": number or "—"})
        if action == "link":
            steps.link_case(order, case, user)
            return _("Case %(number)s linked.") % {"number": case.number}
        steps.unlink_case(order, case, user, reason=post.get("reason", ""))
        return _("Case %(number)s unlinked.") % {"number": case.number}
    raise Http404


def pick(queryset, pk, what):
    found = queryset.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if found is None:
        raise BadInput(_("Choose the %(what)s.") % {"what": what})
    return found


@staff_only
def photo(request, pk):
    item = get_object_or_404(ProgressPhoto.objects.select_related("progress__order"), pk=pk)
    if not rules.can_see(request.user, item.progress.order):
        raise Http404
    return uploads.send(item)  # the same guarded response as a case's photo


@require_POST
@staff_only
def notice_read(request, pk):
    units = own_units(request.user)
    Notice.objects.filter(pk=pk, unit__in=units, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("orders:list")


def linked_orders(case):
    """For a case page: the orders this case is linked to."""
    return [link.order for link in CaseOrder.objects.filter(case=case).select_related("order")]
