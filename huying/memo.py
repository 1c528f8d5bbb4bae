"""Per-process caches of rows that change rarely but are read on every
request: API keys, place units, categories, routing rules, webhook endpoints.

Each cache forgets everything `LOOKUP_CACHE_SECONDS` after it was (re)started,
so a change made by another process shows within that time; a change saved
through the ORM in this process clears the caches that depend on the model at
once (`forget_on_change`). `LOOKUP_CACHE_SECONDS=0` reads afresh every time.
Cached model instances are shared by the requests of a process: read them,
never change them.
"""

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save

# A cache that grows past this many keys starts again (a bound, not a tuning knob).
MAX_KEYS = 20_000
_MISSING = object()
_caches = []


class Memo:
    """`get(key, load)`: the cached value of `load(key)`. A None result is
    kept only with `keep_none=True` (so a key created a moment ago elsewhere
    is not refused for the cache's lifetime)."""

    def __init__(self, name, keep_none=False):
        self.name = name
        self.keep_none = keep_none
        self.values = {}
        self.until = 0.0
        self.lock = threading.Lock()
        _caches.append(self)

    def get(self, key, load):
        seconds = settings.LOOKUP_CACHE_SECONDS
        if seconds <= 0:
            return load(key)
        now = time.monotonic()
        if now >= self.until:
            with self.lock:
                if now >= self.until:
                    self.values = {}
                    self.until = now + seconds
        values = self.values
        value = values.get(key, _MISSING)
        if value is _MISSING:
            value = load(key)
            if value is not None or self.keep_none:
                if len(values) >= MAX_KEYS:
                    values.clear()
                values[key] = value
        return value

    def forget(self, *args, **kwargs):
        """Start again (also a signal receiver, hence the ignored arguments)."""
        self.until = 0.0
        self.values = {}


def forget_on_change(model, *memos):
    """Clear `memos` whenever a `model` row is saved or deleted in this process."""
    for memo in memos:
        uid = f"huying.memo.{memo.name}.{model._meta.label}"
        post_save.connect(memo.forget, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(memo.forget, sender=model, dispatch_uid=f"{uid}.delete", weak=False)


def forget_all():
    """Clear every cache (tests: rows rolled back at the end of a test leave no signal)."""
    for memo in _caches:
        memo.forget()
