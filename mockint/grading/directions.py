"""Which way an answer says one quantity moves another, against the way its key point says it.

"If you raise the threshold, recall goes up and precision drops" sits next to the key point
"Raising the decision threshold increases precision and lowers recall" for the embeddings (the
same words) and often for the judge; what makes it wrong is only the signs. A key point that
declares its direction (rubric.Direction: the cause, what rises and what falls with it) is
checked here sentence by sentence: each quantity the answer names gets the direction word bound
to it ("raise the threshold", "recall goes up", "阈值调高", "precision 上升"), each effect is
read against the nearest stated cause, and the product of the two signs is compared with the
rubric's. Nothing is guessed: a sentence without a stated cause and effect, with a negated
direction word, a question, a "vice versa", a mistake being discussed or a cure for a problem
is left alone, so a right answer is never read as a wrong one because of what this reader
cannot parse. (A goal and its means, "if you want higher recall, lower the threshold", are read:
they pair the two as the relation does.)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mockint.grading.glossary import CJK, with_translations
from mockint.rubric import Direction

# Direction words, longest first within each language. English ones bind to the quantity
# right after them ("raise the threshold", "increases precision") or right before them
# ("recall goes up", "the threshold is raised").
_UP_EN = (
    r"goes up|go up|going up|went up|gets higher|get higher|shoots up|increas\w*|rais\w*|"
    r"higher|rises?|rising|rose|grows?|growing|grew|more|larger|bigger|boosts|boosted|improv\w*|"
    r"doubles?|doubled|doubling|twice|quadruples?|tighten\w*|stricter|up|high|large|big|"
    r"deeper|longer|stronger|strong|heavier|wider|wide|maximi[sz]\w*|too high|too large|too big|"
    r"too strong"
)
_DOWN_EN = (
    r"goes down|go down|going down|went down|gets lower|get lower|decreas\w*|lower\w*|reduc\w*|"
    r"drops?|dropping|dropped|falls?|falling|fell|declin\w*|shrinks?|shrinking|fewer|less|"
    r"smaller|halves|halved|halving|loosen\w*|down|low|small|tiny|shallower|"
    r"shorter|weaker|narrower|narrow|minimi[sz]\w*|avoids?|avoiding|prevents?|preventing|"
    r"too low|too small|sacrific\w*|weak|too weak"
)
_SAME_EN = (
    r"stays? the same|remains? the same|stays? unchanged|remains? unchanged|unchanged|"
    r"(?:does ?n[o']t|do ?n[o']t|won't|will not|wouldn't) change|stays? constant|no change"
)
_UP_ZH = (
    "往上调|调高|调大|提高|升高|增大|增加|变大|上升|提升|变多|更高|更大|更多|越高|越大|越多|"
    "太大|太高|太多|过大|过高|偏大|偏高|越强|更强|变强|太强|过强|越宽|更宽|变宽|"
    "翻倍|加倍|增长|变高|升|高|大|多|强|宽"
)
_DOWN_ZH = (
    "往下调|调低|调小|降低|减小|减少|变小|下降|变少|更低|更小|更少|越低|越小|越少|减半|变低|"
    "太小|太低|太少|过小|过低|偏小|偏低|越弱|更弱|变弱|太弱|过弱|越窄|更窄|变窄|"
    "避免|防止|降|低|小|少|弱|窄"
)
_SAME_ZH = "保持不变|不会变|不变|没有变化|没变化|一样"
# Chinese direction words that can come before the quantity ("提高阈值", "降低召回率"); the
# single characters only ever follow it ("threshold 高 precision 高").
_BEFORE_ZH = re.compile(
    "往上调|往下调|调高|调大|调低|调小|提高|降低|升高|增大|增加|减小|减少|提升|避免|防止|更高的|"
    "更低的|更大的|更小的|更多的|更少的|降"
)

_DIRECTIONS = re.compile(
    rf"(?P<same>{_SAME_ZH}|\b(?:{_SAME_EN})\b)"
    rf"|(?P<up>{_UP_ZH}|\b(?:{_UP_EN})\b)"
    rf"|(?P<down>{_DOWN_ZH}|\b(?:{_DOWN_EN})\b)",
    re.IGNORECASE,
)
# A negation just before a direction word makes its sign unknown here ("doesn't increase").
_NEGATED = re.compile(
    r"(?:\b(?:not|never|no|without|neither|nor)\b|n't)\W{0,2}(?:[a-z]+\W+)?$"
    rf"|(?:不|没|未|无)(?:{CJK}|\s){{0,3}}$",
    re.IGNORECASE,
)
# Words that may stand between a direction word and the quantity after it.
_FILLER_BEFORE = frozenset(
    "the a an its their your our this that model's classifier's decision classification "
    "probability overall much far even so too very".split()
)
_CONJUNCTION = re.compile(
    r"\b(and|but|while|whereas|so|because|since|which|that|who|where|then|or)\b|[,.;:]"
)
_GAP_ZH = re.compile(
    r"^[\s会就也都更很越变得的则反而要值被而且还将会是特别非常十分极其相当比较]{0,4}$"
)
_GAP_ZH_SHORT = re.compile(r"^\s*(?:[会就也都更很越变]|特别|非常|十分|比较|相当)?\s*$")
_PRONOUN_ANCHOR = re.compile(r"^\s+(?:it|them|this)\b", re.IGNORECASE)
# "If it's too low, the loss explodes": the cause named in an earlier sentence, as a subject.
_PRONOUN_SUBJECT = re.compile(
    r"\b(?:it|they)(?:'s|'re| is| are| gets| get| becomes| become| was)?\s+(?:set\s+)?"
    r"(?:too|very|really|much|extremely)?\s*"
    r"(?P<word>high|low|large|small|big|tiny|higher|lower|larger|smaller|bigger)\b",
    re.IGNORECASE,
)
_UP_WORDS = frozenset("high large big higher larger bigger".split())
# "lower it" said as advice ("spiky loss means lower it") is a cure, which pairs the two the other
# way round (_ADVICE); only "lowering it", the cause as a subject, is read.
_IMPERATIVE_ON_CAUSE = re.compile(
    r"\b(?:raise|lower|increase|decrease|reduce|drop|bump|turn)\s+(?:it|them|this)\b", re.IGNORECASE
)
# Chinese drops the subject it has just named: "学习率太低会导致梯度消失，太高会导致梯度爆炸".
_BARE_VERB_ZH = re.compile(
    "往上调|往下调|调高|调低|调大|调小|太高|太低|太大|太小|过高|过低|过大|过小"
)
# After these the sentence says the reverse of what came before, which is not read here.
_REVERSE = re.compile(
    r"\b(vice versa|the opposite|the reverse|conversely|inversely)\b|反之|反过来|相反",
    re.IGNORECASE,
)
# Advice is left alone: a problem and its cure ("fix high variance with a simpler model", "if
# recall is too low, lower the threshold") pair the two the other way round from the relation
# itself, and advice that names neither problem nor goal ("use a simpler model") cannot be read.
_CURES_EN = r"fix|fixes|address|combat|solve|cure|remedy|counter|deal with|mitigate|tackle"
_CURES_ZH = "解决|缓解|应对|对付"
_ADVICE = re.compile(
    r"\b(want|wants|need|needs|care about|to get|to achieve|in order to|aim for|prefer|favou?r|"
    rf"{_CURES_EN}|"
    r"trade\w*\s+\w+\s+for|use|using|switch\w*|try|pick|choose|go with|add|adding|"
    r"should(?! have))\b"
    rf"|想要|要想|需要|希望|为了|{_CURES_ZH}|想让|如果想|换|改用|要加|要用|应该|可以用|就用|选",
    re.IGNORECASE,
)
# ...but a goal and its means ("if you want higher recall, lower the threshold") pair them as the
# relation does, and are read, unless the sentence also names a problem to cure.
_GOAL = re.compile(
    r"\b(want|wants|to get|to achieve|in order to|aim for|care about|maximi[sz]e|"
    r"minimi[sz]e)\b|想要|要想|希望|为了|如果想|追求",
    re.IGNORECASE,
)
_PROBLEM = re.compile(
    rf"\b({_CURES_EN}|fixing|"
    r"too high|too low|too large|too small|too much|too many|too few|problem|issue)\b"
    rf"|{_CURES_ZH}|太高|太低|太大|太小|太多|太少|过高|过低|问题",
    re.IGNORECASE,
)
# A sentence about a mistake, not making one.
_META = re.compile(
    r"\b(mistake|misconception|myth|wrongly|it'?s wrong|is wrong|not true|common error|"
    r"people think)\b"
    r"|误以为|错误地|常见的错误|误区|并不是说",
    re.IGNORECASE,
)


# What follows a quantity's name when it only describes something else: a model it qualifies
# ("low bias trees", "高方差的模型"), or the object of the name used as a verb ("weights the
# easy examples").
_MODIFIES = re.compile(
    r"\s+(?:trees?|models?|learners?|estimators?|classifiers?|regressors?|networks?|"
    r"predictors?|ensembles?|(?:the|a|an|each|every|these|those)\s+\w+)\b"
    r"|\s*的(?:树|模型|学习器|分类器|网络)"
)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    role: str  # "cause" or "effect"
    fixed: int | None  # the sign the words themselves carry ("complex model", "overfits")
    expected: int = 0  # for an effect, its sign against a rising cause (0: unchanged)


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    sign: int | None  # +1 up, -1 down, 0 the same; None when negated


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: a relation is read within one sentence only."""
    spans = []
    for match in re.finditer(r"[^。！？!?；;\n]+[。！？!?；;\n]?", text):
        start = match.start()
        # English sentences end at ". " as well.
        for part in re.finditer(r".+?(?:\.(?=\s)|$)", match.group(), re.DOTALL):
            if part.group().strip():
                spans.append((start + part.start(), start + part.end()))
    return spans


