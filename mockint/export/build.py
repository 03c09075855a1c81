"""Build a :class:`ReportData` from the history database and the rubrics, once, for every writer.

Every figure the progress screen also shows (counts, time practised, streaks, trends, mastery
and the weakest key points) comes from the functions of :mod:`mockint.progress` that define it,
so a report and the screen agree on the same history. What only the report has:

- Score figures, charts, mastery and weak points use **main** answers only: a follow-up answer
  is prompted by the interviewer naming the missing point, so it says less about what the
  candidate knows unprompted. Follow-ups are listed with their session.
- Charts have one point per session, or per day, week or month when there are many sessions.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from mockint import __version__
from mockint.export.model import (
    AnswerRecord,
    BankVersion,
    ChartPoint,
    MasteryCell,
    MasteryRow,
    ModelUsage,
    Provenance,
    ReportData,
    ReportFilters,
    SessionRecord,
    SpeechStats,
    SpeechSummary,
    Summary,
    TopicSummary,
    WeakPoint,
)
from mockint.export.query import Rows, Scope, read_credits, read_facts, read_rows
from mockint.progress import (
    RECENT,
    UNKNOWN_TOPIC,
    SessionSpan,
    mastery_of,
    mean_of,
    practice_days,
    session_times,
    streak_of,
    topic_title,
    totals_of,
    trend_of,
    weakest,
)
from mockint.provenance import bank_hash

_ANSWERS = TypeAdapter(list[AnswerRecord])

MAX_CHART_POINTS = 60
"""Above this many sessions, charts group answers by day, then week, then month."""
PAGE_ANSWERS = 2000
"""About how many answers a report reads, builds and writes at a time (whole sessions)."""


_RELATIVE = re.compile(r"^(\d+)\s*([dw])$")


def parse_bound(
    value: str | date | datetime | None, *, end: bool = False, now: datetime | None = None
) -> datetime | None:
    """A ``since``/``until`` filter value as an aware UTC moment (answers before it are out
    for ``since``; answers at or after it are out for ``until``).

    A date (or ``YYYY-MM-DD``) is a whole day of the user's local calendar: its start, or with
    ``end`` the next day's start, so ``until 2025-03-31`` includes the 31st. ``7d`` and ``2w``
    count back from now; other strings are ISO-8601 times (a time without an offset is local).
    Raises ValueError for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        relative = _RELATIVE.match(text)
        if relative:
            days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
            return (now or datetime.now(UTC)) - timedelta(days=days)
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a date (use YYYY-MM-DD, an ISO time, or 7d / 2w)"
            ) from None
    if not isinstance(value, datetime):
        day = value + timedelta(days=1) if end else value
        value = datetime.combine(day, time.min)
    if value.tzinfo is None:
        value = value.astimezone()  # naive: the user's local time
    return value.astimezone(UTC)


