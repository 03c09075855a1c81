"""Words whose exchange turns a true statement into a false one, and the test the grader puts a
contradiction through before it believes one.

The judge (judge.py) reads a key point and a clause together, but a small cross-encoder also
calls many *incomplete* clauses contradictions ("PCA is an unsupervised linear method" against
a point about its uses and limits). Candidates' confident mistakes are mostly one of a few
shapes: the opposite quantity or direction ("too high" for "too low"), the other one of a pair
("weights" for "activations", "precision" for "recall"), or the point denied. So a clause
contradicts a key point only when the judge says so *and* the clause says the opposite of a
word of the point. The same lists make the swapped pairs the judge is
trained on (benchmarks/train_judge.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# Opposites whose exchange turns a true statement into a false one. Longer phrases first, so
# "too high" is swapped as a whole before "high".
OPPOSITES_EN = [
    ("too high", "too low"),
    ("higher", "lower"),
    ("high", "low"),
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("more", "fewer"),
    ("many", "few"),
    ("larger", "smaller"),
    ("large", "small"),
    ("bigger", "smaller"),
    ("big", "small"),
    # Across degrees: "small C gives a wider margin" reverses "a larger C gives a wider margin".
    ("larger", "small"),
    ("large", "smaller"),
    ("bigger", "small"),
    ("big", "smaller"),
    # ...and across the two ways to say a magnitude: "with a big learning rate training is
    # slow" reverses "too low a learning rate makes training slow".
    ("high", "small"),
    ("high", "tiny"),
    ("low", "big"),
    ("low", "large"),
    ("higher", "smaller"),
    ("lower", "bigger"),
    ("lower", "larger"),
    ("too high", "too small"),
    ("too low", "too big"),
    ("too low", "too large"),
    ("faster", "slower"),
    ("fast", "slow"),
    ("overfitting", "underfitting"),
    ("overfits", "underfits"),
    ("overfit", "underfit"),
    # ...and across their forms: "the model overfits" against "high bias means underfitting".
    ("overfits", "underfitting"),
    ("overfitting", "underfits"),
    ("overfit", "underfitting"),
    ("overfitting", "underfit"),
    ("before", "after"),
    ("positive", "negative"),
    ("positives", "negatives"),
    ("maximum", "minimum"),
    ("above", "below"),
    ("raising", "lowering"),
    ("raise", "lower"),
    ("wider", "narrower"),
    ("deep", "shallow"),
    ("precision", "recall"),
    ("forward", "backward"),
    ("always", "never"),
    ("independent", "dependent"),
    ("balanced", "imbalanced"),
    ("balance", "imbalance"),
    ("supervised", "unsupervised"),
    ("weights", "activations"),
    # Two names candidates swap: "an iteration is one full pass over the data".
    ("epoch", "iteration"),
    ("epochs", "iterations"),
    ("parameters", "hyperparameters"),
    ("parameter", "hyperparameter"),
    ("linear", "non-linear"),
    ("sequentially", "independently"),
    ("exact", "approximate"),
    ("sparse", "dense"),
    ("local", "global"),
    ("L1", "L2"),
    ("too small", "too large"),
    ("slowly", "quickly"),
    ("diverges", "converges"),
    ("diverge", "converge"),
    ("lowest", "highest"),
    ("least", "most"),
    ("less", "more"),
    ("increasing", "decreasing"),
    ("rises", "falls"),
    ("same", "different"),
    # "What changes is the first fully connected layer" against "…stays the same, including
    # the fully connected layers".
    ("same", "changes"),
    ("unchanged", "changes"),
    ("true", "false"),
    ("correct", "incorrect"),
    ("without", "with"),
    ("can", "cannot"),
    ("needs", "does not need"),
    ("smaller", "larger"),
    ("short", "long"),
    ("shorter", "longer"),
    ("early", "late"),
    ("inside", "outside"),
    ("series", "parallel"),
    ("open", "closed"),
    ("attract", "repel"),
    ("heavier", "lighter"),
    ("hotter", "colder"),
    # A name candidates swap in textbook answers: "F1 is the arithmetic mean of P and R".
    # (Not "majority"/"minority" nor "oversampling"/"undersampling": right answers name both,
    # and 13 of them lost credit for it.)
    ("harmonic", "arithmetic"),
]
OPPOSITES_ZH = [
    ("太大", "太小"),
    ("越大", "越小"),
    ("变大", "变小"),
    ("更大", "更小"),
    ("很慢", "很快"),
    ("较高", "较低"),
    ("增加", "减少"),
    ("增大", "减小"),
    ("上升", "下降"),
    ("提高", "降低"),
    ("过拟合", "欠拟合"),
    ("偏差", "方差"),
    ("精确率", "召回率"),
    ("前向", "反向"),
    ("训练集", "测试集"),
    ("激活", "权重"),
    ("有监督", "无监督"),
    ("线性", "非线性"),
    ("全局", "局部"),
    ("稀疏", "稠密"),
    ("发散", "收敛"),
    ("最大", "最小"),
    ("相同", "不同"),
    ("需要", "不需要"),
    ("可以", "不能"),
    ("一定", "不一定"),
    ("之前", "之后"),
    # A magnitude said one way against the other end said another: "太大" for a point's
    # "太低" (a learning rate is called high or large, low or small).
    ("太大", "太低"),
    ("太高", "太小"),
    ("越大", "越低"),
    ("越高", "越小"),
    ("大", "小"),
    ("高", "低"),
    ("快", "慢"),
    ("多", "少"),
    ("调和平均", "算术平均"),
]


# Pairs of names (not quantities) a candidate swaps, saying of one what is true of the other:
# "L2 gives sparse models", "an epoch is one update step". English, lower case, as exchanged()
# returns them.
NAMED_PAIRS = frozenset(
    frozenset(pair)
    for pair in (
        ("precision", "recall"),
        ("weights", "activations"),
        ("epoch", "iteration"),
        ("epochs", "iterations"),
        ("parameters", "hyperparameters"),
        ("parameter", "hyperparameter"),
        ("supervised", "unsupervised"),
        ("l1", "l2"),
        ("overfitting", "underfitting"),
        ("overfits", "underfits"),
        ("overfit", "underfit"),
        ("sparse", "dense"),
        ("local", "global"),
        ("exact", "approximate"),
    )
)


# Pairs that make good swapped training pairs but that a right answer also exchanges: "with
# no labels" is "without labels", and the rest are negations in disguise (see opposed()).
NOT_TRUSTED = frozenset(
    {
        ("without", "with"),
        ("can", "cannot"),
        ("needs", "does not need"),
        ("same", "different"),
        ("true", "false"),
        ("correct", "incorrect"),
        ("需要", "不需要"),
        ("可以", "不能"),
        ("一定", "不一定"),
        ("相同", "不同"),
    }
)


# Words in which one of the one-character opposites (大/小, 高/低, 快/慢, 多/少) is no quantity
# of anything: "冲过最低点" (past the lowest point) says nothing "low", "小批量" is a mini-batch
# and "大小" a size. They are blanked out before those characters are looked for. So are
# superlatives, which pair only with each other (最大/最小): "要选总误差最小的复杂度" says nothing
# "small" of the variance that "模型越复杂 variance 越大" makes large.
_COMPOUNDS_ZH = re.compile(
    "最大|最小|最高|最低|最多|最少|最快|最慢|最优点|大部分|大多数|大量|大概|大约|大家|大小|多少|至少|很多|许多|多个|多种"
    "|多层|多次|多分类|多数类|少数类|高斯|小批量|一大批|一小批|小部分"
)


def _names(text: str, name: str) -> bool:
    """Whether ``text`` uses ``name``: English as a whole word in any case, Chinese anywhere."""
    if name.isascii():
        return _whole_word(name).search(text) is not None
    return name in text


def _names_any(text: str, side: frozenset[str]) -> bool:
    """Whether ``text`` uses any of the names of ``side`` (as _names() reads them)."""
    return any(_names(text, name) for name in side)


def _last_use(text: str, name: str) -> int:
    """Where ``text`` last uses ``name`` (as _names() reads it), or -1."""
    if name.isascii():
        return max((m.start() for m in _whole_word(name).finditer(text)), default=-1)
    return text.rfind(name)


@lru_cache(maxsize=1024)
def _whole_word(name: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def mentioned(text: str) -> frozenset[str]:
    """The words of both lists that ``text`` uses (English as whole words, any case)."""
    found = set()
    for a, b in OPPOSITES_EN:
        for word in (a, b):
            if _names(text, word):
                found.add(word.lower())
    plain = _COMPOUNDS_ZH.sub("·", text)
    for a, b in OPPOSITES_ZH:
        for word in (a, b):
            if word in (plain if len(word) == 1 else text):
                found.add(word)
    return frozenset(found)


# The grader asks about the same (key point, clause) pairs while judging and while crediting.
@lru_cache(maxsize=8192)
def restored(statement: str, clause: str) -> str | None:
    """``clause`` with the opposite it exchanged put back, or None when it exchanged none.

    A clause exchanges an opposite when it uses one word of a pair that the statement does not,
    while the statement uses the other one that the clause does not ("too high" where the point
    says "too low"). Code-switched clauses are checked against both lists. Putting the word
    back is the test: "too low a learning rate makes training slow" restored from "too high …"
    says the point, so the original said its opposite; a list that mentions "before the split"
    next to a point about features known "after the outcome" restored says nothing of the kind.

    A bare denial ("it does not reduce overfitting") does not count: right answers say what
    something does *not* do as often as wrong ones ("activations, not its weights"; "never the
    test set"), and the judge cannot tell them apart reliably (7 of 50 model answers flagged
    with negation counted, none without). Listed misconceptions still catch denials."""
    pair = exchanged(statement, clause)
    if pair is None:
        return None
    mine, theirs = pair
    if not mine.isascii():
        return clause.replace(mine, theirs)
    return re.sub(rf"\b{re.escape(mine)}\b", theirs, clause, flags=re.IGNORECASE)


@lru_cache(maxsize=8192)
def exchanged(statement: str, clause: str) -> tuple[str, str] | None:
    """(the clause's word, the statement's opposite of it) of the first pair the clause
    exchanges (see restored()), English words in lower case; None when it exchanges none."""
    said, point = mentioned(clause), mentioned(statement)
    # Only the pairs the clause uses a word of can be exchanged, in the lists' order.
    for _order, (a, b) in sorted(
        {entry for word in said for entry in _PAIRS_BY_WORD.get(word, ())}
    ):
        for mine, theirs in ((a, b), (b, a)):
            if (
                mine in said
                and not _uses(point, mine)
                and theirs in point
                and not _uses(said, theirs)
                and not _same_magnitude(point, mine)
                and not _same_magnitude(said, theirs)
                and not (mine == "changes" and _NO_CHANGE.search(clause))
            ):
                return mine, theirs
    return None


def _index_pairs() -> dict[str, list[tuple[int, tuple[str, str]]]]:
    """Each word of a trusted pair (English in lower case) -> (position, pair) of its pairs."""
    index: dict[str, list[tuple[int, tuple[str, str]]]] = {}
    for order, (a, b) in enumerate((*OPPOSITES_EN, *OPPOSITES_ZH)):
        if (a, b) in NOT_TRUSTED:
            continue
        pair = (a.lower(), b.lower()) if a.isascii() else (a, b)
        for word in set(pair):
            index.setdefault(word, []).append((order, pair))
    return index


# exchanged() runs for every key point and clause of every answer: it looks up the pairs a
# clause can exchange instead of trying all of them (a fifth of a batch's time before).
_PAIRS_BY_WORD = _index_pairs()


# "nothing changes" says "the same": no exchange of "changes" for it.
_NO_CHANGE = re.compile(r"\b(?:nothing|not|no|never)\s+(?:\w+\s+)?changes\b", re.IGNORECASE)


# The two ends of a magnitude, each said several ways.
_MAGNITUDES = (
    frozenset(
        {"high", "higher", "large", "larger", "big", "bigger", "too high", "too large", "too big"}
    ),
    frozenset({"low", "lower", "small", "smaller", "tiny", "too low", "too small"}),
    frozenset({"大", "高", "太大", "太高", "越大", "越高", "更大", "更高", "较高"}),
    frozenset({"小", "低", "太小", "太低", "越小", "越低", "更小", "更低", "较低"}),
)


def _same_magnitude(point: frozenset[str], word: str) -> bool:
    """Whether the statement already says ``word``'s end of a magnitude in other words: "steps
    are large early and small at the end" has "small", so a clause's "too low" exchanges
    nothing of it. Also asked of the clause: "太高会震荡，太低收敛很慢" says the "太大" of "学习率
    太大会发散" as "太高", so its "太低" exchanges nothing."""
    return any(word in end and point & end for end in _MAGNITUDES)


