"""The interview flow, free of any UI: ask, grade, store, follow up, go on.

Both faces use it: ``mockint interview --plain`` (line-based) and the Textual app. Every answer
is stored (committed) before anything else happens to it; grading comes after and adds the
grade to the stored row, so a crash or a kill at any instant loses no answer, and an answer
left ungraded is graded when the session is resumed (:meth:`Interview.grade_ungraded`).
Grading is slow (tens to hundreds of ms): the TUI calls these methods from a worker thread.

    interview = Interview.start(store, library, grader, questions, mode="mock", language="en")
    while (turn := interview.next_question()) is not None:
        print(turn.number, turn.topic, turn.prompt)
        hint = interview.hint()                      # optional, before or after answering
        feedback = interview.submit(text)            # graded + stored; or .skip() / .dont_know()
        if feedback.follow_up:                       # the interviewer's question on the main gap
            interview.submit_follow_up(text2)        # or .skip_follow_up()
        interview.override(80)                       # optional: the candidate's own score
    # the session is ended when the last question is done

``Interview.resume(store, library, grader, session_id)`` picks up an interrupted session: the
questions it planned that have no answer yet, in order.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from mockint.errors import Reasoned, UserError
from mockint.store import StoreError

if TYPE_CHECKING:
    from mockint.grading.models import Grade
    from mockint.rubric import Bank, Library, Question
    from mockint.store import Store

MODES = ("mock", "due", "weak", "new", "all")
State = Literal["ready", "answering", "follow_up", "done"]
# How far a key point's status goes: each point's best over an answer and its follow-ups
# counts (combine(); mockint.practice ranks follow-up verdicts the same way).
STATUS_RANK = {"miss": 0, "partial": 1, "hit": 2}
DONT_KNOW = {"en": "I don't know.", "zh": "我不知道。"}


class InterviewError(UserError):
    """An action that does not fit the interview's current state (e.g. submit with no question)."""


@dataclass(frozen=True)
class Hint:
    """One revealed keyword of a key point the candidate has not covered yet."""

    key_point_id: str
    term: str
    """The keyword or term shown to the candidate."""


@dataclass(frozen=True)
class Coverage:
    """What the candidate has said about a question so far, main answer and follow-up together:
    a key point covered in either counts."""

    coverage: float
    """Weighted share of the key points covered (0-100, partial points count partly)."""
    statuses: dict[str, str]
    """Best status of each key point (``hit``, ``partial`` or ``miss``), in rubric order."""

    def ids(self, status: str) -> list[str]:
        return [kp for kp, s in self.statuses.items() if s == status]


@dataclass(frozen=True)
class Feedback:
    """A graded and stored answer."""

    answer_id: int
    kind: Literal["main", "follow_up"]
    grade: Grade
    coverage: Coverage
    """The question's combined coverage after this answer."""
    newly_covered: list[str]
    """Key points this answer covered that earlier answers to the question had not (follow-up)."""

    @property
    def follow_up(self) -> str | None:
        """The follow-up question to ask now (main answers only; None when nothing is missing)."""
        return self.grade.follow_up if self.kind == "main" else None

    @property
    def says_dont_know(self) -> bool:
        """The answer was "I don't know" in the candidate's own words (typed, spoken), which
        the grader scores as a zero with a note saying so, as it does the ``dont_know`` key."""
        from mockint.grading.feedback import NOTES

        return any(text in self.grade.notes for text in NOTES["dont-know"].values())


