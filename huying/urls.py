from django.contrib import admin
from django.urls import include, path

from huying.web import uploads

admin.site.site_header = admin.site.site_title = "呼应 Huying"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("huying.api.urls")),  # /open311/v2/, /api/v1/, /api/schema/
    path("work/", include("huying.console.urls")),
    path("orders/", include("huying.orders.urls")),  # orders (令) and the public livelihood projects
    path("data/", include("huying.analytics.urls")),  # the data centre (越秀智库)
    path("files/<int:pk>/", uploads.serve, name="file"),
    path("", include("huying.public.urls")),
    path("", include("huying.web.urls")),
]
