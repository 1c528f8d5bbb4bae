"""The admin: scoped lists, masked data, history shown, no direct edits."""

from huying.cases.models import Status
from huying.test import BaseTestCase


class CaseAdminTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        for user in self.everyone.values():
            user.is_staff = True
            user.save()
        self.case = self.dispatched_case()
        self.other = self.new_case(community=self.other_community)

    def url(self, case=None):
        return f"/admin/cases/case/{case.pk}/change/" if case else "/admin/cases/case/"

    def test_list_shows_only_the_scope(self):
        self.client.force_login(self.outsider)
        body = self.client.get(self.url()).content.decode()
        self.assertIn(self.other.number, body)
        self.assertNotIn(self.case.number, body)

    def test_out_of_scope_case_page_is_not_found(self):
        self.client.force_login(self.outsider)
        response = self.client.get(self.url(self.case))
        self.assertIn(response.status_code, (302, 404))
        self.assertNotIn("13812345678", response.content.decode())

    def test_masked_for_a_unit_that_does_not_lead(self):
        self.client.force_login(self.community_handler)
        body = self.client.get(self.url(self.case)).content.decode()
        self.assertIn("138****5678", body)
        self.assertNotIn("13812345678", body)

    def test_full_for_the_lead_with_history(self):
        self.client.force_login(self.street_handler)
        body = self.client.get(self.url(self.case)).content.decode()
        self.assertIn("13812345678", body)
        self.assertIn("dispatch", body)

    def test_accept_action_goes_through_the_step(self):
        self.client.force_login(self.street_handler)
        self.client.post(self.url(), {"action": "accept", "_selected_action": [self.case.pk]})
        self.assertEqual(self.fresh(self.case).status, Status.ACCEPTED)
        self.assertEqual(self.fresh(self.case).events.last().action, "accept")

    def test_refused_action_changes_nothing(self):
        self.client.force_login(self.community_handler)
        response = self.client.post(self.url(), {"action": "accept", "_selected_action": [self.case.pk]}, follow=True)
        self.assertEqual(self.fresh(self.case).status, Status.DISPATCHED)
        self.assertContains(response, self.case.number)

    def test_no_direct_edit(self):
        self.client.force_login(self.admin)
        self.client.post(self.url(self.case), {"title": "篡改"})
        self.assertNotEqual(self.fresh(self.case).title, "篡改")
