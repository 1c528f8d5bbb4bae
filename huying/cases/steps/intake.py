"""受理 intake: a case is created by an operator, a citizen, a handler on
patrol, or another system."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases import ledger
from huying.cases.errors import BadInput, NotAllowed
from huying.cases.models import Channel, Kind, Status, Urgency
from huying.cases.numbering import next_number
from huying.cases.steps.common import CENTRE_ROLES, actor_and_time, centre_unit, require_handler, require_text
from huying.org import people
from huying.org.models import Unit

PHONE = re.compile(r"^\+?[0-9][0-9-]{4,19}$")
CITIZEN_CHANNELS = {Channel.WEB, Channel.APP}
SYSTEM_CHANNELS = {Channel.API, Channel.SENSOR, Channel.CITY}


@transaction.atomic
def intake(by, *, kind, title, text, channel, category=None, citizen_name="", citizen_phone="",
           address="", lat=None, lng=None, street=None, community=None, grid=None,
           urgency=Urgency.NORMAL, confidential=False, external_id="", citizen_user=None, now=None):
    actor, now = actor_and_time(by, now)
    fields = {
        "kind": choice(kind, Kind, _("kind")),
        "channel": choice(channel, Channel, _("channel")),
        "urgency": choice(urgency, Urgency, _("urgency")),
        "category": category,
        "title": require_text(title, _("title"))[:200],
        "text": require_text(text, _("description")),
        "citizen_name": (citizen_name or "").strip()[:50],
        "citizen_phone": phone(citizen_phone),
        "citizen_user": citizen_user,
        "address": (address or "").strip()[:200],
        "confidential": bool(confidential),
        "external_id": (external_id or "").strip()[:100],
        "status": Status.NEW,
        "created_at": now,
    }
    fields["lat"], fields["lng"] = point(lat, lng)
    fields.update(place(street, community, grid))
    if fields["confidential"] and fields["kind"] != Kind.REPORT:
        raise BadInput(_("Only a report (举报) can be confidential."))
    if category is not None and not category.active:
        raise BadInput(_("The category %(name)s is no longer in use.") % {"name": category.name})
    unit = who_may_take(actor, fields)
    # Inside this step's own transaction (or savepoint): no number is used up
    # by a failed insert, and no savepoint of its own is needed.
    with transaction.atomic(savepoint=False):
        fields["number"] = next_number(now)
        case, _event = ledger.create(fields, actor, now=now, unit=unit)
    return case


def who_may_take(actor, fields):
    """Check the actor may create this case; return the unit acting, if any."""
    channel = fields["channel"]
    if actor.public:
        if channel not in CITIZEN_CHANNELS or fields["citizen_user"] is not None:
            raise NotAllowed(_("You may not create a case through this channel."))
        return None
    if actor.system:
        if channel not in SYSTEM_CHANNELS:
            raise NotAllowed(_("Another system can only submit through the API, sensor or city channels."))
        return None
    unit = centre_unit(actor.user, *CENTRE_ROLES)
    if unit is not None:
        return unit
    if channel == Channel.PATROL:
        return require_handler(actor, fields["grid"] or fields["community"] or fields["street"])
    if people.is_citizen(actor.user) and channel in CITIZEN_CHANNELS:
        if fields["citizen_user"] is None:
            fields["citizen_user"] = actor.user
        if fields["citizen_user"] != actor.user:
            raise NotAllowed(_("A citizen can only submit a case in their own name."))
        return None
    raise NotAllowed(_("You may not create a case through this channel."))


def choice(value, choices, what):
    if value not in choices.values:
        raise BadInput(_("Unknown %(what)s: %(value)s") % {"what": what, "value": value})
    return value


def phone(value):
    value = re.sub(r"[\s()]", "", value or "")
    if value and not PHONE.match(value):
        raise BadInput(_("The phone number %(value)s is not valid.") % {"value": value})
    return value


def point(lat, lng):
    if lat is None and lng is None:
        return None, None
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise BadInput(_("A map point needs both a latitude and a longitude, as numbers.")) from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise BadInput(_("The map point %(lat)s, %(lng)s is not on Earth.") % {"lat": lat, "lng": lng})
    return lat, lng


def place(street, community, grid):
    """Street, community and grid must form one line of the unit tree."""
    if grid is not None:
        expect(grid, Unit.GRID)
        community = community or grid.parent
    if community is not None:
        expect(community, Unit.COMMUNITY)
        street = street or community.parent
    if street is not None:
        expect(street, Unit.STREET)
    if community is not None and community.parent_id != street.pk:
        raise BadInput(_("%(community)s is not in %(street)s.") % {"community": community.name, "street": street.name})
    if grid is not None and grid.parent_id != community.pk:
        raise BadInput(_("%(grid)s is not in %(community)s.") % {"grid": grid.name, "community": community.name})
    return {"street": street, "community": community, "grid": grid}


def expect(unit, kind):
    if unit.kind != kind:
        raise BadInput(_("%(name)s is not a %(kind)s.") % {"name": unit.name, "kind": dict(Unit.KINDS)[kind]})
