"""Read a Chinese government work report and propose orders (令).

A work report (政府工作报告) mixes three kinds of figures: what was achieved
last year (回顾), what the government commits to this year (工作安排, and the
民生实事 annex), and background (名词解释, page chrome).  Only commitments may
become orders, and only after a person confirms them, so every proposal keeps
the sentence as written, the section it came from and its line number.

The approach is deliberately plain: an outline tracker for the headings
(一、 / (一) / 1. / (1) / 附件N), a regular expression for "number + measure
word", and the first commitment verb of the clause.  No statistical model is
needed for this text type, and plain rules are easy to audit and to fix.

Pure Python, standard library only: importable without Django.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Iterable

__all__ = ["Proposal", "extract", "parse_number", "to_json", "main"]


# --------------------------------------------------------------------------
# The proposal
# --------------------------------------------------------------------------


@dataclass
class Proposal:
    sentence: str  # the whole sentence as written (context for the reviewer)
    verb: str  # the commitment verb: 完成, 新增, 举办, 实现 …
    quantity: int | float | None  # normalised: 4万 → 40000; None for 百栋千户
    quantity_text: str  # the figure as written: 4万, 百分之七十, 百栋千户
    measure: str | None  # 台, 户, 场, 人次, %, 元 … (万/亿 go into quantity)
    subject: str  # what is counted, when identifiable
    section: str  # heading path: 附件1 › 2021年十件民生实事事项 › 九、…
    line: int  # 1-based line number in the report
    is_target: bool  # forward-looking commitment (True) or past achievement
    clause: str = ""  # the comma-delimited clause holding the figure
    qualifier: str = ""  # 不少于, 以上, 左右 … as written
    quantity_max: int | float | None = None  # upper end of a range (3至5所)
    see_also: list[int] = field(default_factory=list)  # lines of likely duplicates


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)

# Full-width forms are common in copied government text.  The mapping is one
# character to one character, so offsets in the normalised text are offsets in
# the original and sentences can be quoted exactly as written.
_WIDTH_TABLE = str.maketrans(
    "０１２３４５６７８９．，％（）：；",
    "0123456789.,%():;",
)

_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{_CN_CHARS}]")
_CN_DECIMAL = re.compile(rf"([{_CN_CHARS}]+)点([〇零一二两三四五六七八九]+)")


def _tidy(value: Decimal) -> int | float:
    """Integers stay integers (1.3亿 → 130000000, not 130000000.0)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _cn_decimal_to_arabic(match: re.Match) -> str:
    whole = _parse_tokens(match.group(1))
    if whole is None:
        return match.group(0)
    digits = "".join(str(_CN_DIGITS[c]) for c in match.group(2))
    return f"{whole}.{digits}"


def _parse_tokens(s: str) -> Decimal | None:
    """Positional parse of Arabic/Chinese digits with 十百千万亿 units."""
    tokens = _TOKEN.findall(s)
    if "".join(tokens) != s or not tokens:
        return None  # something that is not a number is mixed in
    values = [Decimal(t) if t[0].isdigit() else None for t in tokens]

    # 二〇三五 / 一九四九: a bare run of Chinese digits is read digit by digit.
    if all(t in _CN_DIGITS for t in tokens) and len(tokens) > 1:
        return Decimal("".join(str(_CN_DIGITS[t]) for t in tokens))

    total = Decimal(0)  # everything already closed by 万 or 亿
    section = Decimal(0)  # the part below 万 still being built
    number: Decimal | None = None  # the last digit group not yet given a unit
    last_unit = 0  # to read 三万五 as 35000 (colloquial elision)
    after_unit = False
    for token, arabic in zip(tokens, values):
        if arabic is not None or token in _CN_DIGITS:
            if number is not None:
                return None  # two digit groups in a row (一二百): ambiguous
            number = arabic if arabic is not None else Decimal(_CN_DIGITS[token])
            if token in "零〇":
                number, after_unit = None, False
            continue
        if token in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[token]
            section += (number if number is not None else 1) * unit  # 十二 = 1×10+2
        else:  # 万 or 亿 close everything before them
            unit = _CN_BIG_UNITS[token]
            head = total + section + (number or 0)
            if head == 0:
                head = Decimal(1)  # a bare 万 or 百万 is still a number
            if token == "亿" or total == 0:
                total = head * unit
            else:  # 一亿两千万: the 万 applies to the part after 亿 only
                total += (section + (number or 0)) * unit
            section = Decimal(0)
        number, last_unit, after_unit = None, unit, True
    if number is not None:
        if after_unit and last_unit >= 100 and "零" not in s and "〇" not in s:
            number *= last_unit // 10  # 三万五 → 35000, 两千五 → 2500
        section += number
    return total + section


