from django.urls import path

from huying.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("map/", views.map_page, name="map"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("hotspots/<int:pk>/", views.hotspot_cases, name="hotspot"),
    path("cases/", views.cases, name="cases"),
    path("report/", views.report_download, name="report"),
]
