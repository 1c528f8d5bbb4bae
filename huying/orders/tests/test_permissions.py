"""Every order step tried by every role of BaseTestCase: the right ones
succeed, everyone else is refused, and a refusal leaves nothing behind."""

from django.forms.models import model_to_dict

from huying.cases.errors import NotAllowed
from huying.orders import proposals, steps
from huying.orders.hotspot import start_order_from_hotspot
from huying.orders.models import Assignment, CaseOrder, Notice, Order, OrderEvent, Progress, Report
from huying.orders.tests.base import OrdersTestCase

CENTRE = {"operator", "dispatcher", "supervisor"}
REPORT = "2026年青禾区政府工作报告\n\n附件1\n\n2026年十件民生实事\n\n一、旧楼加装电梯。全年完成旧楼加装电梯120台。\n"


class OrderPermissionTestCase(OrdersTestCase):
    def check(self, make, act, allowed, written=lambda: OrderEvent.objects.count()):
        for name, user in self.everyone.items():
            with self.subTest(actor=name):
                subject = make()
                before, count = self.state(), written()
                if name in allowed:
                    act(subject, user)
                    self.assertGreater(written(), count)
                else:
                    with self.assertRaises(NotAllowed):
                        act(subject, user)
                    self.assertEqual(self.state(), before)

    def state(self):
        """Everything an order step may write."""
        return {
            "events": OrderEvent.objects.count(),
            "orders": [model_to_dict(o, exclude=["co_units"]) for o in Order.objects.order_by("pk")],
            "co_units": sorted(Order.co_units.through.objects.values_list("order_id", "unit_id")),
            "assignments": list(Assignment.objects.order_by("pk").values()),
            "progress": list(Progress.objects.order_by("pk").values()),
            "links": CaseOrder.objects.count(),
            "notices": Notice.objects.count(),
            "reports": Report.objects.count(),
        }

    def test_give(self):
        self.check(lambda: None, lambda _, u: steps.give(
            u, title="背街小巷整治", target=40, measure="条", deadline=self.deadline, lead_unit=self.street, now=self.now),
            {"leader"})

    def test_give_is_limited_to_the_leaders_area(self):
        # A leader of 洪桥街道 can give orders to units there, not to 北京街道.
        street_leader = self.person("street-leader", self.street, "leader")
        steps.give(street_leader, title="社区微改造", target=3, measure="个", deadline=self.deadline,
                   lead_unit=self.community, now=self.now)
        with self.assertRaises(NotAllowed):
            steps.give(street_leader, title="社区微改造", target=3, measure="个", deadline=self.deadline,
                       lead_unit=self.other_community, now=self.now)
        with self.assertRaises(NotAllowed):  # a co-unit outside the area is refused too
            steps.give(street_leader, title="社区微改造", target=3, measure="个", deadline=self.deadline,
                       lead_unit=self.community, co_units=[self.other_street], now=self.now)

    def test_assign(self):
        self.check(self.give, lambda o, u: steps.assign(o, u, unit=self.street, quantity=50, now=self.now),
                   {"department", "leader"})

    def test_report_progress(self):
        self.check(lambda: (self.assigned(), self.assignment)[1],
                   lambda a, u: steps.report(a, u, quantity=5, text="完成5台", now=self.now), {"street"})

    def test_report_progress_for_a_community_part(self):
        """A street's handlers may report for the communities below it."""
        def make():
            order = self.give()
            return steps.assign(order, self.department_handler, unit=self.community, quantity=10, now=self.now)

        self.check(make, lambda a, u: steps.report(a, u, quantity=1, text="完成1台", now=self.now),
                   {"street", "community"})

    def test_approve_progress(self):
        self.check(lambda: (self.reported(), self.progress)[1],
                   lambda p, u: steps.approve(p, u, now=self.now), {"department"})

    def test_reject_progress(self):
        self.check(lambda: (self.reported(), self.progress)[1],
                   lambda p, u: steps.reject(p, u, reason="照片与台账不符", now=self.now), {"department"})

    def test_no_one_approves_their_own_report(self):
        order = self.give()
        own = steps.assign(order, self.department_handler, unit=self.housing, quantity=10, now=self.now)
        progress = steps.report(own, self.department_handler, quantity=2, text="完成2台", now=self.now)
        with self.assertRaises(NotAllowed):
            steps.approve(progress, self.department_handler, now=self.now)
        colleague = self.person("department-2", self.housing, "handler")
        steps.approve(progress, colleague, now=self.now)
        self.assertEqual(self.fresh_order(order).done, 2)

    def test_urge(self):
        self.check(self.give, lambda o, u: steps.urge(o, u, message="请加快进度", now=self.now), {"leader", "supervisor"})

    def test_link_case(self):
        def make():
            order = self.give()
            self.lift_case = self.dispatched_case(lead=self.housing, category=self.lifts, title="加装电梯进度慢")
            return order

        self.check(make, lambda o, u: steps.link_case(o, self.lift_case, u, now=self.now),
                   CENTRE | {"department", "leader"})

    def test_link_needs_sight_of_the_case(self):
        order = self.give()
        elsewhere = self.dispatched_case(lead=self.other_street, community=self.other_community)
        with self.assertRaises(NotAllowed):
            steps.link_case(order, elsewhere, self.department_handler, now=self.now)

    def test_start_order_from_hotspot(self):
        def make():
            return [self.dispatched_case(title="菜市场噪音扰民").pk for _ in range(2)]

        self.check(make, lambda ids, u: start_order_from_hotspot(
            u, title="整治农贸市场噪音", place=self.street, case_ids=ids, now=self.now),
            {"leader", "dispatcher", "supervisor"})

    def test_read_a_report(self):
        self.check(lambda: None, lambda _, u: proposals.read(u, title="2026年工作报告", text=REPORT, now=self.now),
                   {"leader"}, written=lambda: Report.objects.count())

    def test_confirm_proposals(self):
        report = proposals.read(self.leader, title="2026年工作报告", text=REPORT, now=self.now)
        self.check(lambda: report, lambda r, u: proposals.confirm(r, [{"key": "7.1", "lead_unit": self.housing}], u, now=self.now),
                   {"leader"})
        self.assertEqual(Order.objects.get(report=report).target, 120)