def _uses(words: frozenset[str], word: str) -> bool:
    """Whether ``words`` has ``word`` in either number: "Iterations per epoch equal…" uses
    "iteration" too, so "iteration 数等于样本数除以 batch size" exchanges nothing of it."""
    return word in words or f"{word}s" in words or (word.endswith("s") and word[:-1] in words)


def contrasts(first: str, second: str) -> bool:
    """Whether ``second`` uses the opposite of a word that ``first`` uses, each without the
    other's word: "too low a learning rate is slow" then "too high, it diverges". Such clauses
    are two claims however short the sentence holding them, and each must be read alone, or
    the sentence states both halves of every point it touches, right way round or not."""
    return exchanged(second, first) is not None


def opposed(statement: str, clause: str) -> bool:
    """Whether ``clause`` exchanges an opposite of a word of ``statement`` (see restored())."""
    return restored(statement, clause) is not None


_NEXT_WORD = re.compile(r"\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(\w+)")


def _bound(text: str, word: str) -> set[str]:
    """The words that follow ``word`` in ``text`` (lowercase, past an article): what it
    qualifies, in "high variance" or "too low a learning rate"."""
    found = set()
    for match in re.finditer(rf"\b{re.escape(word)}\b", text, flags=re.IGNORECASE):
        after = _NEXT_WORD.match(text, match.end())
        if after:
            found.add(after.group(1).lower())
    return found


