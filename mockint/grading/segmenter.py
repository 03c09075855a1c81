"""Split an answer into the pieces that key points are matched against.

Candidates write sentences, bullet lists, or (when speaking) one long run-on stream with no
punctuation at all, in English or Chinese. A key point is one sentence, so the answer is cut
into sentence- or clause-sized segments, each remembering where it sits in the original text so
that the feedback can quote and highlight the candidate's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mockint.grading.opposites import contrasts

# Sentence ends in English and Chinese, line breaks, and list markers all start a new segment.
# Not the period of "e.g.", "i.e.", "vs." or "cf.": "the kernel trick maps every x into a
# higher-dim space (e.g. all degree-2 monomials), and trains a linear SVM on them" is one claim,
# and cut after "e.g." neither half stated the mistake it makes.
_ABBREVIATION = r"(?<!\b[eE]\.g\.)(?<!\b[iI]\.e\.)(?<!\b[vV]s\.)(?<!\b[cC]f\.)"
_SENTENCE_END = re.compile(rf"(?<=[.!?;]){_ABBREVIATION}\s+(?=\S)|(?<=[。！？；;!?])|\n+")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)、]|[a-zA-Z][.)]|[（(]?\d+[）)])\s*")
# Where a long sentence can be cut into clauses without losing its meaning.
# Not at "and"/"which": that would cut "scale and shift" in half; long unpunctuated stretches are
# cut into overlapping windows instead.
_CLAUSE_BREAK = re.compile(r"(?<=[,，:：])\s*|(?=(?:因为|所以|但是|而且|另外|此外|同时))")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*|[\u3400-\u4dbf\u4e00-\u9fff]")

# A segment longer than this (in words; a CJK character counts as half a word) is cut into
# clauses, and a clause still longer into overlapping windows: a 60-word run-on sentence
# embeds as a blur that matches nothing well.
MAX_WORDS = 20
MIN_CHUNK_WORDS = 8
WINDOW_WORDS = 16
# Chinese chains several claims into one sentence with commas ("precision and recall both go
# up, F1 is their average"): its sentences are cut into clauses sooner.
MAX_WORDS_ZH = 16
MIN_CHUNK_WORDS_ZH = 6


@dataclass(frozen=True)
class Segment:
    """A piece of the answer and its character span in the original text."""

    text: str
    start: int
    end: int


def word_count(text: str) -> float:
    """Words, counting a Chinese character as half a word (about two characters per word)."""
    return sum(map(word_weight, _WORD.findall(text)))


def words_in(text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    """The word tokens of ``text[start:end]`` (a Chinese character is one), as matches."""
    return list(_WORD.finditer(text, start, len(text) if end is None else end))


def word_weight(token: str) -> float:
    """What one token counts for in :func:`word_count`: half a word for a Chinese character."""
    return 0.5 if _CJK.match(token) else 1.0


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return _CJK.search(text) is not None


def detect_language(text: str) -> str:
    """``zh`` when Chinese characters carry the answer, else ``en``."""
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]+", text))
    # Chinese answers mix in English terms (ReLU, batch); a character is about half a word.
    return "zh" if cjk >= 2 and cjk / 2 >= latin * 0.3 else "en"


def _split(
    pattern: re.Pattern, text: str, start: int, protected: list[bool] | None = None
) -> list[Segment]:
    """Cut ``text`` at ``pattern``'s matches, except where ``protected`` marks the position."""
    pieces, cursor = [], 0
    for match in pattern.finditer(text):
        if protected and match.start() < len(protected) and protected[max(match.start() - 1, 0)]:
            continue
        if match.start() > cursor:
            pieces.append(
                Segment(text[cursor : match.start()], start + cursor, start + match.start())
            )
        cursor = max(cursor, match.end())
    if cursor < len(text):
        pieces.append(Segment(text[cursor:], start + cursor, start + len(text)))
    return pieces


def _split_outside_brackets(pattern: re.Pattern, text: str, start: int) -> list[Segment]:
    """Like :func:`_split`, but never inside (parentheses) or [brackets]: "recall (of the real
    positives, how many I caught)" is one clause."""
    depth, inside = 0, []
    for ch in text:
        if ch in "([（【":
            depth += 1
        elif ch in ")]）】" and depth:
            depth -= 1
        inside.append(depth > 0)
    return _split(pattern, text, start, protected=inside)


