"""Which cases a person may see: those their units lead, help with, or that
happened on their ground; the centre and district leaders see all."""

from django.db.models import Q

from huying.cases.models import Case
from huying.org import people
from huying.org.models import Unit


def visible_cases(user, qs=None):
    qs = Case.objects.all() if qs is None else qs
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    roots = people.scope_units(user)
    if not roots:
        return qs.filter(citizen_user=user)
    if any(root.kind == Unit.DISTRICT for root in roots):
        return qs
    match = Q()
    for root in roots:
        match |= (
            Q(lead_unit__path__startswith=root.path)
            | Q(co_units__path__startswith=root.path)
            | Q(street__path__startswith=root.path)
            | Q(community__path__startswith=root.path)
            | Q(grid__path__startswith=root.path)
        )
    return qs.filter(pk__in=Case.objects.filter(match).values("pk"))


def can_see(user, case):
    return visible_cases(user, Case.objects.filter(pk=case.pk)).exists()
