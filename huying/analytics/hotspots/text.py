"""Words and places in a citizen's message.

Words come from jieba (dictionary only, no HMM: new words are guessed badly
and the guessing is the slow part); stop words are the filler of hotline
messages (请问, 反映, 希望, 领导 …) and of petitions written to a template
(请加快…的建设力度, …有何具体行动), which would otherwise make one "problem"
of many different asks. Places are phrases ending in a place word
(小区, 花园, 村, 路, 大道, 学校 …), read from the text itself, so they work for
any city, including the anonymised one in the TipDM data ("A市A3区"); the
administrative area ("A5区", "越秀区", a Yuexiu street) is kept apart.
"""

import re
from functools import lru_cache

import jieba

jieba.setLogLevel(60)

# How much of a long message is read: the problem is almost always stated first.
BODY_CHARS = 240

STOPWORDS = frozenset("""
的 了 是 在 和 与 对 于 请 我 你 他 她 它 们 这 那 有 被 把 给 从 向 及 或 并 也 都 就 还 又 要 想 会 能 该 不 没 很
没有 一个 什么 怎么 如何 为什么 问题 反映 希望 领导 您好 你好 请问 咨询 建议 关于 相关 有关 部门 政府 市政府 区政府
谢谢 感谢 尊敬 市长 书记 我们 他们 你们 自己 现在 已经 可以 但是 因为 所以 如果 这个 那个 情况 进行 解决 处理 要求
存在 导致 目前 一直 时间 工作 出现 是否 能否 以及 其中 这些 那些 所有 很多 非常 严重 多次 至今 今年 去年 今天 昨天
还是 而且 并且 或者 然后 其他 一些 一下 这样 那样 这种 那种 由于 对于 根据 通过 没有 不能 不会 不是 就是 只是 只有
市民 居民 业主 群众 老百姓 本人 大家 同志 您 望 盼 急 谢 呢 吗 啊 吧 哦 呀 了解 知道 认为 觉得 表示 发现 看到 听说
一下 一直 一次 两次 多年 几年 今年 明年 月份 日期 时候 期间 以来 以后 之前 之后 之间 附近 周边 旁边 这里 那里 地方
加快 加大 力度 步伐 推进 落实 尽快 有何 具体 行动 措施 举措 刻不容缓 打造 创建 提升 完善 加强 大力 积极 切实 进一步
""".split())

ADMIN = re.compile(
    r"[A-Z]\d{0,2}(?:市|区|县|州|省)"
    r"|[\u4e00-\u9fa5]{2}(?:省|县|(?<![超菜门夜城股街上都])市|(?<![小社园景城校片厂宅活置新老营商院民])区)"
)
PLACE_WORDS = ("小区|花园|社区|新村|村|镇|乡|街道|公寓|大厦|广场|学院|大学|中学|小学|学校|幼儿园|医院|市场|新城|家园|苑|"
               "公园|车站|地铁站|站|路|大道|街|巷|城|湾|府|国际|中心|大桥|高速|地铁\\d+号线|\\d+号线")
PLACE = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]{2,8}?(" + PLACE_WORDS + ")")
SPLIT = re.compile(r"[\s，。！？、；：,.!?;:（）()“”\"'《》【】\[\]…—-]+")
# …nor with a place word (小区临街 is not a place).
LEADING = re.compile(r"^(?:小区|社区|街道|新村|村|镇|乡|路|街|巷)+")
# A place phrase starts after the last of these (…家住在丽发新城 -> 丽发新城).
BREAK = re.compile(r"^.*[的了在是和与对于请我你他她们这那有被把给从向及或并也都就还又要想会能该到住系为称近旁]")
NOT_PLACE = re.compile(r"政府|党委|市委|区委|部门|领导|单位|公司")
CJK = re.compile(r"[\u4e00-\u9fa5]")
NOISE = re.compile(r"[\d\W_a-zA-Z]+")


def tokens(title, body):
    """Words of the message; the title counts twice."""
    text = ADMIN.sub(" ", f"{title} {title} {body[:BODY_CHARS]}")
    return [w for w in with_runs(cut(text)) if len(w) >= 2 and w not in STOPWORDS and not NOISE.fullmatch(w)]


def with_runs(pieces):
    """Words, plus character pairs of runs of single characters: a word the
    dictionary lacks (车贷 in 58车贷案) comes out as single characters."""
    out, run = [], []
    for piece in pieces + [""]:
        if len(piece) == 1 and CJK.match(piece):
            run.append(piece)
            continue
        if len(run) > 1:
            out.extend(run[i] + run[i + 1] for i in range(len(run) - 1))
        run = []
        if piece:
            out.append(piece)
    return out


def cut(text):
    return jieba.lcut(text, HMM=False)


def places(text):
    """Place phrases, most specific first as they appear: 伊景园滨河苑, 万家丽南路 …"""
    out = []
    for segment in SPLIT.split(ADMIN.sub("，", text)):
        for match in PLACE.finditer(segment):
            phrase = LEADING.sub("", BREAK.sub("", match.group(0)))
            # At least two characters of name before the place word (not 上小区, 同小区).
            if len(phrase) - len(match.group(1)) >= 2 and phrase not in out and not NOT_PLACE.search(phrase):
                out.append(phrase)
    return out


def areas(text):
    """Administrative areas named in the text: A市, A5区, 越秀区 …"""
    return list(dict.fromkeys(m.group(0) for m in ADMIN.finditer(text)))


@lru_cache(maxsize=1)
def ready():
    """Load jieba's dictionary once, from the package (nothing downloads)."""
    jieba.initialize()
    return True


def same_place(a, b):
    """Two place phrases name the same place when they share four characters
    in a row (万科魅力之城 / 魅力之城, 绿地海外滩小区 / 绿地海外滩二期小区), or one
    is the other (three-character names)."""
    if a == b or (len(a) <= len(b) and a in b) or (len(b) < len(a) and b in a):
        return True
    short, long_ = sorted((a, b), key=len)
    return any(short[i:i + 4] in long_ for i in range(len(short) - 3))
