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

Only ``main`` answers count: a follow-up is the interviewer's prompt on one point, and a point
recalled only when prompted was still missed. A skipped question counts as a score of 0 (*again*).
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
the FSRS card and the log of the answers it was built from.

The review state is a cache of the history: each card keeps the log of the answers it was built
from (with the time of each review), and :func:`sync` rebuilds a question's cards whenever the
history disagrees with them (an override was set, a session was deleted, an answer was recorded
without :func:`update_after_grade`). :func:`select_questions` syncs first.

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

import hashlib
import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

from fsrs import Card, Rating, Scheduler
from pydantic import BaseModel, ConfigDict

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
    if score >= EASY_FROM:
        rating = Rating.Easy
    elif score >= GOOD_FROM:
        rating = Rating.Good
    elif score >= HARD_FROM:
        rating = Rating.Hard
    else:
        rating = Rating.Again
    if missed_points and not overridden and rating == Rating.Easy:
        rating = Rating.Good
    return rating


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
    return now.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).isoformat(timespec="seconds")


def _parse(text: str) -> datetime:
    return _utc(datetime.fromisoformat(text))


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


@dataclass
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
    statuses: dict[str, str] = field(default_factory=dict)


@dataclass
class _Stored:
    """A question's review rows as stored: its own row and its key points' rows."""

    question_hash: str
    card: dict[str, Any]
    key_points: dict[str, dict[str, Any]]

    def review_times(self) -> dict[int, datetime]:
        return {int(e["answer_id"]): _parse(e["at"]) for e in self.card.get("log", [])}

    def logged_scores(self) -> dict[int, tuple[float, bool]]:
        return {
            int(e["answer_id"]): (float(e["score"]), bool(e.get("overridden")))
            for e in self.card.get("log", [])
        }


# The queries below run inside their caller's store.read() or store.transaction().


def _graded_answers(store: Store, question_id: str | None = None) -> list[_Answer]:
    """Graded (or skipped) main answers from the history, oldest first (one question or all)."""
    where = "a.kind = 'main' AND (g.answer_id IS NOT NULL OR a.skipped = 1)"
    params: list[Any] = []
    if question_id is not None:
        where += " AND s.question_id = ?"
        params.append(question_id)
    rows = store.db.execute(
        f"""
        SELECT a.id, s.question_id, s.question_hash, a.created_at, g.score, g.override_score,
               g.answer_id IS NULL
        FROM answers a
        JOIN asked s ON s.id = a.asked_id
        LEFT JOIN grades g ON g.answer_id = a.id
        WHERE {where}
        ORDER BY a.id
        """,
        params,
    ).fetchall()
    return [
        _Answer(
            answer_id=row[0],
            question_id=row[1],
            question_hash=row[2] or "",
            created_at=row[3] or "",
            # A skipped question is one the candidate could not answer: a score of 0.
            score=float(row[5] if row[5] is not None else (row[4] or 0.0)),
            overridden=row[5] is not None,
            skipped=bool(row[6]),
        )
        for row in rows
    ]


def _attach_statuses(store: Store, question_id: str, answers: list[_Answer]) -> None:
    """Fill in the grader's verdict on each key point of each answer."""
    by_id = {a.answer_id: a for a in answers}
    rows = store.db.execute(
        "SELECT answer_id, key_point_id, status FROM key_point_results WHERE question_id = ?",
        [question_id],
    ).fetchall()
    for answer_id, key_point_id, status in rows:
        if answer_id in by_id:
            by_id[answer_id].statuses[key_point_id] = status


def _load_stored(store: Store, question_ids: Iterable[str] | None = None) -> dict[str, _Stored]:
    """Stored review rows, by question id (all questions, or the ones given)."""
    sql = f"SELECT kind, item_id, question_id, question_hash, card_json FROM {TABLE}"
    params: list[Any] = []
    if question_ids is not None:
        ids = list(question_ids)
        if not ids:
            return {}
        sql += f" WHERE question_id IN ({', '.join('?' * len(ids))})"
        params = ids
    stored: dict[str, _Stored] = {}
    key_points: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for kind, item_id, question_id, question_hash, card_json in store.db.execute(sql, params):
        data = json.loads(card_json or "{}")
        if kind == QUESTION:
            stored[question_id] = _Stored(question_hash or "", data, {})
        elif kind == KEY_POINT:
            key_points[question_id][data.get("key_point_id") or item_id.split("/", 1)[-1]] = data
    for question_id, points in key_points.items():
        if question_id in stored:
            stored[question_id].key_points = points
    return stored


def _new_card(item_id: str) -> Card:
    # A stable id (FSRS only uses it in its review logs) avoids Card()'s clock-based default.
    return Card(card_id=zlib.crc32(item_id.encode("utf-8")))


def _review(card: Card, rating: Rating, at: datetime) -> Card:
    # Reviews replayed out of order would confuse FSRS; callers sort, this guards ties.
    if card.last_review is not None and at < card.last_review:
        at = card.last_review
    card, _ = SCHEDULER.review_card(card, rating, review_datetime=at)
    return card