@dataclass
class Turn:
    """One question of the interview, as it is being asked."""

    number: int
    """1-based position of the question in the interview."""
    total: int
    """How many questions the interview has."""
    bank: Bank
    question: Question
    asked_id: int
    language: str
    main: Feedback | None = None
    follow_up: Feedback | None = None
    skipped: bool = False
    follow_up_closed: bool = False
    """The follow-up was declined (or not offered, after "I don't know")."""
    hints: list[Hint] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    _hints_since_answer: int = 0

    @property
    def prompt(self) -> str:
        return self.question.prompt.get(self.language)

    @property
    def topic(self) -> str:
        """The question's topic id (what the history groups by)."""
        return self.question.topic

    @property
    def topic_title(self) -> str:
        """The question's topic as the interview's language names it (its id if untitled)."""
        return self.bank.topic_title(self.question.topic, self.language)

    @property
    def time_limit(self) -> int:
        """Suggested time to answer, in seconds."""
        return self.question.time_limit

    @property
    def follow_up_question(self) -> str | None:
        """The pending follow-up, in the interview's language (None if not offered)."""
        if self.main is None or self.main.grade.follow_up_key_point is None:
            return None
        try:
            key_point = self.question.key_point(self.main.grade.follow_up_key_point)
        except StopIteration:
            return self.main.grade.follow_up
        return key_point.follow_up.get(self.language)


def combine(question: Question, grades: Sequence[Grade]) -> Coverage:
    """The question's coverage over several answers: each key point's best result counts."""
    statuses = {kp.id: "miss" for kp in question.key_points}
    credits = {kp.id: 0.0 for kp in question.key_points}
    for grade in grades:
        for result in grade.key_points:
            if result.id not in statuses:
                continue  # graded against an older version of the rubric
            if STATUS_RANK[result.status] > STATUS_RANK[statuses[result.id]]:
                statuses[result.id] = result.status
            credits[result.id] = max(credits[result.id], result.credit)
    covered = sum(kp.weight * credits[kp.id] for kp in question.key_points)
    return Coverage(round(100.0 * covered / question.total_weight, 1), statuses)


def pick_hint_term(
    terms: Sequence[str], text: str, language: str, asked: str = "", wording: str = ""
) -> str | None:
    """The keyword to reveal for a key point: a term in the interview's script if there is one,
    else the key point's most telling word; never one the question (``asked``: its prompt)
    already says, since revealing it would teach nothing and still cost points. None when
    every candidate is in the question. A term that is only a stem for matching ("oversampl")
    is shown as the word of the key point (``text``, or ``wording``: its other texts) it
    begins ("oversample")."""
    fresh = [t for t in terms if not _says(asked, t)]
    if fresh:
        preferred = [t for t in fresh if bool(_CJK.search(t)) == (language == "zh")] or fresh
        # A lone Chinese character ("采" of 采样) is seldom a word: a longer term says more.
        preferred.sort(key=lambda t: len(t) == 1 and bool(_CJK.search(t)))
        return _whole_word(preferred[0], f"{text} {wording}")
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", text) if not _says(asked, w)]
    if words:
        return max(words, key=len)
    return None if _says(asked, text[:12]) else text[:12]


_CJK = re.compile(r"[\u3400-\u9fff]")


def _whole_word(term: str, text: str) -> str:
    """``term`` completed to the first word of ``text`` it begins, in the term's own case
    ("saturat" and "…the saturated regions…" give "saturated"), unless ``text`` has it as a
    word of its own; else ``term`` as it is."""
    if _CJK.search(term) or not term[-1:].isalpha():
        return term
    endings = re.findall(rf"(?<![A-Za-z]){re.escape(term)}([A-Za-z]*)", text, re.IGNORECASE)
    return term if not endings or "" in endings else term + endings[0]


def _says(text: str, term: str) -> bool:
    """Whether ``text`` already contains ``term`` (any case; an English word also counts when
    the text has its stem: "folds" is in "k-fold cross-validation")."""
    text, term = text.lower(), term.lower().strip()
    if not term or term in text:
        return bool(term)
    stem = re.sub(r"(ing|ed|es|s)$", "", term) if re.fullmatch(r"[a-z-]+", term) else term
    return len(stem) >= 3 and stem in text


def _update_practice(store: Store, bank_id: str, question: Question, answer_id: int) -> str | None:
    """Reschedule the question (spaced repetition) if the practice module is there.

    The answer is already stored when this runs; a failure here is reported, not raised, so a
    scheduling problem never ends an interview.
    """
    try:
        from mockint import practice
    except ImportError:
        return None
    try:
        practice.update_after_grade(store, bank_id, question, answer_id)
    except Exception as exc:  # noqa: BLE001 - reported to the user, the answer is safe
        return Reasoned(
            f"could not update the practice schedule: {exc}", reason="schedule_failed", detail=exc
        )
    return None