@lru_cache(maxsize=8192)
def reverses(statement: str, clause: str) -> bool:
    """Whether ``clause`` pairs a word with the opposite of what ``statement`` pairs it with:
    "simple models have high bias and low variance" against "a simple model has high
    variance". restored() needs the clause to lack the statement's word altogether, and this
    clause has "high" (of bias): the pairing is what tells them apart. English only: Chinese
    puts the quantity after the noun, often with an adverb between (方差越大)."""
    for a, b in OPPOSITES_EN:
        if (a, b) in NOT_TRUSTED:
            continue
        for mine, theirs in ((a, b), (b, a)):
            wanted = _bound(statement, theirs) - _bound(statement, mine)
            if wanted & (_bound(clause, mine) - _bound(clause, theirs)):
                return True
    return False


# Things a mistake is often said of, each with the counterpart the same words are true of:
# "logistic regression predicts a continuous value" is a mistake, "linear regression predicts a
# continuous target" is not. (Not 参数 / 超参数: the one is inside the other.)
SUBJECTS = (
    ("logistic regression", "linear regression"),
    ("逻辑回归", "线性回归"),
    ("random forest", "boosting"),
    ("random forest", "gradient boosting"),
    ("forest", "boosting"),
    ("random forest", "gbdt"),
    ("random forest", "xgboost"),
    ("随机森林", "梯度提升"),
    ("森林", "提升"),
    ("随机森林", "boosting"),
    ("随机森林", "gbdt"),
    ("随机森林", "xgboost"),
    ("bagging", "boosting"),
    ("precision", "recall"),
    ("精确率", "召回率"),
    # Across languages, as code-switched answers mix them ("recall 是真实正样本里…").
    ("precision", "召回率"),
    ("精确率", "recall"),
    ("bias", "方差"),
    ("偏差", "variance"),
    ("logistic regression", "线性回归"),
    ("逻辑回归", "linear regression"),
    ("查准率", "查全率"),
    ("l1", "l2"),
    ("bias", "variance"),
    ("偏差", "方差"),
    ("epoch", "iteration"),
    ("roc", "pr"),
    ("training set", "test set"),
    ("训练集", "测试集"),
    # What grows with the image and what does not: "计算量大概是 4 倍" is not "the parameters
    # quadruple".
    ("parameters", "compute"),
    ("parameters", "flops"),
    ("parameters", "feature map"),
    ("parameters", "feature maps"),
    ("参数", "计算量"),
    ("参数", "特征图"),
    ("parameters", "计算量"),
    ("参数", "compute"),
    # When BN uses the batch's statistics and when the running ones: "训练的时候用当前 batch
    # 的统计量" is not "推理时也用当前 batch 的统计量".
    ("at inference", "during training"),
    ("at test time", "at training time"),
    ("推理时", "训练时"),
    ("推理的时候", "训练的时候"),
    ("at inference", "训练时"),
    ("推理时", "during training"),
    ("推理时", "训练的时候"),
    ("推理的时候", "训练时"),
)


