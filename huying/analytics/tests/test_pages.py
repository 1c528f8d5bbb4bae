"""The data centre's pages: figures, the cases behind them, map, hotspots and
the report download, each within the viewer's scope."""

import io
import json

import openpyxl

from huying.analytics.models import Hotspot
from huying.analytics.tests.test_rates import Stories, settle
from huying.test import BaseTestCase, at

MARCH = {"period": "2026-03"}


class PagesTestCase(Stories, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.build()

    def get(self, user, url, **params):
        self.client.force_login(user)
        return self.client.get(url, params)

    def test_overview_shows_the_rates_and_links_every_number(self):
        page = self.get(self.leader, "/data/", **MARCH)
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        self.assertIn("50.0%", text)  # district response rate: 3 of 6
        self.assertIn("洪桥街道", text)
        self.assertIn("79.25", text)  # the street's score
        self.assertIn("/data/cases/?metric=responded&amp;period=2026-03", text)
        charts = json.loads(json.dumps(page.context["charts"]))  # what the page hands to ECharts
        self.assertEqual(sum(p["received"] for p in charts["trend"]["points"]), 8)
        self.assertEqual(len(charts["trend"]["points"]), 31)
        self.assertTrue(all(i["url"].startswith("/data/cases/") for i in charts["channels"]["items"]))

    def test_a_street_sees_itself_and_its_communities(self):
        page = self.get(self.street_handler, "/data/", **MARCH, unit=self.street.pk)
        self.assertEqual(page.status_code, 200)
        names = [row["name"] for _title, rows in page.context["rankings"] for row in rows]
        self.assertEqual(names, ["洪桥街道", "登峰社区"])
        self.assertEqual(self.get(self.street_handler, "/data/", unit=self.housing.pk).status_code, 404)
        self.assertEqual(self.get(self.outsider, "/data/", **MARCH).context["total"]["received"], 0)

    def test_citizens_and_strangers_are_kept_out(self):
        self.assertEqual(self.get(self.citizen, "/data/").status_code, 403)
        self.client.logout()
        self.assertIn(self.client.get("/data/").status_code, (302, 403))

    def test_cases_behind_a_figure(self):
        page = self.get(self.leader, "/data/cases/", metric="overdue", **MARCH)
        numbers = {c.number for c in page.context["page"]}
        self.assertEqual(numbers, {self.cases[x].number for x in "BFH"})
        self.assertContains(page, f"/work/cases/{self.cases['B'].number}/")
        street_only = self.get(self.street_handler, "/data/cases/", metric="overdue", **MARCH)
        self.assertEqual({c.number for c in street_only.context["page"]}, {self.cases[x].number for x in "BH"})
        self.assertEqual(self.get(self.leader, "/data/cases/", metric="nonsense").status_code, 404)
        bad = self.get(self.leader, "/data/cases/", metric="received", period="March")
        self.assertContains(bad, "不是有效的时间段：March", status_code=200)  # Chinese by default

    def test_map_has_the_outline_cells_and_circles(self):
        self.new_case(lat=23.138, lng=113.262)
        settle()
        page = self.get(self.leader, "/data/map/", **MARCH)
        data = page.context["map"]
        self.assertEqual(data["boundary"]["features"][0]["geometry"]["type"], "MultiPolygon")
        self.assertEqual(sum(c["count"] for c in data["cells"]), 1)
        self.assertIn("登峰社区", [c["name"] for c in data["circles"]])
        self.assertEqual([(r["name"], r["count"]) for r in data["streets"]], [("洪桥街道", 9)])

    def test_hotspots_page_lists_what_the_worker_found(self):
        spot = Hotspot.objects.create(computed_at=at(2026, 3, 10, 9, 0), rank=1, title="垃圾堆放", place="登峰社区",
                                      street=self.street.pk, first_at=self.now, last_at=self.now, size=2, people=2,
                                      growth=1.0, heat=40.0)
        spot.cases.set([self.cases["A"], self.cases["B"]])
        leader_page = self.get(self.leader, "/data/hotspots/")
        self.assertContains(leader_page, "垃圾堆放")
        self.assertContains(leader_page, 'action="/orders/hotspot/new/"')  # a hotspot can start an order
        self.assertNotContains(self.get(self.street_handler, "/data/hotspots/"), 'action="/orders/hotspot/new/"')
        self.assertNotContains(self.get(self.outsider, "/data/hotspots/"), "垃圾堆放")
        listed = self.get(self.street_handler, f"/data/hotspots/{spot.pk}/")
        self.assertEqual({c.number for c in listed.context["page"]}, {self.cases["A"].number, self.cases["B"].number})
        self.assertEqual(self.get(self.outsider, f"/data/hotspots/{spot.pk}/").status_code, 404)

    def test_report_download(self):
        response = self.get(self.leader, "/data/report/", month="2026-03")
        self.assertEqual(response.status_code, 200)
        self.assertIn("huying-report-2026-03-01..2026-03-31.xlsx", response["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(len(book.sheetnames), 4)
        self.assertEqual(self.get(self.leader, "/data/report/", month="13").status_code, 400)
