"""The order pages through the test client: who sees what, the forms each
role is offered, the actions, the confirm page, the public page and the
data centre's panel."""

import json
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from huying.orders import proposals, steps
from huying.orders.models import Order, Progress, ProgressPhoto, Report
from huying.orders.tests.base import OrdersTestCase, image
from huying.orders.tests.test_extract import MADE_UP

NOW_FREE = "2026年青禾区政府工作报告\n\n附件1\n\n2099年十件民生实事\n\n一、旧楼加装电梯。全年完成旧楼加装电梯120台。\n"


class PagesTestCase(OrdersTestCase):
    # Pages use the real clock: give orders that are due long after today.
    deadline = OrdersTestCase.deadline.replace(year=2099)

    def give(self, **fields):
        return super().give(**({"now": None} | fields))

    def setUp(self):
        super().setUp()
        # Pages answer in the chosen language; messages are checked in English.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def as_(self, user):
        self.client.force_login(user)
        return self.client


class ListAndOrderPageTestCase(PagesTestCase):
    def test_who_sees_the_list_and_the_order(self):
        order = self.give(co_units=[])
        list_url, order_url = reverse("orders:list"), reverse("orders:order", args=[order.pk])
        self.assertEqual(self.client.get(list_url).status_code, 302)  # to the login page
        sees = {"operator", "dispatcher", "supervisor", "department", "leader", "admin"}
        for name, user in self.everyone.items():
            with self.subTest(actor=name):
                page = self.as_(user).get(list_url)
                if name == "citizen":
                    self.assertEqual(page.status_code, 403)
                    continue
                self.assertEqual(page.status_code, 200)
                self.assertEqual(order.title in page.content.decode(), name in sees)
                self.assertEqual(self.client.get(order_url).status_code, 200 if name in sees else 404)

    def test_the_site_navigation_links_the_orders_for_whoever_may_open_them(self):
        list_url = reverse("orders:list")

        def nav(client, url=reverse("public:track")):
            html = client.get(url).content.decode()
            return html.split('<nav class="benches"', 1)[1].split("</nav>", 1)[0] if '<nav class="benches"' in html else ""

        self.assertNotIn(list_url, nav(self.client))  # not logged in
        for name, user in self.everyone.items():
            with self.subTest(actor=name):
                client = self.as_(user)
                may_open = client.get(list_url).status_code == 200
                self.assertEqual(name != "citizen", may_open)
                self.assertEqual(f'href="{list_url}"' in nav(client), may_open)
        self.assertIn(f'href="{list_url}" aria-current="page"', nav(self.as_(self.leader), list_url))

    def test_an_assigned_unit_sees_the_order(self):
        order = self.give(co_units=[])
        steps.assign(order, self.leader, unit=self.community, quantity=5)
        for user, code in ((self.community_handler, 200), (self.street_handler, 200), (self.grid_handler, 404), (self.outsider, 404)):
            with self.subTest(user=user.username):
                self.assertEqual(self.as_(user).get(reverse("orders:order", args=[order.pk])).status_code, code)

    def test_each_role_is_offered_its_forms(self):
        order = self.give()
        part = steps.assign(order, self.department_handler, unit=self.street, quantity=100)
        steps.report(part, self.street_handler, quantity=10, text="完成10台")
        url = reverse("orders:order", args=[order.pk])
        expected = {
            "department": {"assign-form", "name=\"progress\"", "link"},
            "leader": {"assign-form", "orders:act urge", "link"},
            "street": {"report-form"},
            "supervisor": {"orders:act urge", "link"},
        }
        markers = {"assign-form": 'id="assign-form"', "report-form": 'id="report-form"', 'name="progress"': 'name="progress"',
                   "link": f'action="{reverse("orders:act", args=[order.pk, "link"])}"',
                   "orders:act urge": f'action="{reverse("orders:act", args=[order.pk, "urge"])}"'}
        for name in ("department", "leader", "street", "supervisor"):
            with self.subTest(actor=name):
                html = self.as_(self.everyone[name]).get(url).content.decode()
                for key, marker in markers.items():
                    self.assertEqual(marker in html, key in expected[name], f"{name}: {key}")

    def test_assign_report_approve_through_the_page(self):
        order = self.give()
        url = lambda action: reverse("orders:act", args=[order.pk, action])  # noqa: E731
        self.as_(self.department_handler).post(url("assign"), {"unit": self.street.pk, "quantity": "100"})
        part = order.assignments.get()
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            photo = SimpleUploadedFile("现场.jpg", image("JPEG"), "image/jpeg")
            self.as_(self.street_handler).post(url("report"), {"assignment": part.pk, "quantity": "30", "text": "完成30台", "photos": photo})
            progress = Progress.objects.get()
            stored = ProgressPhoto.objects.get()
            self.assertEqual(self.client.get(reverse("orders:photo", args=[stored.pk])).status_code, 200)
            self.assertEqual(self.as_(self.outsider).get(reverse("orders:photo", args=[stored.pk])).status_code, 404)
        page = self.as_(self.department_handler).post(url("approve"), {"progress": progress.pk}, follow=True)
        self.assertContains(page, "30 / 300")
        self.assertEqual(Order.objects.get(pk=order.pk).done, 30)
        listed = self.client.get(reverse("orders:list"))
        self.assertContains(listed, 'value="10"')  # the list's progress bar: 10 %

    def test_a_refusal_is_shown_and_changes_nothing(self):
        order = self.give()
        page = self.as_(self.street_handler).post(reverse("orders:act", args=[order.pk, "assign"]),
                                                  {"unit": self.street.pk, "quantity": "10"}, follow=True)
        self.assertContains(page, "lead unit")
        self.assertFalse(order.assignments.exists())
        page = self.as_(self.department_handler).post(reverse("orders:act", args=[order.pk, "assign"]),
                                                      {"unit": self.street.pk, "quantity": "abc"}, follow=True)
        self.assertContains(page, "number")
        self.assertEqual(self.client.post(reverse("orders:act", args=[order.pk, "nonsense"])).status_code, 404)

    def test_link_and_unlink_a_case_by_number(self):
        order = self.give()
        case = self.dispatched_case(lead=self.housing, category=self.lifts)
        url = lambda action: reverse("orders:act", args=[order.pk, action])  # noqa: E731
        self.as_(self.dispatcher).post(url("link"), {"case": case.number})
        self.assertContains(self.client.get(reverse("orders:order", args=[order.pk])), f'data-case="{case.number}"')
        page = self.client.post(url("link"), {"case": "YX0"}, follow=True)
        self.assertContains(page, "YX0")
        self.client.post(url("unlink"), {"case": case.number, "reason": "无关"})
        self.assertFalse(order.case_links.exists())

    def test_a_leader_gives_an_order_on_the_page(self):
        url = reverse("orders:new")
        self.assertEqual(self.as_(self.department_handler).get(url).status_code, 403)
        data = {"title": "背街小巷整治", "target": "40", "measure": "条", "deadline": "2099-06-30", "lead_unit": self.street.pk,
                "source": "instruction"}
        page = self.as_(self.leader).post(url, data)
        order = Order.objects.get()
        self.assertRedirects(page, reverse("orders:order", args=[order.pk]))
        self.assertEqual((order.target, order.deadline.date().isoformat()), (40, "2099-06-30"))
        page = self.client.post(url, data | {"deadline": "2001-01-01"})
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "future", status_code=400)
        self.assertEqual(Order.objects.count(), 1)


