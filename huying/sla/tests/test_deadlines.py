"""Accept and reply deadlines by kind and urgency, and how the steps move them.

The brief (Guangdong 12345 practice): reply within 2 working days for a
consultation, 10 for help and suggestions, 15 for complaints and reports;
urgent 24 h, very urgent 2 h. Accept within 1 working day (24 h when urgent).
Very urgent cases must be accepted within 1 h, since the whole reply is due
in 2. Praise, which the brief leaves open, gets 5 working days.

Expected times are counted by hand on the 2026 schedule: Spring Festival
off Sun 15 – Mon 23 Feb, make-up working Saturdays 14 and 28 Feb.
"""

from decimal import Decimal

from huying.cases import steps
from huying.cases.models import Kind, Satisfaction, Status, Urgency
from huying.sla import calendar, deadlines
from huying.sla.models import Limit
from huying.test import BaseTestCase, at

ALL_KINDS = [Kind.CONSULT, Kind.HELP, Kind.SUGGESTION, Kind.COMPLAINT, Kind.REPORT, Kind.PRAISE]


class ByKindAndUrgency:
    def check(self, start, expected_accept, reply_by_kind, urgency):
        for kind in ALL_KINDS:
            with self.subTest(kind=kind, urgency=urgency):
                self.assertEqual(deadlines.accept_due(kind, urgency, start), expected_accept)
                self.assertEqual(deadlines.reply_due(kind, urgency, start), reply_by_kind[kind])

    def test_normal_cases_on_an_ordinary_tuesday(self):
        # From Tue 3 Mar 10:00: +2 Thu 5, +5 Tue 10, +10 Tue 17, +15 Tue 24 Mar.
        self.check(at(2026, 3, 3, 10, 0), at(2026, 3, 4, 10, 0), {
            Kind.CONSULT: at(2026, 3, 5, 10, 0),
            Kind.HELP: at(2026, 3, 17, 10, 0), Kind.SUGGESTION: at(2026, 3, 17, 10, 0),
            Kind.COMPLAINT: at(2026, 3, 24, 10, 0), Kind.REPORT: at(2026, 3, 24, 10, 0),
            Kind.PRAISE: at(2026, 3, 10, 10, 0),
        }, Urgency.NORMAL)

    def test_normal_cases_on_the_friday_before_spring_festival(self):
        # Working days after Fri 13 Feb: Sat 14 | 24 25 26 27 Sat 28 | 2 3 4 5 6 | 9 10 11 12 Mar.
        self.check(at(2026, 2, 13, 10, 0), at(2026, 2, 14, 10, 0), {
            Kind.CONSULT: at(2026, 2, 24, 10, 0),
            Kind.HELP: at(2026, 3, 5, 10, 0), Kind.SUGGESTION: at(2026, 3, 5, 10, 0),
            Kind.COMPLAINT: at(2026, 3, 12, 10, 0), Kind.REPORT: at(2026, 3, 12, 10, 0),
            Kind.PRAISE: at(2026, 2, 27, 10, 0),
        }, Urgency.NORMAL)

    def test_urgent_cases_count_hours_straight_through_the_holiday(self):
        start = at(2026, 2, 21, 20, 0)  # a Saturday inside the Spring Festival holiday
        self.check(start, at(2026, 2, 22, 20, 0), dict.fromkeys(ALL_KINDS, at(2026, 2, 22, 20, 0)), Urgency.URGENT)

    def test_very_urgent_cases(self):
        start = at(2026, 2, 21, 20, 0)
        self.check(start, at(2026, 2, 21, 21, 0), dict.fromkeys(ALL_KINDS, at(2026, 2, 21, 22, 0)), Urgency.VERY_URGENT)

    def test_an_unknown_kind_still_gets_a_deadline(self):
        self.assertEqual(deadlines.reply_due("other", Urgency.NORMAL, at(2026, 3, 3, 10, 0)), at(2026, 3, 24, 10, 0))