def _rebuild(
    store: Store, question: Question, answers: list[_Answer], times: dict[int, datetime]
) -> None:
    """Replay a question's answers through FSRS and store the resulting cards."""
    question_id = question.id
    question_hash = question.content_hash()
    with store.transaction():
        store.db.execute(f"DELETE FROM {TABLE} WHERE question_id = ?", [question_id])
        if not answers:
            return
        # Each answer's review time: the one logged when it was scheduled, else when recorded.
        at_of = {a.answer_id: times.get(a.answer_id) or _parse(a.created_at) for a in answers}
        answers = sorted(answers, key=lambda a: (at_of[a.answer_id], a.answer_id))
        card = _new_card(question_id)
        log: list[dict[str, Any]] = []
        kp_ids = [kp.id for kp in question.key_points]
        kp_cards = {kp_id: _new_card(f"{question_id}/{kp_id}") for kp_id in kp_ids}
        kp_logs: dict[str, list[dict[str, Any]]] = {kp_id: [] for kp_id in kp_ids}
        for answer in answers:
            # Whole seconds, as stored: a replay must land on exactly the same schedule.
            at = at_of[answer.answer_id].replace(microsecond=0)
            # Without per-point verdicts (or with an override) the answer's rating stands for all.
            trust_points = bool(answer.statuses) and not answer.overridden
            missed = [k for k in kp_ids if answer.statuses.get(k, "miss") == "miss"]
            rating = rating_for_score(answer.score, len(missed), not trust_points)
            card = _review(card, rating, at)
            log.append(
                {
                    "answer_id": answer.answer_id,
                    "at": _iso(at),
                    "score": round(answer.score, 2),
                    "overridden": answer.overridden,
                    "skipped": answer.skipped,
                    "rating": rating.name.lower(),
                }
            )
            for kp_id in kp_ids:
                status = answer.statuses.get(kp_id, "miss")
                if not trust_points:
                    kp_rating = rating
                    status = _status_for_rating(rating)
                else:
                    kp_rating = rating_for_status(status)
                kp_cards[kp_id] = _review(kp_cards[kp_id], kp_rating, at)
                kp_logs[kp_id].append(
                    {"answer_id": answer.answer_id, "at": _iso(at), "status": status}
                )
        due = min([card.due, *(c.due for c in kp_cards.values())])
        rows = [
            {
                "kind": QUESTION,
                "item_id": question_id,
                "question_id": question_id,
                "question_hash": question_hash,
                "due_at": _iso(due),
                "last_review": _iso(card.last_review or due),
                "reps": len(log),
                "lapses": sum(1 for e in log if e["rating"] == "again"),
                "card_json": json.dumps({"card": card.to_dict(), "log": log}),
            }
        ]
        for kp_id in kp_ids:
            kp_card = kp_cards[kp_id]
            kp_log = kp_logs[kp_id]
            rows.append(
                {
                    "kind": KEY_POINT,
                    "item_id": f"{question_id}/{kp_id}",
                    "question_id": question_id,
                    "question_hash": question_hash,
                    "due_at": _iso(kp_card.due),
                    "last_review": _iso(kp_card.last_review or kp_card.due),
                    "reps": len(kp_log),
                    "lapses": sum(1 for e in kp_log if e["status"] == "miss"),
                    # A key point's card is rebuilt from the history, never from its log, so
                    # only the recent outcomes that weak spots look at are kept.
                    "card_json": json.dumps(
                        {
                            "key_point_id": kp_id,
                            "card": kp_card.to_dict(),
                            "log": kp_log[-RECENT_ANSWERS:],
                        }
                    ),
                }
            )
        # The question's old rows were deleted above, so a plain insert fits any table shape.
        store.db[TABLE].insert_all(rows)


def update_after_grade(
    store: Store,
    bank_id: str,
    question: Question,
    answer_id: int,
    now: datetime | None = None,
) -> ReviewState | None:
    """Reschedule ``question`` after the graded answer ``answer_id``; call after every grade.

    ``now`` is the time of the review (default: the current time). Follow-up and ungraded answers
    change nothing. Calling it twice for the same answer is harmless. Returns the question's new
    review state (None when the question has no graded answer in its current version).
    """
    ensure_table(store)
    question_hash = question.content_hash()
    # One transaction: the cards are rebuilt from exactly the answers read here.
    with store.transaction():
        stored = _load_stored(store, [question.id]).get(question.id)
        times = stored.review_times() if stored and stored.question_hash == question_hash else {}
        answers = [
            a for a in _graded_answers(store, question.id) if a.question_hash == question_hash
        ]
        if any(a.answer_id == answer_id for a in answers):
            times.setdefault(answer_id, _utc(now))
        _attach_statuses(store, question.id, answers)
        _rebuild(store, question, answers, times)
        state = _load_stored(store, [question.id]).get(question.id)
    return _review_state(question, state, bank_id) if state else None


def sync(store: Store, library: Library) -> int:
    """Bring every question's review state in line with the history; returns how many changed.

    Answers never scheduled are replayed at the time they were recorded; overrides set after the
    fact change the rating of the answer they belong to; a deleted session stops counting; an
    edited question starts fresh.
    """
    ensure_table(store)
    with store.transaction():
        return _sync(store, library)


def _sync(store: Store, library: Library) -> int:
    answers: dict[str, list[_Answer]] = defaultdict(list)
    for answer in _graded_answers(store):
        answers[answer.question_id].append(answer)
    stored = _load_stored(store)
    changed = 0
    for _bank, question in library.questions():
        question_hash = question.content_hash()
        current = [a for a in answers.get(question.id, []) if a.question_hash == question_hash]
        state = stored.get(question.id)
        if state is None and not current:
            continue
        if state is not None and state.question_hash == question_hash:
            expected = {a.answer_id: (round(a.score, 2), a.overridden) for a in current}
            if state.logged_scores() == expected and set(state.key_points) == {
                kp.id for kp in question.key_points
            }:
                continue
            times = state.review_times()
        else:
            times = {}
        _attach_statuses(store, question.id, current)
        _rebuild(store, question, current, times)
        changed += 1
    return changed


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
    with store.read():
        stored = _load_stored(store, [q.id for _, q in questions])
    states = {}
    for bank, question in questions:
        state = stored.get(question.id)
        if state is not None and state.question_hash == question.content_hash():
            states[question.id] = _review_state(question, state, bank.id)
    return states


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
            f"topic {question.topic}: {why}" + _repeat_note(age),
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
