"""Open311 POST requests: a case through the real intake step, in JSON and
XML, and every error of the spec with nothing half-written."""

from django.test import override_settings

from huying.api.intake import process_batch
from huying.api.models import ApiKey, Submission
from huying.api.tests.base import ENGLISH, ApiTestCase, as_json, as_xml
from huying.cases.models import Case, Event


class PostRequestTest(ApiTestCase):
    def test_json_creates_a_case_through_intake(self):
        response = self.o311_post(**self.report(email="zs@example.com", account_id="acc-1", device_id="dev-9",
                                                media_url="https://img.example.com/1.jpg", lat="23.1335", long="113.2702"))
        self.assertEqual(response.status_code, 200, response.content)
        [receipt] = as_json(response)
        case = Case.objects.get()
        self.assertEqual(receipt["service_request_id"], case.number)
        self.assertNotIn("token", receipt)
        self.assertEqual(receipt["account_id"], "acc-1")
        self.assertIn(case.number, receipt["service_notice"])
        self.assertEqual((case.channel, case.kind, case.category, case.status), ("city12345", "complaint", self.rubbish, "new"))
        self.assertEqual((case.citizen_name, case.citizen_phone), ("张三", "13812345678"))
        self.assertEqual((case.lat, case.lng), (23.1335, 113.2702))
        self.assertEqual(case.title, "楼下垃圾堆放三天无人清运")
        event = Event.objects.get(case=case)
        self.assertEqual((event.action, event.actor_label, event.actor_id), ("intake", "city12345", None))
        submission = case.submission
        self.assertEqual((submission.client, submission.email, submission.device_id), (self.client_key, "zs@example.com", "dev-9"))
        self.assertEqual(submission.media_url, "https://img.example.com/1.jpg")

    def test_place_and_responsible_unit_from_the_address(self):
        as_json(self.o311_post(**self.report(address_string="洪桥街道登峰社区")))
        case = Case.objects.get()
        self.assertEqual(case.street, self.street)
        self.assertIn("洪桥街道", case.submission.note)
        # Rubbish is a territory matter: the street is expected to handle it
        # (the note is written in the deployment's language, Chinese by default).
        self.assertIn("属地规则", case.submission.note)

    def test_notice_names_the_responsible_unit_and_the_deadline(self):
        [receipt] = as_json(self.o311_post(**self.report(address_string="洪桥街道")))
        self.assertIn("洪桥街道", receipt["service_notice"])

    def test_xml(self):
        response = self.o311_post("xml", **self.report())
        root = as_xml(response)
        self.assertEqual(root.tag, "service_requests")
        self.assertEqual(root.findtext("request/service_request_id"), Case.objects.get().number)
        self.assertEqual(root.find("request/account_id").text, None)

    def test_address_id_is_a_unit_code(self):
        as_json(self.o311_post(**self.report(address_string="", address_id=self.community.code)))
        case = Case.objects.get()
        self.assertEqual((case.street, case.community), (self.street, self.community))

    def test_point_only(self):
        as_json(self.o311_post(**self.report(address_string="", lat="23.13", long="113.27")))
        self.assertEqual(Case.objects.get().lat, 23.13)

    def test_attributes(self):
        as_json(self.o311_post(**self.report(**{"attribute[kind]": "report", "attribute[urgency]": "urgent", "attribute[title]": "占道",
                                                "attribute[confidential]": "true", "attribute[external_id]": "SZ-1"})))
        case = Case.objects.get()
        self.assertEqual((case.kind, case.urgency, case.title, case.confidential, case.external_id), ("report", "urgent", "占道", True, "SZ-1"))

    def test_description_may_be_left_out(self):
        form = self.report()
        del form["description"]
        as_json(self.o311_post(**form))
        case = Case.objects.get()
        self.assertEqual(case.title, "垃圾清运")
        self.assertIn("垃圾清运", case.text)

    def test_sensor_key_uses_the_sensor_channel(self):
        key = ApiKey(name="井盖传感器", channel="sensor")
        secret = key.issue()
        key.save()
        as_json(self.o311_post(**self.report(api_key=secret)))
        self.assertEqual(Case.objects.get().channel, "sensor")

    def test_api_key_in_the_query_string(self):
        form = self.report()
        response = self.client.generic("POST", f"/open311/v2/requests.json?api_key={self.api_key}",
                                       "&".join(f"{k}={v}" for k, v in form.items()).encode(),
                                       content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status_code, 200, response.content)


