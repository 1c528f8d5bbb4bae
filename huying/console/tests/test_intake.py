"""The operator's one-screen intake: save, save and dispatch, or save as a
duplicate; hints while typing; nothing half-written on bad input."""

from django.test import override_settings
from django.urls import reverse

from huying.cases.models import Case, Status
from huying.console.tests.base import WebTestCase

CALL = {
    "kind": "complaint", "channel": "phone", "urgency": "normal", "title": "北京路步行街垃圾堆放",
    "text": "北京路步行街垃圾没人收，堆了好几天。", "citizen_name": "李四", "citizen_phone": "13900002222",
    "address": "北京路步行街", "category": "02.01.01 市容环境 › 环境卫生 › 垃圾清运",
}


class IntakeTestCase(WebTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.operator)

    def post(self, **changes):
        return self.client.post(reverse("console:intake"), CALL | changes)

    def test_save_and_dispatch_in_one_go(self):
        response = self.post(then="dispatch", lead=self.other_street.pk, community=self.other_community.pk)
        self.assertRedirects(response, reverse("console:intake"), fetch_redirect_response=False)
        case = Case.objects.get()
        self.assertEqual((case.status, case.lead_unit, case.street), (Status.DISPATCHED, self.other_street, self.other_street))
        self.assertEqual([e.action for e in case.events.order_by("seq")], ["intake", "dispatch"])
        self.assertContains(self.client.get(reverse("console:intake")), case.number)  # the message links it

    def test_dispatch_without_a_lead_saves_nothing(self):
        response = self.post(then="dispatch")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "请选择主办单位后派单，或仅保存。")
        self.assertFalse(Case.objects.exists())

    def test_bad_input_saves_nothing(self):
        for changes in ({"title": ""}, {"citizen_phone": "电话"}, {"category": "99.99 不存在"},
                        {"community": self.community.pk, "street": self.other_street.pk}, {"confidential": "on"}):
            with self.subTest(changes=changes):
                response = self.post(then="save", **changes)
                self.assertEqual(response.status_code, 200)
        self.assertFalse(Case.objects.exists())

    @override_settings(ROUTING_AUTO_DISPATCH=2)  # never sure enough: suggestions only
    def test_save_only_asks_smart_dispatch_for_suggestions(self):
        self.post(then="save", category="01.01.01 城乡建设 › 住房管理 › 加装电梯")
        case = Case.objects.get()
        self.assertEqual(case.status, Status.NEW)
        self.assertTrue(case.events.filter(action="route").exists())
        self.client.force_login(self.dispatcher)
        page = self.client.get(reverse("console:case", args=[case.number])).content.decode()
        self.assertIn("智能分派建议", page)
        self.assertIn(f'<option value="{self.housing.pk}" selected>', page)

    def test_save_only_is_dispatched_at_once_when_the_rules_are_sure(self):
        self.post(then="save", category="01.01.01 城乡建设 › 住房管理 › 加装电梯")
        case = Case.objects.get()
        self.assertEqual((case.status, case.lead_unit), (Status.DISPATCHED, self.housing))

    def test_save_as_a_duplicate(self):
        main = self.new_case(title="北京路步行街垃圾", community=self.other_community)
        self.post(then=f"merge:{main.number}")
        case = Case.objects.exclude(pk=main.pk).get()
        self.assertEqual((case.status, case.main_case), (Status.MERGED, main))
        self.post(then="merge:YX209901010001", title="另一件")
        self.assertEqual(Case.objects.count(), 2)  # an unknown main case saves nothing

    def test_hints_while_typing(self):
        earlier = self.new_case(title="北京路步行街垃圾没人收", address="北京路步行街", community=self.other_community,
                                citizen_phone="13900002222")
        hints = self.client.post(reverse("console:hints"), CALL).content.decode()
        self.assertIn("北京街道", hints)  # the place of the address
        self.assertIn(f'data-lead="{self.other_street.pk}"', hints)  # territory rule at that street
        self.assertIn(f'data-duplicate="{earlier.number}"', hints)
        self.assertIn("同一电话", hints)

    def test_place_hint_says_found_not_found_or_type_it(self):
        def place_hint(address):
            body = self.client.post(reverse("console:hints"), CALL | {"address": address}).content.decode()
            return body.split("<h3>")[1]  # the place section only

        found = place_hint("北京路步行街")
        self.assertIn("北京街道", found)
        self.assertIn("北京路步行街)", found)  # the words that decided
        self.assertIn("不在本区范围", place_hint("天河区天河路385号"))  # another district
        self.assertIn("输入地址", place_hint(""))

    def test_only_operators_take_calls(self):
        for who in ("dispatcher", "supervisor", "street", "leader", "citizen"):
            with self.subTest(actor=who):
                self.client.force_login(self.everyone[who])
                self.assertEqual(self.client.post(reverse("console:hints"), CALL).status_code, 403)
                self.assertEqual(self.post(then="save").status_code, 403)
        self.assertFalse(Case.objects.exists())
