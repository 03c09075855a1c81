"""What the candidate took back: a claim followed by "no wait, ..." or 不对不对，说反了.

Speaking, candidates correct themselves: "L2 会产生稀疏解……不对不对，说反了，是 L1 会产生稀疏解",
"if you raise the threshold recall goes up, no wait, the other way round, ...". An interviewer
grades what they settle on. Read as written, the retracted clause is a stated mistake: in the
spoken-answer set `data/blind/interview-blind44.jsonl` that L1/L2 answer, right after its
correction, scored 31/100 with "L1 produces sparse weights" named as contradicted.

:func:`retract` blanks the clause said just before a correction marker, and the marker, with
spaces: the same length, so every offset the grader reports (quotes, highlights) still points
into the answer as typed. Only a marker that opens a clause counts ("这样不对" or "the other way
round" inside a claim is content), and a retraction reaches back one clause at most, never past
a sentence end nor further than a clause's worth of words (an unpunctuated transcript has no
clause ends).
"""

from __future__ import annotations

import re

from mockint.grading.segmenter import word_weight, words_in

# Words a speaker puts before a correction ("oh, no wait", "嗯不对").
_FILLER = r"(?:(?:oh|uh|um|er|erm|ah|哦|嗯|啊|呃|额)[\s,，]*)?"
# Markers that say a correction wherever they stand, even mid-way through an unpunctuated
# English transcript ("...and you wait forever no wait I mean too low is slow").
_MARKER_EN = (
    r"no,?\s+wait\b|scratch\s+that|i\s+misspoke|sorry,?\s+(?:i\s+meant|i\s+mean)\b|"
    r"(?:no|sorry|actually|wait),?\s+(?:it'?s\s+|it\s+is\s+)?the\s+other\s+way\s+(?:round|around)|"
    r"i\s+(?:got|said|have|had)\s+(?:that|it|them|those)\s+(?:backwards|the\s+wrong\s+way\s+"
    r"(?:round|around)|reversed|mixed\s+up|swapped)|let\s+me\s+correct\s+(?:myself|that)"
)
# Markers that only say one where they open a clause: "you wait, no one knows", "get no weight".
_OPENING_EN = (
    r"wait,?\s+no\b|no,?\s+no\b|sorry,?\s+(?:no|the\s+other\s+way)\b|"
    # How Whisper writes a spoken "no wait" (heard on espeak-ng's voice), as a clause of its
    # own: never "no weight decay".
    r"no,?\s+weight(?=\s*[,.;!…])"
)
_MARKER_ZH = (
    r"不对不对|不是不是|哦不是|我说错了|说错了|说反了|搞反了|弄反了|记反了|口误|"
    r"更正一下|纠正一下|"
    # A bare 不对 only as a clause of its own, or with what was wrong ("不对，反了", "不对 是 L1"):
    # not 不对称, not 这样不对.
    r"不对(?=[\s,，.。…!！;；]|反了|是|应该)"
)
# A clause opens at the start, after punctuation, or after a pause a Chinese transcript writes
# as a space ("bias 高就是过拟合 不对 反了"); an English space is only a word break.
_OPENS = r"(?:^|(?<=[,，.。…!！?？;；:：\n])|(?<=[\u3400-\u4dbf\u4e00-\u9fff]\s))"
_MARKER = re.compile(
    rf"{_OPENS}\s*{_FILLER}(?:{_MARKER_EN}|{_OPENING_EN}|{_MARKER_ZH})"
    rf"|(?<=\s){_FILLER}(?:{_MARKER_EN})",
    re.IGNORECASE,
)
_OTHER_WAY = (
    r"(?:it'?s\s+|it\s+is\s+)?(?:the|no)\s+other\s+way\s+(?:round|around)|i\s+got\s+that\s+"
    r"backwards|i\s+mean"
)
# Further markers and punctuation right after the first belong to the same correction
# ("不对不对，说反了，").
_MORE = re.compile(
    rf"(?:[\s,，.。…!！;；:：—-]*{_FILLER}(?:{_MARKER_EN}|{_OPENING_EN}|{_MARKER_ZH}|{_OTHER_WAY}|反了))*"
    r"[\s,，.。…!！;；:：—-]*",
    re.IGNORECASE,
)
# Where the retracted clause starts: after the last of these before the marker.
_CLAUSE_END = re.compile(r"[,，.。!！?？;；:：\n]|…+|\.{3}")
# How far back a retraction reaches where nothing ends a clause (a run-on transcript).
MAX_BACK_WORDS = 16


def retract(text: str, read: str | None = None) -> str:
    """``text`` with each self-corrected stretch (the clause before a correction marker, and
    the marker) replaced by spaces; ``text`` itself when there is none. The markers are looked
    for in ``read``, ``text`` as graded (of the same length: in Simplified characters where it
    was typed in Traditional ones, "不對不對，說反了" as "不对不对，说反了")."""
    read = text if read is None else read
    spans: list[tuple[int, int]] = []
    floor = 0  # a retraction never reaches into an earlier one
    for marker in _MARKER.finditer(read):
        if marker.start() < floor:
            continue
        end = _MORE.match(read, marker.end()).end()
        start = _clause_start(read, marker.start(), floor)
        if start is None:
            continue
        spans.append((start, end))
        floor = end
    return blanked(text, spans)


def blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character of ``spans`` but whitespace replaced by a space (the same
    length, so offsets into it are offsets into ``text``); ``text`` itself when ``spans`` is
    empty."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = " "
    return "".join(chars)


def _clause_start(text: str, marker: int, floor: int) -> int | None:
    """Where the clause said just before ``marker`` starts, or None when nothing precedes it
    (a correction that opens the answer takes nothing back)."""
    head = text[floor:marker].rstrip()
    # The punctuation that ends the retracted clause itself ("稀疏解……不对") is not its start.
    while head and (_CLAUSE_END.fullmatch(head[-1]) or head[-1] in "—-"):
        head = head[:-1].rstrip()
    if not words_in(head):
        return None
    ends = list(_CLAUSE_END.finditer(head))
    start = floor + (ends[-1].end() if ends else 0)
    total = 0.0
    for word in reversed(words_in(text, start, floor + len(head))):
        total += word_weight(word.group())
        if total > MAX_BACK_WORDS:
            return word.end()
    return start
