"""Status from progress against time, and when the worker must look again."""

import datetime as dt
from decimal import Decimal

from django.test import SimpleTestCase, override_settings

from huying.orders import status
from huying.orders.models import Order, Status
from huying.test import at

START, DEADLINE = at(2026, 1, 1), at(2026, 1, 11)  # ten days


def day(n):
    return START + dt.timedelta(days=n)


class ComputeTestCase(SimpleTestCase):
    def test_on_track_while_within_the_gap_of_the_straight_line(self):
        self.assertEqual(status.compute(0, 100, START, DEADLINE, START), Status.ON_TRACK)
        self.assertEqual(status.compute(0, 100, START, DEADLINE, day(1)), Status.ON_TRACK)  # 10 % behind: the gap
        self.assertEqual(status.compute(40, 100, START, DEADLINE, day(5)), Status.ON_TRACK)
        self.assertEqual(status.compute(90, 100, START, DEADLINE, DEADLINE), Status.ON_TRACK)

    def test_at_risk_when_further_behind(self):
        self.assertEqual(status.compute(0, 100, START, DEADLINE, day(1) + dt.timedelta(minutes=1)), Status.AT_RISK)
        self.assertEqual(status.compute(Decimal("39.99"), 100, START, DEADLINE, day(5)), Status.AT_RISK)

    def test_late_after_the_deadline_and_done_at_the_target(self):
        self.assertEqual(status.compute(99, 100, START, DEADLINE, DEADLINE + dt.timedelta(seconds=1)), Status.LATE)
        self.assertEqual(status.compute(100, 100, START, DEADLINE, day(2)), Status.DONE)
        self.assertEqual(status.compute(120, 100, START, DEADLINE, day(30)), Status.DONE)

    @override_settings(ORDERS_AT_RISK_GAP=30)
    def test_the_gap_is_a_setting(self):
        self.assertEqual(status.compute(25, 100, START, DEADLINE, day(5)), Status.ON_TRACK)
        self.assertEqual(status.compute(19, 100, START, DEADLINE, day(5)), Status.AT_RISK)

    def test_the_moment_work_falls_behind(self):
        self.assertEqual(status.falls_behind_at(0, 100, START, DEADLINE), day(1) + dt.timedelta(seconds=1))
        self.assertEqual(status.falls_behind_at(50, 100, START, DEADLINE), day(6) + dt.timedelta(seconds=1))
        self.assertIsNone(status.falls_behind_at(95, 100, START, DEADLINE))  # reaches the deadline first

    def test_next_check_is_the_next_change(self):
        order = Order(done=50, target=100, starts_at=START, deadline=DEADLINE)
        self.assertEqual(status.next_check(order, Status.ON_TRACK, day(2)), day(6) + dt.timedelta(seconds=1))
        order.done = 95
        self.assertEqual(status.next_check(order, Status.ON_TRACK, day(2)), DEADLINE + dt.timedelta(microseconds=1))
        self.assertIsNone(status.next_check(order, Status.DONE, day(2)))

    def test_next_check_is_never_in_the_past(self):
        order = Order(done=0, target=100, starts_at=START, deadline=DEADLINE)
        self.assertEqual(status.next_check(order, Status.ON_TRACK, day(3)), day(3) + dt.timedelta(seconds=1))


class QuantityTextTestCase(SimpleTestCase):
    def test_quantities_read_as_people_write_them(self):
        from huying.orders.models import fmt

        self.assertEqual([fmt(Decimal("300.00")), fmt(Decimal("8.60")), fmt(3.7), fmt(0.5), fmt(130000000), fmt(None)],
                         ["300", "8.6", "3.7", "0.5", "130000000", ""])
