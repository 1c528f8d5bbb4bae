"""The deployment's classifier, kept in its own database.

A `Model` row holds the serialised `CategoryClassifier`. Each process loads
the active one at start (`warm`, called by the web app and the worker) and
keeps it; a cheap query per use notices when another process (`huying router
train`) activated a newer one, and only then is it loaded again.
"""

import logging
import tempfile
import threading
from pathlib import Path

import numpy as np
from django.db import DatabaseError

from huying.routing.models import Label, Model
from huying.routing.responsibility import category_by_label

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache = {}  # {"pk": ..., "classifier": ...}


def dumps(classifier):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        classifier.save(path)
        return path.read_bytes()


def loads(data):
    from huying.routing.training import classifier_module

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.joblib"
        path.write_bytes(bytes(data))
        return classifier_module().CategoryClassifier.load(path)


def active():
    """(the active `Model` row's version, its classifier), or (None, None)."""
    row = Model.objects.filter(active=True).values_list("pk", "version").first()
    if row is None:
        with _lock:
            _cache.clear()
        return None, None
    pk, version = row
    with _lock:
        if _cache.get("pk") != pk:
            data, metrics = Model.objects.values_list("data", "metrics").get(pk=pk)
            _cache.update(pk=pk, version=version, classifier=loads(data), calibration=metrics.get("calibration"))
        return _cache["version"], _cache["classifier"]


def warm():
    """Load the active model now (the better part of a second, with jieba's
    dictionary) rather than on the first case a process routes. Returns its
    version, or None; a database not yet migrated is only logged."""
    try:
        version, classifier = active()
    except DatabaseError as error:
        log.warning("smart dispatch model not loaded at start: %s", error)
        return None
    if classifier is not None:
        classifier.predict_top(["越秀区"], k=1)
    return version


def calibrated(confidence, calibration=None):
    """How often a first guess this confident was right on the held-out
    examples of the active model (see `training.calibration`). A classifier's
    own confidences need not mean that: spread over many labels they can be
    small even when the guess is nearly always right."""
    calibration = calibration if calibration is not None else _cache.get("calibration")
    if not calibration:
        return confidence
    return float(np.interp(confidence, calibration["x"], calibration["y"]))


def forget():
    """Drop the cached model (tests; a process that wants to reload)."""
    with _lock:
        _cache.clear()


def category_of(label):
    """The deployment category a model's label stands for, or None."""
    mapped = Label.objects.filter(name=label).select_related("category").first()
    if mapped is not None:
        return mapped.category
    return category_by_label(label)


def canonical(label, memo=None):
    """One name per category, so labels from two sources can be compared:
    the category's full path when the label stands for one, else the label."""
    if memo is not None and label in memo:
        return memo[label]
    category = category_of(label)
    value = category.path_label if category is not None else label
    if memo is not None:
        memo[label] = value
    return value
