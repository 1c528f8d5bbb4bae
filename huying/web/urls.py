from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from huying.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("language/", set_language, name="set_language"),
    path("work/", views.workbench, name="workbench"),
]
