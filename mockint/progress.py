"""Aggregations over the history: how the candidate is doing, per question and per topic.

    from mockint.progress import progress
    report = progress(store, library)          # everything the progress screen shows
    report.totals.answers, report.streak.current
    report.questions[0].last_score, .best_score, .mean_score, .scores, .trend_label
    report.topics, report.most_missed, report.daily

What counts:

- An *attempt* is a graded main answer (follow-ups are prompted, so they do not count as
  attempts; skipped and ungraded answers are not attempts). Its score is the effective score:
  the candidate's override if there is one, else the grader's.
- A key point is *missed* in an attempt when the main answer did not cover it: what the
  candidate says unprompted is what an interviewer judges, even if the follow-up recovered it.
- A practice day is a local calendar day with at least one answer; the current streak counts
  consecutive practice days up to today, or up to yesterday when today has no answer yet.

Two SQL queries and one pass in Python: a full aggregation over 10,000 answers takes well under
a second (see ``benchmarks/store.py``). Never imports Textual.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mockint.rubric import Library
    from mockint.store import Store

TREND_WINDOW = 5
"""How many recent attempts the trend is computed over."""
TREND_STEP = 3.0
"""Points per attempt above which a trend counts as going up (or down)."""
UNKNOWN_TOPIC = "other"

TrendLabel = Literal["new", "up", "down", "flat"]


class _Model(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)


class ScoreStats(_Model):
    """Scores of a group of attempts (a question, a topic), oldest first."""

    attempts: int
    """Graded main answers."""
    last_score: float | None
    best_score: float | None
    mean_score: float | None
    scores: list[float]
    """Every attempt's effective score, oldest first (for a sparkline or a chart)."""
    trend: float
    """Least-squares slope of the last few scores, in points per attempt (0 with one attempt)."""
    trend_label: TrendLabel
    """``new`` (one attempt), ``up``, ``down`` or ``flat``."""
    last_at: datetime | None
    """When the last attempt was made (UTC)."""


class QuestionProgress(ScoreStats):
    """How one question has gone."""

    question_id: str
    bank_id: str
    topic: str
    """The question's topic (``other`` when the question is no longer in any bank)."""
    overridden: int
    """Attempts whose score the candidate overrode."""


class TopicProgress(ScoreStats):
    """How one topic has gone, over all its questions."""

    topic: str
    questions: int
    """Distinct questions of the topic attempted."""


class MissedPoint(_Model):
    """A key point and how often the candidate leaves it out."""

    question_id: str
    key_point_id: str
    text: str
    """The key point as the rubric states it (its id when the question is gone)."""
    misses: int
    """Attempts whose main answer did not cover it at all."""
    partials: int
    """Attempts that only touched on it."""
    attempts: int
    """Attempts at its question."""
    miss_rate: float
    """``misses / attempts`` (0-1)."""
    last_status: str
    """Its status in the latest attempt: hit, partial or miss."""
    last_missed_at: datetime | None


class Streak(_Model):
    """Days of practice."""

    current: int
    """Consecutive practice days up to today (or yesterday, if today has no answer yet)."""
    longest: int
    practice_days: int
    """Distinct days with at least one answer."""
    last_day: date | None
    practised_today: bool


class Totals(_Model):
    """Counts over the whole history (or the filtered part of it)."""

    sessions: int
    finished_sessions: int
    answers: int
    """Graded main answers (attempts)."""
    follow_ups: int
    skipped: int
    spoken: int
    """Answers given by voice."""
    questions: int
    """Distinct questions attempted."""
    practice_seconds: float
    """Time spent answering (sum of the answers' durations)."""
    mean_score: float | None
    first_at: datetime | None
    last_at: datetime | None


class DailyScore(_Model):
    """One practice day: how many attempts and their mean score."""

    day: date
    attempts: int
    mean_score: float | None


class Progress(_Model):
    """Everything the progress screen and the reports summarise."""

    totals: Totals
    streak: Streak
    questions: list[QuestionProgress]
    """Questions attempted, in bank order (then by id for questions no longer in a bank)."""
    topics: list[TopicProgress]
    """Topics attempted, weakest mean first."""
    most_missed: list[MissedPoint]
    """Key points most often missed, worst first."""
    daily: list[DailyScore]
    """Practice days, oldest first."""


