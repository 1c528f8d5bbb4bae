"""Tags every page uses: the site name, the navigation, the language switch."""

from django import template
from django.conf import settings

from huying.web import roles

register = template.Library()


@register.simple_tag
def site_name():
    return settings.SITE_NAME


@register.simple_tag(takes_context=True)
def nav_links(context):
    request = context.get("request")
    if request is None:
        return []
    current = request.path
    return [{"label": b.label, "url": b.url, "current": current.startswith(b.url)} for b in roles.workbenches(request.user)]


@register.simple_tag(takes_context=True)
def is_staff_member(context):
    request = context.get("request")
    return bool(request and roles.is_staff_member(request.user))
