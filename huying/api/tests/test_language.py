"""The APIs answer in the deployment's language (Chinese) unless the client
asks for another with Accept-Language; the console's switch does not count
here, and the answer says which language it is in (Content-Language)."""

from django.test import override_settings

from huying.api.tests.base import ENGLISH, ApiTestCase, as_json, as_xml

CASE_FIELDS = {"kind": "complaint", "channel": "phone", "title": "噪音", "text": "夜间施工噪音"}


class Open311LanguageTest(ApiTestCase):
    def receipt(self, headers=None):
        response = self.o311_post(headers=headers, **self.report(address_string="洪桥街道"))
        self.assertEqual(response.status_code, 200, response.content)
        [receipt] = as_json(response)
        return response, receipt

    def test_the_receipt_is_chinese_by_default(self):
        response, receipt = self.receipt()
        number = receipt["service_request_id"]
        notice = receipt["service_notice"]
        self.assertTrue(notice.startswith(f"已受理，工单编号 {number}。预计由洪桥街道承办。答复期限："), notice)
        self.assertEqual(response["Content-Language"], "zh-hans")
        self.assertIn("Accept-Language", response["Vary"])

    def test_the_receipt_in_english_when_asked(self):
        response, receipt = self.receipt(ENGLISH)
        notice = receipt["service_notice"]
        self.assertTrue(notice.startswith(f"Received as case {receipt['service_request_id']}. "
                                          "Expected to be handled by 洪桥街道. A reply is due by "), notice)
        self.assertEqual(response["Content-Language"], "en")

    def test_notes_and_status_notes(self):
        case = self.accepted_case()
        [row] = as_json(self.o311_get(f"requests/{case.number}", extensions="true"))
        self.assertEqual([n["description"] for n in row["notes"]], ["已受理", "已派单至洪桥街道", "洪桥街道已签收"])
        self.assertNotRegex(row["status_notes"], "[A-Za-z]")
        self.assertIn("答复期限", row["service_notice"])
        [row] = as_json(self.o311_get(f"requests/{case.number}", headers=ENGLISH, extensions="true"))
        self.assertEqual([n["description"] for n in row["notes"]], ["Received", "Dispatched to 洪桥街道", "Accepted by 洪桥街道"])
        self.assertIn("A reply is due by", row["service_notice"])

    def test_errors_in_json_and_xml(self):
        form = self.report(service_code="")
        [error] = as_json(self.o311_post(**form))
        self.assertEqual(error, {"code": 400, "description": "未提供 service_code。"})
        root = as_xml(self.o311_post("xml", **form))
        self.assertEqual(root.findtext("error/description"), "未提供 service_code。")
        [error] = as_json(self.o311_post(headers=ENGLISH, **form))
        self.assertEqual(error["description"], "service_code was not provided.")
        root = as_xml(self.o311_post("xml", headers=ENGLISH, **form))
        self.assertEqual(root.findtext("error/description"), "service_code was not provided.")

    def test_which_language_a_header_picks(self):
        cases = [("en-US,en;q=0.9", "en"), ("fr, en;q=0.5", "en"), ("fr", "zh-hans"), ("zh-CN,en;q=0.5", "zh-hans"),
                 ("en;q=0.1, zh-Hans;q=0.9", "zh-hans"), ("*", "zh-hans"), ("", "zh-hans"), ("x" * 600, "zh-hans")]
        for header, language in cases:
            with self.subTest(header=header[:20]):
                response = self.o311_get("services/99.99.99", headers={"Accept-Language": header})
                self.assertEqual(response["Content-Language"], language)
                english = as_json(response)[0]["description"] == "service_code 99.99.99 not found."
                self.assertEqual(english, language == "en")

    def test_the_console_switch_does_not_count(self):
        self.client.cookies["django_language"] = "en"
        [error] = as_json(self.o311_get("services/99.99.99"))
        self.assertEqual(error["description"], "未找到 service_code 99.99.99。")

    @override_settings(API_MAX_BODY_BYTES=500)
    def test_an_oversize_body_is_refused_in_the_asked_language(self):
        response = self.o311_post(**self.report(description="长" * 400))
        self.assertEqual(as_json(response)[0], {"code": 413, "description": "请求体超过 500 字节。"})
        self.assertEqual(response["Content-Language"], "zh-hans")
        response = self.o311_post(headers=ENGLISH, **self.report(description="长" * 400))
        self.assertEqual(as_json(response)[0]["description"], "The request body is larger than 500 bytes.")
        self.assertEqual(response["Content-Language"], "en")


class RestLanguageTest(ApiTestCase):
    def post_case(self, headers=None, **changes):
        return self.api("operator").post("/api/v1/cases/", CASE_FIELDS | changes, format="json", headers=headers or {})

    def test_a_validation_error_is_chinese_by_default(self):
        response = self.post_case(lat=23.1, title="")
        self.assertEqual(response.status_code, 400, response.content)
        body = response.json()
        self.assertEqual((body["detail"], body["code"]), ("无效的输入。", "invalid"))
        self.assertEqual(body["fields"]["title"], ["该字段不能为空。"])
        self.assertEqual(response["Content-Language"], "zh-hans")

    def test_a_validation_error_in_english_when_asked(self):
        response = self.post_case(ENGLISH, lat=23.1, title="")
        body = response.json()
        self.assertEqual((body["detail"], body["code"]), ("Invalid input.", "invalid"))
        self.assertEqual(body["fields"]["title"], ["This field may not be blank."])
        self.assertEqual(response["Content-Language"], "en")

    def test_our_own_messages(self):
        response = self.post_case(lat=23.1)
        self.assertEqual(response.json()["fields"]["non_field_errors"], ["lat 和 lng 必须同时提供。"])
        response = self.post_case(ENGLISH, lat=23.1)
        self.assertEqual(response.json()["fields"]["non_field_errors"], ["lat and lng must be given together."])
        response = self.client.get("/api/v1/me/", headers={"Authorization": "Token nope"})
        self.assertEqual((response.status_code, response.json()["detail"]), (401, "令牌无效或已被吊销。"))

    @override_settings(API_MAX_BODY_BYTES=500)
    def test_an_oversize_body(self):
        response = self.post_case(ENGLISH, text="长" * 400)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["detail"], "The request body is larger than 500 bytes.")
        self.assertEqual(self.post_case(text="长" * 400).json()["detail"], "请求体超过 500 字节。")
