"""Arrows read as the direction words they stand for: "lr ↑ → loss diverges".

Candidates who type in a hurry write directions as arrows: "complexity ↑ ⇒ bias ↓ var ↑",
"threshold ↑ → precision ↑ recall ↓", "学习率↑ → 发散". Neither the sentence encoders nor the
directions reader (directions.py) see an arrow as a word, so "lr ↓ → diverges" and
"lr ↑ → diverges" graded alike (58.7 each; the second is right): the one thing that made the
wrong note wrong was invisible. :func:`spell_out` writes each arrow as the direction word a
candidate would have said ("lr higher", "higher lr", "学习率增大", "提高学习率").

Only the arrows: spelling "w/", "w/o" and "b/c" out as well changed 10 of the 29 answers of
`data/` that use them, each for the worse (right answers 0.2-0.7 lower, a wrong one's named
mistake lost).

What is graded is the spelled-out text; what the candidate sees quoted is what they typed:
:meth:`Spelled.typed_span` maps an offset range back, so highlights and quotes still point into
the answer as typed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from mockint.grading.glossary import CJK
from mockint.grading.traditional import regional_terms, simplified

# Arrows up and down, repeated or not ("↑↑"), with an emoji's variation selector.
_ARROW = re.compile(r"(?P<up>[↑⬆↗⇑]+)\ufe0f?|(?P<down>[↓⬇↘⇓]+)\ufe0f?")
# Which word an arrow stands for: after the quantity it moves ("lr ↑": "lr higher") or before it
# ("↑ complexity": "higher complexity"); in Chinese, 增大/减小 after and 提高/降低 before, the
# words directions.py reads on either side ("学习率增大", "提高学习率"). In English a comparative
# on either side, not "up"/"down" or a verb: the encoders and the judge read "C lower -> wider
# margin" as "a smaller C", and "C down" or "C decreases -> wider margin" as the mistake "a
# large C gives a wide margin" (as they did the arrow itself).
_SPOKEN = {
    ("en", "after", "up"): "higher",
    ("en", "after", "down"): "lower",
    ("en", "before", "up"): "higher",
    ("en", "before", "down"): "lower",
    ("zh", "after", "up"): "增大",
    ("zh", "after", "down"): "减小",
    ("zh", "before", "up"): "提高",
    ("zh", "before", "down"): "降低",
}
_HAS_CJK = re.compile(CJK)
# What an arrow after a quantity follows: the end of a word, a closing bracket or quote.
_QUANTITY_END = re.compile(rf"(?:[\w)\]%'\"’”]|{CJK})[ \t]*$")
# What follows an arrow after a quantity when another quantity comes next: "precision ↑ recall ↓".
_NEXT_WORD = re.compile(rf"[ \t]*(?:\w|{CJK})")


@dataclass(frozen=True)
class Spelled:
    """An answer with its notation spelled out, and the way back to the offsets as typed."""

    text: str
    """What is graded: the answer with its arrows written as words (and in Simplified
    characters, with Mainland words, when typed in Traditional ones)."""
    typed: str
    """The answer as typed."""
    edits: tuple[tuple[int, int, int, int], ...] = field(default=())
    """(start, end) in ``text`` and (start, end) in ``typed`` of each replacement, in order."""

    def typed_span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in ``typed`` of ``text[start:end]``: a range that begins or ends inside a
        spelled-out word covers the whole symbol it stands for."""
        return self._typed(start, inside="start"), self._typed(end, inside="end")

    def _typed(self, position: int, inside: str) -> int:
        starts = [edit[0] for edit in self.edits]
        i = bisect.bisect_right(starts, position) - 1
        if i < 0:
            return position
        start, end, typed_start, typed_end = self.edits[i]
        if position >= end:
            return typed_end + position - end
        if position == start:
            return typed_start
        return typed_start if inside == "start" else typed_end


def spell_out(text: str) -> Spelled:
    """``text`` as graded: its arrows written as words, and an answer in Traditional characters
    in Simplified ones with its Taiwan or Hong Kong words as the Mainland words the rubrics use
    (traditional.py)."""
    read = simplified(text)  # same length as ``text``: offsets need no edit
    found = [(m.start(), m.end(), _word_for(read, m)) for m in _ARROW.finditer(read)]
    if read is not text:
        found = sorted(found + regional_terms(read))
    if not found:
        return Spelled(read, text)
    pieces: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    typed_at = length = 0
    for start, end, word in found:
        pieces.append(read[typed_at:start])
        length += start - typed_at
        pieces.append(word)
        edits.append((length, length + len(word), start, end))
        length += len(word)
        typed_at = end
    pieces.append(read[typed_at:])
    return Spelled("".join(pieces), text, tuple(edits))


def _word_for(text: str, match: re.Match) -> str:
    """The words ``match`` stands for, with the spaces that keep them apart from their
    neighbours."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    language = "zh" if _HAS_CJK.search(line) else "en"
    before = text[line_start : match.start()]
    side = "after" if _QUANTITY_END.search(before) else "before"
    word = _SPOKEN[(language, side, "up" if match.group("up") else "down")]
    if side == "after" and _NEXT_WORD.match(text, match.end()):
        # A word after the quantity's direction would otherwise bind to the next quantity as
        # well ("precision higher recall lower" reads "higher recall"): "and" ends it, as a
        # speaker would say it ("precision higher and recall lower").
        word += " and" if language == "en" else "，"
    if language == "en":
        # Kept apart from the words around it: "bias↓var↑" reads "bias lower and var higher".
        if match.start() > 0 and not text[match.start() - 1].isspace():
            word = " " + word
        if match.end() < len(text) and re.match(r"\w", text[match.end()]):
            word += " "
    return word
