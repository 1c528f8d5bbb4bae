"""No page shows a case outside the viewer's scope: every role opens every
page, and every case number on it must be one that role may see."""

import re

from django.urls import reverse

from huying.cases import steps
from huying.cases.scope import visible_cases
from huying.console.tests.base import WebTestCase

NUMBER = re.compile(r"YX\d{12}")
PAGES = [
    ("console:cases", {}), ("console:search", {"q": "垃圾"}), ("console:search", {"q": "YX"}),
    ("console:search", {"q": "13812345678"}), ("console:dispatch", {}), ("console:supervise", {}),
    ("console:followups", {}), ("console:intake", {}),
    *[("console:inbox", {"tab": tab}) for tab in ("mine", "below", "returns", "co", "done")],
    ("console:cases", {"status": "replied"}),
]


class ScopeTestCase(WebTestCase):
    def setUp(self):
        super().setUp()
        # One case in each corner of the district, in several states.
        self.case_at_street = self.dispatched_case(title="洪桥街道的垃圾")
        self.case_other_street = self.dispatched_case(title="北京街道的垃圾", community=self.other_community, lead=self.other_street)
        self.case_at_department = self.dispatched_case(title="加装电梯", category=self.lifts, lead=self.housing)
        self.case_waiting = self.new_case(title="待派单的垃圾", community=self.other_community)
        self.case_passed_down = self.dispatched_case(title="转社区的垃圾")
        steps.accept(self.case_passed_down, self.street_handler)
        steps.dispatch_down(self.case_passed_down, self.street_handler, to=self.community)
        self.case_replied = self.replied_case(title="已答复的垃圾", community=self.other_community, lead=self.other_street)
        self.case_co_case = self.dispatched_case(title="联办", co_units=[self.housing])
        self.all = [self.case_at_street, self.case_other_street, self.case_at_department, self.case_waiting,
                    self.case_passed_down, self.case_replied, self.case_co_case]

    def replied_case(self, **fields):
        lead = fields.pop("lead", self.street)
        case = self.dispatched_case(lead=lead, **fields)
        handler = self.outsider if lead == self.other_street else self.street_handler
        steps.accept(case, handler)
        return steps.reply(case, handler, text="已处理")

    def dispatched_case(self, lead=None, co_units=(), **fields):
        case = self.new_case(**fields)
        return steps.dispatch(case, self.dispatcher, lead=lead or self.street, co_units=co_units)

    def test_no_page_shows_a_case_outside_scope(self):
        for who, user in self.everyone.items():
            allowed = set(visible_cases(user).values_list("number", flat=True))
            self.client.force_login(user)
            for name, params in PAGES:
                with self.subTest(actor=who, page=name, params=params):
                    response = self.client.get(reverse(name), params, follow=True)
                    shown = set(NUMBER.findall(response.content.decode()))
                    self.assertLessEqual(shown, allowed, f"{who} saw {shown - allowed} on {name} {params}")

    def test_case_pages_outside_scope_are_not_found(self):
        for who, user in self.everyone.items():
            allowed = set(visible_cases(user).values_list("pk", flat=True))
            self.client.force_login(user)
            for case in self.all:
                with self.subTest(actor=who, case=case.title):
                    response = self.client.get(reverse("console:case", args=[case.number]))
                    if who == "citizen":
                        self.assertEqual(response.status_code, 403)
                    else:
                        self.assertEqual(response.status_code, 200 if case.pk in allowed else 404)

    def test_acting_outside_scope_is_not_found_and_changes_nothing(self):
        self.client.force_login(self.outsider)
        for action in ("accept", "return", "reply", "urge"):
            with self.subTest(action=action):
                response = self.client.post(reverse("console:act", args=[self.case_at_street.number, action]), {"reason": "x", "text": "x"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.fresh(self.case_at_street).version, self.case_at_street.version)

    def test_what_each_handler_sees(self):
        expect = {
            # The lift case happened in 登峰社区: on the street's and community's ground.
            "street": {self.case_at_street, self.case_at_department, self.case_passed_down, self.case_co_case},
            "community": {self.case_at_street, self.case_at_department, self.case_passed_down, self.case_co_case},
            "department": {self.case_at_department, self.case_co_case},
            "outsider": {self.case_other_street, self.case_waiting, self.case_replied},
        }
        for who, cases in expect.items():
            with self.subTest(actor=who):
                self.client.force_login(self.everyone[who])
                shown = set(NUMBER.findall(self.client.get(reverse("console:cases")).content.decode()))
                self.assertEqual(shown, {c.number for c in cases})