def parse_number(text: str | None) -> int | float | None:
    """Normalise a written number: 4万 → 40000, 1.3亿 → 130000000,
    百分之七十 → 70, 70% → 70, 两千 → 2000, 一百零五 → 105, 二〇三五 → 2035.

    Returns None when the text is not a plain number (百栋千户, 1/3, empty).
    """
    if not text:
        return None
    s = text.translate(_WIDTH_TABLE).strip().replace(",", "").replace(" ", "")
    if s.startswith("百分之") and len(s) > 3:
        s = s[3:]
    s = s.removesuffix("%")
    s = _CN_DECIMAL.sub(_cn_decimal_to_arabic, s)  # 一点五万 → 1.5万
    if not s:
        return None
    try:
        value = _parse_tokens(s)
    except InvalidOperation:
        return None
    return None if value is None else _tidy(value)


# --------------------------------------------------------------------------
# Outline: which section is a line in?
# --------------------------------------------------------------------------

# Rank 1 一、  rank 2 (一)  rank 3 1.  rank 4 (1).  附件N starts a new root.
_HEADINGS = [
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}、")),
    (2, re.compile(r"^[(（][一二三四五六七八九十]{1,3}[)）]")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
    (4, re.compile(r"^[(（]\d{1,2}[)）]")),
]
_ANNEX = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[::]?\s*$")
_MAX_TITLE = 32

# Heading words that tell whether a section looks back or forward.
_PAST_HEADING = re.compile(r"回顾|过去|成绩|成就|总结")
_FUTURE_HEADING = re.compile(r"安排|目标|任务|计划|打算|实事|展望|部署|举措")
_SKIP_HEADING = re.compile(r"名词解释|词语解释|注释")  # definitions, not commitments
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年")


def _heading_title(line: str) -> str:
    """A heading line often carries body text after its first 。."""
    title = re.split(r"[。;;!!]", line, maxsplit=1)[0].strip()
    return title if len(title) <= _MAX_TITLE else title[:_MAX_TITLE] + "…"


class _Outline:
    """Tracks the heading path while the report is read top to bottom."""

    def __init__(self) -> None:
        self.root: list[str] = []  # [附件1, its title] inside an annex
        self.stack: list[tuple[int, str]] = []
        self._annex_title_pending = False

    def feed(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if _ANNEX.match(text):
            self.root, self.stack = [re.sub(r"\s+", "", text).rstrip("::")], []
            self._annex_title_pending = True
            return
        rank = next((r for r, rx in _HEADINGS if rx.match(text)), None)
        if self._annex_title_pending:
            self._annex_title_pending = False
            # The short unnumbered line after 附件N is the annex's title.
            if rank is None and len(text) <= 40 and "。" not in text:
                self.root.append(text)
                return
        if rank is not None:
            while self.stack and self.stack[-1][0] >= rank:
                self.stack.pop()
            self.stack.append((rank, _heading_title(text)))

    @property
    def titles(self) -> list[str]:
        return self.root + [title for _, title in self.stack]

    @property
    def path(self) -> str:
        return " › ".join(self.titles)


def _classify_heading(title: str, report_year: int | None) -> str | None:
    if _PAST_HEADING.search(title):
        return "past"
    years = [int(y) for y in _YEAR.findall(title)]
    if report_year and years and max(years) < report_year:
        return "past"  # e.g. "2020年工作情况" in a 2021 report
    if _FUTURE_HEADING.search(title) or (report_year and report_year in years):
        return "future"
    return None


def _section_tense(titles: list[str], report_year: int | None) -> str | None:
    """The innermost heading that says something decides."""
    for title in reversed(titles):
        tense = _classify_heading(title, report_year)
        if tense:
            return tense
    return None


def _report_year(lines: list[str]) -> int | None:
    """The year in the title: 2021年越秀区人民政府工作报告."""
    for line in lines[:40]:
        m = re.search(r"((?:19|20)\d\d)年.{0,30}工作报告", line)
        if m:
            return int(m.group(1))
    return None


# --------------------------------------------------------------------------
# Figures: number + measure word
# --------------------------------------------------------------------------

# Longest first, so 人次 wins over 人 and 平方公里 over 公里.  Money is kept as
# 元 because 万/亿 are folded into the quantity.  Words like 年, 期, 级, 届,
# 批, 层 are left out on purpose: after a number they are dates, phases or
# ranks (二期, 第4号, 三年行动), not counts of work.
_MEASURES = sorted(
    """平方公里 平方米 立方米 个百分点 公里 千米 公顷 亩 米 吨 元 %
    人次 户次 场次 间次 批次 台套 个 所 台 户 场 名 人 家 间 条 项 座 栋 幢 套
    张 辆 宗 件 处 支 次 棵 株 盏 根 天 位 床 种 篇 部 只 本 块 辆""".split(),
    key=len,
    reverse=True,
)
_NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?[十百千万亿]{{0,2}}|[{_CN_CHARS}]+(?:点[〇零一二两三四五六七八九]+[万亿]?)?)"
_RANGE_SEP = r"(?:—|–|-|~|～|至|到)"
_FIGURE = re.compile(
    rf"""(?:
        百分之(?P<pct>{_NUM})(?:{_RANGE_SEP}(?:百分之)?(?P<pct2>{_NUM}))?
      | (?P<num>{_NUM})(?:{_RANGE_SEP}(?P<num2>{_NUM}))?
        (?P<approx>余|多)?
        (?P<measure>{"|".join(map(re.escape, _MEASURES))})
    )
    (?P<post>以上|以下|以内|左右)?""",
    re.VERBOSE,
)
# 百栋千户, 千村万户: slogans made of magnitudes, kept as text (no plain number).
_SLOGAN = re.compile(r"“((?:[百千万]+[栋户家人座间个所村]){2,})”")
_PRE_QUALIFIER = re.compile(r"(不少于|不低于|不超过|不高于|至少|超过|多于|最多|逾|近|约)$")
# 第三 (ordinal), 每万人 (rate), 5G / PM2.5 (names): not counts of work.
_NOT_A_COUNT_BEFORE = re.compile(r"[第每各逐单统唯同A-Za-z0-9.\-/]$")
# “粤菜师傅”“广东技工”“南粤家政”三项工程: the number counts the names just listed.
_ENUMERATION_BEFORE = re.compile(r"(?:“[^“”]*”[、,]?){2,}(?:等)?$")
# 中央八项规定: a fixed political expression, not a count of work.
_FIXED_AFTER = re.compile(r"^(?:规定|原则|主义)")