def names_counterpart(
    statements: Sequence[str], clause: str, terms: Sequence[str] = (), before: str = ""
) -> bool:
    """Whether ``clause`` is about the counterpart of what the statements (a mistake in its
    languages) are about: it names the other one of a pair in SUBJECTS, and not the one they
    name; or it names both, each opening its own part, and the mistake's ``terms`` are said
    in the counterpart's part ("linear regression predicts numbers and logistic regression
    predicts classes"); or it names neither, and the last of the two named ``before`` it is
    the counterpart ("Gradient boosting is sequential… it can overfit if you keep adding
    trees" is not "adding trees to a random forest overfits"). A name counts in any of the
    words it goes by (_side: "random forest", "forest", "随机森林"). The embeddings hardly see
    which of the two a sentence is about."""

    names = _names_any
    last = _last_sentence(before)
    for mine, theirs in _SIDES:
        said_of = any(names(s, theirs) for s in statements) and not any(
            names(s, mine) for s in statements
        )
        if not said_of:
            # A mistake that names both is about the one it opens with ("Logistic regression
            # is trained with MSE, just like linear regression"), and a clause that opens with
            # the other and never names that one is about the other ("linear regression
            # 预测连续值，loss 用 MSE").
            # So is a clause that names neither, after a sentence that opened with the other
            # ("Linear regression predicts a value, and it's fit by minimizing MSE"). Where the
            # mistake only likens its subject to the other, whatever the answer last said
            # something of, before the words of the mistake, is what they are said of
            # ("调参上，随机森林基本开箱即用，树加多了也不会过拟合" against "梯度提升和随机森林
            # 一样不会过拟合"), however far back ("A random forest is bagging… That makes it
            # robust; adding more trees doesn't overfit").
            if not all(_opens_with(s, theirs) for s in statements):
                continue
            if not names(clause, theirs) and (
                _opens_with(clause, mine)
                or (
                    not names(clause, mine)
                    and not _BOTH.search(clause)
                    and _opens_with(last, mine)
                    and not names(last, theirs)
                )
                or (
                    all(_compared_with(s, theirs) for s in statements)
                    and not _BOTH.search(clause)
                    and _about(before, clause, statements, mine, theirs)
                )
            ):
                return True
            # ...and a clause that names both says the mistake's terms of the one whose part
            # they are in ("损失函数也不一样，线性回归是均方误差，逻辑回归是交叉熵").
            if (
                names(clause, mine)
                and terms
                and _said_in_part_of(clause, mine, theirs, terms)
                and _says_something_of(clause, theirs)
            ):
                return True
            continue
        if not names(clause, mine):
            if (
                not names(clause, theirs)
                and not _BOTH.search(clause)
                and _last_named(before, mine, theirs) == "mine"
            ):
                return True
            continue
        if not names(clause, theirs):
            return True
        if terms and _said_in_part_of(clause, mine, theirs, terms):
            return True
    return False


