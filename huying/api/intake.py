"""Intake through an API, shared by Open311 and the REST API.

`submit` makes at most one case per request however often a client retries:
a retry with the same `Idempotency-Key` (or, for a client system, the same
external id) gets the first case back. The case itself is made by
`make_case`: place from the address id, the gazetteer or another locator;
the responsible unit from the category's rules; then the foundation's
`steps.intake`, so every check and the history are the same as in the
console.

Pluggable: after a case is made, the `case_received` signal is sent inside
the same transaction with the case, the routing decision and the
submission, so automatic dispatch (or anything else) can act on it; a
`Refused` raised there undoes the whole intake.
"""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.api import places
from huying.api.models import Submission
from huying.cases import steps
from huying.cases.errors import BadInput, Conflict
from huying.cases.models import Category
from huying.routing.responsibility import responsible
from huying.sla import deadlines

case_received = Signal()

# The case fields a client may send, as plain JSON values (codes for units
# and categories), so the same dict can wait in `Submission.payload`.
FIELDS = ("kind", "channel", "category", "title", "text", "citizen_name", "citizen_phone", "address", "lat", "lng",
          "street", "community", "grid", "urgency", "confidential", "external_id")
EXTRAS = ("media_url", "email", "device_id", "account_id")


class KeyReused(Conflict):
    """The same Idempotency-Key came with a different request."""


@dataclass
class Received:
    submission: Submission
    replayed: bool = False
    decision: object = None

    @property
    def case(self):
        return self.submission.case


def fingerprint(data):
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def owner_of(client, user):
    return {"client": client} if client is not None else {"user": user}


def earlier(client, user, key, external_id):
    """The submission a retry repeats, if any."""
    if not key and not (external_id and client is not None):
        return None  # nothing to repeat: no query, not even a queryset
    rows = Submission.objects.select_related("case", "case__category", "case__lead_unit")
    if key:
        found = rows.filter(idempotency_key=key, **owner_of(client, user)).first()
        if found:
            return found
    if external_id and client is not None:
        return rows.filter(client=client, external_id=external_id).first()
    return None


def replay(found, print_, key):
    if key and found.idempotency_key == key and found.fingerprint != print_:
        raise KeyReused(_("The Idempotency-Key %(key)s was used for a different request.") % {"key": key})
    # The same answer as the first time, responsible unit included.
    case = found.case
    decision = responsible(case.category, case.street) if case is not None and case.category_id else None
    return Received(found, replayed=True, decision=decision)


def submit(actor, data, *, client=None, user=None, key="", extras=None, batch=False, now=None, category=None):
    """Receive one request; returns a `Received` (replayed=True for a retry).

    `category` may pass the Category the caller already read for `data["category"]`."""
    now = now or timezone.now()
    extras = {k: v for k, v in (extras or {}).items() if v}
    data = {k: data[k] for k in FIELDS if data.get(k) not in (None, "")}
    external_id = data.get("external_id", "")
    print_ = fingerprint(data | extras)
    found = earlier(client, user, key, external_id)
    if found:
        return replay(found, print_, key)
    row = Submission(client=client, user=user, idempotency_key=key, external_id=external_id if client else "",
                     fingerprint=print_, payload=data, created_at=now, **extras)
    try:
        with transaction.atomic():
            if batch:
                row.save()
                return Received(row)
            case, decision, note = make_case(actor, data, now, category=category)
            row.case, row.note, row.processed_at = case, note, now
            row.save()
            case_received.send(sender=Submission, case=case, decision=decision, submission=row, now=now)
            return Received(row, decision=decision)
    except IntegrityError:
        # A twin of this request committed first (same key or external id).
        found = earlier(client, user, key, external_id)
        if found is None:
            raise
        return replay(found, print_, key)


def make_case(actor, data, now, category=None):
    """Place, responsibility and the intake step; returns (case, decision, note)."""
    if category is None or category.code != data.get("category"):
        category = category_of(data.get("category"))
    place = place_of(data)
    decision = responsible(category, place.street) if category is not None else None
    notes = [place.note] if place.note else []
    if decision is not None:
        notes.append(decision.reason)
    fields = {k: data[k] for k in FIELDS if k in data and k not in ("category", "street", "community", "grid")}
    case = steps.intake(actor, category=category, now=now, **fields, **place.as_fields())
    return case, decision, "; ".join(notes)


def category_of(code):
    if not code:
        return None
    category = Category.objects.filter(code=code).select_related("parent__parent").first()
    if category is None:
        raise BadInput(_("Unknown category %(code)s.") % {"code": code})
    return category


def place_of(data):
    given = {kind: data.get(kind) for kind in ("street", "community", "grid") if data.get(kind)}
    if not given:
        return places.locate(data.get("address", ""), data.get("lat"), data.get("lng"))
    place = places.Place(note=_("place given by the client"))
    for kind, code in given.items():
        unit = places.unit_by_code(code)
        if unit is None or unit.kind != kind:
            raise BadInput(_("Unknown %(kind)s %(code)s.") % {"kind": kind, "code": code})
        setattr(place, kind, unit)
    return place


def process_batch(now):
    """Worker job: make the cases of submissions waiting in batch mode."""
    done = 0
    pending = Submission.objects.filter(processed_at__isnull=True).select_related("client").order_by("pk")[:100]
    for row in pending:
        with transaction.atomic():
            if not Submission.objects.filter(pk=row.pk, processed_at__isnull=True).update(processed_at=now):
                continue  # another worker took it
            done += make_waiting_case(row, now)
    return done


def make_waiting_case(row, now):
    from huying.cases.actors import Actor
    from huying.cases.errors import Refused

    actor = Actor.integration(row.client.name) if row.client else Actor.of(row.user)
    try:
        with transaction.atomic():
            case, decision, note = make_case(actor, row.payload, row.created_at)
            Submission.objects.filter(pk=row.pk).update(case=case, note=note)
            row.case = case
            case_received.send(sender=Submission, case=case, decision=decision, submission=row, now=now)
        return 1
    except Refused as error:
        Submission.objects.filter(pk=row.pk).update(error=str(error))
        return 0


def expected_reply(case, now):
    """When the reply is due if the case is dispatched now (the SLA promise)."""
    return case.reply_due or deadlines.reply_due(case.kind, case.urgency, now)


def service_type():
    return "batch" if settings.OPEN311_SERVICE_TYPE == "batch" else "realtime"
