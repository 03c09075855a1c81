"""What a progress report shows, as one pydantic model shared by every writer.

:func:`mockint.export.build.build_report` fills a :class:`ReportData` once from the store and the
rubrics; the HTML, Markdown, CSV and JSON writers only format it. The JSON report is this model
dumped as is, so its fields are the JSON format (``schema_version`` says which revision).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mockint.grading.models import BARELY_CREDIT

SCHEMA_VERSION = 1
"""Revision of the JSON report format; bumped when a field changes meaning or disappears."""


class _Model(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class KeyPointOutcome(_Model):
    """How one answer covered one key point of its question."""

    id: str
    """The key point's id in the rubric."""
    text: str
    """The key point in the rubric's wording (the model answer's words for it)."""
    status: Literal["hit", "partial", "miss"]
    """``hit`` (covered), ``partial`` (touched on) or ``miss``."""
    credit: float
    """Share of the point earned: 1 for a hit, 0 for a miss, in between for partial."""
    similarity: float | None = None
    """Best calibrated similarity between the point and any part of the answer (0-1)."""
    evidence: str | None = None
    """The candidate's own words that covered the point."""

    @property
    def barely(self) -> bool:
        """Touched on with only a sliver of credit: not covered, as the candidate reads it."""
        return self.status == "partial" and self.credit < BARELY_CREDIT


class MisconceptionOutcome(_Model):
    """A known wrong statement an answer made."""

    id: str
    """The misconception's id in the rubric."""
    text: str
    """The wrong statement, as the rubric words it."""
    evidence: str | None = None
    """The candidate's sentence that states it."""
    correction: str | None = None
    """What is actually true, from the rubric."""


class SpeechStats(_Model):
    """Delivery figures of one spoken answer."""

    duration_s: float | None = None
    """Length of the recording, in seconds."""
    words: int | None = None
    """Words in the transcript."""
    wpm: float | None = None
    """Speaking rate in words per minute."""
    filler_count: int = 0
    """Filler words (um, uh, 嗯, 那个...) in the answer."""
    fillers: dict[str, int] = Field(default_factory=dict)
    """Each filler word and how often it was said."""
    long_pauses: int = 0
    """Pauses longer than two seconds."""
    longest_pause_s: float | None = None
    """The longest pause, in seconds."""


class AnswerRecord(_Model):
    """One answer with its grade, as the report shows it."""

    id: int
    """The answer's id in the history database."""
    session_id: int
    """The interview session the answer belongs to."""
    asked_id: int
    """The asked question (main answer and its follow-ups share it)."""
    created_at: datetime
    """When the answer was submitted (UTC)."""
    bank_id: str
    """The question bank."""
    question_id: str
    """The question's id."""
    question: str
    """The question's prompt in the report language (the id when the question is gone)."""
    topic: str
    """The question's topic ("" when the question is no longer in any bank)."""
    kind: Literal["main", "follow_up"]
    """``main`` for the answer to the question, ``follow_up`` for an answer to a follow-up."""
    asked: str
    """What the interviewer asked: the prompt, or the follow-up question for follow-up answers."""
    language: str | None = None
    """Language of the feedback (the answer's language unless chosen otherwise)."""
    source: str = "typed"
    """How the answer was given: ``typed`` or ``voice``."""
    text: str
    """The candidate's answer, verbatim (empty when skipped)."""
    skipped: bool = False
    """True when the candidate skipped the question instead of answering."""
    score: float | None = None
    """The effective score (0-100): the candidate's override when set, else the graded score."""
    graded_score: float | None = None
    """The score the grader gave (None for an ungraded answer)."""
    override_score: float | None = None
    """The candidate's own correction of the score, if any."""
    verdict: str | None = None
    """One word for the graded score band: excellent, good, partial, weak, off-topic, empty."""
    coverage: float | None = None
    """Weighted key-point coverage before penalties (0-100)."""
    penalty: float | None = None
    """Points taken off for misconceptions and other problems."""
    key_points: list[KeyPointOutcome] = Field(default_factory=list)
    """Every key point of the question and how the answer covered it."""
    misconceptions: list[MisconceptionOutcome] = Field(default_factory=list)
    """Wrong statements the answer made."""
    follow_up: str | None = None
    """The follow-up question the grader chose (on the most important missed point)."""
    focus: str | None = None
    """For a follow-up graded on the one key point it asked about: that point's id
    (``key_points`` then holds that point alone)."""
    feedback: str | None = None
    """What the interviewer said about the answer."""
    duration_s: float | None = None
    """Time taken to answer, in seconds."""
    hints_used: int = 0
    """Hints shown before answering."""
    speech: SpeechStats | None = None
    """Delivery figures when the answer was spoken."""
    model: str | None = None
    """The grading models that scored the answer, as stored with its grade (None: ungraded)."""
    question_version: str | None = None
    """A hash of the question as it was asked: it differs from the bank's current one when
    the question's text or rubric was edited since."""

    @property
    def hits(self) -> list[KeyPointOutcome]:
        return [kp for kp in self.key_points if kp.status == "hit"]

    @property
    def partials(self) -> list[KeyPointOutcome]:
        return [kp for kp in self.key_points if kp.status == "partial"]

    @property
    def misses(self) -> list[KeyPointOutcome]:
        return [kp for kp in self.key_points if kp.status == "miss"]

    @property
    def focus_point(self) -> KeyPointOutcome | None:
        """For a follow-up graded on the point it asked about, that point's outcome."""
        return next((kp for kp in self.key_points if kp.id == self.focus), None)


