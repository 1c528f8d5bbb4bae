"""Benchmark of the category classifier (issue 5): Huying's model beside a
baseline (character 1–3-gram TF-IDF + LinearSVC), both measured in the same
run under stratified k-fold cross-validation (shuffled, random_state=0).

    python bench/routing/run.py [FILE.csv] [--folds 5] [--unlabelled] [--smoke]

FILE has the columns id,title,body,created_at,category; the default is
../shared/data/tipdm2020/messages_labelled.csv beside the repository (or
$HUYING_SHARED_DATA/tipdm2020/...). Speed is measured on one core: the BLAS
and OpenMP pools are set to one thread before numpy loads, and messages per
second are counted in CPU seconds of this process (wall-clock is shown too;
on a busy machine it is lower).
"""

import os

# one core: must be set before numpy/scipy/sklearn are imported. Only when run
# as a script: imported by a test, it must not change that process's settings
# (main() limits the thread pools itself as well).
if __name__ == "__main__":
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[_var] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from huying.routing.classifier import CategoryClassifier, text_of  # noqa: E402

SMOKE_ROWS = 60
SPEED_MESSAGES = 2000  # texts classified for the speed figure (the data set repeated as needed)


def shared_data():
    """The shared data folder: $HUYING_SHARED_DATA, else ../shared/data beside the repository."""
    env = os.environ.get("HUYING_SHARED_DATA")
    return Path(env) if env else REPO / ".." / "shared" / "data"


def default_file():
    return shared_data() / "tipdm2020" / "messages_labelled.csv"


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("category") or "").strip()]
    return [text_of(r.get("title"), r.get("body")) for r in rows], [r["category"].strip() for r in rows]


def read_unlabelled(folder, labelled_texts):
    """Texts of the unlabelled message files in `folder`, if any (IDF only).
    A message whose title is also a labelled message's title is left out (a
    few dozen are), so no test message is seen even without its label."""
    titles = {t.partition("\n")[0] for t in labelled_texts}
    texts = []
    for name in ("messages_unlabelled.csv", "messages_with_replies.csv", "messages_with_votes.csv"):
        path = Path(folder) / name
        if path.exists():
            with open(path, encoding="utf-8-sig", newline="") as f:
                texts += [text_of(r.get("title"), r.get("body")) for r in csv.DictReader(f)]
    return [t for t in dict.fromkeys(texts) if t.partition("\n")[0] not in titles]


def smoke_sample(texts, labels, n=SMOKE_ROWS):
    """A small stratified sample, the same every run: a few of every label."""
    by_label = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    chosen, round_ = [], 0
    while len(chosen) < min(n, len(labels)):
        added = False
        for label in sorted(by_label):
            if round_ < len(by_label[label]) and len(chosen) < n:
                chosen.append(by_label[label][round_])
                added = True
        if not added:
            break
        round_ += 1
    chosen.sort()
    return [texts[i] for i in chosen], [labels[i] for i in chosen]


# --- the two models, behind one small interface -----------------------------------------------------


class Baseline:
    name = "baseline: char 1-3 TF-IDF + LinearSVC"

    def fit(self, texts, labels):
        self.model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC())
        self.model.fit(texts, labels)
        return self

    def predict(self, texts):
        return list(self.model.predict(texts))


class Huying:
    name = "huying: CategoryClassifier"

    def __init__(self, unlabelled=None):
        self.unlabelled = unlabelled
        if unlabelled:
            self.name += " + unlabelled IDF"

    def fit(self, texts, labels):
        self.model = CategoryClassifier().fit(texts, labels, unlabelled=self.unlabelled)
        return self

    def predict(self, texts):
        return self.model.predict(texts)


# --- measuring ---------------------------------------------------------------------------------------