@functools.lru_cache(maxsize=2048)
def _pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    """A pattern for ``terms`` (and their code-switched forms), spaces next to Chinese optional."""
    variants = sorted(with_translations(terms), key=len, reverse=True)
    parts = []
    for term in variants:
        if not term:
            continue
        pieces = re.split(rf"(?<={CJK})|(?={CJK})", term)
        body = r"\s*".join(re.escape(p) for p in pieces if p)
        body = body.replace(r"\ ", r"\s+")
        left = r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", term) else ""
        right = r"(?![a-z])" if re.search(r"[a-z0-9]$", term) and len(term) <= 4 else ""
        parts.append(left + body + right)
    if not parts:
        return None
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _with_elided(terms: tuple[str, ...]) -> tuple[str, ...]:
    """``terms`` and, for a kind of model, the same with the noun left out: "complex model" ->
    "complex one"; "simpler models" -> "simpler ones" (once per list: this runs per sentence)."""
    return terms + tuple(
        re.sub(r"\b(model|network)(s?)$", lambda m: "one" + m.group(2), term)
        for term in terms
        if re.fullmatch(r"[a-z-]+ (?:[a-z-]+ )*(?:model|network)s?", term)
        and not term.startswith(("the ", "a "))
    )


def _mentions(direction: Direction, sentence: str) -> list[_Mention]:
    """Where ``sentence`` (lower-cased) names the cause and the quantities it moves, in order,
    without overlaps."""
    groups = (
        (direction.cause, "cause", None, 0),
        (direction.cause_up, "cause", 1, 0),
        (direction.cause_down, "cause", -1, 0),
        (direction.up, "effect", None, 1),
        (direction.down, "effect", None, -1),
        (direction.same, "effect", None, 0),
        (direction.more_of, "effect", 1, 1),
        (direction.less_of, "effect", 1, -1),
    )
    found: list[_Mention] = []
    for terms, role, fixed, expected in groups:
        terms = tuple(terms)
        if fixed is not None and role == "cause":
            # "a simple model has high bias, a complex one high variance": the noun said once.
            terms = _with_elided(terms)
        pattern = _pattern(terms)
        if pattern is None:
            continue
        for m in pattern.finditer(sentence):
            found.append(_Mention(m.start(), m.end(), role, fixed, expected))
    # Longest first; a shorter mention inside a longer one is the same words.
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[_Mention] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    # "precision-recall curve" names neither quantity alone; nor do "low bias trees" (the
    # trees' bias, not the forest's) and "down weights the easy examples" (a verb on an object).
    return [
        m
        for m in kept
        if not re.match(r"[-/]\s*\w", sentence[m.end : m.end + 2])
        and not re.search(r"\w\s*[-/]$", sentence[max(0, m.start - 2) : m.start])
        and not (m.role == "effect" and _MODIFIES.match(sentence, m.end))
    ]