def _strip(segment: Segment) -> Segment | None:
    text = segment.text
    bullet = _BULLET.match(text)
    lead = bullet.end() if bullet else len(text) - len(text.lstrip())
    body = text[lead:].rstrip()
    if not _WORD.search(body):
        return None
    return Segment(body, segment.start + lead, segment.start + lead + len(body))


def _windows(segment: Segment) -> list[Segment]:
    """Cut a long unpunctuated stretch into overlapping windows of about WINDOW_WORDS words."""
    tokens = words_in(segment.text)
    weights = [word_weight(t.group()) for t in tokens]
    windows, i = [], 0
    while i < len(tokens):
        total, j = 0.0, i
        while j < len(tokens) and total < WINDOW_WORDS:
            total += weights[j]
            j += 1
        s, e = tokens[i].start(), tokens[j - 1].end()
        windows.append(Segment(segment.text[s:e], segment.start + s, segment.start + e))
        if j >= len(tokens):
            break
        # Half-window overlap, so a point stated across a window boundary is still seen whole.
        step, acc = i, 0.0
        while step < j and acc < WINDOW_WORDS / 2:
            acc += weights[step]
            step += 1
        i = step
    return windows


def segment(answer: str) -> list[Segment]:
    """The answer's sentences and clauses, in order, with their spans."""
    return segment_with_sentences(answer)[0]


def split_sentences(answer: str) -> list[Segment]:
    """The sentences of a Chinese answer that :func:`segment` cut into clauses (none for English).

    A claim can need its whole sentence ("L2 会把没用的特征的权重变成 0，所以用 L2 做特征选择"):
    the clause that names the mistake has lost its subject. They are matched as extra units.
    """
    return segment_with_sentences(answer)[1]


def segment_with_sentences(answer: str) -> tuple[list[Segment], list[Segment]]:
    """:func:`segment` and :func:`split_sentences` of ``answer`` from one pass over it."""
    result: list[Segment] = []
    split: list[Segment] = []
    chinese = detect_language(answer) == "zh"
    limit = MAX_WORDS_ZH if chinese else MAX_WORDS
    for piece in _split(_SENTENCE_END, answer, 0, _hesitations(answer)):
        sentence = _strip(piece)
        if sentence is None:
            continue
        pieces = _split_outside_brackets(_CLAUSE_BREAK, sentence.text, sentence.start)
        clauses = [c for c in map(_strip, pieces) if c]
        if word_count(sentence.text) <= limit and not _contrasting(clauses):
            result.append(sentence)
            continue
        if chinese:
            split.append(sentence)
        min_chunk = MIN_CHUNK_WORDS_ZH if chinese else MIN_CHUNK_WORDS
        for chunk in _group_clauses(answer, clauses, min_chunk):
            if word_count(chunk.text) <= MAX_WORDS:
                result.append(chunk)
            else:
                result.extend(_windows(chunk))
    return _merge_fragments(answer, result), split


# "Iteration is... I think one batch": a speaker searching for words, not a sentence ending
# (cut there, "I think one batch being processed" loses its subject and reads as "an epoch is
# one batch").
_HESITATION = re.compile(
    r"\b(?:is|are|was|were|means|the|a|an|of|to|and|or|like|um|uh|er|erm)\s*\.{3}", re.I
)


def _hesitations(text: str) -> list[bool] | None:
    """Per character of ``text``, whether it is the ellipsis of a hesitation (no sentence
    ends there); None when there is none."""
    spans = [m.span() for m in _HESITATION.finditer(text)]
    if not spans:
        return None
    marked = [False] * len(text)
    for start, end in spans:
        marked[start:end] = [True] * (end - start)
    return marked


def _contrasting(clauses: list[Segment]) -> bool:
    """Whether a later clause says the opposite of an earlier one ("if it's too low, training
    is slow, if it's too high, it diverges"): a sentence of two claims, cut however short."""
    return any(contrasts(a.text, b.text) for i, a in enumerate(clauses) for b in clauses[i + 1 :])


