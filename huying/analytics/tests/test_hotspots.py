"""Hotspots: the same problem in the same place and time, ranked by heat."""

import datetime as dt
import io
import os
from pathlib import Path
from unittest import skipIf, skipUnless

from django.core.management import call_command
from django.test import SimpleTestCase, override_settings

from huying.analytics.hotspots import Message, find
from huying.analytics.hotspots import text as words
from huying.analytics.hotspots.cases import refresh_hotspots
from huying.analytics.models import Hotspot
from huying.cases.models import Channel, Kind
from huying.test import BaseTestCase, at

VOTES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "tipdm2020" / "messages_with_votes.csv"
ON_POSTGRES = os.getenv("DATABASE_URL", "").startswith("postgres")


def msg(i, title, body, day, likes=0, person=""):
    return Message(id=str(i), title=title, body=body, at=dt.datetime(2019, 7, day, 9, 0), likes=likes, person=person)


class TextTestCase(SimpleTestCase):
    def test_places_and_areas(self):
        text = "A市A5区劳动东路魅力之城小区临街门面油烟直排扰民，家住在丽发新城的居民反映"
        self.assertEqual(words.areas(text), ["A市", "A5区"])
        self.assertIn("魅力之城", words.places(text)[1])
        self.assertIn("丽发新城", words.places(text))
        self.assertNotIn("居民区", words.areas("居民区附近"))

    def test_same_place_by_shared_name(self):
        self.assertTrue(words.same_place("万科魅力之城", "魅力之城"))
        self.assertTrue(words.same_place("绿地海外滩小区", "绿地海外滩二期小区"))
        self.assertFalse(words.same_place("丽发新城", "魅力之城"))

    def test_unknown_words_survive_as_pairs(self):
        self.assertIn("车贷", words.tokens("请关注58车贷案", ""))


class GroupingTestCase(SimpleTestCase):
    def messages(self):
        fumes = [msg(i, f"魅力之城小区临街门面油烟扰民{i}", "魅力之城小区一楼餐馆油烟直排，烧烤夜宵摊噪音扰民，晚上无法开窗。", 1 + i)
                 for i in range(5)]
        other_place = [msg(10 + i, "丽发新城小区临街门面油烟扰民", "丽发新城小区一楼餐馆油烟直排，烧烤夜宵摊噪音扰民。", 2 + i)
                       for i in range(3)]
        liked = [msg(20 + i, "伊景园滨河苑捆绑销售车位", "伊景园滨河苑开发商要求购房必须捆绑购买车位，侵害购房者权益。", 3 + i, likes=300)
                 for i in range(3)]
        noise = [msg(30, "咨询社保卡办理", "请问社保卡在哪里办理，需要什么材料？", 4),
                 msg(31, "路灯不亮", "中山路路灯坏了三天，晚上很黑。", 5),
                 msg(32, "孩子入学咨询", "孩子明年上小学，户籍在外地，需要什么条件？", 6)]
        return fumes + other_place + liked + noise

    def test_same_problem_in_different_places_are_different_groups(self):
        spots = find(self.messages())
        groups = [sorted(s.ids, key=int) for s in spots]
        self.assertIn(["0", "1", "2", "3", "4"], groups)
        self.assertIn(["10", "11", "12"], groups)
        self.assertIn(["20", "21", "22"], groups)
        self.assertFalse(any(set(g) & {"30", "31", "32"} for g in groups))

    def test_heat_weighs_size_people_likes_and_pace(self):
        spots = {tuple(sorted(s.ids, key=int)): s for s in find(self.messages())}
        fumes, other, liked = spots[("0", "1", "2", "3", "4")], spots[("10", "11", "12")], spots[("20", "21", "22")]
        self.assertGreater(fumes.heat, other.heat)  # more people
        self.assertGreater(liked.heat, other.heat)  # same size, liked
        self.assertEqual((liked.likes, liked.size, liked.people), (900, 3, 3))
        self.assertEqual(fumes.place, "魅力之城")

    def test_one_caller_calling_again_is_a_repeat_not_a_person(self):
        again = [msg(i, "魅力之城小区油烟扰民", "魅力之城小区一楼餐馆油烟直排。", 1 + i, person="13800000000") for i in range(4)]
        spot = find(again + self.messages()[10:])[0]
        self.assertEqual((spot.size, spot.people, spot.repeats), (4, 1, 3))

    def test_far_apart_in_time_is_not_one_hotspot(self):
        early = [msg(i, "魅力之城小区油烟扰民", "魅力之城小区一楼餐馆油烟直排。", 1) for i in range(2)]
        late = [Message(id=str(5 + i), title="魅力之城小区油烟扰民", body="魅力之城小区一楼餐馆油烟直排。",
                        at=dt.datetime(2019, 12, 1)) for i in range(2)]
        groups = sorted(sorted(s.ids) for s in find(early + late + self.messages()[10:]))
        self.assertIn(["0", "1"], groups)
        self.assertIn(["5", "6"], groups)


