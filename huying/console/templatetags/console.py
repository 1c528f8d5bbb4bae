"""Small pieces the console shows everywhere: a deadline's countdown, a
citizen as the viewer may see them, a status badge."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huying.cases import privacy

register = template.Library()


def span(delta):
    """A duration as 2d 3h, 5h 20min or 12min."""
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}{_('d')} {hours}{_('h')}"
    if hours:
        return f"{hours}{_('h')} {minutes}{_('min')}"
    return f"{minutes}{_('min')}"


@register.simple_tag(takes_context=True)
def countdown(context, case):
    """The case's current deadline with time left; huying.js keeps it live."""
    clocks = context.get("clocks")
    if clocks is None:
        from huying.console.clock import Clocks

        clocks = context["clocks"] = Clocks()
    clock = clocks.of(case)
    if clock is None:
        return ""
    left = clock.due - clocks.now
    text = (_("late by %s") if clock.state == "late" else _("%s left")) % span(left)
    due = timezone.localtime(clock.due)
    return format_html(
        '<span class="clock {}" data-due="{}" data-amber="{}" title="{}">{}</span>',
        clock.state, clock.due.isoformat(), clock.amber_at.isoformat(), due.strftime("%Y-%m-%d %H:%M"), text,
    )


@register.simple_tag(takes_context=True)
def person(context, case):
    """(name, phone) of the citizen as this viewer may see them."""
    return privacy.person(context["request"].user, case)


@register.simple_tag
def status_badge(case):
    return format_html('<span class="status s-{}">{}</span>', case.status, case.get_status_display())


@register.filter
def local(value, fmt="%Y-%m-%d %H:%M"):
    return timezone.localtime(value).strftime(fmt) if value else ""


# Notifications and the worker's reasons are stored as text in the language
# the writer ran in (the worker: English). Known phrases are translated when
# shown; anything a person typed is shown as it is.
NOTICE_HEADS = (gettext_noop("Urged"), gettext_noop("Supervised"), gettext_noop("Follow-up due"))


@register.filter
def notice(text):
    head, sep, rest = (text or "").partition(": ")
    if not sep or head not in NOTICE_HEADS:
        return text
    number, _space, message = rest.partition(" ")
    return f"{_(head)}: {number} {_(message) if message else ''}".strip()
