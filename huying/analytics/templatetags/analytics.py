from django import template

register = template.Library()


@register.filter
def percent(value):
    """0.756 -> "75.6%"; None -> "–" (nothing to divide by)."""
    return "–" if value is None else f"{100 * value:.1f}%"


@register.filter
def score(value):
    return "–" if value is None else f"{value:.2f}"
