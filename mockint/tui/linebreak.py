"""Line breaking for text that mixes English and Chinese (no Textual; widths in terminal cells).

Terminal wrapping breaks only at spaces: a Chinese sentence has none, so it is cut wherever a
space happens to be ("…比如 99%" then a half-empty line) and folded mid-text elsewhere, which
can start a line with "，". Here a line may break at a space, or between two Chinese
characters, following the rules Chinese typesetting uses (GB/T 15834, JIS X 4051 "kinsoku"):
no line starts with closing punctuation (，。、；：？！）」』】》”…), no line ends with opening
punctuation (（「『【《“), and Latin words and numbers stay whole.

A line that starts with a list marker ("  ✔ ", "- ") or an indent keeps its continuation lines
under the text after the marker (a hanging indent), so a wrapped key point reads as one item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size

CLOSING = frozenset(
    "，。、；：？！）」』】》〉〕］｝〗〙〛”’…‥・ー々〜～％‰℃"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:?!)]}%"
)
"""Characters a line must not start with: closing brackets and quotes, sentence and clause
punctuation, small kana, iteration marks."""

OPENING = frozenset("（「『【《〈〔［｛〖〘〚“‘([{")
"""Characters a line must not end with: opening brackets and quotes."""

_BULLET = re.compile(r"(\s*(?:[✔✘◐◌•·\-*–]|\d{1,2}[.)])\s+|\s+)")


def is_cjk(char: str) -> bool:
    """Whether ``char`` is written without spaces between words (Chinese, Japanese kana,
    full-width forms), so a line may break before or after it."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK punctuation, kana, CJK ideographs (incl. Ext A)
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # vertical and compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # full-width letters and punctuation
        or 0x20000 <= code <= 0x3FFFF  # ideograph extensions B and beyond
    )


@dataclass(frozen=True)
class Line:
    """One line of a laid-out text: ``text[start:end]`` shown after ``indent`` spaces."""

    start: int
    end: int
    indent: int = 0


def _units(text: str, begin: int, end: int) -> list[tuple[int, int, bool]]:
    """The unbreakable pieces of ``text[begin:end]``, as (start, end, space_before): a Latin
    word or number, or one CJK character, with the punctuation that may not be parted from it."""
    atoms: list[tuple[int, int, bool]] = []
    i, space = begin, False
    while i < end:
        char = text[i]
        if char.isspace():
            space = True
            i += 1
            continue
        j = i + 1
        if is_cjk(char):
            # A run of "——" or "……" is one piece: it is never split across lines.
            if char in "—…":
                while j < end and text[j] == char:
                    j += 1
        else:
            while j < end and not text[j].isspace() and not is_cjk(text[j]):
                j += 1
        atoms.append((i, j, space))
        space = False
        i = j
    units: list[tuple[int, int, bool]] = []
    for start, stop, space in atoms:
        if units:
            previous = units[-1]
            # No break before closing punctuation (even after a stray space), and none after
            # opening punctuation.
            if text[start] in CLOSING or (not space and text[previous[1] - 1] in OPENING):
                units[-1] = (previous[0], stop, previous[2])
                continue
        units.append((start, stop, space))
    return units


def _hanging_indent(text: str, begin: int, end: int, width: int) -> int:
    """Cells to indent continuation lines: the width of a leading list marker or indent, when
    that leaves room for the text."""
    match = _BULLET.match(text, begin, end)
    if match is None or match.end() >= end:
        return 0
    indent = cell_len(match.group(0))
    return indent if indent <= width // 2 else 0


def _fold(text: str, start: int, stop: int, room: int) -> int:
    """Where to cut the over-long piece ``text[start:stop]`` to fit ``room`` cells (at least
    one character), avoiding a cut before closing punctuation."""
    used, cut = 0, start
    while cut < stop:
        size = get_character_cell_size(text[cut])
        if used + size > room and cut > start:
            break
        used += size
        cut += 1
    while start + 1 < cut < stop and text[cut] in CLOSING:
        cut -= 1
    return cut


def layout(text: str, width: int) -> list[Line]:
    """Break ``text`` into lines of at most ``width`` cells (explicit newlines are kept)."""
    width = max(width, 2)
    lines: list[Line] = []
    begin = 0
    for paragraph in text.split("\n"):
        end = begin + len(paragraph)
        lines.extend(_layout_paragraph(text, begin, end, width))
        begin = end + 1
    return lines


def _layout_paragraph(text: str, begin: int, end: int, width: int) -> list[Line]:
    units = _units(text, begin, end)
    if not units:
        return [Line(begin, begin)]
    hang = _hanging_indent(text, begin, end, width)
    lines: list[Line] = []
    # The first line keeps the paragraph's own leading spaces, as terminals do.
    line_start, indent, last_end = begin, 0, begin
    used, filled = cell_len(text[begin : units[0][0]]), False
    index = 0
    while index < len(units):
        start, stop, _ = units[index]
        # Spaces between two pieces on a line count; at a break they are dropped.
        gap = cell_len(text[last_end:start]) if filled else 0
        size = cell_len(text[start:stop])
        room = width - indent
        if used + gap + size <= room:
            used, last_end, filled = used + gap + size, stop, True
            index += 1
        elif filled:
            lines.append(Line(line_start, last_end, indent))
            line_start, indent, last_end, used, filled = start, hang, start, 0, False
        else:
            # A piece wider than a whole line: fold it across lines.
            cut = _fold(text, start, stop, room - used)
            lines.append(Line(line_start, cut, indent))
            line_start, indent, last_end, used = cut, hang, cut, 0
            units[index] = (cut, stop, False)
    lines.append(Line(line_start, last_end, indent))
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells, hanging indents included."""
    return [" " * line.indent + text[line.start : line.end] for line in layout(text, width)]


def section_breaks(text: str, width: int) -> list[int]:
    """Where a text editor should break ``text`` (one line, no tabs) into sections of at most
    ``width`` cells, by the same rules: the index each new section starts at. Unlike
    :func:`layout`, spaces stay on the section they end and count towards its width, since an
    editor shows (and puts the cursor on) every character."""
    width = max(width, 2)
    units = _units(text, 0, len(text))
    breaks: list[int] = []
    used = cell_len(text[: units[0][0]]) if units else 0
    filled = False
    index = 0
    while index < len(units):
        start, stop, _ = units[index]
        end = units[index + 1][0] if index + 1 < len(units) else len(text)
        size = cell_len(text[start:end])
        if used + size <= width:
            used, filled = used + size, True
            index += 1
        elif filled:
            breaks.append(start)
            used, filled = 0, False
        elif cell_len(text[start:stop]) <= width - used:
            # Only its spaces overflow (a long run of them): let them, as a terminal does.
            used, filled = used + size, True
            index += 1
        else:
            # A piece wider than a whole section: fold it across sections.
            cut = _fold(text, start, stop, width - used)
            breaks.append(cut)
            used = 0
            units[index] = (cut, stop, False)
    return [b for b in breaks if 0 < b < len(text)]
