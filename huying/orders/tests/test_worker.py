"""The worker: orders falling behind plan or past their deadline are
marked and urged, again every few working days; two workers never urge one
order twice."""

from huying.orders import steps
from huying.orders.models import Notice, Order, OrderEvent, Status
from huying.orders.tests.base import OrdersTestCase
from huying.sla import worker
from huying.test import RaceTestCase, at, at_once

# Given Tue 3 Mar 2026 10:00, due ten days later: on track for one day.
DEADLINE = at(2026, 3, 13, 10, 0)


class OrderWorkerTestCase(OrdersTestCase):
    def give_short(self, **fields):
        return self.give(deadline=DEADLINE, **fields)

    def test_the_job_runs_with_the_case_jobs(self):
        self.assertIn("orders_due", worker.tick(at(2026, 3, 3, 11, 0)))

    def test_falling_behind_is_marked_and_urged_once(self):
        order = self.give_short()
        self.assertEqual(order.check_at, at(2026, 3, 4, 10, 0, 1))
        self.assertEqual(worker.tick(at(2026, 3, 4, 10, 0))["orders_due"], 0)
        Notice.objects.all().delete()
        self.assertEqual(worker.tick(at(2026, 3, 4, 10, 1))["orders_due"], 1)
        order = self.fresh_order(order)
        self.assertEqual((order.status, order.urge_count, order.urged_at), (Status.AT_RISK, 1, at(2026, 3, 4, 10, 1)))
        self.assertEqual(list(order.events.values_list("action", "actor")[1:]), [("status", None), ("urge", None)])
        self.assertEqual(list(Notice.objects.values_list("unit", flat=True)), [self.housing.pk])
        # Nothing more until it is due another urge, five working days on.
        self.assertEqual(order.check_at, at(2026, 3, 11, 10, 1))
        self.assertEqual(worker.tick(at(2026, 3, 11, 10, 0))["orders_due"], 0)
        self.assertEqual(worker.tick(at(2026, 3, 11, 10, 1))["orders_due"], 1)
        self.assertEqual(list(self.fresh_order(order).events.values_list("action", flat=True)), ["give", "status", "urge", "urge"])

    def test_past_the_deadline_is_late_and_urged_every_five_working_days(self):
        order = self.give_short()
        worker.tick(at(2026, 3, 4, 10, 1))
        steps.urge(self.fresh_order(order), self.leader, now=at(2026, 3, 10, 9, 0))  # a person's urge counts too
        self.assertEqual(worker.tick(at(2026, 3, 13, 10, 1))["orders_due"], 1)
        order = self.fresh_order(order)
        self.assertEqual((order.status, order.urge_count), (Status.LATE, 3))
        self.assertEqual(order.check_at, at(2026, 3, 20, 10, 1))  # five working days later
        self.assertEqual(worker.tick(at(2026, 3, 20, 10, 1))["orders_due"], 1)
        order = self.fresh_order(order)
        self.assertEqual((order.status, order.urge_count), (Status.LATE, 4))
        self.assertEqual(list(order.events.values_list("action", flat=True)),
                         ["give", "status", "urge", "urge", "status", "urge", "urge"])

    def test_lagging_units_are_urged_with_the_lead(self):
        order = self.give_short(co_units=[])
        steps.assign(order, self.department_handler, unit=self.street, quantity=100, now=self.now)
        part = steps.assign(self.fresh_order(order), self.department_handler, unit=self.other_street, quantity=100, now=self.now)
        progress = steps.report(part, self.outsider, quantity=100, text="北京街道已完成", now=self.now)
        steps.approve(progress, self.department_handler, now=self.now)
        Notice.objects.all().delete()
        worker.tick(at(2026, 3, 9, 10, 0))  # 60 % of the time, 33 % done: at risk
        self.assertEqual(self.fresh_order(order).status, Status.AT_RISK)
        self.assertEqual(set(Notice.objects.values_list("unit__code", flat=True)), {"dept-housing", "440104001"})

    def test_progress_back_on_plan_stops_the_urging(self):
        order = self.give_short(target=10)
        worker.tick(at(2026, 3, 4, 10, 1))
        part = steps.assign(self.fresh_order(order), self.department_handler, unit=self.street, quantity=10, now=self.now)
        progress = steps.report(part, self.street_handler, quantity=5, text="完成5台", now=at(2026, 3, 5, 9, 0))
        steps.approve(progress, self.department_handler, now=at(2026, 3, 5, 10, 0))
        order = self.fresh_order(order)
        self.assertEqual(order.status, Status.ON_TRACK)
        self.assertEqual(order.check_at, at(2026, 3, 9, 10, 0, 1))  # 60 % of the time
        self.assertEqual(worker.tick(at(2026, 3, 9, 10, 0))["orders_due"], 0)
        self.assertEqual(self.fresh_order(order).urge_count, 1)

    def test_a_person_acting_first_wins(self):
        order = self.give_short()
        stale = self.fresh_order(order)
        steps.urge(order, self.supervisor, message="请加快", now=at(2026, 3, 4, 10, 0))
        from huying.orders.worker import review

        self.assertEqual(review(stale, at(2026, 3, 4, 10, 1)), 0)  # the worker's copy is out of date
        self.assertEqual(OrderEvent.objects.filter(order=order, action="urge").count(), 1)


class TwoOrderWorkersTestCase(RaceTestCase):
    def test_two_workers_at_once_urge_each_order_once(self):
        for i in range(20):
            steps.give(self.leader, title=f"任务{i}", target=10, measure="项", deadline=DEADLINE, lead_unit=self.housing, now=self.now)
        later = at(2026, 3, 5, 10, 0)
        counts = at_once(lambda: worker.tick(later)["orders_due"])
        self.assertEqual(sum(counts), 20, counts)
        self.assertEqual(OrderEvent.objects.filter(action="urge").count(), 20)
        self.assertEqual(set(Order.objects.values_list("urge_count", "status")), {(1, Status.AT_RISK)})
