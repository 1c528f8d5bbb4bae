"""Names and phones: full for the centre and the lead unit, masked for
everyone else, never shown to handling units for confidential reports."""

from huying.cases import privacy
from huying.test import BaseTestCase

FULL = ("张三", "13812345678")
MASKED = ("张*", "138****5678")


class PrivacyTestCase(BaseTestCase):
    def test_who_sees_what_on_an_ordinary_case(self):
        case = self.dispatched_case()  # lead: the street, co-unit: none
        expected = {
            "operator": FULL, "dispatcher": FULL, "supervisor": FULL, "street": FULL, "admin": FULL,
            "community": MASKED, "grid": MASKED, "department": MASKED, "leader": MASKED,
            "citizen": MASKED, "outsider": MASKED,
        }
        for name, user in self.everyone.items():
            with self.subTest(actor=name):
                self.assertEqual(privacy.person(user, case), expected[name])

    def test_confidential_report_hides_the_reporter_from_every_unit(self):
        case = self.dispatched_case(kind="report", confidential=True)
        for name, user in self.everyone.items():
            with self.subTest(actor=name):
                shown = privacy.person(user, case)
                if name in ("operator", "dispatcher", "supervisor", "admin"):
                    self.assertEqual(shown, FULL)
                else:
                    self.assertNotIn("138", shown[1])
                    self.assertNotIn("张", shown[0])

    def test_citizen_sees_their_own(self):
        from huying.cases import steps

        case = steps.intake(self.citizen, kind="help", channel="web", title="路灯", text="路灯坏了",
                            citizen_name="李四", citizen_phone="13900002222", now=self.now)
        self.assertEqual(privacy.person(self.citizen, case), ("李四", "13900002222"))

    def test_masks(self):
        self.assertEqual(privacy.mask_phone("13812345678"), "138****5678")
        self.assertEqual(privacy.mask_phone("020-83331234"), "020****1234")
        self.assertEqual(privacy.mask_phone("12345"), "*****")
        self.assertEqual(privacy.mask_name("欧阳修"), "欧**")
        self.assertEqual(privacy.mask_name(""), "")
