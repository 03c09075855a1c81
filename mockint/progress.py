"""How the candidate is doing: the figures the progress screen and the reports show.

    from mockint.progress import progress
    report = progress(store, library)          # everything the progress screen shows
    report.totals.answers, report.streak.current
    report.questions[0].last_score, .best_score, .mean_score, .scores, .trend_label
    report.topics, report.weakest, report.daily

Each figure is defined once, here; the report writers (:mod:`mockint.export`) call the same
functions on the same answers, so the screen and a report of the same history agree.

- An *attempt* is a graded main answer (follow-ups are prompted, so they do not count as
  attempts; skipped and ungraded answers are not attempts). Its score is the effective score:
  the candidate's override if there is one, else the grader's. Score figures are over attempts.
- *Answers given* are all answers, follow-ups and ungraded ones included; a skipped question is
  not an answer. A *session* counts when it has at least one answer or skip in scope.
- *Time practised* (:func:`active_seconds`): the time between a session's events (start, each
  answer or skip, end) with every gap capped at :data:`IDLE_CAP_S`, so an app left open
  overnight does not count as practice.
- A *practice day* is a local calendar day with at least one answer given; the current streak
  counts consecutive practice days up to today, or up to yesterday when today has no answer yet.
- The *trend* (:func:`trend_of`) is the mean of the latest attempts minus the mean of the
  earliest, in points: a third of the attempts at each end, at most 10; none below six.
- The *mastery* of a key point (:func:`mastery_of`) is its mean credit (hit 1, partial its
  share, miss 0) over the latest :data:`RECENT` attempts at its question, so old mistakes stop
  counting once fixed. A point's credit in an attempt (:data:`ATTEMPT_CREDITS`) is the best of
  the main answer's and its follow-ups' (answers to the same asked question): the interview
  counts a point covered when followed up on (:func:`mockint.interview.combine`), and so do
  the figures and the weak spots of :mod:`mockint.practice` (``next --mode weak``). The
  *weakest* points (:func:`weakest`) are those under :data:`WEAK_THRESHOLD`.

Three SQL queries in one consistent read and one pass in Python: a full aggregation over 10,000
answers takes well under a second (see ``benchmarks/store.py``). Never imports Textual.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mockint.rubric import Library
    from mockint.store import Store

UNKNOWN_TOPIC = "other"
"""Topic of answers whose question is no longer in any loaded bank."""
UNKNOWN_TOPIC_TITLES = {"en": "other", "zh": "其他"}
"""How :data:`UNKNOWN_TOPIC` is shown in each language, as no bank titles it."""
IDLE_CAP_S = 600.0
"""Longest gap between two events of a session that still counts as practice."""
TREND_MIN_SCORES = 6
"""Fewer attempts than this have no trend: one answer against one answer is noise."""
TREND_MAX_WINDOW = 10
"""The trend compares at most this many attempts at each end."""
RECENT = 5
"""Attempts per question that a key point's mastery is computed over (the latest ones)."""
WEAK_THRESHOLD = 0.75
"""Key points covered less than this recently are weak."""
WEAKEST_LIMIT = 8
"""How many weak points the progress screen and the reports list."""

TrendLabel = Literal["new", "up", "down", "flat"]

ATTEMPT_CREDITS = """
SELECT k.answer_id, k.key_point_id, max(k.credit, coalesce((
           SELECT max(fr.credit)
             FROM answers f
             JOIN key_point_results fr ON fr.answer_id = f.id AND fr.key_point_id = k.key_point_id
            WHERE f.asked_id = a.asked_id AND f.kind = 'follow_up' AND f.id > a.id
       ), 0.0))
  FROM key_point_results k
  JOIN answers a ON a.id = k.answer_id
  JOIN asked q ON q.id = a.asked_id
 WHERE a.kind = 'main' {where}
 ORDER BY k.rowid
"""
"""(answer id, key point id, credit) of graded main answers (``answers a`` joined to ``asked q``;
``where`` adds ``AND`` conditions on them), in rubric order: a point's credit in an attempt is
the best of the main answer's and its follow-ups'. A follow-up is graded on the one point it
asked about, so only that point's row can raise a credit; one graded on the whole rubric (older
histories) counts each point's best, as :func:`mockint.interview.combine` does. The one
definition of a credit that :func:`progress` and the reports' mastery use."""


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
    trend: float | None
    """Latest mean minus earliest mean, in points (see :func:`trend_of`); None below six."""
    trend_label: TrendLabel
    """``new`` (no trend yet), ``up``, ``down`` or ``flat`` (see :func:`trend_label`)."""
    last_at: datetime | None
    """When the last attempt was made (UTC)."""


