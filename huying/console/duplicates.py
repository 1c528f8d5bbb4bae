"""Likely duplicates while an operator types: open cases of recent days
from the same caller, or from the same place saying much the same thing.

Similarity is the Dice coefficient of character bigrams of title and text,
which needs no word segmentation and works on short Chinese messages.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from huying.cases.models import OPEN_STATUSES
from huying.cases.scope import visible_cases

WINDOW_DAYS = 30
SHOWN = 5
SIMILAR = 0.3
CANDIDATES = 300
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass
class Duplicate:
    case: object
    score: float
    same_phone: bool
    same_place: bool
    similarity: float


def bigrams(text):
    text = _NOISE.sub("", (text or "").lower())
    return {text[i:i + 2] for i in range(len(text) - 1)}


def dice(a, b):
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def likely(user, *, title="", text="", phone="", address="", street=None, community=None, now=None, exclude=None):
    now = now or timezone.now()
    place = Q(community=community) if community else Q(street=street) if street else Q()
    if address and len(address.strip()) >= 4:
        place |= Q(address=address.strip())
    match = (Q(citizen_phone=phone) if phone else Q()) | place
    if not match:
        return []
    qs = visible_cases(user).filter(match, status__in=OPEN_STATUSES, created_at__gte=now - dt.timedelta(days=WINDOW_DAYS))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    wanted = bigrams(f"{title}{text}")
    found = []
    for case in qs.select_related("lead_unit", "community", "street").order_by("-created_at")[:CANDIDATES]:
        similarity = dice(wanted, bigrams(f"{case.title}{case.text}"))
        same_phone = bool(phone) and case.citizen_phone == phone
        same_place = bool(place) and (
            (community and case.community_id == community.pk) or (street and case.street_id == street.pk)
            or (address and case.address == address.strip())
        )
        if similarity < SIMILAR and not same_phone:
            continue
        score = similarity + (0.25 if same_phone else 0) + (0.1 if same_place else 0)
        found.append(Duplicate(case, round(min(score, 1.0), 2), same_phone, bool(same_place), round(similarity, 2)))
    found.sort(key=lambda d: -d.score)
    return found[:SHOWN]
