"""Adaptive practice: which questions to ask next, and when each should come back.

Every graded answer updates a *review state* for the question and for each of its key points,
kept in the store's ``review_state`` table. The scheduler is FSRS (the ``fsrs`` package, v6):
it models how fast a memory fades and schedules the next review when the chance of still
knowing the answer drops to 90%. FSRS was chosen over SM-2 because it needs no tuning, it copes
with reviews that come early or late (candidates practise when they have time, not when a card
says so) and its state is a small JSON card we can store and replay.

Ratings. The answer's effective score (the candidate's override if there is one, else the
grader's) maps to an FSRS rating along the grader's verdict bands:

============  ==========  ==========================================================
score         rating      meaning
============  ==========  ==========================================================
85 - 100      easy        excellent: come back much later
65 - 84       good        good answer with a gap or two
40 - 64       hard        partial: come back soon
0 - 39        again       weak, off-topic or empty: come back tomorrow
============  ==========  ==========================================================

An answer that missed a key point is at most *good* (an interviewer would notice the hole), unless
the candidate overrode the score: the override always wins. Each key point has its own card,
rated from the grader's verdict on that point: hit -> good, partial -> hard, miss -> again. When
the score is overridden, the grader's verdicts on the points are not trusted either, and every
key point gets the rating of the override.

A question is *due* when its own card or any of its key points' cards is due, so a point the
candidate keeps missing brings the question back the next day, while a question answered
perfectly moves to longer and longer intervals (2, 11, 46, 163 days, then at most
``MAX_INTERVAL_DAYS``).

Learning steps in minutes (FSRS's default, made for flashcards) are turned off: nobody re-answers
an interview question ten minutes later, so every review schedules whole days. Fuzzing is off too,
so schedules are reproducible.

Only ``main`` answers are reviews: a follow-up is the interviewer's prompt on one point, not a new
attempt. Its verdict counts for that answer's key point cards and weak spots, as in the interview
and the mastery figures (:mod:`mockint.progress`): each point's best over the answer and its
follow-ups, so a point covered when followed up on is not reported as missed. The question's own
rating stays capped by the answer's own misses (the interviewer had to ask). A skipped question
counts as a score of 0 (*again*).
A question whose content hash changed (its text or rubric was edited) since it was last answered
starts fresh: answers to the old version stay in the history but no longer count.

Weak spots. A question's *weakness* (0-1) is the mean of two things: how often its worst key
point was missed in the last ``RECENT_ANSWERS`` answers (a partial counts half) and how far the
mean of the last ``RECENT_SCORES`` scores falls short of 100. Questions at ``WEAK_THRESHOLD`` or
above are weak spots.

Storage. ``review_state`` has one row per question (``kind='question'``, ``item_id`` = question
id) and one per key point (``kind='key_point'``, ``item_id`` = ``question_id/key_point_id``).
``due_at`` of a question row is when the question is due (the earliest of its cards); ``reps``
counts answers and ``lapses`` those rated *again* (for a key point: misses); ``card_json`` holds
the FSRS card and the log of the answers it was built from (a key point's: the latest ones), and
for a question a digest of those answers (``history``).

The review state is a cache of the history, kept up to date at the cost of the answers that are
new to it. :func:`sync` compares each question's digest with one of its answers in the history
and, where they differ, reviews the stored cards with the answers that came after them, or
replays the question's whole history when an older answer changed (an override was set, a
session was deleted, an answer was graded late) or the question was edited. A sync that would
find nothing to do (neither the database nor the questions changed since the last one of the
same store) is skipped. Replays go through :mod:`mockint.replay` (FSRS's arithmetic on plain
numbers, checked against ``fsrs``), so a history of years rebuilds in about a second.
:func:`select_questions` and :func:`summary` sync first.

Modes of :func:`select_questions`:

``due``
    Questions due by the end of today (local time), most overdue first.
``weak``
    Questions whose key points are most often missed or whose recent scores are lowest.
``new``
    Questions never answered in their current version, in bank order.
``mock``
    A realistic interview of N questions spread across topics, the most needed first within
    each topic, ordered easy to hard. Questions asked in the current round (the latest
    sessions, back to the one that would complete the bank) wait until every other question
    has been asked: mock interviews go through the whole bank before repeating, and a question
    never repeats the session just before.

Everything that depends on the time takes ``now`` (a datetime; default: the current time) so
tests can move the clock. Functions that touch the database do it inside the store's
:meth:`~mockint.store.Store.read` or :meth:`~mockint.store.Store.transaction` (a question's cards
are rebuilt in the transaction that reads its answers), so the TUI may call them from worker
threads. This module never imports Textual.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import weakref
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from itertools import repeat
from operator import methodcaller
from typing import TYPE_CHECKING, Any, Literal

from fsrs import Card, Rating, Scheduler
from pydantic import BaseModel, ConfigDict

from mockint.interview import STATUS_RANK
from mockint.replay import Memory, Reference, Replay, agrees

if TYPE_CHECKING:
    from mockint.rubric import Bank, Library, Question
    from mockint.store import Store

Mode = Literal["due", "weak", "new", "mock"]
MODES: tuple[str, ...] = ("due", "weak", "new", "mock")

# Interview preparation lasts weeks or months: a question is never put away for longer than this.
MAX_INTERVAL_DAYS = 180

SCHEDULER = Scheduler(
    desired_retention=0.9,
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=MAX_INTERVAL_DAYS,
    enable_fuzzing=False,
)

# Lower bounds of the score bands, aligned with the grader's verdicts (grading/feedback.py).
EASY_FROM = 85.0
GOOD_FROM = 65.0
HARD_FROM = 40.0

# How many recent answers the weak-spot measure looks at.
RECENT_ANSWERS = 5
RECENT_SCORES = 3
# Questions below this weakness are not weak spots (a perfect history scores 0).
WEAK_THRESHOLD = 0.1

TABLE = "review_state"
QUESTION = "question"
KEY_POINT = "key_point"

_STATUS_VALUE = {"hit": 0.0, "partial": 0.5, "miss": 1.0}
_DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


class _Model(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class ReviewState(_Model):
    """Where one question stands in the schedule (what :func:`update_after_grade` returns)."""

    question_id: str
    bank_id: str | None = None
    """The bank the question belongs to (None when it is no longer in any loaded bank)."""
    due_at: datetime
    """When the question is next due: the earliest due date of its card and its key points'."""
    last_review: datetime
    """When it was last answered (and graded)."""
    interval_days: float
    """Days between the last answer and the due date."""
    reps: int
    """Graded answers to the current version of the question."""
    lapses: int
    """How many of those answers were rated ``again``."""
    last_score: float
    """The effective score of the last answer (the override if the candidate set one)."""
    last_rating: str
    """The rating the last answer got: again, hard, good or easy."""
    last_skipped: bool = False
    """Whether the candidate skipped the question last time."""
    scores: list[float]
    """Effective scores of every answer, oldest first."""
    missed_points: list[str]
    """Ids of the key points the last answer missed."""
    partial_points: list[str]
    """Ids of the key points the last answer only touched on."""
    hit_points: int
    """How many key points the last answer covered."""
    weak_points: list[str]
    """Ids of the key points most often missed recently, worst first (only those missed at all)."""
    weakness: float
    """0-1: how weak the candidate is on this question (key points missed, low recent scores)."""


