"""`huying load-deployment yuexiu` gives the real district, and loading twice
changes nothing."""

import csv
import io
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from huying.cases.models import Category
from huying.org import deployment
from huying.org.models import Unit
from huying.routing.models import Rule
from huying.routing.responsibility import responsible
from huying.sla.models import Day, Limit

YUEXIU = Path(deployment.__file__).parent / "deployments" / "yuexiu"


class YuexiuTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tally = deployment.load("yuexiu")

    def test_eighteen_streets_and_222_communities_with_official_codes(self):
        streets = Unit.objects.filter(kind=Unit.STREET)
        self.assertEqual(streets.count(), 18)
        self.assertEqual(Unit.objects.filter(kind=Unit.COMMUNITY).count(), 222)
        self.assertEqual(Unit.objects.get(code="440104").name, "越秀区")
        self.assertEqual(Unit.objects.get(code="440104001").name, "洪桥街道")
        for street in streets:
            self.assertRegex(street.code, r"^440104\d{3}$")
            self.assertEqual(street.parent.code, "440104")
        for community in Unit.objects.filter(kind=Unit.COMMUNITY).select_related("parent"):
            self.assertEqual(community.parent.kind, Unit.STREET)
            self.assertTrue(community.code.startswith(community.parent.code))

    def test_the_project_copy_matches_the_official_list_when_present(self):
        official = YUEXIU.parents[3] / ".." / "shared" / "data" / "yuexiu" / "yuexiu_divisions.csv"
        if not official.exists():
            self.skipTest(f"reference data not found at {official}")
        with open(official, encoding="utf-8") as f:
            expected = {(r["code"], r["name"]) for r in csv.DictReader(f) if r["level"] != "district"}
        loaded = set(Unit.objects.filter(kind__in=[Unit.STREET, Unit.COMMUNITY]).values_list("code", "name"))
        self.assertEqual(loaded, expected)

    def test_departments_centre_categories_rules(self):
        self.assertGreaterEqual(Unit.objects.filter(kind=Unit.DEPARTMENT).count(), 20)
        self.assertEqual(Unit.objects.filter(kind=Unit.CENTRE).count(), 1)
        tops = Category.objects.filter(level=1)
        self.assertGreaterEqual(tops.count(), 10)
        leaves = Category.objects.filter(level=3)
        self.assertEqual(Rule.objects.count(), leaves.count())
        for leaf in leaves.select_related("parent__parent"):
            self.assertEqual(leaf.parent.parent.level, 1)
        self.assertTrue(Rule.objects.filter(unit__isnull=True).exists())  # territory rules
        self.assertTrue(Rule.objects.filter(unit__isnull=False).exists())  # category rules

    def test_rules_give_a_lead_unit_with_a_reason(self):
        street = Unit.objects.get(code="440104001")
        territorial = Rule.objects.filter(unit__isnull=True).first().category
        decision = responsible(territorial, street)
        self.assertEqual(decision.unit, street)
        self.assertIn("属地规则", decision.reason)  # the deployment's language: Chinese
        specialised = Rule.objects.filter(unit__isnull=False).select_related("unit").first()
        decision = responsible(specialised.category, street)
        self.assertEqual(decision.unit, specialised.unit)
        self.assertIsNone(responsible(territorial, None))

    def test_limits_and_calendar_come_with_it(self):
        self.assertTrue(Limit.objects.filter(kind="complaint", urgency="normal").exists())
        self.assertTrue(Day.objects.filter(date__year=2026).exists())

    def test_loading_twice_changes_nothing(self):
        counts = {m: m.objects.count() for m in (Unit, Category, Rule)}
        again = deployment.load("yuexiu")
        self.assertEqual(again, {"created": 0, "updated": 0})
        self.assertEqual({m: m.objects.count() for m in counts}, counts)

    def test_the_command(self):
        out = io.StringIO()
        call_command("load_deployment", "yuexiu", stdout=out)
        self.assertIn("0 created, 0 updated", out.getvalue())
        self.assertIn("18 street, 222 community", out.getvalue())
        with self.assertRaisesMessage(CommandError, "unknown deployment 'atlantis'"):
            call_command("load_deployment", "atlantis")


class BrokenDeploymentTestCase(TestCase):
    def test_unknown_department_in_categories_loads_nothing(self):
        broken = YUEXIU.parent / "broken-test"
        broken.mkdir()
        try:
            for name in ("deployment.json", "divisions.csv", "departments.csv"):
                (broken / name).write_bytes((YUEXIU / name).read_bytes())
            (broken / "categories.csv").write_text(
                "code,level1,level2,level3,department,keywords\n01.01.01,甲,乙,丙,dept-nowhere,x\n", encoding="utf-8")
            with self.assertRaisesMessage(deployment.DeploymentError, "dept-nowhere"):
                deployment.load("broken-test")
            self.assertEqual(Unit.objects.count(), 0)
            self.assertEqual(Category.objects.count(), 0)
        finally:
            for path in broken.iterdir():
                path.unlink()
            broken.rmdir()
