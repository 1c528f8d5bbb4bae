"""Duplicates while typing: similar words at the same place, or the same caller."""

from huying.cases import steps
from huying.console import duplicates
from huying.console.tests.base import WebTestCase


class DuplicatesTestCase(WebTestCase):
    def test_same_place_and_similar_words(self):
        earlier = self.new_case(title="北京路步行街垃圾没人收", text="北京路步行街垃圾没人收，堆了好几天。",
                                community=self.other_community, citizen_phone="13700000000")
        elsewhere = self.new_case(title="北京路步行街垃圾没人收", text="北京路步行街垃圾没人收，堆了好几天。",
                                  community=self.community, citizen_phone="13700000001")
        found = duplicates.likely(self.operator, title="步行街垃圾", text="北京路步行街的垃圾好几天没人收了",
                                  street=self.other_street, community=self.other_community)
        self.assertEqual([d.case for d in found], [earlier])
        self.assertTrue(found[0].same_place and not found[0].same_phone)
        self.assertNotIn(elsewhere, [d.case for d in found])

    def test_the_same_caller_with_other_words(self):
        earlier = self.new_case(title="路灯不亮", text="小区门口路灯不亮。", citizen_phone="13900002222")
        found = duplicates.likely(self.operator, title="噪音", text="楼上装修噪音", phone="13900002222")
        self.assertEqual([(d.case, d.same_phone) for d in found], [(earlier, True)])

    def test_closed_and_other_peoples_cases_stay_out(self):
        closed = self.replied_case(citizen_phone="13900002222")
        steps.follow_up(closed, self.operator, resolved=True, satisfaction="satisfied")
        self.assertEqual(duplicates.likely(self.operator, title="x", text="y", phone="13900002222"), [])
        self.new_case(citizen_phone="13900003333", community=self.other_community)
        self.assertEqual(duplicates.likely(self.street_handler, title="x", text="y", phone="13900003333"), [])

    def test_nothing_typed_nothing_found(self):
        self.new_case()
        self.assertEqual(duplicates.likely(self.operator), [])