class Selection(_Model):
    """One question chosen for practice, with the reason it was chosen."""

    bank_id: str
    question_id: str
    topic: str
    difficulty: str
    mode: str
    """The mode that chose it: due, weak, new or mock."""
    reason: str
    """Why this question, in one line a candidate understands."""
    due_at: datetime | None
    """When it is (or was) due; None for a question never answered."""
    overdue_days: float | None
    """Days past the due date (negative: due later); None for a question never answered."""
    last_review: datetime | None
    """When it was last answered."""
    last_score: float | None
    """Effective score of the last answer."""
    reps: int = 0
    """Graded answers to the current version of the question."""
    lapses: int = 0
    """Answers rated ``again``."""
    missed_points: list[str] = []
    """Key points the last answer missed."""
    partial_points: list[str] = []
    """Key points the last answer only touched on."""
    weak_points: list[str] = []
    """Key points most often missed recently, worst first."""
    weakness: float = 0.0
    """0-1: how weak the candidate is on this question."""


class Summary(_Model):
    """Counts for a home screen: how much is waiting in each mode."""

    total: int
    """Questions in scope."""
    due: int
    """Questions due by the end of today."""
    new: int
    """Questions never answered in their current version."""
    weak: int
    """Questions that are weak spots."""
    next_due_at: datetime | None
    """The next due date after today, if nothing else is due sooner."""
    next_due_question: str | None
    """The question due at ``next_due_at``."""


def rating_for_score(score: float, missed_points: int = 0, overridden: bool = False) -> Rating:
    """The FSRS rating of an answer: score bands, capped at *good* when a key point was missed.

    With ``overridden`` (the score is the candidate's own), the score alone decides.
    """
    return Rating(_rating_number(score, missed_points, overridden))


def _rating_number(score: float, missed_points: int, overridden: bool) -> int:
    # rating_for_score as a plain number: a replay rates every answer of the history.
    if score >= EASY_FROM:
        return 3 if missed_points and not overridden else 4
    if score >= GOOD_FROM:
        return 3
    return 2 if score >= HARD_FROM else 1


def rating_for_status(status: str) -> Rating:
    """The FSRS rating of one key point from the grader's verdict on it."""
    return {"hit": Rating.Good, "partial": Rating.Hard}.get(status, Rating.Again)


def _status_for_rating(rating: Rating) -> str:
    # An overridden answer's key points count as the override says, not as the grader said.
    return {Rating.Again: "miss", Rating.Hard: "partial"}.get(rating, "hit")


def _utc(now: datetime | None) -> datetime:
    """``now`` as an aware UTC datetime (naive datetimes are taken to be UTC)."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        return now.replace(tzinfo=UTC)
    # Already UTC (every time the store writes): as is, which astimezone would copy.
    return now if now.tzinfo is UTC else now.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).isoformat(timespec="seconds")


def _parse(text: str) -> datetime:
    return _utc(datetime.fromisoformat(text))


class _Hours(dict):
    """Whole hours since the epoch -> their ISO text up to the minutes (``2025-01-01T08:``)."""

    def __missing__(self, hour: int) -> str:
        self[hour] = text = datetime.fromtimestamp(hour * 3600, UTC).isoformat()[:14]
        return text


class _MinutesSeconds(dict):
    """Seconds into an hour -> the rest of an ISO time in UTC (``03:07+00:00``)."""

    def __missing__(self, seconds: int) -> str:
        self[seconds] = text = "{:02d}:{:02d}+00:00".format(*divmod(seconds, 60))
        return text


class _SecondsText:
    """Whole seconds since the epoch -> ``datetime.isoformat(timespec="seconds")`` of that UTC
    moment (``2025-01-01T08:03:07+00:00``), each hour and each minute-and-second formatted once:
    a replay writes one for every answer of the history, and isoformat takes four times as long.
    """

    def __init__(self) -> None:
        self._hours = _Hours()
        self._rest = _MinutesSeconds()

    def __call__(self, stamp: int) -> str:
        hour, rest = divmod(stamp, 3600)
        return self._hours[hour] + self._rest[rest]


def end_of_day(now: datetime | None = None) -> datetime:
    """The last moment of ``now``'s day in local time, in UTC: what "due today" means."""
    local = _utc(now).astimezone()
    end = datetime.combine(local.date(), time.max, tzinfo=local.tzinfo)
    return end.astimezone(UTC)


def ensure_table(store: Store) -> None:
    """Create ``review_state`` if the store's migrations have not (idempotent)."""
    with store.read() as db:
        if TABLE in db.table_names():
            return
    with store.transaction() as db:
        _create_table(db)


def _create_table(db) -> None:
    db[TABLE].create(
        {
            "kind": str,
            "item_id": str,
            "question_id": str,
            "question_hash": str,
            "due_at": str,
            "last_review": str,
            "reps": int,
            "lapses": int,
            "card_json": str,
        },
        pk=("kind", "item_id"),
        if_not_exists=True,
    )
    db[TABLE].create_index(["question_id"], if_not_exists=True)


