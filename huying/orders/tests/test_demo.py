"""The demo's orders: the seed report's ten livelihood projects, confirmed
through the real steps, with progress, statuses and linked lift cases."""

from huying.cases import steps as case_steps
from huying.orders import demo
from huying.orders.models import Order, OrderEvent, Progress, Project, Status
from huying.org.models import Membership as M
from huying.org.models import Unit
from huying.test import BaseTestCase, at


class DemoOrdersTestCase(BaseTestCase):
    now = at(2026, 11, 20, 10, 0)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The departments the demo's projects go to, and 18 streets in all
        # (loading the whole deployment would take far longer).
        for code in ("dept-health", "dept-edu", "dept-culture", "dept-market", "dept-emergency", "dept-fire",
                     "dept-civil", "dept-disabled"):
            cls.unit(code, code, Unit.DEPARTMENT, cls.district)
        for n in range(4, 20):
            cls.unit(f"4401040{n:02d}", f"街道{n}", Unit.STREET, cls.district)
        cls.lifts_category = cls.category("01.01.02", ["城乡建设", "住房管理", "旧楼加装电梯"], cls.housing)

    def test_load_makes_the_ten_projects_with_progress(self):
        case = self.new_case(category=self.lifts_category, title="旧楼加装电梯施工扰民")
        case_steps.dispatch(case, self.dispatcher, lead=self.housing, now=self.now)

        self.assertEqual(demo.load(self.now), 21)
        self.assertEqual(Project.objects.filter(public=True).count(), 10)
        orders = Order.objects.all()
        self.assertEqual(orders.count(), 21)
        statuses = set(orders.values_list("status", flat=True))
        self.assertTrue({Status.ON_TRACK, Status.AT_RISK, Status.DONE} <= statuses, statuses)
        self.assertTrue(Progress.objects.filter(state=Progress.PENDING).exists())
        lifts = Order.objects.get(title__contains="加装电梯", target=300)
        self.assertEqual((lifts.assignments.count(), sum(a.quantity for a in lifts.assignments.all())), (18, 300))
        self.assertGreater(lifts.done, 0)
        self.assertEqual(list(lifts.case_links.values_list("case", flat=True)), [case.pk])
        self.assertTrue(all(o.deadline == at(2026, 12, 31, 23, 59, 59) for o in orders))
        # The street's demo handler reported; the housing department's handler approved.
        approved = Progress.objects.filter(order=lifts, assignment__unit=self.street_of("440104001"), state=Progress.APPROVED).first()
        if approved:
            self.assertEqual(approved.decided_by.memberships.get().unit.code, "dept-housing")
        # Loading again changes nothing.
        events = OrderEvent.objects.count()
        self.assertEqual(demo.load(self.now), 21)
        self.assertEqual(OrderEvent.objects.count(), events)

    def test_missing_people_are_named(self):
        M.objects.filter(role=M.LEADER).delete()
        with self.assertRaises(demo.Missing):
            demo.load(self.now)
        self.assertFalse(Order.objects.exists())

    def street_of(self, code):
        return Unit.objects.get(code=code)