class DeploymentLimits:
    def test_a_deployment_row_overrides_the_default(self):
        Limit.objects.create(kind=Kind.COMPLAINT, urgency=Urgency.NORMAL, accept=2, accept_unit=Limit.HOURS,
                             reply=7, reply_unit=Limit.WORKDAYS)
        start = at(2026, 3, 3, 10, 0)
        self.assertEqual(deadlines.accept_due(Kind.COMPLAINT, Urgency.NORMAL, start), at(2026, 3, 3, 12, 0))
        # 4 5 6 | 9 10 11 12 Mar
        self.assertEqual(deadlines.reply_due(Kind.COMPLAINT, Urgency.NORMAL, start), at(2026, 3, 12, 10, 0))
        # Other kinds keep the defaults.
        self.assertEqual(deadlines.reply_due(Kind.REPORT, Urgency.NORMAL, start), at(2026, 3, 24, 10, 0))

    def test_a_kind_row_beats_the_any_kind_row(self):
        Limit.objects.create(kind=deadlines.ANY_KIND, urgency=Urgency.URGENT, accept=4, accept_unit=Limit.HOURS,
                             reply=12, reply_unit=Limit.HOURS)
        Limit.objects.create(kind=Kind.COMPLAINT, urgency=Urgency.URGENT, accept=4, accept_unit=Limit.HOURS,
                             reply=48, reply_unit=Limit.HOURS)
        start = at(2026, 3, 3, 10, 0)
        self.assertEqual(deadlines.accept_due(Kind.HELP, Urgency.URGENT, start), at(2026, 3, 3, 14, 0))
        self.assertEqual(deadlines.reply_due(Kind.HELP, Urgency.URGENT, start), at(2026, 3, 3, 22, 0))
        self.assertEqual(deadlines.reply_due(Kind.COMPLAINT, Urgency.URGENT, start), at(2026, 3, 5, 10, 0))

    def test_half_a_working_day(self):
        Limit.objects.create(kind=Kind.CONSULT, urgency=Urgency.NORMAL, accept=Decimal("0.5"),
                             accept_unit=Limit.WORKDAYS, reply=1, reply_unit=Limit.WORKDAYS)
        # Friday 13 Feb 18:00 + 0 whole days + 12 h of clock time.
        self.assertEqual(deadlines.accept_due(Kind.CONSULT, Urgency.NORMAL, at(2026, 2, 13, 18, 0)), at(2026, 2, 14, 6, 0))

    def test_install_defaults_is_idempotent_and_keeps_edits(self):
        deadlines.install_defaults()
        self.assertEqual(Limit.objects.count(), len(deadlines.DEFAULTS))
        Limit.objects.filter(kind=Kind.COMPLAINT, urgency=Urgency.NORMAL).update(reply=20)
        deadlines.install_defaults()
        self.assertEqual(Limit.objects.count(), len(deadlines.DEFAULTS))
        self.assertEqual(Limit.objects.get(kind=Kind.COMPLAINT, urgency=Urgency.NORMAL).reply, 20)
        # 4 5 6 | 9-13 | 16-20 | 23-27 | 30 31 Mar
        self.assertEqual(deadlines.reply_due(Kind.COMPLAINT, Urgency.NORMAL, at(2026, 3, 3, 10, 0)), at(2026, 3, 31, 10, 0))


class ExtensionAndUrging:
    def test_an_extension_counts_on_from_the_old_deadline(self):
        # Thu 12 Feb + 3: Fri 13, Sat 14 (make-up), Tue 24 Feb.
        self.assertEqual(deadlines.extended(at(2026, 2, 12, 10, 0), 3), at(2026, 2, 24, 10, 0))

    def test_urge_the_next_working_day(self):
        cases = [
            (at(2026, 3, 6, 10, 0), at(2026, 3, 9, 10, 0)),  # Friday → Monday
            (at(2026, 2, 13, 10, 0), at(2026, 2, 14, 10, 0)),  # Friday → make-up Saturday
            (at(2026, 2, 14, 10, 0), at(2026, 2, 24, 10, 0)),  # make-up Saturday → after the festival
            (at(2025, 12, 31, 10, 0), at(2026, 1, 4, 10, 0)),  # New Year's Eve → make-up Sunday
        ]
        for due, expected in cases:
            with self.subTest(due=due):
                self.assertEqual(deadlines.urge_time(Kind.COMPLAINT, Urgency.NORMAL, due), expected)

    def test_urge_hour_based_deadlines_at_once(self):
        due = at(2026, 2, 21, 22, 0)
        self.assertEqual(deadlines.urge_time(Kind.HELP, Urgency.URGENT, due), due)
        self.assertEqual(deadlines.urge_time(Kind.HELP, Urgency.VERY_URGENT, due), due)

    def test_urge_follows_a_deployment_limit_in_hours(self):
        Limit.objects.create(kind=Kind.COMPLAINT, urgency=Urgency.NORMAL, accept=4, accept_unit=Limit.HOURS,
                             reply=48, reply_unit=Limit.HOURS)
        due = at(2026, 3, 6, 10, 0)
        self.assertEqual(deadlines.urge_time(Kind.COMPLAINT, Urgency.NORMAL, due), due)