# What a clause may name a thing of SUBJECTS by, where only the sides of one pair matter (not
# names of their own: "high bias means overfitting" is a mistake about bias).
_SEEN_AS = {
    "bias": ("underfitting", "underfits", "欠拟合"),
    "variance": ("overfitting", "overfits", "过拟合"),
}


# A change against the level it leads to: "lowering the threshold flags more items" reverses
# the mistake "a higher threshold flags more items". Only for mistakes: a key point worded as a
# level ("a higher threshold raises precision") is stated by an answer that says what lowering
# it does as often as not.
CHANGES_EN = (
    ("higher", "lowering"),
    ("lower", "raising"),
    ("high", "lowering"),
    ("low", "raising"),
)


def changes_the_other_way(statement: str, clause: str) -> bool:
    """Whether ``clause`` says a change towards the opposite of the level ``statement`` says,
    and neither says the other's word (CHANGES_EN)."""
    said, point = mentioned(clause), mentioned(statement)
    return any(
        mine in said and theirs in point and not _uses(point, mine) and not _uses(said, theirs)
        for a, b in CHANGES_EN
        for mine, theirs in ((a, b), (b, a))
    )


def said_of_the_other(
    wording: str, clause: str, before: str, statements: Sequence[str] = ()
) -> bool:
    """Whether ``clause`` is about the counterpart of what ``wording`` (the mistake's wording it
    matches best) is about: it names that counterpart and not the other, and likens nothing
    to it, or names neither and follows a sentence part that names the counterpart.
    "要加特征或换更复杂的模型" after "训练误差本身就高，说明 bias 大，" is said of bias, so
    it is not the mistake "过拟合的话就换一个更大更复杂的模型" (overfitting is high variance),
    the mirror image of "bias 高就多收集数据".
    Not when a statement of the mistake (``statements``) names both, as "the compute and the
    memory stay the same, just like the parameters" does: that mistake is about either. (A
    statement that opens with one and likens it to the other, "逻辑回归和线性回归一样，用均方误差
    来训练", is about the one it opens with.)"""
    last = _last_sentence(before)

    def names(text: str, side: frozenset[str]) -> bool:
        return _names_any(text, side | _seen_as(side))

    for mine, theirs in _SIDES:
        if not names(wording, theirs) or names(wording, mine) or names(clause, theirs):
            continue
        # (By their own names: "A high-bias model overfits" names bias, and says "overfits" of
        # it.)
        if any(
            _names_any(s, mine) and _names_any(s, theirs) and not _compared_with(s, theirs)
            for s in statements
        ):
            continue
        # The clause is about "mine": it names it, where the wording is about the other:
        # "训练误差很低、验证误差高很多，是过拟合" is about variance, against "训练误差和验证误差
        # 差距很大，说明是高偏差". Unless the clause only likens something to it ("x 增加 1，
        # probability 就增加 w，和线性回归的解释一样" is about logistic regression, compared
        # with the linear one)...
        if names(clause, mine):
            if not _LIKENED.search(clause):
                return True
            continue
        # ...or names neither and follows a sentence part that names it ("说明 bias 大，要加特征").
        if not _BOTH.search(clause) and names(last, mine) and not names(last, theirs):
            return True
    return False