class PostErrorTest(ApiTestCase):
    def refused(self, status, fmt="json", headers=None, **form):
        cases, submissions = Case.objects.count(), Submission.objects.count()
        response = self.o311_post(fmt, headers=headers, **form)
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual((Case.objects.count(), Submission.objects.count()), (cases, submissions), "nothing is half-written")
        if fmt == "xml":
            root = as_xml(response)
            self.assertEqual(root.tag, "errors")
            return root.findtext("error/description")
        [error] = as_json(response)
        self.assertEqual(set(error), {"code", "description"})
        return error["description"]

    def test_missing_api_key(self):
        self.assertIn("缺少 api_key", self.refused(403, **self.report(api_key="")))
        # In English, the spec's own words.
        self.assertIn("Missing api_key", self.refused(403, headers=ENGLISH, **self.report(api_key="")))

    def test_invalid_api_key(self):
        text = self.refused(403, headers=ENGLISH, **self.report(api_key="hyk_wrong"))
        self.assertEqual(text, "Invalid api_key received -- can't proceed with create_request.")
        self.assertEqual(self.refused(403, "xml", **self.report(api_key="hyk_wrong")), "api_key 无效，无法提交诉求（create_request）。")

    def test_revoked_api_key(self):
        self.client_key.revoke()
        self.refused(403, **self.report())

    def test_missing_service_code(self):
        self.assertEqual(self.refused(400, **self.report(service_code="")), "未提供 service_code。")
        self.assertEqual(self.refused(400, headers=ENGLISH, **self.report(service_code="")), "service_code was not provided.")

    def test_unknown_service_code(self):
        self.assertEqual(self.refused(404, **self.report(service_code="99.1")), "未找到 service_code 99.1。")
        self.refused(404, "xml", **self.report(service_code="99.1"))

    def test_unknown_jurisdiction(self):
        self.refused(404, **self.report(jurisdiction_id="sfgov.org"))

    def test_no_location(self):
        self.assertIn("必须提供地点", self.refused(400, **self.report(address_string="")))

    def test_lat_without_long(self):
        self.refused(400, **self.report(lat="23.1"))

    def test_bad_coordinates(self):
        for lat, lng in (("abc", "113"), ("91", "113"), ("23", "181"), ("nan", "113"), ("inf", "113"), ("1e999", "1")):
            with self.subTest(lat=lat, long=lng):
                self.refused(400, **self.report(lat=lat, long=lng))

    def test_description_over_4000_characters(self):
        self.assertIn("4,000", self.refused(400, **self.report(description="长" * 4001)))

    def test_bad_phone(self):
        self.refused(400, **self.report(phone="call me maybe"))

    def test_unknown_attribute(self):
        self.assertIn("colour", self.refused(400, **self.report(**{"attribute[colour]": "red"})))

    def test_attribute_value_not_in_the_list(self):
        self.refused(400, **self.report(**{"attribute[kind]": "gossip"}))

    def test_confidential_only_for_reports(self):
        self.refused(400, **self.report(**{"attribute[confidential]": "true"}))

    def test_unknown_address_id(self):
        self.refused(400, **self.report(address_string="", address_id="999999"))

    def test_bad_media_url_and_email(self):
        self.refused(400, **self.report(media_url="javascript:alert(1)"))
        self.refused(400, **self.report(email="not-an-email"))

    def test_control_characters(self):
        self.refused(400, **self.report(description="垃圾\x00清运"))
        self.refused(400, **self.report(address_string="洪桥\x07街道"))

    def test_same_argument_twice(self):
        self.refused(400, **self.report(service_code=[self.rubbish.code, self.lifts.code]))

    def test_not_utf8(self):
        body = "service_code=02.01.01&address_string=洪桥街道".encode("gbk") + b"&api_key=" + self.api_key.encode()
        response = self.post_form(body=body)
        self.assertEqual(response.status_code, 400)
        self.assertIn("UTF-8", as_json(response)[0]["description"])
        self.assertEqual(Case.objects.count(), 0)

    def test_percent_encoded_bytes_that_are_not_utf8(self):
        response = self.post_form(body=f"api_key={self.api_key}&service_code=02.01.01&address_string=%B6%AB%B7%E7".encode())
        self.assertEqual(response.status_code, 400)

    def test_other_charset(self):
        response = self.post_form(body=b"service_code=02.01.01", content_type="application/x-www-form-urlencoded; charset=gbk")
        self.assertEqual(response.status_code, 400)

    def test_json_body_is_not_the_spec(self):
        response = self.post_form(body=b'{"service_code": "02.01.01"}', content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(as_json(response)[0]["code"], 415)

    @override_settings(API_MAX_BODY_BYTES=1000)
    def test_oversize_body(self):
        for fmt in ("json", "xml"):
            response = self.o311_post(fmt, **self.report(description="长" * 400))
            self.assertEqual(response.status_code, 400)
        self.assertEqual(as_json(self.o311_post(**self.report(description="长" * 400)))[0]["code"], 413)
        self.assertEqual(Case.objects.count(), 0)

    def test_wrong_method(self):
        response = self.client.put("/open311/v2/requests.json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(as_json(response)[0]["code"], 405)


@override_settings(OPEN311_SERVICE_TYPE="batch")
class BatchTest(ApiTestCase):
    def test_token_then_case(self):
        [receipt] = as_json(self.o311_post(**self.report()))
        self.assertNotIn("service_request_id", receipt)
        token = receipt["token"]
        self.assertEqual(Case.objects.count(), 0)
        [pending] = as_json(self.o311_get(f"tokens/{token}"))
        self.assertEqual(pending, {"service_request_id": None, "token": token})

        self.assertEqual(process_batch(self.now), 1)
        self.assertEqual(process_batch(self.now), 0)
        case = Case.objects.get()
        [ready] = as_json(self.o311_get(f"tokens/{token}"))
        self.assertEqual(ready, {"service_request_id": case.number, "token": token})
        root = as_xml(self.o311_get(f"tokens/{token}", "xml"))
        self.assertEqual(root.findtext("request/service_request_id"), case.number)
        self.assertEqual(root.findtext("request/token"), token)

    def test_a_request_that_fails_later_is_told(self):
        [receipt] = as_json(self.o311_post(**self.report()))
        self.rubbish.active = False
        self.rubbish.save()
        self.assertEqual(process_batch(self.now), 0)
        response = self.o311_get(f"tokens/{receipt['token']}")
        self.assertEqual(response.status_code, 400)
        self.assertIn("垃圾清运", as_json(response)[0]["description"])  # the category that was retired


class TokenTest(ApiTestCase):
    def test_realtime_submissions_have_tokens_too(self):
        [receipt] = as_json(self.o311_post(**self.report()))
        token = Submission.objects.get().token
        [row] = as_json(self.o311_get(f"tokens/{token}"))
        self.assertEqual(row["service_request_id"], receipt["service_request_id"])

    def test_unknown_token(self):
        for fmt in ("json", "xml"):
            self.assertEqual(self.o311_get("tokens/nope", fmt).status_code, 404)
