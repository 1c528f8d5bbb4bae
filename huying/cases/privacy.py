"""Who sees a citizen's name and phone.

The centre and the lead unit see them; everyone else sees them masked
(138****5678). The reporter of a confidential report (举报) is never shown
to a handling unit, not even the lead.
"""

from django.utils.translation import gettext as _

from huying.org import people
from huying.org.models import Unit


def sees_person(user, case):
    """True when the user may see the citizen's full name and phone."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or case.citizen_user_id == user.pk:
        return True
    if any(m.unit.kind == Unit.CENTRE for m in people.memberships(user)):
        return True
    if case.confidential:
        return False
    lead = case.lead_unit
    return lead is not None and any(m.scope.contains(lead) and m.unit.kind != Unit.DISTRICT for m in people.memberships(user))


def hides_person(user, case):
    """True when not even a masked form may be shown (confidential reports)."""
    return case.confidential and not sees_person(user, case)


def mask_phone(phone):
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def mask_name(name):
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def person(user, case):
    """(name, phone) as this user may see them."""
    if sees_person(user, case):
        return case.citizen_name, case.citizen_phone
    if hides_person(user, case):
        hidden = _("(confidential)")
        return hidden, hidden
    return mask_name(case.citizen_name), mask_phone(case.citizen_phone)


def actor_shown(case, event, public=False):
    """Who did a step, as a reader may see it: the citizen never by their
    stored name (only the centre and lead see the person), the public only
    the acting unit, staff the person's label."""
    if event.actor_id and event.actor_id == case.citizen_user_id:
        return _("citizen")
    if event.actor_id is None:
        # "worker", "citizen", an integration's name: stored in the writer's
        # language, shown in the reader's when it is a known word.
        return _(event.actor_label) if event.actor_label else ""
    if public:
        return event.actor_unit.name if event.actor_unit else ""
    return event.actor_label
