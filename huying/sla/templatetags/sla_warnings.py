from django import template

from huying.sla.calendar import schedule_warnings

register = template.Library()


@register.simple_tag
def calendar_warnings():
    """Warnings about missing working-day schedules, for admin pages."""
    return schedule_warnings()
