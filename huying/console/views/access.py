"""Who may open a workbench: decorators that answer 403, not a redirect loop."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from huying.org.models import Membership as M
from huying.web import roles


def staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def centre_role(*wanted):
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles.centre_roles(request.user) & set(wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def handler_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not any(m.role == M.HANDLER for m in roles.people.memberships(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