def parse_time(value: str | datetime | None) -> datetime | None:
    """A stored ISO-8601 timestamp as an aware UTC datetime (naive values are taken as UTC)."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class _Rubrics:
    """Rubric texts by question id, looked up once each and cached."""

    def __init__(self, library):
        self.library = library
        self._questions: dict[str, Any] = {}

    def question(self, question_id: str):
        if question_id not in self._questions:
            try:
                self._questions[question_id] = self.library.find_question(question_id)[1]
            except (KeyError, AttributeError):
                self._questions[question_id] = None
        return self._questions[question_id]

    def bank_title(self, bank_id: str, language: str) -> str:
        try:
            return self.library.bank(bank_id).title.get(language)
        except (KeyError, AttributeError):
            return bank_id

    def topic_title(self, topic: str, language: str) -> str:
        return topic_title(self.library, topic, language)


def _fillers(raw: str | None) -> dict[str, int]:
    # The voice module stores fillers as JSON; accept a {word: count} map, a list of words,
    # or a list of {"word": ...} objects, so the report does not break if it changes shape.
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    if isinstance(data, dict):
        return {str(k): int(v) for k, v in data.items() if isinstance(v, int | float)}
    counts: Counter[str] = Counter()
    if isinstance(data, list):
        for item in data:
            if isinstance(item, str):
                counts[item] += 1
            elif isinstance(item, dict):
                word = item.get("word") or item.get("text") or item.get("filler")
                if word:
                    counts[str(word)] += int(item.get("count", 1))
    return dict(counts)


class _Builder:
    """Turns rows read by :func:`~mockint.export.query.read_rows` into answer and session
    records; keeps what it looks up (rubric texts, prompts) across pages of rows."""

    def __init__(self, rubrics: _Rubrics, language: str):
        self.rows = Rows(answers=[])
        self.rubrics = rubrics
        self.language = language
        self._grade_json: dict[int, dict] = {}
        # (question id, language) -> each key point's rubric text: looked up once per
        # question, not per answer.
        self._kp_texts: dict[tuple[str, str], dict[str, str]] = {}
        self._fillers: dict[str, dict[str, int]] = {}
        self._prompt_cache: dict[tuple[str, str | None], tuple[str, str, str]] = {}

    def _grade(self, row: dict) -> dict:
        """The stored Grade JSON (used only when the rubric no longer has the question)."""
        if row["id"] not in self._grade_json:
            raw = row["grade_json"] if "grade_json" in row else self.rows.read_grade(row["id"])
            try:
                self._grade_json[row["id"]] = json.loads(raw or "{}")
            except ValueError:
                self._grade_json[row["id"]] = {}
        return self._grade_json[row["id"]]

    def _key_points(self, row: dict, question, language: str) -> list[dict]:
        results = self.rows.key_points.get(row["id"])
        if not results and row["graded"]:
            # Older or foreign rows without per-point results: fall back on the grade itself.
            results = [
                (
                    kp["id"],
                    kp.get("status", "miss"),
                    kp.get("similarity"),
                    kp.get("credit"),
                    kp.get("evidence"),
                )
                for kp in self._grade(row).get("key_points", [])
                if kp.get("id")
            ]
        texts = self._kp_texts_of(question, language) if question is not None else {}
        return [
            {
                "id": kp_id,
                "text": texts.get(kp_id) or self._stored_text(row, kp_id) or kp_id,
                "status": status,
                "credit": credit or 0.0,
                "similarity": similarity,
                "evidence": evidence,
            }
            for kp_id, status, similarity, credit, evidence in results or ()
        ]

    def _kp_texts_of(self, question, language: str) -> dict[str, str]:
        """The rubric's text of each key point of ``question`` in ``language``."""
        key = (question.id, language)
        if key not in self._kp_texts:
            self._kp_texts[key] = {kp.id: kp.text.get(language) for kp in question.key_points}
        return self._kp_texts[key]

    def speech(self, duration_s, words, wpm, filler_count, fillers_json, pauses, longest) -> dict:
        """The speech figures of a spoken answer, from its ``speech_metrics`` columns."""
        if fillers_json not in self._fillers:
            self._fillers[fillers_json] = _fillers(fillers_json)
        return {
            "duration_s": duration_s,
            "words": words,
            "wpm": wpm,
            "filler_count": filler_count or 0,
            "fillers": dict(self._fillers[fillers_json]),
            "long_pauses": pauses or 0,
            "longest_pause_s": longest,
        }

    def _stored_text(self, row: dict, kp_id: str) -> str | None:
        for kp in self._grade(row).get("key_points", []):
            if kp.get("id") == kp_id:
                return kp.get("text")
        return None

    def _misconceptions(self, row: dict, question, language: str) -> list[dict]:
        outcomes = []
        for mc_id, evidence in self.rows.misconceptions.get(row["id"], ()):
            text, correction = mc_id, None
            rubric = (
                next((m for m in question.misconceptions if m.id == mc_id), None)
                if question
                else None
            )
            if rubric is not None:
                text, correction = rubric.text.get(language), rubric.correction.get(language)
            else:
                for stored in self._grade(row).get("misconceptions", []):
                    if stored.get("id") == mc_id:
                        text, correction = stored.get("text", mc_id), stored.get("correction")
            outcomes.append(
                {"id": mc_id, "text": text, "evidence": evidence, "correction": correction}
            )
        return outcomes

    def _prompts(self, question_id: str, session_language: str | None) -> tuple[str, str, str]:
        """(prompt as asked in the session's language, prompt in the report language, topic)."""
        key = (question_id, session_language)
        if key not in self._prompt_cache:
            question = self.rubrics.question(question_id)
            if question is None:
                self._prompt_cache[key] = (question_id, question_id, "")
            else:
                self._prompt_cache[key] = (
                    question.prompt.get(session_language or self.language),
                    question.prompt.get(self.language),
                    question.topic,
                )
        return self._prompt_cache[key]

    def answers(self, rows: Rows) -> list[AnswerRecord]:
        """Every answer row as an AnswerRecord (rows are named as its fields; see query.py)."""
        self.rows, self._grade_json = rows, {}
        sessions = self.rows.sessions
        for row in self.rows.answers:
            question_id = row["question_id"]
            question = self.rubrics.question(question_id)
            session_language = sessions.get(row["session_id"], {}).get("language")
            language = row["language"] or session_language or self.language
            asked, row["question"], row["topic"] = self._prompts(question_id, session_language)
            if row["kind"] == "follow_up":
                asked = row["previous_follow_up"] or "(follow-up question)"
            row["asked"] = asked
            row["key_points"] = self._key_points(row, question, language)
            if row["id"] in self.rows.misconceptions:
                row["misconceptions"] = self._misconceptions(row, question, language)
            if row["spoken"]:
                row["speech"] = self.speech(
                    row["speech_duration_s"],
                    row["words"],
                    row["wpm"],
                    row["filler_count"],
                    row["fillers_json"],
                    row["long_pauses"],
                    row["longest_pause_s"],
                )
        # One validation call for all answers: pydantic-core checks the rows and their nested
        # dicts (and parses the timestamps) in Rust, several times faster than building 60,000
        # small models one by one in Python. Extra columns are ignored.
        return _ANSWERS.validate_python(self.rows.answers)

    def sessions(
        self,
        answers: list[AnswerRecord],
        spans: dict[int, SessionSpan],
        times: dict[int, float],
    ) -> list[SessionRecord]:
        grouped: dict[int, list[AnswerRecord]] = defaultdict(list)
        for answer in answers:
            grouped[answer.session_id].append(answer)
        sessions = []
        for session_id, items in grouped.items():
            row = self.rows.sessions.get(session_id, {})
            started, ended = spans[session_id]
            scores = [a.score for a in items if a.kind == "main" and a.score is not None]
            sessions.append(
                SessionRecord(
                    id=session_id,
                    started_at=started,
                    ended_at=ended,
                    mode=row.get("mode"),
                    bank_id=row.get("bank_id"),
                    language=row.get("language"),
                    client=row.get("client"),
                    active_s=times[session_id],
                    mean_score=mean_of(scores),
                    answers=items,
                )
            )
        sessions.sort(key=lambda s: (s.started_at, s.id))
        return sessions