def _group_clauses(
    answer: str, clauses: list[Segment], min_chunk: float = MIN_CHUNK_WORDS
) -> list[Segment]:
    """Join neighbouring clauses into chunks of MIN_CHUNK_WORDS to MAX_WORDS words.

    A comma-split fragment such as "and passes the gradient on to the previous layer" has lost
    the subject that gives it its meaning; chunks of a reasonable size keep enough context.
    """
    chunks: list[Segment] = []
    for clause in clauses:
        if chunks:
            last = chunks[-1]
            joined = word_count(answer[last.start : clause.end])
            # A short chunk always takes the next clause (a chunk too long for one embedding
            # is cut into windows afterwards); a long enough one only if the join stays short.
            # Never a clause that says the opposite of the chunk: that is a second claim.
            short = word_count(last.text) < min_chunk or joined <= min_chunk * 1.5
            if short and not contrasts(last.text, clause.text):
                chunks[-1] = Segment(answer[last.start : clause.end], last.start, clause.end)
                continue
        chunks.append(clause)
    if len(chunks) > 1 and word_count(chunks[-1].text) < min_chunk:
        prev, last = chunks[-2], chunks[-1]
        joined = word_count(answer[prev.start : last.end])
        if joined <= MAX_WORDS + min_chunk and not contrasts(prev.text, last.text):
            chunks[-2:] = [Segment(answer[prev.start : last.end], prev.start, last.end)]
    return chunks


def _merge_fragments(answer: str, segments: list[Segment]) -> list[Segment]:
    """Glue clause fragments of one or two words onto their neighbour: alone they mean nothing."""
    merged: list[Segment] = []
    for seg in segments:
        if merged and word_count(seg.text) < 2 and _adjacent(merged[-1], seg):
            prev = merged[-1]
            merged[-1] = Segment(answer[prev.start : seg.end], prev.start, seg.end)
        else:
            merged.append(seg)
    return merged


def _adjacent(a: Segment, b: Segment) -> bool:
    return b.start - a.end <= 3


_NEGATION_EN = re.compile(
    r"\b(?:not|no|never|none|nothing|neither|nor|without|cannot|instead\s+of|rather\s+than"
    r"|hard\s+to|difficult\s+to|unlikely\s+to|rarely|seldom|hardly"
    # "stops a model from fitting the training data too closely" denies that it fits it (not
    # "keep the model from the best fold").
    r"|(?:stop|stops|stopped|stopping|prevent|prevents|prevented|preventing|keeps?|kept)"
    r"\s+(?:[\w'-]+\s+){0,3}from\s+\w+ing"
    # "limits how freely a model can fit the training data" denies that it fits it freely.
    r"|(?:limit|limits|limited|limiting|restrict|restricts|restricting|constrain|constrains"
    r"|constraining)\s+how\s+(?:much|well|freely|closely|tightly|far)"
    # "you keep the test set out of it" does not use it.
    r"|(?:keep|keeps|kept|keeping)\s+(?:[\w'-]+\s+){0,4}out\s+of)\b|n't\b",
    re.IGNORECASE,
)
# 不/没/无/非/未/别 negate, except inside words that only look negative (不同 "different",
# 不平衡 "imbalanced", 差不多 "about the same", 互不依赖 "independent", 不然 "otherwise", 无监督
# "unsupervised", 识别 "recognise", 未来 "future"...).
_NEGATION_ZH = re.compile(
    r"(?:(?<![差互])不(?!同|断|仅|管|少|久|错|过|平衡|均衡|纯|确定|变|一定|然|止|停)|没(?!问题|关系)"
    r"|(?<![一均])无(?!论|监督|偏|穷|限)|(?<![是])非(?!常|线性|负|零|凸)|未(?!来|知)"
    r"|(?<![类识区特差级派告性])别)"
)


# A harm that says doing something is wrong: "random folds let you peek at the future", "测试
# 集的统计信息就进了训练". (Not "leak" or 泄露: they name the topic of a question, and "data
# leakage is when private data leaks out" says nothing is wrong with a step.)
HARM = re.compile(
    r"\b(?:peeks?|peeked|peeking|cheats?|cheating)\b"
    r"|\b(?:ends?|ended)\s+up\s+in\s+(?:the\s+)?training\b|进(?:了|到|入)了?训练|(?:跑|混|漏|渗)进"
    # ...and what leaks into training: "测试集的均值方差就泄露进去了", "leaks the test statistics
    # into training". Not the bare word ("这不算泄露" names no harm done), nor a leak into the
    # model, which is how "leakage is overfitting" is said ("信息泄露进了模型参数里").
    r"|泄[露漏](?:进去|(?:进|到|给)了?训练)"
    r"|\bleak(?:s|ed|ing)?\s+(?:\w+\s+){0,4}?(?:into|to)\s+(?:the\s+)?train",
    re.I,
)
# A loss that turns non-convex is what goes wrong with a step: the reason candidates give for
# not taking it ("training logistic regression with MSE makes the loss non-convex", "如果逻辑回归
# 硬用 MSE，loss 会变成非凸"), which was read as the mistake "it is trained with MSE". It counts
# as a negation; a mistake that says non-convex itself ("an RBF kernel makes the SVM
# non-convex") counts it on its own side too.
_BAD_OUTCOME = re.compile(r"\bnon-?convex\b|非凸", re.I)
# "No problem" says something is fine, "有问题" that it is not: the evaluation, not the words,
# carries the polarity ("用全部数据 fit 就有问题了" against "先对全部数据做标准化是可以的").
_FINE = re.compile(
    r"\bno\s+(?:problem|harm|issue)s?\b|\bnothing\s+wrong\b|没有?(?:问题|关系)", re.I
)
_NOT_FINE = re.compile(
    r"\b(?:is|are|becomes?|causes?)\s+(?:a\s+)?(?:problem|issue)s?\b|(?<![没沒])有问题|出问题"
    # ...and so does a harm it names (HARM), or a bad outcome (_BAD_OUTCOME).
    r"|" + HARM.pattern + r"|" + _BAD_OUTCOME.pattern,
    re.I,
)


