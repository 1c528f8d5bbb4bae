"""Address text → street (街道) and community (社区), from a gazetteer the project compiles.

Pure standard library on purpose: the resolver runs at every intake, in workers and in tests
without Django, so it must load fast and import nothing heavy.

How it decides:
1. The text is normalised (full-width → half-width, spaces dropped, Chinese house numbers
   such as 二百六十八号 → 268号) so that the ways callers write an address meet one form.
2. Every gazetteer phrase in the text is found with a dictionary scan (candidate lengths per
   first character, so a lookup costs a few dict probes per character); phrases contained in
   a longer phrase are dropped (北京路 inside 北京路步行街).
3. Each phrase becomes evidence with a rank; the most specific wins:
   community > estate/landmark/school/hospital/market/station > road + house number
   > road > street name. A road that crosses several streets yields to a street the caller
   named when that street is one the road runs through.
4. Another district or city said explicitly (天河区, 深圳市 …), or a place known to be outside
   Yuexiu that is more specific than the Yuexiu evidence, means no match: a Yuexiu guess
   would send the case to the wrong street.

Gazetteer notes carry two keywords that lower confidence: "ambiguous" (the row is one guess
among several streets) and "uncertain" (a compiled fact not yet checked on the ground).
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("yuexiu.csv")

PLACE_KINDS = frozenset({"landmark", "estate", "market", "school", "hospital", "station"})
KINDS = frozenset({"street", "community", "road", "outside"}) | PLACE_KINDS

# Evidence ranks: a larger rank is more specific. "outside" sits above roads so that
# "天河城旁边的…路" is not pulled into Yuexiu by a road name that exists in both.
RANK_COMMUNITY = 50
RANK_PLACE = 40
RANK_OUTSIDE = 35
RANK_ROAD_NUMBER = 30
RANK_ROAD = 20
RANK_STREET = 10

BASE_CONFIDENCE = {
    RANK_COMMUNITY: 0.95,
    RANK_PLACE: 0.9,
    RANK_OUTSIDE: 0.9,
    RANK_ROAD_NUMBER: 0.85,
    RANK_ROAD: 0.7,
    RANK_STREET: 0.7,
}
AMBIGUOUS_FACTOR = 0.6
UNCERTAIN_FACTOR = 0.85
BARE_FACTOR = 0.9  # a short form (洪桥, 三眼井) is a little weaker than 洪桥街道, 三眼井社区
AGREEMENT_BONUS = 0.03
CONFLICT_FACTOR = 0.85
OUTSIDE_HINT_FACTOR = 0.7
NAMED_STREET_CONFIDENCE = 0.8  # an ambiguous road settled by the street the caller named


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue (makemessages); translated where used."""
    return message


def _(message: str) -> str:
    """The message in Django's active language when Django runs (a reason goes into a case's
    history in the reader's or the deployment's language); as written when the resolver runs
    on its own. Looks Django up among the loaded modules, so it imports nothing."""
    conf = sys.modules.get("django.conf")
    translation = sys.modules.get("django.utils.translation")
    if conf is None or translation is None or not conf.settings.configured:
        return message
    return translation.gettext(message)


KIND_LABEL = {
    "community": gettext_noop("community name"),
    "landmark": gettext_noop("landmark"),
    "estate": gettext_noop("housing estate"),
    "market": gettext_noop("market"),
    "school": gettext_noop("school"),
    "hospital": gettext_noop("hospital"),
    "station": gettext_noop("station"),
    "street": gettext_noop("street name"),
}
PARITY = {"odd": gettext_noop("odd"), "even": gettext_noop("even")}
# The compiled notes of places outside the district say "not in Yuexiu: 天河区".
OUTSIDE_NOTE = "not in Yuexiu: "

# --- normalisation -------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = "零〇一二两三四五六七八九十百千"