def bucket_keys(graded: list[AnswerRecord]) -> tuple[str, dict[int, Any]]:
    """How to group answers for the charts, and each answer's group, by answer id.

    One point per session while there are at most :data:`MAX_CHART_POINTS` sessions, else per
    day, week or month of the reader's calendar, whichever first gives few enough points. Each
    answer's local date is computed once: a 10,000-answer report must stay fast.
    """
    if len({a.session_id for a in graded}) <= MAX_CHART_POINTS:
        return "session", {a.id: a.session_id for a in graded}
    days = {a.id: a.created_at.astimezone().date() for a in graded}
    distinct = set(days.values())
    groupings: list[tuple[str, Any]] = [
        ("day", lambda d: d),
        ("week", lambda d: d - timedelta(days=d.weekday())),
        ("month", lambda d: (d.year, d.month)),
    ]
    for unit, group in groupings:
        of_day = {d: group(d) for d in distinct}
        if len(set(of_day.values())) <= MAX_CHART_POINTS or unit == "month":
            return unit, {answer_id: of_day[d] for answer_id, d in days.items()}
    raise AssertionError("unreachable")


def _bucket_label(key: Any, unit: str, first: datetime, count: int) -> str:
    local = first.astimezone()
    what = {
        "session": f"Session {key}, {local.day} {local:%b %Y}",
        "day": f"{local.day} {local:%b %Y}",
        "week": f"Week of {key.day} {key:%b %Y}" if unit == "week" else "",
        "month": f"{local:%B %Y}",
    }[unit]
    return f"{what}: {count} answer{'s' if count != 1 else ''}"