class QuestionProgress(ScoreStats):
    """How one question has gone."""

    question_id: str
    bank_id: str
    topic: str
    """The question's topic id (``other`` when the question is no longer in any bank)."""
    topic_title: str
    """The topic as the report's language names it (its id when the bank gives no title)."""
    overridden: int
    """Attempts whose score the candidate overrode."""


class TopicProgress(ScoreStats):
    """How one topic has gone, over all its questions."""

    topic: str
    """The topic's id, as the questions name it."""
    title: str
    """The topic as the report's language names it (its id when no bank gives a title)."""
    questions: int
    """Distinct questions of the topic attempted."""


class KeyPointMastery(_Model):
    """How well one key point was covered in the latest attempts at its question."""

    question_id: str
    key_point_id: str
    text: str
    """The key point as the rubric states it (its id when the question is gone)."""
    weight: float = 1.0
    """Its weight in the question."""
    rate: float | None
    """Mean credit over the latest attempts (0-1; see :func:`mastery_of`), None if never tried."""
    attempts: int
    """Attempts the rate is over (at most :data:`RECENT`)."""


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
    """Sessions with at least one answer or skip."""
    finished_sessions: int
    """Of those, the ones that were ended (not interrupted)."""
    answers: int
    """Graded main answers (attempts); the score figures are over these."""
    follow_ups: int
    """Answers to follow-up questions."""
    ungraded: int = 0
    """Main answers not graded (yet)."""
    skipped: int
    spoken: int
    """Answers given by voice."""
    questions: int
    """Distinct questions attempted."""
    practice_seconds: float
    """Time practised, in seconds (see :func:`active_seconds`)."""
    mean_score: float | None
    first_at: datetime | None
    """The first answer or skip."""
    last_at: datetime | None
    """The latest answer or skip."""

    @property
    def answers_given(self) -> int:
        """Every answer, follow-ups and ungraded ones included (skips are not answers)."""
        return self.answers + self.follow_ups + self.ungraded


class DailyScore(_Model):
    """One practice day: how many attempts and their mean score."""

    day: date
    attempts: int
    mean_score: float | None


class Progress(_Model):
    """Everything the progress screen shows."""

    totals: Totals
    streak: Streak
    questions: list[QuestionProgress]
    """Questions attempted, in bank order (then by id for questions no longer in a bank)."""
    topics: list[TopicProgress]
    """Topics attempted, weakest mean first."""
    weakest: list[KeyPointMastery]
    """The key points least covered recently, weakest first (see :func:`weakest`)."""
    daily: list[DailyScore]
    """Practice days, oldest first."""