# What makes the second name of a statement a comparison: "逻辑回归和线性回归一样，用均方误差来
# 训练" is about logistic regression; the linear one is only what it is likened to.
_LIKENED = re.compile(r"一样|相同|同样|\b(?:just\s+like|same\s+as|like|as\s+with|as\s+in)\b", re.I)


def _compared_with(statement: str, side: frozenset[str]) -> bool:
    """Whether ``statement`` opens with a name of ``side`` and likens it to something else: it
    is about that side alone, whatever else it names."""
    return _opens_with(statement, side | _seen_as(side)) and bool(_LIKENED.search(statement))


def _seen_as(side: frozenset[str]) -> frozenset[str]:
    """The other names (_SEEN_AS) a clause may call the things of ``side`` by."""
    return frozenset(alias for name in side for alias in _SEEN_AS.get(name, ()))


def _says_something_of(clause: str, side: frozenset[str]) -> bool:
    """Whether a part of ``clause`` opens with a name of ``side`` and goes on to say something
    of it: "逻辑回归是交叉熵", not the bare "Precision" of "Precision and recall add up to one"."""
    return any(
        part.startswith(name.lower()) and re.search(r"\w{2}", part[len(name) :])
        for part in _parts(clause)
        for name in side
    )


def _about(
    before: str,
    clause: str,
    statements: Sequence[str],
    mine: frozenset[str],
    theirs: frozenset[str],
) -> bool:
    """Whether the last sentence part that names either side, up to the clause's part most
    like the statements, says something of ``mine`` and does not name ``theirs``."""
    said = set(_TOKEN.findall(" ".join(statements).lower()))
    pieces = [p for p in _PARTS.split(clause) if p.strip()] or [clause]
    core = max(pieces, key=lambda p: len(set(_TOKEN.findall(p.lower())) & said))
    opened = _last_part_naming(
        before + " " + clause[: clause.find(core) + len(core)], mine | theirs
    )
    return _says_something_of(opened, mine) and not _names_any(opened, theirs)


