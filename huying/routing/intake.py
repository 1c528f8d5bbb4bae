"""Routing a new case: place, category, responsible unit, duplicates.

The console and the citizen pages call `route(case)` right after
`steps.intake`. Cases from the APIs are routed by the worker
(`jobs.route_new`, within seconds), so a client system's intake is answered
without waiting for the classifier; the worker also routes whatever an
intake caller missed. Above the
deployment's confidence threshold (`ROUTING_AUTO_DISPATCH`) the case is
dispatched at once through `steps.dispatch`; below it, or when it may
duplicate an open case, it waits for a dispatcher with the best suggestions
stored. Every decision is an event in the case's history.

The decision is worked out first, outside any transaction (classifying and
comparing take a few milliseconds); then one short transaction claims the
case (a `Routing` row, unique per case) and writes the events, so two
routers never both act and a case that changed meanwhile is left alone.

Every reason is written in the active language (a console request's, or the
deployment's `LANGUAGE_CODE` in the worker): composed with numbers, it could
never be translated when shown, so it is translated as it is composed.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huying.cases import ledger, steps
from huying.cases.actors import Actor
from huying.cases.errors import Conflict
from huying.cases.models import Status
from huying.cases.steps.dispatch import DISPATCH_TARGETS
from huying.org.models import Unit
from huying.routing import duplicates, store
from huying.routing.location import FILL_CONFIDENCE, place_of
from huying.routing.models import Routing, Suggestion
from huying.routing.responsibility import candidates
from huying.routing.training import text_of

log = logging.getLogger(__name__)
SUGGESTIONS = 3
TOP_CATEGORIES = 3


def router():
    """The system actor in whose name routing decisions are recorded."""
    return Actor(label=_("smart dispatch"), system=True)


def threshold():
    return float(getattr(settings, "ROUTING_AUTO_DISPATCH", 0.8))


@dataclass
class Guess:
    category: object
    confidence: float
    why: str


@dataclass
class Plan:
    place: object
    guesses: list
    options: list  # Decisions, surest first
    duplicates: list
    model_version: int | None = None
    notes: list = field(default_factory=list)

    @property
    def best(self):
        return self.options[0] if self.options else None


def categories(case):
    """The category a person chose, or the classifier's best guesses."""
    if case.category_id is not None:
        return [Guess(case.category, 1.0, _("given at intake"))], None, []
    return guess_categories(case.title, case.text)


def guess_categories(title, text, k=TOP_CATEGORIES):
    """The classifier's best guesses for a text: ([Guess], model version,
    notes on labels no category stands for yet). Also for typing-time hints."""
    version, classifier = store.active()
    if classifier is None:
        return [], None, [_("no category and no trained classifier yet")]
    top = classifier.predict_top([text_of(title, text)], k=k)[0]
    guesses, notes = [], []
    for label, raw in top:
        confidence = store.calibrated(float(raw))
        category = store.category_of(label)
        if category is None:
            notes.append(_("'%(label)s' (%(confidence).2f) is not mapped to a category yet") % {"label": label, "confidence": confidence})
            continue
        guesses.append(Guess(category, confidence, classifier_why(version, float(raw), confidence)))
    return guesses, version, notes


def classifier_why(version, raw, confidence):
    if confidence == raw:
        return _("classifier v%(version)s %(raw).2f") % {"version": version, "raw": raw}
    return _("classifier v%(version)s %(raw).2f, right %(right)s of the time on held-out cases") % {
        "version": version, "raw": raw, "right": f"{confidence:.0%}"}


def joined(parts):
    """Reasons one after another, with the separator of the active language."""
    return pgettext("list of reasons", "; ").join(parts)


def plan(case):
    place = place_of(case)
    guesses, version, notes = categories(case)
    street = place.street
    by_unit = {}
    for guess in guesses:
        for decision in candidates(guess.category, street):
            confidence = guess.confidence * decision.confidence
            if decision.unit.kind == Unit.STREET and street is not None and decision.unit.pk == street.pk:
                confidence *= place.confidence
            decision.reason = _("%(reason)s [%(why)s]") % {"reason": decision.reason, "why": guess.why}
            seen = by_unit.get(decision.unit.pk)
            if seen is None:
                decision.confidence = confidence
                by_unit[decision.unit.pk] = decision
            else:
                # Two guesses that lead to one unit add up.
                seen.confidence += confidence
    options = sorted(by_unit.values(), key=lambda d: -d.confidence)[:SUGGESTIONS]
    for option in options:
        option.confidence = round(min(option.confidence, 1.0), 4)
    if street is None:
        notes.append(_("place unknown (%(reason)s)") % {"reason": place.reason})
    return Plan(place, guesses, options, duplicates.similar(case, limit=SUGGESTIONS, place=place), version, notes)


