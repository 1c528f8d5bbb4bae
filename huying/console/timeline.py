"""A case's history as people read it: who did what, when, why.

Events keep raw field changes (including, at intake, the citizen's name and
phone); the page never shows those raw values. Each action gets a label and
a short summary built from the fields that matter to a reader, and the
citizen's own actions are labelled "citizen", never with their name.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from huying.cases import privacy
from huying.cases.models import Satisfaction
from huying.org.models import Unit
from huying.web.uploads import PUBLIC_EVENTS

ACTIONS = {
    "intake": pgettext_lazy("event", "Intake"),
    "route": pgettext_lazy("event", "Smart dispatch"),
    "dispatch": pgettext_lazy("event", "Dispatched"),
    "dispatch_down": pgettext_lazy("event", "Passed down"),
    "accept": pgettext_lazy("event", "Accepted"),
    "return": pgettext_lazy("event", "Return requested"),
    "approve_return": pgettext_lazy("event", "Return approved"),
    "reject_return": pgettext_lazy("event", "Return rejected"),
    "request_extension": pgettext_lazy("event", "Extension requested"),
    "approve_extension": pgettext_lazy("event", "Extension approved"),
    "reject_extension": pgettext_lazy("event", "Extension rejected"),
    "reply": pgettext_lazy("event", "Replied"),
    "contribute": pgettext_lazy("event", "Co-unit contribution"),
    "attach": pgettext_lazy("event", "Photo added"),
    "follow_up": pgettext_lazy("event", "Follow-up"),
    "reopen": pgettext_lazy("event", "Reopened"),
    "review": pgettext_lazy("event", "Rating review"),
    "close": pgettext_lazy("event", "Closed"),
    "urge": pgettext_lazy("event", "Urged"),
    "supervise": pgettext_lazy("event", "Supervised"),
    "merge": pgettext_lazy("event", "Merged"),
    "timer_cleared": pgettext_lazy("event", "Timer cleared"),
    "followup_overdue": pgettext_lazy("event", "Follow-up overdue"),
}
# Labels have the context "event": 派单 as an event, not 派单时间 as a date.
# What a citizen tracking their case is told; the rest is internal work.
PUBLIC_ACTIONS = {"intake", "dispatch", "accept", "reply", "follow_up", "reopen", "close", "merge"}
INTERNAL_NOISE = {"timer_cleared"}


@dataclass
class Row:
    seq: int
    at: dt.datetime
    action: str
    label: str
    who: str
    unit: str
    summary: str
    reason: str
    photos: list = field(default_factory=list)


def rows(case, *, public=False):
    events = list(case.events.select_related("actor_unit").prefetch_related("attachments").order_by("seq"))
    names = unit_names(events)
    out = []
    for event in events:
        if event.action in INTERNAL_NOISE or (public and event.action not in PUBLIC_ACTIONS):
            continue
        photos = list(event.attachments.all())
        if public:
            photos = [p for p in photos if event.action in PUBLIC_EVENTS]
        out.append(Row(
            seq=event.seq, at=event.at, action=event.action, label=str(ACTIONS.get(event.action, event.action)),
            who=privacy.actor_shown(case, event, public), unit=event.actor_unit.name if event.actor_unit and not public else "",
            summary=summary(event, names, public), reason=reason(event, public), photos=photos,
        ))
    return out


def reason(event, public):
    if public and event.action not in ("reply",):
        return ""
    if event.action == "reply":
        return event.changes.get("reply_text", "")
    if event.actor_id is None and event.reason:
        return _(event.reason)  # the system's own words; a person's are shown as written
    return event.reason


def unit_names(events):
    wanted = set()
    for event in events:
        for key in ("lead_unit", "dispatched_by"):
            if event.changes.get(key):
                wanted.add(event.changes[key])
        wanted.update(event.changes.get("co_units") or [])
    return dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "name"))


def summary(event, names, public):
    c = event.changes
    action = event.action
    if action in ("dispatch", "dispatch_down") and c.get("lead_unit"):
        text = "→ " + names.get(c["lead_unit"], "?")
        co = [names.get(pk, "?") for pk in c.get("co_units") or []]
        if co and not public:
            text += " (" + _("co-units") + ": " + "、".join(co) + ")"
        return text
    if action == "approve_return" and c.get("lead_unit"):
        return "→ " + names.get(c["lead_unit"], "?")
    if action == "request_extension" and c.get("extension_days"):
        return _("%(n)s working days more") % {"n": c["extension_days"]}
    if action == "approve_extension" and c.get("reply_due"):
        return _("new deadline %(due)s") % {"due": when(c["reply_due"])}
    if action == "supervise" and c.get("supervise_due"):
        return _("answer by %(due)s") % {"due": when(c["supervise_due"])}
    if action == "follow_up":
        resolved = _("resolved") if c.get("resolved") else _("not resolved")
        satisfaction = dict(Satisfaction.choices).get(c.get("satisfaction"), "")
        return f"{resolved} · {satisfaction}"
    if action == "review" and "rating_excluded" in c:
        return _("rating excluded from the rates") if c["rating_excluded"] else _("rating stands")
    return ""


def when(value):
    moment = parse_datetime(value) if isinstance(value, str) else value
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
