"""A case's history through the REST API names people as the console does."""

from huying.api.tests.base import ApiTestCase


class HistoryActorTest(ApiTestCase):
    def setUp(self):
        self.citizen.first_name = "李四"
        self.citizen.save()
        response = self.api("citizen").post("/api/v1/cases/", {
            "kind": "help", "channel": "web", "title": "路灯不亮", "text": "路灯坏了", "address": "东风中路268号"}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.number = response.json()["number"]
        self.operator_events = self.api("operator").get(f"/api/v1/cases/{self.number}/events/").json()

    def test_the_citizen_is_named_only_as_citizen(self):
        actors = [e["actor"] for e in self.operator_events]
        self.assertEqual(actors[0], "市民")
        stored = self.citizen.get_full_name() or self.citizen.username
        self.assertNotIn(stored, actors)

    def test_staff_are_named_by_their_label(self):
        response = self.api("operator").post(f"/api/v1/cases/{self.number}/dispatch/", {
            "lead": self.street.code, "version": 1}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        events = self.api("operator").get(f"/api/v1/cases/{self.number}/events/").json()
        self.assertEqual(events[-1]["action"], "dispatch")
        self.assertNotIn(events[-1]["actor"], ("", "市民"))
