"""Refuse to start with weights that cannot make a score."""

from django.conf import settings
from django.core.checks import Error, register

from huying.analytics.rates import parse_weights


@register()
def rate_weights(app_configs, **kwargs):
    value = settings.RATE_WEIGHTS
    if not isinstance(value, str):
        return []
    try:
        parse_weights(value)
    except ValueError as error:
        return [Error(str(error), id="huying.E101")]
    return []
