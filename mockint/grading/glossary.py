"""The same technical word in English and in Chinese, for code-switched answers.

A Chinese engineer says "永远不会 overfit" as often as "永远不会过拟合": a rubric's terms are
written in one language or the other, so each term also matches with any glossary word in it
said in the other language, and spaces around Chinese characters do not count.
"""

from __future__ import annotations

import functools
import re

# (English, Chinese): the words candidates switch most often, in the form a term uses them
# (English stems where inflections vary: "overfit" matches "overfitting").
PAIRS: tuple[tuple[str, str], ...] = (
    ("overfit", "过拟合"),
    ("underfit", "欠拟合"),
    ("learning rate", "学习率"),
    ("test set", "测试集"),
    ("training set", "训练集"),
    ("validation set", "验证集"),
    ("threshold", "阈值"),
    ("precision", "精确率"),
    ("recall", "召回率"),
    ("accuracy", "准确率"),
    ("gradient", "梯度"),
    ("weight", "权重"),
    ("feature", "特征"),
    ("sample", "样本"),
    ("label", "标签"),
    ("regulariz", "正则"),
    ("normaliz", "归一化"),
    ("standardiz", "标准化"),
    ("variance", "方差"),
    ("bias", "偏差"),
    ("random forest", "随机森林"),
    ("independent", "独立"),
    ("parallel", "并行"),
    ("distance", "距离"),
    ("probability", "概率"),
    ("parameter", "参数"),
    ("inference", "推理"),
    ("dataset", "数据集"),
    ("data", "数据"),
    ("model", "模型"),
    ("loss", "损失"),
)

# A Chinese character (CJK unified ideographs, extension A and the compatibility block).
CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
# A space next to a Chinese character: "不会 overfit" and "不会overfit" are the same words.
_CJK_SPACE = re.compile(rf"(?<={CJK})\s+|\s+(?={CJK})")


@functools.lru_cache(maxsize=8192)
def tight(text: str) -> str:
    """``text`` without the spaces that touch Chinese characters."""
    return _CJK_SPACE.sub("", text)


@functools.lru_cache(maxsize=4096)
def with_translations(terms: tuple[str, ...]) -> tuple[str, ...]:
    """``terms`` (lower-cased, tight) and each with its glossary words said in the other
    language: "不会过拟合" also as "不会overfit", "more data" also as "more数据"."""
    out: dict[str, None] = {}
    for term in terms:
        t = tight(term.lower().strip())
        out[t] = None
        for en, zh in PAIRS:
            if zh in t:
                out[t.replace(zh, en)] = None
            elif re.search(rf"(?<![a-z]){re.escape(en)}", t) and re.search(CJK, t):
                # Only in a term that is already code-switched or Chinese: an English term
                # keeps its own words ("more data" stays English).
                out[t.replace(en, zh)] = None
    return tuple(out)


# Words candidates say in English inside Chinese sentences that the glossary's pairs do not
# name, for reading such a sentence as Chinese (``in_chinese``).
_SPOKEN: tuple[tuple[str, str], ...] = (
    ("diverg", "发散"),
    ("converg", "收敛"),
    ("oscillat", "震荡"),
    ("training", "训练"),
    ("imbalanc", "不平衡"),
    ("decision boundary", "决策边界"),
)


@functools.lru_cache(maxsize=1)
def _to_chinese() -> tuple[re.Pattern, dict[str, str]]:
    pairs = sorted(PAIRS + _SPOKEN, key=lambda p: -len(p[0]))
    pattern = re.compile(
        r"(?<![A-Za-z])(" + "|".join(re.escape(en) for en, _ in pairs) + r")[A-Za-z]*",
        re.IGNORECASE,
    )
    return pattern, {en: zh for en, zh in pairs}


def in_chinese(text: str) -> str:
    """A code-switched ``text`` with its glossary words said in Chinese ("learning rate 太小的话
    loss 会 diverge" as "学习率太小的话损失会发散"), the way the multilingual encoder reads
    Chinese best; a text without Chinese is returned as it is."""
    if not re.search(CJK, text):
        return text
    pattern, table = _to_chinese()
    chinese, n = pattern.subn(lambda m: table[m.group(1).lower()], text)
    return tight(chinese) if n else text
