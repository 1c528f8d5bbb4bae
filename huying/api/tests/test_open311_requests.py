"""Open311 GET requests (every filter, default limits, extensions) and GET
requests/{id}, in JSON and XML; no citizen's name or phone ever."""

import datetime as dt
from unittest import mock

from huying.api.tests.base import ApiTestCase, as_json, as_xml
from huying.cases import steps
from huying.test import at


class RequestsTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.clock = mock.patch("huying.api.open311.views.timezone.now", return_value=self.now)
        self.clock.start()
        self.addCleanup(self.clock.stop)

    def get(self, fmt="json", **params):
        response = self.o311_get("requests", fmt, **params)
        self.assertEqual(response.status_code, 200, response.content)
        return as_json(response) if fmt == "json" else as_xml(response)

    def ids(self, **params):
        return [r["service_request_id"] for r in self.get(**params)]

    def test_one_request_in_full(self):
        case = self.replied_case(text="张三说东风中路垃圾堆放，电话13812345678，邮箱zs@example.com")
        [row] = self.get()
        self.assertEqual(row["service_request_id"], case.number)
        self.assertEqual(row["status"], "open")
        self.assertEqual((row["service_code"], row["service_name"]), ("02.01.01", "垃圾清运"))
        self.assertEqual(row["agency_responsible"], "洪桥街道")
        self.assertEqual(row["requested_datetime"], "2026-03-03T10:00:00+08:00")
        self.assertEqual(row["address"], "东风中路268号")
        self.assertEqual(row["address_id"], self.community.code)
        self.assertEqual((row["lat"], row["long"], row["zipcode"], row["media_url"]), (None, None, None, None))
        self.assertTrue(row["expected_datetime"].endswith("+08:00"))
        # Never the citizen: name and phone masked in the text, not given at all as fields.
        self.assertNotIn("张三", str(row))
        self.assertNotIn("13812345678", str(row))
        self.assertNotIn("zs@example.com", str(row))
        self.assertIn("138****5678", row["description"])
        self.assertEqual(set(row), {
            "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
            "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
            "lat", "long", "media_url",
        })

    def test_xml(self):
        case = self.dispatched_case()
        root = self.get("xml")
        self.assertEqual(root.tag, "service_requests")
        request = root.find("request")
        self.assertEqual(request.findtext("service_request_id"), case.number)
        self.assertEqual(request.findtext("status"), "open")
        self.assertEqual(request.find("zipcode").text, None)
        self.assertNotIn("张三".encode(), self.o311_get("requests", "xml").content)

    def test_confidential_report_shows_no_text(self):
        self.new_case(kind="report", confidential=True, text="举报某店铺，我是李四")
        [row] = self.get()
        self.assertIsNone(row["description"])

    def test_closed_and_merged_are_closed(self):
        main = self.dispatched_case()
        dup = self.new_case()
        steps.merge(dup, self.dispatcher, into=main, now=self.now)
        gone = self.new_case()
        steps.close(gone, self.operator, reason="无效来电", now=self.now)
        rows = {r["service_request_id"]: r for r in self.get()}
        self.assertEqual(rows[main.number]["status"], "open")
        self.assertEqual(rows[dup.number]["status"], "closed")
        self.assertIn(main.number, rows[dup.number]["status_notes"])
        self.assertEqual(rows[gone.number]["status"], "closed")
        self.assertEqual(self.ids(status="closed"), sorted([dup.number, gone.number], reverse=True))
        self.assertEqual(self.ids(status="open"), [main.number])
        self.assertEqual(len(self.ids(status="open,closed")), 3)
        self.assertEqual(self.o311_get("requests", status="pending").status_code, 400)

    def test_service_code_filter(self):
        lifts = self.new_case(category=self.lifts)
        rubbish = self.new_case()
        self.assertEqual(self.ids(service_code="01.01.01"), [lifts.number])
        self.assertEqual(set(self.ids(service_code="01.01.01,02.01.01")), {lifts.number, rubbish.number})
        self.assertEqual(self.o311_get("requests", service_code="99").status_code, 400)

    def test_service_request_id_overrides_everything(self):
        old = self.new_case(now=self.now - dt.timedelta(days=200))
        new = self.new_case()
        self.assertEqual(self.ids(), [new.number])  # 90 days by default
        self.assertEqual(set(self.ids(service_request_id=f"{old.number},{new.number}", status="closed")), {old.number, new.number})

    def test_default_span_is_90_days(self):
        inside = self.new_case(now=self.now - dt.timedelta(days=89))
        self.new_case(now=self.now - dt.timedelta(days=91))
        self.assertEqual(self.ids(), [inside.number])

    def test_dates(self):
        march = self.new_case(now=at(2026, 3, 2, 9, 0))
        january = self.new_case(now=at(2026, 1, 5, 9, 0))
        self.assertEqual(self.ids(start_date="2026-03-01T00:00:00+08:00", end_date="2026-03-04T00:00:00Z"), [march.number])
        self.assertEqual(self.ids(start_date="2026-01-01T00:00:00Z"), [march.number, january.number])  # start + 90 days
        self.assertEqual(self.ids(start_date="2026-01-01T00:00:00Z", end_date="2026-01-31T00:00:00Z"), [january.number])
        self.assertEqual(self.ids(end_date="2026-01-31T00:00:00Z"), [january.number])
        # An unencoded "+" arrives as a space; still understood.
        self.assertEqual(self.ids(start_date="2026-03-01T00:00:00 08:00", end_date="2026-03-04T00:00:00 08:00"), [march.number])

    def test_date_errors(self):
        for params in (
            {"start_date": "2026-03-01"},  # no time zone
            {"start_date": "2026-03-01T00:00:00"},
            {"start_date": "yesterday"},
            {"start_date": "2026-02-30T00:00:00Z"},
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},  # over 90 days
            {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"},
            {"updated_after": "2026-03-01T00:00:00Z", "updated_before": "2026-02-01T00:00:00Z"},
        ):
            with self.subTest(**params):
                for fmt in ("json", "xml"):
                    response = self.o311_get("requests", fmt, **params)
                    self.assertEqual(response.status_code, 400)
                self.assertEqual(as_json(self.o311_get("requests", **params))[0]["code"], 400)

    def test_updated_after_and_before(self):
        quiet = self.new_case(now=at(2026, 3, 2, 9, 0))
        busy = self.new_case(now=at(2026, 3, 2, 9, 0))
        steps.dispatch(busy, self.dispatcher, lead=self.street, now=at(2026, 3, 3, 9, 0))
        self.assertEqual(self.ids(updated_after="2026-03-02T12:00:00+08:00"), [busy.number])
        self.assertEqual(self.ids(updated_before="2026-03-02T12:00:00+08:00"), [quiet.number])
        [row] = self.get(service_request_id=busy.number)
        self.assertEqual(row["updated_datetime"], "2026-03-03T09:00:00+08:00")

    def test_pages(self):
        made = [self.new_case(now=self.now - dt.timedelta(minutes=i)).number for i in range(5)]
        self.assertEqual(self.ids(page_size="2"), made[:2])
        self.assertEqual(self.ids(page_size="2", page="3"), made[4:])
        self.assertEqual(self.ids(page_size="2", page="9"), [])
        for bad in ({"page": "0"}, {"page_size": "1001"}, {"page_size": "-1"}, {"page": "x"}):
            with self.subTest(**bad):
                self.assertEqual(self.o311_get("requests", **bad).status_code, 400)

    def test_at_most_1000(self):
        from huying.api.open311 import requests

        with mock.patch.object(requests, "LIMIT", 3):
            for i in range(4):
                self.new_case(now=self.now - dt.timedelta(minutes=i))
            self.assertEqual(len(self.ids()), 3)

    def test_extensions_add_notes(self):
        case = self.accepted_case()
        [row] = self.get(extensions="true")
        self.assertEqual([n["type"] for n in row["notes"]], ["intake", "dispatch", "accept"])
        self.assertEqual([n["description"] for n in row["notes"]], ["已受理", "已派单至洪桥街道", "洪桥街道已签收"])
        self.assertEqual(row["extended_attributes"]["channel"], "phone")
        root = self.get("xml", extensions="true")
        self.assertEqual([n.findtext("type") for n in root.findall("request/notes/note")], ["intake", "dispatch", "accept"])
        [plain] = self.get()
        self.assertNotIn("notes", plain)
        self.assertEqual(case.number, plain["service_request_id"])


