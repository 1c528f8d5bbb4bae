from django.core.checks import Warning, register
from django.db import DatabaseError


@register("huying")
def calendar_check(app_configs, **kwargs):
    from huying.sla.calendar import schedule_warnings

    try:
        return [Warning(text, id="huying.W001") for text in schedule_warnings()]
    except DatabaseError:
        return []  # not migrated yet: nothing to say about the calendar
