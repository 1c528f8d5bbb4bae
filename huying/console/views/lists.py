"""The workbenches: queues for the centre, the inbox for units, search."""

import re

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from huying.cases.models import Notification, Satisfaction, Status
from huying.console import queues, suggest
from huying.console.clock import Clocks
from huying.console.views.access import centre_role, handler_only, staff_only
from huying.org import people
from huying.org.models import Membership as M
from huying.sla import deadlines
from huying.web import roles

PAGE = 50
INBOX_TABS = ("mine", "below", "returns", "co", "done")
NUMBER = re.compile(r"^[A-Za-z]{1,6}\d{6,}$")
PHONE = re.compile(r"^\+?[\d-]{7,20}$")


def page_of(request, qs):
    return Paginator(qs, PAGE).get_page(request.GET.get("page"))


@centre_role(M.DISPATCHER, M.OPERATOR)
def dispatch(request):
    user = request.user
    new = page_of(request, queues.awaiting_dispatch(user))
    suggest.attach_best_units(new.object_list)
    context = {
        "new": new,
        "returns": queues.returns_to_centre(user)[:PAGE],
        "extensions": queues.extensions(user)[:PAGE],
        "clocks": Clocks(),
        "is_supervisor": M.SUPERVISOR in roles.centre_roles(user),
    }
    return render(request, "console/dispatch.html", context)


@handler_only
def inbox(request):
    tab = request.GET.get("tab", "mine")
    tab = tab if tab in INBOX_TABS else "mine"
    context = {
        "tab": tab,
        "tabs": INBOX_TABS,
        "cases": page_of(request, queues.inbox(request.user, tab)),
        "counts": queues.inbox_counts(request.user),
        "notifications": queues.notifications(request.user)[:20],
        "units": queues.handler_units(request.user),
        "clocks": Clocks(),
    }
    return render(request, "console/inbox.html", context)


@require_POST
@handler_only
def notification_read(request, pk):
    units = queues.handler_units(request.user)
    notification = get_object_or_404(Notification, pk=pk, unit__in=units)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "console:inbox"
    return redirect(target)


@centre_role(M.SUPERVISOR)
def supervise(request):
    user, clocks = request.user, Clocks()
    context = {
        "overdue": page_of(request, queues.overdue(user, clocks)),
        "at_risk": queues.at_risk(user, clocks)[:PAGE],
        "extensions": queues.extensions(user)[:PAGE],
        "reviews": queues.reviews(user)[:PAGE],
        "clocks": clocks,
        "supervise_days": deadlines.SUPERVISE_WORKDAYS,
    }
    return render(request, "console/supervise.html", context)


@centre_role(M.OPERATOR, M.SUPERVISOR)
def followups(request):
    context = {
        "cases": page_of(request, queues.followups(request.user)),
        "satisfactions": Satisfaction.choices,
        "clocks": Clocks(),
    }
    return render(request, "console/followups.html", context)


@staff_only
def cases(request):
    status = request.GET.get("status", "")
    context = {
        "cases": page_of(request, queues.all_cases(request.user, status)),
        "status": status,
        "statuses": Status.choices,
        "clocks": Clocks(),
    }
    return render(request, "console/cases.html", context)


@staff_only
def search(request):
    q = (request.GET.get("q") or "").strip()
    found = search_cases(request.user, q) if q else None
    if found is not None and q and NUMBER.match(q) and found.count() == 1:
        return redirect("console:case", found.first().number)
    context = {"q": q, "cases": page_of(request, found) if found is not None else None, "clocks": Clocks()}
    return render(request, "console/search.html", context)


def search_cases(user, q):
    """By case number, by phone (the centre only: a phone is personal data), or by words."""
    qs = queues.base(user)
    if NUMBER.match(q):
        return qs.filter(number__istartswith=q.upper()).order_by("-created_at")
    digits = re.sub(r"[\s-]", "", q)
    if PHONE.match(q) and (people.is_centre(user) or user.is_superuser):
        return qs.filter(citizen_phone__in={q, digits}).order_by("-created_at")
    words = [w for w in q.split() if w]
    match = Q()
    for word in words:
        match &= Q(title__icontains=word) | Q(text__icontains=word) | Q(address__icontains=word) | Q(number__icontains=word)
    return qs.filter(match).order_by("-created_at")
