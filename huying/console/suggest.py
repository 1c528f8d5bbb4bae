"""Hints while an operator types: what it is about and who should handle it
(where it is: huying.routing.location.address_place).

The unit comes from the deployment's responsibility rules, categories from
the routing classifier (huying.routing) once a model is trained, and from
the deployment's category keywords before that.
"""

import time
from dataclasses import dataclass

from huying.cases.models import Category
from huying.cases.scope import visible_cases
from huying.org.models import Unit
from huying.routing import intake as routing_intake
from huying.routing import responsibility
from huying.routing.models import Suggestion

CATEGORY_HINTS = 3
_KEYWORDS_TTL = 300
_keywords = {"at": 0.0, "rows": []}


@dataclass
class Lead:
    unit: Unit
    territorial: bool  # 属地 (the street where it happened), else 行业 (a department by category)


def keyword_rows():
    """(category, [keywords]) for active categories with keywords; reloaded every few minutes."""
    if time.monotonic() - _keywords["at"] > _KEYWORDS_TTL or not _keywords["rows"]:
        rows = []
        for category in Category.objects.filter(active=True).exclude(keywords="").select_related("parent__parent"):
            words = [w.strip() for w in category.keywords.split("|") if w.strip()]
            if words:
                rows.append((category, words))
        _keywords.update(at=time.monotonic(), rows=rows)
    return _keywords["rows"]


def forget():
    _keywords.update(at=0.0, rows=[])


def categories(title, text, limit=CATEGORY_HINTS):
    """The classifier's best categories for the words, or without a trained
    model those whose keywords the words mention most."""
    if not f"{title}{text}".strip():
        return []
    guesses, _version, _notes = routing_intake.guess_categories(title, text, k=limit)
    if guesses:
        return [guess.category for guess in guesses]
    return by_keywords(f"{title} {text}", limit)


def by_keywords(text, limit=CATEGORY_HINTS):
    """The categories whose keywords the text mentions most (longer keywords weigh more)."""
    scored = []
    for category, words in keyword_rows():
        score = sum(len(w) for w in words if w in text)
        if score:
            scored.append((score, category.code, category))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [category for _score, _code, category in scored[:limit]]


def lead_unit(category, street):
    """The responsible unit by the deployment's rules, or None."""
    if category is None:
        return None
    decision = responsibility.responsible(category, street)
    if decision is None:
        return None
    return Lead(decision.unit, territorial=decision.unit.kind == Unit.STREET)


def smart_dispatch(case):
    """The smart dispatch's stored unit suggestions for a case, best first."""
    return list(Suggestion.objects.filter(case=case, kind=Suggestion.DISPATCH).select_related("unit", "category")[:3])


def smart_merges(user, case):
    """Its stored duplicate suggestions, only cases the viewer may see."""
    rows = Suggestion.objects.filter(case=case, kind=Suggestion.MERGE).select_related("other_case")[:3]
    visible = set(visible_cases(user).filter(pk__in=[r.other_case_id for r in rows]).values_list("pk", flat=True))
    return [row for row in rows if row.other_case_id in visible]


def attach_best_units(cases):
    """Give each case its smart dispatch's first choice as `best_unit` (or None), in one query."""
    cases = list(cases)
    best = {
        row.case_id: row.unit
        for row in Suggestion.objects.filter(case__in=cases, kind=Suggestion.DISPATCH, rank=1).select_related("unit")
    }
    for case in cases:
        case.best_unit = best.get(case.pk)
    return cases
