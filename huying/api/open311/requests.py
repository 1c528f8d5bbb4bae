"""Cases as Open311 service requests: the search of `GET requests` and the
public form of one case.

The public form never carries the citizen's name or phone: the text is
shown with the citizen's name, phone numbers and e-mail addresses masked,
and a confidential report shows no text at all.
"""

import datetime as dt
import re

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from huying.api.open311.errors import BadRequest
from huying.api.open311.parsing import Params
from huying.cases import privacy
from huying.cases.models import OPEN_STATUSES, Case, Category, Event, Status
from huying.org.models import Unit

SPAN = dt.timedelta(days=90)
LIMIT = 1000
PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# What the public history says for each action; other actions are internal.
# Lazy, so each is translated in the language of the request that shows it;
# their own context keeps them apart from like-named labels of the console
# ("Received" there is a column: 受理时间).
NOTES = {
    "intake": pgettext_lazy("open311 note", "Received"),
    "dispatch": pgettext_lazy("open311 note", "Dispatched to {lead}"),
    "dispatch_down": pgettext_lazy("open311 note", "Passed on to {lead}"),
    "accept": pgettext_lazy("open311 note", "Accepted by {unit}"),
    "return": pgettext_lazy("open311 note", "{unit} asked to return it"),
    "approve_return": pgettext_lazy("open311 note", "Return approved"),
    "reject_return": pgettext_lazy("open311 note", "Return rejected"),
    "request_extension": pgettext_lazy("open311 note", "{unit} asked for more time"),
    "approve_extension": pgettext_lazy("open311 note", "More time granted"),
    "reject_extension": pgettext_lazy("open311 note", "More time refused"),
    "reply": pgettext_lazy("open311 note", "Answered"),
    "contribute": pgettext_lazy("open311 note", "A co-unit contributed"),
    "follow_up": pgettext_lazy("open311 note", "Citizen's rating recorded"),
    "reopen": pgettext_lazy("open311 note", "Reopened"),
    "review": pgettext_lazy("open311 note", "Rating reviewed"),
    "close": pgettext_lazy("open311 note", "Closed"),
    "urge": pgettext_lazy("open311 note", "Urged"),
    "supervise": pgettext_lazy("open311 note", "Under formal supervision"),
    "merge": pgettext_lazy("open311 note", "Merged with another request"),
}


def public_status(case):
    return "closed" if case.status in (Status.CLOSED, Status.MERGED) else "open"


def public_text(case):
    """The case text with the person behind it masked; None for a confidential report."""
    if case.confidential:
        return None
    text = PHONE.sub(lambda m: privacy.mask_phone(re.sub(r"\D", "", m.group())), case.text)
    text = EMAIL.sub("***@***", text)
    name = case.citizen_name.strip()
    if len(name) >= 2:
        text = text.replace(name, privacy.mask_name(name))
    return text


def status_notes(case):
    if case.status == Status.MERGED and case.main_case_id:
        return _("Duplicate request; handled with %(number)s.") % {"number": case.main_case.number}
    return str(case.get_status_display())


def address_id(case):
    unit = case.grid or case.community or case.street
    return unit.code if unit else None


def as_request(case, *, extensions=False, unit_names=None):
    submission = getattr(case, "submission", None)
    row = {
        "service_request_id": case.number,
        "status": public_status(case),
        "status_notes": status_notes(case),
        "service_name": case.category.name if case.category_id else None,
        "service_code": case.category.code if case.category_id else None,
        "description": public_text(case),
        "agency_responsible": case.lead_unit.name if case.lead_unit_id else None,
        "service_notice": service_notice(case),
        "requested_datetime": case.created_at,
        "updated_datetime": getattr(case, "updated", None) or case.created_at,
        "expected_datetime": case.reply_due if case.is_open else None,
        "address": case.address or None,
        "address_id": address_id(case),
        "zipcode": None,
        "lat": case.lat,
        "long": case.lng,
        "media_url": (submission.media_url or None) if submission else None,
    }
    if extensions:
        row["extended_attributes"] = extended(case)
        row["notes"] = notes(case, unit_names or {})
    return row


def service_notice(case):
    if case.is_open and case.reply_due:
        return _("A reply is due by %(due)s.") % {"due": timezone.localtime(case.reply_due).strftime("%Y-%m-%d %H:%M")}
    return None


def extended(case):
    return {
        "channel": case.channel,
        "kind": case.kind,
        "urgency": case.urgency,
        "title": None if case.confidential else case.title,
        "street": case.street.name if case.street_id else None,
        "community": case.community.name if case.community_id else None,
        "reopen_count": case.reopen_count,
        "closed_datetime": case.closed_at,
    }


def notes(case, unit_names):
    out = []
    for event in case.events.all():
        template = NOTES.get(event.action)
        if template is None:
            continue
        lead = unit_names.get(event.changes.get("lead_unit"), "")
        unit = unit_names.get(event.actor_unit_id, "")
        out.append({"datetime": event.at, "description": str(template).format(lead=lead, unit=unit), "type": event.action})
    return out


def unit_names():
    return dict(Unit.objects.values_list("pk", "name"))


def base_queryset():
    last_change = Event.objects.filter(case=OuterRef("pk"), seq=OuterRef("version")).values("at")[:1]
    return (
        Case.objects.select_related("category", "lead_unit", "street", "community", "grid", "submission", "main_case")
        .annotate(updated=Subquery(last_change))
        .order_by("-created_at", "-pk")
    )


def with_notes(qs):
    return qs.prefetch_related(Prefetch("events", queryset=Event.objects.order_by("seq")))


def search(params: Params, now):
    """The cases `GET requests` asks for, and the page size, by the spec's rules."""
    qs = base_queryset()
    page = params.integer("page", 1, 1, 1_000_000)
    size = params.integer("page_size", LIMIT, 1, LIMIT)
    ids = params.many("service_request_id")
    if ids:
        # "This overrides all other arguments."
        return qs.filter(number__in=ids[:LIMIT]), page, size
    codes = params.many("service_code")
    if codes:
        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise BadRequest(_("Unknown service_code %(code)s.") % {"code": unknown[0][:60]})
        qs = qs.filter(category__code__in=codes)
    qs = by_status(qs, params.many("status"))
    qs = by_dates(qs, params, now)
    return qs, page, size


def by_status(qs, statuses):
    wanted = set(statuses)
    if wanted - {"open", "closed"}:
        raise BadRequest(_("status must be open or closed, not %(value)s.") % {"value": sorted(wanted - {"open", "closed"})[0][:40]})
    if wanted == {"open"}:
        return qs.filter(status__in=OPEN_STATUSES)
    if wanted == {"closed"}:
        return qs.exclude(status__in=OPEN_STATUSES)
    return qs


def by_dates(qs, params, now):
    start, end = params.moment("start_date"), params.moment("end_date")
    after, before = params.moment("updated_after"), params.moment("updated_before")
    if start and end and end < start:
        raise BadRequest(_("end_date is before start_date."))
    if start and end and end - start > SPAN:
        raise BadRequest(_("start_date and end_date may not span more than 90 days."))
    if after and before and before < after:
        raise BadRequest(_("updated_before is before updated_after."))
    if not (start or end or after or before):
        start, end = now - SPAN, now  # the default: the most recent 90 days
    elif start and not end and not (after or before):
        end = start + SPAN
    elif end and not start and not (after or before):
        start = end - SPAN
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    if after:
        qs = qs.filter(updated__gt=after)
    if before:
        qs = qs.filter(updated__lt=before)
    return qs
