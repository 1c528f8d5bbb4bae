"""When an open case is overdue or at risk: the one rule behind the console's
clocks and supervision list and the data centre's "overdue now" and "at
risk now".

Overdue: its unit has missed the accept or reply deadline. At risk: not yet
overdue, but less than a quarter of the stage's time limit is left, counted
in the limit's own unit: a 15-working-day complaint 3.75 working days before
its reply deadline, a 1-working-day acceptance 6 working hours before, a
2-hour very urgent case 30 minutes before. A share
of the limit, not a fixed number of hours, so that a case with hours to go
is not at risk from the moment it arrives and a case with weeks is warned
days ahead, not on its last day.
"""

from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from huying.cases.models import Kind, Status, Urgency
from huying.sla import deadlines
from huying.sla.models import Limit

ACCEPT, REPLY, FOLLOWUP = "accept", "reply", "followup"
# The statuses whose clock is the unit's (accept or reply), by stage.
UNIT_STAGES = {ACCEPT: [Status.DISPATCHED], REPLY: [Status.ACCEPTED, Status.RETURN_REQUESTED]}
FIELD = {ACCEPT: "accept_due", REPLY: "reply_due"}
# The part of a stage's limit that is left when a case turns at risk (the
# console's inbox says "a quarter" in words).
SHARE = Decimal("0.25")


class Risk:
    """The rule at one moment; each limit is looked up once per kind, urgency and stage."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self._edges = {}

    def edge(self, kind, urgency, stage):
        """A case of this kind whose deadline is at or before this moment is at risk."""
        key = (kind, urgency, stage)
        if key not in self._edges:
            if stage == FOLLOWUP:
                amount, unit = deadlines.FOLLOWUP_WORKDAYS, Limit.WORKDAYS
            else:
                accept, accept_unit, reply, reply_unit = deadlines.limits(kind, urgency)
                amount, unit = (accept, accept_unit) if stage == ACCEPT else (reply, reply_unit)
            self._edges[key] = deadlines.after(self.now, Decimal(amount) * SHARE, unit)
        return self._edges[key]

    def overdue(self):
        """Cases whose unit has missed its accept or reply deadline."""
        return Q(status__in=UNIT_STAGES[ACCEPT], accept_due__lt=self.now) | Q(
            status__in=UNIT_STAGES[REPLY], reply_due__lt=self.now
        )

    def at_risk(self):
        """Cases whose unit's deadline is not yet missed but near. Kinds that
        share a limit share a clause (a handful, not one per kind and
        urgency): the data centre counts with this over every open case."""
        match = Q(pk__in=[])
        for stage, statuses in UNIT_STAGES.items():
            field = FIELD[stage]
            for urgency in Urgency.values:
                kinds_by_edge = {}
                for kind in Kind.values:
                    kinds_by_edge.setdefault(self.edge(kind, urgency, stage), []).append(kind)
                for edge, kinds in kinds_by_edge.items():
                    match |= Q(status__in=statuses, urgency=urgency, kind__in=kinds,
                               **{f"{field}__gte": self.now, f"{field}__lte": edge})
        return match