class ConfirmPageTestCase(PagesTestCase):
    def test_read_a_report_and_confirm_on_the_page(self):
        self.as_(self.leader)
        page = self.client.post(reverse("orders:reports"), {"title": "青禾区2022年政府工作报告",
                                                            "file": SimpleUploadedFile("r.txt", MADE_UP.read_bytes())})
        report = Report.objects.get()
        self.assertRedirects(page, reverse("orders:confirm", args=[report.pk]))
        page = self.client.get(reverse("orders:confirm", args=[report.pk]))
        self.assertContains(page, 'data-key="48.1"')
        self.assertFalse(Order.objects.exists())
        # One good row and one without a lead unit: nothing, and the row says why.
        data = {"pick": ["48.1", "50.1"], "title-48.1": "旧楼加装电梯", "target-48.1": "120", "measure-48.1": "台",
                "deadline-48.1": "2099-12-31", "lead-48.1": str(self.housing.pk),
                "title-50.1": "招聘会", "target-50.1": "30", "measure-50.1": "场", "deadline-50.1": "2099-12-31", "lead-50.1": ""}
        page = self.client.post(reverse("orders:confirm", args=[report.pk]), data)
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "lead unit", status_code=400)
        self.assertContains(page, 'value="旧楼加装电梯"', status_code=400)  # what was typed is kept
        self.assertFalse(Order.objects.exists())
        data["lead-50.1"] = str(self.hrss.pk)
        page = self.client.post(reverse("orders:confirm", args=[report.pk]), data, follow=True)
        self.assertEqual(sorted(Order.objects.values_list("report_key", flat=True)), ["48.1", "50.1"])
        self.assertContains(page, "Already orders")

    def test_only_leaders_read_reports(self):
        report = proposals.read(self.leader, title="报告", text=NOW_FREE)
        for user in (self.department_handler, self.dispatcher):
            self.assertEqual(self.as_(user).get(reverse("orders:reports")).status_code, 403)
            self.assertEqual(self.client.get(reverse("orders:confirm", args=[report.pk])).status_code, 403)
        page = self.as_(self.leader).post(reverse("orders:reports"), {"title": "空报告", "text": "  "})
        self.assertEqual(page.status_code, 400)
        self.assertEqual(Report.objects.count(), 1)