def chart_points(
    graded: list[AnswerRecord], grouping: tuple[str, dict[int, Any]] | None = None
) -> list[ChartPoint]:
    """Mean score per session (or per day/week/month when there are many sessions)."""
    if not graded:
        return []
    unit, keys = grouping or bucket_keys(graded)
    buckets: dict[Any, list[AnswerRecord]] = {}
    for answer in graded:
        buckets.setdefault(keys[answer.id], []).append(answer)
    points = [
        ChartPoint(
            at=items[0].created_at,
            score=mean_of([a.score for a in items]),
            answers=len(items),
            label=_bucket_label(key, unit, items[0].created_at, len(items)),
        )
        for key, items in buckets.items()
    ]
    points.sort(key=lambda p: p.at)
    return points


def _mastery(
    graded: list[_Fact],
    recent: dict[str, list[int]],
    credits: dict[int, list[tuple]],
    rubrics: _Rubrics,
    language: str,
    bank_ids: list[str],
    include_unpractised: bool,
) -> list[MasteryRow]:
    """The mastery grid: ``graded`` are the graded main answers, ``recent`` the ids of the
    latest :data:`~mockint.progress.RECENT` of them per question, ``credits`` their (key point
    id, credit) pairs by answer id (see :func:`~mockint.export.query.read_credits`)."""
    by_question: dict[str, list[_Fact]] = defaultdict(list)
    for answer in graded:
        by_question[answer.question_id].append(answer)
    questions: list[tuple[str, Any]] = []
    seen: set[str] = set()
    # Rubric order for the banks in the report, so the grid reads like the bank; questions
    # answered but since removed from every bank cannot be shown against their key points.
    for bank_id in bank_ids:
        try:
            bank = rubrics.library.bank(bank_id)
        except (KeyError, AttributeError):
            continue
        for question in bank.questions:
            if question.id in by_question or include_unpractised:
                questions.append((bank.id, question))
                seen.add(question.id)
    for question_id in by_question:
        question = rubrics.question(question_id)
        if question is not None and question_id not in seen:
            questions.append((by_question[question_id][0].bank_id, question))
            seen.add(question_id)
    rows = []
    for bank_id, question in questions:
        mastery = mastery_of(recent.get(question.id, []), lambda i: credits.get(i, ()))
        rows.append(
            MasteryRow(
                bank_id=bank_id,
                question_id=question.id,
                question=question.prompt.get(language),
                topic=question.topic,
                answers=len(by_question.get(question.id, [])),
                cells=[
                    MasteryCell(
                        key_point_id=kp.id,
                        text=kp.text.get(language),
                        weight=kp.weight,
                        rate=mastery.get(kp.id, (None, 0))[0],
                        attempts=mastery.get(kp.id, (None, 0))[1],
                    )
                    for kp in question.key_points
                ],
            )
        )
    return rows


def _weakest(mastery: list[MasteryRow], rubrics: _Rubrics, language: str) -> list[WeakPoint]:
    row_of = {id(cell): row for row in mastery for cell in row.cells}
    points = []
    for cell in weakest(cell for row in mastery for cell in row.cells):
        row = row_of[id(cell)]
        key_point = rubrics.question(row.question_id).key_point(cell.key_point_id)
        points.append(
            WeakPoint(
                bank_id=row.bank_id,
                question_id=row.question_id,
                question=row.question,
                topic=row.topic,
                key_point_id=cell.key_point_id,
                text=cell.text,
                rate=cell.rate,
                attempts=cell.attempts,
                follow_up=key_point.follow_up.get(language),
            )
        )
    return points


