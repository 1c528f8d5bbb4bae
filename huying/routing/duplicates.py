"""Duplicates (并单): open cases of recent days at the same place with similar text.

Runs at every intake and while an operator types, so it must stay fast with
thousands of open cases: the place narrows the candidates to one street (or
a small box around a map point) in one indexed query, and the text is
compared by character 1–2-gram TF-IDF cosine, computed with numpy over
just those candidates (the IDF of the neighbourhood makes the usual hotline phrases
count for little).
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huying.cases.models import Case, Status
from huying.routing.gazetteer import normalize_text
from huying.routing.location import FILL_CONFIDENCE, field, place_of
from huying.routing.places import distance_m

# Cases a duplicate can join (merge takes these as the main case).
JOINABLE = [Status.NEW, Status.DISPATCHED, Status.ACCEPTED, Status.RETURN_REQUESTED, Status.REPLIED]
NEAR_M = 150
BOX_DEGREES = 0.003  # ~300 m: candidates for a point with no street
# Without any place, compare with the newest open cases only.
UNPLACED_CANDIDATES = 2000
SAME_COMMUNITY, SAME_STREET, NEAR_POINT, SAME_ADDRESS, NO_PLACE = 1.0, 0.85, 1.0, 1.0, 0.7

# The first part of a long message says enough to tell a duplicate.
MAX_CHARS = 400
SPACE = 1 << 18  # hashed n-grams: small enough to stay in the CPU cache; rare collisions only blur


@dataclass
class Similar:
    case_id: int
    number: str
    title: str
    status: str
    score: float
    text_score: float
    reason: str


def min_score():
    return float(getattr(settings, "ROUTING_DUPLICATE_MIN_SCORE", 0.4))


def window_days():
    return int(getattr(settings, "ROUTING_DUPLICATE_DAYS", 7))


def similar(case_or_fields, limit=5, *, now=None, threshold=None, place=None):
    """Open cases that may be the same problem, best first, each with a score
    in 0..1 and a reason. Takes a Case or a dict of intake fields (title,
    text, address, street, community, lat, lng)."""
    subject = case_or_fields
    threshold = min_score() if threshold is None else threshold
    text = " ".join(filter(None, [field(subject, "title"), field(subject, "text")])).strip()
    if not text:
        return []
    place = place or place_of(subject)
    street = place.street if place.confidence >= FILL_CONFIDENCE else None
    community = place.community if street is not None else None
    lat, lng = field(subject, "lat"), field(subject, "lng")
    rows = candidates(subject, street, lat, lng, now)
    if not rows:
        return []
    scores = text_scores(text, [f"{r['title']} {r['start']}" for r in rows])
    address = normalize_text(field(subject, "address") or "")
    found = []
    for row, text_score in zip(rows, scores):
        factor, where = place_factor(row, street, community, lat, lng, address)
        total = round(float(text_score) * factor, 4)
        if total >= threshold:
            reason = _("text %(text).2f × %(where)s %(factor).2f") % {"text": text_score, "where": where(), "factor": factor}
            found.append(Similar(row["pk"], row["number"], row["title"], row["status"], total, round(float(text_score), 4), reason))
    found.sort(key=lambda s: (-s.score, -s.case_id))
    return found[:limit]


def candidates(subject, street, lat, lng, now):
    pk = subject.pk if isinstance(subject, Case) else None
    reference = (subject.created_at if isinstance(subject, Case) else None) or now or timezone.now()
    since = reference - dt.timedelta(days=window_days())
    query = Case.objects.filter(status__in=JOINABLE, created_at__gte=since, created_at__lte=reference)
    if pk is not None:
        query = query.exclude(pk=pk)
    if street is not None:
        query = query.filter(street=street)
    elif lat is not None and lng is not None:
        query = query.filter(lat__range=(lat - BOX_DEGREES, lat + BOX_DEGREES), lng__range=(lng - BOX_DEGREES, lng + BOX_DEGREES))
    else:
        query = query.order_by("-created_at")[:UNPLACED_CANDIDATES]
    # Only the start of each text is compared: fetch no more of it.
    query = query.annotate(start=Substr("text", 1, MAX_CHARS))
    return list(query.values("pk", "number", "title", "start", "status", "community_id", "street_id", "lat", "lng", "address"))


def grams(texts):
    """The distinct character unigrams and bigrams of each text, hashed into
    `SPACE`: (text number, n-gram) arrays sorted by text. Only Chinese
    characters, letters and digits count. All texts in one numpy pass."""
    texts = [t[:MAX_CHARS].lower() for t in texts]
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(texts)), [len(t) for t in texts])
    keep = (((points >= 0x4E00) & (points <= 0x9FFF)) | ((points >= 0x3400) & (points <= 0x4DBF))
            | ((points >= 48) & (points <= 57)) | ((points >= 97) & (points <= 122)))
    points, owner = points[keep], owner[keep]
    same = owner[:-1] == owner[1:]  # no bigram across two texts
    bigrams = (points[:-1] * 1_000_003 + points[1:])[same]
    keys = np.sort(np.concatenate([owner * SPACE + points % SPACE, owner[:-1][same] * SPACE + bigrams % SPACE]))
    # Distinct keys by hand: np.unique is many times slower here than a sort.
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
    return keys // SPACE, keys % SPACE


def text_scores(text, others):
    """TF-IDF cosine (binary term frequency) of the text with each other
    text. The IDF is learnt from the others alone: with few of them every
    n-gram weighs the same, with many the phrases every caller uses weigh
    little. Plain numpy over hashed n-grams, no vocabulary: a few
    milliseconds for hundreds of texts."""
    if not others:
        return np.zeros(0)
    owner, gram = grams([text, *others])
    query = gram[owner == 0]
    owner, gram = owner[owner > 0] - 1, gram[owner > 0]
    if not len(query):
        return np.zeros(len(others))
    df = np.bincount(gram, minlength=SPACE)
    weights = np.log((1 + len(others)) / (1 + df[gram])) + 1
    wanted = np.zeros(SPACE)
    wanted[query] = np.log((1 + len(others)) / (1 + df[query])) + 1
    dots = np.bincount(owner, weights=weights * wanted[gram], minlength=len(others))
    norms = np.sqrt(np.bincount(owner, weights=weights**2, minlength=len(others))) * np.sqrt((wanted[query] ** 2).sum())
    return np.divide(dots, norms, out=np.zeros(len(others)), where=norms > 0)


def place_factor(row, street, community, lat, lng, address):
    """(factor, how the places compare): the "how" is translated only for
    the few rows that count, not for each of hundreds of candidates."""
    if address and row["address"] and normalize_text(row["address"]) == address:
        return SAME_ADDRESS, said(gettext_noop("same address"))
    if lat is not None and lng is not None and row["lat"] is not None and row["lng"] is not None:
        metres = distance_m(lat, lng, row["lat"], row["lng"])
        if metres <= NEAR_M:
            return NEAR_POINT, said(gettext_noop("%(metres).0f m apart"), metres=metres)
    if community is not None and row["community_id"] == community.pk:
        return SAME_COMMUNITY, said(gettext_noop("same community"))
    if street is not None and row["street_id"] == street.pk:
        return SAME_STREET, said(gettext_noop("same street"))
    return NO_PLACE, said(gettext_noop("place unknown"))


def said(message, **values):
    return lambda: _(message) % values if values else _(message)
