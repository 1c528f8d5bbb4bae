"""Each person sees the cases of their own units and ground, no others."""

from huying.cases import steps
from huying.cases.scope import can_see, visible_cases
from huying.test import BaseTestCase


class ScopeTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.at_street = self.dispatched_case()  # 洪桥街道, in 登峰社区
        self.at_housing = self.dispatched_case(lead=self.housing, category=self.lifts)
        self.elsewhere = self.new_case(community=self.other_community)
        steps.dispatch(self.elsewhere, self.dispatcher, lead=self.other_street, now=self.now)
        self.own = steps.intake(self.citizen, kind="help", channel="web", title="路灯", text="坏了", now=self.now)

    def seen(self, user):
        return set(visible_cases(user).values_list("pk", flat=True))

    def test_every_role(self):
        everything = {self.at_street.pk, self.at_housing.pk, self.elsewhere.pk, self.own.pk}
        expected = {
            "operator": everything, "dispatcher": everything, "supervisor": everything,
            "leader": everything, "admin": everything,
            # The street sees its own and what happens on its ground (the
            # housing case is at 登峰社区 too).
            "street": {self.at_street.pk, self.at_housing.pk},
            "community": {self.at_street.pk, self.at_housing.pk},
            "grid": set(),
            "department": {self.at_housing.pk},
            "outsider": {self.elsewhere.pk},
            "citizen": {self.own.pk},
        }
        for name, user in self.everyone.items():
            with self.subTest(actor=name):
                self.assertEqual(self.seen(user), expected[name])

    def test_passing_down_makes_the_case_visible_below(self):
        steps.accept(self.at_street, self.street_handler, now=self.now)
        steps.dispatch_down(self.at_street, self.street_handler, to=self.grid_unit, now=self.now)
        self.assertTrue(can_see(self.grid_handler, self.at_street))
        self.assertFalse(can_see(self.grid_handler, self.at_housing))

    def test_co_unit_sees_the_case(self):
        steps.dispatch(self.new_case(community=self.other_community), self.dispatcher,
                       lead=self.other_street, co_units=[self.housing], now=self.now)
        self.assertEqual(len(self.seen(self.department_handler)), 2)
