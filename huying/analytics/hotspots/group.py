"""Grouping messages about the same problem in the same place and time.

1. Each message becomes a TF-IDF vector of its words and its place phrases
   (a place counts three times: the place is what makes two complaints about
   油烟 the same problem or two different ones).
2. Two messages are linked when their vectors are close (cosine ≥ `link`),
   their titles too (≥ `title_link`), they share one of their five most
   telling words (a campaign of messages in one template about different
   things is not one problem),
   they came in within `window_days` of each other, and their places agree:
   if both name specific places, they must share one.
3. Linked messages form candidate groups; a candidate larger than two is split
   by average linkage, so a chain of loosely similar messages does not become
   one group.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from huying.analytics.hotspots import text as words

PLACE_WEIGHT = 1
LINK = 0.30  # cosine similarity that links two messages
ANCHOR_WORDS = 5  # two messages must share one of each other's most telling words
TITLE_LINK = 0.15  # and whose titles are this close: template wording alone links nothing
KEEP = 0.22  # average similarity that holds a group together
WINDOW_DAYS = 60
# A word in more than this share of a large corpus is left out.
COMMON_WORD = 0.3


@dataclass
class Message:
    id: str
    title: str
    body: str
    at: object  # datetime
    likes: int = 0
    person: str = ""  # who wrote it, when known (a phone number, a user)
    areas: list = field(default_factory=list)
    places: list = field(default_factory=list)
    tokens: list = field(default_factory=list)


def prepare(messages):
    words.ready()
    for m in messages:
        m.tokens = words.tokens(m.title, m.body)
        m.places = m.places or words.places(f"{m.title}。{m.body[:words.BODY_CHARS]}")
        m.areas = m.areas or words.areas(f"{m.title}。{m.body}")
    return messages


def vectors(docs):
    # In a large corpus a word in a third of all messages says nothing about
    # any one problem; in a small one it may be the problem itself.
    max_df = COMMON_WORD if len(docs) >= 200 else 1.0
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, min_df=2, max_df=max_df, sublinear_tf=True)
    try:
        return vectorizer.fit_transform(docs), vectorizer.get_feature_names_out()
    except ValueError:  # too few messages for min_df: nothing repeats
        return None, None


def top_words(X, features, k=ANCHOR_WORDS):
    """Each message's k most telling words (highest weight; places aside)."""
    X = X.tocsr()
    out = []
    for row in range(X.shape[0]):
        start, end = X.indptr[row], X.indptr[row + 1]
        ranked = sorted(zip(X.data[start:end], X.indices[start:end]), reverse=True)
        words_ = [int(col) for _, col in ranked if not features[col].startswith("@")]
        out.append(set(words_[:k]))
    return out


def group(messages, *, link=LINK, title_link=TITLE_LINK, keep=KEEP, window_days=WINDOW_DAYS):
    """(lists of message indexes, each a group of at least two; the vectors)."""
    if len(messages) < 2:
        return [], None
    prepare(messages)
    X, features = vectors([m.tokens + [f"@{p}" for p in m.places for _ in range(PLACE_WEIGHT)] for m in messages])
    T, _ = vectors([words.tokens(m.title, "") for m in messages])
    if X is None or T is None:
        return [], None
    anchors = top_words(X, features)
    pairs = (X @ X.T).tocoo()
    titles = (T @ T.T).tocsr()
    parent = list(range(len(messages)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j, sim in zip(pairs.row, pairs.col, pairs.data):
        if (i < j and sim >= link and titles[i, j] >= title_link and anchors[i] & anchors[j]
                and close_in_time(messages[i], messages[j], window_days) and same_place(messages[i], messages[j])):
            parent[find(i)] = find(j)
    candidates = defaultdict(list)
    for i in range(len(messages)):
        candidates[find(i)].append(i)
    out = []
    for members in candidates.values():
        if len(members) == 2:
            out.append(members)
        elif len(members) > 2:
            out.extend(split(X, members, keep))
    return out, X


def close_in_time(a, b, days):
    return abs((a.at - b.at).total_seconds()) <= days * 86400


def same_place(a, b):
    if a.places and b.places:
        return any(words.same_place(p, q) for p in a.places for q in b.places)
    return True


def split(X, members, keep):
    sims = (X[members] @ X[members].T).toarray()
    distance = np.clip(1 - sims, 0, None)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1 - keep
    ).fit_predict(distance)
    parts = defaultdict(list)
    for member, label in zip(members, labels):
        parts[label].append(member)
    return [p for p in parts.values() if len(p) >= 2]


def centre_of(X, members):
    """The member closest to the group's centroid: its title names the group."""
    sub = X[members]
    centroid = np.asarray(sub.mean(axis=0)).ravel()
    scores = sub @ centroid
    return members[int(np.argmax(scores))]
