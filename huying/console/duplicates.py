"""Likely duplicates while an operator types: the smart dispatch's own
measure (same place, similar words: huying.routing.duplicates), plus the
caller's other open cases of recent days, which an operator wants to see
even when the words differ (the same person calling again)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from huying.cases.models import Case
from huying.cases.scope import visible_cases
from huying.routing import duplicates as routing_duplicates

SHOWN = 5
SAME_CALLER_BONUS = 0.25


@dataclass
class Duplicate:
    case: object
    score: float
    same_phone: bool
    same_place: bool
    similarity: float


def likely(user, *, title="", text="", phone="", address="", street=None, community=None, now=None):
    now = now or timezone.now()
    fields = {"title": title, "text": text, "address": address, "street": street, "community": community}
    similar = {s.case_id: s for s in routing_duplicates.similar(fields, limit=SHOWN, now=now)}
    callers = set()
    if phone:
        since = now - dt.timedelta(days=routing_duplicates.window_days())
        callers = set(
            Case.objects.filter(citizen_phone=phone, status__in=routing_duplicates.JOINABLE, created_at__gte=since)
            .order_by("-created_at").values_list("pk", flat=True)[:SHOWN]
        )
    wanted = set(similar) | callers
    if not wanted:
        return []
    found = []
    for case in visible_cases(user).filter(pk__in=wanted).select_related("lead_unit", "street", "community"):
        hit = similar.get(case.pk)
        same_phone = case.pk in callers
        same_place = bool((community and case.community_id == community.pk) or (street and case.street_id == street.pk))
        score = (hit.score if hit else 0.0) + (SAME_CALLER_BONUS if same_phone else 0.0)
        found.append(Duplicate(case, round(min(score, 1.0), 2), same_phone, same_place, round(hit.text_score, 2) if hit else 0.0))
    found.sort(key=lambda d: (-d.score, -d.case.pk))
    return found[:SHOWN]