def _words(sentence: str, mentions: Sequence[_Mention]) -> list[_Word]:
    """The direction words of ``sentence`` outside the mentions, with their signs."""
    inside = [(m.start, m.end) for m in mentions]
    words = []
    for m in _DIRECTIONS.finditer(sentence):
        if any(s <= m.start() < e for s, e in inside):
            continue  # "higher" inside the term "higher threshold"
        sign = 0 if m.group("same") else 1 if m.group("up") else -1
        if sign and _NEGATED.search(sentence[max(0, m.start() - 12) : m.start()]):
            words.append(_Word(m.start(), m.end(), None))
        else:
            words.append(_Word(m.start(), m.end(), sign))
    return words


def _is_chinese(word: str) -> bool:
    return re.match(CJK, word) is not None


def _gap_before_ok(gap: str, word: str) -> bool:
    """Whether ``gap`` may stand between direction ``word`` and a quantity after it."""
    if _is_chinese(word):
        joined = re.fullmatch(r"\s*(?:的是|的|是)?\s*", gap) is not None
        return joined and _BEFORE_ZH.fullmatch(word) is not None
    tokens = gap.split()
    return not _CONJUNCTION.search(gap) and all(t.lower() in _FILLER_BEFORE for t in tokens)


def _gap_after_ok(gap: str, word: str) -> bool:
    """Whether ``gap`` may stand between a quantity and direction ``word`` after it."""
    if _is_chinese(word):
        short = len(word) == 1
        return (_GAP_ZH_SHORT if short else _GAP_ZH).fullmatch(gap) is not None
    if re.search(CJK, gap):
        return False
    return not _CONJUNCTION.search(gap) and len(gap.split()) <= 3


