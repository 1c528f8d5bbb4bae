"""Routing at intake: automatic dispatch above the confidence threshold,
suggestions below it, every decision in the case's history."""

import tempfile
from pathlib import Path
from unittest import mock

from django.test import override_settings

from huying.cases import steps
from huying.cases.models import Case, Channel, Kind, Status
from huying.routing import intake, jobs, responsibility, store, training
from huying.routing.models import Label, Routing, Rule, Suggestion
from huying.routing.tests import made_up
from huying.sla import worker
from huying.test import BaseTestCase


def train_made_up():
    with tempfile.TemporaryDirectory() as folder:
        path = made_up.write(Path(folder) / "made_up.csv", made_up.rows(per_label=30))
        return training.train(training.read_file(path), source="made_up.csv", progress=False)


class RulesAtIntakeTestCase(BaseTestCase):
    """No classifier: the category a person chose and the rules decide."""

    def setUp(self):
        super().setUp()
        store.forget()
        responsibility.forget()

    def test_territory_case_with_a_known_place_is_dispatched_automatically(self):
        case = self.new_case()  # 垃圾清运 (territory) at 登峰社区 of 洪桥街道
        routing = intake.route(case, now=self.now)
        case = self.fresh(case)
        self.assertEqual(routing.outcome, Routing.DISPATCHED)
        self.assertEqual((case.status, case.lead_unit), (Status.DISPATCHED, self.street))
        route, dispatch = case.events.order_by("seq")[1:]
        self.assertEqual((route.action, route.changes, route.actor_id), ("route", {}, None))
        self.assertEqual(dispatch.action, "dispatch")
        self.assertEqual(dispatch.actor_label, "smart dispatch")
        self.assertIn("市容环境 › 环境卫生 › 垃圾清运 at 洪桥街道: territory rule", dispatch.reason)
        self.assertIn("confidence 1.00 ≥ 0.80", dispatch.reason)
        self.assertIn("dispatched automatically", route.reason)

    def test_department_category_goes_to_the_department(self):
        case = self.new_case(category=self.lifts, community=None, address="")
        intake.route(case, now=self.now)
        case = self.fresh(case)
        self.assertEqual(case.lead_unit, self.housing)
        self.assertIn("城乡建设 › 住房管理 › 加装电梯: 区住房建设和水务局 (category rule)", case.events.last().reason)

    @override_settings(ROUTING_AUTO_DISPATCH=2)
    def test_below_the_threshold_it_waits_with_suggestions(self):
        case = self.new_case()
        routing = intake.route(case, now=self.now)
        case = self.fresh(case)
        self.assertEqual((routing.outcome, case.status, case.lead_unit), (Routing.SUGGESTED, Status.NEW, None))
        top = Suggestion.objects.get(case=case, kind=Suggestion.DISPATCH)
        self.assertEqual((top.rank, top.unit, top.category, top.confidence), (1, self.street, self.rubbish, 1.0))
        last = case.events.last()
        self.assertEqual((last.action, last.changes), ("route", {}))
        self.assertIn("waiting for a dispatcher (1.00 < 2.00)", last.reason)
        # The dispatcher can take the suggestion as it is.
        steps.dispatch(case, self.dispatcher, lead=top.unit, now=self.now)

    def test_territory_rule_without_a_place_waits(self):
        case = self.new_case(community=None, address="地址不详", text="楼下垃圾堆放，气味难闻。")
        routing = intake.route(case, now=self.now)
        self.assertEqual(routing.outcome, Routing.UNDECIDED)
        self.assertEqual(self.fresh(case).status, Status.NEW)
        self.assertIn("place unknown", routing.reason)

    def test_place_from_the_address_is_filled_and_weighs_on_confidence(self):
        # 洪桥街道 named in the address: a street-level match, confidence 0.7.
        case = self.new_case(community=None, address="越秀区洪桥街道")
        with override_settings(ROUTING_AUTO_DISPATCH=0.6):
            intake.route(case, now=self.now)
        case = self.fresh(case)
        self.assertEqual((case.street, case.lead_unit), (self.street, self.street))
        route = case.events.get(action="route")
        self.assertEqual(route.changes, {"street": self.street.pk})
        self.assertIn("address:", route.reason)
        self.assertIn("confidence 0.70 ≥ 0.60", case.events.last().reason)

    def test_place_guess_below_the_threshold_is_only_a_suggestion(self):
        case = self.new_case(community=None, address="越秀区洪桥街道")
        intake.route(case, now=self.now)  # 0.70 < 0.80
        case = self.fresh(case)
        self.assertEqual((case.status, case.street), (Status.NEW, self.street))
        self.assertEqual(Suggestion.objects.get(case=case).confidence, 0.7)

    def test_a_case_is_routed_once(self):
        case = self.new_case()
        self.assertIsNotNone(intake.route(case, now=self.now))
        self.assertIsNone(intake.route(self.fresh(case), now=self.now))
        self.assertEqual(Case.objects.get(pk=case.pk).events.filter(action="route").count(), 1)

    def test_a_case_already_dispatched_is_left_alone(self):
        case = self.dispatched_case(lead=self.housing)
        self.assertIsNone(intake.route(case, now=self.now))
        self.assertFalse(Routing.objects.exists())

    def test_a_case_changed_meanwhile_is_left_for_the_next_round(self):
        case = self.new_case()
        stale = self.fresh(case)
        steps.dispatch(case, self.dispatcher, lead=self.housing, now=self.now)
        stale.status = Status.NEW  # as read before the dispatcher acted
        self.assertIsNone(intake.route(stale, now=self.now))
        self.assertFalse(Routing.objects.exists())
        self.assertEqual(self.fresh(case).lead_unit, self.housing)

    def test_a_routing_failure_never_undoes_intake(self):
        case = self.new_case()
        with mock.patch.object(intake, "plan", side_effect=RuntimeError("boom")), self.assertLogs("huying.routing.intake", "ERROR"):
            routing = intake.route(case, now=self.now)
        self.assertEqual(routing.outcome, Routing.FAILED)
        case = self.fresh(case)
        self.assertEqual((case.status, case.events.count()), (Status.NEW, 1))

    def test_the_worker_routes_what_intake_callers_missed(self):
        case = self.new_case()
        other = self.new_case(title="另一宗", text="另一件不相干的事情：路灯不亮")
        counts = worker.tick(self.now)
        self.assertEqual(counts["route_new"], 2)
        self.assertEqual(self.fresh(case).status, Status.DISPATCHED)
        self.assertEqual(self.fresh(other).lead_unit, self.street)
        self.assertEqual(jobs.route_new(self.now), 0)

    def test_a_possible_duplicate_holds_automatic_dispatch(self):
        first = self.dispatched_case()
        case = self.new_case()  # same text, same community
        routing = intake.route(case, now=self.now)
        self.assertEqual(routing.outcome, Routing.SUGGESTED)
        merge = Suggestion.objects.get(case=case, kind=Suggestion.MERGE)
        self.assertEqual(merge.other_case, first)
        self.assertGreater(merge.confidence, 0.9)
        self.assertIn(f"possible duplicate of {first.number}", routing.reason)
        self.assertIn("a possible duplicate is open", routing.reason)
        self.assertEqual(self.fresh(case).status, Status.NEW)

    def test_a_rule_naming_a_unit_the_centre_cannot_send_to_waits(self):
        Rule.objects.filter(category=self.rubbish).update(unit=self.community)
        case = self.new_case()
        routing = intake.route(case, now=self.now)
        self.assertEqual((routing.outcome, self.fresh(case).status), (Routing.SUGGESTED, Status.NEW))
        self.assertIn("登峰社区 cannot be dispatched to directly", routing.reason)

    def test_a_failed_dispatch_leaves_the_instance_as_the_database_has_it(self):
        case = self.new_case()
        with mock.patch.object(steps, "dispatch", side_effect=RuntimeError("boom")), self.assertLogs("huying.routing.intake", "ERROR"):
            routing = intake.route(case, now=self.now)
        self.assertEqual(routing.outcome, Routing.FAILED)
        self.assertEqual((case.version, case.status), (1, Status.NEW))
        self.assertEqual(self.fresh(case).events.count(), 1)  # the route event went with the failed dispatch
        steps.dispatch(case, self.dispatcher, lead=self.street, now=self.now)  # the instance is still usable

    def test_co_units_come_from_recent_history(self):
        for _ in range(5):
            steps.dispatch(self.new_case(title="垃圾", text=f"垃圾{_}"), self.dispatcher, lead=self.street,
                           co_units=[self.housing], now=self.now)
        with override_settings(ROUTING_DUPLICATE_MIN_SCORE=1.01):
            case = self.new_case()
            intake.route(case, now=self.now)
        case = self.fresh(case)
        self.assertEqual(list(case.co_units.all()), [self.housing])
        self.assertIn("co-units", case.events.last().reason)


