"""Category × place × rules → the lead unit (and co-units), with a confidence
and a reason a person can read.

A leaf category has a rule: a department (行业) or the street where it
happened (属地). A case classified only to a higher level (城乡建设) gets one
candidate per unit its subcategories' rules name, each as sure as the share
of subcategories that go there, each subcategory weighted by how many cases
it had in the past year (plus one, so a new one still counts). Co-units
come from the deployment's own history: a unit that joined most recent
cases of the category and lead.
"""

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from huying import memo
from huying.cases.models import Case, Category, Status
from huying.org.models import Unit
from huying.routing.models import Rule

# Co-units: look at this many recent cases of the category and lead; a unit
# that joined at least this share of them is suggested again.
CO_UNIT_HISTORY = 200
CO_UNIT_SHARE = 0.5
CO_UNIT_MIN_CASES = 5
PAST_TTL = 600
_past = {"at": None, "counts": {}}
# The whole Rule table with its units (one row per category at most), read
# once per LOOKUP_CACHE_SECONDS: every intake asks (huying/memo.py).
RULES = memo.Memo("routing_rules")


@dataclass
class Decision:
    unit: object
    reason: str
    confidence: float = 1.0
    co_units: list = field(default_factory=list)
    category: object = None


def rule_of(category):
    """The rule of the category or of its nearest ancestor, with the node it is on."""
    table = RULES.get("all", all_rules)
    node = category
    while node is not None:
        rule = table.get(node.pk)
        if rule is not None:
            return rule
        node = node.parent
    return None


def all_rules(_key):
    return {rule.category_id: rule for rule in Rule.objects.select_related("unit")}


def responsible(category, street):
    """The one lead unit of a category at a street, or None (the centre decides)."""
    rule = rule_of(category)
    if rule is None:
        return None
    return decide(rule, category, street, 1.0)


def decide(rule, category, street, share):
    if rule.unit is not None:
        reason = _("%(category)s: %(unit)s (category rule)") % {"category": category.path_label, "unit": rule.unit.label}
        return Decision(rule.unit, reason, share, category=category)
    if street is not None:
        reason = _("%(category)s at %(street)s: territory rule") % {"category": category.path_label, "street": street.name}
        return Decision(street, reason, share, category=category)
    return None


def candidates(category, street):
    """Every unit the rules allow for the category at the street, surest first."""
    rule = rule_of(category)
    if rule is not None:
        found = decide(rule, category, street, 1.0)
        return [with_co_units(found)] if found else []
    leaves = list(Rule.objects.filter(category__code__startswith=category.code + ".").select_related("unit"))
    if not leaves:
        return []
    past = closed_per_category()
    groups = Counter()
    for rule in leaves:
        groups[rule.unit_id] += 1 + past.get(rule.category_id, 0)
    total = sum(groups.values())
    units = {r.unit_id: r.unit for r in leaves}
    out = []
    for unit_id, weight in groups.most_common():
        unit = units[unit_id] if unit_id is not None else street
        if unit is None:
            continue
        how = _("category rules") if unit_id is not None else _("territory rules at %(street)s") % {"street": street.name}
        reason = _("%(category)s: %(unit)s for %(share)s of its subcategories, weighted by past cases (%(how)s)") % {
            "category": category.path_label, "unit": unit.label, "share": f"{weight / total:.0%}", "how": how}
        out.append(with_co_units(Decision(unit, reason, weight / total, category=category)))
    return out


def closed_per_category():
    """{category id: closed cases of the last year}, read at most every
    `PAST_TTL` seconds per process: how often each leaf really comes up."""
    now = time.monotonic()
    if _past["at"] is None or now - _past["at"] > PAST_TTL:
        since = timezone.now() - dt.timedelta(days=365)
        rows = (Case.objects.filter(status=Status.CLOSED, category__isnull=False, created_at__gte=since)
                .values_list("category").annotate(n=Count("pk")))
        _past.update(at=now, counts=dict(rows))
    return _past["counts"]


def forget():
    _past.update(at=None, counts={})


def with_co_units(decision):
    decision.co_units = usual_co_units(decision.category, decision.unit)
    if decision.co_units:
        names = "、".join(u.label for u in decision.co_units)
        decision.reason = _("%(reason)s; co-units %(names)s (as in most recent cases)") % {"reason": decision.reason, "names": names}
    return decision


def usual_co_units(category, lead):
    recent = list(
        Case.objects.filter(category=category, lead_unit=lead).order_by("-created_at").values_list("pk", flat=True)[:CO_UNIT_HISTORY]
    )
    if len(recent) < CO_UNIT_MIN_CASES:
        return []
    through = Case.co_units.through
    counts = Counter(through.objects.filter(case_id__in=recent).values_list("unit_id", flat=True))
    wanted = [unit_id for unit_id, n in counts.items() if n / len(recent) >= CO_UNIT_SHARE and unit_id != lead.pk]
    return list(Unit.objects.filter(pk__in=wanted, active=True).order_by("path"))


def category_by_label(label):
    """A deployment category named by a label: its code, full path or unique name."""
    label = (label or "").strip()
    if not label:
        return None
    found = Category.objects.filter(code=label).first()
    if found is not None:
        return found
    named = list(Category.objects.filter(name=label)[:2])
    if len(named) == 1:
        return named[0]
    last = label.split("›")[-1].strip()
    for candidate in Category.objects.filter(name=last):
        if candidate.path_label.replace(" ", "") == label.replace(" ", ""):
            return candidate
    return None
