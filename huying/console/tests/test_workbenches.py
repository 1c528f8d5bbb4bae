"""Every workbench opens for its role, refuses the others, and lists what it should."""

import datetime as dt

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from huying.analytics import figures
from huying.analytics.scope import Scope
from huying.cases import steps
from huying.console.tests.base import WebTestCase
from huying.routing.intake import route
from huying.test import at

WORKBENCHES = {
    "console:intake": {"operator"},
    "console:dispatch": {"operator", "dispatcher"},
    "console:inbox": {"street", "community", "grid", "department", "outsider"},
    "console:supervise": {"supervisor"},
    "console:followups": {"operator", "supervisor"},
}
STAFF = {"operator", "dispatcher", "supervisor", "street", "community", "grid", "department", "leader", "outsider", "admin"}


class WorkbenchTestCase(WebTestCase):
    def get(self, user, name, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name), params)

    def test_each_workbench_opens_for_its_roles_only(self):
        for name, allowed in WORKBENCHES.items():
            for who, user in self.everyone.items():
                with self.subTest(page=name, actor=who):
                    response = self.get(user, name)
                    self.assertEqual(response.status_code, 200 if who in allowed else 403)

    def test_case_list_and_search_are_for_staff(self):
        for name in ("console:cases", "console:search"):
            for who, user in self.everyone.items():
                with self.subTest(page=name, actor=who):
                    self.assertEqual(self.get(user, name).status_code, 200 if who in STAFF else 403)

    def test_anonymous_goes_to_login(self):
        for name in list(WORKBENCHES) + ["console:cases"]:
            response = self.client.get(reverse(name))
            self.assertRedirects(response, f"{reverse('login')}?next={reverse(name)}", fetch_redirect_response=False)

    def test_each_role_lands_on_its_workbench(self):
        expected = {
            "operator": "console:intake", "dispatcher": "console:dispatch", "supervisor": "console:supervise",
            "street": "console:inbox", "community": "console:inbox", "grid": "console:inbox",
            "department": "console:inbox", "outsider": "console:inbox", "leader": "analytics:overview",
            "admin": "console:cases", "citizen": "public:mine",
        }
        for who, user in self.everyone.items():
            with self.subTest(actor=who):
                self.client.force_login(user)
                self.assertRedirects(self.client.get(reverse("home")), reverse(expected[who]), fetch_redirect_response=False)

    def test_dispatcher_queue_shows_new_cases_and_returns(self):
        waiting = self.new_case(title="井盖缺失")
        returned = self.dispatched_case(title="不属本街")
        steps.request_return(returned, self.street_handler, reason="属住建局职责", now=self.now)
        body = self.get(self.dispatcher, "console:dispatch").content.decode()
        self.assertIn(waiting.number, body)
        self.assertIn(returned.number, body)
        self.assertIn("属住建局职责", body)

    @override_settings(LANGUAGE_CODE="en")
    def test_inbox_sorted_by_deadline(self):
        later = self.dispatched_case(title="later", kind="complaint")
        sooner = self.dispatched_case(title="sooner", kind="consult", urgency="very_urgent")
        body = self.get(self.street_handler, "console:inbox").content.decode()
        self.assertLess(body.index(sooner.number), body.index(later.number))
        self.assertNotIn(self.new_case().number, body)

    def test_supervisor_sees_overdue_and_at_risk_but_not_the_rest(self):
        tuesday = at(2026, 3, 3, 10, 0)
        late = self.dispatched_case(title="已超时", now=tuesday)
        steps.dispatch(late, self.dispatcher, lead=self.street, now=tuesday)
        # Very urgent: 1 hour to accept, amber for the last 15 minutes.
        fifty_minutes_ago = timezone.now() - dt.timedelta(minutes=50)
        soon = self.new_case(title="快到期", kind="consult", urgency="very_urgent", now=fifty_minutes_ago)
        steps.dispatch(soon, self.dispatcher, lead=self.street, now=fifty_minutes_ago)
        fresh = self.dispatched_case(title="刚派出")  # 1 working day to accept
        steps.accept(fresh, self.street_handler)
        # Urgent: 24 hours to accept, 14 left: not yet in the last quarter.
        ten_hours_ago = timezone.now() - dt.timedelta(hours=10)
        urgent = self.new_case(title="紧急", urgency="urgent", now=ten_hours_ago)
        steps.dispatch(urgent, self.dispatcher, lead=self.street, now=ten_hours_ago)
        body = self.get(self.supervisor, "console:supervise").content.decode()
        overdue, at_risk = body.split('id="risk-h"')
        self.assertIn(late.number, overdue)
        self.assertNotIn(soon.number, overdue)
        self.assertIn(soon.number, at_risk)
        self.assertNotIn(fresh.number, body)
        self.assertNotIn(urgent.number, body)
        # The data centre counts the same cases (one rule: huying.sla.risk).
        live = figures.live_totals(Scope.of(self.supervisor), timezone.now())
        self.assertEqual((live["open"], live["overdue_now"], live["at_risk_now"]), (4, 1, 1))

    def test_urges_reach_the_inbox_and_can_be_marked_read(self):
        case = self.dispatched_case()
        steps.urge(case, self.supervisor, message="请今天签收")
        self.assertContains(self.get(self.street_handler, "console:inbox"), "请今天签收")
        note = case.notifications.get()
        response = self.client.post(reverse("console:notification_read", args=[note.pk]), {"next": "https://evil.example/"})
        self.assertEqual(response["Location"], reverse("console:inbox"))
        note.refresh_from_db()
        self.assertIsNotNone(note.read_at)
        self.assertNotContains(self.get(self.street_handler, "console:inbox"), "请今天签收")
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.post(reverse("console:notification_read", args=[note.pk])).status_code, 404)

    @override_settings(ROUTING_AUTO_DISPATCH=2)
    def test_dispatch_to_the_first_suggestion_from_the_queue(self):
        case = self.new_case(category=self.lifts)
        route(case)
        queue = reverse("console:dispatch")
        body = self.get(self.dispatcher, "console:dispatch").content.decode()
        self.assertIn(f'name="lead" value="{self.housing.pk}"', body)
        self.client.post(reverse("console:act", args=[case.number, "dispatch"]), {"lead": self.housing.pk, "next": queue})
        self.assertEqual(self.fresh(case).lead_unit, self.housing)
