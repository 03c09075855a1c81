"""The CSV report: one row per answer, for spreadsheets and scripts.

The columns are stable: new ones are only ever added at the end, and none is renamed or removed
without bumping :data:`mockint.export.model.SCHEMA_VERSION`. UTF-8 without a byte-order mark,
comma-separated, a header row, RFC 4180 quoting. Times are ISO-8601 UTC. Empty cell = no value.

=====================  ==========================================================================
column                 meaning
=====================  ==========================================================================
answer_id              the answer's id in the history database
session                the session's id (``mockint history SESSION``)
time                   when the answer was submitted, ISO-8601 UTC
bank                   the question bank's id
question               the question's id
topic                  the question's topic id
kind                   ``main`` (answer to the question) or ``follow_up``
language               language of the feedback (the answer's, unless chosen)
source                 ``typed`` or ``voice``
score                  effective score 0-100: the override when set, else the graded score
graded_score           the score the grader gave
override               the candidate's own correction of the score, if any
verdict                excellent, good, partial, weak, off-topic or empty
coverage               weighted key-point coverage before penalties, 0-100
penalty                points taken off for misconceptions
key_points_hit         ids of the key points covered, separated by ``;``
key_points_partial     ids of the key points touched on
key_points_missed      ids of the key points missed
misconceptions         ids of the misconceptions stated
follow_up              the follow-up question the grader chose
duration_s             time taken to answer, seconds
hints_used             hints shown before answering
wpm                    speaking rate (spoken answers)
filler_count           filler words (spoken answers)
long_pauses            pauses over two seconds (spoken answers)
answer                 the answer's text, verbatim
skipped                1 when the question was skipped without an answer, else 0
model                  the grading models that scored the answer, as stored with its grade
question_version       a hash of the question as asked (differs from the bank's once edited)
topic_title            the topic as the report's language names it (the bank's title for it)
=====================  ==========================================================================

Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) are prefixed with ``'`` so that opening the file runs nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from mockint.export.model import AnswerRecord, ReportData, Sessions

COLUMNS = [
    "answer_id",
    "session",
    "time",
    "bank",
    "question",
    "topic",
    "kind",
    "language",
    "source",
    "score",
    "graded_score",
    "override",
    "verdict",
    "coverage",
    "penalty",
    "key_points_hit",
    "key_points_partial",
    "key_points_missed",
    "misconceptions",
    "follow_up",
    "duration_s",
    "hints_used",
    "wpm",
    "filler_count",
    "long_pauses",
    "answer",
    "skipped",
    "model",
    "question_version",
    "topic_title",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(text: str | None) -> str:
    """``text`` safe for a spreadsheet cell (formula-looking text gets a leading ``'``)."""
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(round(value, 2)) if isinstance(value, float) else str(value)


def answer_row(answer: AnswerRecord, topic_title: Callable[[str], str] = str) -> list[str]:
    """The CSV cells of one answer, in :data:`COLUMNS` order; ``topic_title`` names its topic
    (by default, its id)."""
    speech = answer.speech
    return [
        str(answer.id),
        str(answer.session_id),
        answer.created_at.isoformat(),
        answer.bank_id,
        answer.question_id,
        cell_text(answer.topic),
        answer.kind,
        answer.language or "",
        answer.source,
        _number(answer.score),
        _number(answer.graded_score),
        _number(answer.override_score),
        answer.verdict or "",
        _number(answer.coverage),
        _number(answer.penalty),
        ";".join(kp.id for kp in answer.hits),
        ";".join(kp.id for kp in answer.partials),
        ";".join(kp.id for kp in answer.misses),
        ";".join(m.id for m in answer.misconceptions),
        cell_text(answer.follow_up),
        _number(answer.duration_s),
        str(answer.hints_used),
        _number(speech.wpm if speech else None),
        _number(speech.filler_count if speech else None),
        _number(speech.long_pauses if speech else None),
        cell_text(answer.text),
        "1" if answer.skipped else "0",
        cell_text(answer.model),
        answer.question_version or "",
        cell_text(topic_title(answer.topic) if answer.topic else ""),
    ]


def csv_chunks(report: ReportData, sessions: Sessions) -> Iterator[str]:
    """Every answer of the report as CSV text, a session at a time (a header alone when there
    is none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for session in sessions(False):
        writer.writerows(answer_row(answer, report.topic_title) for answer in session.answers)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def render_csv(report: ReportData) -> str:
    """Every answer of the report as CSV text (just the header when there is none)."""
    return "".join(csv_chunks(report, report.iter_sessions))