def _parse(timestamp: str) -> datetime:
    moment = datetime.fromisoformat(timestamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def trend_of(scores: Sequence[float], window: int = TREND_WINDOW) -> tuple[float, TrendLabel]:
    """Slope (points per attempt) of the last ``window`` scores, and its label."""
    recent = list(scores)[-window:]
    if len(recent) < 2:
        return 0.0, "new"
    n = len(recent)
    mean_x = (n - 1) / 2
    mean_y = sum(recent) / n
    num = sum((i - mean_x) * (y - mean_y) for i, y in enumerate(recent))
    den = sum((i - mean_x) ** 2 for i in range(n))
    slope = round(num / den, 2)
    label: TrendLabel = "up" if slope >= TREND_STEP else "down" if slope <= -TREND_STEP else "flat"
    return slope, label


def _stats(scores: list[float], last_at: datetime | None) -> dict:
    slope, label = trend_of(scores)
    return {
        "attempts": len(scores),
        "last_score": scores[-1] if scores else None,
        "best_score": max(scores) if scores else None,
        "mean_score": round(sum(scores) / len(scores), 1) if scores else None,
        "scores": scores,
        "trend": slope,
        "trend_label": label,
        "last_at": last_at,
    }


def streak_of(days: Iterable[date], today: date | None = None) -> Streak:
    """The practice streak over a set of practice days (``today`` defaults to the local date)."""
    today = today or datetime.now().astimezone().date()
    ordered = sorted(set(days))
    if not ordered:
        return Streak(current=0, longest=0, practice_days=0, last_day=None, practised_today=False)
    longest = run = 1
    for previous, day in zip(ordered, ordered[1:], strict=False):
        run = run + 1 if day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
    current = 0
    present = set(ordered)
    cursor = today if today in present else today - timedelta(days=1)
    while cursor in present:
        current += 1
        cursor -= timedelta(days=1)
    return Streak(
        current=current,
        longest=longest,
        practice_days=len(ordered),
        last_day=ordered[-1],
        practised_today=today in present,
    )


def _filters(bank_id: str | None, since: str | None, until: str | None) -> tuple[str, list]:
    where, params = [], []
    if bank_id:
        where.append("q.bank_id = ?")
        params.append(bank_id)
    if since:
        where.append("a.created_at >= ?")
        params.append(since)
    if until:
        where.append("a.created_at <= ?")
        params.append(until)
    return "".join(f" AND {w}" for w in where), params


def _iso(value: datetime | date | str | None, end: bool = False) -> str | None:
    from mockint.store import _as_bound

    bound = _as_bound(value, end=end)
    if bound is None:
        return None
    iso, inclusive = bound
    if end and not inclusive:
        # "until a date" means up to the end of that day: just before the next day's start.
        iso = (datetime.fromisoformat(iso) - timedelta(milliseconds=1)).isoformat(
            timespec="milliseconds"
        )
    return iso


def progress(
    store: Store,
    library: Library | None = None,
    *,
    bank_id: str | None = None,
    since: datetime | date | str | None = None,
    until: datetime | date | str | None = None,
    today: date | None = None,
    missed_limit: int = 10,
    language: str = "en",
) -> Progress:
    """Aggregate the history into a :class:`Progress` (optionally for one bank or a period).

    ``library`` supplies topics, key point texts and bank order; without it, ids are shown and
    every question's topic is ``other``.
    """
    extra, params = _filters(bank_id, _iso(since), _iso(until, end=True))
    rows = store.db.execute(
        f"""
        SELECT a.id, a.session_id, a.kind, a.skipped, a.source, a.duration_s, a.created_at,
               q.bank_id, q.question_id, g.score, g.override_score
          FROM answers a
          JOIN asked q ON q.id = a.asked_id
          LEFT JOIN grades g ON g.answer_id = a.id
         WHERE 1 = 1 {extra}
         ORDER BY a.created_at, a.id
        """,
        params,
    ).fetchall()
    point_rows = store.db.execute(
        f"""
        SELECT k.question_id, k.key_point_id, k.status, a.created_at
          FROM key_point_results k
          JOIN answers a ON a.id = k.answer_id
          JOIN asked q ON q.id = a.asked_id
         WHERE a.kind = 'main' {extra}
         ORDER BY a.created_at, a.id
        """,
        params,
    ).fetchall()
    session_filter = "WHERE bank_id = ?" if bank_id else ""
    sessions = store.db.execute(
        f"SELECT count(*), count(ended_at) FROM sessions {session_filter}",
        [bank_id] if bank_id else [],
    ).fetchone()

    topic_of, order, point_text = _library_maps(library, language)

    per_question: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    question_bank: dict[str, str] = {}
    question_last: dict[str, datetime] = {}
    overridden: dict[str, int] = defaultdict(int)
    per_day: dict[date, list[float]] = defaultdict(list)
    days: set[date] = set()
    follow_ups = skipped = spoken = 0
    seconds = 0.0
    first_at = last_at = None
    for (_id, _sid, kind, was_skipped, source, duration, created, bank, qid, score,
         override) in rows:  # fmt: skip
        moment = _parse(created)
        first_at = first_at or moment
        last_at = moment
        day = _local_day(moment)
        if was_skipped:
            skipped += 1
            continue
        days.add(day)
        seconds += duration or 0.0
        spoken += source == "voice"
        if kind != "main":
            follow_ups += 1
            continue
        if score is None:
            continue
        effective = float(override if override is not None else score)
        per_question[qid].append((moment, effective))
        question_bank[qid] = bank
        question_last[qid] = moment
        overridden[qid] += override is not None
        per_day[day].append(effective)

    questions = [
        QuestionProgress(
            question_id=qid,
            bank_id=question_bank[qid],
            topic=topic_of.get(qid, UNKNOWN_TOPIC),
            overridden=overridden[qid],
            **_stats([score for _, score in timeline], question_last[qid]),
        )
        for qid, timeline in per_question.items()
    ]
    questions.sort(key=lambda q: (order.get(q.question_id, len(order)), q.question_id))

    topics = _topics(questions, per_question)
    all_scores = [score for timeline in per_question.values() for _, score in timeline]
    totals = Totals(
        sessions=sessions[0],
        finished_sessions=sessions[1],
        answers=len(all_scores),
        follow_ups=follow_ups,
        skipped=skipped,
        spoken=spoken,
        questions=len(per_question),
        practice_seconds=round(seconds, 1),
        mean_score=round(sum(all_scores) / len(all_scores), 1) if all_scores else None,
        first_at=first_at,
        last_at=last_at,
    )
    daily = [
        DailyScore(
            day=day,
            attempts=len(per_day.get(day, [])),
            mean_score=round(sum(per_day[day]) / len(per_day[day]), 1)
            if per_day.get(day)
            else None,
        )
        for day in sorted(days)
    ]
    return Progress(
        totals=totals,
        streak=streak_of(days, today),
        questions=questions,
        topics=topics,
        most_missed=most_missed_from_rows(point_rows, point_text, missed_limit),
        daily=daily,
    )


def _library_maps(library: Library | None, language: str = "en"):
    topic_of: dict[str, str] = {}
    order: dict[str, int] = {}
    point_text: dict[tuple[str, str], str] = {}
    if library is not None:
        for index, (_bank, question) in enumerate(library.questions()):
            topic_of[question.id] = question.topic
            order[question.id] = index
            for kp in question.key_points:
                point_text[(question.id, kp.id)] = kp.text.get(language)
    return topic_of, order, point_text


def _topics(questions, per_question) -> list[TopicProgress]:
    by_topic: dict[str, list[QuestionProgress]] = defaultdict(list)
    for question in questions:
        by_topic[question.topic].append(question)
    topics = []
    for topic, members in by_topic.items():
        # The topic's attempts in time order, across its questions, for its trend line.
        timeline = sorted(
            (item for m in members for item in per_question[m.question_id]),
            key=lambda item: item[0],
        )
        topics.append(
            TopicProgress(
                topic=topic,
                questions=len(members),
                **_stats([score for _, score in timeline], timeline[-1][0]),
            )
        )
    topics.sort(key=lambda t: (t.mean_score if t.mean_score is not None else 101, t.topic))
    return topics


def most_missed_from_rows(
    rows: Iterable[tuple[str, str, str, str]],
    point_text: dict[tuple[str, str], str],
    limit: int | None = 10,
) -> list[MissedPoint]:
    """Rank key points by misses from ``(question_id, key_point_id, status, created_at)`` rows
    (main answers, oldest first). Points the rubric no longer has are left out when
    ``point_text`` knows the question."""
    counts: dict[tuple[str, str], dict] = {}
    known_questions = {qid for qid, _ in point_text}
    for question_id, key_point_id, status, created in rows:
        key = (question_id, key_point_id)
        if question_id in known_questions and key not in point_text:
            continue
        entry = counts.setdefault(
            key, {"misses": 0, "partials": 0, "attempts": 0, "last": "", "last_missed": None}
        )
        entry["attempts"] += 1
        entry["last"] = status
        if status == "miss":
            entry["misses"] += 1
            entry["last_missed"] = created
        elif status == "partial":
            entry["partials"] += 1
    missed = [
        MissedPoint(
            question_id=qid,
            key_point_id=kp_id,
            text=point_text.get((qid, kp_id), kp_id),
            misses=e["misses"],
            partials=e["partials"],
            attempts=e["attempts"],
            miss_rate=round(e["misses"] / e["attempts"], 3),
            last_status=e["last"],
            last_missed_at=_parse(e["last_missed"]) if e["last_missed"] else None,
        )
        for (qid, kp_id), e in counts.items()
        if e["misses"] or e["partials"]
    ]
    missed.sort(key=lambda m: (-m.misses, -m.miss_rate, -m.partials, m.question_id, m.key_point_id))
    return missed[:limit] if limit is not None else missed


def most_missed(
    store: Store,
    library: Library | None = None,
    limit: int | None = 10,
    bank_id: str | None = None,
    language: str = "en",
) -> list[MissedPoint]:
    """The key points the candidate most often leaves out of a main answer."""
    extra, params = _filters(bank_id, None, None)
    rows = store.db.execute(
        f"""
        SELECT k.question_id, k.key_point_id, k.status, a.created_at
          FROM key_point_results k
          JOIN answers a ON a.id = k.answer_id
          JOIN asked q ON q.id = a.asked_id
         WHERE a.kind = 'main' {extra}
         ORDER BY a.created_at, a.id
        """,
        params,
    ).fetchall()
    return most_missed_from_rows(rows, _library_maps(library, language)[2], limit)


def practice_streak(store: Store, today: date | None = None) -> Streak:
    """The candidate's practice streak (days with at least one non-skipped answer)."""
    rows = store.db.execute("SELECT created_at FROM answers WHERE skipped = 0").fetchall()
    return streak_of({_local_day(_parse(r[0])) for r in rows}, today)
