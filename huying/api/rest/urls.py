from django.urls import path
from rest_framework.routers import DefaultRouter

from huying.api.rest import cases, views

router = DefaultRouter()
router.register("cases", cases.CaseViewSet, basename="case")
router.register("units", views.UnitViewSet, basename="unit")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("me/tokens", views.TokenViewSet, basename="token")
router.register("webhooks", views.WebhookViewSet, basename="webhook")

urlpatterns = [
    path("inbox/", views.Inbox.as_view(), name="inbox"),
    path("inbox/notifications/<int:pk>/read/", views.NotificationRead.as_view(), name="notification-read"),
    path("figures/", views.Figures.as_view(), name="figures"),
    path("me/", views.Me.as_view(), name="me"),
] + router.urls