def cross_validate(make, texts, labels, folds, seed):
    """Per-fold macro-F1 and accuracy, train CPU seconds, and the last fold's model."""
    f1s, accs, train_seconds, model = [], [], [], None
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, labels):
        started = time.process_time()
        model = make().fit([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        train_seconds.append(time.process_time() - started)
        truth = [labels[i] for i in test_idx]
        predicted = model.predict([texts[i] for i in test_idx])
        f1s.append(f1_score(truth, predicted, average="macro", zero_division=0))
        accs.append(accuracy_score(truth, predicted))
    return {"f1": f1s, "acc": accs, "train_s": statistics.mean(train_seconds), "model": model}


def speed(model, texts, n=SPEED_MESSAGES):
    """(messages per CPU second, per wall second) classifying n texts in one call."""
    batch = (texts * (n // max(len(texts), 1) + 1))[:n]
    model.predict(batch[:10])  # warm-up: first-call imports and caches are not the steady state
    cpu, wall = time.process_time(), time.perf_counter()
    model.predict(batch)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return len(batch) / max(cpu, 1e-9), len(batch) / max(wall, 1e-9)


def latency_ms(model, texts, n=200):
    """Mean CPU milliseconds to classify one message on its own (as at intake)."""
    one = texts[: min(n, len(texts))]
    started = time.process_time()
    for text in one:
        model.predict([text])
    return 1000 * (time.process_time() - started) / len(one)


def table(results, n, folds, seed):
    lines = [
        f"{n} messages, stratified {folds}-fold cross-validation (shuffle, random_state={seed}); one core",
        "",
        f"| {'model':<46} | macro-F1 (mean ± std) | accuracy | train s/fold | msgs/s (CPU) | msgs/s (wall) | 1 msg, ms |",
        f"|{'-' * 48}|{'-' * 23}|{'-' * 10}|{'-' * 14}|{'-' * 14}|{'-' * 15}|{'-' * 11}|",
    ]
    for name, r in results:
        f1_std = statistics.stdev(r["f1"]) if len(r["f1"]) > 1 else 0.0
        lines.append(
            f"| {name:<46} | {statistics.mean(r['f1']):.4f} ± {f1_std:.4f}       | {statistics.mean(r['acc']):.4f}   "
            f"| {r['train_s']:>12.2f} | {r['speed_cpu']:>12,.0f} | {r['speed_wall']:>13,.0f} | {r['latency_ms']:>9.2f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", help="CSV with id,title,body,created_at,category (default: the shared TipDM sample)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--unlabelled", action="store_true",
                        help="also fit Huying's IDF weights on the unlabelled messages beside FILE (never their labels: they have none)")
    parser.add_argument("--smoke", action="store_true", help=f"{SMOKE_ROWS} rows, 2 folds: a quick check that the bench runs")
    args = parser.parse_args(argv)

    path = Path(args.file) if args.file else default_file()
    if not path.exists():
        print(f"no data: {path} is missing (set HUYING_SHARED_DATA or pass a file); nothing measured")
        return 0
    texts, labels = read_rows(path)
    folds = args.folds
    if args.smoke:
        texts, labels = smoke_sample(texts, labels)
        folds = 2
    unlabelled = read_unlabelled(path.parent, texts) if args.unlabelled and not args.smoke else None

    results = []
    with threadpool_limits(limits=1):
        for make in (Baseline, lambda: Huying(unlabelled)):
            r = cross_validate(make, texts, labels, folds, args.seed)
            r["speed_cpu"], r["speed_wall"] = speed(r["model"], texts, SPEED_MESSAGES if not args.smoke else 300)
            r["latency_ms"] = latency_ms(r["model"], texts, 200 if not args.smoke else 20)
            results.append((r["model"].name, r))
    print(table(results, len(texts), folds, args.seed))
    print()
    huying = results[1][1]
    print(f"per fold, huying macro-F1: {' '.join(f'{x:.4f}' for x in huying['f1'])}")
    print(f"per fold, baseline macro-F1: {' '.join(f'{x:.4f}' for x in results[0][1]['f1'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