# --------------------------------------------------------------------------
# Verbs
# --------------------------------------------------------------------------

# Comparators state a level rather than an action: the subject is what stands
# before them (就业率达70%, 地区生产总值增长4%).
_COMPARATORS = """达到 提高到 提升至 提高至 控制在 保持在 增长 提高 提升 降低 下降 减少
    突破 超过 保持 达""".split()
# Verbs that are part of the counted thing: 加装电梯, 拆除违法建设.
_CONTENT_VERBS = set("""加装 安装 增设 改造 新建 改建 扩建 筛查 培训 拆除 整治 修复
    铺设 接种 检测 抽检 种植 新增""".split())
_VERBS = sorted(
    set(
        """完成 实现 确保 推动 推进 开展 举办 举行 组织 发放 提供 解决 建立 创建
        建成 建设 打造 认定 邀请 培训 改造 加装 安装 增设 更新 配置 配备 拆除 整治
        清理 筛查 设立 开设 招聘 吸纳 帮扶 帮助 资助 救助 慰问 引进 培育 培养 扶持
        落实 惠及 覆盖 接种 检测 抽检 修复 铺设 改建 扩建 增加 开通 投入 安排 种植
        办结 化解 实施 恢复 招募 评选 供应 新建 新增 进行 开工 竣工 落地 筹集 筹建""".split()
    )
    | set(_COMPARATORS),
    key=len,
    reverse=True,
)
_VERB = re.compile("|".join(_VERBS))

# Words around the subject that carry no meaning for an order title.
_SUBJECT_PREFIX = re.compile(r"^(?:不少于|不低于|至少|累计|全年|全区|全市|首批|共|再|约|等|的|为|对|,)+")
_SUBJECT_SUFFIX = re.compile(r"(?:工作|问题|任务|等|的|以上|左右|可比|同比)+$")
_SUBJECT_CUT = re.compile(r"和|及|以及|并|,|。|;")
_LIST_END = re.compile(r"(?:等|和|及|与|、)$")

# Within a forward-looking section a clause may still look back:
# 在去年新建3所幼儿园的基础上 …
_PAST_CLAUSE = re.compile(r"去年|上年|前年|过去|已经|已|此前|往年|以来|年来|五年来|回顾")
_FUTURE_CLAUSE = re.compile(r"将|计划|力争|确保|不少于|不低于|以上|今年|全年|明年")


def _quote_mask(line: str) -> list[bool]:
    """True for each character inside “…” (slogans and names, not figures)."""
    mask, depth = [], 0
    for ch in line:
        if ch in "“「『":
            depth += 1
        mask.append(depth > 0)
        if ch in "”」』" and depth:
            depth -= 1
    return mask