@dataclass(slots=True)
class _Answer:
    """One graded main answer, as the history has it."""

    answer_id: int
    question_id: str
    question_hash: str
    created_at: str
    """When the store recorded it (ISO text; parsed only when a replay needs it)."""
    score: float
    overridden: bool
    skipped: bool = False
    verdicts: str | None = None
    """The grader's verdict on each key point as :data:`_VERDICTS` gives them ("": none; None:
    not read yet)."""
    follow_ups: str | None = None
    """Its follow-ups' verdicts, the same way (None: no graded follow-up)."""

    @classmethod
    def of(cls, row: tuple) -> _Answer:
        """From a row of :data:`_HISTORY`."""
        (question_id, question_hash, answer_id, created_at, score, override, skipped, verdicts,
         follow_ups) = row  # fmt: skip
        # Positional: a first schedule makes one for every answer of the history.
        return cls(
            answer_id,
            question_id,
            question_hash or "",
            created_at or "",
            # A skipped question is one the candidate could not answer: a score of 0.
            float(override if override is not None else (score or 0.0)),
            override is not None,
            bool(skipped),
            verdicts,
            follow_ups,
        )

    def logged_as(self, entry: dict[str, Any]) -> bool:
        """Whether a log entry of a stored card records this answer as it now stands."""
        return (
            int(entry["answer_id"]) == self.answer_id
            and float(entry["score"]) == round(self.score, 2)
            and bool(entry.get("overridden")) == self.overridden
            and bool(entry.get("skipped")) == self.skipped
            and entry.get("follow_ups") == self.follow_ups
        )


@dataclass
class _Stored:
    """A question's review rows as stored: its own row and its key points' rows."""

    question_hash: str
    card: dict[str, Any]
    key_points: dict[str, dict[str, Any]]
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    """(reps, lapses) of each key point's row: its log keeps only the latest answers."""

    def review_times(self) -> dict[int, datetime]:
        return {int(e["answer_id"]): _parse(e["at"]) for e in self.card.get("log", [])}


# The queries below run inside their caller's store.read() or store.transaction().

# One text per answer rather than a row per key point: a first schedule reads some 250,000 of
# them for 50,000 answers, and the same few texts recur, so each is parsed once (_Verdicts).
# The separators (unit and record separator) cannot occur in key point ids (rubric.SLUG); they
# are in the SQL as characters, since SQLite would call char() for every row.
_VERDICTS = "group_concat(k.key_point_id || '\x1f' || k.status, '\x1e')"

# The verdicts of an answer's follow-ups (answers to the same asked question after it), as
# _VERDICTS gives them; NULL without any (one index lookup per answer).
_FOLLOW_UPS = (
    "(SELECT group_concat(k.key_point_id || '\x1f' || k.status, '\x1e') FROM answers f "
    "JOIN key_point_results k ON k.answer_id = f.id "
    "WHERE f.asked_id = a.asked_id AND f.kind = 'follow_up' AND f.id > a.id)"
)

# The scores come from the index of grades' scores (store.py, v4): SQLite would look each grade
# up by its row id instead, reading a page per answer.
_HISTORY = f"""
SELECT s.question_id, s.question_hash, a.id, a.created_at, g.score, g.override_score,
       g.answer_id IS NULL, {{verdicts}}, {_FOLLOW_UPS}
FROM answers a
JOIN asked s ON s.id = a.asked_id
LEFT JOIN grades g INDEXED BY grades_score ON g.answer_id = a.id
WHERE a.kind = 'main' AND (g.answer_id IS NOT NULL OR a.skipped = 1) {{question}}
ORDER BY a.id
"""


def _history(
    store: Store, question_id: str | None = None, verdicts: bool = False
) -> dict[tuple[str, str], list[tuple]]:
    """Graded (or skipped) main answers as :data:`_HISTORY` rows, oldest first, by (question
    id, question hash): one question's or all. With ``verdicts``, each answer's key point
    verdicts come in the same pass (a first schedule needs all of them; a sync that finds
    little to do needs few, and is the more frequent)."""
    sql = _HISTORY.format(
        question="AND s.question_id = ?" if question_id is not None else "",
        verdicts=(
            f"coalesce((SELECT {_VERDICTS} FROM key_point_results k WHERE k.answer_id = a.id), '')"
            if verdicts
            else "NULL"
        ),
    )
    grouped: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in store.db.execute(sql, [question_id] if question_id is not None else []):
        grouped[(row[0], row[1] or "")].append(row)
    return grouped


def _digest(rows: Sequence[tuple]) -> str:
    """A fingerprint of a question's answers as its schedule counts them (:data:`_HISTORY`
    rows): it changes when an answer is added, deleted, graded or overridden, so a schedule
    that still matches it needs no look at the answers."""
    # Not the verdicts column: the digest stays what earlier versions stored, but for answers
    # with a graded follow-up, whose verdicts it changes.
    text = repr([row[2:7] if row[8] is None else (*row[2:7], row[8]) for row in rows])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _stored_digests(store: Store) -> dict[str, tuple[str, str | None, set[str]]]:
    """(question hash, history digest, key point ids) of each question's stored schedule,
    without reading the answer logs."""
    heads: dict[str, tuple[str, str | None, set[str]]] = {}
    points: dict[str, set[str]] = defaultdict(set)
    rows = store.db.execute(
        f"SELECT kind, item_id, question_id, question_hash, CASE WHEN kind = '{QUESTION}' "
        f"THEN json_extract(card_json, '$.history') END FROM {TABLE}"
    )
    for kind, item_id, question_id, question_hash, digest in rows:
        if kind == QUESTION:
            heads[question_id] = (question_hash or "", digest, points[question_id])
        elif kind == KEY_POINT:
            points[question_id].add(item_id.split("/", 1)[-1])
    return heads


_SCAN_FROM = 5000
"""From this many answers, :func:`_attach_verdicts` reads the whole key point table."""