def negated(text: str) -> bool:
    """Whether the statement is negated (an odd number of negations, counting a verdict that
    something is a problem as one)."""
    fine = _FINE.sub(" ", text)
    count = (
        len(_NEGATION_EN.findall(fine))
        + len(_NEGATION_ZH.findall(fine))
        + len(_NOT_FINE.findall(fine))
    )
    return count % 2 == 1


_CLAUSE = re.compile(
    r"[,;:，；：]|\s(?:but|because|although|while|whereas)\s|但是|因为|不过|所以|因此|因而"
)


def _clauses(sentence: str) -> list[str]:
    """The clauses of ``sentence`` (cut at commas, semicolons, "but", "因为"…), blanks left out."""
    return [c for c in _CLAUSE.split(sentence) if c and c.strip()]


def _tokens(text: str) -> set[str]:
    """The words of ``text`` in lower case (Chinese character by character)."""
    return {t.lower() for t in _WORD.findall(text)}


def closest_clause(sentence: str, statement: str) -> str:
    """The clause of ``sentence`` that shares most words with ``statement``.

    Polarity is judged on it alone: in "a high learning rate converges faster, there is no
    downside", the "no" belongs to the second clause, not to the claim about convergence.
    """
    clauses = _clauses(sentence)
    if len(clauses) <= 1:
        return sentence
    target = _tokens(statement)

    def overlap(clause: str) -> float:
        tokens = _tokens(clause)
        return len(tokens & target) / (len(tokens | target) or 1)

    best = max(range(len(clauses)), key=lambda k: overlap(clauses[k]))
    if (
        best
        and (heading := _heading(sentence))
        and _names_only(clauses[best])
        and not heading.endswith(clauses[best])
    ):
        # "Doesn't need it: tree models, random forest, gradient boosting": the names listed
        # under a heading carry the words, the heading the claim (and its negation).
        return heading + ": " + clauses[best].strip()
    if best and (_EXAMPLES.match(clauses[best]) or _enumeration(clauses[best])):
        # "不需要的主要是树模型，比如 random forest、XGBoost": the examples carry the words, the
        # clause before them the claim (and its negation).
        return clauses[best - 1] + "，" + clauses[best]
    if (
        best + 1 < len(clauses)
        and _CONDITION.search(clauses[best])
        and _BAD_OUTCOME.search(clauses[best + 1])
    ):
        # "If you train logistic regression with MSE, you get a non-convex loss": a condition
        # is judged with the outcome it leads to, which here says not to do it.
        return clauses[best] + ", " + clauses[best + 1]
    if best and _HYPOTHETICAL_REASON.match(clauses[best]):
        # "Hyperparameters can't be picked that way, since minimizing training loss would just
        # pick the most overfit setting": what would happen is the reason for the clause before
        # it, and says nothing as fact of its own.
        return clauses[best - 1] + "," + clauses[best]
    # A bare name in a list cut by commas says nothing alone: the claim is the clause the list
    # runs into ("Tree-based models, random forests, gradient boosting, don't need it").
    last = best
    while last + 1 < len(clauses) and _bare_name(clauses[last]):
        last += 1
    return ", ".join(clauses[best : last + 1])


_HEADING = re.compile(r"\s*([^:：]*)[:：]")


def _heading(sentence: str) -> str | None:
    """The short heading a sentence opens with before a colon ("Doesn't need it:", "不需要的："),
    if any."""
    match = _HEADING.match(sentence)
    head = match.group(1).strip() if match else ""
    if not head or re.search(r"[,;，；。.!?]", head):
        return None
    short = len(head.split()) <= 6 if head.isascii() else len(head) <= 16
    return head if short else None


