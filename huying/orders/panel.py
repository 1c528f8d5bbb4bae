"""The data centre's panel of orders: how many are on track, at risk, late
or done, and which lead units hold the ones behind.

Used three ways: `{% load orders %}{% orders_panel %}` in any template,
`{% include "orders/panel.html" %}` with `orders_panel` in the context
(from `panel(user)`), or the view at /orders/panel/ (a fragment for htmx,
a page otherwise).
"""

from django.db.models import Count, Q

from huying.orders import rules
from huying.orders.models import Status

BEHIND = [Status.LATE, Status.AT_RISK]


def panel(user, limit=12):
    orders = rules.visible_orders(user)
    totals = dict(orders.values_list("status").annotate(n=Count("pk")))
    by_unit = (
        orders.values("lead_unit", "lead_unit__name")
        .annotate(total=Count("pk"), **{s: Count("pk", filter=Q(status=s)) for s in Status.values})
        .order_by("-late", "-at_risk", "lead_unit__name")
    )
    return {
        "statuses": [{"value": v, "label": label, "count": totals.get(v, 0)} for v, label in Status.choices],
        "total": sum(totals.values()),
        "units": list(by_unit[:limit]),
        "more_units": max(0, by_unit.count() - limit),
        "behind": list(orders.filter(status__in=BEHIND).select_related("lead_unit").order_by("deadline")[:limit]),
    }