# Only numerals right before 号 (or 号's 之 form) are house numbers; elsewhere they are part
# of names (中山五路, 建设六马路, 一德路, 第一津) and must stay as they are.
_CN_HOUSE_NUMBER = re.compile(f"([{_CN_NUMERAL}]+)(?=号|之[{_CN_NUMERAL}])")
_SPACES = re.compile(r"\s+")
# Punctuation becomes a separator that no gazetteer phrase contains, so phrases never
# match across it, while 268-2号 keeps its hyphen.
_PUNCTUATION = re.compile(r"[,，。.、;；:：!！?？()（）\[\]【】<>《》\"'“”‘’]")
_HOUSE_NUMBER_AFTER = re.compile(r"^(\d+)(?:[-~至到]\d+)?(?:号|之|$)")
# 好 for 号 is the commonest pinyin-input slip (both "hao") after a house number.
_HAO_TYPO = re.compile(r"(?<=\d)好")

# The former 东山区 was merged into Yuexiu in 2005; callers still say it.
_FORMER_DISTRICTS = {"东山区": "越秀区"}

_OTHER_GUANGZHOU_DISTRICT = re.compile("(天河|海珠|荔湾|白云|黄埔|番禺|花都|南沙|从化|增城|萝岗|芳村)区")
_OTHER_CITY = re.compile(
    "(深圳|佛山|东莞|珠海|中山|江门|惠州|肇庆|清远|韶关|汕头|湛江|茂名|阳江|云浮|梅州|河源|汕尾|揭阳|潮州"
    "|北京|上海|天津|重庆|杭州|南京|武汉|成都|长沙|昆明|郑州|西安|南宁|福州|厦门|济南|青岛|合肥|南昌"
    "|贵阳|海口|沈阳|大连|长春|哈尔滨|石家庄|太原|兰州|西宁|银川|乌鲁木齐|拉萨|呼和浩特|苏州|无锡|宁波"
    "|温州|泉州|桂林|柳州|三亚)市(?!场)"
)
_OTHER_PROVINCE = re.compile(
    "(河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|海南|四川|贵州|云南"
    "|陕西|甘肃|青海|台湾)省|(广西|西藏|宁夏|新疆|内蒙古)(壮族|回族|维吾尔)?自治区|(香港|澳门)特别行政区"
)
_YUEXIU = "越秀区"


