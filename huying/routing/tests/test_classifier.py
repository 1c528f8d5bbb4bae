"""The category classifier alone: no database, no Django.

The tiny data set below is made up for these tests; the real-data checks read
the shared TipDM sample and skip when it is absent (a user's fresh clone)."""

import os
from pathlib import Path

import numpy as np
import pytest

from huying.routing.classifier import CategoryClassifier, NgramFeatures, text_of

REPO = Path(__file__).resolve().parents[3]

# (title, body, label): four labels, one of them an older system's code kept as it is
MADE_UP = [
    ("小区电梯坏了一个月没人修", "我们楼的电梯停运很久，老人上下楼非常困难，物业一直推脱。", "城乡建设"),
    ("申请老旧小区加装电梯", "六层楼没有电梯，居民都同意加装，想问审批流程和补贴。", "城乡建设"),
    ("路边井盖缺失很危险", "人行道上的井盖不见了，晚上路灯也不亮，行人容易掉下去。", "城乡建设"),
    ("小区违章搭建占用消防通道", "一楼住户私自搭建棚子，把消防通道堵住了，请城管处理。", "城乡建设"),
    ("公司拖欠三个月工资", "我在工厂上班，老板以资金困难为由拖欠工资，劳动合同也没签。", "劳动和社会保障"),
    ("社保断缴怎么补缴", "换工作期间社保断了两个月，想知道养老保险能不能补缴。", "劳动和社会保障"),
    ("工伤认定一直没有结果", "去年在工地受伤，申请工伤认定半年了，人社局还没答复。", "劳动和社会保障"),
    ("退休金计算有误", "我今年退休，养老金比同事少很多，怀疑缴费年限算错了。", "劳动和社会保障"),
    ("学校乱收补课费", "孩子所在的中学每学期强制收取补课费，老师说不交就不能上课。", "教育文体"),
    ("幼儿园学位不够", "家附近的公办幼儿园学位太少，孩子报名没有排上，希望增加学位。", "教育文体"),
    ("小学放学时间太早", "小学下午三点半就放学，家长还在上班，希望学校开展课后服务。", "教育文体"),
    ("体育馆周末不开放", "区体育馆周末关门，孩子想打篮球没有地方，希望向市民开放。", "教育文体"),
    ("工地夜间施工噪音扰民", "附近工地每天晚上十二点还在打桩，噪音太大，居民无法休息。", "HB-07"),
    ("河道污水直排发臭", "小河里有工厂偷排污水，河水发黑发臭，鱼都死了。", "HB-07"),
    ("餐馆油烟污染严重", "楼下饭店的油烟直接排到居民窗口，空气很差，请环保部门检查。", "HB-07"),
    ("垃圾焚烧气味难闻", "每天傍晚都有人焚烧垃圾，烟雾很大，空气污染严重。", "HB-07"),
]
TEXTS = [text_of(t, b) for t, b, _ in MADE_UP]
LABELS = [label for _, _, label in MADE_UP]
# new messages in the same made-up world, with the label a person would give
NEW = [
    (text_of("电梯经常困人", "小区电梯老化，上周又困住了人，物业说没钱修。"), "城乡建设"),
    (text_of("老板不发工资", "工厂拖欠工资两个月，劳动监察能不能管。"), "劳动和社会保障"),
    (text_of("中学收费不合理", "学校要求每个学生交补课费和资料费。"), "教育文体"),
    (text_of("半夜施工太吵", "工地晚上打桩噪音扰民，严重影响休息。"), "HB-07"),
]


@pytest.fixture(scope="module")
def trained():
    return CategoryClassifier().fit(TEXTS, LABELS)


def shared_labelled():
    folder = Path(os.environ["HUYING_SHARED_DATA"]) if os.environ.get("HUYING_SHARED_DATA") else REPO / ".." / "shared" / "data"
    path = folder / "tipdm2020" / "messages_labelled.csv"
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set HUYING_SHARED_DATA to the shared/data folder)")
    return path


def test_text_of_puts_the_title_on_the_first_line():
    assert text_of("  标题\n有换行 ", " 正文\n第二行 ") == "标题 有换行\n正文\n第二行"
    assert text_of(None, None) == "\n"


def test_fit_and_predict_on_made_up_messages(trained):
    assert trained.predict(TEXTS) == LABELS  # it can at least learn what it saw
    predicted = trained.predict([text for text, _ in NEW])
    right = sum(p == label for p, (_, label) in zip(predicted, NEW))
    assert right >= 3, predicted


