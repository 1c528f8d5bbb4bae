"""The case page: everything about a case, personal data as the brief says,
and the forms for exactly the steps the viewer may take."""

import datetime as dt

from django.urls import reverse

from huying.cases import steps
from huying.cases.models import Status
from huying.console.tests.base import WebTestCase

FULL_PHONE = "13812345678"
MASKED_PHONE = "138****5678"


class CasePageTestCase(WebTestCase):
    def page(self, user, case):
        self.client.force_login(user)
        return self.client.get(reverse("console:case", args=[case.number]))

    def test_everything_about_a_case(self):
        case = self.replied_case(co_units=None) if False else self.replied_case()
        body = self.page(self.supervisor, case).content.decode()
        for text in (case.number, case.title, case.text, "东风中路268号", "洪桥街道", "登峰社区", "已安排清运"):
            self.assertIn(text, body)
        for action in ("intake", "dispatch", "accept", "reply"):
            self.assertIn(f'<li data-action="{action}">', body)

    def test_personal_data_as_each_role_may_see_it(self):
        case = self.dispatched_case()
        expected = {
            "operator": FULL_PHONE, "dispatcher": FULL_PHONE, "supervisor": FULL_PHONE, "street": FULL_PHONE,
            "admin": FULL_PHONE, "community": MASKED_PHONE, "leader": MASKED_PHONE,
        }
        for who, shown in expected.items():
            with self.subTest(actor=who):
                body = self.page(self.everyone[who], case).content.decode()
                self.assertIn(shown, body)
                if shown == MASKED_PHONE:
                    self.assertNotIn(FULL_PHONE, body)
                    self.assertNotIn("张三", body)

    def test_confidential_reporter_never_reaches_a_handling_unit(self):
        case = self.dispatched_case(kind="report", confidential=True)
        steps.accept(case, self.street_handler, now=self.now)
        steps.dispatch_down(case, self.street_handler, to=self.community, now=self.now)
        for who in ("street", "community", "leader"):
            with self.subTest(actor=who):
                body = self.page(self.everyone[who], case).content.decode()
                self.assertNotIn("5678", body)
                self.assertNotIn("张", body)
        self.assertContains(self.page(self.dispatcher, case), FULL_PHONE)

    def test_handler_is_offered_accept_and_return_then_reply(self):
        case = self.dispatched_case()
        body = self.page(self.street_handler, case).content.decode()
        self.assertIn('data-form="accept"', body)
        self.assertIn('data-form="return"', body)
        self.assertNotIn('data-form="dispatch"', body)
        steps.accept(case, self.street_handler, now=self.now)
        body = self.page(self.street_handler, case).content.decode()
        for action in ("reply", "dispatch_down", "extension"):
            self.assertIn(f'data-form="{action}"', body)
        self.assertNotIn('data-form="accept"', body)

    def test_nothing_to_do_for_someone_without_a_part(self):
        case = self.dispatched_case()
        for who in ("leader", "community"):
            with self.subTest(actor=who):
                self.assertNotContains(self.page(self.everyone[who], case), 'id="actions"')

    def test_accept_through_the_page(self):
        case = self.dispatched_case()
        self.client.force_login(self.street_handler)
        response = self.client.post(reverse("console:act", args=[case.number, "accept"]))
        self.assertRedirects(response, reverse("console:case", args=[case.number]), fetch_redirect_response=False)
        self.assertEqual(self.fresh(case).status, Status.ACCEPTED)

    def test_refusal_is_shown_and_nothing_changes(self):
        case = self.dispatched_case()
        self.client.force_login(self.street_handler)
        response = self.client.post(reverse("console:act", args=[case.number, "return"]), {"reason": "  "}, follow=True)
        self.assertEqual(self.fresh(case).status, Status.DISPATCHED)
        self.assertEqual(len(list(response.context["messages"])), 1)
        self.assertEqual(self.fresh(case).version, case.version)

    def test_someone_else_cannot_act_through_the_page(self):
        case = self.dispatched_case()
        self.client.force_login(self.community_handler)
        self.client.post(reverse("console:act", args=[case.number, "accept"]))
        self.assertEqual(self.fresh(case).status, Status.DISPATCHED)

    def test_unknown_action_is_refused(self):
        case = self.dispatched_case()
        self.client.force_login(self.street_handler)
        self.client.post(reverse("console:act", args=[case.number, "delete"]))
        self.assertEqual(self.fresh(case).version, case.version)

    def test_get_does_not_act(self):
        case = self.dispatched_case()
        self.client.force_login(self.street_handler)
        self.assertEqual(self.client.get(reverse("console:act", args=[case.number, "accept"])).status_code, 405)

    def test_next_must_stay_on_this_site(self):
        case = self.dispatched_case()
        self.client.force_login(self.street_handler)
        response = self.client.post(reverse("console:act", args=[case.number, "accept"]), {"next": "https://evil.example/"})
        self.assertEqual(response["Location"], reverse("console:case", args=[case.number]))

    def test_dispatch_form_proposes_the_unit_of_the_rules(self):
        case = self.new_case(category=self.lifts)
        body = self.page(self.dispatcher, case).content.decode()
        self.assertIn(f'<option value="{self.housing.pk}" selected>', body)

    def test_the_workers_words_are_shown_in_the_readers_language(self):
        from django.utils import translation

        from huying.cases.actors import Actor

        case = self.dispatched_case()
        with translation.override("en"):  # the worker runs without a language
            steps.urge(case, Actor.worker(), now=case.accept_due + dt.timedelta(hours=1))
        self.assertIn("Not accepted in time", case.events.get(action="urge").reason)
        body = self.page(self.street_handler, case).content.decode()
        self.assertIn("未按时签收，请立即签收。", body)
        self.assertIn("系统", body)
        self.client.force_login(self.street_handler)
        inbox = self.client.get(reverse("console:inbox")).content.decode()
        self.assertIn(f"已催办: {case.number} 未按时签收，请立即签收。", inbox)

    def test_supervisor_urges_supervises_and_reopens_through_the_page(self):
        case = self.dispatched_case()
        self.client.force_login(self.supervisor)
        act = lambda name, **data: self.client.post(reverse("console:act", args=[case.number, name]), data)  # noqa: E731
        act("urge", message="请今天内签收")
        act("supervise", message="正式督办", days="3")
        case = self.fresh(case)
        self.assertEqual((case.urge_count, case.supervised), (1, True))
        self.assertEqual(list(case.notifications.values_list("text", flat=True).order_by("created_at")),
                         [f"已催办: {case.number} 请今天内签收", f"已督办: {case.number} 正式督办"])
        steps.accept(case, self.street_handler)
        steps.reply(case, self.street_handler, text="已处理")
        steps.follow_up(case, self.operator, resolved=True, satisfaction="satisfied")
        act("reopen", reason="")  # a reason is required
        self.assertEqual(self.fresh(case).status, Status.CLOSED)
        act("reopen", reason="市民再次来电反映未处理")
        case = self.fresh(case)
        self.assertEqual((case.status, case.reopen_count), (Status.DISPATCHED, 1))