class SessionRecord(_Model):
    """One interview session and the answers in the report from it."""

    id: int
    """The session's id (``mockint history ID`` shows it too)."""
    started_at: datetime
    """When the session started (UTC)."""
    ended_at: datetime | None = None
    """When it ended; None when it was interrupted."""
    mode: str | None = None
    """How it was run (mock, practice, review...)."""
    bank_id: str | None = None
    """The bank it drew its questions from, if one."""
    language: str | None = None
    """The language of the prompts."""
    client: str | None = None
    """What recorded it (tui, plain...)."""
    active_s: float = 0.0
    """Time practised in the session, in seconds (idle gaps over ten minutes count as ten)."""
    mean_score: float | None = None
    """Mean effective score of its graded main answers."""
    answers: list[AnswerRecord] = Field(default_factory=list)
    """Its answers in the report, in the order given."""


class ChartPoint(_Model):
    """One point of a score-over-time chart: the mean score of a group of answers."""

    at: datetime
    """When the group's first answer was given (UTC)."""
    score: float
    """Mean effective score of the group (0-100)."""
    answers: int
    """How many answers the mean is over."""
    label: str
    """What the point is (a session, a day, a week...), for tooltips."""


class TopicSummary(_Model):
    """Progress on one topic."""

    topic: str
    """The topic's id from the rubric (its title is in :attr:`ReportData.topic_titles`)."""
    answers: int
    """Graded main answers on the topic."""
    mean_score: float | None
    """Their mean effective score."""
    trend: float | None
    """Recent mean minus early mean, in points (None with fewer than six answers)."""
    points: list[ChartPoint]
    """Score over time for the topic."""


class Summary(_Model):
    """The headline figures."""

    sessions: int
    """Sessions with at least one answer (or skip) in the report."""
    answers: int
    """All answers, follow-ups included (skipped questions are not answers)."""
    skipped: int = 0
    """Questions skipped without an answer."""
    graded_answers: int
    """Main answers with a score; the score figures are over these."""
    questions: int
    """Distinct questions with a graded main answer."""
    spoken_answers: int
    """Answers given by voice."""
    time_practised_s: float
    """Total time practised, in seconds (see :attr:`SessionRecord.active_s`)."""
    practice_days: int = 0
    """Local calendar days with at least one answer (a skip alone does not count)."""
    longest_streak: int = 0
    """Most consecutive practice days."""
    current_streak: int = 0
    """Consecutive practice days up to the report's day (or the day before)."""
    mean_score: float | None
    """Mean effective score of the graded answers."""
    trend: float | None
    """Mean of the latest answers minus mean of the earliest, in points (positive is better).

    The window is a third of the graded answers, at most 10: with 30 answers, the last 10 against
    the first 10. None with fewer than six graded answers."""
    trend_window: int
    """How many answers each end of the trend is over."""
    first_at: datetime | None
    """The first answer in the report."""
    last_at: datetime | None
    """The latest answer in the report."""
    recent_scores: list[float]
    """The latest effective scores (up to 30, oldest first), for a sparkline."""


class MasteryCell(_Model):
    """How well one key point has been covered recently."""

    key_point_id: str
    """The key point's id."""
    text: str
    """The key point in the report language."""
    weight: float
    """Its weight in the question."""
    rate: float | None
    """Mean credit over the recent answers (0-1), None when never answered."""
    attempts: int
    """Answers the rate is over (the latest few)."""


class MasteryRow(_Model):
    """One question of the mastery grid."""

    bank_id: str
    question_id: str
    question: str
    """The prompt in the report language."""
    topic: str
    answers: int
    """Graded main answers to the question in the report."""
    cells: list[MasteryCell]
    """Its key points in rubric order."""


class WeakPoint(_Model):
    """A key point the candidate keeps missing, with what to say instead."""

    bank_id: str
    question_id: str
    question: str
    """The prompt in the report language."""
    topic: str
    key_point_id: str
    text: str
    """The model answer's wording of the point."""
    rate: float
    """Recent coverage (0-1)."""
    attempts: int
    """Answers the rate is over."""
    follow_up: str | None = None
    """The question an interviewer asks when the point is missing."""