class PublicAndPanelTestCase(PagesTestCase):
    def confirmed(self):
        report = proposals.read(self.leader, title="报告", text=NOW_FREE)
        return proposals.confirm(report, [{"key": "7.1", "lead_unit": self.housing, "deadline": "2099-12-31"}], self.leader)[0]

    def test_the_public_page_needs_no_login_and_shows_approved_progress(self):
        order = self.confirmed()
        part = steps.assign(order, self.department_handler, unit=self.street, quantity=120)
        approved = steps.report(part, self.street_handler, quantity=30, text="洪桥街道完成30台")
        steps.approve(approved, self.department_handler)
        steps.report(part, self.street_handler, quantity=50, text="尚未核实的50台")
        page = self.client.get(reverse("orders:livelihood"))
        self.assertContains(page, "旧楼加装电梯")
        self.assertContains(page, "30 / 120")
        self.assertContains(page, "洪桥街道完成30台")
        self.assertNotContains(page, "尚未核实")
        self.assertNotContains(page, self.street_handler.username)

    def test_the_panel_counts_by_status_and_unit(self):
        self.give()
        self.give(lead_unit=self.street, co_units=[])
        page = self.as_(self.leader).get(reverse("orders:panel"), headers={"HX-Request": "true"})
        html = page.content.decode()
        self.assertNotIn("<html", html)  # a fragment for htmx
        self.assertIn('data-status="on_track"', html)
        self.assertIn(f'data-unit="{self.housing.pk}"', html)
        self.assertIn("<html", self.client.get(reverse("orders:panel")).content.decode())
        self.assertEqual(self.as_(self.citizen).get(reverse("orders:panel")).status_code, 403)

    def test_the_panel_include_tag(self):
        from django.template import Context, Template
        from django.test import RequestFactory

        self.give()
        request = RequestFactory().get("/")
        request.user = self.leader
        html = Template("{% load orders %}{% orders_panel %}").render(Context({"request": request}))
        self.assertIn("orders-panel", html)
        self.assertIn(">1<", html.replace(" ", ""))


class HotspotEndpointTestCase(PagesTestCase):
    def test_start_an_order_from_a_hotspot(self):
        cases = [self.dispatched_case(title="市场噪音") for _ in range(2)]
        data = {"title": "整治市场噪音", "place": "登峰农贸市场", "case_ids": f"{cases[0].number}, {cases[1].pk}"}
        page = self.as_(self.supervisor).post(reverse("orders:hotspot"), data, headers={"Accept": "application/json"})
        self.assertEqual(page.status_code, 201)
        body = json.loads(page.content)
        order = Order.objects.get(pk=body["id"])
        self.assertEqual((order.source, order.case_links.count()), ("hotspot", 2))
        page = self.client.post(reverse("orders:hotspot"), data | {"case_ids": "999999"}, headers={"Accept": "application/json"})
        self.assertEqual(page.status_code, 400)
        self.assertIn("999999", json.loads(page.content)["error"])
        self.assertEqual(self.as_(self.street_handler).post(reverse("orders:hotspot"), data).status_code, 403)
        page = self.as_(self.leader).post(reverse("orders:hotspot"), data)
        self.assertEqual(page.status_code, 302)
        self.assertEqual(Order.objects.count(), 2)