class Interview:
    """A running interview session over a store, a library and a grader."""

    def __init__(
        self,
        store: Store,
        library: Library,
        grader,
        session_id: int,
        plan: Sequence[tuple[Bank, Question]],
        language: str = "en",
        done: int = 0,
        session: dict | None = None,
    ):
        self.store = store
        self.library = library
        self.grader = grader
        """The grader; may be set later (the TUI loads it in the background)."""
        self.session_id = session_id
        self.language = language
        self.plan = list(plan)
        """The questions still to ask, in order."""
        self.done = done
        """Questions of the session already answered or skipped (before a resume, too)."""
        self.current: Turn | None = None
        self.follow_ups = True
        """Whether the interviewer asks a follow-up on the main gap (``--no-follow-up``: no)."""
        self.warnings: list[str] = []
        """Problems worth telling the user that did not stop the interview."""
        self._total = done + len(self.plan)
        self._open_asked: dict[str, int] = {}
        # What a replacement session needs if this one is deleted from elsewhere meanwhile.
        self._session = session or {}
        store.hold_session(session_id)

    # -- starting and resuming ------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        store: Store,
        library: Library,
        grader,
        questions: Sequence[tuple[Bank, Question]],
        *,
        mode: str = "mock",
        language: str = "en",
        client: str = "cli",
        bank_id: str | None = None,
    ) -> Interview:
        """Start a new session asking ``questions`` in order."""
        if not questions:
            raise InterviewError("no question to ask")
        banks = {bank.id for bank, _ in questions}
        session_id = store.start_session(
            mode=mode,
            bank_id=bank_id or (next(iter(banks)) if len(banks) == 1 else None),
            language=language,
            client=client,
            plan=[q.id for _, q in questions],
        )
        session = {
            "mode": mode,
            "bank_id": bank_id or (next(iter(banks)) if len(banks) == 1 else None),
            "client": client,
        }
        return cls(store, library, grader, session_id, questions, language, session=session)

    @classmethod
    def resume(
        cls, store: Store, library: Library, grader, session_id: int | None = None
    ) -> Interview:
        """Continue an unfinished session (default: the latest) with its unanswered questions."""
        if session_id is None:
            unfinished = store.unfinished_sessions()
            if not unfinished:
                raise InterviewError("there is no unfinished session to resume")
            session_id = unfinished[0]["id"]
        session = store.session(session_id)
        if session is None:
            raise InterviewError(f"there is no session {session_id} (see `mockint history`)")
        asked = store.asked(session_id)
        answered = {row["question_id"] for row in asked if row["answered"]}
        planned = session["plan"] or [row["question_id"] for row in asked]
        plan, missing = [], []
        for question_id in dict.fromkeys(planned):
            if question_id in answered:
                continue
            try:
                plan.append(library.find_question(question_id))
            except KeyError:
                missing.append(question_id)
        interview = cls(
            store,
            library,
            grader,
            session_id,
            plan,
            session["language"],
            done=len(answered),
            session=session,
        )
        # A question asked but never answered (the process died) is asked again on the same row.
        interview._open_asked = {
            row["question_id"]: row["id"] for row in asked if not row["answered"]
        }
        if missing:
            interview.warnings.append(
                Reasoned(
                    "no longer in the question banks, skipped: " + ", ".join(missing),
                    reason="questions_gone",
                    questions=", ".join(missing),
                )
            )
        store.reopen_session(session_id)
        return interview

    # -- the flow -------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self._total

    @property
    def state(self) -> State:
        turn = self.current
        if turn is None:
            return "done" if not self.plan else "ready"
        if turn.main is None and not turn.skipped:
            return "answering"
        if (
            self.follow_ups
            and turn.follow_up is None
            and not turn.follow_up_closed
            and turn.follow_up_question
        ):
            return "follow_up"
        return "ready"

    def next_question(self) -> Turn | None:
        """Close the current question and ask the next one (recorded as asked); None at the
        end, when the session is marked finished."""
        if self.current is not None and self.current.main is None and not self.current.skipped:
            raise InterviewError("answer or skip the current question first")
        self.current = None
        if not self.plan:
            self.finish()
            return None
        bank, question = self.plan.pop(0)
        asked_id = self._open_asked.pop(question.id, None)
        if asked_id is None or not self._same_version(asked_id, question):
            asked_id = self._in_session(
                lambda: self.store.ask(self.session_id, bank.id, question), asking=question
            )
        self.current = Turn(
            number=self.done + 1,
            total=self._total,
            bank=bank,
            question=question,
            asked_id=asked_id,
            language=self.language,
        )
        return self.current

    def _same_version(self, asked_id: int, question: Question) -> bool:
        with self.store.read() as db:
            row = db.execute("SELECT question_hash FROM asked WHERE id = ?", [asked_id]).fetchone()
        return bool(row) and row[0] == question.content_hash()

    def _turn(self, *, answering: bool) -> Turn:
        turn = self.current
        if turn is None:
            raise InterviewError("no question is being asked")
        if answering and (turn.main is not None or turn.skipped):
            raise InterviewError("this question was already answered")
        return turn

    def _grade(self, turn: Turn, text: str, hints: int, focus: str | None = None) -> Grade:
        """Grade an answer to the turn's question; ``focus``: a follow-up's key point, the one
        thing a follow-up answer is graded on."""
        if self.grader is None:
            raise InterviewError("the grader is not ready yet")
        others = [q for q in turn.bank.questions if q.id != turn.question.id]
        if focus is not None and not any(kp.id == focus for kp in turn.question.key_points):
            focus = None  # the rubric changed since the follow-up was asked
        # Feedback (key point texts, follow-up, model answer) in the interview's language.
        return self.grader.grade(
            turn.question,
            text,
            bank_id=turn.bank.id,
            language=turn.language,
            hints_used=hints,
            other_questions=others,
            elsewhere=self.library.outside(turn.bank.id),
            focus=focus,
        )

    def submit(
        self,
        text: str,
        *,
        source: str = "typed",
        duration_s: float | None = None,
        speech: dict | None = None,
        answer_id: int | None = None,
    ) -> Feedback:
        """Store the answer to the current question (committed), then grade it and add the
        grade to the stored row.

        With ``answer_id`` (from :meth:`record`), the answer is already stored: only its grade
        is added. If grading fails the answer stays stored, ungraded, and the question counts
        as answered (a resume grades it)."""
        turn = self._turn(answering=True)
        if answer_id is None:
            answer_id = self.record(text, source=source, duration_s=duration_s, speech=speech)
        hints = len(turn.hints)
        grade = self._grade(turn, text, hints)
        self.store.add_grade(answer_id, grade)
        turn.main = Feedback(answer_id, "main", grade, combine(turn.question, [grade]), [])
        turn._hints_since_answer = 0
        turn.started = time.monotonic()
        self.done += 1
        self._note(_update_practice(self.store, turn.bank.id, turn.question, answer_id))
        return turn.main

    def record(
        self,
        text: str,
        *,
        kind: Literal["main", "follow_up"] = "main",
        source: str = "typed",
        duration_s: float | None = None,
        speech: dict | None = None,
    ) -> int:
        """Store an answer, ungraded, and commit it: the first thing done with every answer.
        :meth:`submit` / :meth:`submit_follow_up` with ``answer_id=`` then grade it (the app's
        model may still be loading). An answer left ungraded (the app was closed or killed
        first) is graded when the session is resumed (:meth:`grade_ungraded`). Returns the
        answer id."""
        turn = self.current
        if kind == "main":
            turn = self._turn(answering=True)
            hints = len(turn.hints)
        else:
            if self.state != "follow_up" or turn is None:
                raise InterviewError("there is no follow-up question to answer")
            hints = turn._hints_since_answer
        if duration_s is None:
            duration_s = round(time.monotonic() - turn.started, 2)

        def store() -> int:
            return self.store.record_answer(
                turn.asked_id,
                text,
                None,
                kind=kind,
                source=source,
                duration_s=duration_s,
                hints_used=hints,
                speech=speech,
            )

        return self._in_session(store, turn)

    def _in_session(self, write, turn: Turn | None = None, asking: Question | None = None):
        """Run ``write()``; if it fails because the session was deleted by another process,
        go on in a new session (``turn`` asked again in it) and run it there."""
        try:
            return write()
        except StoreError:
            if self.store.session(self.session_id) is not None:
                raise
        self._replace_session(turn, asking)
        return write()

    def _replace_session(self, turn: Turn | None, asking: Question | None) -> None:
        old = self.session_id
        info = self._session
        first = [turn.question if turn is not None else asking]
        self.session_id = self.store.start_session(
            mode=info.get("mode") or "mock",
            bank_id=info.get("bank_id"),
            language=self.language,
            client=info.get("client") or "cli",
            plan=[q.id for q in first if q is not None] + [q.id for _, q in self.plan],
        )
        self.store.hold_session(self.session_id)
        if turn is not None:
            turn.asked_id = self.store.ask(self.session_id, turn.bank.id, turn.question)
        self._open_asked.clear()
        self.warnings.append(
            Reasoned(
                f"session {old} was deleted by another mockint while you were answering; your "
                f"answers go on in a new session {self.session_id}, nothing is lost",
                reason="session_deleted",
                old=old,
                new=self.session_id,
            )
        )

    def save_draft(self, text: str) -> None:
        """Keep the answer being typed to the current question or follow-up (see
        :meth:`draft`); a no-op when no question is waiting for an answer."""
        turn = self.current
        if turn is None or self.state not in ("answering", "follow_up"):
            return
        kind = "follow_up" if self.state == "follow_up" else "main"
        self.store.save_draft(self.session_id, turn.asked_id, kind, text)

    def draft(self) -> dict | None:
        """The unsent answer kept by :meth:`save_draft` in an earlier run, with ``current``:
        whether it belongs to the question being asked now (then it goes back in the box)."""
        row = self.store.draft(self.session_id)
        if row is not None:
            turn = self.current
            row["current"] = bool(
                turn is not None and row["kind"] == "main" and row["asked_id"] == turn.asked_id
            )
        return row

    def ungraded(self) -> list[dict]:
        """Answers of this session stored but never graded (see :meth:`record`)."""
        return [
            row
            for row in self.store.session_answers(self.session_id)
            if row["score"] is None and not row["skipped"]
        ]

    def _asked_point(self, row: dict) -> str | None:
        """The key point a stored follow-up answer was asked about (its main answer's gap)."""
        for other in self.store.session_answers(self.session_id):
            if other["asked_id"] == row["asked_id"] and other["kind"] == "main":
                main = self.store.grade(other["answer_id"]) if other["score"] is not None else None
                return main.follow_up_key_point if main else None
        return None

    def grade_ungraded(self) -> list[tuple[dict, Grade]]:
        """Grade and store every answer :meth:`ungraded` returns; each with its grade."""
        graded = []
        for row in self.ungraded():
            try:
                bank, question = self.library.find_question(row["question_id"])
            except KeyError:
                continue
            turn = Turn(0, 0, bank, question, row["asked_id"], self.language)
            focus = self._asked_point(row) if row["kind"] == "follow_up" else None
            grade = self._grade(turn, row["text"], row["hints_used"] or 0, focus)
            self.store.add_grade(row["answer_id"], grade)
            # A follow-up's grade changes its main answer's key point verdicts (see practice).
            self._note(_update_practice(self.store, bank.id, question, row["answer_id"]))
            graded.append((row, grade))
        return graded

    def dont_know(self, answer_id: int | None = None) -> Feedback:
        """The candidate says they do not know: stored and graded (as a zero) like any answer;
        no follow-up is offered. ``answer_id``: as for :meth:`submit`."""
        feedback = self.submit(DONT_KNOW.get(self.language, DONT_KNOW["en"]), answer_id=answer_id)
        self._close_follow_up()
        return feedback

    def skip(self) -> None:
        """Skip the current question (stored as skipped, not graded)."""
        turn = self._turn(answering=True)
        duration_s = round(time.monotonic() - turn.started, 2)
        self._in_session(lambda: self.store.record_skip(turn.asked_id, duration_s=duration_s), turn)
        turn.skipped = True
        self.done += 1

    def submit_follow_up(
        self,
        text: str,
        *,
        source: str = "typed",
        duration_s: float | None = None,
        speech: dict | None = None,
        answer_id: int | None = None,
    ) -> Feedback:
        """Store the answer to the follow-up, then grade it (as :meth:`submit`); the question's
        coverage now counts a key point covered in either answer."""
        turn = self.current
        if self.state != "follow_up" or turn is None or turn.main is None:
            raise InterviewError("there is no follow-up question to answer")
        if answer_id is None:
            answer_id = self.record(
                text, kind="follow_up", source=source, duration_s=duration_s, speech=speech
            )
        hints = turn._hints_since_answer
        grade = self._grade(turn, text, hints, turn.main.grade.follow_up_key_point)
        self.store.add_grade(answer_id, grade)
        before = turn.main.coverage
        after = combine(turn.question, [turn.main.grade, grade])
        newly = [
            kp
            for kp, status in after.statuses.items()
            if STATUS_RANK[status] > STATUS_RANK[before.statuses[kp]] and status != "miss"
        ]
        turn.follow_up = Feedback(answer_id, "follow_up", grade, after, newly)
        # A point covered here is no longer a weak spot of the question (see practice).
        self._note(_update_practice(self.store, turn.bank.id, turn.question, answer_id))
        return turn.follow_up

    @property
    def follow_up_point(self) -> str | None:
        """The text of the key point the pending (or last) follow-up asks about, in the
        interview's language."""
        turn = self.current
        point = turn.main.grade.follow_up_key_point if turn and turn.main else None
        if point is None:
            return None
        try:
            return turn.question.key_point(point).text.get(self.language)
        except StopIteration:
            return None

    def dont_know_follow_up(self, answer_id: int | None = None) -> Feedback:
        """The candidate says they do not know the answer to the follow-up: stored and graded
        like any follow-up answer (``answer_id``: as for :meth:`submit`)."""
        return self.submit_follow_up(
            DONT_KNOW.get(self.language, DONT_KNOW["en"]), answer_id=answer_id
        )

    def skip_follow_up(self) -> None:
        """Decline the follow-up question (nothing is stored)."""
        self._close_follow_up()

    def _close_follow_up(self) -> None:
        if self.current is not None:
            self.current.follow_up_closed = True

    def hint(self) -> Hint | None:
        """Reveal a keyword of the most important key point not covered yet (None if every point
        is covered or hinted); counted in the next answer's ``hints_used``."""
        turn = self._turn(answering=False)
        if self.state not in ("answering", "follow_up"):
            raise InterviewError("hints are for a question being answered")
        coverage = (
            turn.follow_up.coverage if turn.follow_up else turn.main.coverage if turn.main else None
        )
        hinted = {h.key_point_id for h in turn.hints}
        candidates = [
            kp
            for kp in sorted(turn.question.key_points, key=lambda kp: -kp.weight)
            if kp.id not in hinted and (coverage is None or coverage.statuses[kp.id] != "hit")
        ]
        # During the follow-up, the point it asks about comes first.
        if (
            self.state == "follow_up"
            and turn.main is not None
            and turn.main.grade.follow_up_key_point
        ):
            candidates.sort(key=lambda kp: kp.id != turn.main.grade.follow_up_key_point)
        # All the question's wordings: a hint in one language must not be in the other either.
        asked = " ".join(turn.question.prompt.all_texts())
        for key_point in candidates:
            term = pick_hint_term(
                key_point.terms,
                key_point.text.get(self.language),
                self.language,
                asked,
                " ".join(key_point.text.all_texts()),
            )
            if term is not None:
                break
        else:
            return None
        hint = Hint(key_point.id, term)
        turn.hints.append(hint)
        turn._hints_since_answer += 1
        return hint

    def override(self, score: float | None, answer_id: int | None = None) -> None:
        """Record the candidate's own score for the current question's main answer (or for
        ``answer_id``); None clears it."""
        if answer_id is None:
            turn = self.current
            if turn is None or turn.main is None:
                raise InterviewError("there is no graded answer to override")
            answer_id = turn.main.answer_id
            bank_id, question = turn.bank.id, turn.question
        else:
            with self.store.read() as db:
                row = db.execute(
                    "SELECT s.bank_id, s.question_id FROM answers a"
                    " JOIN asked s ON s.id = a.asked_id WHERE a.id = ?",
                    [answer_id],
                ).fetchone()
            if row is None:
                raise InterviewError(f"there is no answer {answer_id}")
            bank_id, question = row[0], self._question_or_none(row[1])
        self.store.set_override(answer_id, score)
        if question is not None:
            self._note(_update_practice(self.store, bank_id, question, answer_id))

    def _question_or_none(self, question_id: str) -> Question | None:
        try:
            return self.library.find_question(question_id)[1]
        except KeyError:
            return None

    def finish(self) -> None:
        """End the session (it no longer shows as resumable)."""
        self.store.end_session(self.session_id)

    def _note(self, warning: str | None) -> None:
        if warning:
            self.warnings.append(warning)


