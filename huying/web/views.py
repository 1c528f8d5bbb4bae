"""The way in: the home page sends each person to their workbench."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render

from huying.web import roles


def home(request):
    """Citizens get the public page; people with a workbench go to it."""
    if request.user.is_authenticated:
        target = roles.landing(request.user)
        if target != request.path:
            return redirect(target)
    return render(request, "public/home.html")


def workbench(request):
    """After login: the first workbench of this person."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(roles.landing(request.user))


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return roles.landing(self.request.user)