def _speech(answers: list[AnswerRecord]) -> SpeechSummary | None:
    spoken = [a.speech for a in answers if a.speech is not None]
    if not spoken:
        return None
    duration = sum(s.duration_s or 0.0 for s in spoken)
    fillers: Counter[str] = Counter()
    for s in spoken:
        fillers.update(s.fillers)
    filler_count = sum(s.filler_count for s in spoken)
    pauses = [s.longest_pause_s for s in spoken if s.longest_pause_s is not None]
    return SpeechSummary(
        spoken_answers=len(spoken),
        total_duration_s=duration,
        mean_wpm=mean_of([s.wpm for s in spoken if s.wpm is not None]),
        fillers_per_minute=filler_count / (duration / 60) if duration > 0 else None,
        filler_count=filler_count,
        top_fillers=fillers.most_common(5),
        long_pauses=sum(s.long_pauses for s in spoken),
        longest_pause_s=max(pauses) if pauses else None,
    )


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while building many small objects.

    A report over 10,000 answers creates some 60,000 objects, none in a reference cycle; the
    collector would otherwise rescan the growing heap again and again, doubling the build time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Fact(NamedTuple):
    """One answer as the figures over the whole report see it: no text, no key points (it
    has the attributes of :class:`AnswerRecord` that :mod:`mockint.progress` reads)."""

    id: int
    session_id: int
    kind: str
    skipped: bool
    source: str
    created_at: datetime
    bank_id: str
    question_id: str
    question_version: str | None
    score: float | None
    language: str | None
    model: str | None
    topic: str
    speech: SpeechStats | None


def _facts(rows: list[tuple], rubrics: _Rubrics, builder: _Builder) -> list[_Fact]:
    """Facts from :func:`~mockint.export.query.read_facts` rows (same order)."""
    topics: dict[str, str] = {}
    facts = []
    for (answer_id, session_id, kind, skipped, source, created, bank_id, question_id,
         question_hash, score, language, model, spoken, *speech) in rows:  # fmt: skip
        if question_id not in topics:
            question = rubrics.question(question_id)
            topics[question_id] = question.topic if question is not None else ""
        facts.append(
            _Fact(
                answer_id,
                session_id,
                kind,
                bool(skipped),
                source,
                parse_time(created),
                bank_id,
                question_id,
                question_hash,
                score,
                language,
                model,
                topics[question_id],
                SpeechStats.model_validate(builder.speech(*speech)) if spoken else None,
            )
        )
    return facts


def _guess_language(facts: list[_Fact], sessions: dict[int, dict[str, Any]]) -> str:
    """The language the candidate answers in most (the sessions' when nothing was graded)."""
    counts = Counter(a.language for a in facts if a.language)
    if not counts:
        counts = Counter(s.get("language") for s in sessions.values())
        counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else "en"


def _spans(facts: list[_Fact], sessions: dict[int, dict[str, Any]]) -> dict[int, SessionSpan]:
    """When each session of the answers started and ended (its first answer stands in for a
    start the database lacks)."""
    first: dict[int, _Fact] = {}
    for answer in facts:
        first.setdefault(answer.session_id, answer)
    spans = {}
    for session_id, answer in first.items():
        row = sessions.get(session_id, {})
        started = parse_time(row.get("started_at")) or answer.created_at
        spans[session_id] = SessionSpan(started, parse_time(row.get("ended_at")))
    return spans