def _attach_verdicts(store: Store, answers: list[_Answer]) -> None:
    """Fill in the grader's verdicts on the key points of answers read without them."""
    by_id = {a.answer_id: a for a in answers if a.verdicts is None}
    for answer in by_id.values():
        answer.verdicts = ""  # no key point rows: no verdicts
    if len(by_id) >= _SCAN_FROM:
        # Much of the history: one pass over the table beats looking up each answer's rows.
        where, chunks = "", [[]]
    else:
        ids = list(by_id)
        # Chunked: SQLite limits the variables of one statement.
        chunks = [ids[start : start + 500] for start in range(0, len(ids), 500)]
        where = "WHERE k.answer_id IN ({})"
    for chunk in chunks:
        rows = store.db.execute(
            f"SELECT k.answer_id, {_VERDICTS} FROM key_point_results k "
            f"{where.format(', '.join('?' * len(chunk)))} GROUP BY k.answer_id",
            chunk,
        )
        for answer_id, verdicts in rows:
            if answer_id in by_id:
                by_id[answer_id].verdicts = verdicts


def _load_stored(store: Store, question_ids: Iterable[str] | None = None) -> dict[str, _Stored]:
    """Stored review rows, by question id (all questions, or the ones given)."""
    sql = f"SELECT kind, item_id, question_id, question_hash, card_json, reps, lapses FROM {TABLE}"
    params: list[Any] = []
    if question_ids is not None:
        ids = list(question_ids)
        if not ids:
            return {}
        sql += f" WHERE question_id IN ({', '.join('?' * len(ids))})"
        params = ids
    stored: dict[str, _Stored] = {}
    key_points: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    counts: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for kind, item_id, question_id, question_hash, card_json, reps, lapses in store.db.execute(
        sql, params
    ):
        data = json.loads(card_json or "{}")
        if kind == QUESTION:
            stored[question_id] = _Stored(question_hash or "", data, {})
        elif kind == KEY_POINT:
            kp_id = data.get("key_point_id") or item_id.split("/", 1)[-1]
            key_points[question_id][kp_id] = data
            counts[question_id][kp_id] = (reps or 0, lapses or 0)
    for question_id, points in key_points.items():
        if question_id in stored:
            stored[question_id].key_points = points
            stored[question_id].counts = counts[question_id]
    return stored


def _new_card(item_id: str) -> Card:
    # A stable id (FSRS only uses it in its review logs) avoids Card()'s clock-based default.
    return Card(card_id=zlib.crc32(item_id.encode("utf-8")))


_REVIEWERS: list[Replay | Reference] = []


def _reviewer() -> Replay | Reference:
    """FSRS for replays: the fast :class:`~mockint.replay.Replay` when it gives exactly what
    the installed ``fsrs`` gives (checked once), else ``fsrs`` itself."""
    if not _REVIEWERS:
        _REVIEWERS.append(Replay(SCHEDULER) if agrees(SCHEDULER) else Reference(SCHEDULER))
    return _REVIEWERS[0]


@dataclass
class _Track:
    """One card being replayed: its FSRS memory and what its stored row counts."""

    item_id: str
    memory: Memory
    log: list[dict[str, Any]]
    reps: int = 0
    lapses: int = 0

    @classmethod
    def resume(cls, item_id: str, data: dict[str, Any] | None, counts=(0, 0)) -> _Track:
        """From a stored row's card and log (None: a new card)."""
        if data is None:
            return cls(item_id, Memory(), [])
        memory = Memory.of(Card.from_dict(data["card"]))
        return cls(item_id, memory, list(data.get("log", [])), *counts)

    def row(self, question_id: str, question_hash: str, kind: str, data: dict) -> dict:
        """The stored row; ``data`` (the card_json's other keys) gets the card added, so that
        it is what json.loads of the row's card_json gives."""
        card = self.memory.card(zlib.crc32(self.item_id.encode("utf-8")))
        data["card"] = card.to_dict()
        return {
            "kind": kind,
            "item_id": self.item_id,
            "question_id": question_id,
            "question_hash": question_hash,
            "due_at": _iso(card.due),
            "last_review": _iso(card.last_review or card.due),
            "reps": self.reps,
            "lapses": self.lapses,
            "card_json": json.dumps(data),
        }


@dataclass
class _Plan:
    """How one question's cards catch up with its answers (see :func:`_plan`)."""

    question: Question
    question_hash: str
    digest: str
    answers: list[_Answer]
    """Its answers in review order."""
    at_of: dict[int, datetime]
    """Each answer's review time."""
    resume: _Stored | None
    """The stored cards to go on from (None: replay every answer)."""
    new: list[_Answer]
    """The answers to review: those after the stored cards', or all of them."""


def _plan(
    store: Store,
    question: Question,
    rows: Sequence[tuple],
    review_times: dict[int, datetime] | None = None,
) -> _Plan | None:
    """What it takes to bring one question's cards in line with its answers (``rows`` of
    :data:`_HISTORY` for its current version), or None when they are. New answers that come
    after every scheduled one are reviewed on the stored cards; any other difference (an
    override, a deleted answer, an answer graded late) replays the whole history.
    ``review_times`` are review times for answers not scheduled yet (default: when they were
    recorded)."""
    question_hash = question.content_hash()
    digest = _digest(rows)
    stored = _load_stored(store, [question.id]).get(question.id)
    if stored is not None and stored.question_hash != question_hash:
        stored = None
    # Each answer's review time: the one logged when it was scheduled, else when recorded.
    times = stored.review_times() if stored else {}
    for answer_id, moment in (review_times or {}).items():
        times.setdefault(answer_id, moment)
    answers = [_Answer.of(row) for row in rows]
    at_of = {a.answer_id: times.get(a.answer_id) or _parse(a.created_at) for a in answers}
    answers.sort(key=lambda a: (at_of[a.answer_id], a.answer_id))
    log = stored.card.get("log", []) if stored else []
    resumable = (
        stored is not None
        and set(stored.key_points) == {kp.id for kp in question.key_points}
        and len(log) <= len(answers)
        and all(a.logged_as(e) for a, e in zip(answers, log, strict=False))
    )
    if resumable and len(log) == len(answers) and stored.card.get("history") == digest:
        return None
    resume = stored if resumable else None
    new = answers[len(log) :] if resumable else answers
    return _Plan(question, question_hash, digest, answers, at_of, resume, new)


