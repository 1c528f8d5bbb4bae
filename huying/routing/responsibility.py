"""Category × place → the lead unit, with a reason a person can read."""

from dataclasses import dataclass

from huying.routing.models import Rule


@dataclass
class Decision:
    unit: object
    reason: str


def responsible(category, street):
    """The rule of the category, or of its nearest ancestor that has one.

    Territory rules need a street; without one the centre has to decide."""
    node = category
    while node is not None:
        rule = Rule.objects.filter(category=node).select_related("unit").first()
        if rule is not None:
            if rule.unit is not None:
                return Decision(rule.unit, f"{category.path_label}: {rule.unit.label} (category rule)")
            if street is not None:
                return Decision(street, f"{category.path_label} at {street.name}: territory rule")
            return None
        node = node.parent
    return None