def chinese_number(text: str) -> int:
    """Value of a Chinese numeral: positional (二百六十八) or digit by digit (二六八)."""
    if not text:
        raise ValueError("empty numeral")
    if not any(ch in _CN_UNITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            # 十 alone means 10 (十号), so a unit with no digit before it counts once.
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


def normalize_text(text: str) -> str:
    """One comparable form: half-width, no spaces, Arabic house numbers, current district name."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _SPACES.sub("", text)
    text = _PUNCTUATION.sub("|", text)
    for old, new in _FORMER_DISTRICTS.items():
        text = text.replace(old, new)
    text = _HAO_TYPO.sub("号", text)
    return _CN_HOUSE_NUMBER.sub(lambda m: str(chinese_number(m.group(1))), text)


def house_number_after(text: str, end: int) -> int | None:
    """The house number written right after a road name (东风中路268号, 268之一, 268-2号)."""
    m = _HOUSE_NUMBER_AFTER.match(text[end:])
    return int(m.group(1)) if m else None


def other_area_marker(text: str) -> str | None:
    """An explicitly named district, city or province that is not Yuexiu, if any."""
    for pattern in (_OTHER_GUANGZHOU_DISTRICT, _OTHER_CITY, _OTHER_PROVINCE):
        m = pattern.search(text)
        if m:
            return m.group(0)
    return None


# --- data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One gazetteer row."""

    name: str
    kind: str
    street_code: str
    community_code: str | None
    aliases: tuple[str, ...]
    note: str
    from_no: int | None = None
    to_no: int | None = None
    parity: str = ""

    @property
    def ambiguous(self) -> bool:
        return "ambiguous" in self.note

    @property
    def uncertain(self) -> bool:
        return "uncertain" in self.note

    @property
    def has_range(self) -> bool:
        return self.from_no is not None

    def covers(self, number: int) -> bool:
        if not self.has_range or not (self.from_no <= number <= (self.to_no or self.from_no)):
            return False
        if self.parity == "odd":
            return number % 2 == 1
        if self.parity == "even":
            return number % 2 == 0
        return True

    def factor(self) -> float:
        f = 1.0
        if self.ambiguous:
            f *= AMBIGUOUS_FACTOR
        if self.uncertain:
            f *= UNCERTAIN_FACTOR
        return f


@dataclass(frozen=True)
class Match:
    """Where an address is, with how sure the resolver is and why."""

    street_code: str
    community_code: str | None
    confidence: float
    matched: tuple[str, ...]
    reason: str
    street_name: str = ""
    community_name: str | None = None


@dataclass
class _Evidence:
    phrase: str
    entry: Entry
    rank: int
    confidence: float
    street_code: str | None
    community_code: str | None
    detail: str
    possible: frozenset = field(default_factory=frozenset)


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


def _read_entries(path: Path) -> list[Entry]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    entries = []
    for row in rows:
        kind = row["kind"].strip()
        if kind not in KINDS:
            raise ValueError(f"{path}: unknown kind {kind!r} for {row['name']!r}")
        entries.append(Entry(
            name=row["name"].strip(),
            kind=kind,
            street_code=row["street_code"].strip(),
            community_code=row["community_code"].strip() or None,
            aliases=tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()),
            note=(row.get("note") or "").strip(),
            from_no=_int_or_none(row.get("from_no")),
            to_no=_int_or_none(row.get("to_no")),
            parity=(row.get("parity") or "").strip(),
        ))
    return entries


def _surfaces(entry: Entry) -> set[str]:
    """Every way a caller may write this entry, in normalised form."""
    forms = {entry.name, *entry.aliases}
    if entry.kind == "street" and entry.name.endswith("街道"):
        short = entry.name.removesuffix("街道")
        forms |= {entry.name + "办事处", entry.name + "办", short + "街办"}
    if entry.kind == "community" and entry.name.endswith("社区"):
        base = entry.name.removesuffix("社区")
        forms |= {base + suffix for suffix in ("社区居委会", "社区居民委员会", "社区居委", "居委会", "居委")}
    return {normalize_text(f) for f in forms if f}


def _is_bare(surface: str, entry: Entry) -> bool:
    if entry.kind == "street":
        return "街" not in surface
    if entry.kind == "community":
        return "社区" not in surface and "居委" not in surface
    return False


# --- the gazetteer -------------------------------------------------------------------------


