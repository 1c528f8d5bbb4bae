"""The clock a unit races: which deadline a case runs against now, and
whether there is time (green), little time (amber) or none (red).

Little time is the platform's one "at risk" rule (huying.sla.risk: by
default less than a quarter of the stage's limit left, counted in the limit's
own unit), which also gives the supervisor's "at risk" list, as one query,
and the data centre's "at risk now".
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import F, When
from django.utils import timezone

from huying.cases.models import Status
from huying.sla import deadlines
from huying.sla.risk import ACCEPT, FOLLOWUP, REPLY, Risk

STAGE = {
    Status.DISPATCHED: ACCEPT,
    Status.ACCEPTED: REPLY,
    Status.RETURN_REQUESTED: REPLY,
    Status.REPLIED: FOLLOWUP,
}


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


class Clocks(Risk):
    """Clocks at one moment; limits are looked up once per kind and urgency."""

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
