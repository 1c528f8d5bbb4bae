from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = admin.site.site_title = "呼应 Huying"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("huying.api.urls")),  # /open311/v2/, /api/v1/, /api/schema/
    # Until the web console has a home page, the admin is the way in.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