class Answer(Protocol):
    """What the figures need to know about one answer or skip: an :class:`AnswerFacts` here,
    an :class:`~mockint.export.model.AnswerRecord` in the reports."""

    @property
    def session_id(self) -> int: ...
    @property
    def question_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def skipped(self) -> bool: ...
    @property
    def source(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def created_at(self) -> datetime: ...


class AnswerFacts(NamedTuple):
    """One answer or skip, as :func:`progress` reads it from the history (see :class:`Answer`)."""

    session_id: int
    question_id: str
    kind: str
    """``main`` or ``follow_up``."""
    skipped: bool
    source: str
    """``typed`` or ``voice``."""
    score: float | None
    """The effective score; None when the answer was not graded."""
    created_at: datetime
    """When it was recorded (aware)."""

    @property
    def is_attempt(self) -> bool:
        """A graded main answer: what the score figures are over."""
        return self.kind == "main" and self.score is not None and not self.skipped


class SessionSpan(NamedTuple):
    """When a session started and ended (None: never ended)."""

    started_at: datetime
    ended_at: datetime | None


def mean_of(values: Sequence[float]) -> float | None:
    """The mean, or None for no values."""
    return sum(values) / len(values) if values else None


def trend_of(scores: Sequence[float]) -> tuple[float | None, int]:
    """(latest mean - earliest mean, window) of scores oldest first: a third of the scores at
    each end, at most :data:`TREND_MAX_WINDOW`; None below :data:`TREND_MIN_SCORES` scores."""
    window = min(TREND_MAX_WINDOW, len(scores) // 3)
    if len(scores) < TREND_MIN_SCORES:
        return None, window
    return mean_of(scores[-window:]) - mean_of(scores[:window]), window


def trend_label(trend: float | None) -> TrendLabel:
    """``new`` without a trend, else ``up``/``down`` when it is at least a point either way
    (as shown, rounded), else ``flat``."""
    if trend is None:
        return "new"
    points = round(trend)
    return "up" if points > 0 else "down" if points < 0 else "flat"


def practice_day(moment: datetime) -> date:
    """The candidate's local calendar day of a recorded time."""
    return moment.astimezone().date()


def practice_days(answers: Iterable[Answer]) -> set[date]:
    """The days with at least one answer given (a skip alone does not make a practice day)."""
    return {practice_day(a.created_at) for a in answers if not a.skipped}


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


def active_seconds(start: datetime, end: datetime | None, moments: Iterable[datetime]) -> float:
    """Time practised in one session: the gaps between its start, its answers and skips
    (``moments``) and its end, each capped at :data:`IDLE_CAP_S`."""
    events = sorted([start, *moments, *([end] if end else [])])
    return sum(
        min(max((later - earlier).total_seconds(), 0.0), IDLE_CAP_S)
        for earlier, later in zip(events, events[1:], strict=False)
    )


def session_times(
    answers: Iterable[Answer], sessions: Mapping[int, SessionSpan]
) -> dict[int, float]:
    """Time practised in each session of ``answers`` (see :func:`active_seconds`); ``sessions``
    has their spans (a session missing from it starts at its first answer)."""
    moments: dict[int, list[datetime]] = defaultdict(list)
    for answer in answers:
        moments[answer.session_id].append(answer.created_at)
    times = {}
    for session_id, recorded in moments.items():
        span = sessions.get(session_id) or SessionSpan(min(recorded), None)
        times[session_id] = active_seconds(span.started_at, span.ended_at, recorded)
    return times


def totals_of(
    answers: Sequence[Answer],
    sessions: Mapping[int, SessionSpan],
    times: Mapping[int, float] | None = None,
) -> Totals:
    """The counts, mean score and time practised of ``answers`` (oldest first); ``sessions``
    has the span of the sessions they belong to, ``times`` their :func:`session_times` when
    the caller has them already."""
    if times is None:
        times = session_times(answers, sessions)
    scores: list[float] = []
    questions: set[str] = set()
    follow_ups = ungraded = skipped = spoken = 0
    for answer in answers:
        if answer.skipped:
            skipped += 1
            continue
        spoken += answer.source == "voice"
        if answer.kind != "main":
            follow_ups += 1
        elif answer.score is None:
            ungraded += 1
        else:
            scores.append(answer.score)
            questions.add(answer.question_id)
    ended = [sid for sid in times if (span := sessions.get(sid)) and span.ended_at is not None]
    return Totals(
        sessions=len(times),
        finished_sessions=len(ended),
        answers=len(scores),
        follow_ups=follow_ups,
        ungraded=ungraded,
        skipped=skipped,
        spoken=spoken,
        questions=len(questions),
        practice_seconds=sum(times.values()),
        mean_score=mean_of(scores),
        first_at=answers[0].created_at if answers else None,
        last_at=answers[-1].created_at if answers else None,
    )


A = TypeVar("A")


def mastery_of(
    attempts: Sequence[A], credits_of: Callable[[A], Iterable[tuple[str, float]]]
) -> dict[str, tuple[float, int]]:
    """Each key point's (mastery, attempts) from one question's attempts, oldest first: the
    mean credit over the latest :data:`RECENT`. ``credits_of`` gives an attempt's
    (key point id, credit) pairs."""
    credits: dict[str, list[float]] = defaultdict(list)
    for attempt in attempts[-RECENT:]:
        for key_point_id, credit in credits_of(attempt):
            credits[key_point_id].append(credit)
    return {kp_id: (sum(values) / len(values), len(values)) for kp_id, values in credits.items()}


class Coverage(Protocol):
    """A key point's mastery: :class:`KeyPointMastery`, or a report's mastery cell."""

    rate: float | None
    attempts: int
    weight: float


C = TypeVar("C", bound=Coverage)


def weakest(points: Iterable[C], limit: int | None = WEAKEST_LIMIT) -> list[C]:
    """The points covered less than :data:`WEAK_THRESHOLD`, weakest first; among equals the
    most tried (surest) and the heaviest first."""
    weak = [p for p in points if p.rate is not None and p.rate < WEAK_THRESHOLD]
    weak.sort(key=lambda p: (p.rate, -p.attempts, -p.weight))
    return weak[:limit] if limit is not None else weak


def _stats(scores: list[float], last_at: datetime | None) -> dict:
    trend, _window = trend_of(scores)
    return {
        "attempts": len(scores),
        "last_score": scores[-1] if scores else None,
        "best_score": max(scores) if scores else None,
        "mean_score": mean_of(scores),
        "scores": scores,
        "trend": trend,
        "trend_label": trend_label(trend),
        "last_at": last_at,
    }


def _parse(timestamp: str) -> datetime:
    moment = datetime.fromisoformat(timestamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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


class _Rows(NamedTuple):
    answers: list[tuple]
    """(id, session id, kind, skipped, source, created_at, bank, question, score, override)"""
    credits: list[tuple[int, str, float]]
    """(answer id, key point id, credit) of every graded main answer, in rubric order, its
    follow-ups' credits counted (see :data:`ATTEMPT_CREDITS`)."""
    sessions: dict[int, SessionSpan]


def _read(store: Store, bank_id: str | None, since: str | None, until: str | None) -> _Rows:
    extra, params = _filters(bank_id, since, until)
    scope = f"FROM answers a JOIN asked q ON q.id = a.asked_id WHERE 1 = 1 {extra}"
    with store.read() as db:
        answers = db.execute(
            f"""
            SELECT a.id, a.session_id, a.kind, a.skipped, a.source, a.created_at, q.bank_id,
                   q.question_id, g.score, g.override_score
              FROM answers a
              JOIN asked q ON q.id = a.asked_id
              LEFT JOIN grades g ON g.answer_id = a.id
             WHERE 1 = 1 {extra}
             ORDER BY a.created_at, a.id
            """,
            params,
        ).fetchall()
        credits = db.execute(ATTEMPT_CREDITS.format(where=extra), params).fetchall()
        sessions = db.execute(
            f"SELECT id, started_at, ended_at FROM sessions "
            f"WHERE id IN (SELECT a.session_id {scope})",
            params,
        ).fetchall()
    spans = {
        sid: SessionSpan(_parse(started), _parse(ended) if ended else None)
        for sid, started, ended in sessions
    }
    return _Rows(answers, credits, spans)


def topic_title(library: Library | None, topic: str, language: str) -> str:
    """What to call ``topic`` in ``language``: the title a bank gives it, else its id; the
    topic of answers to questions no bank has (:data:`UNKNOWN_TOPIC`) in the app's own words."""
    title = library.topic_title(topic, language) if library is not None else topic
    if topic == UNKNOWN_TOPIC and title == topic:
        return UNKNOWN_TOPIC_TITLES.get(language, topic)
    return title


def progress(
    store: Store,
    library: Library | None = None,
    *,
    bank_id: str | None = None,
    since: datetime | date | str | None = None,
    until: datetime | date | str | None = None,
    today: date | None = None,
    weakest_limit: int | None = WEAKEST_LIMIT,
    language: str = "en",
) -> Progress:
    """Aggregate the history into a :class:`Progress` (optionally for one bank or a period).

    ``library`` supplies topics, key point texts and bank order; without it, ids are shown and
    every question's topic is ``other``.
    """
    rows = _read(store, bank_id, _iso(since), _iso(until, end=True))
    topic_of, order, points_of = _library_maps(library, language)

    def title_of(topic: str) -> str:
        return topic_title(library, topic, language)

    answers: list[AnswerFacts] = []
    per_question: dict[str, list[AnswerFacts]] = defaultdict(list)
    question_bank: dict[str, str] = {}
    overridden: dict[str, int] = defaultdict(int)
    attempt_ids: dict[str, list[int]] = defaultdict(list)
    for (answer_id, session_id, kind, skipped, source, created, bank, question_id, score,
         override) in rows.answers:  # fmt: skip
        effective = override if override is not None else score
        answer = AnswerFacts(
            session_id=session_id,
            question_id=question_id,
            kind=kind,
            skipped=bool(skipped),
            source=source,
            score=float(effective) if effective is not None else None,
            created_at=_parse(created),
        )
        answers.append(answer)
        if answer.is_attempt:
            per_question[question_id].append(answer)
            attempt_ids[question_id].append(answer_id)
            question_bank[question_id] = bank
            overridden[question_id] += override is not None

    questions = [
        QuestionProgress(
            question_id=qid,
            bank_id=question_bank[qid],
            topic=topic_of.get(qid, UNKNOWN_TOPIC),
            topic_title=title_of(topic_of.get(qid, UNKNOWN_TOPIC)),
            overridden=overridden[qid],
            **_stats([a.score for a in attempts], attempts[-1].created_at),
        )
        for qid, attempts in per_question.items()
    ]
    questions.sort(key=lambda q: (order.get(q.question_id, len(order)), q.question_id))

    return Progress(
        totals=totals_of(answers, rows.sessions),
        streak=streak_of(practice_days(answers), today),
        questions=questions,
        topics=_topics(answers, topic_of, title_of),
        weakest=weakest(_mastery(attempt_ids, rows.credits, points_of), weakest_limit),
        daily=_daily(answers),
    )


def _library_maps(library: Library | None, language: str = "en"):
    """Topic and bank position of each question, and its key points' (id, text, weight)."""
    topic_of: dict[str, str] = {}
    order: dict[str, int] = {}
    points_of: dict[str, list[tuple[str, str, float]]] = {}
    if library is not None:
        for index, (_bank, question) in enumerate(library.questions()):
            topic_of[question.id] = question.topic
            order[question.id] = index
            points_of[question.id] = [
                (kp.id, kp.text.get(language), kp.weight) for kp in question.key_points
            ]
    return topic_of, order, points_of


def _topics(
    answers: list[AnswerFacts], topic_of: dict[str, str], title_of: Callable[[str], str]
) -> list[TopicProgress]:
    # Each topic's attempts in the order they were made, across its questions.
    by_topic: dict[str, list[AnswerFacts]] = defaultdict(list)
    for answer in answers:
        if answer.is_attempt:
            by_topic[topic_of.get(answer.question_id, UNKNOWN_TOPIC)].append(answer)
    topics = [
        TopicProgress(
            topic=topic,
            title=title_of(topic),
            questions=len({a.question_id for a in attempts}),
            **_stats([a.score for a in attempts], attempts[-1].created_at),
        )
        for topic, attempts in by_topic.items()
    ]
    topics.sort(key=lambda t: (t.mean_score if t.mean_score is not None else 101, t.title))
    return topics


def _mastery(
    attempt_ids: dict[str, list[int]],
    credits: list[tuple[int, str, float]],
    points_of: dict[str, list[tuple[str, str, float]]],
) -> list[KeyPointMastery]:
    """Every key point of every question attempted, with its mastery. A question still in a
    bank is measured on its rubric's key points; one that is gone, on those it was graded on."""
    by_answer: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for answer_id, key_point_id, credit in credits:
        by_answer[answer_id].append((key_point_id, credit))
    points = []
    for question_id, ids in attempt_ids.items():
        mastery = mastery_of(ids, lambda answer_id: by_answer[answer_id])
        rubric = points_of.get(question_id) or [(kp_id, kp_id, 1.0) for kp_id in mastery]
        for kp_id, text, weight in rubric:
            rate, attempts = mastery.get(kp_id, (None, 0))
            points.append(
                KeyPointMastery(
                    question_id=question_id,
                    key_point_id=kp_id,
                    text=text,
                    weight=weight,
                    rate=rate,
                    attempts=attempts,
                )
            )
    return points


def _daily(answers: list[AnswerFacts]) -> list[DailyScore]:
    per_day: dict[date, list[float]] = {day: [] for day in sorted(practice_days(answers))}
    for answer in answers:
        if answer.is_attempt:
            per_day[practice_day(answer.created_at)].append(answer.score)
    return [
        DailyScore(day=day, attempts=len(scores), mean_score=mean_of(scores))
        for day, scores in per_day.items()
    ]


def practice_streak(store: Store, today: date | None = None) -> Streak:
    """The candidate's practice streak (days with at least one answer given)."""
    with store.read() as db:
        rows = db.execute("SELECT created_at FROM answers WHERE skipped = 0").fetchall()
    return streak_of({practice_day(_parse(r[0])) for r in rows}, today)
