"""Category classifier: a message's title and body → its category label.

Pure Python on jieba and scikit-learn, no Django, so that the benchmark and
the tests can use it alone. Labels are whatever strings the deployment's past
cases carry (an older system's labels stay as they are).

The model, chosen on the TipDM 2020 sample (see bench/routing/README.md):

* features: every character, plus every 2- and 3-character substring that is
  a word of jieba's own dictionary (and of `extra_words`). The dictionary
  keeps the multi-character features to real words, which beats both raw
  character n-grams (too many noisy ones) and jieba's segmentation (a missed
  boundary loses the word; segmenting is also slower than the 2,000
  messages a second we need);
* the title counts `title_weight` times: it is short and says what the
  message is about, the body tells a story around it;
* full-width letters and digits are made ASCII, Latin letters lowered and
  digits folded to 0, so phone numbers, dates and case numbers do not become
  thousands of rare features;
* TF-IDF (raw counts, not sublinear), then a linear SVM with balanced class
  weights (rare categories are not drowned by common ones);
* confidences: a softmax of the SVM's scores with one temperature fitted on
  out-of-fold scores of the training set; the same out-of-fold predictions
  give the held-out score kept in the metadata.

Features are computed with numpy on the whole batch at once: each n-gram
becomes an exact 64-bit key (21 bits per code point), looked up with one
`searchsorted`. That, and predicting without sklearn's per-call checks, is
what makes ≥ 2,000 messages a second on one core possible (about 5,000 on the
development machine); sklearn's own analyzers run a Python loop per n-gram.
"""

import hashlib
import logging
import os
import tempfile
from collections import Counter
from datetime import datetime, timezone

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

FORMAT = 1  # of the saved file; bump when an old file can no longer be read
MODEL_NAME = "char+jieba-dict n-grams, TF-IDF, LinearSVC"

_SEP = 0  # code point that separates titles and bodies in a batch; never a feature
_BITS = np.uint64(21)  # every Unicode code point fits in 21 bits, so 3 chars fit in 63
_MAX_N = 3
CHUNK = 256  # texts per batch inside predict


def text_of(title, body):
    """One text of a title and a body, as the classifier learns and reads it:
    the title on the first line. A title never holds a newline, so the first
    newline always marks where the body starts."""
    title = " ".join(str(title or "").split())
    body = str(body or "").strip()
    return f"{title}\n{body}"


# --- features ---------------------------------------------------------------------------------


def _codepoints(text):
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _fold(cp, digits=True):
    """Full-width ASCII to ASCII, Latin upper to lower case, and (optionally)
    every digit to 0, in place on code points: phone numbers, dates and case
    numbers would otherwise become thousands of rare features. Done on the
    array because unicodedata's NFKC costs more than all the rest together."""
    wide = (cp >= 0xFF01) & (cp <= 0xFF5E)
    cp[wide] -= np.uint64(0xFEE0)
    cp[cp == 0x3000] = ord(" ")
    cp[(cp >= ord("A")) & (cp <= ord("Z"))] += np.uint64(32)
    if digits:
        cp[(cp >= ord("1")) & (cp <= ord("9"))] = ord("0")
    return cp


def _ngram_keys(cp, n):
    """Exact key of the n-gram starting at each position, and whether it lies
    inside one segment (does not cross a separator)."""
    length = len(cp) - n + 1
    if length <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, bool)
    keys = cp[:length].copy()
    inside = keys != _SEP
    for j in range(1, n):
        nxt = cp[j:j + length]
        keys = (keys << _BITS) | nxt
        inside &= nxt != _SEP
    return keys, inside


def word_keys(words):
    """Sorted unique keys of the words of 2..3 characters among `words`,
    computed on one joined array rather than word by word (jieba's dictionary
    has 350,000 words)."""
    words = [w for w in words if 2 <= len(w) <= _MAX_N and chr(_SEP) not in w]
    if not words:
        return np.zeros(0, np.uint64)
    cp = _fold(_codepoints(chr(_SEP).join(words) + chr(_SEP) * _MAX_N))
    lengths = np.array([len(w) for w in words])
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    keys = []
    for n in range(2, _MAX_N + 1):
        k, _ = _ngram_keys(cp, n)
        keys.append(k[starts[lengths == n]])
    return np.unique(np.concatenate(keys))


def _is_cjk_word(word):
    # Chinese words only: Latin and digit strings from the dictionary would only add noise
    return all("\u4e00" <= ch <= "\u9fff" for ch in word)


_DICTIONARY_KEYS = None


