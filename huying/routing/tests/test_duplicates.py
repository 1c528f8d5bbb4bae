"""Duplicates: open cases of recent days, same place, similar text."""

import datetime as dt

from django.test import override_settings

from huying.cases import steps
from huying.routing.duplicates import similar
from huying.test import BaseTestCase, at

RUBBISH = "楼下垃圾堆放三天无人清运，气味难闻，苍蝇很多。"


class DuplicatesTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.first = self.new_case(title="垃圾堆放无人清运", text=RUBBISH)

    def test_same_community_and_similar_text_is_a_duplicate(self):
        case = self.new_case(title="垃圾没人清运", text="楼下的垃圾堆放了三天都没人清运，气味很难闻。", address="东风中路270号")
        found = similar(case)
        self.assertEqual([s.case_id for s in found], [self.first.pk])
        self.assertGreater(found[0].score, 0.5)
        self.assertIn("same community", found[0].reason)

    def test_different_text_at_the_same_place_is_not(self):
        case = self.new_case(title="路灯不亮", text="小区门口的路灯坏了一个星期，晚上很黑。")
        self.assertEqual(similar(case), [])

    def test_the_same_text_on_another_street_is_not(self):
        case = self.new_case(title="垃圾堆放无人清运", text=RUBBISH, community=self.other_community)
        self.assertEqual(similar(case), [])

    def test_closed_and_old_cases_are_not_candidates(self):
        old = self.new_case(title="垃圾堆放无人清运", text=RUBBISH, now=self.now - dt.timedelta(days=8))
        steps.close(self.first, self.operator, reason="无效", now=self.now)
        case = self.new_case(title="垃圾堆放无人清运", text=RUBBISH)
        self.assertEqual(similar(case), [])
        with override_settings(ROUTING_DUPLICATE_DAYS=10):
            self.assertEqual([s.case_id for s in similar(case)], [old.pk])

    def test_cases_being_handled_are_candidates_best_first(self):
        handled = self.accepted_case(title="垃圾堆放无人清运", text=RUBBISH + "已经反映多次。")
        case = self.new_case(title="垃圾堆放无人清运", text=RUBBISH)
        found = similar(case, limit=5)
        self.assertEqual([s.case_id for s in found], [self.first.pk, handled.pk])
        self.assertGreaterEqual(found[0].score, found[1].score)
        self.assertEqual(len(similar(case, limit=1)), 1)

    def test_typing_time_fields_without_a_case(self):
        # The operator has typed an address and part of the text; nothing is saved yet.
        fields = {"title": "", "text": "垃圾堆放三天无人清运，气味难闻", "address": "越秀区洪桥街道"}
        found = similar(fields, now=self.now)
        self.assertEqual([s.case_id for s in found], [self.first.pk])
        self.assertIn("same street", found[0].reason)
        self.assertEqual(similar({"title": "", "text": ""}), [])

    def test_no_place_at_all_still_compares_text_but_counts_less(self):
        found = similar({"title": "垃圾堆放无人清运", "text": RUBBISH}, now=self.now)
        self.assertEqual([s.case_id for s in found], [self.first.pk])
        self.assertIn("place unknown", found[0].reason)
        self.assertLessEqual(found[0].score, 0.7)

    def test_map_points_close_together(self):
        here = {"lat": 23.1291, "lng": 113.2644}
        first = self.new_case(title="井盖缺失", text="人行道上的井盖不见了，很危险。", community=None, address="", **here)
        near = {"lat": 23.1295, "lng": 113.2646}  # about 50 m away
        found = similar({"title": "井盖丢了", "text": "人行道井盖不见了，晚上很危险。", **near}, now=self.now)
        self.assertEqual([s.case_id for s in found], [first.pk])
        self.assertRegex(found[0].reason, r"\d+ m apart")
        far = {"lat": 23.14, "lng": 113.28}
        self.assertEqual(similar({"title": "井盖丢了", "text": "人行道井盖不见了，晚上很危险。", **far}, now=self.now), [])

    def test_future_cases_are_not_candidates_of_an_earlier_one(self):
        earlier = self.new_case(title="垃圾堆放无人清运", text=RUBBISH, now=at(2026, 3, 2, 9, 0))
        self.assertEqual(similar(earlier), [])
