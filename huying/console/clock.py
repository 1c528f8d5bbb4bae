"""The clock a unit races: which deadline a case runs against now, and
whether there is time (green), little time (amber) or none (red).

Little time means less than a quarter of the stage's limit is left, counted
in the limit's own unit: a 15-working-day complaint turns amber 3.75 working
days before its deadline, a 1-working-day acceptance 6 working hours before,
a 2-hour very urgent case 30 minutes before. The same rule gives the
supervisor's "at risk" list, as one query.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case as SqlCase
from django.db.models import F, Q, When
from django.utils import timezone

from huying.cases.models import Kind, Status, Urgency
from huying.sla import deadlines
from huying.sla.models import Limit

NEAR_SHARE = Decimal("0.25")
ACCEPT, REPLY, FOLLOWUP = "accept", "reply", "followup"
STAGE = {
    Status.DISPATCHED: ACCEPT,
    Status.ACCEPTED: REPLY,
    Status.RETURN_REQUESTED: REPLY,
    Status.REPLIED: FOLLOWUP,
}
# The statuses whose clock is the unit's (accept or reply), by stage.
UNIT_STAGES = {ACCEPT: [Status.DISPATCHED], REPLY: [Status.ACCEPTED, Status.RETURN_REQUESTED]}
FIELD = {ACCEPT: "accept_due", REPLY: "reply_due"}


@dataclass(frozen=True)
class Clock:
    stage: str
    due: dt.datetime
    state: str  # "ok", "near" or "late"
    amber_at: dt.datetime

    @property
    def remaining(self):
        return self.due - timezone.now()


def due_expression():
    """The deadline a unit's case runs against, for ordering an inbox."""
    return SqlCase(When(status=Status.DISPATCHED, then=F("accept_due")), default=F("reply_due"))


class Clocks:
    """Clocks at one moment; limits are looked up once per kind and urgency."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self._edges = {}

    def edge(self, kind, urgency, stage):
        """A case of this kind whose deadline is at or before this moment is near."""
        key = (kind, urgency, stage)
        if key not in self._edges:
            if stage == FOLLOWUP:
                amount, unit = deadlines.FOLLOWUP_WORKDAYS, Limit.WORKDAYS
            else:
                accept, accept_unit, reply, reply_unit = deadlines.limits(kind, urgency)
                amount, unit = (accept, accept_unit) if stage == ACCEPT else (reply, reply_unit)
            self._edges[key] = deadlines.after(self.now, Decimal(amount) * NEAR_SHARE, unit)
        return self._edges[key]

    def of(self, case):
        stage = STAGE.get(case.status)
        if stage is None:
            return None
        due = self.due(case, stage)
        if due is None:
            return None
        edge = self.edge(case.kind, case.urgency, stage)
        state = "late" if self.now > due else "near" if due <= edge else "ok"
        return Clock(stage, due, state, due - (edge - self.now))

    @staticmethod
    def due(case, stage):
        if stage == ACCEPT:
            return case.accept_due
        if stage == REPLY:
            return case.reply_due
        if case.followup_due:
            return case.followup_due
        # The worker clears followup_due once it has raised the alarm.
        return deadlines.workdays_after(case.replied_at, deadlines.FOLLOWUP_WORKDAYS) if case.replied_at else None

    def overdue(self):
        """Cases whose unit has missed its accept or reply deadline."""
        return Q(status__in=UNIT_STAGES[ACCEPT], accept_due__lt=self.now) | Q(
            status__in=UNIT_STAGES[REPLY], reply_due__lt=self.now
        )

    def near(self):
        """Cases not yet late whose clock is amber."""
        match = Q(pk__in=[])
        for stage, statuses in UNIT_STAGES.items():
            field = FIELD[stage]
            for kind in Kind.values:
                for urgency in Urgency.values:
                    edge = self.edge(kind, urgency, stage)
                    match |= Q(status__in=statuses, kind=kind, urgency=urgency,
                               **{f"{field}__gte": self.now, f"{field}__lte": edge})
        return match