def route(case, now=None):
    """Route a new case once; returns its `Routing`, or None when it was not
    new, was routed already, or changed while being routed (the worker will
    try again). Never raises: intake has happened whatever routing does."""
    now = now or timezone.now()
    if case.status != Status.NEW or Routing.objects.filter(case_id=case.pk).exists():
        return None
    try:
        decided = plan(case)
        return record(case, decided, now)
    except (IntegrityError, Conflict) as error:
        # Someone else routed, dispatched or merged it first: theirs stands.
        log.info("routing skipped %s: %s", case.number, error)
        case.refresh_from_db()
        return None
    except Exception:
        log.exception("routing failed for %s", case.number)
        case.refresh_from_db()  # the rolled-back changes are still on the instance
        return failed(case, now)


def failed(case, now):
    """Mark the case routed-with-failure so the worker does not retry forever."""
    try:
        with transaction.atomic():
            return Routing.objects.create(case=case, routed_at=now, outcome=Routing.FAILED, reason=_("routing failed; see the log"))
    except IntegrityError:
        return None


@transaction.atomic
def record(case, decided, now):
    best, limit = decided.best, threshold()
    duplicate = decided.duplicates[0] if decided.duplicates else None
    automatic = best is not None and best.confidence >= limit and duplicate is None and dispatchable(best.unit)
    routing = Routing.objects.create(
        case=case, routed_at=now, confidence=best.confidence if best else None, model_version=decided.model_version,
        outcome=Routing.DISPATCHED if automatic else Routing.SUGGESTED if best or duplicate else Routing.UNDECIDED,
    )
    routing.reason = summary(decided, automatic, limit)
    routing.save(update_fields=["reason"])
    store_suggestions(case, decided, now)
    actor = router()
    ledger.record(case, actor, "route", fill(case, decided, automatic), now=now, reason=routing.reason)
    if automatic:
        reason = _("%(reason)s; confidence %(confidence).2f ≥ %(limit).2f") % {
            "reason": best.reason, "confidence": best.confidence, "limit": limit}
        steps.dispatch(case, actor, lead=best.unit, co_units=best.co_units, reason=reason, now=now)
    return routing


def dispatchable(unit):
    """A rule may name a unit the centre cannot send to (inactive, a
    community): then a dispatcher decides."""
    return unit.active and unit.kind in DISPATCH_TARGETS


def fill(case, decided, automatic):
    """What routing writes on the case: a place it found with enough
    confidence, and the category of an automatic dispatch."""
    changes = {}
    place = decided.place
    if case.street_id is None and place.street is not None and place.confidence >= FILL_CONFIDENCE:
        changes["street"] = place.street
        if place.community is not None:
            changes["community"] = place.community
    if automatic and case.category_id is None and decided.best.category is not None:
        changes["category"] = decided.best.category
    return changes


def store_suggestions(case, decided, now):
    rows = [
        Suggestion(case=case, kind=Suggestion.DISPATCH, rank=rank, unit=option.unit, category=option.category,
                   co_unit_ids=[u.pk for u in option.co_units], confidence=option.confidence, reason=option.reason, created_at=now)
        for rank, option in enumerate(decided.options, start=1)
    ]
    rows += [
        Suggestion(case=case, kind=Suggestion.MERGE, rank=rank, other_case_id=dup.case_id, confidence=dup.score,
                   reason=_("%(number)s: %(reason)s") % {"number": dup.number, "reason": dup.reason}, created_at=now)
        for rank, dup in enumerate(decided.duplicates, start=1)
    ]
    Suggestion.objects.bulk_create(rows)


def summary(decided, automatic, limit):
    place = decided.place
    parts = [_("place: %(place)s (%(reason)s, %(confidence).2f)") % {
        "place": place.label, "reason": place.reason, "confidence": place.confidence} if place else None]
    if decided.guesses:
        guesses = joined(_("%(category)s (%(why)s)") % {"category": g.category.path_label, "why": g.why} for g in decided.guesses)
        parts.append(_("category: %(guesses)s") % {"guesses": guesses})
    for rank, option in enumerate(decided.options, start=1):
        parts.append(_("%(rank)s. %(unit)s %(confidence).2f: %(reason)s") % {
            "rank": rank, "unit": option.unit.name, "confidence": option.confidence, "reason": option.reason})
    for dup in decided.duplicates:
        parts.append(_("possible duplicate of %(number)s (%(score).2f: %(reason)s)") % {
            "number": dup.number, "score": dup.score, "reason": dup.reason})
    parts += decided.notes
    parts.append(outcome(decided, automatic, limit))
    return "\n".join(p for p in parts if p)


def outcome(decided, automatic, limit):
    """The last line of the summary: dispatched, or why a dispatcher decides."""
    best = decided.best
    numbers = {"confidence": best.confidence, "limit": limit} if best is not None else {}
    if automatic:
        return _("dispatched automatically (%(confidence).2f ≥ %(limit).2f)") % numbers
    if best is not None and decided.duplicates and best.confidence >= limit:
        return _("waiting for a dispatcher: a possible duplicate is open")
    if best is not None and best.confidence >= limit:
        return _("waiting for a dispatcher: %(unit)s cannot be dispatched to directly") % {"unit": best.unit.name}
    if best is not None:
        return _("waiting for a dispatcher (%(confidence).2f < %(limit).2f)") % numbers
    return _("waiting for a dispatcher: no suggestion")