def jieba_dictionary_keys():
    """Keys of jieba's bundled dictionary words of 2..3 Chinese characters.
    Read straight from the file jieba ships: no download, no cache file, and
    the same words on every machine with the same jieba version."""
    global _DICTIONARY_KEYS
    if _DICTIONARY_KEYS is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        with jieba.get_dict_file() as f:
            lines = f.read().decode("utf-8").splitlines()
        words = [line.split(" ", 1)[0] for line in lines]
        _DICTIONARY_KEYS = word_keys([w for w in words if 2 <= len(w) <= _MAX_N and _is_cjk_word(w)])
    return _DICTIONARY_KEYS


class NgramFeatures(BaseEstimator, TransformerMixin):
    """Counts of characters and of dictionary words of 2..3 characters, in
    texts made by `text_of`; the title's counts weigh `title_weight` times.

    The vocabulary is what the training texts contain: n-grams seen only at
    prediction time are ignored, as usual."""

    def __init__(self, title_weight=8.0, fold_digits=True, extra_words=()):
        self.title_weight = title_weight
        self.fold_digits = fold_digits
        self.extra_words = extra_words

    def _encode(self, texts):
        """All texts as one code-point array; segment 2i is text i's title, 2i+1 its body."""
        parts = []
        for text in texts:
            title, _, body = str(text).replace(chr(_SEP), " ").partition("\n")
            parts.append(title)
            parts.append(body)
        cp = _fold(_codepoints(chr(_SEP).join(parts) + chr(_SEP)), self.fold_digits)
        is_sep = cp == _SEP
        segment = np.cumsum(is_sep) - is_sep  # a separator closes its own segment
        return cp, segment

    def fit(self, texts, y=None):
        cp, _ = self._encode(list(texts))
        words = np.union1d(jieba_dictionary_keys(), word_keys(self.extra_words))
        vocabulary = []
        for n in range(1, _MAX_N + 1):
            k, inside = _ngram_keys(cp, n)
            seen = np.unique(k[inside])
            if n > 1:  # longer n-grams only when they are words
                seen = seen[_member(seen, words)]
            vocabulary.append(seen)
        # keys of different lengths never collide: an n-gram's key is >= 2**(21*(n-1))
        self.vocabulary_keys_ = np.unique(np.concatenate(vocabulary))
        return self

    def transform(self, texts):
        texts = list(texts)
        cp, segment = self._encode(texts)
        vocabulary = self.vocabulary_keys_
        rows, cols, weights = [], [], []
        for n in range(1, _MAX_N + 1):
            k, inside = _ngram_keys(cp, n)
            # the vocabulary only holds words, so a hit also means "is a word"
            k, seg = k[inside], segment[:len(inside)][inside]
            idx = np.searchsorted(vocabulary, k)
            idx[idx >= len(vocabulary)] = 0
            hit = vocabulary[idx] == k if len(vocabulary) else np.zeros(len(k), bool)
            seg = seg[hit]
            rows.append(seg // 2)
            cols.append(idx[hit])
            weights.append(np.where(seg % 2 == 0, self.title_weight, 1.0))
        matrix = sp.csr_matrix(
            (np.concatenate(weights), (np.concatenate(rows).astype(np.int64), np.concatenate(cols))),
            shape=(len(texts), len(vocabulary)),
        )
        matrix.sum_duplicates()
        return matrix

    def feature_names(self):
        """The n-gram of each column (for explanations and debugging)."""
        mask = np.uint64((1 << 21) - 1)
        names = []
        for key in self.vocabulary_keys_:
            chars = []
            while key:
                chars.append(chr(int(key & mask)))
                key >>= _BITS
            names.append("".join(reversed(chars)))
        return names


def _member(sorted_needles, sorted_haystack):
    """np.isin for two sorted unique arrays, by binary search."""
    if len(sorted_haystack) == 0:
        return np.zeros(len(sorted_needles), bool)
    idx = np.searchsorted(sorted_haystack, sorted_needles)
    idx[idx >= len(sorted_haystack)] = 0
    return sorted_haystack[idx] == sorted_needles


# --- the classifier ---------------------------------------------------------------------------


def _full_scores(model, features, classes):
    """Decision scores over all `classes`, also for a model that saw fewer
    (a fold can miss a rare class): a missing class scores below every other."""
    scores = model.decision_function(features)
    if scores.ndim == 1:  # two classes: sklearn gives one column, positive = classes_[1]
        scores = np.column_stack([-scores, scores]) / 2
    out = np.full((features.shape[0], len(classes)), np.nan)
    index = {label: i for i, label in enumerate(classes)}
    for j, label in enumerate(model.classes_):
        out[:, index[label]] = scores[:, j]
    floor = np.nanmin(out, axis=1, keepdims=True) - 1.0
    return np.where(np.isnan(out), floor, out)


def _fit_temperature(scores, truth_idx):
    """The softmax temperature that makes out-of-fold scores the most likely
    (minimum log loss); 1.0 when there is nothing to fit on."""
    if len(truth_idx) == 0:
        return 1.0

    def loss(log_t):
        logp = log_softmax(scores / np.exp(log_t), axis=1)
        return -logp[np.arange(len(truth_idx)), truth_idx].mean()

    result = minimize_scalar(loss, bounds=(np.log(0.01), np.log(100.0)), method="bounded")
    return float(np.exp(result.x))


class CategoryClassifier:
    """Title+body → category. `fit`, `predict`, `predict_top`, `save`, `load`.

    `metadata` holds the version string, when it was trained, on how many
    examples, the labels and the held-out (out-of-fold) score."""

    def __init__(self, C=3.0, title_weight=8.0, fold_digits=True, extra_words=(), calibration_folds=3, random_state=0):
        self.C = C
        self.title_weight = title_weight
        self.fold_digits = fold_digits
        self.extra_words = tuple(extra_words)
        self.calibration_folds = calibration_folds
        self.random_state = random_state
        self.pipeline = None
        self.temperature = 1.0
        self.metadata = {}

    def _new_pipeline(self):
        return Pipeline([
            ("ngrams", NgramFeatures(self.title_weight, self.fold_digits, self.extra_words)),
            ("tfidf", TfidfTransformer()),
            ("svm", LinearSVC(C=self.C, class_weight="balanced", random_state=self.random_state)),
        ])

    def fit(self, texts, labels, unlabelled=None, progress=False):
        """Learn from `texts` (made by `text_of`) and their labels (any strings).

        `unlabelled`: optional texts without labels (e.g. the deployment's other
        messages); they only sharpen the IDF weights, never the vocabulary or
        the labels. `progress`: show a tqdm bar over the steps."""
        texts = [str(t) for t in texts]
        labels = np.array([str(label) for label in labels], dtype=object)
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        counts = Counter(labels)
        if len(counts) < 2:
            raise ValueError("at least two different labels are needed to learn anything")
        folds = min(self.calibration_folds, min(counts.values()))
        bar = _progress_bar(progress, total=(folds if folds >= 2 else 0) + 1)

        classes = np.array(sorted(counts), dtype=object)
        held_out = None
        if folds >= 2:
            oof, predicted = self._out_of_fold(texts, labels, classes, folds, unlabelled, bar)
            truth_idx = np.searchsorted(classes, labels)
            self.temperature = _fit_temperature(oof, truth_idx)
            held_out = {
                "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
                "accuracy": round(float(accuracy_score(labels, predicted)), 4),
                "method": f"{folds}-fold cross-validation on the training examples",
            }
        else:
            self.temperature = 1.0  # some label has a single example: nothing to calibrate on

        self.pipeline = self._fit_pipeline(texts, labels, unlabelled)
        bar.update()
        bar.close()

        trained_at = datetime.now(timezone.utc).replace(microsecond=0)
        digest = hashlib.sha256("\x1e".join(f"{t}\x1f{lab}" for t, lab in zip(texts, labels)).encode("utf-8")).hexdigest()
        self.metadata = {
            "version": f"{trained_at:%Y%m%dT%H%M%SZ}-{digest[:8]}",
            "model": MODEL_NAME,
            "trained_at": trained_at.isoformat(),
            "n": len(texts),
            "labels": [str(c) for c in classes],
            "counts": {str(k): int(v) for k, v in sorted(counts.items())},
            "held_out": held_out,
            "temperature": round(self.temperature, 4),
            "params": {"C": self.C, "title_weight": self.title_weight, "fold_digits": self.fold_digits,
                       "extra_words": len(self.extra_words), "unlabelled": len(unlabelled or ())},
        }
        return self

    def _fit_pipeline(self, texts, labels, unlabelled):
        pipeline = self._new_pipeline()
        ngrams, tfidf, svm = (step for _, step in pipeline.steps)
        counts = ngrams.fit(texts).transform(texts)
        if unlabelled:
            tfidf.fit(sp.vstack([counts, ngrams.transform(unlabelled)]))
        else:
            tfidf.fit(counts)
        svm.fit(tfidf.transform(counts), labels)
        return pipeline

    def _out_of_fold(self, texts, labels, classes, folds, unlabelled, bar):
        """Scores and predictions of every training text by a model that did not see it."""
        scores = np.zeros((len(texts), len(classes)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        for train_idx, test_idx in splitter.split(texts, labels):
            pipeline = self._fit_pipeline([texts[i] for i in train_idx], labels[train_idx], unlabelled)
            features = pipeline[:-1].transform([texts[i] for i in test_idx])
            scores[test_idx] = _full_scores(pipeline[-1], features, classes)
            bar.update()
        return scores, classes[scores.argmax(axis=1)]

    # --- use ---------------------------------------------------------------------------------

    @property
    def classes_(self):
        self._check_fitted()
        return self.pipeline[-1].classes_

    def _check_fitted(self):
        if self.pipeline is None:
            raise RuntimeError("the classifier is not trained yet: call fit() or load()")

    def decision_function(self, texts):
        """SVM scores, one column per label of `classes_`. Computed in chunks:
        a few hundred texts at a time keep the n-gram arrays in the CPU cache
        (a single batch of thousands is slower per text)."""
        self._check_fitted()
        texts = [str(t) for t in texts]
        ngrams, tfidf, svm = (step for _, step in self.pipeline.steps)
        idf, coef, intercept = tfidf.idf_, svm.coef_, svm.intercept_
        out = []
        for start in range(0, len(texts), CHUNK):
            # the pipeline's own transform/decision_function, without sklearn's
            # per-call validation, which costs more than the maths for one text
            x = ngrams.transform(texts[start:start + CHUNK]).tocsr()
            x.data *= idf[x.indices]
            norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            x.data /= np.repeat(norms, np.diff(x.indptr))
            out.append(np.asarray(x @ coef.T) + intercept)
        scores = np.vstack(out) if out else np.zeros((0, len(svm.classes_)))
        if scores.shape[1] == 1:  # two labels: one column, positive = classes_[1]
            scores = np.column_stack([-scores[:, 0], scores[:, 0]]) / 2
        return scores

    def predict_proba(self, texts):
        """Probability-like confidences, one column per label of `classes_`."""
        return softmax(self.decision_function(texts) / self.temperature, axis=1)

    def predict(self, texts):
        texts = list(texts)
        if not texts:
            return []
        scores = self.decision_function(texts)
        return [str(self.classes_[i]) for i in scores.argmax(axis=1)]

    def predict_top(self, texts, k=3):
        """[(label, confidence), ...] best first, for each text. The first label
        is always `predict`'s (the temperature does not change the order)."""
        texts = list(texts)
        if not texts:
            return []
        proba = self.predict_proba(texts)
        k = max(1, min(int(k), proba.shape[1]))
        order = np.argsort(-proba, axis=1, kind="stable")[:, :k]
        classes = self.classes_
        return [[(str(classes[j]), float(proba[i, j])) for j in row] for i, row in enumerate(order)]

    # --- storage -----------------------------------------------------------------------------

    def save(self, path):
        """Write the model to `path` (joblib), atomically: a reader never sees half a file."""
        import joblib
        import sklearn

        self._check_fitted()
        payload = {
            "format": FORMAT,
            "sklearn": sklearn.__version__,
            "params": {"C": self.C, "title_weight": self.title_weight, "fold_digits": self.fold_digits,
                       "extra_words": self.extra_words, "calibration_folds": self.calibration_folds,
                       "random_state": self.random_state},
            "pipeline": self.pipeline,
            "temperature": self.temperature,
            "metadata": self.metadata,
        }
        path = os.fspath(path)
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(prefix=".model-", dir=folder)
        os.close(fd)
        try:
            joblib.dump(payload, tmp, compress=3)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return path

    @classmethod
    def load(cls, path):
        """Read a model written by `save`. Only load files this deployment wrote:
        like every pickle, a crafted file can run code."""
        import joblib

        payload = joblib.load(os.fspath(path))
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            found = payload.get("format") if isinstance(payload, dict) else type(payload).__name__
            raise ValueError(f"{path}: not a Huying category model of format {FORMAT} (found {found})")
        model = cls(**payload["params"])
        model.pipeline = payload["pipeline"]
        model.temperature = payload["temperature"]
        model.metadata = payload["metadata"]
        return model

    def __repr__(self):
        version = self.metadata.get("version", "untrained")
        return f"<CategoryClassifier {version} labels={len(self.metadata.get('labels', []))}>"


class _NoBar:
    def update(self, n=1):
        pass

    def close(self):
        pass


def _progress_bar(progress, total):
    if not progress:
        return _NoBar()
    from tqdm import tqdm  # only needed for the bar

    return tqdm(total=total, desc="training", unit="fit")