class SpeechSummary(_Model):
    """Delivery figures over every spoken answer."""

    spoken_answers: int
    """Answers with speech figures."""
    total_duration_s: float
    """Total speaking time, in seconds."""
    mean_wpm: float | None
    """Mean speaking rate, words per minute."""
    fillers_per_minute: float | None
    """Filler words per minute of speech."""
    filler_count: int
    """All filler words said."""
    top_fillers: list[tuple[str, int]]
    """The most frequent filler words with their counts."""
    long_pauses: int
    """Pauses over two seconds, in all."""
    longest_pause_s: float | None
    """The longest pause, in seconds."""


class BankVersion(_Model):
    """A question bank the report's answers come from, as it stands now."""

    id: str
    """The bank's id."""
    version: int | None
    """The version its file declares (None: the bank is no longer loaded)."""
    content_hash: str | None
    """A hash of everything in the bank now, as ``mockint --version`` shows it (None: not
    loaded)."""
    answers: int
    """Answers in the report to its questions (skips not counted)."""
    earlier_versions: int
    """Of those, answers to a question edited or removed since: they were graded against the
    rubric of the time."""


class ModelUsage(_Model):
    """Grading models that scored answers of the report, as stored with each grade."""

    model: str
    """The models' names, e.g. ``all-MiniLM-L6-v2:int8+use-multilingual-v3``."""
    answers: int
    """Graded answers (follow-ups included) they scored."""
    first_at: datetime
    """The first of those answers (UTC)."""
    last_at: datetime
    """The latest of those answers (UTC)."""


class Provenance(_Model):
    """Where the report's grades come from: the question banks and the grading models."""

    banks: list[BankVersion] = Field(default_factory=list)
    """The banks of the report's answers, in the order they were first answered."""
    models: list[ModelUsage] = Field(default_factory=list)
    """The grading models, the first used first."""


class ReportFilters(_Model):
    """What the report was restricted to (None: no restriction)."""

    since: datetime | None = None
    """Answers at or after this time (UTC)."""
    until: datetime | None = None
    """Answers before this time (UTC)."""
    bank_id: str | None = None
    """Only this bank's questions."""
    session_id: int | None = None
    """Only this session."""

    def active(self) -> bool:
        return any(v is not None for v in (self.since, self.until, self.bank_id, self.session_id))


class ReportData(_Model):
    """Everything a progress report shows."""

    schema_version: int = SCHEMA_VERSION
    """Revision of this format."""
    generator: str
    """The program and version that wrote the report."""
    generated_at: datetime
    """When the report was built (UTC)."""
    language: str
    """Language of the rubric texts in the aggregate sections (``en`` or ``zh``)."""
    filters: ReportFilters
    """What the report was restricted to."""
    banks: dict[str, str]
    """Title of each bank in the report, by id."""
    topic_titles: dict[str, str] = {}
    """Title of each topic the report names, by id (the ``topic`` of its other fields), in the
    report's language: the bank's title for it, else the id itself."""
    summary: Summary
    """The headline figures."""
    chart_unit: Literal["session", "day", "week", "month"] = "session"
    """What one point of the score charts is: a session, or a day, week or month when there
    are many sessions."""
    overall: list[ChartPoint]
    """Score over time, all topics."""
    topics: list[TopicSummary]
    """Score over time and headline figures per topic."""
    mastery: list[MasteryRow]
    """Question x key point coverage grid."""
    weakest: list[WeakPoint]
    """The least covered key points, weakest first."""
    speech: SpeechSummary | None
    """Delivery figures, when some answers were spoken."""
    provenance: Provenance = Field(default_factory=Provenance)
    """Which question banks and grading models the answers were graded with."""
    sessions: list[SessionRecord]
    """Each session with its answers, oldest first (always the last field: writers stream it)."""

    def topic_title(self, topic: str) -> str:
        """What the report calls ``topic`` (an id of its other fields)."""
        return self.topic_titles.get(topic, topic)

    @property
    def empty(self) -> bool:
        """True when there is nothing to report (no answer or skip matches)."""
        return self.summary.answers + self.summary.skipped == 0

    def answers(self) -> list[AnswerRecord]:
        """Every answer in the report, oldest first."""
        return [answer for session in self.sessions for answer in session.answers]

    def iter_sessions(self, newest_first: bool = False) -> Iterator[SessionRecord]:
        """The sessions, oldest (or newest) first: a :data:`Sessions` source for the writers."""
        return reversed(self.sessions) if newest_first else iter(self.sessions)


Sessions = Callable[[bool], Iterable[SessionRecord]]
"""Where a writer gets the report's sessions from, oldest first (or newest first when passed
True): :meth:`ReportData.iter_sessions`, or a :class:`~mockint.export.build.ReportStream`'s
``sessions``, which reads them a page at a time."""