class FromHotspotPageTestCase(PagesTestCase):
    def test_the_form_is_filled_in_from_the_cases(self):
        cases = [self.dispatched_case(title="市场噪音") for _ in range(2)]
        hidden = self.dispatched_case(lead=self.other_street, community=self.other_community)
        url = reverse("orders:from_hotspot")
        query = {"title": "整治市场噪音", "place": "登峰农贸市场", "case_ids": f"{cases[0].pk},{cases[1].number} {hidden.pk}",
                 "hotspot": "999999"}
        street_leader = self.person("street-leader", self.street, "leader")
        page = self.as_(street_leader).get(url, query)
        self.assertContains(page, 'value="整治市场噪音"')
        for case in cases:
            self.assertContains(page, f'data-case="{case.number}"')
        self.assertNotContains(page, hidden.number)  # another street's case, unseen by this leader
        self.assertContains(page, f'<option value="{self.street.pk}" selected>')  # where the cases went
        self.assertEqual(self.as_(self.street_handler).get(url, query).status_code, 403)
        page = self.as_(street_leader).post(reverse("orders:hotspot"), {
            "title": "整治市场噪音", "place": "登峰农贸市场", "case_ids": f"{cases[0].pk} {cases[1].pk}",
            "lead_unit": self.street.pk, "deadline": "2099-01-31"})
        order = Order.objects.get()
        self.assertRedirects(page, reverse("orders:order", args=[order.pk]))
        self.assertEqual((order.case_links.count(), order.deadline.date().isoformat()), (2, "2099-01-31"))


    def test_a_data_centre_hotspot_fills_the_form(self):
        from django.apps import apps
        from django.utils import timezone

        try:
            model = apps.get_model("analytics", "Hotspot")
        except LookupError:
            self.skipTest("the data centre has no hotspots yet")
        cases = [self.dispatched_case(title="夜间施工噪音") for _ in range(3)]
        now = timezone.now()
        spot = model.objects.create(computed_at=now, rank=1, title="东风中路夜间施工噪音", place="东风中路", street=self.street.pk,
                                    first_at=now, last_at=now, size=3, people=3, growth=1.0, heat=3.0)
        spot.cases.set(cases)
        page = self.as_(self.leader).get(reverse("orders:from_hotspot"), {"hotspot": spot.pk})
        self.assertContains(page, 'value="东风中路夜间施工噪音"')
        self.assertContains(page, 'value="东风中路"')
        for case in cases:
            self.assertContains(page, f'data-case="{case.number}"')


class LanguageTestCase(PagesTestCase):
    def test_pages_speak_chinese_by_default_and_english_when_chosen(self):
        self.give()
        self.as_(self.leader)
        del self.client.cookies[settings.LANGUAGE_COOKIE_NAME]
        html = self.client.get(reverse("orders:list")).content.decode()
        self.assertIn("任务督办", html)
        self.assertIn("进度正常", html)
        self.assertIn("下达任务", html)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = self.client.get(reverse("orders:list")).content.decode()
        self.assertIn("Give an order", html)
        self.assertIn("On track", html)


class AdminTestCase(PagesTestCase):
    def test_the_admin_shows_orders_read_only_and_in_scope(self):
        order = self.give(lead_unit=self.other_street, co_units=[])
        for user in (self.leader, self.street_handler):  # the admin lets only staff in
            user.is_staff = True
            user.save()
        url = reverse("admin:orders_order_changelist")
        self.assertContains(self.as_(self.leader).get(url), order.title)
        self.assertNotContains(self.as_(self.street_handler).get(url), order.title)
        page = self.as_(self.leader).get(reverse("admin:orders_order_change", args=[order.pk]))
        self.assertContains(page, "give")  # its history
        self.assertNotContains(page, 'name="_save"')
        self.assertEqual(self.as_(self.leader).post(reverse("admin:orders_order_delete", args=[order.pk])).status_code, 403)
