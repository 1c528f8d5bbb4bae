"""Calls meet orders: cases linked to an order, and a hotspot that starts
an order (未诉先办) with its cases linked."""

from huying.cases.errors import BadInput, NotAllowed, WrongState
from huying.orders import steps
from huying.orders.hotspot import start_order_from_hotspot
from huying.orders.models import CaseOrder, Notice, Order, Source
from huying.orders.tests.base import OrdersTestCase
from huying.test import at


class LinkTestCase(OrdersTestCase):
    def test_a_lift_complaint_is_linked_to_the_lift_order(self):
        order = self.give()
        case = self.dispatched_case(lead=self.housing, category=self.lifts, title="加装电梯审批太慢")
        steps.link_case(order, case, self.dispatcher, now=self.now)
        self.assertEqual(list(order.case_links.values_list("case__number", flat=True)), [case.number])
        self.assertEqual(list(case.order_links.values_list("order__title", flat=True)), ["旧楼加装电梯"])
        event = order.events.last()
        self.assertEqual((event.action, event.changes), ("link_case", {"case": case.pk, "number": case.number}))
        with self.assertRaises(WrongState):
            steps.link_case(self.fresh_order(order), case, self.dispatcher, now=self.now)

    def test_unlinking_needs_a_reason_and_stays_on_record(self):
        order = self.give()
        case = self.dispatched_case(lead=self.housing, category=self.lifts)
        steps.link_case(order, case, self.department_handler, now=self.now)
        with self.assertRaises(BadInput):
            steps.unlink_case(order, case, self.department_handler, reason="", now=self.now)
        steps.unlink_case(order, case, self.department_handler, reason="与加装电梯无关", now=self.now)
        self.assertFalse(CaseOrder.objects.exists())
        self.assertEqual(list(order.events.values_list("action", flat=True)), ["give", "link_case", "unlink_case"])
        with self.assertRaises(BadInput):
            steps.unlink_case(order, case, self.department_handler, reason="再次", now=self.now)


class HotspotTestCase(OrdersTestCase):
    def complaints(self, n=3, **fields):
        return [self.dispatched_case(title="农贸市场夜间噪音", **fields) for _ in range(n)]

    def test_a_hotspot_starts_an_order_with_its_cases(self):
        cases = self.complaints()
        order = start_order_from_hotspot(self.leader, title="整治登峰农贸市场夜间噪音", place="登峰农贸市场",
                                         case_ids=[c.pk for c in cases], now=self.now)
        order = Order.objects.get(pk=order.pk)
        self.assertEqual((order.source, order.lead_unit, order.target, order.measure),
                         (Source.HOTSPOT, self.street, 3, "件"))  # the unit the cases went to
        self.assertEqual(order.deadline, at(2026, 3, 24, 10, 0))  # 15 working days
        self.assertIn("登峰农贸市场", order.text)
        self.assertEqual(set(order.case_links.values_list("case", flat=True)), {c.pk for c in cases})
        self.assertEqual(list(order.events.values_list("action", flat=True)), ["give"] + ["link_case"] * 3)
        self.assertTrue(Notice.objects.filter(unit=self.street, order=order).exists())

    def test_a_unit_as_place_leads_and_case_numbers_work(self):
        cases = self.complaints(2)
        order = start_order_from_hotspot(self.supervisor, title="社区噪音专项整治", place=self.community,
                                         case_ids=[cases[0].number, str(cases[1].pk)], target=1, measure="项", now=self.now)
        self.assertEqual((order.lead_unit, order.target, order.measure, order.given_by), (self.community, 1, "项", self.supervisor))
        self.assertEqual(order.case_links.count(), 2)

    def test_bad_hotspot_input_writes_nothing(self):
        cases = self.complaints(1)
        for kwargs, error, message in [
            ({"case_ids": []}, BadInput, "cases"),
            ({"case_ids": [cases[0].pk, 999999]}, BadInput, "999999"),
            ({"case_ids": ["YX000"]}, BadInput, "YX000"),
            ({"title": ""}, BadInput, "title"),
            ({"place": self.district}, BadInput, "越秀区"),
        ]:
            with self.subTest(kwargs=kwargs):
                values = {"title": "噪音整治", "place": "市场", "case_ids": [cases[0].pk]} | kwargs
                with self.assertRaises(error) as caught:
                    start_order_from_hotspot(self.leader, now=self.now, **values)
                self.assertIn(message, str(caught.exception))
        self.assertFalse(Order.objects.exists())
        self.assertFalse(CaseOrder.objects.exists())

    def test_no_lead_unit_to_be_found_asks_for_one(self):
        case = self.new_case(community=None, address="")  # not dispatched, no place
        with self.assertRaises(BadInput):
            start_order_from_hotspot(self.leader, title="噪音整治", place="", case_ids=[case.pk], now=self.now)
        order = start_order_from_hotspot(self.leader, title="噪音整治", place="", case_ids=[case.pk],
                                         lead_unit=self.street, now=self.now)
        self.assertEqual(order.lead_unit, self.street)

    def test_only_cases_the_person_can_see(self):
        street_leader = self.person("street-leader", self.street, "leader")
        elsewhere = self.dispatched_case(lead=self.other_street, community=self.other_community)
        with self.assertRaises(NotAllowed):
            start_order_from_hotspot(street_leader, title="噪音整治", place=self.street, case_ids=[elsewhere.pk], now=self.now)
        self.assertFalse(Order.objects.exists())