def _provenance(facts: list[_Fact], rubrics: _Rubrics) -> Provenance:
    """The banks of the answers as they are now, and the models their grades name."""
    banks: dict[str, list[_Fact]] = defaultdict(list)
    models: dict[str, list[_Fact]] = defaultdict(list)
    for answer in facts:
        if not answer.skipped:
            banks[answer.bank_id].append(answer)
        if answer.model is not None:
            models[answer.model].append(answer)
    # Facts are in time order: a model's answers run from its first to its last.
    versions = []
    for bank_id, answers in banks.items():
        try:
            bank = rubrics.library.bank(bank_id)
        except (KeyError, AttributeError):
            bank = None
        current = {q.id: q.content_hash() for q in bank.questions} if bank else {}
        versions.append(
            BankVersion(
                id=bank_id,
                version=bank.version if bank else None,
                content_hash=bank_hash(bank) if bank else None,
                answers=len(answers),
                earlier_versions=sum(
                    current.get(a.question_id) != a.question_version for a in answers
                ),
            )
        )
    usage = [
        ModelUsage(
            model=model,
            answers=len(answers),
            first_at=answers[0].created_at,
            last_at=answers[-1].created_at,
        )
        for model, answers in models.items()
    ]
    usage.sort(key=lambda m: (m.first_at, m.model))
    return Provenance(banks=versions, models=usage)


@dataclass
class ReportStream:
    """A report read in two passes, so that one over years of answers never holds them all:
    the figures at once (:attr:`report`, whose ``sessions`` are left empty), then the sessions
    with their answers a page of sessions at a time (:meth:`sessions`).

    Read it inside one :meth:`~mockint.store.Store.read` of its store (as
    :func:`write_report` does), so that the pages agree with the figures.
    """

    report: ReportData
    pages: list[list[int]]
    """Session ids, oldest first, in pages of about :data:`PAGE_ANSWERS` answers."""
    read_page: Callable[[list[int]], list[SessionRecord]]

    def sessions(self, newest_first: bool = False) -> Iterator[SessionRecord]:
        """Every session of the report with its answers, oldest (or newest) first."""
        pages = reversed(self.pages) if newest_first else self.pages
        # Paused while the sessions are read and written, not only built: the records of a
        # page are freed by reference counting once written, and a collector rescanning the
        # report's figures after every few thousand objects would add a tenth to the time.
        with _collector_paused():
            for page in pages:
                records = self.read_page(page)
                yield from reversed(records) if newest_first else records


def _pages(order: list[int], sizes: Counter) -> list[list[int]]:
    pages: list[list[int]] = [[]]
    count = 0
    for session_id in order:
        if count >= PAGE_ANSWERS:
            pages.append([])
            count = 0
        pages[-1].append(session_id)
        count += sizes[session_id]
    return [page for page in pages if page]


def plan_report(
    store,
    library,
    *,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    bank_id: str | None = None,
    session_id: int | None = None,
    language: str | None = None,
    now: datetime | None = None,
) -> ReportStream:
    """The report's figures, and its sessions to read page by page (see :class:`ReportStream`
    and, for the options, :func:`build_report`)."""
    filters = ReportFilters(
        since=parse_bound(since),
        until=parse_bound(until, end=True),
        bank_id=bank_id,
        session_id=session_id,
    )
    scope = Scope(bank_id, session_id, filters.since, filters.until)
    rubrics = _Rubrics(library)
    with store.read(), _collector_paused():
        rows, session_rows = read_facts(store, scope)
        builder = _Builder(rubrics, language or "en")
        facts = _facts(rows, rubrics, builder)
        builder.language = language or _guess_language(facts, session_rows)
        spans = _spans(facts, session_rows)
        graded = [a for a in facts if a.kind == "main" and a.score is not None]
        latest: dict[str, list[int]] = defaultdict(list)
        for answer in graded:
            latest[answer.question_id].append(answer.id)
        recent = {question_id: ids[-RECENT:] for question_id, ids in latest.items()}
        credits = read_credits(store, [i for ids in recent.values() for i in ids])
        if missing := [i for ids in recent.values() for i in ids if i not in credits]:
            # Older or foreign answers without per-point rows: their grade has the points.
            for record in builder.answers(read_rows(store, scope, answer_ids=missing)):
                credits[record.id] = [(kp.id, kp.credit) for kp in record.key_points]
        times = session_times(facts, spans)
        report = _figures(
            facts, graded, recent, credits, spans, times, rubrics, builder.language, filters, now
        )
    order = sorted(spans, key=lambda sid: (spans[sid].started_at, sid))

    def read_page(session_ids: list[int]) -> list[SessionRecord]:
        answers = builder.answers(read_rows(store, scope, session_ids=session_ids))
        return builder.sessions(answers, spans, times)

    sizes = Counter(a.session_id for a in facts)
    return ReportStream(report, _pages(order, sizes), read_page)