def _last_part_naming(text: str, names: frozenset[str]) -> str:
    """The last sentence part of ``text`` that names one of ``names``, lower-cased and past
    its opener ("" when none does)."""
    parts = [part for sentence in _SENTENCE.split(text) for part in _parts(sentence)]
    return next((part for part in reversed(parts) if _names_any(part, names)), "")


# Where a sentence ends: _last_sentence and _last_part_naming cut there.
_SENTENCE = re.compile(r"(?<=[.!?。！？；;])\s*")
_TOKEN = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]")


def _last_sentence(text: str) -> str:
    """The sentence ``text`` ends in (all of it when it ends none)."""
    return _SENTENCE.split(text.strip())[-1] if text.strip() else ""


def _opens_with(text: str, side: frozenset[str]) -> bool:
    """Whether ``text`` opens with one of the names of ``side`` (past "the", "so"…)."""
    return _starts_with_name(_OPENERS.sub("", text, count=1).lower(), side)


def _starts_with_name(opening: str, side: frozenset[str]) -> bool:
    """Whether the lower-cased ``opening`` starts with one of the names of ``side``."""
    return _opening_name(opening, side) is not None


def _opening_name(opening: str, side: frozenset[str]) -> str | None:
    """The name of ``side`` the lower-cased ``opening`` starts with, if any."""
    return next((name for name in side if opening.startswith(name.lower())), None)


# A clause about both of them ("Both can't overfit", "两者都…") is about neither one alone.
_BOTH = re.compile(r"\b(both|either|neither)\b|两者|二者|两个都|都是", re.IGNORECASE)


@lru_cache(maxsize=256)
def _side(name: str) -> frozenset[str]:
    """``name`` and every other name it goes by: the names that stand against the same
    counterparts, in either language ("forest", "bagging", "随机森林" for "random forest")."""
    side = {name}
    while True:
        against = {y for a, b in SUBJECTS for x, y in ((a, b), (b, a)) if x in side}
        more = {x for a, b in SUBJECTS for x, y in ((a, b), (b, a)) if y in against} - side
        if not more:
            return frozenset(side)
        side |= more


# Each pair of SUBJECTS once, as the two sides of every name ("random forest" against
# "boosting" stands for "随机森林" against "GBDT" as well), both ways round.
_SIDES = tuple(
    dict.fromkeys(
        (_side(mine), _side(theirs)) for a, b in SUBJECTS for mine, theirs in ((a, b), (b, a))
    )
)


def _last_named(text: str, mine: frozenset[str], theirs: frozenset[str]) -> str | None:
    """Which side ``text`` names last, "mine" or "theirs" (None for neither): what a
    following clause that names neither ("…, can overfit if you keep adding trees") is still
    about."""

    def last(names: frozenset[str]) -> int:
        return max(_last_use(text, name) for name in names)

    pm, pt = last(mine), last(theirs)
    if pm == pt:
        return None
    return "mine" if pm > pt else "theirs"


# Where a sentence of two subjects turns from one to the other: "A does this and B does that",
# "A 用来…，B 用来…", or past a heading ("区别是任务不同：线性回归预测连续值，逻辑回归做分类").
_PARTS = re.compile(r"[,;:，；：、]|\s(?:and|while|whereas|but)\s|而|但")
_OPENERS = re.compile(
    r"^\s*(?:(?:the|a|an|so|then|whereas|while|and|but)\b|而|但|则|然后|所以|因此|那么|而且|并且)?\s*",
    re.IGNORECASE,
)


def _parts(clause: str) -> list[str]:
    """The parts of ``clause`` where it may turn from one subject to the other, lower-cased,
    past their openers ("the", "而"…)."""
    return [_OPENERS.sub("", p, count=1).lower() for p in _PARTS.split(clause) if p.strip()]


