"""Category × place × rules → lead unit, confidence and a readable reason."""

from huying.cases import steps
from huying.routing import responsibility
from huying.routing.models import Rule
from huying.routing.responsibility import candidates, category_by_label, responsible
from huying.test import BaseTestCase


class RulesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A second leaf under 住房管理 that is territorial, and a level-2 node with no rule.
        cls.lift_disputes = cls.category("01.01.02", ["城乡建设", "住房管理", "加装电梯邻里协调"], None)
        cls.lift_subsidy = cls.category("01.01.03", ["城乡建设", "住房管理", "加装电梯补贴"], cls.housing)
        cls.housing_node = cls.lifts.parent

    def setUp(self):
        super().setUp()
        responsibility.forget()

    def test_department_rule(self):
        decision = responsible(self.lifts, self.street)
        self.assertEqual((decision.unit, decision.confidence), (self.housing, 1.0))
        self.assertEqual(decision.reason, "城乡建设 › 住房管理 › 加装电梯: 区住房建设和水务局 (category rule)")

    def test_territory_rule_needs_the_street(self):
        decision = responsible(self.lift_disputes, self.street)
        self.assertEqual(decision.unit, self.street)
        self.assertEqual(decision.reason, "城乡建设 › 住房管理 › 加装电梯邻里协调 at 洪桥街道: territory rule")
        self.assertIsNone(responsible(self.lift_disputes, None))

    def test_a_rule_on_an_ancestor_covers_its_subtree(self):
        Rule.objects.create(category=self.housing_node, unit=self.hrss)
        leaf = self.category("01.01.09", ["城乡建设", "住房管理", "其他住房"], None)
        Rule.objects.filter(category=leaf).delete()
        self.assertEqual(responsible(leaf, self.street).unit, self.hrss)

    def test_a_higher_level_category_shares_out_to_its_leaves_rules(self):
        options = candidates(self.housing_node, self.street)
        self.assertEqual([(o.unit, round(o.confidence, 3)) for o in options], [(self.housing, 0.667), (self.street, 0.333)])
        self.assertEqual(options[0].reason,
                         "城乡建设 › 住房管理: 区住房建设和水务局 for 67% of its subcategories, weighted by past cases (category rules)")
        self.assertIn("territory rules at 洪桥街道", options[1].reason)
        # Without a place the territorial share cannot be sent anywhere.
        self.assertEqual([o.unit for o in candidates(self.housing_node, None)], [self.housing])

    def test_past_cases_weigh_the_subcategories(self):
        for n in range(3):
            case = self.new_case(category=self.lift_disputes, text=f"邻居不同意加装电梯{n}")
            steps.close(case, self.operator, reason="已协调", now=self.now)
        responsibility.forget()
        options = candidates(self.housing_node, self.street)
        # 加装电梯邻里协调 counts 1 + 3, the two others 1 each.
        self.assertEqual([(o.unit, round(o.confidence, 3)) for o in options], [(self.street, 0.667), (self.housing, 0.333)])

    def test_a_category_without_any_rule_has_no_candidate(self):
        bare = self.category("09.01.01", ["其他", "其他", "其他"], None)
        Rule.objects.filter(category=bare).delete()
        self.assertEqual(candidates(bare, self.street), [])
        self.assertIsNone(responsible(bare, self.street))

    def test_co_units_when_most_recent_cases_had_them(self):
        for n in range(4):
            steps.dispatch(self.new_case(category=self.lifts, text=f"加装电梯{n}"), self.dispatcher, lead=self.housing,
                           co_units=[self.street], now=self.now)
        self.assertEqual(candidates(self.lifts, self.street)[0].co_units, [])  # 4 cases are too few to tell
        steps.dispatch(self.new_case(category=self.lifts), self.dispatcher, lead=self.housing, co_units=[self.street], now=self.now)
        steps.dispatch(self.new_case(category=self.lifts), self.dispatcher, lead=self.housing, now=self.now)
        option = candidates(self.lifts, self.street)[0]
        self.assertEqual(option.co_units, [self.street])  # 5 of 6
        self.assertIn("co-units 洪桥街道", option.reason)

    def test_labels_that_name_categories(self):
        self.assertEqual(category_by_label("01.01.01"), self.lifts)
        self.assertEqual(category_by_label("加装电梯"), self.lifts)
        self.assertEqual(category_by_label("城乡建设 › 住房管理 › 加装电梯"), self.lifts)
        self.assertEqual(category_by_label("城乡建设"), self.lifts.top())
        self.assertIsNone(category_by_label("劳动和社会保障"))
        self.assertIsNone(category_by_label(""))
        self.category("05.01.01", ["其他", "其他事项", "住房管理"], None)  # a second 住房管理: ambiguous by name
        self.assertIsNone(category_by_label("住房管理"))
        self.assertEqual(category_by_label("城乡建设 › 住房管理"), self.housing_node)