def _figures(
    facts: list[_Fact],
    graded: list[_Fact],
    recent: dict[str, list[int]],
    credits: dict[int, list[tuple]],
    spans: dict[int, SessionSpan],
    times: dict[int, float],
    rubrics: _Rubrics,
    language: str,
    filters: ReportFilters,
    now: datetime | None,
) -> ReportData:
    """Everything the report shows but its sessions."""
    scores = [a.score for a in graded]
    trend, window = trend_of(scores)
    bank_ids = list(dict.fromkeys(a.bank_id for a in facts))
    generated_at = now or datetime.now(UTC)
    totals = totals_of(facts, spans, times)
    streak = streak_of(practice_days(facts), today=generated_at.astimezone().date())
    topics = []
    by_topic: dict[str, list[_Fact]] = defaultdict(list)
    for answer in graded:
        by_topic[answer.topic or UNKNOWN_TOPIC].append(answer)
    # Topic charts share the overall chart's grouping, so their points line up with it.
    grouping = bucket_keys(graded)
    for topic, items in by_topic.items():
        topic_scores = [a.score for a in items]
        topics.append(
            TopicSummary(
                topic=topic,
                answers=len(items),
                mean_score=mean_of(topic_scores),
                trend=trend_of(topic_scores)[0],
                points=chart_points(items, grouping),
            )
        )
    topics.sort(key=lambda t: rubrics.topic_title(t.topic, language))
    mastery = _mastery(
        graded,
        recent,
        credits,
        rubrics,
        language,
        bank_ids,
        include_unpractised=filters.session_id is None,
    )
    return ReportData(
        generator=f"mockint {__version__}",
        generated_at=generated_at,
        language=language,
        filters=filters,
        banks={bank_id: rubrics.bank_title(bank_id, language) for bank_id in bank_ids},
        topic_titles={
            topic: rubrics.topic_title(topic, language)
            for topic in sorted(
                {t.topic for t in topics} | {a.topic for a in facts} | {m.topic for m in mastery}
            )
            if topic
        },
        summary=Summary(
            sessions=totals.sessions,
            answers=totals.answers_given,
            skipped=totals.skipped,
            graded_answers=totals.answers,
            questions=totals.questions,
            spoken_answers=totals.spoken,
            time_practised_s=totals.practice_seconds,
            practice_days=streak.practice_days,
            longest_streak=streak.longest,
            current_streak=streak.current,
            mean_score=totals.mean_score,
            trend=trend,
            trend_window=window,
            first_at=totals.first_at,
            last_at=totals.last_at,
            recent_scores=scores[-30:],
        ),
        chart_unit=grouping[0],
        overall=chart_points(graded, grouping),
        topics=topics,
        mastery=mastery,
        weakest=_weakest(mastery, rubrics, language),
        speech=_speech(facts),
        provenance=_provenance(facts, rubrics),
        sessions=[],
    )


def build_report(store, library, **options: Any) -> ReportData:
    """Everything a report shows, sessions included, read from ``store`` (a
    :class:`mockint.store.Store`); :func:`plan_report` reads the sessions page by page instead.

    Options (all keywords, all optional): ``since``/``until`` bound the answers' times (see
    :func:`parse_bound`: a date is a whole local day, both ends included); ``bank_id`` and
    ``session_id`` keep one bank's or one session's answers; ``language`` picks the language of
    rubric texts in the aggregate sections (default: the answers' usual language); ``now`` is
    the report's time. Raises ValueError for a bad date and :class:`mockint.store.StoreError`
    when the database cannot be read.
    """
    with store.read():
        stream = plan_report(store, library, **options)
        return stream.report.model_copy(update={"sessions": list(stream.sessions())})
