"""The heat index (热度) of a group, and what a hotspot shows.

    heat = 20·ln(1 + size) + 10·ln(1 + people) + 5·ln(1 + likes + repeats) + 10·ln(1 + pace)

- size: messages or cases in the group;
- people: different people among them (callers' phones or accounts; a file
  without authors counts each message as one person);
- likes + repeats: likes the messages got, and calls beyond the first by the
  same person (repeated calls are a sign of a problem left unsolved);
- pace: how fast it grew: messages per week over the group's span (at least a
  week), so fifteen messages in a week outrank fifteen over a year.

Logarithms keep one very liked message from outweighing many people.
"""

import math
from collections import Counter
from dataclasses import dataclass

from huying.analytics.hotspots.group import centre_of


@dataclass
class Hotspot:
    title: str
    place: str
    first: object
    last: object
    size: int
    people: int
    likes: int
    repeats: int
    pace: float
    heat: float
    ids: list
    terms: list


def summarise(messages, members, X):
    chosen = [messages[i] for i in members]
    times = sorted(m.at for m in chosen)
    span_days = max((times[-1] - times[0]).total_seconds() / 86400, 7)
    people = len({m.person or f"#{m.id}" for m in chosen})
    repeats = len(chosen) - people
    likes = sum(max(m.likes, 0) for m in chosen)
    pace = len(chosen) / span_days * 7
    heat = 20 * math.log1p(len(chosen)) + 10 * math.log1p(people) + 5 * math.log1p(likes + repeats) + 10 * math.log1p(pace)
    centre = messages[centre_of(X, members)] if X is not None else chosen[0]
    return Hotspot(
        title=centre.title, place=place_of(chosen), first=times[0], last=times[-1], size=len(chosen), people=people,
        likes=likes, repeats=repeats, pace=pace, heat=round(heat, 1),
        ids=[m.id for m in sorted(chosen, key=lambda m: m.at)], terms=top_terms(chosen),
    )


def place_of(chosen):
    """Area and the place most members name: "A5区 魅力之城"."""
    places = Counter(p for m in chosen for p in dict.fromkeys(m.places))
    areas = Counter(a for m in chosen for a in dict.fromkeys(m.areas))
    parts = []
    if areas:
        # The most specific area most of them name (A5区 rather than A市).
        area, _ = max(areas.items(), key=lambda kv: (kv[1] >= len(chosen) / 3, kv[0][-1] in "区县", kv[1]))
        parts.append(area)
    if places:
        # Named by most members; on a tie, the one they name first (a case's community comes before its road).
        rank = {}
        for m in chosen:
            for i, p in enumerate(dict.fromkeys(m.places)):
                rank[p] = rank.get(p, 0) + i
        place = min(places, key=lambda p: (-places[p], rank[p] / places[p], p))
        if places[place] * 3 >= len(chosen):
            parts.append(place)
    return " ".join(parts)


def top_terms(chosen, n=5):
    counts = Counter(t for m in chosen for t in set(m.tokens))
    return [t for t, _ in counts.most_common(n)]


def rank(messages, groups, X):
    spots = [summarise(messages, g, X) for g in groups]
    spots.sort(key=lambda s: (-s.heat, -s.size, s.first))
    return spots
