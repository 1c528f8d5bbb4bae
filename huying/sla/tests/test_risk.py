"""The one "at risk" rule: less than a quarter of the stage's time limit
left, counted in the limit's own unit."""

import datetime as dt

from huying.cases.models import Case
from huying.sla.risk import Risk
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
