"""The public page: citizens follow the year's livelihood projects (民生实事)
without logging in — each target's progress as approved by its lead unit."""

from django.db.models import Prefetch
from django.shortcuts import render

from huying.orders.models import Order, Progress, Project


def livelihood(request):
    years = sorted(set(Project.objects.filter(public=True).values_list("year", flat=True)), reverse=True)
    wanted = request.GET.get("year", "")
    year = int(wanted) if wanted.isdigit() and int(wanted) in years else (years[0] if years else None)
    approved = Progress.objects.filter(state=Progress.APPROVED).select_related("assignment__unit").order_by("-decided_at", "-pk")
    orders = Order.objects.select_related("lead_unit").prefetch_related(Prefetch("progress", queryset=approved, to_attr="approved"))
    projects = list(Project.objects.filter(public=True, year=year).prefetch_related(Prefetch("orders", queryset=orders.order_by("pk"))))
    for project in projects:
        items = list(project.orders.all())
        project.items = items
        project.percent = round(sum(o.percent for o in items) / len(items)) if items else 0
        for order in items:
            order.latest = order.approved[:3]
    return render(request, "orders/livelihood.html", {"projects": projects, "year": year, "years": years})