def choose_questions(
    library: Library,
    mode: str = "mock",
    count: int | None = None,
    *,
    bank_id: str | None = None,
    question_ids: Sequence[str] = (),
    store: Store | None = None,
    seed: int | None = None,
) -> list[tuple[Bank, Question]]:
    """The questions of a new interview.

    ``question_ids`` wins when given. Otherwise ``mode``: ``all`` is bank order; ``due``,
    ``weak``, ``new`` and ``mock`` ask :func:`mockint.practice.select_questions` when it is
    available; without it, ``mock`` is a shuffle that interleaves topics and ``new`` is the
    questions never asked. ``count`` caps the number (None: all that qualify).
    """
    if mode not in MODES:
        raise UserError(f"unknown mode {mode!r} (choose from {', '.join(MODES)})")
    pool = [(bank, q) for bank, q in library.questions() if bank_id is None or bank.id == bank_id]
    if bank_id is not None and not pool:
        known = ", ".join(b.id for b in library.banks)
        raise UserError(f"unknown bank {bank_id!r} (loaded banks: {known})")
    if question_ids:
        chosen = []
        for qid in question_ids:
            try:
                chosen.append(library.find_question(qid))
            except KeyError:
                raise UserError(
                    f"unknown question id {qid!r} (see `mockint rubrics list`)"
                ) from None
        return chosen[:count] if count else chosen
    if mode == "all":
        return pool[:count] if count else pool
    limit = count or len(pool)
    if store is not None:
        selected = _practice_selection(store, library, mode, limit, bank_id)
        if selected is not None:
            return selected
    if mode == "mock":
        return _interleave_topics(pool, random.Random(seed))[:limit]
    if mode == "new":
        asked = set()
        if store is not None:
            with store.read() as db:
                asked = {row[0] for row in db.execute("SELECT DISTINCT question_id FROM asked")}
        return [(b, q) for b, q in pool if q.id not in asked][:limit]
    raise UserError(f"mode {mode!r} needs the practice scheduler, which is not available")


def _practice_selection(store, library, mode, n, bank_id) -> list | None:
    try:
        from mockint.practice import select_questions
    except ImportError:
        return None
    selections = select_questions(store, library, mode, n, bank_id=bank_id)
    return [library.find_question(s.question_id) for s in selections]


def _interleave_topics(pool, rng: random.Random) -> list:
    """Shuffle, then take one question per topic in turn, so topics are mixed."""
    by_topic: dict[str, list] = {}
    shuffled = list(pool)
    rng.shuffle(shuffled)
    for bank, question in shuffled:
        by_topic.setdefault(question.topic, []).append((bank, question))
    out = []
    while any(by_topic.values()):
        for topic in list(by_topic):
            if by_topic[topic]:
                out.append(by_topic[topic].pop(0))
    return out
