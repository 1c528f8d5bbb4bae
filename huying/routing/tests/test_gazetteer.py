"""Tests of the Yuexiu gazetteer and the address resolver (pure Python, no database)."""

import csv
from pathlib import Path

import pytest

from huying.routing.gazetteer import (
    DEFAULT_PATH,
    Gazetteer,
    chinese_number,
    normalize_text,
    other_area_marker,
    resolve,
)

FIXTURES = Path(__file__).with_name("fixtures") / "addresses.csv"
STREET_ACCURACY = 0.95
COMMUNITY_ACCURACY = 0.90
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


def _fixture_rows():
    with open(FIXTURES, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _divisions_file():
    """The official division list, wherever this checkout has it (repo data or shared data)."""
    for candidate in (REPO / "huying/org/deployments/yuexiu/divisions.csv",
                      REPO.parent / "shared/data/yuexiu/yuexiu_divisions.csv"):
        if candidate.exists():
            return candidate
    return None


# --- accuracy on addresses written the ways callers say them -------------------------------


def _accuracy_report(gazetteer, rows):
    street_ok, community_total, community_ok, failures = 0, 0, 0, []
    for row in rows:
        match, why = gazetteer.explain(row["text"])
        got_street = match.street_code if match else ""
        got_community = (match.community_code or "") if match else ""
        street_right = got_street == row["street_code"]
        street_ok += street_right
        if row["community_code"]:
            community_total += 1
            community_ok += got_community == row["community_code"]
        if not street_right or (row["community_code"] and got_community != row["community_code"]):
            failures.append(f"{row['text']!r}: expected {row['street_code'] or 'no match'}"
                            f"/{row['community_code'] or '-'}, got {got_street or 'no match'}"
                            f"/{got_community or '-'} ({match.reason if match else why})")
    return street_ok / len(rows), community_ok / max(community_total, 1), failures


def test_fixture_is_big_enough_and_mixed():
    rows = _fixture_rows()
    assert len(rows) >= 200
    assert sum(1 for r in rows if r["community_code"]) >= 100
    assert sum(1 for r in rows if not r["street_code"]) >= 20  # other districts / nothing


def test_street_and_community_accuracy(gazetteer):
    street_acc, community_acc, failures = _accuracy_report(gazetteer, _fixture_rows())
    listing = "\n".join(failures)
    assert street_acc >= STREET_ACCURACY, f"street accuracy {street_acc:.3f}; failures:\n{listing}"
    assert community_acc >= COMMUNITY_ACCURACY, f"community accuracy {community_acc:.3f}; failures:\n{listing}"


def test_accuracy_check_can_fail(gazetteer):
    """The accuracy report must notice wrong expectations, or the test above proves nothing."""
    rows = [dict(r, street_code="440104999") for r in _fixture_rows() if r["street_code"]][:20]
    street_acc, _, failures = _accuracy_report(gazetteer, rows)
    assert street_acc == 0 and len(failures) == 20


# --- number normalisation ------------------------------------------------------------------


@pytest.mark.parametrize("numeral, value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105),
    ("二百六十八", 268), ("两百", 200), ("一千零一", 1001), ("二六八", 268), ("三〇五", 305),
])
def test_chinese_number(numeral, value):
    assert chinese_number(numeral) == value


@pytest.mark.parametrize("raw, normal", [
    ("东风中路二百六十八号", "东风中路268号"),
    ("东风中路２６８号", "东风中路268号"),           # full-width digits
    ("东 风 中 路  268 号", "东风中路268号"),         # stray spaces
    ("东风中路　268号", "东风中路268号"),             # full-width space
    ("东风中路268好", "东风中路268号"),               # 好 typed for 号 (both "hao")
    ("中山五路三十二号之一", "中山五路32号之一"),     # 之一 is not a house number
    ("中山一路一号", "中山一路1号"),                 # numerals in the name stay
    ("建设六马路", "建设六马路"),
    ("第一津", "第一津"),
    ("东山区署前路", "越秀区署前路"),                 # former district name
])
def test_normalize_text(raw, normal):
    assert normalize_text(raw) == normal


def test_house_number_decides_side_of_road(gazetteer):
    assert gazetteer.resolve("东风中路268号").street_name == "北京街道"
    assert gazetteer.resolve("东风中路259号").street_name == "洪桥街道"
    assert gazetteer.resolve("东风中路二百五十九号").street_name == "洪桥街道"
    match = gazetteer.resolve("东风中路268号")
    assert "东风中路268号" in match.reason and "house number" in match.reason


def test_evidence_order(gazetteer):
    # community > landmark > road + number > road > street name
    assert gazetteer.resolve("洪桥街道三眼井社区").community_code == "440104001007"
    m = gazetteer.resolve("北京街道 越秀公园")  # landmark beats a (conflicting) street name
    assert m.street_name == "洪桥街道" and m.confidence < gazetteer.resolve("越秀公园").confidence
    assert gazetteer.resolve("中山五路 人民公园").matched[0] == "人民公园"


def test_named_street_settles_ambiguous_road(gazetteer):
    m = gazetteer.resolve("大塘街道中山三路")
    assert m.street_name == "大塘街道" and "中山三路" in m.matched


# --- other districts -----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "天河区体育西路", "广州市天河区天河路", "海珠区海珠广场", "白云区白云街", "荔湾区人民南路",
    "深圳市北京路", "北京市东城区北京路10号", "郑州市二七区人民公园", "昆明市盘龙区北京路", "广州东站",
])
def test_other_districts_do_not_resolve(gazetteer, text):
    assert gazetteer.resolve(text) is None


def test_other_area_marker():
    assert other_area_marker("天河区体育西路") == "天河区"
    assert other_area_marker("越秀区白云街道") is None     # 白云街 is a Yuexiu street
    assert other_area_marker("海珠广场") is None           # 海珠 alone is not 海珠区
    assert other_area_marker("中山五路市场") is None


def test_yuexiu_said_with_another_district_is_kept_but_doubted(gazetteer):
    m = gazetteer.resolve("从天河区搬到越秀区五羊新城")
    assert m is not None and m.street_name == "东山街道"
    assert m.confidence < gazetteer.resolve("五羊新城").confidence


def test_no_evidence(gazetteer):
    assert gazetteer.resolve("") is None
    assert gazetteer.resolve("越秀区") is None
    assert gazetteer.resolve("不知道") is None


# --- the data ------------------------------------------------------------------------------


def _gazetteer_rows():
    with open(DEFAULT_PATH, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_all_streets_and_communities_present():
    rows = _gazetteer_rows()
    streets = {r["street_code"] for r in rows if r["kind"] == "street"}
    communities = {r["community_code"] for r in rows if r["kind"] == "community"}
    assert len(streets) == 18
    assert len(communities) == 222
    for r in rows:
        if r["community_code"]:
            # A community code starts with its street's code.
            assert r["community_code"].startswith(r["street_code"]), r
        if r["kind"] != "outside":
            assert r["street_code"] in streets, r


def test_codes_match_official_divisions():
    path = _divisions_file()
    if path is None:
        pytest.skip("no official division list in this checkout")
    with open(path, encoding="utf-8", newline="") as f:
        official = {r["code"]: r["name"] for r in csv.DictReader(f)}
    for r in _gazetteer_rows():
        if r["kind"] == "street" and r["name"].endswith("街道"):
            assert official.get(r["street_code"]) == r["name"], r
        if r["kind"] == "community":
            assert official.get(r["community_code"], "").startswith(r["name"]), r


def test_module_level_resolve_uses_shipped_data():
    assert resolve("广州火车站").community_name == "火车站社区"

