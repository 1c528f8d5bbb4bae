"""Hotspots (热点问题): groups of messages or cases about the same problem in
the same place and time, ranked by a heat index. `find` is the one entry
point, used by `huying hotspots FILE.csv` and by the worker's hotspot job."""

from huying.analytics.hotspots import group as grouping
from huying.analytics.hotspots.group import Message
from huying.analytics.hotspots.heat import rank

__all__ = ["Message", "find"]


def find(messages, top=None, **options):
    """The hottest groups among `messages` (a list of Message), hottest first."""
    groups, X = grouping.group(messages, **options)
    spots = rank(messages, groups, X)
    return spots[:top] if top else spots
