"""What the interviewer says, as styled text: grades, questions, greetings (en and zh).

Pure functions from core objects to :class:`~textual.content.Content`; user text is always
inserted as text, never parsed as markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from rich.cells import cell_len
from textual.content import Content

from mockint.grading.models import Grade, KeyPointResult
from mockint.rubric import Library, Question
from mockint.tui.words import LINES, heading, labelled, line

__all__ = ["LINES", "heading", "labelled", "line"]  # the words, as screens import them from here


def bank_label(
    bank_id: str | None,
    language: str = "en",
    library: Library | None = None,
    width: int | None = None,
) -> str:
    """A session's bank, as lists show it: a session across banks (``mockint interview``
    without ``--bank``) has none. With ``library``, the bank's title in ``language`` when it
    fits in ``width`` cells (机器学习基础 rather than ml-fundamentals in a Chinese app), else its
    id, which is short and what the command line takes."""
    if not bank_id:
        return line(language, "mixed_banks")
    if library is not None:
        try:
            title = library.bank(bank_id).title.get(language, fallback=False)
        except KeyError:  # a bank no longer loaded: its id is all there is
            title = None
        if title and (width is None or cell_len(title) <= width):
            return title
    return bank_id


def score_style(score: float | None) -> str:
    """The theme colour that goes with a score band."""
    if score is None:
        return "$text-muted"
    if score >= 85:
        return "$text-success"
    if score >= 65:
        return "$text-accent"
    if score >= 40:
        return "$text-warning"
    return "$text-error"


def score_text(score: float | None, verdict: str | None = None, language: str = "en") -> Content:
    """``72/100 · good`` in the score's colour (``—`` when there is no score); the verdict in
    ``language`` (``72/100 · 良好``)."""
    if score is None:
        return Content.styled("—", "$text-muted")
    label = f"{score:.0f}/100"
    if verdict:
        label += f" · {LINES.get(language, LINES['en']).get('verdict_' + verdict, verdict)}"
    return Content.styled(label, f"bold {score_style(score)}")


def question_turn(
    question: Question, index: int, total: int, language: str, topic: str | None = None
) -> Content:
    """The interviewer asking a question: a heading with number, topic (``topic``, its title;
    by default the question's topic id) and difficulty, then the prompt."""
    heading = line(language, "question", i=index, n=total)
    difficulty = LINES.get(language, LINES["en"]).get(question.difficulty, question.difficulty)
    meta = f" · {topic or question.topic} · {difficulty}"
    return Content.assemble(
        (heading, "bold $text-primary"),
        (meta, "$text-muted"),
        "\n",
        question.prompt.get(language),
    )


def follow_up_turn(text: str, language: str) -> Content:
    """The interviewer asking the follow-up question."""
    return Content.assemble((labelled(language, "follow_up_label"), "bold $text-primary"), text)


def pinned_question(prompt: str, number: int, language: str) -> Content:
    """The question being answered, as pinned above the answer box: ``Q2  What is…``."""
    return Content.assemble((line(language, "pinned", i=number) + "  ", "bold"), prompt)


def covered_points(grade: Grade) -> list[KeyPointResult]:
    """Key points the answer covered, fully or partly: a sliver of credit (``barely``) is not
    covering a point, so it is not among them."""
    return [kp for kp in grade.key_points if kp.status != "miss" and not kp.barely]


def missed_points(grade: Grade) -> list[KeyPointResult]:
    """Key points missed or only barely touched on, in rubric order."""
    return [kp for kp in grade.key_points if kp.status == "miss" or kp.barely]


def focus_result(grade: Grade) -> KeyPointResult | None:
    """For a follow-up graded on the one key point it asked about, that point's result."""
    focus = getattr(grade, "focus", None)
    if focus is None:
        return None
    return next((kp for kp in grade.key_points if kp.id == focus), None)


POINT_MARKS = {
    "hit": ("✔", "$text-success"),
    "partial": ("◐", "$text-warning"),
    "barely": ("◌", "$text-error"),
    "miss": ("✘", "$text-error"),
}


def point_status(kp: KeyPointResult) -> str:
    """``hit``, ``partial``, ``barely`` (a sliver of credit: not covered) or ``miss``."""
    return "barely" if kp.barely else kp.status


def point_status_text(kp: KeyPointResult, language: str) -> Content:
    """``✔ covered`` (or partly covered, barely touched on, missed), coloured."""
    status = point_status(kp)
    mark, style = POINT_MARKS[status]
    return Content.styled(f"{mark} {line(language, 'point_' + status)}", f"bold {style}")


def grade_turn(grade: Grade, language: str, *, dont_know: bool = False) -> Content:
    """The interviewer's reply to a graded answer: score, what was covered (in the candidate's
    own words), what was missed, misconceptions named plainly, notes. After "I don't know",
    a kind word and what was expected instead of a verdict on each point."""
    parts: list[Content | str | tuple[str, str]] = [
        score_text(grade.score, grade.verdict, language)
    ]
    covered, missed = covered_points(grade), missed_points(grade)
    if dont_know:
        parts += ["\n", line(language, "dont_know")]
        for kp in grade.key_points:
            parts += ["\n ", ("•", "$text-primary"), " ", kp.text]
        return Content.assemble(*parts)
    if covered:
        parts += ["\n", (heading(language, "covered"), "bold")]
        for kp in covered:
            mark, style = ("✔", "$text-success") if kp.status == "hit" else ("◐", "$text-warning")
            parts += ["\n ", (mark, style), " ", kp.text]
            if kp.status == "partial":
                parts.append((line(language, "partly"), "$text-muted"))
            if kp.evidence:
                parts += ["\n   ", (f"“{_clip(kp.evidence, 160)}”", "italic $text-muted")]
    if missed:
        parts += ["\n", (heading(language, "missed"), "bold")]
        for kp in missed:
            if kp.barely:
                parts += ["\n ", ("◌", "$text-error"), " ", kp.text]
                parts.append((line(language, "barely"), "$text-muted"))
            else:
                parts += ["\n ", ("✘", "$text-error"), " ", kp.text]
    parts += _misconception_parts(grade, language)
    notes = [n for n in grade.notes if n]
    if notes:
        parts += ["\n", (line(language, "sentence_gap").join(notes), "$text-muted")]
    all_hit = all(kp.status == "hit" for kp in grade.key_points)
    if all_hit and not grade.misconceptions and grade.verdict != "empty":
        parts += ["\n", line(language, "nothing_missing")]
    return Content.assemble(*parts)


def follow_up_grade_turn(
    grade: Grade,
    question: Question,
    target: str | None,
    coverage: float,
    before: float | None,
    statuses: dict[str, str],
    newly_covered: Sequence[str],
    language: str,
    *,
    dont_know: bool = False,
) -> Content:
    """The interviewer's reply to a follow-up answer: did it land on the point asked about
    (``target``), and where the whole question now stands (a key point covered in either answer
    counts). A follow-up graded against the whole rubric (before follow-ups were graded on
    their point) also gets that score, last."""
    result = next((r for r in grade.key_points if r.id == target), None)
    status = "miss" if result is None or result.barely else result.status
    if dont_know:
        parts: list[Content | str | tuple[str, str]] = [
            (line(language, "fu_dont_know"), "bold"),
            "\n ",
            ("•", "$text-primary"),
            " ",
            _key_point_text(question, target, language) if target else "",
        ]
    else:
        mark, style, key = {
            "hit": ("✔", "$text-success", "fu_hit"),
            "partial": ("◐", "$text-warning", "fu_partial"),
            "miss": ("✘", "$text-error", "fu_miss"),
        }[status]
        parts = [(mark, style), " ", (line(language, key), "bold")]
        if result is not None and result.evidence and status != "miss":
            parts += ["\n   ", (f"“{_clip(result.evidence, 160)}”", "italic $text-muted")]
    # "now 35% (was 35%)" reads as a change that did not happen: an unchanged coverage is "still".
    unchanged = before is not None and round(before) == round(coverage)
    parts += [
        "\n",
        line(language, "coverage_still" if unchanged else "coverage_now") + " ",
        (f"{coverage:.0f}%", f"bold {score_style(coverage)}"),
    ]
    if before is not None and not unchanged:
        parts.append((line(language, "was", before=before), "$text-muted"))
    also = [kp_id for kp_id in newly_covered if kp_id != target]
    for kp_id in also:
        parts += ["\n ", ("✔", "$text-success"), " ", _key_point_text(question, kp_id, language)]
    # After "I don't know" the point asked about was just named: not again under "missing".
    missing = [
        kp_id
        for kp_id, s in statuses.items()
        if s == "miss" and not (dont_know and kp_id == target)
    ]
    if missing:
        parts += ["\n", (heading(language, "still_missing"), "bold")]
        for kp_id in missing:
            parts += ["\n ", ("✘", "$text-error"), " ", _key_point_text(question, kp_id, language)]
    parts += _misconception_parts(grade, language)
    if getattr(grade, "focus", None) is None and not dont_know:
        parts += ["\n", (line(language, "alone", score=grade.score), "$text-muted")]
    return Content.assemble(*parts)


def _misconception_parts(grade: Grade, language: str) -> list[str | tuple[str, str]]:
    """Each misconception the answer stated: the candidate's words, then the correction."""
    parts: list[str | tuple[str, str]] = []
    for mc in grade.misconceptions:
        parts += [
            "\n",
            (labelled(language, "wrong"), "bold $text-error"),
            (f"“{_clip(mc.evidence, 160)}”", "italic"),
            line(language, "dash"),
            mc.correction,
        ]
    return parts


def _key_point_text(question: Question, key_point_id: str, language: str) -> str:
    try:
        return question.key_point(key_point_id).text.get(language)
    except StopIteration:
        return key_point_id


def model_answer_turn(grade_or_text: Grade | str, language: str) -> Content:
    """The model answer, introduced by the interviewer."""
    text = grade_or_text if isinstance(grade_or_text, str) else grade_or_text.model_answer
    return Content.assemble((heading(language, "model_answer"), "bold $text-primary"), "\n", text)


def sparkline(values: Sequence[float], lo: float = 0.0, hi: float = 100.0) -> str:
    """Scores as a row of block characters (``▁▃▅█``), oldest first."""
    blocks = "▁▂▃▄▅▆▇█"
    out = []
    for value in values:
        ratio = (min(max(value, lo), hi) - lo) / ((hi - lo) or 1.0)
        out.append(blocks[min(len(blocks) - 1, int(ratio * (len(blocks) - 1) + 0.5))])
    return "".join(out)


def _clip(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters at a word boundary when there is one
    (a quote cut mid-word reads as a typo)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def rich_style(variables: dict[str, str], style: str) -> str:
    """A Rich style string from a Textual one: ``$name`` becomes the theme's colour (for widgets
    such as DataTable that render Rich text, which knows nothing of theme variables)."""
    words = []
    for word in style.split():
        if word.startswith("$"):
            value = variables.get(word[1:], "")
            word = value if value.startswith("#") else "dim"
        words.append(word)
    return " ".join(words)


def fill(language: str, key: str, **parts: str | Content | tuple[str, str]) -> Content:
    """One of the lines (``"{answers} in {sessions}"``) with its placeholders filled by
    ``parts``, each of which may carry its own style (``(text, style)``): the line decides
    their order, which is not the same in every language."""
    template = LINES.get(language, LINES["en"])[key]
    pieces: list[str | Content | tuple[str, str]] = []
    for index, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        if index % 2:
            pieces.append(parts[piece])
        elif piece:
            pieces.append(piece)
    return Content.assemble(*pieces)


def duration(seconds: float | None, language: str = "en") -> str:
    """``45 s``, ``12 min``, ``3 h 05 min`` (``3 小时 5 分钟``)."""
    if seconds is None:
        return "–"
    seconds = round(seconds)
    if seconds < 60:
        return line(language, "duration_s", n=seconds)
    minutes = round(seconds / 60)
    if minutes < 60:
        return line(language, "duration_min", n=minutes)
    if minutes >= 600:
        return line(language, "duration_h", n=f"{round(minutes / 60):,}")
    return line(language, "duration_h_min", h=minutes // 60, m=minutes % 60)


def day_text(day: date, language: str = "en", *, after: date | None = None) -> str:
    """``2025-03-08`` (``2025年3月8日``); ``after`` a day of the same year, the year is left out
    where the language does so (``3月10日``)."""
    key = "date_same_year" if after is not None and after.year == day.year else "date"
    return line(language, key, year=day.year, month=day.month, day=day.day)
