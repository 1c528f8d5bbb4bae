"""Whose figures a person may read.

Figures are counted per answerable unit (and, for the map, per place). A
person reads the figures of the units under their scope roots: the centre,
district leaders and superusers read everything (the whole district, plus
cases not yet dispatched, counted for unit 0); a street reads itself, its
communities and grids; a department reads itself. Cases behind a figure are
further limited by `huying.cases.scope.visible_cases`.
"""

from dataclasses import dataclass
from functools import cached_property

from huying.org import people
from huying.org.models import Unit


@dataclass(frozen=True)
class Scope:
    unit_ids: frozenset | None  # None: everything, unit 0 included

    @classmethod
    def of(cls, user):
        if user is None or not user.is_authenticated:
            return cls(frozenset())
        if user.is_superuser:
            return cls(None)
        roots = people.scope_units(user)
        if any(root.kind == Unit.DISTRICT for root in roots):
            return cls(None)
        ids = set()
        for root in roots:
            ids.update(root.subtree().values_list("id", flat=True))
        return cls(frozenset(ids))

    @property
    def everything(self):
        return self.unit_ids is None

    @property
    def empty(self):
        return self.unit_ids is not None and not self.unit_ids

    def allows(self, unit_id):
        return self.unit_ids is None or unit_id in self.unit_ids

    def restrict(self, ids):
        """The given unit ids that this scope allows."""
        return set(ids) if self.unit_ids is None else set(ids) & self.unit_ids


class Units:
    """The unit tree in memory, for rolling communities up into streets."""

    def __init__(self):
        rows = Unit.objects.values("id", "code", "name", "short", "kind", "path", "parent_id", "active")
        self.by_id = {row["id"]: row for row in rows}
        by_code = {row["code"]: row["id"] for row in self.by_id.values()}
        self.top = {}
        for uid, row in self.by_id.items():
            codes = row["path"].strip("/").split("/")
            # /district/street/community/: the unit one below the district.
            self.top[uid] = by_code.get(codes[1]) if len(codes) > 1 else None

    def name(self, uid):
        row = self.by_id.get(uid)
        return (row["short"] or row["name"]) if row else ""

    def full_name(self, uid):
        row = self.by_id.get(uid)
        return row["name"] if row else ""

    def kind(self, uid):
        row = self.by_id.get(uid)
        return row["kind"] if row else None

    def subtree(self, uid):
        path = self.by_id[uid]["path"]
        return {i for i, row in self.by_id.items() if row["path"].startswith(path)}

    def of_kind(self, kind):
        return [uid for uid, row in self.by_id.items() if row["kind"] == kind]

    @cached_property
    def children(self):
        out = {}
        for uid, row in self.by_id.items():
            out.setdefault(row["parent_id"], []).append(uid)
        return out