class ThroughTheSteps:
    """The deadlines a case carries, set and moved by the real steps."""

    def test_dispatch_on_the_friday_before_the_festival(self):
        self.now = at(2026, 2, 13, 10, 0)
        case = self.dispatched_case(kind=Kind.CONSULT)
        self.assertEqual(case.accept_due, at(2026, 2, 14, 10, 0))
        self.assertEqual(case.reply_due, at(2026, 2, 24, 10, 0))
        # A missed accept deadline on the make-up Saturday is urged after the holiday.
        self.assertEqual(case.urge_at, at(2026, 2, 24, 10, 0))
        self.assertStored(case, accept_due=at(2026, 2, 14, 10, 0), reply_due=at(2026, 2, 24, 10, 0))

    def test_a_case_received_on_a_saturday(self):
        self.now = at(2026, 3, 7, 14, 0)
        case = self.dispatched_case()  # a complaint
        self.assertEqual(case.accept_due, at(2026, 3, 10, 0, 0))
        self.assertEqual(case.reply_due, at(2026, 3, 30, 0, 0))

    def test_an_urgent_case_in_the_holiday(self):
        self.now = at(2026, 2, 21, 20, 0)
        case = self.dispatched_case(urgency=Urgency.URGENT)
        self.assertEqual((case.accept_due, case.reply_due, case.urge_at), (at(2026, 2, 22, 20, 0),) * 3)

    def test_accepting_moves_the_urge_to_the_reply_deadline(self):
        self.now = at(2026, 2, 2, 10, 0)
        case = self.accepted_case()  # a complaint
        # 3 4 5 6 | 9-13 | Sat 14 | 24 25 26 27 | Sat 28 Feb
        self.assertEqual(case.reply_due, at(2026, 2, 28, 10, 0))
        self.assertEqual(case.urge_at, at(2026, 3, 2, 10, 0))

    def test_extensions_across_the_spring_festival(self):
        self.now = at(2026, 2, 11, 10, 0)
        case = self.dispatched_case(kind=Kind.CONSULT)
        self.assertEqual((case.accept_due, case.reply_due), (at(2026, 2, 12, 10, 0), at(2026, 2, 13, 10, 0)))
        steps.accept(case, self.street_handler, now=at(2026, 2, 11, 15, 0))
        self.assertEqual(case.urge_at, at(2026, 2, 14, 10, 0))

        steps.request_extension(case, self.street_handler, days=3, reason="需协调物业", now=at(2026, 2, 12, 9, 0))
        self.assertEqual(case.reply_due, at(2026, 2, 13, 10, 0))  # unchanged until approved
        steps.approve_extension(case, self.supervisor, now=at(2026, 2, 12, 16, 0))
        # Fri 13 + 3: Sat 14, Tue 24, Wed 25 Feb.
        self.assertStored(case, reply_due=at(2026, 2, 25, 10, 0), urge_at=at(2026, 2, 26, 10, 0),
                          supervise_at=None, extension_count=1, extension_days=None)

        steps.request_extension(case, self.street_handler, days=3, reason="等待检测报告", now=at(2026, 2, 24, 9, 0))
        steps.approve_extension(case, self.supervisor, now=at(2026, 2, 24, 11, 0))
        # Wed 25 + 3: Thu 26, Fri 27, Sat 28 Feb (make-up); urged Monday 2 Mar.
        self.assertStored(case, reply_due=at(2026, 2, 28, 10, 0), urge_at=at(2026, 3, 2, 10, 0), extension_count=2)

    def test_a_rejected_extension_keeps_the_deadline(self):
        self.now = at(2026, 2, 11, 10, 0)
        case = self.accepted_case(kind=Kind.CONSULT)
        steps.request_extension(case, self.street_handler, days=3, reason="需协调物业", now=at(2026, 2, 12, 9, 0))
        steps.reject_extension(case, self.supervisor, reason="可按期办结", now=at(2026, 2, 12, 10, 0))
        self.assertStored(case, reply_due=at(2026, 2, 13, 10, 0), urge_at=at(2026, 2, 14, 10, 0), extension_count=0)

    def test_reopen_on_spring_festival_day_starts_after_the_holiday(self):
        self.now = at(2026, 2, 9, 10, 0)
        case = self.replied_case()  # a complaint, replied on Mon 9 Feb
        self.assertEqual(case.followup_due, at(2026, 2, 10, 10, 0))
        steps.follow_up(case, self.operator, resolved=False, satisfaction=Satisfaction.UNSATISFIED,
                        now=at(2026, 2, 17, 10, 0))
        # Counting starts Tue 24 Feb 00:00: accept by Wed 25; reply 15 working
        # days on: 25 26 27 Sat 28 | 2-6 | 9-13 | 16 Mar.
        self.assertStored(case, status=Status.DISPATCHED, reopen_count=1, accept_due=at(2026, 2, 25, 0, 0),
                          reply_due=at(2026, 3, 16, 0, 0), urge_at=at(2026, 2, 26, 0, 0), followup_due=None)

        steps.accept(case, self.street_handler, now=at(2026, 2, 25, 9, 0))
        steps.reply(case, self.street_handler, text="已再次清运。", now=at(2026, 2, 27, 15, 0))
        self.assertEqual(case.followup_due, at(2026, 2, 28, 15, 0))  # the make-up Saturday
        steps.follow_up(case, self.operator, resolved=True, satisfaction=Satisfaction.UNSATISFIED,
                        now=at(2026, 2, 28, 16, 0))
        # From Sat 28 Feb 16:00: accept Mon 2 Mar; reply 2-6 | 9-13 | 16-20 Mar.
        self.assertStored(case, reopen_count=2, accept_due=at(2026, 3, 2, 16, 0), reply_due=at(2026, 3, 20, 16, 0),
                          urge_at=at(2026, 3, 3, 16, 0))

    def test_a_supervisor_reopens_on_the_friday_before_the_festival(self):
        self.now = at(2026, 2, 9, 10, 0)
        case = self.replied_case()
        steps.reopen(case, self.supervisor, reason="现场复核仍有垃圾", now=at(2026, 2, 13, 16, 0))
        # Sat 14 | 24 25 26 27 Sat 28 | 2-6 | 9 10 11 12 Mar
        self.assertStored(case, status=Status.DISPATCHED, accept_due=at(2026, 2, 14, 16, 0),
                          reply_due=at(2026, 3, 12, 16, 0), urge_at=at(2026, 2, 24, 16, 0))

    def assertStored(self, case, **expected):
        """The values on the object the step returned and in the database."""
        stored = self.fresh(case)
        for name, value in expected.items():
            with self.subTest(field=name):
                self.assertEqual(getattr(case, name), value)
                self.assertEqual(getattr(stored, name), value)


class DeadlinesTest(ByKindAndUrgency, DeploymentLimits, ExtensionAndUrging, ThroughTheSteps, BaseTestCase):
    """The groups above share one BaseTestCase world, which is slow to build."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        calendar.load_national([2025, 2026])  # the years counted on here, whatever the base loads


class UrgeStageTestCase(BaseTestCase):
    def test_accept_limit_in_hours_is_urged_at_once(self):
        from huying.sla.models import Limit

        Limit.objects.update_or_create(kind="complaint", urgency="normal", defaults={
            "accept": 4, "accept_unit": Limit.HOURS, "reply": 15, "reply_unit": Limit.WORKDAYS})
        due = at(2026, 3, 3, 14, 0)
        self.assertEqual(deadlines.urge_time("complaint", "normal", due, "accept"), due)
        self.assertEqual(deadlines.urge_time("complaint", "normal", due), at(2026, 3, 4, 14, 0))