def _first_verb(text: str) -> re.Match | None:
    return _VERB.search(text)


def _clean_subject(text: str) -> str:
    text = _SUBJECT_PREFIX.sub("", text.strip())
    text = _SUBJECT_SUFFIX.sub("", text)
    return text.strip(" ,、:;;。")


# --------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。!?;!?;]+[。!?;!?;]?")
# A comma between digits is a thousands separator (1,200户), not a clause break.
_CLAUSE = re.compile(r"(?:[^,:]|(?<=\d),(?=\d{3}))+[,:]?")


@dataclass
class _Figure:
    start: int  # offsets in the clause
    end: int
    text: str
    quantity: int | float | None
    quantity_max: int | float | None
    measure: str | None
    qualifier: str


def _share_magnitude(low: str, high: str) -> str:
    """3—5万 means 30000 to 50000: the lower end borrows the upper's 万/亿."""
    magnitude = re.search(r"[万亿]+$", high)
    if magnitude and not re.search(r"[十百千万亿]$", low):
        return low + magnitude.group(0)
    return low


def _figures(clause: str, in_quotes: list[bool]) -> list[_Figure]:
    """Counts in a clause, minus ordinals, names and quoted slogans."""
    found: list[_Figure] = []
    for m in _SLOGAN.finditer(clause):
        found.append(_Figure(m.start(), m.end(), m.group(1), None, None, None, ""))
    for m in _FIGURE.finditer(clause):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        if in_quotes[m.start()]:
            continue  # “十四五”, “两个维护”: names, not targets
        before = clause[: m.start()]
        if _NOT_A_COUNT_BEFORE.search(before) or _ENUMERATION_BEFORE.search(before):
            continue
        first = m.group("pct") or m.group("num")
        if first == "一" and not m.group("pct"):
            continue  # 一个/一批/一年一个样: an article, not a count
        if not m.group("pct") and set(first) <= set("万亿"):
            continue  # 亿元楼宇, 万人: a magnitude used as an adjective
        if _FIXED_AFTER.match(clause[m.end() :]):
            continue
        second = m.group("pct2") or m.group("num2")
        if second:
            first = _share_magnitude(first, second)
        quantity = parse_number(first)
        if quantity is None:
            continue
        pre = _PRE_QUALIFIER.search(before)
        qualifier = "".join(
            q for q in ((pre.group(1) if pre else ""), m.group("approx") or "", m.group("post") or "") if q
        )
        found.append(
            _Figure(
                m.start(),
                m.end(),
                m.group(0),
                quantity,
                parse_number(second) if second else None,
                "%" if m.group("pct") else m.group("measure"),
                qualifier,
            )
        )
    return sorted(found, key=lambda f: f.start)


def _verb_and_subject(clause: str, fig: _Figure, region_start: int) -> tuple[str, str] | None:
    """The commitment verb for a figure, and what it counts.

    Chinese puts the main verb first in the clause (举办招聘会40场, 完成300台
    旧楼加装电梯工作), so the first verb before the figure is taken, not the
    nearest one: the nearest is often a verb used as a noun (招聘会).
    """
    region = clause[region_start : fig.start]
    verb = _first_verb(region)
    shared = False
    if verb is None and region_start > 0:
        # 建设2个A、3个B: the second figure shares the clause's verb, and what
        # it counts follows its measure.
        verb, shared = _first_verb(clause[: fig.start]), True
    after = clause[fig.end :]

    if verb is None:
        # Verb after the figure: 为100名长者进行居家适老化改造.
        later = _first_verb(after)
        if later is None:
            return None  # no commitment, just a figure
        word = later.group(0)
        if word == "进行":  # a light verb: the real action follows
            real = _first_verb(after[later.end() :])
            word = real.group(0) if real else word
        return word, _clean_subject(after[: later.start()])

    word = verb.group(0)
    between = "" if shared else region[verb.end() :]
    pre = _PRE_QUALIFIER.search(between)
    if pre:
        between = between[: pre.start()]
    for comparator in _COMPARATORS:  # 就业率达 → 就业率
        if between.endswith(comparator):
            between = between[: -len(comparator)]
            break

    if word in _COMPARATORS and not _clean_subject(between):
        # 地区生产总值增长4%: the subject stands before the comparator.
        return word, _clean_subject(region[: verb.start()])
    subject = _clean_subject(between)
    following = _FIGURE.search(after)
    # 完成300台旧楼加装电梯工作: the counted thing follows the measure.
    tail = _SUBJECT_CUT.split(after[: following.start()] if following else after, maxsplit=1)[0]
    if _LIST_END.search(between):
        # 西坑、登峰、瑶台等5条城中村改造: the names and the noun belong together.
        return word, _clean_subject(between + tail)
    if subject and word in _CONTENT_VERBS:
        return word, word + subject
    return word, subject or _clean_subject(tail)