class RequestDetailTest(ApiTestCase):
    def test_json_and_xml(self):
        case = self.dispatched_case()
        [row] = as_json(self.o311_get(f"requests/{case.number}"))
        self.assertEqual((row["service_request_id"], row["agency_responsible"]), (case.number, "洪桥街道"))
        self.assertTrue(row["expected_datetime"].endswith("+08:00"))
        root = as_xml(self.o311_get(f"requests/{case.number}", "xml"))
        self.assertEqual(root.findtext("request/service_request_id"), case.number)

    def test_extensions(self):
        case = self.new_case()
        [row] = as_json(self.o311_get(f"requests/{case.number}", extensions="true"))
        self.assertEqual([n["type"] for n in row["notes"]], ["intake"])

    def test_not_found(self):
        for fmt in ("json", "xml"):
            response = self.o311_get("requests/YX000", fmt)
            self.assertEqual(response.status_code, 404)
        self.assertEqual(as_json(self.o311_get("requests/YX000"))[0]["description"], "未找到 service_request_id YX000。")

    def test_query_string_not_utf8(self):
        response = self.client.get("/open311/v2/requests.json", QUERY_STRING="status=%FF")
        self.assertEqual(response.status_code, 400)
        self.assertIn("UTF-8", as_json(response)[0]["description"])
