"""Bad input to the REST API gets a clear 4xx and writes nothing: oversize
bodies, malformed JSON or encodings, NUL characters, bad coordinates,
unknown codes, malformed dates, bad tokens."""

from django.test import override_settings

from huying.api.tests.base import ApiTestCase
from huying.cases.models import Case, Event

GOOD = {"kind": "complaint", "channel": "phone", "title": "噪音", "text": "夜间施工噪音"}


class RestBadInputTest(ApiTestCase):
    def refused(self, status, body, content_type="application/json", role="operator", path="/api/v1/cases/"):
        before = (Case.objects.count(), Event.objects.count())
        response = self.api(role).generic("POST", path, body, content_type=content_type)
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertIn("detail", response.json())
        self.assertEqual((Case.objects.count(), Event.objects.count()), before)
        return response.json()

    def json(self, **changes):
        import json

        return json.dumps(GOOD | changes, ensure_ascii=False).encode()

    def test_good_input_works(self):
        response = self.api("operator").post("/api/v1/cases/", GOOD, format="json")
        self.assertEqual(response.status_code, 201)

    @override_settings(API_MAX_BODY_BYTES=500)
    def test_oversize_body(self):
        error = self.refused(413, self.json(text="长" * 400))
        self.assertEqual(error["code"], "body_too_large")

    def test_malformed_json(self):
        self.refused(400, b'{"kind": "complaint",')

    def test_not_utf8(self):
        self.refused(400, self.json().decode().encode("gbk"))

    def test_nul_and_lone_surrogates(self):
        self.refused(400, b'{"kind": "complaint", "channel": "phone", "title": "a\\u0000b", "text": "x"}')
        self.refused(400, b'{"kind": "complaint", "channel": "phone", "title": "\\ud800", "text": "x"}')

    def test_bad_coordinates(self):
        for lat, lng in ((91, 10), (10, 181), (10, None), ("north", 10)):
            with self.subTest(lat=lat, lng=lng):
                self.refused(400, self.json(lat=lat, lng=lng))

    def test_unknown_codes_and_choices(self):
        self.refused(400, self.json(category="99.99"))
        self.refused(400, self.json(street="nowhere"))
        self.refused(400, self.json(kind="gossip"))
        self.refused(400, self.json(citizen_phone="call me"))

    def test_a_unit_of_the_wrong_kind(self):
        self.refused(400, self.json(street=self.community.code))

    def test_step_with_bad_input(self):
        case = self.accepted_case()
        for body in ({"days": "many"}, {"days": 0}, {}):
            with self.subTest(body=body):
                response = self.api("street").post(f"/api/v1/cases/{case.number}/request-extension/", body, format="json")
                self.assertEqual(response.status_code, 400)
        self.assertEqual(self.fresh(case).version, case.version)

    def test_stale_version_is_a_conflict(self):
        case = self.dispatched_case()
        response = self.api("street").post(f"/api/v1/cases/{case.number}/accept/", {"version": case.version - 1}, format="json")
        self.assertEqual((response.status_code, response.json()["code"]), (409, "conflict"))
        self.assertEqual(self.fresh(case).status, "dispatched")

    def test_wrong_state_is_409(self):
        case = self.new_case()
        response = self.api("street").post(f"/api/v1/cases/{case.number}/reply/", {"text": "好"}, format="json")
        self.assertIn(response.status_code, (403, 404, 409))
        response = self.api("dispatcher").post(f"/api/v1/cases/{case.number}/approve-return/", {}, format="json")
        self.assertEqual((response.status_code, response.json()["code"]), (409, "wrong_state"))

    def test_a_code_with_a_nul_character_names_nothing(self):
        body = {"kind": "help", "channel": "phone", "title": "路灯", "text": "路灯不亮", "street": "4401\x00", "category": "02\x00"}
        response = self.api("operator").post("/api/v1/cases/", body, format="json")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(set(response.json()["fields"]), {"street", "category"})

    def test_malformed_filters(self):
        for query in ("created_after=yesterday", "status=lost", "page=0", "open=maybe"):
            with self.subTest(query=query):
                self.assertIn(self.api("operator").get(f"/api/v1/cases/?{query}").status_code, (400, 404))
        self.assertEqual(self.api("operator").get("/api/v1/figures/?start=2026-03-02T00:00Z&end=2026-03-01T00:00Z").status_code, 400)
        response = self.api("operator").get("/api/v1/figures/?start=0309-01-14T20:25:26Z")
        self.assertEqual(response.status_code, 400)
        self.assertIn("1970", response.content.decode())

    def test_bad_tokens(self):
        for header in ("Token nope", "Token", "Token a b", "Bearer hyt_revoked"):
            with self.subTest(header=header):
                response = self.client.get("/api/v1/me/", headers={"Authorization": header})
                self.assertEqual(response.status_code, 401)

    def test_revoked_token(self):
        from huying.api.models import PersonalToken

        PersonalToken.objects.filter(user=self.operator).update(revoked_at=self.now)
        self.assertEqual(self.api("operator").get("/api/v1/me/").status_code, 401)