@skipUnless(VOTES.is_file(), "needs ../shared/data/tipdm2020/messages_with_votes.csv")
@skipIf(ON_POSTGRES, "reads no database: run once, in the SQLite pass")
class VotesFileTestCase(SimpleTestCase):
    def test_top_five_of_the_tipdm_file(self):
        out = io.StringIO()
        call_command("hotspots", str(VOTES), top=5, stdout=out)
        text = out.getvalue()
        blocks = [b for b in text.split("\n") if b[:2] in {f"{n}." for n in range(1, 6)}]
        self.assertEqual(len(blocks), 5, text)
        heats = [float(line.rsplit("heat:", 1)[1]) for line in text.splitlines() if "heat:" in line]
        self.assertEqual(heats, sorted(heats, reverse=True))
        # The problems the TipDM organisers' own answer lists as the hottest.
        for place in ("伊景园滨河苑", "丽发新城", "魅力之城"):
            self.assertIn(place, text)
        self.assertIn("58车贷", text)
        self.assertRegex(text, r"ids: \d+, \d+")


class CasesHotspotTestCase(BaseTestCase):
    def case(self, title, text, when, phone, community=None):
        return self.new_case(now=when, title=title, text=text, citizen_phone=phone, kind=Kind.COMPLAINT,
                             channel=Channel.PHONE, community=community or self.community)

    @override_settings(HOTSPOT_DAYS=30, HOTSPOT_INTERVAL_MINUTES=60)
    def test_worker_finds_hotspots_in_recent_cases_once_an_hour(self):
        now = at(2026, 3, 10, 9, 0)
        lifts = [self.case("登峰社区加装电梯施工噪音扰民", "登峰社区加装电梯工地晚上施工，噪音扰民，影响休息。",
                           now - dt.timedelta(days=d), f"1380000000{d}") for d in range(4)]
        lifts.append(self.case("登峰社区加装电梯施工噪音", "登峰社区加装电梯工地晚上施工噪音大。", now - dt.timedelta(days=1), "13800000001"))
        self.case("北京社区路灯不亮", "北京社区路灯坏了，晚上很黑。", now, "13900000000", self.other_community)
        self.case("登峰社区加装电梯施工噪音扰民", "登峰社区加装电梯工地晚上施工噪音。", now - dt.timedelta(days=90), "13700000000")
        self.assertEqual(refresh_hotspots(now), 1)
        spot = Hotspot.objects.get()
        self.assertEqual(set(spot.cases.values_list("pk", flat=True)), {c.pk for c in lifts})
        self.assertEqual((spot.size, spot.people, spot.likes, spot.street), (5, 4, 1, self.street.pk))
        self.assertIn("登峰社区", spot.place)
        self.assertEqual(refresh_hotspots(now + dt.timedelta(minutes=30)), 0)  # not due yet
        self.assertEqual(refresh_hotspots(now + dt.timedelta(minutes=60)), 1)
        self.assertEqual(Hotspot.objects.count(), 1)
