"""{% orders_panel %} for the data centre; progress bars and status badges."""

from django import template

from huying.orders.models import fmt
from huying.orders.panel import panel

register = template.Library()


@register.inclusion_tag("orders/panel.html", takes_context=True)
def orders_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"orders_panel": panel(user) if user is not None else None, "request": request}


@register.inclusion_tag("orders/_bar.html")
def progress_bar(done, target, measure, state=""):
    from huying.orders.models import share

    return {"done": fmt(done), "target": fmt(target), "measure": measure, "percent": share(done, target), "state": state}


@register.filter
def quantity(value):
    return fmt(value)
