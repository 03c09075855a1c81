"""Views of one graded answer: the answer with its evidence highlighted, and the key point table."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable, Static

from mockint.grading.models import Grade, KeyPointResult
from mockint.tui.linebreak import wrap
from mockint.tui.prose import Prose
from mockint.tui.render import POINT_MARKS, line, point_status, rich_style

# One highlight colour per key point (cycled), so a sentence and its row in the table match.
HIGHLIGHTS = ["$success", "$accent", "$warning", "$primary", "$secondary", "$error"]


def highlight_colour(index: int) -> str:
    return HIGHLIGHTS[index % len(HIGHLIGHTS)]


def evidence_span(answer: str, kp: KeyPointResult) -> tuple[int, int] | None:
    """Where ``kp``'s evidence sits in ``answer``: the grader's offsets when they match the text,
    else the first occurrence of the evidence."""
    if kp.evidence is None:
        return None
    if kp.evidence_span is not None:
        start, end = kp.evidence_span
        if 0 <= start < end <= len(answer):
            return start, end
    start = answer.find(kp.evidence)
    if start < 0:
        return None
    return start, start + len(kp.evidence)


class HighlightedAnswer(Static):
    """The candidate's answer with each covering sentence highlighted in its key point's colour
    and numbered like the key point table; misconception sentences are struck through in red."""

    def show(self, answer: str, grade: Grade | None) -> None:
        if not answer.strip():
            self.update(Content.styled("(no answer)", "italic $text-muted"))
            return
        content = Content(answer)
        if grade is None:
            self.update(Prose.of(content))
            return
        markers: list[tuple[int, str, str]] = []
        for index, kp in enumerate(grade.key_points):
            span = evidence_span(answer, kp)
            if span is None or kp.status == "miss" or kp.barely:
                continue
            colour = highlight_colour(index)
            strength = "35%" if kp.status == "hit" else "15%"
            content = content.stylize(f"on {colour} {strength}", *span)
            markers.append((span[1], f"[{index + 1}]", f"bold {colour}"))
        for mc in grade.misconceptions:
            start = answer.find(mc.evidence)
            if start >= 0:
                content = content.stylize("strike $text-error", start, start + len(mc.evidence))
        # Insert the numbers from the end, so earlier offsets stay valid.
        for end, label, style in sorted(markers, reverse=True):
            content = Content.assemble(content[:end], (label, style), content[end:])
        self.update(Prose.of(content))


class KeyPointTable(DataTable):
    """Key points of one grade: number (matching the highlights), status, similarity, the key
    point, and the candidate's words that covered it. Long texts wrap, so the table fits the
    screen's width instead of scrolling sideways."""

    # Widths of the number, status and similarity columns, with DataTable's cell padding.
    _FIXED = 2 + 9 + 4 + 5 * 2

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, language: str = "en"
    ) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.language = language
        """The language of the column names and statuses."""
        self._grade: Grade | None = None
        self._texts: dict[str, str] = {}
        self._width = 0

    def show(self, grade: Grade | None, texts: dict[str, str] | None = None) -> None:
        """Fill the table with ``grade``'s key points (empty for an ungraded answer);
        ``texts``: the key points' wordings to show, by id (default: the grade's)."""
        self._grade = grade
        self._texts = texts or {}
        self._fill()

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._fill()

    def _fill(self) -> None:
        self._width = self.size.width
        room = max(32, self._width - self._FIXED - 2)
        has_evidence = self._grade is not None and any(
            kp.evidence and not kp.barely for kp in self._grade.key_points
        )

        def say(key: str) -> str:
            return line(self.language, key)

        # Without any evidence the key points get the room; the evidence column shows dashes
        # under its whole name (cut to "evi" / "依" before).
        evidence_width = room // 2 if has_evidence else cell_len(say("column_evidence"))
        text_width = room - evidence_width
        self.clear(columns=True)

        self.add_column("#", key="n", width=2)
        self.add_column(say("column_status"), key="status", width=9)
        self.add_column(say("column_similarity"), key="similarity", width=4)
        self.add_column(say("column_point"), key="point", width=text_width)
        self.add_column(say("column_evidence"), key="evidence", width=evidence_width)
        if self._grade is None:
            return
        variables = self.app.theme_variables
        for index, kp in enumerate(self._grade.key_points):
            status = point_status(kp)
            mark, style = POINT_MARKS[status]
            mark = f"{mark} {say('status_' + status)}"
            # Broken into lines here (Chinese between characters), so the table's own
            # wrapping, which breaks only at spaces, has nothing left to do.
            evidence = (
                Text(_lines(f"“{kp.evidence}”", evidence_width), style="italic")
                if kp.evidence and not kp.barely
                else Text("—", style="dim")
            )
            self.add_row(
                Text(
                    str(index + 1), style=rich_style(variables, f"bold {highlight_colour(index)}")
                ),
                Text(mark, style=rich_style(variables, style)),
                Text(f"{kp.similarity:.2f}"),
                Text(_lines(self._texts.get(kp.id, kp.text), text_width)),
                evidence,
                key=kp.id,
                height=None,
            )


def _lines(text: str, width: int) -> str:
    return "\n".join(wrap(" ".join(text.split()), width))
