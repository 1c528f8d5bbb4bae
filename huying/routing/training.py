"""Training and evaluating the category classifier.

Examples come from a file (`id,title,body,created_at,category`, e.g. an older
system's export) or from the deployment's own closed cases plus the
corrections people made. One fifth of the examples is held out, chosen by a
hash of the text, so the same text is held out in every training run: a
model trained here never saw any held-out example of a later run, and a new
model and the active one are compared fairly on the same unseen examples.
The new model becomes active only when it scores at least as well.
"""

import csv
import hashlib
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from huying.cases.models import Case, Category, Status
from huying.routing import store

# `text_of` is imported from here by intake and corrections: one way of joining a title and a body.
from huying.routing.classifier import text_of
from huying.routing.models import Label, Model, TrainingExample
from huying.routing.responsibility import category_by_label

COLUMNS = ("id", "title", "body", "created_at", "category")
HOLD_OUT_ONE_IN = 5
# A category deeper than the top level is learnt as itself only with at
# least this many examples; rarer ones are learnt as their parent.
MIN_PER_LABEL = 20
CASES_LIMIT = 200_000
# Fewer held-out examples than this say too little to calibrate confidences.
MIN_CALIBRATION = 30
SHOWN_ERRORS = 10


class BadInput(ValueError):
    """The examples cannot be used; the message says why (with line numbers)."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    key: str = ""  # the row id or case number, for messages


def classifier_module():
    try:
        from huying.routing import classifier
    except ImportError:
        raise BadInput("the category classifier (huying/routing/classifier.py) is not installed") from None
    return classifier


def new_classifier():
    return classifier_module().CategoryClassifier()


# --- reading ---------------------------------------------------------------------------------


def read_file(path):
    """Examples from a CSV file; refused whole, with line numbers, when a row is bad."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise BadInput(f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")
            examples, errors = [], []
            for line, row in enumerate(reader, start=2):
                title, body, label = (row.get("title") or "").strip(), (row.get("body") or "").strip(), (row.get("category") or "").strip()
                if not label:
                    errors.append(f"line {line}: no category")
                elif not (title or body):
                    errors.append(f"line {line}: no title and no body")
                else:
                    examples.append(Example(text_of(title, body), label, (row.get("id") or "").strip() or f"line {line}"))
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise BadInput(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise BadInput(f"{path}: not a readable CSV file ({error})") from None
    if errors:
        more = f" (and {len(errors) - SHOWN_ERRORS} more)" if len(errors) > SHOWN_ERRORS else ""
        raise BadInput(f"{path}: {len(errors)} bad row(s), nothing used: " + "; ".join(errors[:SHOWN_ERRORS]) + more)
    if not examples:
        raise BadInput(f"{path}: no rows")
    return examples


def examples_from_cases(limit=CASES_LIMIT, min_per_label=MIN_PER_LABEL):
    """Closed cases with their category, corrected by the training examples
    people's corrections left (the newest word on a case wins)."""
    rows = (Case.objects.filter(status=Status.CLOSED, category__isnull=False)
            .order_by("-closed_at").values_list("pk", "number", "title", "text", "category_id")[:limit])
    by_case = {pk: (number, text_of(title, text), category_id) for pk, number, title, text, category_id in rows}
    loose = []
    for example in TrainingExample.objects.filter(category__isnull=False).order_by("created_at"):
        if example.case_id is not None:
            number = by_case.get(example.case_id, (f"case {example.case_id}",))[0]
            by_case[example.case_id] = (number, example.text, example.category_id)
        else:
            loose.append((f"example {example.pk}", example.text, example.category_id))
    items = list(by_case.values()) + loose
    if not items:
        raise BadInput("no closed case with a category and no correction yet: nothing to learn from")
    labels = rolled_up_labels([category_id for _, _, category_id in items], min_per_label)
    return [Example(text, labels[category_id], key) for key, text, category_id in items]


def rolled_up_labels(category_ids, min_per_label):
    """{category id: the code it is learnt as}: the deepest level of its path
    that has at least `min_per_label` examples (the top level in any case)."""
    nodes = {c.pk: c for c in Category.objects.all()}
    counts = Counter()
    for category_id in category_ids:
        for node in path_of(nodes[category_id], nodes):
            counts[node.pk] += 1
    out = {}
    for category_id in set(category_ids):
        path = path_of(nodes[category_id], nodes)  # leaf first
        chosen = next((n for n in path if counts[n.pk] >= min_per_label), path[-1])
        out[category_id] = chosen.code
    return out


def path_of(category, nodes):
    path = [category]
    while path[-1].parent_id is not None:
        path.append(nodes[path[-1].parent_id])
    return path


# --- scoring ---------------------------------------------------------------------------------


def is_held_out(text):
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % HOLD_OUT_ONE_IN == 0


def split(examples):
    train = [e for e in examples if not is_held_out(e.text)]
    held = [e for e in examples if is_held_out(e.text)]
    if len({e.label for e in train}) < 2:
        raise BadInput("at least two categories are needed to learn anything")
    if not held:
        raise BadInput(f"too few examples ({len(examples)}): none could be held out to score the model")
    return train, held


def metrics(truth, predicted, seconds):
    """The scores of the JSON output; `seconds` are CPU seconds of this
    process spent classifying, so a busy machine does not lower the rate."""
    labels = sorted(set(truth) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    per_class = {
        label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support)
    }
    return {
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "n": len(truth),
        "per_class": per_class,
        "messages_per_second": round(len(truth) / seconds, 1) if seconds > 0 else None,
    }


def score(classifier, examples):
    """Metrics of a classifier on examples; labels compared by the category
    they stand for, so a model that learnt codes can be scored on names."""
    started = time.process_time()
    predicted = classifier.predict([e.text for e in examples])
    seconds = time.process_time() - started
    memo = {}
    return metrics([store.canonical(e.label, memo) for e in examples], [store.canonical(p, memo) for p in predicted], seconds)


def cross_validate(examples, folds=5, seed=0):
    """Stratified k-fold: every example predicted by a model that never saw it."""
    labels = [e.label for e in examples]
    smallest = min(Counter(labels).values())
    if folds < 2 or smallest < folds:
        raise BadInput(f"{folds}-fold cross-validation needs at least {folds} examples of every category (smallest has {smallest})")
    predicted, seconds = [None] * len(examples), 0.0
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(labels, labels):
        classifier = new_classifier().fit([examples[i].text for i in train_idx], [labels[i] for i in train_idx])
        started = time.process_time()
        out = classifier.predict([examples[i].text for i in test_idx])
        seconds += time.process_time() - started
        for i, label in zip(test_idx, out):
            predicted[i] = label
    memo = {}
    return metrics([store.canonical(x, memo) for x in labels], [store.canonical(p, memo) for p in predicted], seconds)


# --- training --------------------------------------------------------------------------------


@dataclass
class Result:
    version: int
    activated: bool
    metrics: dict
    incumbent_version: int | None
    incumbent_metrics: dict | None
    n_train: int
    n_held_out: int
    unmapped: list


def train(examples, *, source, progress=True, now=None):
    """Fit a new model, score it and the active one on the same held-out
    examples, store it, and activate it when it is at least as good."""
    now = now or timezone.now()
    bar = tqdm(total=4, desc="training", unit="step", disable=not progress)
    train_set, held = split(examples)
    bar.set_postfix_str(f"{len(train_set)} examples, {len({e.label for e in train_set})} labels")
    classifier = new_classifier().fit([e.text for e in train_set], [e.label for e in train_set])
    bar.update()
    bar.set_postfix_str(f"scoring on {len(held)} held-out")
    candidate = score(classifier, held)
    calibrated = calibration(classifier, held)
    bar.update()
    incumbent_version, incumbent, incumbent_metrics = None, None, None
    try:
        incumbent_version, incumbent = store.active()
    except Exception as error:  # an unreadable old model must not block a new one
        candidate["incumbent_unreadable"] = str(error)[:200]
    if incumbent is not None:
        incumbent_metrics = score(incumbent, held)
    bar.update()
    bar.set_postfix_str("storing")
    activated = incumbent_metrics is None or candidate["macro_f1"] >= incumbent_metrics["macro_f1"]
    data = store.dumps(classifier)
    labels = sorted({e.label for e in examples})
    try:
        with transaction.atomic():
            unmapped = register_labels(labels, source, now)
            version = (Model.objects.aggregate(v=Max("version"))["v"] or 0) + 1
            if activated:
                Model.objects.filter(active=True).update(active=False)
            Model.objects.create(
                version=version, created_at=now, active=activated, source=source[:200], data=data,
                metrics=candidate | {
                    "incumbent": {"version": incumbent_version, **incumbent_metrics} if incumbent_metrics else None,
                    "classifier": getattr(classifier, "metadata", {}),
                    "calibration": calibrated,
                },
                labels=labels, n_train=len(train_set), n_held_out=len(held),
            )
    except IntegrityError:
        raise BadInput("another training finished at the same moment; run it again") from None
    bar.update()
    bar.close()
    return Result(version, activated, candidate, incumbent_version, incumbent_metrics, len(train_set), len(held), unmapped)


def calibration(classifier, held):
    """What a first guess's confidence means: on the held-out examples, the
    share of first guesses that were right, as a rising function of the
    classifier's confidence (isotonic regression; each step's share with one
    right and one wrong added, so a few lucky examples never make it 100 %).
    None with fewer than `MIN_CALIBRATION` held-out examples."""
    if len(held) < MIN_CALIBRATION:
        return None
    top = [t[0] for t in classifier.predict_top([e.text for e in held], k=1)]
    memo = {}
    raw = np.array([confidence for _, confidence in top])
    right = np.array([store.canonical(label, memo) == store.canonical(e.label, memo) for (label, _), e in zip(top, held)], float)
    fitted = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(raw, right)
    level = fitted.predict(raw)
    smoothed = {}
    for value in np.unique(level):
        members = level == value
        smoothed[value] = (right[members].sum() + 1) / (members.sum() + 2)
    ys = [round(float(smoothed.get(y, y)), 4) for y in fitted.predict(fitted.X_thresholds_)]
    return {"x": [round(float(x), 6) for x in fitted.X_thresholds_], "y": ys, "n": len(held)}


def register_labels(labels, source, now):
    """Keep every label; map the ones that name a deployment category. Returns
    the labels that no category stands for yet."""
    known = {label.name: label for label in Label.objects.filter(name__in=labels)}
    unmapped = []
    for name in labels:
        label = known.get(name)
        if label is None:
            label = Label.objects.create(name=name, category=category_by_label(name), first_seen=now, source=source[:200])
        if label.category_id is None:
            unmapped.append(name)
    return unmapped
