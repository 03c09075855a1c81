"""The rows a report needs, read from the history database.

Two kinds of reads, run in one :meth:`~mockint.store.Store.read` so that they agree:

- :func:`read_facts`: one narrow row per answer (no text, no per-point results), for the
  figures over the whole report.
- :func:`read_rows`: everything about the answers of some sessions (or some answers), with one
  query per table (the schema is the store's documented contract), grouped in Python. Answer
  columns are named as :class:`~mockint.export.model.AnswerRecord` fields, so a row goes to
  validation nearly as is. A report reads its sessions this way a few at a time.
- :func:`read_credits`: the key point credits of some main answers as the mastery figures
  count them, follow-ups included (the query is :mod:`mockint.progress`'s, so the two agree).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from mockint.progress import ATTEMPT_CREDITS

if TYPE_CHECKING:
    from mockint.store import Store

# Every answer in the report with its question, grade and speech figures, oldest first.
_FROM = """
FROM answers a
JOIN asked k ON k.id = a.asked_id
LEFT JOIN grades g ON g.answer_id = a.id
LEFT JOIN speech_metrics m ON m.answer_id = a.id
{where}
ORDER BY a.created_at, a.id
"""

_ANSWERS = (
    """
SELECT a.id, a.asked_id, a.session_id, a.kind, a.text, a.source, a.duration_s, a.hints_used,
       a.skipped, a.created_at, k.bank_id, k.question_id,
       g.answer_id IS NOT NULL AS graded, COALESCE(g.override_score, g.score) AS score,
       g.score AS graded_score, g.override_score, g.verdict, g.language, g.coverage, g.penalty,
       g.follow_up, g.feedback, g.model, k.question_hash AS question_version,
       -- A follow-up answers the question the previous answer's grade asked.
       CASE WHEN a.kind = 'follow_up' THEN (
           SELECT pg.follow_up FROM answers p JOIN grades pg ON pg.answer_id = p.id
            WHERE p.asked_id = a.asked_id AND p.id < a.id ORDER BY p.id DESC LIMIT 1
       ) END AS previous_follow_up,
       -- A follow-up graded on the one key point it asked about names that point.
       CASE WHEN a.kind = 'follow_up' AND json_valid(g.grade_json)
            THEN json_extract(g.grade_json, '$.focus') END AS focus,
       m.answer_id IS NOT NULL AS spoken, m.duration_s AS speech_duration_s, m.words, m.wpm,
       m.filler_count, m.fillers_json, m.long_pauses, m.longest_pause_s
"""
    + _FROM
)

_FACTS = (
    """
SELECT a.id, a.session_id, a.kind, a.skipped, a.source, a.created_at, k.bank_id, k.question_id,
       k.question_hash, COALESCE(g.override_score, g.score), g.language, g.model,
       m.answer_id IS NOT NULL, m.duration_s, m.words, m.wpm, m.filler_count, m.fillers_json,
       m.long_pauses, m.longest_pause_s
"""
    + _FROM
)
"""One narrow row per answer, for the figures over the whole report (see :func:`read_facts`)."""

# Key-point and misconception rows stay tuples (fields in this order): a report over 10,000
# answers reads some 50,000 of them, and a dict per row would cost more than the query.
KP_ID, KP_STATUS, KP_SIMILARITY, KP_CREDIT, KP_EVIDENCE = range(5)
MC_ID, MC_EVIDENCE = range(2)

_KEY_POINTS = """
SELECT r.answer_id, r.key_point_id, r.status, r.similarity, r.credit, r.evidence
FROM key_point_results r {join}
{where}
ORDER BY r.rowid
"""

_MISCONCEPTIONS = """
SELECT r.answer_id, r.misconception_id, r.evidence
FROM misconception_results r {join}
{where}
ORDER BY r.rowid
"""

_JOIN = "JOIN answers a ON a.id = r.answer_id JOIN asked k ON k.id = a.asked_id"


@dataclass
class Rows:
    """Raw rows of the answers a report covers, with their per-answer details grouped by id."""

    answers: list[dict[str, Any]]
    key_points: dict[int, list[tuple]] = field(default_factory=dict)
    """Per answer id: (key_point_id, status, similarity, credit, evidence) tuples."""
    misconceptions: dict[int, list[tuple]] = field(default_factory=dict)
    """Per answer id: (misconception_id, evidence) tuples."""
    read_grade: Callable[[int], str | None] = lambda answer_id: None
    """Reads one answer's stored Grade JSON (see :func:`read_grade_json`)."""
    sessions: dict[int, dict[str, Any]] = field(default_factory=dict)


