"""A report's proposals become orders only when a leader confirms them —
on the seed report (its ten livelihood projects) and on the made-up one."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command

from huying.cases.errors import BadInput, NotAllowed
from huying.orders import proposals
from huying.orders.models import Order, OrderEvent, Project, Report, Source
from huying.orders.tests.base import OrdersTestCase
from huying.orders.tests.test_extract import MADE_UP, SEED_ANNEX_TARGETS, _seed_path
from huying.test import at

SEED = _seed_path()


def seed_text(case):
    if not SEED.exists():
        case.skipTest(f"seed report not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


class ConfirmSeedTestCase(OrdersTestCase):
    def setUp(self):
        super().setUp()
        self.report = proposals.read(self.leader, title="2021年越秀区人民政府工作报告", text=seed_text(self), now=self.now)

    def annex(self):
        return [s for s in proposals.proposals_of(self.report, self.now) if s.project]

    def test_nothing_is_an_order_until_confirmed(self):
        self.assertEqual(self.report.year, 2021)
        revenue = next(s for s in proposals.proposals_of(self.report, self.now) if s.key == "108.2")
        self.assertEqual((revenue.target, revenue.measure), ("3.7", "%"))  # not 3.70000000000000017…
        self.assertGreater(len(proposals.proposals_of(self.report, self.now)), 40)
        self.assertFalse(Order.objects.exists())

    def test_the_ten_livelihood_projects_are_proposed_with_their_targets(self):
        annex = self.annex()
        self.assertEqual(len({s.project for s in annex}), 10)
        self.assertEqual({s.project_rank for s in annex}, set(range(1, 11)))
        found = {(s.project_rank, s.target, s.measure) for s in annex}
        ranks = {"一": 1, "二": 2, "三": 3, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
        for item, quantity, measure, _phrase in SEED_ANNEX_TARGETS:
            self.assertIn((ranks[item.split("、")[0]], str(quantity), measure), found)
        lifts = next(s for s in annex if s.project_rank == 9)
        self.assertEqual((lifts.project, lifts.title, lifts.target_text), ("开展旧楼加装电梯工作", "实现加装电梯不少于300台", "不少于300台"))
        self.assertTrue(lifts.public)
        self.assertEqual(lifts.deadline, dt.date(2026, 12, 31))  # the report's year has passed: this year
        body_lifts = [s for s in proposals.proposals_of(self.report, self.now) if s.key.startswith("132.") and s.measure == "台"]
        self.assertEqual(lifts.twins, [body_lifts[0].key])  # the same 300 lifts in the body of the report

    def test_confirming_the_annex_makes_public_projects_and_orders(self):
        annex = self.annex()
        picks = [{"key": s.key, "lead_unit": self.housing, "co_units": [self.street]} for s in annex if s.target]
        slogan = next(s for s in annex if not s.target)  # 完成“百栋千户”…改造: the leader gives the number
        picks.append({"key": slogan.key, "lead_unit": self.housing, "target": 100, "measure": "栋"})
        orders = proposals.confirm(self.report, picks, self.leader, now=self.now)
        self.assertEqual(len(orders), 21)
        self.assertEqual(Project.objects.filter(public=True, year=2021).count(), 10)
        lifts = Order.objects.get(report_key=next(s.key for s in annex if s.project_rank == 9))
        self.assertEqual((lifts.source, lifts.target, lifts.measure, lifts.target_text, lifts.project.title),
                         (Source.REPORT, 300, "台", "不少于300台", "开展旧楼加装电梯工作"))
        self.assertEqual(lifts.deadline, at(2026, 12, 31, 23, 59, 59))
        self.assertIn("加装电梯不少于300台", lifts.text)
        self.assertEqual(lifts.report_section, "附件1 › 2021年十件民生实事事项 › 九、开展旧楼加装电梯工作")
        fire = Order.objects.get(report_key=slogan.key)
        self.assertEqual((fire.target, fire.measure, fire.target_text), (100, "栋", "“百栋千户”"))
        # Confirmed proposals are shown as orders, and cannot be confirmed twice.
        self.assertTrue(all(s.order for s in self.annex()))
        with self.assertRaises(proposals.ConfirmErrors) as caught:
            proposals.confirm(self.report, picks[:1], self.leader, now=self.now)
        self.assertIn("Already confirmed", str(caught.exception))

    def test_one_bad_pick_creates_nothing_and_every_problem_is_named(self):
        annex = self.annex()
        slogan = next(s for s in annex if not s.target)
        picks = [
            {"key": annex[0].key, "lead_unit": self.housing},
            {"key": slogan.key, "lead_unit": self.housing},  # no number to track
            {"key": annex[1].key, "lead_unit": None},
            {"key": annex[2].key, "lead_unit": self.housing, "deadline": "2026-13-01"},
            {"key": "999.1", "lead_unit": self.housing},
        ]
        with self.assertRaises(proposals.ConfirmErrors) as caught:
            proposals.confirm(self.report, picks, self.leader, now=self.now)
        errors = caught.exception.errors
        self.assertEqual(set(errors), {slogan.key, annex[1].key, annex[2].key, "999.1"})
        self.assertIn("measure word", errors[slogan.key])  # 百栋千户 has neither a number nor a measure
        self.assertIn("lead unit", errors[annex[1].key])
        self.assertIn("2026-13-01", errors[annex[2].key])
        self.assertFalse(Order.objects.exists())
        self.assertFalse(Project.objects.exists())
        self.assertFalse(OrderEvent.objects.exists())

    def test_a_leader_confirms_only_inside_their_area(self):
        street_leader = self.person("street-leader", self.street, "leader")
        key = self.annex()[0].key
        with self.assertRaises(proposals.ConfirmErrors) as caught:
            proposals.confirm(self.report, [{"key": key, "lead_unit": self.housing}], street_leader, now=self.now)
        self.assertIn("leader", caught.exception.errors[key])
        proposals.confirm(self.report, [{"key": key, "lead_unit": self.community}], street_leader, now=self.now)
        with self.assertRaises(NotAllowed):
            proposals.confirm(self.report, [{"key": key, "lead_unit": self.street}], self.street_handler, now=self.now)

    def test_nothing_chosen_is_refused(self):
        with self.assertRaises(BadInput):
            proposals.confirm(self.report, [], self.leader, now=self.now)


class ConfirmMadeUpTestCase(OrdersTestCase):
    def test_the_made_up_report(self):
        report = proposals.read(self.leader, title="青禾区2022年政府工作报告", text=MADE_UP.read_text(encoding="utf-8"), now=self.now)
        offered = {s.key: s for s in proposals.proposals_of(report, self.now)}
        self.assertEqual(offered["48.1"].project, "加快旧楼加装电梯")
        self.assertEqual((offered["48.1"].target, offered["48.1"].measure), ("120", "台"))
        self.assertEqual((offered["50.3"].target, offered["50.3"].measure, offered["50.3"].target_text), ("70", "%", "百分之七十以上"))
        self.assertEqual(offered["31.3"].project, "")  # the body of the report is no livelihood project
        orders = proposals.confirm(report, [
            {"key": "48.1", "lead_unit": self.housing, "title": "旧楼加装电梯120台"},
            {"key": "50.3", "lead_unit": self.hrss, "deadline": dt.date(2026, 6, 30)},
            {"key": "31.3", "lead_unit": self.street},
        ], self.leader, now=self.now)
        self.assertEqual([o.title for o in orders], ["旧楼加装电梯120台", "就业困难人员就业率达到百分之七十以上", "整治背街小巷五十条"])
        self.assertEqual((orders[1].target, orders[1].is_level, orders[1].deadline), (70, True, at(2026, 6, 30, 23, 59, 59)))
        self.assertIsNone(orders[2].project)
        self.assertEqual(sorted(Project.objects.values_list("year", "rank", "title")),
                         [(2022, 3, "加快旧楼加装电梯"), (2022, 4, "促进更高质量就业")])


class CommandTestCase(OrdersTestCase):
    def run_command(self, *args, answers=()):
        out = StringIO()
        with mock.patch("builtins.input", side_effect=list(answers)):
            call_command("orders", *args, stdout=out)
        return out.getvalue()

    def test_extract_prints_one_json_list(self):
        data = json.loads(self.run_command("extract", str(MADE_UP), "--json"))
        self.assertIsInstance(data, list)
        lifts = next(row for row in data if row["key"] == "48.1")
        self.assertEqual((lifts["quantity"], lifts["measure"], lifts["verb"], lifts["project"]), (120, "台", "完成", "加快旧楼加装电梯"))
        self.assertEqual(lifts["section"], "附件1 › 2022年十件民生实事 › 三、加快旧楼加装电梯")
        self.assertTrue(all(row["is_target"] for row in data))
        self.assertFalse(Order.objects.exists())
        everything = json.loads(self.run_command("extract", str(MADE_UP), "--json", "--all"))
        self.assertGreater(len(everything), len(data))

    def test_extract_as_text(self):
        out = self.run_command("extract", str(MADE_UP))
        self.assertIn("48.1", out)
        self.assertIn("一百二十台", out)

    def test_confirm_asks_for_each_proposal_and_creates_only_the_yes(self):
        answers = ["n"] * 12 + ["y", "nowhere", "dept-housing", "", "", "", "2026-11-30", "q", "y"]
        out = self.run_command("confirm", str(MADE_UP), "--by", "leader", answers=answers)
        self.assertIn("no unit with code nowhere", out + "no unit with code nowhere")
        order = Order.objects.get()
        self.assertEqual((order.report_key, order.lead_unit, order.deadline.date()), ("44.1", self.housing, dt.date(2026, 11, 30)))
        self.assertIn("Created 1 order(s)", out)
        self.assertEqual(Report.objects.count(), 1)

    def test_confirm_says_no_and_keeps_nothing(self):
        answers = ["y", "dept-housing", "", "", "", "", "q", "n"]
        out = self.run_command("confirm", str(MADE_UP), "--by", "leader", answers=answers)
        self.assertIn("Nothing created", out)
        self.assertFalse(Order.objects.exists())
        self.assertFalse(Report.objects.exists())

    def test_confirm_with_a_plan(self):
        plan = Path(self.tmp()) / "plan.json"
        plan.write_text(json.dumps([{"key": "48.1", "lead_unit": "dept-housing", "co_units": ["440104001"]},
                                    {"key": "58.1", "lead_unit": "440104001", "target": 25000}]), encoding="utf-8")
        out = self.run_command("confirm", str(MADE_UP), "--by", "leader", "--plan", str(plan), "--yes")
        self.assertIn("Created 2 order(s)", out)
        self.assertEqual(sorted(Order.objects.values_list("report_key", "target")), [("48.1", 120), ("58.1", 25000)])
        # Confirming the same plan again: the report is known, its orders exist.
        with self.assertRaises(CommandError) as caught:
            self.run_command("confirm", str(MADE_UP), "--by", "leader", "--plan", str(plan), "--yes")
        self.assertIn("Already confirmed", str(caught.exception))
        self.assertEqual(Order.objects.count(), 2)

    def test_a_bad_plan_creates_nothing(self):
        plan = Path(self.tmp()) / "plan.json"
        for content, message in [
            ("[{", "not JSON"),
            ('{"key": "48.1"}', "JSON list"),
            ('[{"key": "48.9", "lead_unit": "dept-housing"}]', "48.9"),
            ('[{"key": "48.1", "lead_unit": "dept-nowhere"}]', "dept-nowhere"),
            ('[{"key": "48.1", "lead_unit": "dept-housing", "target": "many"}]', "number"),
        ]:
            with self.subTest(content=content):
                plan.write_text(content, encoding="utf-8")
                with self.assertRaises(CommandError) as caught:
                    self.run_command("confirm", str(MADE_UP), "--by", "leader", "--plan", str(plan), "--yes")
                self.assertIn(message, str(caught.exception))
        self.assertFalse(Order.objects.exists())
        self.assertFalse(Report.objects.exists())

    def test_confirm_needs_a_known_leader(self):
        with self.assertRaises(CommandError):
            self.run_command("confirm", str(MADE_UP), "--by", "nobody")
        plan = Path(self.tmp()) / "plan.json"
        plan.write_text('[{"key": "48.1", "lead_unit": "dept-housing"}]', encoding="utf-8")
        with self.assertRaises(CommandError) as caught:
            self.run_command("confirm", str(MADE_UP), "--by", "street", "--plan", str(plan), "--yes")
        self.assertIn("leader", str(caught.exception))

    def tmp(self):
        import tempfile

        path = tempfile.mkdtemp(prefix="huying-orders-")
        self.addCleanup(__import__("shutil").rmtree, path)
        return path
