"""Where a case happened: the street and community it belongs to.

What a person set at intake stands. Otherwise the map point (street
polygons, where the deployment has them), then the address text, then the
title and description, through the deployment's gazetteer.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from huying.org.models import Unit
from huying.routing.gazetteer import DEFAULT_PATH, Gazetteer
from huying.routing.places import DEPLOYMENTS, deployment_boundaries

# A weaker guess than this is only used for suggestions, never written on the case.
FILL_CONFIDENCE = 0.6
# The fields a place is read from, as a reason names them.
FIELD_NAMES = {"address": gettext_noop("address"), "title": gettext_noop("title"), "description": gettext_noop("description")}


@dataclass
class Place:
    street: Unit | None = None
    community: Unit | None = None
    confidence: float = 0.0
    reason: str = ""
    given: bool = False  # set by a person (or system) at intake
    matched: tuple = ()  # the gazetteer's words in the text that decided

    def __bool__(self):
        return self.street is not None

    @property
    def label(self):
        if self.community is not None:
            return f"{self.street.name} {self.community.name}"
        return self.street.name if self.street else "-"


@lru_cache(maxsize=4)
def gazetteer_of(deployment):
    own = DEPLOYMENTS / deployment / "gazetteer.csv"
    if own.exists():
        return Gazetteer.load(own)
    if deployment == "yuexiu":
        return Gazetteer.load(DEFAULT_PATH)
    return None


def field(obj, name):
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def place_of(case):
    """The place of a case (or of a dict of intake fields)."""
    street, community = field(case, "street"), field(case, "community")
    if street is not None:
        return Place(street, community, 1.0, _("%(street)s given at intake") % {"street": street.name}, given=True)
    deployment = settings.DEPLOYMENT
    point = deployment_boundaries(deployment).locate(field(case, "lat"), field(case, "lng"))
    if point is not None:
        found = from_code(point.code, point.confidence, point.reason)
        if found:
            return found
    gazetteer = gazetteer_of(deployment)
    if gazetteer is None:
        return Place(reason=_("no gazetteer for this deployment"))
    texts = [("address", field(case, "address")), ("title", field(case, "title")), ("description", field(case, "text"))]
    reasons = []
    for what, text in texts:
        if not text:
            continue
        # A place found only in the free text is a little less sure than an address.
        found, why = from_text(gazetteer, what, text, 1.0 if what == "address" else 0.9)
        if found:
            return found
        if why:
            reasons.append(named(what, why))
    return Place(reason=pgettext("list of reasons", "; ").join(reasons) or _("no address"))


def address_place(address):
    """The place an address alone names, for hints while an operator types:
    None for no address, else a Place (false when it names none here)."""
    if not (address or "").strip():
        return None
    gazetteer = gazetteer_of(settings.DEPLOYMENT)
    if gazetteer is None:
        return Place(reason=_("no gazetteer for this deployment"))
    found, why = from_text(gazetteer, "address", address)
    return found or Place(reason=named("address", why or _("not a street of this deployment")))


def named(what, why):
    """A reason about one field of the case: "address: …"."""
    return _("%(field)s: %(why)s") % {"field": _(FIELD_NAMES[what]), "why": why}


def from_text(gazetteer, what, text, weight=1.0):
    """(Place, "") for the units the text names, or (None, why the
    gazetteer found nothing), or (None, "") when it names no unit here."""
    match, why = gazetteer.explain(text)
    if match is None:
        return None, why
    found = from_units(match.street_code, match.community_code, match.confidence * weight, named(what, match.reason))
    if found:
        found.matched = match.matched
    return found, ""


def from_code(code, confidence, reason):
    unit = Unit.objects.filter(code=code, active=True).select_related("parent").first()
    if unit is None:
        return None
    if unit.kind == Unit.COMMUNITY:
        return Place(unit.parent, unit, confidence, reason)
    if unit.kind == Unit.STREET:
        return Place(unit, None, confidence, reason)
    return None


def from_units(street_code, community_code, confidence, reason):
    units = {u.code: u for u in Unit.objects.filter(code__in=[street_code, community_code], active=True)}
    street = units.get(street_code)
    if street is None or street.kind != Unit.STREET:
        return None
    community = units.get(community_code)
    if community is not None and (community.kind != Unit.COMMUNITY or community.parent_id != street.pk):
        community = None
    return Place(street, community, confidence, reason)

