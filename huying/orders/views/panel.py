"""/orders/panel/: the data centre's orders panel, as an htmx fragment or a page."""

from django.shortcuts import render

from huying.console.views.access import staff_only
from huying.orders.panel import panel


@staff_only
def panel_view(request):
    fragment = request.headers.get("HX-Request") == "true"
    template = "orders/panel.html" if fragment else "orders/panel_page.html"
    return render(request, template, {"orders_panel": panel(request.user)})