class ClassifierAtIntakeTestCase(BaseTestCase):
    """No category from the operator: the classifier's guess decides."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        store.forget()
        cls.trained = train_made_up()

    def setUp(self):
        super().setUp()
        store.forget()
        responsibility.forget()

    def case(self, title, text, **fields):
        return steps.intake(self.operator, kind=Kind.COMPLAINT, channel=Channel.PHONE, title=title, text=text,
                            community=self.community, now=self.now, **fields)

    def test_a_sure_guess_is_dispatched_and_its_category_recorded(self):
        case = self.case("加装电梯审批", "您好，楼里老人上下楼困难想装电梯，加装电梯要准备什么资料。")
        with override_settings(ROUTING_AUTO_DISPATCH=0.5):
            routing = intake.route(case, now=self.now)
        case = self.fresh(case)
        self.assertEqual(routing.outcome, Routing.DISPATCHED)
        self.assertEqual(routing.model_version, self.trained.version)
        self.assertEqual((case.category, case.lead_unit), (self.lifts, self.housing))
        route = case.events.get(action="route")
        self.assertEqual(route.changes, {"category": self.lifts.pk})
        self.assertIn(f"classifier v{self.trained.version}", case.events.last().reason)

    def test_the_threshold_is_the_guess_s_own_confidence(self):
        text = ("加装电梯审批", "您好，楼里老人上下楼困难想装电梯，加装电梯要准备什么资料。")
        guess = intake.guess_categories(*text)[0][0]
        self.assertEqual(guess.category, self.lifts)
        # Just above the guess's confidence: it waits, with the guess as first suggestion.
        with override_settings(ROUTING_AUTO_DISPATCH=guess.confidence + 0.001):
            routing = intake.route(case := self.case(*text), now=self.now)
        case = self.fresh(case)
        self.assertEqual((routing.outcome, case.status, case.category), (Routing.SUGGESTED, Status.NEW, None))
        top = Suggestion.objects.filter(case=case, kind=Suggestion.DISPATCH).first()
        self.assertEqual((top.unit, top.category, top.confidence), (self.housing, self.lifts, round(guess.confidence, 4)))
        steps.close(case, self.operator, reason="测试", now=self.now)  # not a duplicate of the next one
        # Exactly at it: dispatched.
        with override_settings(ROUTING_AUTO_DISPATCH=round(guess.confidence, 4)):
            routing = intake.route(case := self.case(*text), now=self.now)
        self.assertEqual((routing.outcome, self.fresh(case).lead_unit), (Routing.DISPATCHED, self.housing))

    def test_a_label_of_an_older_system_suggests_nothing_until_mapped(self):
        text = ("公司拖欠工资", "老板拖欠三个月工资不发，公司不给员工买社保。")
        case = self.case(*text)
        routing = intake.route(case, now=self.now)
        # Only the unlikely mapped guesses are left: weak suggestions, no dispatch.
        self.assertEqual((routing.outcome, self.fresh(case).status), (Routing.SUGGESTED, Status.NEW))
        self.assertLess(routing.confidence, 0.3)
        self.assertIn("'劳动保障旧类'", routing.reason)
        self.assertIn("not mapped to a category yet", routing.reason)
        # An admin maps the label; the next case of that kind is dispatched.
        wages = self.category("03.01.01", ["劳动就业", "劳动关系", "欠薪"], self.hrss)
        Label.objects.filter(name="劳动保障旧类").update(category=wages)
        steps.close(case, self.operator, reason="重复来电", now=self.now)  # else it is a duplicate of the next
        with override_settings(ROUTING_AUTO_DISPATCH=0.5):
            intake.route(case := self.case(*text), now=self.now)
        self.assertEqual(self.fresh(case).lead_unit, self.hrss)