class Gazetteer:
    """An index of names → entries, with the resolver over it."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.street_names = {e.street_code: e.name for e in entries
                             if e.kind == "street" and e.name.endswith("街道")}
        self.community_names = {e.community_code: e.name for e in entries if e.kind == "community"}
        self._roads: dict[str, list[Entry]] = {}
        self._index: dict[str, list[Entry]] = {}
        for entry in entries:
            if entry.kind == "road":
                self._roads.setdefault(entry.name, []).append(entry)
            for surface in _surfaces(entry):
                bucket = self._index.setdefault(surface, [])
                # Range rows of one road share its names; index the road once.
                if entry.kind == "road" and any(e.kind == "road" and e.name == entry.name for e in bucket):
                    continue
                bucket.append(entry)
        # Candidate lengths per first character, longest first, so a scan tries few lengths.
        lengths: dict[str, set[int]] = {}
        for surface in self._index:
            lengths.setdefault(surface[0], set()).add(len(surface))
        self._lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Gazetteer":
        return cls(_read_entries(Path(path) if path else DEFAULT_PATH))

    # -- scanning --

    def phrases(self, text: str) -> list[tuple[int, int, str]]:
        """Gazetteer phrases in normalised text as (start, end, phrase), none inside a longer one."""
        found = []
        for i, ch in enumerate(text):
            for length in self._lengths.get(ch, ()):
                piece = text[i:i + length]
                if len(piece) == length and piece in self._index:
                    found.append((i, i + length, piece))
        return [m for m in found
                if not any(o is not m and o[0] <= m[0] and m[1] <= o[1] and o[1] - o[0] > m[1] - m[0]
                           for o in found)]

    # -- evidence --

    def _possible_streets(self, entry: Entry, rows: list[Entry] | None = None) -> frozenset:
        """Streets a row may mean: its own, its sibling range rows', and those its note names."""
        codes = {r.street_code for r in (rows or [entry]) if r.street_code}
        if entry.ambiguous:
            codes |= {code for code, name in self.street_names.items() if name in entry.note}
        return frozenset(codes)

    def _road_evidence(self, phrase: str, entry: Entry, text: str, end: int) -> _Evidence:
        rows = self._roads[entry.name]
        number = house_number_after(text, end)
        possible = self._possible_streets(entry, rows)
        for row in (r for r in rows if number is not None and r.has_range):
            if row.covers(number):
                span = f"{row.from_no}–{row.to_no}" + (f" {_(PARITY.get(row.parity, row.parity))}" if row.parity else "")
                return _Evidence(f"{phrase}{number}号", row, RANK_ROAD_NUMBER,
                                 BASE_CONFIDENCE[RANK_ROAD_NUMBER] * row.factor(), row.street_code,
                                 row.community_code, _("road with house number range %(span)s") % {"span": span}, possible)
        default = next((r for r in rows if not r.has_range), rows[0])
        detail = _("road")
        if number is not None and any(r.has_range for r in rows):
            detail = _("road, house number %(number)s outside known ranges") % {"number": number}
        elif number is not None:
            detail = _("road, house number %(number)s, no number ranges known") % {"number": number}
        if default.ambiguous:
            detail = _("%(detail)s, crosses several streets") % {"detail": detail}
        return _Evidence(phrase, default, RANK_ROAD, BASE_CONFIDENCE[RANK_ROAD] * default.factor(),
                         default.street_code, default.community_code, detail,
                         self._possible_streets(default, rows))

    def _evidence(self, text: str, start: int, end: int, phrase: str) -> list[_Evidence]:
        out = []
        for entry in self._index[phrase]:
            if entry.kind == "road":
                out.append(self._road_evidence(phrase, entry, text, end))
                continue
            if entry.kind == "outside":
                out.append(_Evidence(phrase, entry, RANK_OUTSIDE, BASE_CONFIDENCE[RANK_OUTSIDE],
                                     None, None, _outside_detail(entry.note)))
                continue
            rank = (RANK_COMMUNITY if entry.kind == "community"
                    else RANK_STREET if entry.kind == "street" else RANK_PLACE)
            confidence = BASE_CONFIDENCE[rank] * entry.factor()
            if _is_bare(phrase, entry):
                confidence *= BARE_FACTOR
            community = entry.community_code if entry.kind != "street" else None
            out.append(_Evidence(phrase, entry, rank, confidence, entry.street_code, community,
                                 _(KIND_LABEL[entry.kind]), self._possible_streets(entry)))
        return out

    def evidence(self, text: str) -> list[_Evidence]:
        """All evidence in a (raw) address text."""
        norm = normalize_text(text)
        return [ev for start, end, phrase in self.phrases(norm)
                for ev in self._evidence(norm, start, end, phrase)]

    # -- deciding --

    def explain(self, text: str) -> tuple[Match | None, str]:
        """The match (or None) and a reason a person can read, also when there is no match."""
        norm = normalize_text(text)
        if not norm.strip("|"):
            return None, _("empty address")
        evidence = [ev for s, e, p in self.phrases(norm) for ev in self._evidence(norm, s, e, p)]
        marker = other_area_marker(norm)
        yuexiu_said = _YUEXIU in norm
        if marker and not yuexiu_said:
            return None, _("'%(marker)s' is outside Yuexiu") % {"marker": marker}
        inside = [ev for ev in evidence if ev.rank != RANK_OUTSIDE]
        outside = [ev for ev in evidence if ev.rank == RANK_OUTSIDE]
        if not inside:
            if outside:
                return None, _("'%(phrase)s' is %(detail)s") % {"phrase": outside[0].phrase, "detail": outside[0].detail}
            return None, _("no Yuexiu street, community, road or landmark found")
        best = max(inside, key=lambda ev: (ev.rank, ev.confidence, len(ev.phrase)))
        top_outside = max(outside, key=lambda ev: ev.rank, default=None)
        if top_outside is not None and top_outside.rank > best.rank:
            return None, _("'%(outside)s' is %(detail)s; '%(phrase)s' is less specific") % {
                "outside": top_outside.phrase, "detail": top_outside.detail, "phrase": best.phrase}
        return self._settle(best, inside, outside, marker), ""

    def _settle(self, best: _Evidence, inside: list[_Evidence], outside: list[_Evidence],
                marker: str | None) -> Match:
        street, confidence = best.street_code, best.confidence
        matched = [best.phrase]
        reason = _("'%(phrase)s' → %(place)s (%(detail)s)") % {
            "phrase": best.phrase, "place": self._place_label(street, best.community_code), "detail": best.detail}
        streets_named = [ev for ev in inside if ev.rank == RANK_STREET and ev is not best]
        # A road through several streets, without a deciding number: the street the caller
        # named settles it when the road runs through that street.
        if best.rank == RANK_ROAD and best.entry.ambiguous:
            named = next((ev for ev in streets_named if ev.street_code in best.possible), None)
            if named is not None:
                street, confidence = named.street_code, NAMED_STREET_CONFIDENCE
                matched.append(named.phrase)
                reason = _("'%(road)s' crosses several streets; '%(named)s' → %(street)s (road + street named)") % {
                    "road": best.phrase, "named": named.phrase, "street": self.street_names.get(street, street)}
        community = best.community_code if street == best.street_code else None
        for ev in inside:
            if ev is best or ev.phrase in matched:
                continue
            if ev.street_code == street:
                confidence = min(0.99, confidence + AGREEMENT_BONUS)
                matched.append(ev.phrase)
            elif street not in ev.possible:
                confidence *= CONFLICT_FACTOR
                reason = _("%(reason)s; '%(phrase)s' points to %(street)s") % {
                    "reason": reason, "phrase": ev.phrase, "street": self.street_names.get(ev.street_code, ev.street_code)}
        if outside or marker:
            confidence *= OUTSIDE_HINT_FACTOR
            reason = _("%(reason)s; also mentions '%(marker)s' outside Yuexiu") % {
                "reason": reason, "marker": marker or outside[0].phrase}
        return Match(street_code=street, community_code=community, confidence=round(confidence, 3),
                     matched=tuple(matched), reason=reason,
                     street_name=self.street_names.get(street, ""),
                     community_name=self.community_names.get(community) if community else None)

    def _place_label(self, street: str, community: str | None) -> str:
        label = self.street_names.get(street, street)
        if community:
            label += " " + self.community_names.get(community, community)
        return label

    def resolve(self, address_text: str) -> Match | None:
        """Street and community of an address in Yuexiu, or None when it is not (found) there."""
        return self.explain(address_text)[0]


def _outside_detail(note: str) -> str:
    if note.startswith(OUTSIDE_NOTE):
        return _("not in Yuexiu: %(area)s") % {"area": note.removeprefix(OUTSIDE_NOTE)}
    return note or _("outside Yuexiu")


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The Yuexiu gazetteer shipped with the package, loaded once per process."""
    return Gazetteer.load()


def resolve(address_text: str) -> Match | None:
    """Resolve with the shipped Yuexiu gazetteer."""
    return default_gazetteer().resolve(address_text)
