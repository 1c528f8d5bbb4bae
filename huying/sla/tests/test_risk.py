"""The one "at risk" rule: less than a quarter of the stage's time limit
left, counted in the limit's own unit."""

import datetime as dt

from huying.cases.models import Case, Kind, Status, Urgency
from huying.sla.risk import ACCEPT, REPLY, Risk
from huying.test import BaseTestCase, at

MINUTE = dt.timedelta(minutes=1)


class AtRiskTestCase(BaseTestCase):
    def flags(self, case, now):
        """(overdue, at risk) of one case at a moment, as the database answers."""
        risk = Risk(now)
        mine = Case.objects.filter(pk=case.pk)
        return mine.filter(risk.overdue()).exists(), mine.filter(risk.at_risk()).exists()

    def test_a_2_hour_reply_is_at_risk_for_its_last_30_minutes(self):
        case = self.accepted_case(urgency="very_urgent")
        self.assertEqual(case.reply_due, at(2026, 3, 3, 12, 0))
        self.assertEqual(self.flags(case, at(2026, 3, 3, 11, 29)), (False, False))
        self.assertEqual(self.flags(case, at(2026, 3, 3, 11, 30)), (False, True))
        self.assertEqual(self.flags(case, at(2026, 3, 3, 12, 0)), (False, True))
        self.assertEqual(self.flags(case, at(2026, 3, 3, 12, 0) + MINUTE), (True, False))

    def test_a_15_working_day_complaint_is_warned_days_ahead(self):
        case = self.accepted_case(kind="complaint")
        self.assertEqual(case.reply_due, at(2026, 3, 24, 10, 0))  # a Tuesday
        # 3.75 working days before: Mon, Fri, Thu back to 10:00, then 18 hours of Wednesday.
        self.assertEqual(self.flags(case, at(2026, 3, 18, 15, 59)), (False, False))
        self.assertEqual(self.flags(case, at(2026, 3, 18, 16, 0)), (False, True))

    def test_a_1_working_day_acceptance_for_its_last_6_hours(self):
        case = self.dispatched_case()  # accept due Wed 4 Mar 10:00
        self.assertEqual(self.flags(case, at(2026, 3, 4, 3, 59)), (False, False))
        self.assertEqual(self.flags(case, at(2026, 3, 4, 4, 0)), (False, True))

    def test_the_query_agrees_with_every_kind_s_own_limit(self):
        """The query groups kinds that share a limit; for every kind, urgency
        and stage it must say what that case's own edge says."""
        cases = []
        for kind in Kind.values:
            for urgency in Urgency.values:
                cases += [self.dispatched_case(kind=kind, urgency=urgency), self.accepted_case(kind=kind, urgency=urgency)]
        caught = set()
        for hours in (0.5, 1.5, 5, 20, 30, 40, 60, 100, 200, 300, 400):
            now = self.now + dt.timedelta(hours=hours)
            risk = Risk(now)
            found = set(Case.objects.filter(pk__in=[c.pk for c in cases]).filter(risk.at_risk()).values_list("pk", flat=True))
            expected = set()
            for case in cases:
                stage, due = (ACCEPT, case.accept_due) if case.status == Status.DISPATCHED else (REPLY, case.reply_due)
                if now <= due <= risk.edge(case.kind, case.urgency, stage):
                    expected.add(case.pk)
            with self.subTest(hours=hours):
                self.assertEqual(found, expected)
            caught |= expected
        # The moments do catch cases at risk, of every urgency and both stages.
        caught = [case for case in cases if case.pk in caught]
        self.assertEqual({c.urgency for c in caught}, set(Urgency.values))
        self.assertEqual({c.status for c in caught}, {Status.DISPATCHED, Status.ACCEPTED})