def stored_time(moment: datetime) -> str:
    """``moment`` as the store writes times (ISO-8601, UTC, milliseconds), so that comparing the
    strings in SQL compares the times, as ``Store.answers`` does."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Scope:
    """Which answers a report covers: ``since`` included, ``until`` excluded."""

    bank_id: str | None = None
    session_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None

    def where(
        self, session_ids: Sequence[int] | None = None, answer_ids: Sequence[int] | None = None
    ) -> tuple[str, list[Any]]:
        """The SQL condition (over ``answers a`` joined to ``asked k``) and its parameters,
        narrowed to some sessions or answers when given."""
        clauses, params = [], []
        if self.since is not None:
            clauses.append("a.created_at >= ?")
            params.append(stored_time(self.since))
        if self.until is not None:
            clauses.append("a.created_at < ?")
            params.append(stored_time(self.until))
        if self.bank_id is not None:
            clauses.append("k.bank_id = ?")
            params.append(self.bank_id)
        if self.session_id is not None:
            clauses.append("a.session_id = ?")
            params.append(self.session_id)
        for column, ids in (("a.session_id", session_ids), ("a.id", answer_ids)):
            if ids is not None:
                clauses.append(f"{column} IN ({', '.join('?' * len(ids))})")
                params.extend(ids)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _dicts(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def read_grade_json(store: Store, answer_id: int) -> str | None:
    """The full stored Grade of one answer, as JSON (None when it was not graded).

    Not part of :func:`read_rows`: it is a few kilobytes an answer and only needed for answers
    whose question has left every bank, so it is read one answer at a time when needed.
    """
    with store.read() as db:
        row = db.conn.execute("SELECT grade_json FROM grades WHERE answer_id = ?", [answer_id])
        found = row.fetchone()
    return found[0] if found else None


def read_facts(store: Store, scope: Scope) -> tuple[list[tuple], dict[int, dict[str, Any]]]:
    """One :data:`_FACTS` row per answer in ``scope``, oldest first, and the rows of their
    sessions by id."""
    with store.read() as db:
        where, params = scope.where()
        facts = db.conn.execute(_FACTS.format(where=where), params).fetchall()
        return facts, _sessions(db.conn, sorted({row[1] for row in facts}))


def read_credits(store: Store, answer_ids: Sequence[int]) -> dict[int, list[tuple]]:
    """Each of the main answers' (key point id, credit) pairs as the mastery figures count them
    (:data:`mockint.progress.ATTEMPT_CREDITS`: the best of the answer's and its follow-ups'),
    by answer id; an answer without per-point results has none."""
    credits: dict[int, list[tuple]] = {}
    ids = list(answer_ids)
    with store.read() as db:
        # Chunked so a report over thousands of questions stays under SQLite's variable limit.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            where = f"AND a.id IN ({', '.join('?' * len(chunk))})"
            credits.update(_grouped(db.conn.execute(ATTEMPT_CREDITS.format(where=where), chunk)))
    return credits


def read_rows(
    store: Store,
    scope: Scope,
    *,
    session_ids: Sequence[int] | None = None,
    answer_ids: Sequence[int] | None = None,
) -> Rows:
    """Every answer in ``scope`` (of the sessions or the answers given, if any) with its grade,
    key points and speech figures, read from one snapshot of ``store``."""
    with store.read() as db:
        rows = _read(db.conn, *scope.where(session_ids, answer_ids))
    rows.read_grade = lambda answer_id: read_grade_json(store, answer_id)
    return rows


def _read(conn: sqlite3.Connection, where: str, params: list[Any]) -> Rows:
    answers = _dicts(conn, _ANSWERS.format(where=where), params)
    rows = Rows(answers=answers)
    if not answers:
        return rows
    join = _JOIN if where else ""
    rows.key_points = _grouped(conn.execute(_KEY_POINTS.format(join=join, where=where), params))
    rows.misconceptions = _grouped(
        conn.execute(_MISCONCEPTIONS.format(join=join, where=where), params)
    )
    rows.sessions = _sessions(conn, sorted({a["session_id"] for a in answers}))
    return rows


def _grouped(cursor: sqlite3.Cursor) -> dict[int, list[tuple]]:
    """Rows (answer id first) as lists of the rest of each row, by answer id."""
    grouped: dict[int, list[tuple]] = {}
    # Rows of one answer come together (they were inserted together): group by runs.
    for answer_id, run in groupby(cursor, key=itemgetter(0)):
        found = grouped.get(answer_id)
        rest = [row[1:] for row in run]
        if found is None:
            grouped[answer_id] = rest
        else:
            found.extend(rest)
    return grouped


def _sessions(conn: sqlite3.Connection, session_ids: list[int]) -> dict[int, dict[str, Any]]:
    sessions: dict[int, dict[str, Any]] = {}
    # Chunked so a report over thousands of sessions stays under SQLite's variable limit.
    for start in range(0, len(session_ids), 500):
        chunk = session_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in _dicts(conn, f"SELECT * FROM sessions WHERE id IN ({marks})", chunk):
            sessions[row["id"]] = row
    return sessions