def _bind(sentence: str, mentions: list[_Mention], words: list[_Word]) -> dict[int, int | None]:
    """Mention index -> the sign of the direction word bound to it (None: negated)."""
    bound: dict[int, int | None] = {}
    used: set[int] = set()
    # Before the quantity first: "increases precision and lowers recall".
    for w_index, w in enumerate(words):
        for k, m in enumerate(mentions):
            if k in bound or m.start < w.end:
                continue
            if _gap_before_ok(sentence[w.end : m.start], sentence[w.start : w.end]):
                bound[k] = w.sign
                used.add(w_index)
            break
    # Then after it: "recall goes up", "阈值调高".
    for k, m in enumerate(mentions):
        if k in bound:
            continue
        following = [(i, w) for i, w in enumerate(words) if i not in used and w.start >= m.end]
        if not following:
            continue
        i, w = following[0]
        later = [n for n in mentions if m.end <= n.start < w.start]
        if not later and _gap_after_ok(sentence[m.end : w.start], sentence[w.start : w.end]):
            bound[k] = w.sign
            used.add(i)
    return bound


def _anchors(
    sentence: str, mentions: list[_Mention], words: list[_Word], bound: dict[int, int | None]
) -> list[tuple[int, int | None]]:
    """(position, sign) of every place the sentence says which way the cause moves."""
    anchors: list[tuple[int, int | None]] = []
    for k, m in enumerate(mentions):
        if m.role != "cause":
            continue
        if m.fixed is not None:
            sign = m.fixed if bound.get(k, 1) is not None and _plain(sentence, m) else None
            anchors.append((m.start, sign))
        elif k in bound:
            anchors.append((m.start, bound[k]))
    # "lowering it", "调低的话": a verb whose object is the cause said before.
    for w in words:
        word = sentence[w.start : w.end]
        beside = any(
            0 <= w.start - m.end <= 2 or 0 <= m.start - w.end <= 1 for m in mentions
        )  # said of a quantity named next to it, not of the cause left unsaid
        gerund = sentence[w.start : w.end].endswith("ing")
        if (gerund and _PRONOUN_ANCHOR.match(sentence[w.end :])) or (
            _BARE_VERB_ZH.fullmatch(word) and not beside
        ):
            anchors.append((w.start, w.sign))
    return anchors


def _plain(sentence: str, mention: _Mention) -> bool:
    """Whether a term that says its own direction ("overfits", "complex model") is said plainly:
    not denied ("doesn't overfit") nor the second of two things a verb before it acts on
    ("reduces depth and overfitting")."""
    before = sentence[max(0, mention.start - 12) : mention.start]
    return not _NEGATED.search(before) and not re.search(
        r"(?:\b(?:and|or|nor)\s+(?:the\s+)?|[和或及与、]\s*)$", before, re.IGNORECASE
    )


# "recall goes up if you lower the threshold": the cause said after its effect.
_CONDITION_AFTER = re.compile(r"\b(if|when|whenever|once|as)\b", re.IGNORECASE)
# "To stop it from overfitting, make the tree deeper", "防止过拟合的话，把 max_depth 调大": an
# effect to be prevented is a goal, less of it, and only the means said after it is its cause. Read
# against a cause said before, "deeper trees overfit, so to avoid overfitting we prune" would
# pair the deep trees with less overfitting.
_PREVENT_EN = r"\b(?:to|in order to|so as to)\s+(?:stop|prevent|avoid|fight|curb)"
_PREVENT_ZH = "防止|避免"
_PREVENTED = re.compile(
    rf"{_PREVENT_EN}\s+(?:(?:it|them|the model|the network|the tree|trees|models)\s+from\s+)?"
    r"(?:[a-z]+\s+)?$"
    rf"|(?:^|[\s,;:，；：]|为了|要|想|如果要|如果想)(?:{_PREVENT_ZH})\s*$",
    re.IGNORECASE,
)
# ...and a sentence that names one is a goal and its means, not advice left unread (_advice).
_PREVENTING = re.compile(rf"{_PREVENT_EN}\b|{_PREVENT_ZH}", re.IGNORECASE)


