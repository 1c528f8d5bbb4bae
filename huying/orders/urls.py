from django.urls import path

from huying.orders.views import hotspot, orders, panel, public, reports

app_name = "orders"
urlpatterns = [
    path("", orders.order_list, name="list"),
    path("new/", orders.new_order, name="new"),
    path("livelihood/", public.livelihood, name="livelihood"),
    path("panel/", panel.panel_view, name="panel"),
    path("hotspot/", hotspot.hotspot, name="hotspot"),
    path("hotspot/new/", hotspot.from_hotspot, name="from_hotspot"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>/", reports.confirm, name="confirm"),
    path("photos/<int:pk>/", orders.photo, name="photo"),
    path("notices/<int:pk>/read/", orders.notice_read, name="notice_read"),
    path("<int:pk>/", orders.order_page, name="order"),
    path("<int:pk>/<str:action>/", orders.act, name="act"),
]
