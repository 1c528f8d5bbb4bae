"""下达 give: a leader gives an order — a target with a measure word, a
deadline, a lead unit and co-units."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from huying.cases.errors import BadInput
from huying.cases.steps.common import actor_and_time, require_text
from huying.orders import ledger, rules, status
from huying.orders.models import LEVEL_MEASURES, Order, Source
from huying.orders.steps.common import aware, parse_quantity, tell, working_unit


@transaction.atomic
def give(by, *, title, target, measure, deadline, lead_unit, co_units=(), text="", source=Source.INSTRUCTION,
         target_text="", starts_at=None, project=None, report=None, report_key="", report_section="", now=None):
    actor, now = actor_and_time(by, now)
    fields, co_units = clean(
        title=title, target=target, measure=measure, deadline=deadline, lead_unit=lead_unit, co_units=co_units,
        text=text, source=source, target_text=target_text, starts_at=starts_at or now, now=now,
    )
    unit = rules.require_leader(actor, fields["lead_unit"], *co_units)
    fields |= {"project": project, "report": report, "report_key": report_key, "report_section": report_section[:300],
               "given_by": actor.user}
    return create(actor, unit, fields, co_units, now)


def clean(*, title, target, measure, deadline, lead_unit, co_units, text, source, target_text, starts_at, now):
    """The order's fields, checked; raises BadInput before anything is written."""
    measure = require_text(measure, _("measure word"))
    if len(measure) > 10:
        raise BadInput(_("The measure word is at most 10 characters (台, 户, 场, 人次, % …)."))
    if source not in Source.values:
        raise BadInput(_("Unknown source of an order: %(source)s.") % {"source": source})
    deadline, starts_at = aware(deadline, _("deadline")), aware(starts_at, _("start"))
    if deadline <= now:
        raise BadInput(_("The deadline must be in the future."))
    if deadline <= starts_at:
        raise BadInput(_("The deadline must be after the start."))
    lead_unit = working_unit(lead_unit, _("lead unit"))
    co_units = [working_unit(u, _("co-unit")) for u in dict.fromkeys(co_units or []) if u != lead_unit]
    fields = {
        "title": require_text(title, _("title"))[:200],
        "text": (text or "").strip(),
        "source": source,
        "target": parse_quantity(target, _("target"), level=measure in LEVEL_MEASURES),
        "target_text": (target_text or "").strip()[:60],
        "measure": measure,
        "starts_at": starts_at,
        "deadline": deadline,
        "lead_unit": lead_unit,
        "created_at": now,
    }
    return fields, co_units


def create(actor, unit, fields, co_units, now):
    state = status.compute(0, fields["target"], fields["starts_at"], fields["deadline"], now)
    probe = Order(**fields)  # unsaved: only to schedule the worker's first look
    fields = fields | {"status": state, "check_at": status.next_check(probe, state, now)}
    order = ledger.create(fields, co_units, actor, now=now, unit=unit)
    tell([order.lead_unit, *co_units], order, _("New order"), now)
    return order


def end_of_day(date, tz):
    """A deadline given as a date means the end of that day, local time."""
    return dt.datetime.combine(date, dt.time(23, 59, 59), tzinfo=tz)