_NAMING = re.compile(r"^\s*(?:so|like|such as|e\.g\.|i\.e\.|比如|例如|像)\s*", re.IGNORECASE)


def _names_only(clause: str) -> bool:
    """Whether ``clause`` only names things (a bare name, a list of them, "so decision trees")."""
    core = _NAMING.sub("", clause.strip())
    return (
        _bare_name(core)
        or _enumeration(core)
        or (not core.isascii() and len(core) <= 12 and not _VERBISH.search(core))
    )


_HYPOTHETICAL_REASON = re.compile(r"\s*(?:since|because|as)\b.*\bwould\b", re.IGNORECASE)


def _bare_name(clause: str) -> bool:
    """Whether ``clause`` is an English name and nothing more: a few words, no verb, no
    negation. (A Chinese clause has no spaces to count its words by.)"""
    return (
        clause.isascii()
        and len(clause.split()) < 3
        and not _VERBISH.search(clause)
        and not negated(clause)
    )


def clauses_of(sentence: str) -> list[str]:
    """The clauses of ``sentence`` (cut at commas, semicolons, "but", "因为"…)."""
    return _clauses(sentence)


def clauses_sharing(sentence: str, statement: str) -> list[str]:
    """The clauses of ``sentence`` that share a word with ``statement``."""
    target = _tokens(statement)
    return [c for c in _clauses(sentence) if target & _tokens(c)]


def same_polarity(clause: str, statement: str) -> bool:
    """Whether ``clause`` has the polarity of the clause of ``statement`` closest to it."""
    return negated(clause) == negated(closest_clause(statement, clause))


# What an answer puts before a claim to number or head it, saying nothing itself: "第一，",
# "首先", "2)", "Second,", and a generic heading ("局限：", "Why it helps:"). Content headings
# ("计算量和显存：", "关于 λ：") name the claim's subject and stay; so do the words that go on
# to a next step or point ("然后", "另外", "最后", "also"), which read as part of the claim.
_LEAD = re.compile(
    r"^\s*(?:"
    r"(?:(?:局限|缺点|优点|好处|坏处|原因|注意|总结|结论|先说结论|简单说|具体做法是?|步骤是?|做法是?"
    r"|limitations?|pros|cons|why it helps|in short|in practice|bottom line|summary)\s*[:：]\s*)"
    r"|(?:第[一二三四五六七八九十]+|首先|其次|[一二三四五]是)\s*[，,、:：]?\s*"
    r"|(?:\d|[①②③④⑤⑥⑦⑧⑨])\s*[.、)）]\s*"
    r"|(?:first(?:ly)?|second(?:ly)?|third(?:ly)?)\s*,\s*"
    r")+",
    re.IGNORECASE,
)


def bare_claim(clause: str) -> str:
    """``clause`` without what orders or heads it (_LEAD), as it is embedded: "局限：第一，k 要事先
    指定" reads 0.45 to "簇的个数 k 要事先指定" and "k 要事先指定" 0.68. The whole clause when
    nothing would be left."""
    bare = _LEAD.sub("", clause, count=1)
    return bare if bare.strip() else clause


# A clause that only gives examples of what the one before it says.
_EXAMPLES = re.compile(
    r"\s*(?:比如|例如|譬如|像是|(?:such as|e\.g\.|for example|for instance|like)\b)", re.IGNORECASE
)


def _enumeration(clause: str) -> bool:
    """Whether ``clause`` only lists names ("决策树、随机森林、XGBoost 这些"): the examples of
    what the clause before it says, without a claim of their own."""
    listed = re.sub(r"(这些|那些|等等|等|之类的?)\s*$", "", clause.strip())
    items = [i.strip() for i in listed.split("、")]
    return len(items) > 1 and all(0 < len(i) <= 12 and not _VERBISH.search(i) for i in items)


# A word that makes a list item a claim rather than a name.
_VERBISH = re.compile(r"[是有会要用能让把被不没]|\b(is|are|has|have|use[sd]?|can|not)\b")


_STOPWORDS = frozenset(
    "the a an and or but of to in on at for with by from as is are was were be been being it its "
    "this that these those you your we our they their he she i me my so if then than when which "
    "who what how why can could will would should may might must do does did done have has had "
    "not no just only also very more most less much many some any all each every one two into "
    "out over about after before up down because there here them us".split()
)


