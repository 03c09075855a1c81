"""`mockint interview --plain`: a line-based interview for scripts, screen readers and SSH.

The transcript goes to standard output as plain lines (nothing that needs a terminal); status
messages (loading the model, warnings) go to standard error. Every answer is stored before it is
graded, and ``Saved. Grading...`` on stdout means it is committed; the lines typed so far are
kept as a draft, put back when the session is resumed.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mockint.commands._common import (
    add_command,
    load_grader_from_args,
    load_library_from_args,
    positive_int,
    row_id,
)
from mockint.errors import UserError

DESCRIPTION = """\
Run a mock interview. With --plain (or when input or output is not a terminal) it is
line-based: each question is printed, you type the answer and end it with an empty line (or
end of input), then the score, what you covered (in your own words), what you missed, any
misconception and a follow-up question are printed; answer the follow-up the same way, or
press Enter to skip it. Answers can be piped in. Every answer is saved the moment it is given,
before grading; an answer left ungraded by a crash is graded on --resume, and the lines of an
answer not yet sent are kept and given back on --resume.

Commands, on a line of their own: /hint (reveal a keyword you have not covered), /skip,
/idk (I don't know), /override N (your own score for the last graded question), /quit.
An interrupted session can be continued with --resume.
"""

COMMANDS = ("/hint", "/skip", "/idk", "/quit", "/override")
DEFAULT_COUNT = 5


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "interview",
        handle,
        help="run a mock interview (--plain: line-based, answers from standard input)",
        description=DESCRIPTION,
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "--plain",
        action="store_true",
        help="line-based interview on stdin/stdout (no full-screen app)",
    )
    parser.add_argument("--bank", metavar="ID", help="ask questions from this bank only")
    parser.add_argument(
        "-n",
        "--count",
        type=positive_int,
        metavar="N",
        help=f"number of questions (default: {DEFAULT_COUNT}; the whole bank with --mode all)",
    )
    parser.add_argument(
        "--questions",
        metavar="ID,ID",
        type=lambda value: [part.strip() for part in value.split(",") if part.strip()],
        help="ask exactly these questions, in this order",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of the questions (default: en); answer in either",
    )
    parser.add_argument(
        "--mode",
        choices=("mock", "due", "weak", "new", "all"),
        # No default: in a terminal, an explicit --mode (mock too) starts that interview at
        # once, while no --mode opens the home screen; the plain interview reads None as mock.
        default=None,
        help="mock: mixed topics (default); due: due for review; weak: weakest first; "
        "new: never asked; all: the bank in order",
    )
    parser.add_argument(
        "--audio-dir",
        metavar="DIR",
        type=Path,
        help="answers are WAV files in DIR: <question_id>.wav, or taken in sorted order "
        "(needs the voice extra)",
    )
    parser.add_argument(
        "--resume",
        nargs="?",
        const=0,
        type=row_id,
        metavar="SESSION_ID",
        help="continue an unfinished session (default: the latest)",
    )
    parser.add_argument(
        "--no-follow-up", action="store_true", help="do not ask follow-up questions"
    )
    parser.add_argument(
        "--reveal", action="store_true", help="print the model answer after each question"
    )
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)


def handle(args: argparse.Namespace) -> int:
    if not args.plain and sys.stdin.isatty() and sys.stdout.isatty() and args.audio_dir is None:
        from mockint.tui.app import run_app

        return run_app(args)
    return PlainInterview(args, sys.stdin, sys.stdout).run()


# ---------------------------------------------------------------------------------------------


@dataclass
class _Input:
    """What the candidate typed for one answer."""

    text: str
    command: str | None = None
    """``skip``, ``idk`` or ``quit`` when the answer ended with that command."""
    eof: bool = False
    """Input ended while (or before) reading this answer."""


class _Interrupts:
    """Holds Ctrl-C back while an answer is being graded and stored, then delivers it: an
    answer the candidate submitted is never half-recorded or dropped."""

    def __init__(self) -> None:
        self.pending = False

    @contextmanager
    def deferred(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        self.pending = False
        previous = signal.getsignal(signal.SIGINT)

        def remember(signum, frame) -> None:
            self.pending = True

        signal.signal(signal.SIGINT, remember)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
        if self.pending:
            raise KeyboardInterrupt


class PlainInterview:
    """The line-based interview over text streams (stdin/stdout in the CLI, strings in tests)."""

    def __init__(self, args: argparse.Namespace, stdin: TextIO, stdout: TextIO):
        self.args = args
        self.stdin = stdin
        self.out = stdout
        self.interview = None
        self.audio: dict[str, Path] = {}
        self.interrupts = _Interrupts()
        for stream in (stdin, stdout):
            # A pipe in a non-UTF-8 locale must not crash on Chinese text.
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="replace")

    # -- output ---------------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        # Flushed line by line: a script (or a test) watching the output sees each line at once.
        print(text, file=self.out, flush=True)

    def status(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # -- setup ----------------------------------------------------------------------------------

    def run(self) -> int:
        from mockint.interview import Interview, choose_questions
        from mockint.store import open_store

        args = self.args
        library = load_library_from_args(args)
        # An answer is never dropped because another program holds the database: wait, say so
        # (opening included: another interview may be creating the same history right now).
        store = open_store(
            getattr(args, "db", None), on_busy=lambda message: self.status(f"mockint: {message}")
        )
        store.patience = None
        for notice in store.notices:
            self.status(f"mockint: {notice}")
        mode = args.mode or "mock"
        try:
            if args.resume is not None:
                questions = None
            else:
                questions = choose_questions(
                    library,
                    mode,
                    args.count or _default_count(args),
                    bank_id=args.bank,
                    question_ids=args.questions or (),
                    store=store,
                    seed=args.seed,
                )
                if args.audio_dir is not None:
                    questions = self._match_audio(library, questions)
                if not questions:
                    raise UserError(_nothing_to_ask(mode))
            if args.audio_dir is not None:
                self._check_voice()
            self.status("Loading the grading model...")
            grader = load_grader_from_args(args)
            if questions is None:
                session_id = args.resume or None
                self.interview = Interview.resume(store, library, grader, session_id)
                if args.audio_dir is not None:
                    self._match_audio(library, self.interview.plan)
            else:
                self.interview = Interview.start(
                    store,
                    library,
                    grader,
                    questions,
                    mode=mode if not args.questions else "custom",
                    language=args.lang,
                    client="plain",
                    bank_id=args.bank,
                )
            self.interview.follow_ups = not args.no_follow_up
            return self._loop()
        finally:
            store.close()

    def _check_voice(self) -> None:
        try:
            from mockint.voice import load_model
        except ImportError as exc:
            raise UserError(
                f"--audio-dir needs the voice extra (pip install 'mockint[voice]'): {exc}"
            ) from None
        self.status("Loading the speech model...")
        load_model()  # raises VoiceUnavailable (a UserError) saying what is missing

    def _match_audio(self, library, questions):
        """Pair audio files with questions: by file name when names are question ids (those
        questions are then the interview), else in sorted order."""
        folder = self.args.audio_dir
        if not folder.is_dir():
            raise UserError(f"--audio-dir {folder}: no such folder")
        files = sorted(folder.glob("*.wav"))
        if not files:
            raise UserError(f"--audio-dir {folder}: no .wav files in it")
        known = {q.id for _, q in library.questions()}
        named = {f.stem: f for f in files if f.stem in known}
        if named:
            if not self.args.questions and self.args.resume is None:
                questions = [library.find_question(qid) for qid in named]
            self.audio = named
            missing = [q.id for _, q in questions if q.id not in named]
            if missing:
                raise UserError(
                    f"--audio-dir {folder}: no recording for {', '.join(missing)} "
                    "(name them <question_id>.wav)"
                )
            return questions
        questions = questions[: len(files)]
        self.audio = {q.id: f for (_, q), f in zip(questions, files, strict=False)}
        return questions

    # -- the interview --------------------------------------------------------------------------

    def _loop(self) -> int:
        interview = self.interview
        self.say(self._header())
        self._flush_warnings()
        self._grade_backlog()
        try:
            while (turn := interview.next_question()) is not None:
                if not self._ask(turn):
                    return self._stopped("Stopped.")
        except _EndOfInput:
            return self._stopped("Input ended.")
        except KeyboardInterrupt:
            self._stopped("Interrupted.")
            return 130
        self._summary()
        return 0

    def _grade_backlog(self) -> None:
        """Grade answers an earlier run stored but did not grade (killed, or the app's model
        had not loaded yet)."""
        with self.interrupts.deferred():
            graded = self.interview.grade_ungraded()
        for row, grade in graded:
            kind = " (follow-up)" if row["kind"] == "follow_up" else ""
            self.say(
                f"Your saved answer to {row['question_id']}{kind} is now graded: "
                f"{grade.score:.0f}/100 ({grade.verdict})."
            )
        self._flush_warnings()

    def _header(self) -> str:
        interview = self.interview
        session = interview.store.session(interview.session_id)
        left = len(interview.plan)
        resumed = f", resuming after {interview.done} answered" if interview.done else ""
        lines = [
            f"Interview session {interview.session_id}: {left} question"
            f"{'s' if left != 1 else ''}{resumed} (mode {session['mode']}).",
        ]
        if self.args.audio_dir is None:
            lines.append(
                "End each answer with an empty line. Commands on a line of their own: "
                "/hint /skip /idk /override N /quit"
            )
        return "\n".join(lines)

    def _ask(self, turn) -> bool:
        """Ask one question; False when the candidate asked to stop."""
        minutes = turn.time_limit / 60
        limit = f"{minutes:.0f} min" if minutes >= 1 else f"{turn.time_limit} s"
        self.say()
        self.say(f"Question {turn.number}/{turn.total} [{turn.topic_title}, about {limit}]")
        self.say(turn.prompt)
        if self.audio:
            return self._ask_audio(turn)
        entry = self._read_answer("Your answer (end with an empty line):", draft=True)
        if entry.eof and not entry.text and entry.command is None:
            raise _EndOfInput
        if entry.command == "skip":
            self._graded(lambda: self.interview.skip())
            self.say("Skipped.")
            return True
        if entry.command == "idk":
            from mockint.interview import DONT_KNOW

            said = DONT_KNOW.get(self.interview.language, DONT_KNOW["en"])
            feedback = self._send(said, lambda _, answer_id: self.interview.dont_know(answer_id))
            self._show_feedback(turn, feedback)
            self._reveal(turn, force=True)
            return True
        if entry.command == "quit" and not entry.text:
            return False
        feedback = self._send(entry.text, self.interview.submit)
        self._show_feedback(turn, feedback)
        if entry.command == "quit":
            return False
        if entry.eof:
            raise _EndOfInput
        try:
            keep_going = self._follow_up(turn)
        except _EndOfInput:
            self._reveal(turn)
            raise
        self._reveal(turn)
        return keep_going

    def _ask_audio(self, turn) -> bool:
        from mockint.voice import VoiceError, speech_metrics, transcribe

        path = self.audio.get(turn.question.id)
        if path is None:
            self._graded(lambda: self.interview.skip())
            self.say("No recording for this question: skipped.")
            return True
        self.say(f"Answer from {path.name}")
        try:
            transcript = transcribe(path)
        except VoiceError as exc:
            self._graded(lambda: self.interview.skip())
            self.say(f"Could not use {path.name}: {exc}. Skipped.")
            return True
        metrics = speech_metrics(transcript, time_limit_s=turn.time_limit)
        speech = {**metrics.model_dump(mode="json"), **metrics.as_dict()}
        self.say(f"Transcript: {transcript.text}")
        feedback = self._send(
            transcript.text,
            self.interview.submit,
            source="voice",
            duration_s=transcript.duration_s,
            speech=speech,
        )
        self._show_feedback(turn, feedback)
        for note in metrics.notes(self.interview.language):
            self.say(f"Delivery: {note}")
        if feedback.follow_up:
            self.say(f"Follow-up (not asked with recorded answers): {turn.follow_up_question}")
        self._reveal(turn)
        return True

    def _follow_up(self, turn) -> bool:
        if self.interview.state != "follow_up":
            return True
        self.say()
        self.say(f"Follow-up: {turn.follow_up_question}")
        entry = self._read_answer("Your answer (empty line to skip):", empty_ok=True, draft=True)
        if entry.command == "idk":
            from mockint.interview import DONT_KNOW

            said = DONT_KNOW.get(self.interview.language, DONT_KNOW["en"])
            point = self.interview.follow_up_point
            self._send(
                said,
                lambda _, answer_id: self.interview.dont_know_follow_up(answer_id),
                kind="follow_up",
            )
            self.say(
                "That's fine; saying so beats guessing."
                + (f" I was after: {point}" if point else "")
            )
            if entry.eof:
                raise _EndOfInput
            return True
        if entry.command == "skip" or (not entry.text and entry.command is None):
            self.interview.skip_follow_up()
            self.say("Follow-up skipped.")
            if entry.eof:
                raise _EndOfInput
            return True
        if entry.command == "quit" and not entry.text:
            self.interview.skip_follow_up()
            return False
        before = turn.main.coverage.coverage
        asked_about = turn.main.grade.follow_up_key_point
        feedback = self._send(entry.text, self.interview.submit_follow_up, kind="follow_up")
        grade = feedback.grade
        results = {kp.id: kp for kp in grade.key_points}
        # A follow-up is judged on the point it asked about; a sliver of credit is not covering.
        target = results.get(asked_about)
        said = "missed" if target is None or target.barely else _POINT_WORDS[target.status]
        self.say(f"Follow-up graded. On the point it asked about: {said}.")
        newly = [kp_id for kp_id in feedback.newly_covered if not results[kp_id].barely]
        if newly:
            self.say("Now covered:")
            for kp_id in newly:
                self.say(f"  - {results[kp_id].text}{_quote(results[kp_id].evidence)}")
        else:
            self.say("It did not cover anything new.")
        self._show_misconceptions(grade)
        self.say(f"Coverage of this question: {before:.0f}% -> {feedback.coverage.coverage:.0f}%")
        if entry.eof:
            raise _EndOfInput
        return entry.command != "quit"

    def _reveal(self, turn, force: bool = False) -> None:
        if self.args.reveal or force:
            self.say("Model answer:")
            self.say(turn.question.model_answer.get(self.interview.language))

    def _send(self, text: str, grade, kind: str = "main", **details):
        """Store an answer (committed, then ``Saved.`` is printed), then grade it with
        ``grade(text, answer_id=..., **details)``; Ctrl-C is held back until each step is done."""
        answer_id = self._graded(lambda: self.interview.record(text, kind=kind, **details))
        self.say("Saved. Grading...")
        return self._graded(lambda: grade(text, answer_id=answer_id, **details))

    def _graded(self, action):
        """Run a grade-and-store step with Ctrl-C held back until it is committed."""
        with self.interrupts.deferred():
            result = action()
        self._flush_warnings()
        return result

    def _show_feedback(self, turn, feedback) -> None:
        grade = feedback.grade
        # The grader's feedback paragraph says the same as the lists below, so it is not printed.
        self.say(f"Score: {grade.score:.0f}/100 ({grade.verdict})")
        # A point with only a sliver of credit was not covered: it is listed with the missed.
        covered = [kp for kp in grade.key_points if kp.status == "hit"]
        partial = [kp for kp in grade.key_points if kp.status == "partial" and not kp.barely]
        missed = [kp for kp in grade.key_points if kp.status == "miss" or kp.barely]
        for title, points in (("Covered:", covered), ("Partly covered:", partial)):
            if points:
                self.say(title)
                for kp in points:
                    self.say(f"  - {kp.text}{_quote(kp.evidence)}")
        if missed:
            self.say("Missed:")
            for kp in missed:
                self.say(f"  - {kp.text}{' (barely touched on)' if kp.barely else ''}")
        self._show_misconceptions(grade)
        for note in grade.notes:
            self.say(f"Note: {note}")

    def _show_misconceptions(self, grade) -> None:
        if grade.misconceptions:
            self.say("Misconceptions:")
            for mc in grade.misconceptions:
                if mc.id.startswith("contradicts:"):
                    # A key point stated the wrong way round: the candidate's words, once.
                    self.say(f'  - Not right: you said "{_one_line(mc.evidence)}"')
                else:
                    self.say(f"  - Wrong: {mc.text}")
                    self.say(f'    You said: "{_one_line(mc.evidence)}"')
                self.say(f"    In fact: {mc.correction} (-{mc.penalty:.0f} points)")

    # -- reading answers ------------------------------------------------------------------------

    def _read_answer(self, prompt: str, empty_ok: bool = False, draft: bool = False) -> _Input:
        """Lines until an empty line or end of input; commands are handled as they come.

        Blank lines before a main answer are ignored; for a follow-up (``empty_ok``) an empty
        line on its own is the answer "skip it". With ``draft``, the lines typed so far are
        kept in the history after each line, and a draft kept by an earlier run comes first."""
        self.say(prompt)
        lines: list[str] = self._restored_draft() if draft else []
        while True:
            raw = self.stdin.readline()
            if not raw:
                return _Input("\n".join(lines).strip(), eof=True)
            line = raw.rstrip("\r\n")
            if not line.strip():
                if lines or empty_ok:
                    return _Input("\n".join(lines).strip())
                continue
            command, _, rest = line.strip().partition(" ")
            if command.lower() in COMMANDS:
                command = command.lower()
                if command == "/hint":
                    self._hint()
                    continue
                if command == "/override":
                    self._override(rest)
                    continue
                return _Input("\n".join(lines).strip(), command=command[1:])
            lines.append(line)
            if draft:
                self._graded(lambda: self.interview.save_draft("\n".join(lines)))

    def _restored_draft(self) -> list[str]:
        """The lines of an answer typed in an earlier run but never sent, printed again."""
        kept = self.interview.draft()
        if kept is None:
            return []
        if not kept["current"]:
            self.say(f"Your unsent answer to {kept['question_id']} from last time was:")
            self.say(kept["text"])
            self.interview.store.save_draft(self.interview.session_id, kept["asked_id"], "main", "")
            return []
        self.say("Your unsent answer from last time (type the rest, then an empty line):")
        self.say(kept["text"])
        return kept["text"].split("\n")

    def _hint(self) -> None:
        hint = self.interview.hint()
        if hint is None:
            self.say("No hint left: every key point is covered or was hinted.")
        else:
            self.say(f'Hint: think about "{hint.term}". (Hints cost a few points.)')

    def _override(self, value: str) -> None:
        from mockint.store import StoreError

        answer_id = self._last_graded_answer()
        if answer_id is None:
            self.say("Nothing to override yet: no answer was graded in this session.")
            return
        try:
            score = float(value)
        except ValueError:
            self.say("Usage: /override N (N from 0 to 100)")
            return
        try:
            self.interview.override(score, answer_id=answer_id)
        except StoreError as exc:
            self.say(str(exc))
            return
        self.say(f"Your score of {score:.0f} is saved for the last graded question.")

    def _last_graded_answer(self) -> int | None:
        with self.interview.store.read() as db:
            row = db.execute(
                "SELECT a.id FROM answers a JOIN grades g ON g.answer_id = a.id "
                "WHERE a.session_id = ? AND a.kind = 'main' ORDER BY a.id DESC LIMIT 1",
                [self.interview.session_id],
            ).fetchone()
        return row[0] if row else None

    # -- ending ---------------------------------------------------------------------------------

    def _flush_warnings(self) -> None:
        for warning in self.interview.warnings if self.interview else []:
            self.status(f"mockint: warning: {warning}")
        if self.interview:
            self.interview.warnings.clear()

    def _summary(self) -> None:
        interview = self.interview
        session = interview.store.session(interview.session_id)
        mean = session["mean_score"]
        self.say()
        self.say(
            f"Session {interview.session_id} finished: {session['n_answers']} answered, "
            f"{session['n_skipped']} skipped"
            + (f", mean score {mean:.0f}/100." if mean is not None else ".")
        )
        self.say(f"See it again with: mockint history {interview.session_id}")

    def _stopped(self, why: str) -> int:
        interview = self.interview
        left = len(interview.plan) + (
            1 if interview.current and interview.state == "answering" else 0
        )
        if left:
            self.say()
            self.say(
                f"{why} Session {interview.session_id} is saved ({interview.done} answered, "
                f"{left} to go). Continue with: mockint interview --plain --resume "
                f"{interview.session_id}"
            )
        else:
            interview.finish()
            self._summary()
        return 0


class _EndOfInput(Exception):
    """Standard input ended: stop, keeping the session resumable."""


_POINT_WORDS = {"hit": "covered", "partial": "partly covered", "miss": "missed"}


def _quote(evidence: str | None) -> str:
    return f' (you said: "{_one_line(evidence)}")' if evidence else ""


def _one_line(text: str) -> str:
    """A quote of the candidate's answer on one line: an answer typed over several lines
    would otherwise break the list it is quoted in."""
    return " ".join(text.split())


def _nothing_to_ask(mode: str) -> str:
    return {
        "due": "nothing is due for review today; try --mode weak, new or mock",
        "weak": "no weak questions yet; try --mode due, new or mock",
        "new": "every question has been asked already; try --mode due, weak or mock",
    }.get(mode, "no question matches")


def _default_count(args: argparse.Namespace) -> int | None:
    # With recordings, their number decides; "all" means the whole bank; --questions lists
    # exactly what to ask.
    if args.mode == "all" or args.audio_dir is not None or args.questions:
        return None
    return DEFAULT_COUNT