def _apply(store: Store, plan: _Plan, seconds_text: _SecondsText) -> _Stored | None:
    """Review the plan's new answers (their verdicts attached) and store the cards; returns
    them as :func:`_load_stored` would read them back (None: none stored)."""
    question, question_hash, stored = plan.question, plan.question_hash, plan.resume
    with store.transaction():
        store.db.execute(f"DELETE FROM {TABLE} WHERE question_id = ?", [question.id])
        if not plan.answers:
            return None
        card = _Track.resume(question.id, stored.card if stored else None)
        card.reps, card.lapses = len(card.log), sum(e["rating"] == "again" for e in card.log)
        points = {
            kp.id: _Track.resume(
                f"{question.id}/{kp.id}",
                stored.key_points[kp.id] if stored else None,
                stored.counts.get(kp.id, (0, 0)) if stored else (0, 0),
            )
            for kp in question.key_points
        }
        if plan.new:
            _review_answers(card, points, plan.new, plan.at_of, seconds_text)
        written = _Stored(question_hash, {"log": card.log, "history": plan.digest}, {})
        rows = [card.row(question.id, question_hash, QUESTION, written.card)]
        due = min([card.memory.due, *(p.memory.due for p in points.values())])
        rows[0]["due_at"] = _iso(datetime.fromtimestamp(due, UTC))
        for kp_id, point in points.items():
            # A key point's card is rebuilt from the history, never from its log, so only the
            # recent outcomes that weak spots look at are kept.
            data = {"key_point_id": kp_id, "log": point.log[-RECENT_ANSWERS:]}
            rows.append(point.row(question.id, question_hash, KEY_POINT, data))
            written.key_points[kp_id] = data
            written.counts[kp_id] = (point.reps, point.lapses)
        # The question's old rows were deleted above, so a plain insert fits any table shape.
        store.db[TABLE].insert_all(rows)
        return written


def _catch_up(store: Store, plans: list[_Plan]) -> dict[str, _Stored | None]:
    """Carry out plans: their answers' verdicts read in one go, then each question's cards;
    returns what was stored, by question id (see :func:`_apply`)."""
    _attach_verdicts(store, [answer for plan in plans for answer in plan.new])
    # One for all questions: the answers of one session share their hour.
    seconds_text = _SecondsText()
    return {plan.question.id: _apply(store, plan, seconds_text) for plan in plans}


_STATUS_RATING = {"hit": int(Rating.Good), "partial": int(Rating.Hard)}
""":func:`rating_for_status` as numbers, for replays (anything else is *again*)."""


_RATING_NAME = {int(rating): rating.name.lower() for rating in Rating}


_UNIT = methodcaller("split", "\x1f", 1)
"""A key point's verdict in :data:`_VERDICTS` text -> [key point id, status]."""


class _Verdicts(dict):
    """A question's key point verdicts (:data:`_VERDICTS` text) -> (misses, each point's status
    and rating, in the question's order); each text is parsed once, as a history repeats the
    same few thousand times."""

    def __init__(self, kp_ids: list[str]):
        super().__init__()
        self.kp_ids = kp_ids

    def __missing__(self, key: str | tuple[str, str]) -> tuple[int, tuple, tuple]:
        # (the answer's verdicts, its follow-ups'): each point's best of the two. The misses
        # (which cap the question's rating) are the answer's own: the interviewer had to ask.
        text, follow_ups = key if isinstance(key, tuple) else (key, "")
        # map() over bound methods: some thousands of texts in a first schedule.
        given = dict(map(_UNIT, text.split("\x1e"))) if text else {}
        misses = tuple(map(given.get, self.kp_ids, repeat("miss"))).count("miss")
        for kp_id, status in map(_UNIT, follow_ups.split("\x1e") if follow_ups else ()):
            if kp_id in given and STATUS_RANK.get(status, 0) > STATUS_RANK.get(given[kp_id], 0):
                given[kp_id] = status
        statuses = tuple(map(given.get, self.kp_ids, repeat("miss")))
        ratings = tuple(map(_STATUS_RATING.get, statuses, repeat(1)))
        self[key] = outcome = (misses, statuses, ratings)
        return outcome


def _review_answers(
    card: _Track,
    points: dict[str, _Track],
    answers: list[_Answer],
    at_of: dict[int, datetime],
    seconds_text: _SecondsText,
) -> None:
    """Review the question's card and its key points' cards with each answer, in order (each
    answer's time written by ``seconds_text``).

    Plain numbers and tuples per answer, not Rating or per-point objects: a first schedule
    goes through every answer of the history here.
    """
    verdicts = _Verdicts(list(points))
    every = len(points)
    # The points' statuses and ratings when the answer's own rating stands for all of them.
    alike = {r: ((_status_for_rating(Rating(r)),) * every, (r,) * every) for r in _RATING_NAME}
    times: list[int] = []
    ratings: list[int] = []
    # Per answer, each key point's status and rating (in the points' order).
    point_statuses: list[tuple[str, ...]] = []
    point_ratings: list[tuple[int, ...]] = []
    for answer in answers:
        # Whole seconds, as stored: a replay must land on exactly the same schedule. (The floor
        # of the timestamp: the moment without its microseconds, without making that moment.)
        stamp = math.floor(at_of[answer.answer_id].timestamp())
        times.append(stamp)
        text = answer.verdicts or ""
        key = (text, answer.follow_ups) if answer.follow_ups else text
        misses, statuses, kp_ratings = verdicts[key]
        # Without per-point verdicts (or with an override) the answer's rating stands for all.
        trust_points = bool(answer.verdicts) and not answer.overridden
        rating = _rating_number(answer.score, misses, not trust_points)
        if not trust_points:
            statuses, kp_ratings = alike[rating]
        point_statuses.append(statuses)
        point_ratings.append(kp_ratings)
        ratings.append(rating)
        card.log.append(
            {
                "answer_id": answer.answer_id,
                "at": seconds_text(stamp),
                "score": round(answer.score, 2),
                "overridden": answer.overridden,
                "skipped": answer.skipped,
                "rating": _RATING_NAME[rating],
            }
        )
        if answer.follow_ups is not None:
            card.log[-1]["follow_ups"] = answer.follow_ups
    reviewer = _reviewer()
    card.reps += len(answers)
    card.lapses += ratings.count(int(Rating.Again))
    reviewer.run(card.memory, ratings, times)
    if not answers:
        return
    # Only the latest outcomes of a key point are stored (see _apply).
    recent = card.log[-min(RECENT_ANSWERS, len(answers)) :]
    columns = zip(points.values(), zip(*point_statuses), zip(*point_ratings), strict=True)
    for point, statuses, kp_ratings in columns:
        point.reps += len(answers)
        point.lapses += statuses.count("miss")
        point.log += [
            {"answer_id": entry["answer_id"], "at": entry["at"], "status": status}
            for entry, status in zip(recent, statuses[len(statuses) - len(recent) :], strict=True)
        ]
        reviewer.run(point.memory, kp_ratings, times)