def _clause_is_past(clause: str, report_year: int | None) -> bool:
    if _PAST_CLAUSE.search(clause):
        return True
    if report_year:
        for m in re.finditer(r"(?<![较比于与])((?:19|20)\d\d)年", clause):
            if int(m.group(1)) < report_year:
                return True
    return False


def _is_target(tense: str | None, sentence: str, clause: str, report_year: int | None) -> bool:
    if tense == "past" or _clause_is_past(clause, report_year):
        return False
    if tense == "future":
        return True
    # Outside any recognisable section: only explicit forward wording counts.
    return bool(_FUTURE_CLAUSE.search(sentence))


def _line_proposals(
    line: str, number: int, section: str, tense: str | None, report_year: int | None
) -> Iterable[Proposal]:
    norm = line.translate(_WIDTH_TABLE)
    quotes = _quote_mask(norm)
    for s in _SENTENCE.finditer(norm):
        sentence = line[s.start() : s.end()].strip()
        for c in _CLAUSE.finditer(norm, s.start(), s.end()):
            clause = c.group(0).rstrip(",:;。!?!?")
            region_start = 0
            for fig in _figures(clause, quotes[c.start() : c.end()]):
                found = _verb_and_subject(clause, fig, region_start)
                region_start = fig.end
                if found is None:
                    continue
                verb, subject = found
                yield Proposal(
                    sentence=sentence,
                    verb=verb,
                    quantity=fig.quantity,
                    quantity_text=line[c.start() + fig.start : c.start() + fig.end],
                    measure=fig.measure,
                    subject=subject,
                    section=section,
                    line=number,
                    is_target=_is_target(tense, sentence, clause, report_year),
                    clause=line[c.start() : c.start() + len(clause)].strip(),
                    qualifier=fig.qualifier,
                    quantity_max=fig.quantity_max,
                )


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _link_duplicates(proposals: list[Proposal]) -> None:
    """The report often states a target twice (body and annex): point the
    reviewer at the twin so one order is not created twice."""
    targets = [p for p in proposals if p.is_target]
    for i, a in enumerate(targets):
        for b in targets[i + 1 :]:
            if (a.quantity, a.measure, a.quantity_text if a.quantity is None else "") != (
                b.quantity,
                b.measure,
                b.quantity_text if b.quantity is None else "",
            ):
                continue
            shared = _bigrams(a.subject) & _bigrams(b.subject)
            if len(shared) >= 3:
                a.see_also.append(b.line)
                b.see_also.append(a.line)


def extract(text: str, *, include_past: bool = False) -> list[Proposal]:
    """Propose orders from a work report.

    By default only forward-looking commitments are returned (is_target True);
    include_past=True also returns past achievements, flagged is_target False,
    for a reviewer who wants to see everything the reader found.
    """
    lines = text.splitlines()
    report_year = _report_year(lines)
    outline = _Outline()
    proposals: list[Proposal] = []
    for number, line in enumerate(lines, start=1):
        outline.feed(line.translate(_WIDTH_TABLE))
        titles = outline.titles
        if any(_SKIP_HEADING.search(t) for t in titles):
            continue
        tense = _section_tense(titles, report_year)
        proposals.extend(_line_proposals(line, number, outline.path, tense, report_year))
    _link_duplicates(proposals)
    if not include_past:
        proposals = [p for p in proposals if p.is_target]
    return proposals


def to_json(proposals: Iterable[Proposal]) -> list[dict]:
    """Plain dicts for json.dumps(..., ensure_ascii=False)."""
    return [asdict(p) for p in proposals]


def main(argv: list[str] | None = None) -> int:
    """`python -m huying.orders.extract REPORT.txt [--json] [--all]`."""
    parser = argparse.ArgumentParser(description="Propose orders from a work report.")
    parser.add_argument("report")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--all", action="store_true", help="include past achievements")
    args = parser.parse_args(argv)
    with open(args.report, encoding="utf-8") as fh:
        proposals = extract(fh.read(), include_past=args.all)
    if args.json:
        json.dump(to_json(proposals), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for p in proposals:
            mark = "令" if p.is_target else "  "
            print(f"{mark} L{p.line:<4} {p.verb} {p.quantity_text}\t{p.subject}\t[{p.section}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
