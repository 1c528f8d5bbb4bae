"""未诉先办: a hotspot found in the calls starts an order before more people
complain. The data centre (huying/analytics) finds the hotspot; this makes
the order and links the cases it was found in.
"""

from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases.errors import BadInput, NotAllowed
from huying.cases.models import Case
from huying.cases.scope import visible_cases
from huying.cases.steps.common import actor_and_time, require_text
from huying.orders import ledger, rules
from huying.orders.models import CaseOrder, Source
from huying.orders.steps.give import clean as give_clean
from huying.orders.steps.give import create as give_create
from huying.org.models import Unit
from huying.sla import deadlines

# A proactive order gets as long as a complaint would (working days).
HOTSPOT_WORKDAYS = 15
MAX_CASES = 500


@transaction.atomic
def start_order_from_hotspot(by, *, title, place, case_ids, lead_unit=None, target=None, measure=None,
                             deadline=None, text="", co_units=(), now=None):
    """Start an order from a hotspot and link its cases.

    `place` is a Unit (street, community, grid) or the place as text (an
    address, a market's name); `case_ids` are case ids or case numbers. The
    lead unit defaults to the place's unit, else the unit most of the cases
    went to; the target defaults to one per case (件), the deadline to
    HOTSPOT_WORKDAYS working days. Returns the order."""
    actor, now = actor_and_time(by, now)
    title = require_text(title, _("title"))
    cases = find_cases(case_ids)
    lead_unit = lead_unit or default_lead(place, cases)
    if lead_unit is None:
        raise BadInput(_("Choose the lead unit: neither the place nor the cases name one."))
    unit = rules.require_giver_of_hotspot_order(actor, lead_unit)
    hidden = [c.number for c in cases if not visible_cases(actor.user, Case.objects.filter(pk=c.pk)).exists()]
    if hidden:
        raise NotAllowed(_("You cannot see case(s) %(numbers)s.") % {"numbers": ", ".join(hidden)})
    place_name = place.name if isinstance(place, Unit) else (place or "").strip()
    numbers = "、".join(c.number for c in cases)
    place_line = _("Place: %(place)s") % {"place": place_name} if place_name else ""
    body = "\n".join(x for x in [(text or "").strip(), place_line, _("Cases: %(numbers)s") % {"numbers": numbers}] if x)
    fields, co_units = give_clean(
        title=title, target=target or len(cases), measure=measure or "件",
        deadline=deadline or deadlines.workdays_after(now, HOTSPOT_WORKDAYS), lead_unit=lead_unit,
        co_units=co_units, text=body, source=Source.HOTSPOT, target_text="", starts_at=now, now=now,
    )
    order = give_create(actor, unit, fields | {"given_by": actor.user}, co_units, now)
    for case in cases:
        ledger.record(order, actor, "link_case", now=now, unit=unit, note={"case": case.pk, "number": case.number})
        CaseOrder.objects.create(order=order, case=case, linked_by=actor.user, linked_at=now)
    return order


def find_cases(case_ids):
    wanted = [str(x).strip() for x in case_ids or [] if str(x).strip()]
    if not wanted:
        raise BadInput(_("A hotspot order needs the cases it was found in."))
    if len(wanted) > MAX_CASES:
        raise BadInput(_("At most %(n)s cases can be linked at once.") % {"n": MAX_CASES})
    ids = {int(x) for x in wanted if x.isdigit()}
    numbers = {x for x in wanted if not x.isdigit()}
    found = list(Case.objects.filter(pk__in=ids)) + list(Case.objects.filter(number__in=numbers))
    missing = (ids - {c.pk for c in found}) | (numbers - {c.number for c in found})
    if missing:
        raise BadInput(_("No such case(s): %(ids)s.") % {"ids": ", ".join(sorted(map(str, missing)))})
    return list({c.pk: c for c in found}.values())


def default_lead(place, cases):
    if isinstance(place, Unit):
        return place
    for attr in ("lead_unit", "street"):
        counts = Counter(getattr(c, attr) for c in cases if getattr(c, attr) is not None)
        if counts:
            return counts.most_common(1)[0][0]
    return None