def test_labels_are_kept_as_given(trained):
    assert set(trained.classes_) == set(LABELS)
    assert "HB-07" in trained.predict([text for text, _ in NEW])
    assert all(isinstance(p, str) for p in trained.predict(TEXTS))
    assert trained.metadata["labels"] == sorted(set(LABELS))


def test_predict_top_is_sorted_and_confidences_are_in_0_1(trained):
    tops = trained.predict_top([text for text, _ in NEW] + ["\n"], k=3)
    assert len(tops) == len(NEW) + 1
    for top in tops:
        assert len(top) == 3
        confidences = [c for _, c in top]
        assert confidences == sorted(confidences, reverse=True)
        assert all(0.0 <= c <= 1.0 for c in confidences)
        assert len({label for label, _ in top}) == 3
    # the best guess is predict's answer
    assert [top[0][0] for top in tops] == trained.predict([text for text, _ in NEW] + ["\n"])
    # k larger than the number of labels gives every label once, summing to 1
    everything = trained.predict_top([NEW[0][0]], k=10)[0]
    assert len(everything) == 4
    assert sum(c for _, c in everything) == pytest.approx(1.0)


def test_save_and_load_give_identical_predictions(trained, tmp_path):
    path = tmp_path / "model.joblib"
    trained.save(path)
    loaded = CategoryClassifier.load(path)
    texts = TEXTS + [text for text, _ in NEW]
    assert loaded.predict(texts) == trained.predict(texts)
    np.testing.assert_allclose(loaded.predict_proba(texts), trained.predict_proba(texts))
    assert loaded.metadata == trained.metadata
    for key in ("version", "trained_at", "n", "labels", "held_out"):
        assert key in loaded.metadata
    assert loaded.metadata["n"] == len(TEXTS)
    assert not [p for p in tmp_path.iterdir() if p.name != "model.joblib"]  # no temporary file left


def test_load_refuses_a_file_that_is_not_a_model(tmp_path):
    import joblib

    path = tmp_path / "other.joblib"
    joblib.dump({"something": "else"}, path)
    with pytest.raises(ValueError, match="not a Huying category model"):
        CategoryClassifier.load(path)


def test_one_label_is_refused_and_a_single_example_label_still_trains():
    with pytest.raises(ValueError, match="two different labels"):
        CategoryClassifier().fit(TEXTS[:3], ["a", "a", "a"])
    # a label with one example: no calibration folds possible, training still works
    model = CategoryClassifier().fit(TEXTS[:5], LABELS[:4] + ["新标签"])
    assert model.metadata["held_out"] is None
    assert model.predict([TEXTS[4]]) == ["新标签"]


def test_two_labels_work(trained):
    model = CategoryClassifier().fit(TEXTS[:8], LABELS[:8])
    top = model.predict_top([NEW[1][0]], k=3)[0]
    assert [label for label, _ in top][0] == "劳动和社会保障"
    assert len(top) == 2


def test_features_keep_title_and_body_apart_and_weigh_the_title():
    features = NgramFeatures(title_weight=8.0).fit(["电梯\n维修"])
    names = features.feature_names()
    assert "电梯" in names and "维修" in names
    assert "梯维" not in names  # never across the title/body boundary
    row = features.transform(["电梯\n电梯"]).toarray()[0]
    assert row[names.index("电梯")] == 8.0 + 1.0
    # digits are folded, full-width letters and digits are made ASCII
    features = NgramFeatures().fit(["ＡＢ１２\n"])
    assert set(features.feature_names()) == {"a", "b", "0"}


def test_smoke_cross_validation_on_the_shared_sample():
    """2-fold CV on the real sample; the floor is modest but a broken model fails it."""
    import csv

    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    with open(shared_labelled(), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [text_of(r["title"], r["body"]) for r in rows]
    labels = np.array([r["category"] for r in rows])
    scores = []
    for train_idx, test_idx in StratifiedKFold(2, shuffle=True, random_state=0).split(texts, labels):
        model = CategoryClassifier(calibration_folds=2).fit([texts[i] for i in train_idx], labels[train_idx])
        scores.append(f1_score(labels[test_idx], model.predict([texts[i] for i in test_idx]), average="macro"))
    assert min(scores) > 0.70, scores


def test_bench_smoke_runs(capsys):
    """The benchmark's --smoke run, in this process (a new interpreter would
    load sklearn and jieba's dictionary again)."""
    import importlib.util

    shared_labelled()
    spec = importlib.util.spec_from_file_location("bench_routing_run", REPO / "bench" / "routing" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--smoke"]) == 0
    out = capsys.readouterr().out
    assert "huying: CategoryClassifier" in out and "baseline" in out
