"""Smart dispatch writes its reasons in the language active when it routes:
a console request's, or the deployment's LANGUAGE_CODE in the worker. The
reasons carry numbers, so they could never be translated when shown."""

import io
from unittest import mock

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from huying.cases.models import Case, Status
from huying.routing import intake, responsibility, store
from huying.routing.models import Routing, Suggestion
from huying.test import BaseTestCase

OWN_LANGUAGE = True  # not read in English by conftest.py


class LanguageTestCase(BaseTestCase):
    """No language active unless a test activates one; no cached model or rules."""

    def setUp(self):
        super().setUp()
        store.forget()
        responsibility.forget()
        translation.deactivate()
        self.addCleanup(translation.deactivate)


class RoutingLanguageTestCase(LanguageTestCase):

    def routed(self, language, **fields):
        case = self.new_case(**fields)  # 垃圾清运 (territory) at 登峰社区 of 洪桥街道
        with translation.override(language):
            routing = intake.route(case, now=self.now)
        return routing, self.fresh(case)

    def test_chinese_reasons_in_the_history_and_the_suggestions(self):
        routing, case = self.routed("zh-hans")
        self.assertEqual(case.status, Status.DISPATCHED)
        route, dispatch = case.events.order_by("seq")[1:]
        self.assertEqual(route.reason, routing.reason)
        self.assertIn("地点：洪桥街道 登峰社区（受理时已填洪桥街道，1.00）", route.reason)
        self.assertIn("1. 洪桥街道 1.00：市容环境 › 环境卫生 › 垃圾清运，洪桥街道：属地规则［受理时已选］", route.reason)
        self.assertIn("已自动派单（置信度 1.00 ≥ 0.80）", route.reason)
        self.assertEqual(dispatch.actor_label, "智能分派")
        self.assertIn("属地规则", dispatch.reason)
        self.assertTrue(dispatch.reason.endswith("；置信度 1.00 ≥ 0.80"))
        suggestion = Suggestion.objects.get(case=case, kind=Suggestion.DISPATCH)
        self.assertEqual(suggestion.reason, "市容环境 › 环境卫生 › 垃圾清运，洪桥街道：属地规则［受理时已选］")
        self.assertNotRegex(route.reason + dispatch.reason, "[A-Za-z]{2,}")

    def test_english_reasons_when_english_is_active(self):
        routing, case = self.routed("en")
        route, dispatch = case.events.order_by("seq")[1:]
        self.assertIn("dispatched automatically (1.00 ≥ 0.80)", route.reason)
        self.assertEqual(dispatch.actor_label, "smart dispatch")
        self.assertIn("市容环境 › 环境卫生 › 垃圾清运 at 洪桥街道: territory rule", dispatch.reason)
        suggestion = Suggestion.objects.get(case=case, kind=Suggestion.DISPATCH)
        self.assertIn("territory rule [given at intake]", suggestion.reason)
        self.assertNotIn("属地规则", routing.reason + dispatch.reason)

    @override_settings(ROUTING_AUTO_DISPATCH=2)
    def test_waiting_for_a_dispatcher_in_chinese(self):
        routing, case = self.routed("zh-hans")
        self.assertEqual(case.status, Status.NEW)
        self.assertTrue(routing.reason.endswith("待派单员处理（置信度 1.00 < 2.00）"))

    def test_a_place_found_in_the_address_in_chinese(self):
        with override_settings(ROUTING_AUTO_DISPATCH=0.6):
            routing, case = self.routed("zh-hans", community=None, address="越秀区洪桥街道")
        self.assertIn("地址：“洪桥街道” → 洪桥街道（街道名）", routing.reason)
        self.assertTrue(case.events.last().reason.endswith("；置信度 0.70 ≥ 0.60"))

    def test_an_unknown_place_in_chinese(self):
        routing, _case = self.routed("zh-hans", community=None, address="地址不详", text="楼下垃圾堆放，气味难闻。")
        self.assertIn("地点不明（地址：未找到越秀区的街道、社区、道路或地标", routing.reason)
        self.assertTrue(routing.reason.endswith("待派单员处理：无派单建议"))

    def test_a_possible_duplicate_in_chinese(self):
        first = self.dispatched_case()
        routing, _case = self.routed("zh-hans")
        self.assertIn(f"可能与 {first.number} 重复（1.00：文本 1.00 × 同一地址 1.00）", routing.reason)
        self.assertTrue(routing.reason.endswith("待派单员处理：有未办结的可能重复工单"))
        merge = Suggestion.objects.get(kind=Suggestion.MERGE)
        self.assertEqual(merge.reason, f"{first.number}：文本 1.00 × 同一地址 1.00")

    def test_a_department_rule_in_chinese(self):
        _routing, case = self.routed("zh-hans", category=self.lifts, community=None, address="")
        self.assertIn("城乡建设 › 住房管理 › 加装电梯：区住房建设和水务局（行业规则）", case.events.last().reason)


class WorkerLanguageTestCase(LanguageTestCase):
    """The worker routes in the deployment's language: nothing activates
    another, so Django's gettext falls back to settings.LANGUAGE_CODE."""

    def worked(self):
        case = self.new_case()  # left for the worker, as an API case is
        # The command itself, as deployed; only its connection hygiene would
        # close the test's database.
        with mock.patch("huying.sla.management.commands.worker.close_old_connections"):
            call_command("worker", "--once", stdout=io.StringIO())
        self.assertTrue(Routing.objects.filter(case=case).exists())
        return Case.objects.get(pk=case.pk).events.get(action="route").reason

    def test_the_worker_writes_in_chinese_by_default(self):
        self.assertIn("已自动派单", self.worked())

    @override_settings(LANGUAGE_CODE="en")
    def test_the_worker_writes_in_the_deployments_language(self):
        self.assertIn("dispatched automatically", self.worked())


class ConsoleLanguageTestCase(BaseTestCase):
    """An operator's intake is routed in the operator's language."""

    CALL = {
        "kind": "complaint", "channel": "phone", "urgency": "normal", "title": "楼下垃圾堆放三天无人清运",
        "text": "楼下垃圾没人收，堆了好几天。", "citizen_name": "李四", "citizen_phone": "13900002222",
        "address": "越秀区洪桥街道", "category": "02.01.01 市容环境 › 环境卫生 › 垃圾清运", "then": "save",
    }

    def setUp(self):
        super().setUp()
        store.forget()
        responsibility.forget()
        self.client.force_login(self.operator)
        self.addCleanup(translation.deactivate)

    def reason(self):
        self.client.post(reverse("console:intake"), self.CALL)
        return Case.objects.get().events.get(action="route").reason

    def test_chinese_by_default(self):
        self.assertIn("地址：“洪桥街道” → 洪桥街道（街道名）", self.reason())

    def test_english_for_an_english_operator(self):
        self.client.post(reverse("set_language"), {"language": "en", "next": reverse("console:intake")})
        self.assertIn("address: '洪桥街道' → 洪桥街道 (street name)", self.reason())