def content_words(text: str) -> set[str]:
    """Lower-cased English content words (crudely singularised) and Chinese character pairs."""
    words = set()
    for token in re.findall(r"[A-Za-z][A-Za-z-]+", text):
        token = token.lower()
        if token not in _STOPWORDS and len(token) > 2:
            words.add(token[:-1] if token.endswith("s") and len(token) > 3 else token)
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    return words


def sentence_ends(text: str) -> bool:
    """Whether a sentence ends inside ``text`` (before its last character)."""
    return _SENTENCE_END.search(text) is not None


# Words that open a clause carrying on the one before it ("..., and then train a linear SVM on
# them"), rather than a new claim with its own subject ("..., recall is ...").
_CONTINUES = re.compile(
    r"^\W*(?:and|then|so|which|before|after|until|or|thus|hence|therefore)\b"
    r"|^\W*(?:然后|再|所以|并且|而且|之后|从而|因此|接着|并|才|就)",
    re.IGNORECASE,
)


def continues(clause: str) -> bool:
    """Whether ``clause`` opens with a word that carries on the clause before it."""
    return _CONTINUES.match(clause) is not None


_REFERS_BACK = re.compile(
    r"\b(?:vice versa|the other way (?:a)?round|conversely|the reverse|the opposite)\b"
    # ...or whose subject is only "that layer" (这一层): what it says of it is said of the layer
    # the clause before names ("…then a fully connected layer; that layer's weights grow about
    # fourfold" is not "the parameters quadruple").
    r"|\b(?:that|this|the same) layer\b|这一层|这层|该层|那一层"
    r"|反过来|反之|相反|倒过来",
    re.IGNORECASE,
)


def refers_back(clause: str) -> bool:
    """Whether ``clause`` takes its meaning from the one before ("and vice versa", "反之")."""
    return _REFERS_BACK.search(clause) is not None


# Not "when": "high variance is when the model is too simple," is a definition.
_CONDITION = re.compile(
    r"\b(?:if|unless|except\s+(?:when|where|if)|in\s+case)\b|如果|假如|要是|若是|只要|除非|例外是"
    r"|的情况下?$",
    re.IGNORECASE,
)
# Marks a clause ends on when what follows from it is still to come.
_CUT_OFF = frozenset({",", ":", "，", "：", "、"})
# ...and every mark a clause of a unit ends on: a unit with none of them is one clause.
_CLAUSE_MARK = re.compile("[" + re.escape("".join(sorted(_CUT_OFF | {";", "；"}))) + "]")


def only_condition(clause: str) -> bool:
    """Whether ``clause`` is a condition cut off before what follows from it ("the catch is if
    the network ends in a fully connected layer:", "如果后面接了全连接层，"), or ends on one
    ("模型输出一个分数，阈值调高，"): it states nothing."""
    stripped = clause.rstrip()
    body = stripped[:-1]
    if stripped[-1:] not in _CUT_OFF:
        return False
    # A bare adjustment a candidate makes ("阈值调高", "把 threshold 调低") is the condition of
    # what the next clause says, however many clauses came before it in the unit.
    clauses = _CLAUSE_MARK.split(body)
    return _ADJUSTED.fullmatch(clauses[-1].strip()) is not None or (
        len(clauses) == 1 and _CONDITION.search(body) is not None
    )


_ADJUSTED = re.compile(r"(?:把\s*)?[^\s，,。]{1,12}?\s*(?:调高|调低|调大|调小)(?:一点|一些)?")


# A condition that a following clause of the same sentence depends on: "特征尺度差别大时…，",
# "如果不做缩放，", "when the features are on different scales,". Unlike _CONDITION, "when" and
# 时 count: the clause after it is not a definition, only what follows from the condition.
_CONDITION_BEFORE = re.compile(
    r"如果|假如|要是|若|当(?![前然中成做作])|(?<![同及随按准])时(?![间序刻])|的时候|的话"
    r"|\b(?:when|if|unless|once|without)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[，,；;：:]\s*$")


def follows_condition(text: str, start: int) -> bool:
    """Whether the clause at ``start`` of ``text`` follows, in the same sentence, a clause that
    sets a condition: "收敛很慢" after "特征尺度差别大时损失曲面又扁又长" is said of unscaled
    features. Which way round such a clause is depends on both clauses."""
    before = text[:start]
    if not _CLAUSE_END.search(before):
        return False
    previous = re.split(r"[。！？.!?]", before)[-1]
    return _CONDITION_BEFORE.search(previous) is not None