def update_after_grade(
    store: Store,
    bank_id: str,
    question: Question,
    answer_id: int,
    now: datetime | None = None,
) -> ReviewState | None:
    """Reschedule ``question`` after the graded answer ``answer_id``; call after every grade.

    ``now`` is the time of the review (default: the current time). A follow-up's grade changes
    the key point verdicts of the answer it followed up on (its review keeps its time);
    ungraded answers change nothing. Calling it twice for the same answer is harmless. Returns
    the question's new review state (None when the question has no graded answer in its
    current version).
    """
    ensure_table(store)
    question_hash = question.content_hash()
    # One transaction: the cards are rebuilt from exactly the answers read here.
    with store.transaction():
        rows = _history(store, question.id).get((question.id, question_hash), [])
        times = {answer_id: _utc(now)} if any(row[2] == answer_id for row in rows) else {}
        plan = _plan(store, question, rows, times)
        if plan is not None:
            _catch_up(store, [plan])
        state = _load_stored(store, [question.id]).get(question.id)
    return _review_state(question, state, bank_id) if state else None


def sync(store: Store, library: Library) -> int:
    """Bring every question's review state in line with the history; returns how many changed.

    Answers never scheduled are replayed at the time they were recorded; overrides set after the
    fact change the rating of the answer they belong to; a deleted session stops counting; an
    edited question starts fresh. A question whose answers did not change since its schedule
    was stored (the digest of its answers says so) is not looked at; nothing at all is when
    neither the database nor the questions changed since the last sync of this store.
    """
    ensure_table(store)
    seen = _Seen.of(store, library)
    if _SYNCED.get(store) == seen:
        return 0
    with _collector_paused(), store.transaction():
        written = _sync(store, library)
    seen = _SYNCED[store] = _Seen.of(store, library)
    # What was just stored, for the review states asked for next (no reading it back).
    _WRITTEN[store] = (seen, written)
    return len(written)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a block that makes objects by the hundred
    thousand, none of them in a cycle: a first schedule of 50,000 answers made it run some 300
    times (two of them through every object of the process), 0.06 s of its 0.6 s; reading the
    stored schedules back parses as many log entries. It runs again afterwards, unless
    something else had paused it (then that one resumes it)."""
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()


def _sync(store: Store, library: Library) -> dict[str, _Stored | None]:
    stored = _stored_digests(store)
    # Nothing scheduled yet (a first schedule): every answer will be reviewed.
    history = _history(store, verdicts=not stored)
    plans = []
    for _bank, question in library.questions():
        question_hash = question.content_hash()
        rows = history.get((question.id, question_hash), [])
        state = stored.get(question.id)
        if state is None and not rows:
            continue
        kp_ids = {kp.id for kp in question.key_points}
        if state is not None and state == (question_hash, _digest(rows), kp_ids):
            continue
        plan = _plan(store, question, rows)
        if plan is not None:
            plans.append(plan)
    return _catch_up(store, plans)


@dataclass(frozen=True)
class _Seen:
    """What a store's schedule was last brought in line with: the database (SQLite's count of
    other connections' commits and of this connection's changes) and the questions."""

    data_version: int
    changes: int
    questions: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, store: Store, library: Library) -> _Seen:
        with store.read() as db:
            (data_version,) = db.execute("PRAGMA data_version").fetchone()
            changes = db.conn.total_changes
        questions = tuple((q.id, q.content_hash()) for _bank, q in library.questions())
        return cls(data_version, changes, questions)


_SYNCED: weakref.WeakKeyDictionary[Store, _Seen] = weakref.WeakKeyDictionary()
"""Per store, what its last :func:`sync` saw (a sync that would find nothing to do is skipped)."""

_WRITTEN: weakref.WeakKeyDictionary[Store, tuple[_Seen, dict[str, _Stored | None]]] = (
    weakref.WeakKeyDictionary()
)
"""Per store, the schedules its last :func:`sync` stored and what it saw then, until the next
:func:`review_states` takes them (a first schedule's are 5 MB of JSON at 50,000 answers)."""


def _weak_points(
    question: Question, key_points: dict[str, dict[str, Any]]
) -> tuple[list[str], float]:
    """Key points missed in recent answers, worst first, and the worst point's miss rate."""
    rates: list[tuple[float, float, int, str]] = []
    for position, kp in enumerate(question.key_points):
        recent = key_points.get(kp.id, {}).get("log", [])[-RECENT_ANSWERS:]
        if recent:
            rate = sum(_STATUS_VALUE.get(e["status"], 1.0) for e in recent) / len(recent)
            # Equally missed points: the heavier one first, then the rubric's order.
            rates.append((-rate, -kp.weight, position, kp.id))
    rates.sort()
    worst = -rates[0][0] if rates else 0.0
    return [kp_id for rate, _w, _p, kp_id in rates if rate < 0], worst


def _review_state(question: Question, stored: _Stored, bank_id: str | None) -> ReviewState:
    card = Card.from_dict(stored.card["card"])
    log = stored.card.get("log", [])
    last = log[-1]
    due = min([card.due, *(Card.from_dict(kp["card"]).due for kp in stored.key_points.values())])
    last_review = _parse(last["at"])
    last_statuses = {
        kp_id: kp["log"][-1]["status"]
        for kp_id, kp in stored.key_points.items()
        if kp.get("log") and kp["log"][-1]["answer_id"] == last["answer_id"]
    }
    order = [kp.id for kp in question.key_points]
    weak_points, worst = _weak_points(question, stored.key_points)
    scores = [float(e["score"]) for e in log]
    recent = scores[-RECENT_SCORES:]
    score_weakness = 1 - sum(recent) / len(recent) / 100
    return ReviewState(
        question_id=question.id,
        bank_id=bank_id,
        due_at=due,
        last_review=last_review,
        interval_days=round((due - last_review).total_seconds() / 86400, 2),
        reps=len(log),
        lapses=sum(1 for e in log if e["rating"] == "again"),
        last_score=scores[-1],
        last_rating=last["rating"],
        last_skipped=bool(last.get("skipped")),
        scores=scores,
        missed_points=[k for k in order if last_statuses.get(k) == "miss"],
        partial_points=[k for k in order if last_statuses.get(k) == "partial"],
        hit_points=sum(1 for k in order if last_statuses.get(k) == "hit"),
        weak_points=weak_points,
        weakness=round(max(0.0, min(1.0, (worst + score_weakness) / 2)), 3),
    )


def review_states(
    store: Store, library: Library, bank_id: str | None = None
) -> dict[str, ReviewState]:
    """The review state of every answered question in scope, by question id (no sync)."""
    ensure_table(store)
    questions = list(_in_scope(library, bank_id))
    seen = _Seen.of(store, library)
    cached = _STATES.setdefault(store, {}).get(bank_id)
    if cached is not None and cached[0] == seen:
        return dict(cached[1])
    written_seen, written = _WRITTEN.pop(store, (None, {}))
    if written_seen != seen:
        written = {}  # the database changed since
    with _collector_paused(), store.read():
        stored = _load_stored(store, [q.id for _, q in questions if q.id not in written])
    stored.update((q_id, state) for q_id, state in written.items() if state is not None)
    states = {}
    for bank, question in questions:
        state = stored.get(question.id)
        if state is not None and state.question_hash == question.content_hash():
            states[question.id] = _review_state(question, state, bank.id)
    # The home screen and `mockint next` ask again and again; the answer only changes with the
    # database or the questions.
    _STATES[store][bank_id] = (seen, states)
    return dict(states)


_STATES: weakref.WeakKeyDictionary[Store, dict[str | None, tuple]] = weakref.WeakKeyDictionary()
"""Per store and bank, the review states last computed and what they were computed from."""


def _in_scope(library: Library, bank_id: str | None):
    if bank_id is not None:
        try:
            library.bank(bank_id)
        except KeyError:
            raise ValueError(f"unknown bank {bank_id!r}") from None
    for bank, question in library.questions():
        if bank_id is None or bank.id == bank_id:
            yield bank, question


def _asked_this_round(store: Store, scope: set[str]) -> dict[str, int]:
    """The questions in ``scope`` asked in the current round, each with how many sessions ago
    it was last asked (0: the latest session that asked any of them).

    A round is the run of latest sessions that has not yet gone through every question in
    scope: the sessions are walked newest first and the walk stops at the one that would
    complete the bank. The latest session always counts, even when it asked everything."""
    rows = store.db.execute("SELECT session_id, question_id FROM asked ORDER BY id DESC")
    sessions: dict[int, set[str]] = {}
    for session_id, question_id in rows:
        if question_id in scope:
            sessions.setdefault(session_id, set()).add(question_id)
    recent: dict[str, int] = {}
    for age, asked in enumerate(sessions.values()):
        if age and len(recent.keys() | asked) >= len(scope):
            break
        for question_id in asked:
            recent.setdefault(question_id, age)
    return recent


def _days(delta: timedelta) -> float:
    return round(delta.total_seconds() / 86400, 2)


def _date(moment: datetime) -> str:
    return moment.astimezone().date().isoformat()


def _describe(state: ReviewState | None, now: datetime) -> str:
    """Why a question stands where it does: due date, last score, missed points."""
    if state is None:
        return "never asked"
    # Calendar days, as the candidate counts them.
    late = (now.astimezone().date() - state.due_at.astimezone().date()).days
    if late >= 1:
        when = f"due {_date(state.due_at)} ({late} day{'s' if late > 1 else ''} overdue)"
    elif late == 0:
        when = "due today"
    else:
        when = f"due {_date(state.due_at)}"
    if state.last_skipped:
        return f"{when}; skipped last time"
    parts = [when, f"last score {state.last_score:.0f} ({state.last_rating})"]
    missed = state.missed_points
    if 0 < len(missed) <= 2:
        parts.append("missed " + ", ".join(missed))
    elif missed:
        total = len(missed) + len(state.partial_points) + state.hit_points
        parts.append(f"missed {len(missed)} of {total} key points")
    partial = state.partial_points
    if 0 < len(partial) <= 2:
        parts.append("partly covered " + ", ".join(partial))
    elif partial:
        parts.append(f"partly covered {len(partial)} key points")
    return "; ".join(parts)


def _describe_weak(state: ReviewState, stored: _Stored) -> str:
    # An overridden answer rates every key point as the override does, which schedules them
    # but says nothing about which points were missed: only the grader's verdicts are quoted.
    log = stored.card.get("log", [])
    overridden = {e["answer_id"] for e in log if e.get("overridden")}
    described = []
    for kp_id in state.weak_points:
        entries = stored.key_points[kp_id]["log"][-RECENT_ANSWERS:]
        recent = [e for e in entries if e["answer_id"] not in overridden]
        counts = []
        for status, verb in (("miss", "missed"), ("partial", "partly covered")):
            times = sum(1 for e in recent if e["status"] == status)
            if times:
                counts.append(f"{verb} {times}" if len(recent) > 1 else verb)
        if counts:
            window = f"of the last {len(recent)} answers" if len(recent) > 1 else "last time"
            described.append(f"{kp_id}: {', '.join(counts)} {window}")
    parts = described[:2]
    if len(described) > 2:
        more = len(described) - 2
        parts.append(f"{more} more point{'s' if more > 1 else ''} missed")
    if log and log[-1].get("overridden"):
        parts.append(f"you rated your last answer {float(log[-1]['score']):.0f}")
    scores = ", ".join(f"{s:.0f}" for s in state.scores[-RECENT_SCORES:])
    parts.append(f"recent scores {scores}")
    return "; ".join(parts)


def _daily_jitter(question_id: str, now: datetime) -> float:
    # Breaks ties differently each day (so mock interviews vary) yet reproducibly for a given now.
    digest = hashlib.sha256(f"{question_id}:{_date(now)}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _selection(bank, question, mode: str, reason: str, state: ReviewState | None, now: datetime):
    return Selection(
        bank_id=bank.id,
        question_id=question.id,
        topic=question.topic,
        difficulty=question.difficulty,
        mode=mode,
        reason=reason,
        due_at=state.due_at if state else None,
        overdue_days=_days(now - state.due_at) if state else None,
        last_review=state.last_review if state else None,
        last_score=state.last_score if state else None,
        reps=state.reps if state else 0,
        lapses=state.lapses if state else 0,
        missed_points=state.missed_points if state else [],
        partial_points=state.partial_points if state else [],
        weak_points=state.weak_points if state else [],
        weakness=state.weakness if state else 0.0,
    )


def _need(state: ReviewState | None, now: datetime) -> tuple[float, str]:
    """How much a question needs asking in a mock interview, and the one-line why."""
    if state is None:
        return 1.2, "never asked"
    if state.due_at <= end_of_day(now):
        return 2.0 + min(max(_days(now - state.due_at), 0.0) / 7, 1.0), _describe(state, now)
    if state.weakness >= WEAK_THRESHOLD:
        return 1.0 + state.weakness, _describe(state, now)
    # Not due: the closer to its due date, the more it needs asking.
    elapsed = (now - state.last_review).total_seconds()
    span = max((state.due_at - state.last_review).total_seconds(), 1.0)
    return min(elapsed / span, 1.0), _describe(state, now)


def _mock(
    questions: Sequence[tuple[Any, Question]],
    states: dict[str, ReviewState],
    recent: dict[str, int],
    n: int,
    now: datetime,
) -> list[Selection]:
    scored = []
    for bank, question in questions:
        need, why = _need(states.get(question.id), now)
        scored.append(
            (recent.get(question.id), need, _daily_jitter(question.id, now), bank, question, why)
        )
    # Questions not asked this round come first, the most needed first; when there are not
    # enough of them, the ones asked longest ago fill in.
    pool = sorted((s for s in scored if s[0] is None), key=lambda s: (-s[1], s[2]))
    if len(pool) < n:
        asked = sorted((s for s in scored if s[0] is not None), key=lambda s: (-s[0], -s[1], s[2]))
        pool += asked[: n - len(pool)]
    by_topic: dict[str, list] = defaultdict(list)
    for item in pool:
        by_topic[item[4].topic].append(item)
    picked = []
    # Round-robin over topics (most needed topic first) so the interview covers the ground.
    while len(picked) < n and any(by_topic.values()):
        for topic in list(by_topic):
            if by_topic[topic] and len(picked) < n:
                picked.append(by_topic[topic].pop(0))
    picked.sort(key=lambda s: (_DIFFICULTY_ORDER.get(s[4].difficulty, 1), -s[1], s[2]))
    return [
        _selection(
            bank,
            question,
            "mock",
            f"topic {bank.topic_title(question.topic, 'en')}: {why}" + _repeat_note(age),
            states.get(question.id),
            now,
        )
        for age, _need_value, _jitter, bank, question, why in picked
    ]


def _repeat_note(age: int | None) -> str:
    if age is None:
        return ""
    if age == 0:
        return " (also asked last session: not enough other questions)"
    return f" (asked {age + 1} sessions ago: every other question was asked since)"


def select_questions(
    store: Store,
    library: Library,
    mode: str,
    n: int,
    bank_id: str | None = None,
    now: datetime | None = None,
) -> list[Selection]:
    """Up to ``n`` questions to practise in ``mode`` (due, weak, new or mock), best first.

    Brings the review state up to date with the history first (see :func:`sync`). Raises
    ValueError for an unknown mode or bank.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (choose from {', '.join(MODES)})")
    if n < 1:
        return []
    now = _utc(now)
    questions = list(_in_scope(library, bank_id))
    sync(store, library)
    with store.read():
        return _select(store, library, questions, mode, n, bank_id, now)


def _select(
    store: Store,
    library: Library,
    questions: list[tuple[Bank, Question]],
    mode: str,
    n: int,
    bank_id: str | None,
    now: datetime,
) -> list[Selection]:
    states = review_states(store, library, bank_id)

    if mode == "new":
        return [
            _selection(bank, q, mode, "never asked", None, now)
            for bank, q in questions
            if q.id not in states
        ][:n]

    if mode == "due":
        cutoff = end_of_day(now)
        due = [(bank, q) for bank, q in questions if q.id in states]
        due = [(b, q) for b, q in due if states[q.id].due_at <= cutoff]
        # Equally overdue: the weaker question first.
        due.sort(key=lambda bq: (states[bq[1].id].due_at, -states[bq[1].id].weakness, bq[1].id))
        return [
            _selection(b, q, mode, _describe(states[q.id], now), states[q.id], now)
            for b, q in due[:n]
        ]

    if mode == "weak":
        stored = _load_stored(store, list(states))
        weak = [(b, q) for b, q in questions if q.id in states]
        weak = [(b, q) for b, q in weak if states[q.id].weakness >= WEAK_THRESHOLD]
        weak.sort(key=lambda bq: (-states[bq[1].id].weakness, states[bq[1].id].due_at))
        return [
            _selection(b, q, mode, _describe_weak(states[q.id], stored[q.id]), states[q.id], now)
            for b, q in weak[:n]
        ]

    recent = _asked_this_round(store, {q.id for _, q in questions})
    return _mock(questions, states, recent, n, now)


def summary(
    store: Store, library: Library, bank_id: str | None = None, now: datetime | None = None
) -> Summary:
    """How many questions are due, new and weak (for a home screen or a status line)."""
    now = _utc(now)
    questions = list(_in_scope(library, bank_id))
    sync(store, library)
    states = review_states(store, library, bank_id)
    cutoff = end_of_day(now)
    upcoming = sorted(
        (s for s in states.values() if s.due_at > cutoff), key=lambda s: (s.due_at, s.question_id)
    )
    return Summary(
        total=len(questions),
        due=sum(1 for s in states.values() if s.due_at <= cutoff),
        new=sum(1 for _, q in questions if q.id not in states),
        weak=sum(1 for s in states.values() if s.weakness >= WEAK_THRESHOLD),
        next_due_at=upcoming[0].due_at if upcoming else None,
        next_due_question=upcoming[0].question_id if upcoming else None,
    )