def _prevented(sentence: str, effect: _Mention) -> bool:
    """Whether ``effect`` is said as something to prevent ("to stop overfitting", "防止过拟合")."""
    return _PREVENTED.search(sentence[: effect.start]) is not None


def _cause_for(sentence: str, effect: _Mention, anchors, prevented: bool = False) -> int | None:
    """The sign of the cause an effect is said of: the next stated cause when the effect is a
    goal ("for higher recall, lower the threshold") or a condition joins them ("recall goes up
    if you lower the threshold"), else the last one before it ("raising it increases precision
    and lowers recall, and lowering it ..."); only the next one for an effect to be
    ``prevented``."""
    after = [a for a in anchors if a[0] >= effect.end]
    if prevented:
        # "to stop overfitting, make the tree deeper": only the means said after it.
        return min(after)[1] if after else None
    if after:
        position, sign = min(after)
        gap = sentence[effect.end : position]
        if _GOAL.search(sentence[: effect.start]):
            return sign  # "如果想要召回率高，就把阈值调低": the goal, then its means
        if _CONDITION_AFTER.search(gap) and not re.search(r"[,;，；、]", gap):
            return sign
    before = [a for a in anchors if a[0] < effect.start]
    return max(before)[1] if before else None


def _read(
    direction: Direction, sentence: str, cause_named: bool = False
) -> tuple[int, int, list[tuple[int, int]]]:
    """(effects said the right way, effects said the wrong way, their spans) in one sentence;
    ``cause_named``: an earlier sentence named the cause, which "it" may now stand for."""
    lowered = sentence.lower()
    cut = _REVERSE.search(lowered)
    if cut:
        lowered = lowered[: cut.start()]
    mentions = _mentions(direction, lowered)
    if not any(m.role == "effect" for m in mentions):
        return 0, 0, []
    words = _words(lowered, mentions)
    bound = _bind(lowered, mentions, words)
    anchors = list(_anchors(lowered, mentions, words, bound))
    if cause_named and not any(m.role == "cause" for m in mentions):
        for m in _PRONOUN_SUBJECT.finditer(lowered):
            anchors.append((m.start(), 1 if m.group("word") in _UP_WORDS else -1))
    if not anchors and direction.given:
        anchors = [(0, 1 if direction.given == "up" else -1)]
    if not anchors:
        return 0, 0, []
    right = wrong = 0
    spans: list[tuple[int, int]] = []
    for k, m in enumerate(mentions):
        if m.role != "effect":
            continue
        prevented = _prevented(lowered, m)
        if prevented:
            sign = -1
        elif k in bound:
            # "avoid overfitting": the direction word turns the thing that happens around.
            sign = bound[k]
        else:
            sign = m.fixed if m.fixed is not None and _plain(lowered, m) else None
        if sign is None:
            continue
        cause = _cause_for(lowered, m, anchors, prevented)
        if cause is None:
            continue
        said = cause * sign
        if said == m.expected:
            right += 1
        else:
            wrong += 1
            spans.append((m.start, m.end))
    return right, wrong, spans


def _advice(sentence: str) -> bool:
    """Whether the sentence gives advice this reader leaves alone: a cure for a problem, or
    advice with no goal named (a goal and its means are read)."""
    if _PROBLEM.search(sentence):
        return _ADVICE.search(sentence) is not None
    goal = _GOAL.search(sentence) or _PREVENTING.search(sentence)
    return _ADVICE.search(sentence) is not None and goal is None


def reversed_direction(
    direction: Direction, text: str
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(sentence span, effect span) of each effect of ``text`` said the wrong way round, in
    sentences with at least as many effects read against the rubric's signs as with them."""
    found: list[tuple[tuple[int, int], tuple[int, int]]] = []
    unless = _pattern(tuple(direction.unless)) if direction.unless else None
    causes = _pattern(tuple(direction.cause))
    cause_named = False
    for start, end in _sentences(text):
        sentence = text[start:end]
        named_before, cause_named = (
            cause_named,
            cause_named or (causes is not None and causes.search(sentence.lower()) is not None),
        )
        if (
            sentence.rstrip().endswith(("?", "？"))
            or _META.search(sentence)
            or _advice(sentence)
            or _IMPERATIVE_ON_CAUSE.search(sentence)
        ):
            continue
        if unless is not None and unless.search(sentence.lower()):
            continue
        right, wrong, spans = _read(direction, sentence, named_before)
        if wrong and wrong >= right:
            found.extend(((start, end), (start + s, start + e)) for s, e in spans)
    return found
