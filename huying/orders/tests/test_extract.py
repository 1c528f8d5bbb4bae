"""Reading a work report into proposed orders (issue 7, item 2).

No database: extract.py is pure Python.  The seed report lives outside the
repository (../shared/seeds); its tests skip with a message when it is absent.
"""

import json
import os
from pathlib import Path

import pytest

from huying.orders.extract import extract, parse_number, to_json

HERE = Path(__file__).resolve().parent
SEED_NAME = "000_27ec8666e20420ab.txt"
MADE_UP = HERE / "fixtures" / "made_up_report.txt"
ANNEX = "附件1 › 2021年十件民生实事事项"


# The same report, kept in the repository for the demo (huying/orders/demo.py).
BUNDLED = HERE.parent / "data" / "yuexiu-2021-work-report.txt"


def _seed_path() -> Path:
    shared = os.environ.get("HUYING_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[3] / ".." / "shared"
    path = base / "seeds" / SEED_NAME
    return path if path.exists() or shared else BUNDLED


def test_the_bundled_report_is_the_seed():
    shared = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds" / SEED_NAME
    if not shared.exists():
        pytest.skip("no shared seed folder next to the repository to compare with")
    assert BUNDLED.read_bytes() == shared.read_bytes()


@pytest.fixture(scope="module")
def seed_text() -> str:
    path = _seed_path()
    if not path.exists():
        pytest.skip(f"seed report not found at {path}; set HUYING_SHARED to the shared folder")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    return extract(seed_text)


@pytest.fixture(scope="module")
def made_up():
    return extract(MADE_UP.read_text(encoding="utf-8"))


def _find(proposals, quantity, measure, section_part, text=None):
    """Proposals with this figure whose section contains section_part."""
    return [
        p
        for p in proposals
        if p.quantity == quantity
        and p.measure == measure
        and section_part in p.section
        and (text is None or text in p.sentence)
    ]


# --------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("300", 300),
        ("2,000", 2000),
        ("0.5", 0.5),
        ("4万", 40000),
        ("1.5万", 15000),
        ("1.3亿", 130000000),
        ("3370.05亿", 337005000000),
        ("12.1万", 121000),
        ("１２０", 120),  # full-width digits
        ("70%", 70),
        ("７０％", 70),
        ("百分之七十", 70),
        ("百分之7.5", 7.5),
        ("百分之百", 100),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百二十", 120),
        ("一百零五", 105),
        ("两", 2),
        ("两千", 2000),
        ("两百", 200),
        ("三万五千", 35000),
        ("两万零五百", 20500),
        ("一亿两千万", 120000000),
        ("五万亿", 5 * 10**12),
        ("百万", 1000000),
        ("十万", 100000),
        ("零", 0),
        ("二〇三五", 2035),
        ("一点五万", 15000),
    ],
)
def test_parse_number(text, expected):
    value = parse_number(text)
    assert value == expected
    assert type(value) is type(expected)  # 1.3亿 is an int, not 130000000.0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("三万五", 35000),  # colloquial: the digit after a unit is the next unit down
        ("两千五", 2500),
        ("一百五", 150),
        ("十五", 15),  # ... but not after 十
    ],
)
def test_parse_number_colloquial(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", [None, "", "百栋千户", "1/3", "abc", "一二百", "4万元x"])
def test_parse_number_rejects_what_is_not_a_plain_number(text):
    assert parse_number(text) is None


# --------------------------------------------------------------------------
# The seed: 2021 Yuexiu District Government Work Report
# --------------------------------------------------------------------------

# Every quantified target of the ten livelihood projects (附件1), as written.
# (item heading, quantity, measure, a phrase of the sentence)
SEED_ANNEX_TARGETS = [
    ("一、加强青少年脊柱侧弯防治", 70000, "名", "7万名中小学青少年开展脊柱侧弯筛查"),
    ("一、加强青少年脊柱侧弯防治", 2, "个", "建立2个社区心理服务站"),
    ("一、加强青少年脊柱侧弯防治", 50, "场", "开展50场心理健康知识讲座"),
    ("一、加强青少年脊柱侧弯防治", 7, "个", "推动7个社区卫生服务中心"),
    ("二、持续开展文化体育惠民活动", 200, "场", "文化惠民活动200场"),
    ("二、持续开展文化体育惠民活动", 20000, "名", "邀请2万名"),
    ("二、持续开展文化体育惠民活动", 100, "场", "组织100场惠民足球赛事"),
    ("三、加强食品安全监管", 2, "个", "创建不少于2个升级改造新示范点"),
    ("五、加强精神康复人群服务保障", 18, "条", "全区18条街道康园工疗站"),
    ("五、加强精神康复人群服务保障", 100, "%", "100%达标"),
    ("六、增加义务教育资源供给", 900, "个", "学生宿位900个"),
    ("六、增加义务教育资源供给", 10, "个", "不少于10个劳动教育基地"),
    ("六、增加义务教育资源供给", 20, "间次", "不少于20间次劳动教育试点学校"),
    ("七、加强住房保障服务", 750, "户", "750户中低收入家庭"),
    ("七、加强住房保障服务", 2000, "户", "住房租赁补贴2000户以上"),
    ("八、促进和稳定就业", 40, "场", "招聘会40场"),
    ("八、促进和稳定就业", 40000, "人次", "培训4万人次"),
    ("八、促进和稳定就业", 70, "%", "就业率达70%以上"),
    ("九、开展旧楼加装电梯工作", 300, "台", "不少于300台"),
    ("十、加强养老保障服务", 100, "名", "不少于100名特困家庭长者"),
]


@pytest.mark.parametrize("item, quantity, measure, phrase", SEED_ANNEX_TARGETS)
def test_seed_annex_targets_are_found(seed, item, quantity, measure, phrase):
    found = _find(seed, quantity, measure, f"{ANNEX} › {item}", phrase)
    assert len(found) == 1, f"{quantity}{measure} in {item}: {found}"
    proposal = found[0]
    assert proposal.is_target
    assert proposal.section.startswith(ANNEX)
    assert proposal.verb  # a commitment verb was found
    assert 183 <= proposal.line <= 201  # the annex lines of the seed


def test_seed_annex_covers_all_ten_projects(seed):
    """Each of the ten livelihood projects yields at least one proposal."""
    items = {p.section.split(" › ")[2].split("、")[0] for p in seed if p.section.startswith(ANNEX)}
    assert items == set("一二三四五六七八九") | {"十"}


def test_seed_slogan_target_is_kept_as_text(seed):
    """四、完成“百栋千户”…改造: no plain number, so the figure stays text."""
    found = [p for p in seed if p.quantity_text == "“百栋千户”" and "四、切实降低火灾隐患" in p.section]
    assert len(found) == 1
    assert found[0].quantity is None
    assert found[0].verb == "完成"
    assert "消防设施" in found[0].subject


def test_seed_key_targets_have_verb_subject_and_qualifier(seed):
    lifts = _find(seed, 300, "台", "九、开展旧楼加装电梯工作")[0]
    assert "加装电梯" in lifts.subject
    assert lifts.qualifier == "不少于"
    training = _find(seed, 40000, "人次", "八、促进和稳定就业")[0]
    assert training.quantity_text == "4万人次"
    assert training.verb == "开展"
    assert "培训" in training.subject
    reemployment = _find(seed, 70, "%", "八、促进和稳定就业")[0]
    assert reemployment.qualifier == "以上"
    assert "就业率" in reemployment.subject
    housing = _find(seed, 750, "户", "七、加强住房保障服务")[0]
    assert housing.verb == "解决"
    assert "中低收入家庭" in housing.subject
    fairs = _find(seed, 40, "场", "八、促进和稳定就业")[0]
    assert fairs.verb == "举办"
    assert "招聘会" in fairs.subject


def test_seed_body_targets_for_2021(seed):
    """Targets in 三、2021年工作安排, including the 25 km of overhead lines."""
    body = "三、2021年工作安排"
    lines = _find(seed, 25, "公里", body)
    assert len(lines) == 1 and "三线" in lines[0].subject and lines[0].verb == "完成"
    assert _find(seed, 4, "%", body, "地区生产总值增长4%左右")[0].qualifier == "左右"
    assert _find(seed, 300000, "平方米", body, "拆除违法建设30万平方米")


def test_seed_duplicates_between_body_and_annex_are_linked(seed):
    """300 lifts appear in section 三 and in the annex: one order, not two."""
    body = _find(seed, 300, "台", "三、2021年工作安排")[0]
    annex = _find(seed, 300, "台", ANNEX)[0]
    assert annex.line in body.see_also and body.line in annex.see_also


def test_seed_past_achievements_are_not_targets(seed_text, seed):
    # Not proposed by default ...
    assert not [p for p in seed if p.quantity == 3326]
    assert not [p for p in seed if p.quantity == 551 and p.measure == "台"]
    assert all(not p.section.startswith("一、") for p in seed)
    # ... and flagged as achievements when everything is asked for.
    everything = extract(seed_text, include_past=True)
    base_stations = [p for p in everything if p.quantity == 3326 and p.measure == "个"]
    assert len(base_stations) == 1
    assert base_stations[0].is_target is False
    assert base_stations[0].verb == "建成"
    assert "5G基站" in base_stations[0].subject
    assert base_stations[0].section.startswith("一、2020年及“十三五”时期工作回顾")
    assert all(not p.is_target for p in everything if p.section.startswith("一、"))


def test_seed_glossary_and_ordinals_are_not_proposed(seed):
    assert all(not p.section.startswith("附件2") for p in seed)  # 名词解释
    texts = {p.quantity_text for p in seed}
    assert "七次" not in texts  # 第七次全国人口普查
    assert "八项" not in texts  # 中央八项规定


def test_to_json_is_plain_and_round_trips(seed):
    data = to_json(seed)
    assert len(data) == len(seed)
    dumped = json.dumps(data, ensure_ascii=False)
    assert "加装电梯" in dumped
    first = json.loads(dumped)[0]
    for key in ("sentence", "verb", "quantity", "quantity_text", "measure", "subject",
                "section", "line", "is_target"):
        assert key in first


# --------------------------------------------------------------------------
# The made-up report: 青禾区 2022 (fixtures/made_up_report.txt)
# --------------------------------------------------------------------------

MADE_UP_ANNEX = "附件1 › 2022年十件民生实事"

# (item, quantity, measure, quantity as written)
MADE_UP_ANNEX_TARGETS = [
    ("一、", 2, "所", "两所"),
    ("一、", 1080, "个", "1080个"),
    ("二、", 12, "个", "十二个"),
    ("二、", 4300, "户", "4300户"),
    ("三、", 120, "台", "一百二十台"),
    ("四、", 30, "场", "三十场"),
    ("四、", 15000, "人次", "1.5万人次"),
    ("四、", 70, "%", "百分之七十以上"),
    ("五、", 8.6, "公里", "8.6公里"),
    ("五、", 500, "个", "500至800个"),
    ("六、", 2000, "户", "两千户"),
    ("七、", 1200, "户", "1,200户"),
    ("七、", 30000, "平方米", "3—5万平方米"),
    ("八、", 30000, "人次", "3万人次"),
    ("八、", 2, "个", "两个"),
    ("九、", 100, "场", "一百场"),
    ("九、", 20000, "人次", "两万人次"),
    ("十、", 4500, "批次", "4500批次"),
    ("十、", 3, "所", "3所"),
    ("十、", 230000000, "元", "2.3亿元"),
]


@pytest.mark.parametrize("item, quantity, measure, written", MADE_UP_ANNEX_TARGETS)
def test_made_up_annex_targets(made_up, item, quantity, measure, written):
    found = _find(made_up, quantity, measure, f"{MADE_UP_ANNEX} › {item}")
    found = [p for p in found if p.quantity_text == written]
    assert len(found) == 1, f"{written} in {item}: {found}"
    assert found[0].is_target


def test_made_up_body_targets(made_up):
    goals = "二、2022年主要目标"
    assert _find(made_up, 6.5, "%", goals)[0].qualifier == "左右"
    assert _find(made_up, 5, "%", goals)[0].quantity_text == "百分之五"
    assert _find(made_up, 8000, "人", goals)[0].qualifier == "不少于"
    work = "三、2022年重点工作"
    assert _find(made_up, 15000, "户", work)
    assert _find(made_up, 15000000000, "元", work)  # 150亿元
    parks = _find(made_up, 8, "个", work)[0]
    assert parks.quantity_max == 10 and "口袋公园" in parks.subject
    assert _find(made_up, 50, "条", work)[0].quantity_text == "五十条"
    assert _find(made_up, 200, "栋", work)[0].quantity_text == "两百栋"
    hotline = _find(made_up, 95, "%", work)[0]
    assert hotline.qualifier == "以上" and "办结率" in hotline.subject


def test_made_up_range_reads_both_ends(made_up):
    parking = _find(made_up, 500, "个", MADE_UP_ANNEX)[0]
    assert parking.quantity_max == 800
    housing = _find(made_up, 30000, "平方米", MADE_UP_ANNEX)[0]
    assert housing.quantity_max == 50000  # 3—5万: the 万 applies to both ends


def test_made_up_verb_after_the_figure(made_up):
    """为两千户独居老人家庭安装智能烟感报警器: the verb follows the count."""
    alarms = _find(made_up, 2000, "户", MADE_UP_ANNEX)[0]
    assert alarms.verb == "安装"
    assert alarms.subject == "独居老人家庭"


def test_made_up_non_targets_are_not_proposed(made_up):
    # The 2021 review: 215 lifts, 3 kindergartens, 32 fairs … are achievements.
    for quantity, measure in [(215, "台"), (1260, "个"), (32, "场"), (21000, "人次"),
                              (3100, "户"), (6.4, "公里"), (38, "%"), (97.5, "%")]:
        assert not [p for p in made_up if p.quantity == quantity and p.measure == measure]
    # A look back inside a forward section: 在去年改造9个老旧小区的基础上.
    assert not [p for p in made_up if p.quantity == 9 and p.measure == "个"]
    # Names and ordinals: 12345热线, 第三届, 1月12日, 亿元以上 (an adjective).
    assert not [p for p in made_up if p.quantity in (12345, 3, 100000000) and p.measure in (None, "元", "届")]
    # The glossary (附件2 名词解释) counts nothing to do.
    assert all(not p.section.startswith("附件2") for p in made_up)
    assert not [p for p in made_up if p.quantity == 1000 and p.measure == "户"]
    # Every proposal is a target and sits in a forward-looking section.
    assert all(p.is_target for p in made_up)
    assert all(p.section.startswith(("二、", "三、", MADE_UP_ANNEX)) for p in made_up)


def test_made_up_past_is_flagged_when_asked(made_up):
    everything = extract(MADE_UP.read_text(encoding="utf-8"), include_past=True)
    lifts_2021 = [p for p in everything if p.quantity == 215 and p.measure == "台"]
    assert len(lifts_2021) == 1 and lifts_2021[0].is_target is False
    assert lifts_2021[0].section == "一、2021年工作回顾 › (二)民生持续改善"
    looked_back = [p for p in everything if p.quantity == 9 and "去年" in p.clause]
    assert len(looked_back) == 1 and looked_back[0].is_target is False
    assert len(everything) > len(made_up)


def test_made_up_slogan_kept_as_text(made_up):
    slogan = [p for p in made_up if "百村千户" in p.quantity_text]
    assert len(slogan) == 1 and slogan[0].quantity is None


def test_full_width_punctuation_and_line_numbers(made_up):
    """The made-up report uses full-width ，：（）; sentences stay as written."""
    lifts = _find(made_up, 120, "台", MADE_UP_ANNEX)[0]
    assert lifts.sentence == "全年完成旧楼加装电梯一百二十台。"
    lines = MADE_UP.read_text(encoding="utf-8").splitlines()
    assert "一百二十台" in lines[lifts.line - 1]
    heading = _find(made_up, 15000, "户", "三、")[0]
    assert heading.section == "三、2022年重点工作 › (一)稳住经济基本盘"