def _said_in_part_of(
    clause: str, mine: frozenset[str], theirs: frozenset[str], terms: Sequence[str]
) -> bool:
    """Whether every part of ``clause`` that uses one of ``terms`` belongs to ``mine`` (opens
    with it, or follows a part that does), and some part opens with ``theirs``: the terms are
    said of ``mine``."""
    parts = _parts(clause)

    def uses_term(part: str) -> bool:
        return any(t.lower() in part for t in terms)

    # A part that opens with neither name belongs to the last one opened: in "recall is, of
    # all the real positives, how many I caught" the terms are still said of recall.
    owner, owners = None, []
    for part in parts:
        if _starts_with_name(part, mine):
            owner = mine
        elif _starts_with_name(part, theirs):
            owner = theirs
        owners.append(owner)
    with_terms = [o for p, o in zip(parts, owners) if uses_term(p)]
    return (
        bool(with_terms)
        and all(o == mine for o in with_terms)
        and any(_starts_with_name(p, theirs) for p in parts)
    )


# Each pair of SUBJECTS' sides once, in one order: the two things a candidate may define the
# wrong way round in one sentence.
SIDE_PAIRS = tuple(dict.fromkeys(tuple(sorted(pair, key=sorted)) for pair in _SIDES))


def said_of_each(
    text: str, first: frozenset[str], second: frozenset[str], defined: bool = False
) -> tuple[str | None, str | None]:
    """What ``text`` says of each of two things, with every name of both blanked out: the
    parts that open with a name of ``first`` (with the parts after them, up to one that opens
    with a name of ``second``), then those of ``second``; None for a side nothing is said of.
    "bias is how much your predictions move around…, and variance is the systematic error…"
    gives ("it is how much your predictions move around…", "it is the systematic error…").

    ``defined``: only parts that say what the thing *is* open a side ("recall is…", "recall
    是…"), not what happens to it ("recall goes up but…", a trade-off, not a definition)."""
    owner, said = None, {0: [], 1: []}
    for part in _parts(text):
        for side, names in enumerate((first, second)):
            name = _opening_name(part, names)
            if name is not None:
                opens = not defined or _DEFINES.match(part[len(name) :]) is not None
                owner = side if opens else None
                break
        if owner is not None:
            said[owner].append(_blank_names(part, first | second))
    return tuple(" ".join(said[side]) or None for side in (0, 1))  # type: ignore[return-value]


def crosses(statement: str, clause: str) -> bool:
    """Whether ``clause`` gives each of two named things what ``statement`` gives the other,
    both being names of SUBJECTS: "bagging 比如随机森林主要降 variance，boosting 主要是一步步降
    bias" crosses "bagging、随机森林主要是降低 bias 的，boosting 主要是降低 variance 的", the
    reverse of it, however alike the two read."""
    for first, second in _SIDES:
        said = said_of_each(statement, first, second)
        told = said_of_each(clause, first, second)
        if None in said or None in told:
            continue
        for this, that in _SIDES:
            if this & (first | second) or that & (first | second):
                continue
            if (
                _names_only(said[0], this, that)
                and _names_only(said[1], that, this)
                and _names_only(told[0], that, this)
                and _names_only(told[1], this, that)
            ):
                return True
    return False


def _names_only(text: str, side: frozenset[str], other: frozenset[str]) -> bool:
    """Whether ``text`` names ``side`` and not ``other``."""
    return _names_any(text, side) and not _names_any(text, other)


# What follows a name in a sentence that defines it, perhaps after a word or two of its own
# ("the ROC curve is…", "L1 正则就是…").
_DEFINES = re.compile(
    r"(?:\s+[a-z][\w-]*){0,2}?\s*(?:is|are|means|measures|refers to|tells you)(?![a-z0-9_])"
    r"|\s*[^\sa-z]{0,4}?(?:是|指|就是|衡量|表示|说的是)|\s*[:=：]",
    re.IGNORECASE,
)


def _blank_names(text: str, names: frozenset[str]) -> str:
    """``text`` with each of ``names`` replaced by a pronoun: what is said, not of what."""
    for name in sorted(names, key=len, reverse=True):
        text = _whole_word(name).sub("it", text) if name.isascii() else text.replace(name, "它")
    return text
