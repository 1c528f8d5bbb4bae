"""Where a case happened: an address id, a map point or address text →
street, community and grid units.

`LOCATORS` is the pluggable part: each takes (address, lat, lng) and returns
a `Found` or None; the first answer wins. The default reads the address text
with the gazetteer; smart dispatch can put a map-point locator (boundary
polygons) in front of it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from huying import memo
from huying.org.models import Unit
from huying.routing import gazetteer

PLACE_KINDS = (Unit.STREET, Unit.COMMUNITY, Unit.GRID)
# A weaker guess (a road through several streets) is noted for the
# dispatcher but does not set the street: a wrong street is worse than none.
MIN_CONFIDENCE = 0.5


@dataclass
class Found:
    street_code: str
    community_code: str | None
    confidence: float
    reason: str


@dataclass
class Place:
    street: Unit | None = None
    community: Unit | None = None
    grid: Unit | None = None
    note: str = ""

    def as_fields(self):
        return {"street": self.street, "community": self.community, "grid": self.grid}


def by_address_text(address, lat, lng):
    if not address:
        return None
    match, why = gazetteer.default_gazetteer().explain(address)
    if match is None:
        return Found("", None, 0.0, why)
    return Found(match.street_code, match.community_code, match.confidence, match.reason)


LOCATORS = [by_address_text]
# Active streets, communities and grids by code (huying/memo.py).
UNITS = memo.Memo("place_units")


def unit_by_code(code):
    """A street, community or grid by its code; None if there is none."""
    if not code or "\x00" in code:
        return None  # no code has one, and PostgreSQL refuses to compare text with NUL
    return UNITS.get(code, active_place)


def active_place(code):
    return Unit.objects.filter(code=code, kind__in=PLACE_KINDS, active=True).select_related("parent").first()


def from_unit(unit):
    place = Place(note=_("address_id %(code)s: %(name)s") % {"code": unit.code, "name": unit.name})
    setattr(place, unit.kind, unit)
    return place


def locate(address="", lat=None, lng=None):
    """The place as far as it can be told; never fails, notes why when unsure."""
    notes = []
    for locator in LOCATORS:
        found = locator(address, lat, lng)
        if found is None:
            continue
        notes.append(found.reason)
        if not found.street_code or found.confidence < MIN_CONFIDENCE:
            continue
        street = unit_by_code(found.street_code)
        if street is None or street.kind != Unit.STREET:
            continue
        community = unit_by_code(found.community_code) if found.community_code else None
        if community is not None and (community.kind != Unit.COMMUNITY or community.parent_id != street.pk):
            community = None
        return Place(street=street, community=community, note=f"{found.reason} ({found.confidence:.2f})")
    return Place(note="; ".join(notes))
