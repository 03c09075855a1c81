"""The interview: a conversation with a demanding interviewer.

The screen is a thin face over :class:`mockint.interview.Interview`: every step (ask, grade and
store, hint, skip, follow-up, override) runs in a worker thread and comes back as a message;
the screen only shows the conversation and decides which keys make sense now.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.widgets import Label, Static, TextArea

from mockint.tui import answer_wrap, render, words
from mockint.tui.plan import InterviewPlan
from mockint.tui.prose import Prose
from mockint.tui.screens.base import MockintScreen
from mockint.tui.screens.dialogs import OverrideDialog, OverrideResult
from mockint.tui.widgets.countdown import Countdown
from mockint.tui.widgets.footer import Footer
from mockint.tui.widgets.status_bar import StatusBar
from mockint.tui.widgets.transcript import Transcript, Turn
from mockint.tui.widgets.voice import VoiceInput

if TYPE_CHECKING:
    from mockint.interview import Feedback, Hint, Interview
    from mockint.interview import Turn as AskedTurn

Phase = Literal[
    "starting", "answering", "grading", "follow_up", "reviewed", "busy", "stalled", "done"
]

# Which actions make sense in which phase; the footer shows exactly these.
ACTIONS: dict[str, set[Phase]] = {
    "submit": {"answering", "follow_up"},
    "hint": {"answering", "follow_up"},
    "dont_know": {"answering", "follow_up"},
    "skip": {"answering"},
    "next": {"follow_up", "reviewed"},
    "model_answer": {"reviewed", "done"},
    "override": {"reviewed", "done"},
    "feedback": {"reviewed", "done"},
    "record": {"answering", "follow_up"},
    # Leaving is always possible: the session can be resumed.
    "home": set(get_args(Phase)),
}
# The actions about the question just answered: once the interview is over they act on the last
# question, and only when it has a graded answer (a skipped last question has nothing to show).
REVIEW = {"model_answer", "override", "feedback"}
# Keys that also work in these phases without a place in the footer: while a follow-up is
# being answered, the footer (80 columns) has room only for what answering it needs.
QUIET: dict[str, set[Phase]] = {
    "model_answer": {"follow_up"},
    "override": {"follow_up"},
    "feedback": {"follow_up"},
}
# The actions the command palette offers (when their phase allows), in this order; each has
# a ``cmd_<action>`` title and a ``cmd_<action>_help`` line in words.LINES.
PALETTE = (
    "submit",
    "hint",
    "skip",
    "next",
    "dont_know",
    "model_answer",
    "override",
    "feedback",
    "record",
)

DRAFT_DELAY_S = 0.3
"""The answer being typed is saved this long after the last keystroke."""
DRAFT_PATIENCE_S = 2.0
"""How long leaving waits for the draft to be saved."""

# The answer box's placeholder in each phase (keys of render.LINES): the next step.
PLACEHOLDERS: dict[str, str] = {
    "answering": "placeholder_answering",
    "follow_up": "placeholder_follow_up",
    "grading": "grading",
}


@dataclass
class AnswerDraft:
    """An answer on its way to the grader."""

    text: str
    kind: Literal["main", "follow_up"]
    duration_s: float
    source: str = "typed"
    speech: dict | None = None


class InterviewScreen(MockintScreen):
    """Ask, listen, grade, follow up, move on."""

    CSS_PATH = "interview.tcss"
    AUTO_FOCUS = "#answer"
    # Not priority bindings: the keys reach the screen after the answer box has handled every
    # key typed before them, so a fast ctrl+s never sends half an answer.
    BINDINGS = [
        Binding("ctrl+s", "submit", "Send", tooltip="Send your answer"),
        Binding("ctrl+g", "hint", "Hint", tooltip="Reveal one keyword (costs points)"),
        Binding("ctrl+l", "dont_know", "Don't know", tooltip="Say so, and see what was expected"),
        Binding("ctrl+n", "skip", "Skip", tooltip="Skip this question"),
        Binding("ctrl+n", "next", "Next", tooltip="Go to the next question"),
        Binding("ctrl+f", "feedback", "Feedback", tooltip="Feedback detail"),
        Binding("ctrl+t", "model_answer", "Model answer", tooltip="Show the model answer"),
        Binding("ctrl+o", "override", "My score", tooltip="Override the score"),
        Binding("ctrl+r", "record", "Record", tooltip="Speak your answer"),
        Binding("escape", "home", "Home", tooltip="Back home; resume any time"),
        Binding("ctrl+f", "quietly('feedback')", show=False),
        Binding("ctrl+t", "quietly('model_answer')", show=False),
        Binding("ctrl+o", "quietly('override')", show=False),
        # The answer box keeps the focus, so the page keys scroll the conversation from there.
        Binding("pageup", "scroll_transcript(-1)", show=False, priority=True),
        Binding("pagedown", "scroll_transcript(1)", show=False, priority=True),
    ]
    # At 24 rows (or fewer) the answer box starts small and grows as the answer does.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    phase: reactive[Phase] = reactive("starting", init=False)
    """Where the conversation is; decides which keys work and what the footer shows."""

    class Started(Message):
        """The session exists and its first question (or nothing) is being asked."""

        def __init__(
            self,
            interview: Interview,
            turn: AskedTurn | None,
            resumed: list[dict],
            draft: dict | None = None,
        ):
            super().__init__()
            self.interview = interview
            self.turn = turn
            self.resumed = resumed
            self.draft = draft
            """An answer typed in an earlier run and never sent (see Interview.draft)."""

    class Saved(Message):
        """A sent answer is stored (committed); grading comes next."""

    class BacklogGraded(Message):
        """Answers stored ungraded by an earlier run have now been graded."""

        def __init__(self, graded: list) -> None:
            super().__init__()
            self.graded = graded

    class WaitingForModel(Message):
        """An answer is waiting for the grading model to finish loading."""

    class Graded(Message):
        """An answer was graded and stored (``dont_know``: it was "I don't know")."""

        def __init__(self, feedback: Feedback, text: str, dont_know: bool = False) -> None:
            super().__init__()
            self.feedback = feedback
            self.text = text
            self.dont_know = dont_know

    class SubmitFailed(Message):
        """An answer could not be graded (``stored``: it is saved, ungraded) or not even
        stored (its text goes back into the box)."""

        def __init__(self, draft: AnswerDraft, stored: bool = False) -> None:
            super().__init__()
            self.draft = draft
            self.stored = stored

    class Asked(Message):
        """The next question is being asked (None: the interview is over)."""

        def __init__(self, turn: AskedTurn | None, skipped: bool = False) -> None:
            super().__init__()
            self.turn = turn
            self.skipped = skipped

    class HintGiven(Message):
        def __init__(self, hint: Hint | None) -> None:
            super().__init__()
            self.hint = hint

    class Overridden(Message):
        def __init__(self, score: float | None) -> None:
            super().__init__()
            self.score = score

    class StepDone(Message):
        """A step finished (or failed, and the app said why): the screen returns to ``phase``."""

        def __init__(self, phase: Phase) -> None:
            super().__init__()
            self.phase = phase

    def __init__(self, plan: InterviewPlan) -> None:
        super().__init__()
        self.plan = plan
        self.language = plan.language
        self.localise_bindings(self.language)
        self.interview: Interview | None = None
        self.turn: AskedTurn | None = None
        """The question being asked; once the interview is over, the last one asked."""
        self._pending: Turn | None = None
        self._revealed = False
        self._override: float | None = None
        self._draft_timer: Timer | None = None
        self._asking_turn: Turn | None = None
        # Answer texts by answer id: the engine's feedback keeps only the grade.
        self._answer_texts: dict[int, str] = {}
        self._follow_up_limit: float | None = None
        """The follow-up's time, set when it is asked: its timer starts at the first key typed
        (the reply above it is read first, untimed)."""

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        answer_wrap.install()
        bank = self.app.library.bank(self.plan.bank_id)
        yield StatusBar(self._say("interview_place", bank=bank.title.get(self.language)))
        yield Transcript(id="transcript")
        with Vertical(id="answer-area"):
            # The question being answered, pinned here whenever its turn is scrolled away.
            yield Static(id="asking")
            with Horizontal(id="question-bar"):
                yield Label(id="question-label")
                yield VoiceInput(id="voice")
                yield Countdown(self.app.clock, id="countdown")
            answer = TextArea(
                id="answer",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                placeholder=self._say("placeholder_answering"),
            )
            answer.border_title = self._say("your_answer")
            answer.border_subtitle = self._say("send_hint")
            yield answer
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#answer", TextArea).disabled = True
        self.query_one("#asking").display = False
        transcript = self.query_one(Transcript)
        for attribute in ("scroll_y", "virtual_size"):
            self.watch(transcript, attribute, self._pin_question_soon, init=False)
        self.start_interview()

    def on_resize(self) -> None:
        self._pin_question_soon()

    def _pin_question_soon(self, *_: object) -> None:
        self.call_after_refresh(self._pin_question)

    def watch_phase(self, old: Phase, phase: Phase) -> None:
        if old == "grading":
            # The score first; the keys for what comes next in the frame after it.
            self.query_one(Footer).after_next_refresh()
        answer = self.query_one("#answer", TextArea)
        answering = phase in ("answering", "follow_up")
        # The box is restyled once per phase (a TextArea's restyle is one of the costlier
        # things the screen does while an answer is graded): its class changes unstyled,
        # then toggling ``disabled`` restyles it with the class, or, if that stays, one update,
        # unless the box is about to be hidden (it is restyled when enabled to be shown again).
        grading = phase == "grading"
        hidden = phase in ("reviewed", "done", "stalled")
        restyle = answer.has_class("-grading") != grading and not hidden
        answer.set_class(grading, "-grading", update=False)
        if answer.disabled != (not answering):
            answer.disabled = not answering
        elif restyle:
            answer.update_node_styles()
        answer.border_title = self._say(
            "your_follow_up_answer" if phase == "follow_up" else "your_answer"
        )
        answer.border_subtitle = self._say("send_hint") if answering else ""
        # Once an answer is graded the box gives its rows to the conversation; while a step
        # runs ("busy") it stays as it was, so it does not flicker.
        if hidden:
            answer.display = False
        elif phase != "busy":
            answer.display = True
        answer.placeholder = self._say(PLACEHOLDERS[phase]) if phase in PLACEHOLDERS else ""
        if answering:
            answer.focus()
        self.call_after_refresh(self._pin_question)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quietly":
            if parameters[0] == "model_answer" and self._revealed:
                return False
            return self.phase in QUIET.get(str(parameters[0]), set())
        # Once the model answer is in the conversation (ctrl+t, ctrl+l or a typed "I don't
        # know"), offering it again would do nothing.
        if action == "model_answer" and self._revealed:
            return False
        phases = ACTIONS.get(action)
        if phases is None:
            return True
        if action in REVIEW and self.phase == "done":
            return self.turn is not None and self.turn.main is not None
        return self.phase in phases

    def action_quietly(self, action: str) -> None:
        """A footer action that also works, unlisted, in a phase with no room for it."""
        getattr(self, f"action_{action}")()

    def action_scroll_transcript(self, direction: int) -> None:
        transcript = self.query_one(Transcript)
        transcript.release_anchor()
        if direction < 0:
            transcript.scroll_page_up()
        else:
            transcript.scroll_page_down()

    def _pin_question(self) -> None:
        """Show the question being answered above the answer box when its turn is not in view
        (a long reply read from the top, a long answer, the conversation scrolled back)."""
        asking = self.query_one("#asking", Static)
        turn = self._asking_turn
        show = (
            turn is not None
            and turn.is_attached
            and self.phase in ("answering", "follow_up")
            and not self.query_one(Transcript).fully_visible(turn)
        )
        if asking.display != show:
            asking.display = show

    def palette_commands(self):
        """Command palette entries for what can be done now (see the app's system commands)."""
        for action in PALETTE:
            if self.check_action(action, ()) or self.phase in QUIET.get(action, set()):
                yield SystemCommand(
                    self._say(f"cmd_{action}"),
                    self._say(f"cmd_{action}_help"),
                    getattr(self, f"action_{action}"),
                )

    # -- starting ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview", name="start")
    def start_interview(self) -> None:
        from mockint.interview import Interview

        app = self.app
        plan = self.plan
        try:
            if plan.resume_session_id is not None:
                interview = Interview.resume(
                    app.store, app.library, app.grader, plan.resume_session_id
                )
                history = app.store.session_answers(plan.resume_session_id)
            else:
                questions = [app.library.find_question(qid) for qid in plan.question_ids]
                interview = Interview.start(
                    app.store,
                    app.library,
                    app.grader,
                    questions,
                    mode=plan.mode,
                    language=plan.language,
                    client="tui",
                    bank_id=plan.bank_id,
                )
                history = []
            interview.follow_ups = app.follow_ups
            turn = interview.next_question()
            draft = interview.draft()
        except Exception:
            self.post_message(self.StepDone("done"))
            raise
        self.post_message(self.Started(interview, turn, history, draft))

    def on_interview_screen_started(self, message: Started) -> None:
        self.interview = message.interview
        self.language = message.interview.language
        transcript = self.query_one(Transcript)
        transcript.language = self.language
        bank = self.app.library.bank(self.plan.bank_id)
        title = bank.title.get(self.language)
        if self.plan.resume_session_id is not None:
            done = message.interview.done
            transcript.say(self._say("resume", done=done, n=message.interview.total))
            if message.resumed:
                transcript.say(_resumed_summary(message.resumed, self.language), "note")
        elif message.interview.total == 1:
            transcript.say(self._say("greeting_one", bank=title))
        else:
            n = message.interview.total
            transcript.say(self._say("greeting", n=n, s="s" if n > 1 else "", bank=title))
        for warning in message.interview.warnings:
            self.notify(words.explained(self.language, warning), severity="warning")
        upcoming = [q for _, q in message.interview.plan]
        if message.turn is not None:
            upcoming.insert(0, message.turn.question)
        self.app.warm_in_background(upcoming)
        self._ask(message.turn)
        self._restore_draft(message.draft)
        if self.plan.resume_session_id is not None:
            self.grade_backlog()

    def _restore_draft(self, draft: dict | None) -> None:
        """Put an answer typed in an earlier run back in the box (or, if it belonged to a
        follow-up that is not asked again, in the conversation, so its words are not lost)."""
        if draft is None:
            return
        if draft["current"] and self.phase == "answering":
            answer = self.query_one("#answer", TextArea)
            answer.text = draft["text"]
            answer.move_cursor(answer.document.end)
            self.notify(self._say("draft_back"))
            return
        self.query_one(Transcript).say(
            Content.assemble(
                (self._say("draft_unsent", question=draft["question_id"]) + "\n", "$text-muted"),
                draft["text"],
            ),
            "note",
        )

    # -- drafts -----------------------------------------------------------------------------

    @on(TextArea.Changed, "#answer")
    def _answer_changed(self) -> None:
        answer = self.query_one("#answer", TextArea)
        if self._follow_up_limit is not None and self.phase == "follow_up" and answer.text:
            self.query_one(Countdown).start(self._follow_up_limit)
            self._follow_up_limit = None
        # Saved a moment after the typing pauses: every keystroke would be a disk write.
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY_S, self._save_draft_soon)

    def _save_draft_soon(self) -> None:
        self._draft_timer = None
        if self.interview is not None and self.phase in ("answering", "follow_up"):
            self.save_draft(self.query_one("#answer", TextArea).text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft", name="draft")
    def save_draft(self, text: str) -> None:
        """Keep the answer being typed in the history (see Interview.save_draft)."""
        interview = self.interview
        if interview is not None:
            interview.save_draft(text)

    def save_draft_now(self) -> None:
        """Keep the answer in the box now: the app is about to go (quit, escape, a signal) and
        a worker might not get to run. Waits at most :data:`DRAFT_PATIENCE_S` (the database
        may be busy, or held by a worker waiting for it): leaving never hangs, and the save
        that follows each pause in typing ran before."""
        if self.interview is None or self.phase not in ("answering", "follow_up"):
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        interview, text = self.interview, self.query_one("#answer", TextArea).text

        def save() -> None:
            with contextlib.suppress(Exception):  # leaving must never fail
                interview.save_draft(text)

        saver = threading.Thread(target=save, name="mockint-draft", daemon=True)
        saver.start()
        saver.join(DRAFT_PATIENCE_S)

    @work(thread=True, exclusive=True, exit_on_error=False, group="backlog", name="backlog")
    def grade_backlog(self) -> None:
        """Grade answers a previous run stored but could not grade (the model was not there)."""
        interview = self.interview
        assert interview is not None
        if not interview.ungraded():
            return
        grader = self.app.wait_for_grader()
        if interview.grader is None:
            interview.grader = grader
        self.post_message(self.BacklogGraded(interview.grade_ungraded()))

    def on_interview_screen_backlog_graded(self, message: BacklogGraded) -> None:
        parts: list = []
        for row, grade in message.graded:
            if parts:
                parts.append("\n")
            kind = "" if row["kind"] == "main" else self._say("backlog_follow_up")
            parts += [
                self._say("backlog_saved", question=row["question_id"], kind=kind),
                render.score_text(grade.score, grade.verdict, self.language),
            ]
        if parts:
            self.query_one(Transcript).say(Content.assemble(*parts), "note")

    # -- asking -----------------------------------------------------------------------------

    def _ask(self, turn: AskedTurn | None) -> None:
        self._follow_up_limit = None
        countdown = self.query_one(Countdown)
        transcript = self.query_one(Transcript)
        if turn is None:
            # ``self.turn`` stays the last question asked, with what was revealed and scored:
            # its feedback, model answer and score remain a key away when the interview is over.
            countdown.stop()
            countdown.update("")
            self.query_one("#question-label", Label).update(self._say("complete"))
            transcript.say(self._say("done"))
            self._asking_turn = None
            self.phase = "done"
            return
        self.turn = turn
        self._revealed = False
        self._override = None
        self._asking_turn = transcript.say(
            render.question_turn(
                turn.question, turn.number, turn.total, self.language, topic=turn.topic_title
            )
        )
        self._set_asking(render.pinned_question(turn.prompt, turn.number, self.language))
        reason = self.plan.reasons.get(turn.question.id)
        # Why a review question came up is worth a line; in a mock interview it is noise.
        if reason and self.plan.mode in ("due", "weak", "new"):
            transcript.say(Content.styled(self._say("why", reason=reason), "$text-muted"), "note")
        self.query_one("#question-label", Label).update(
            Content.assemble(
                (self._say("question_short", i=turn.number, n=turn.total), "bold"),
                (f" · {turn.topic_title}", "$text-muted"),
            )
        )
        answer = self.query_one("#answer", TextArea)
        answer.clear()
        voice = self.query_one(VoiceInput)
        voice.time_limit = self.plan.time_limit or turn.time_limit
        voice.language = self.language
        countdown.start(self.plan.time_limit or turn.time_limit)
        self.phase = "answering"

    def _stop_timer(self) -> float:
        """Stop the question timer: the seconds the answer being sent took (none for a
        follow-up answered before a key was typed, whose timer never started)."""
        if self._follow_up_limit is not None:
            self._follow_up_limit = None
            return 0.0
        return self.query_one(Countdown).stop()

    def _set_asking(self, content: Content) -> None:
        self.query_one("#asking", Static).update(Prose.of(content))

    # -- answering --------------------------------------------------------------------------

    async def action_submit(self) -> None:
        answer = self.query_one("#answer", TextArea)
        text = answer.text.strip()
        if not text:
            self.notify(self._say("type_first"), severity="warning")
            return
        kind = "follow_up" if self.phase == "follow_up" else "main"
        duration = self._stop_timer()
        voice = self.query_one(VoiceInput)
        draft = AnswerDraft(
            text=text,
            kind=kind,
            duration_s=round(duration, 1),
            source=voice.source_for(text),
            speech=voice.speech_for(text),
        )
        voice.forget()
        await self._send(draft.text, lambda: self.grade_answer(draft))

    async def _send(self, text: str, grade: Callable[[], object]) -> None:
        """Show the answer sent, with the line saying it is being graded, and start ``grade``
        (its worker) first, so grading is under way while the screen changes. The changes are
        one batch, until the two turns are mounted: they show in one frame, laid out once
        (a frame between, the box cleared before the answer showed above it, was drawn for
        nothing while the grade waited for the main thread)."""
        grade()
        transcript = self.query_one(Transcript)
        with self.app.batch_update():
            sent = transcript.say(text, "candidate")
            self.query_one("#answer", TextArea).clear()
            self._pending = transcript.say(
                _pending_text(self.language, self.app.grader is None),
                "interviewer",
                classes="-pending",
            )
            self.phase = "grading"
            await AwaitMount(transcript, [sent, self._pending])

    @work(thread=True, exclusive=True, exit_on_error=False, group="grade", name="grade")
    def grade_answer(self, draft: AnswerDraft) -> None:
        """Store an answer, then grade it, in the interview engine.

        The answer is committed first, whatever the model is doing; grading (the moment the
        model is there) then adds the grade to the stored row.
        """
        interview = self.interview
        assert interview is not None
        answer_id: int | None = None
        try:
            answer_id = interview.record(
                draft.text,
                kind=draft.kind,
                source=draft.source,
                duration_s=draft.duration_s,
                speech=draft.speech,
            )
            self.post_message(self.Saved())
            if self.app.grader is None:
                self.post_message(self.WaitingForModel())
            interview.grader = self.app.wait_for_grader()
            submit = interview.submit if draft.kind == "main" else interview.submit_follow_up
            with self.app.grading():
                feedback = submit(
                    draft.text,
                    source=draft.source,
                    duration_s=draft.duration_s,
                    speech=draft.speech,
                    answer_id=answer_id,
                )
        except Exception:
            self.post_message(self.SubmitFailed(draft, stored=answer_id is not None))
            raise
        self.post_message(self.Graded(feedback, draft.text))

    def on_interview_screen_saved(self) -> None:
        if self._pending is not None:
            self._pending.update(_pending_text(self.language, self.app.grader is None, saved=True))
        self._warn_once()

    def on_interview_screen_waiting_for_model(self) -> None:
        if self._pending is not None:
            self._pending.update(_pending_text(self.language, True, saved=True))

    def on_interview_screen_submit_failed(self, message: SubmitFailed) -> None:
        # The app has shown why. An answer already stored is graded when the session is
        # resumed; one that was not goes back into the box, so nothing typed is lost.
        if self._pending is not None:
            text = self._say("not_graded") + self._say(
                "not_graded_saved" if message.stored else "not_graded_back"
            )
            self._pending.update(Content.styled(text, "$text-error"))
            self._pending.remove_class("-pending")
            self._pending = None
        if message.stored:
            self.phase = "stalled"
            return
        answer = self.query_one("#answer", TextArea)
        answer.text = message.draft.text
        self.phase = "follow_up" if message.draft.kind == "follow_up" else "answering"

    def on_interview_screen_graded(self, message: Graded) -> None:
        feedback = message.feedback
        self._answer_texts[feedback.answer_id] = message.text
        transcript = self.query_one(Transcript)
        turn = self.turn
        # A typed "I don't know" gets the same reply as ctrl+l: what was expected, not a list of
        # misses (and, to a question, the model answer its note promises "below").
        dont_know = message.dont_know or feedback.says_dont_know
        if feedback.kind == "follow_up" and turn is not None:
            before = turn.main.coverage.coverage if turn.main else None
            target = turn.main.grade.follow_up_key_point if turn.main else None
            reply = render.follow_up_grade_turn(
                feedback.grade,
                turn.question,
                target,
                feedback.coverage.coverage,
                before,
                feedback.coverage.statuses,
                feedback.newly_covered,
                self.language,
                dont_know=dont_know,
            )
        else:
            reply = render.grade_turn(feedback.grade, self.language, dont_know=dont_know)
        if self._pending is not None:
            reply_turn = self._pending
            reply_turn.update(reply)
            reply_turn.remove_class("-pending")
            self._pending = None
        else:
            reply_turn = transcript.say(reply, scroll=False)
        self._warn_once()
        if dont_know and feedback.kind == "main" and turn is not None and not self._revealed:
            # "Here's what I was looking for": the model answer, without another key press.
            self._revealed = True
            self.refresh_bindings()
            transcript.say(
                render.model_answer_turn(
                    turn.question.model_answer.get(self.language), self.language
                ),
                scroll=False,
            )
        follow_up = self.turn.follow_up_question if self.turn else None
        if self.interview is not None and self.interview.state == "follow_up" and follow_up:
            self._asking_turn = transcript.say(
                render.follow_up_turn(follow_up, self.language), scroll=False
            )
            self._set_asking(render.follow_up_turn(follow_up, self.language))
            # The timer shows what the answer took until the follow-up's answer begins.
            self._follow_up_limit = self.plan.time_limit or self.turn.time_limit
            self.phase = "follow_up"
        else:
            self.phase = "reviewed"
        # Read from the top: the score first, however long the reply.
        transcript.show_from(reply_turn)
        self.call_after_refresh(self._pin_question)

    def _warn_once(self) -> None:
        if self.interview is None:
            return
        while self.interview.warnings:
            warning = self.interview.warnings.pop(0)
            self.notify(words.explained(self.language, warning), severity="warning")

    # -- other steps ------------------------------------------------------------------------

    def action_hint(self) -> None:
        self._step("hint", self.phase)

    def action_skip(self) -> None:
        self.query_one(Countdown).stop()
        self.query_one(Transcript).say(self._say("skipped"))
        self._step("skip", "answering")

    def action_next(self) -> None:
        self._step("next", self.phase)

    async def action_dont_know(self) -> None:
        from mockint.interview import DONT_KNOW

        kind = "follow_up" if self.phase == "follow_up" else "main"
        duration = round(self._stop_timer(), 1)
        text = DONT_KNOW.get(self.language, DONT_KNOW["en"])
        await self._send(text, lambda: self.dont_know(kind, duration))

    @work(thread=True, exclusive=True, exit_on_error=False, group="grade", name="don't know")
    def dont_know(self, kind: Literal["main", "follow_up"], duration_s: float) -> None:
        """Store "I don't know" as the answer (to the question or to its follow-up), then
        grade it like any answer."""
        from mockint.interview import DONT_KNOW

        interview = self.interview
        assert interview is not None
        answer_id: int | None = None
        text = DONT_KNOW.get(interview.language, DONT_KNOW["en"])
        try:
            answer_id = interview.record(text, kind=kind, duration_s=duration_s)
            self.post_message(self.Saved())
            if self.app.grader is None:
                self.post_message(self.WaitingForModel())
            interview.grader = self.app.wait_for_grader()
            with self.app.grading():
                if kind == "main":
                    feedback = interview.dont_know(answer_id=answer_id)
                else:
                    feedback = interview.dont_know_follow_up(answer_id=answer_id)
        except Exception:
            draft = AnswerDraft("", kind, duration_s)
            self.post_message(self.SubmitFailed(draft, stored=answer_id is not None))
            raise
        self.post_message(self.Graded(feedback, text, dont_know=True))

    def _step(self, step: str, back_to: Phase) -> None:
        self.phase = "busy"
        self.run_step(step, back_to)

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview", name="step")
    def run_step(self, step: str, back_to: Phase) -> None:
        """Hint, skip or next question, in the engine (each may write to the history)."""
        interview = self.interview
        assert interview is not None
        try:
            if step == "hint":
                self.post_message(self.HintGiven(interview.hint()))
            elif step == "skip":
                interview.skip()
                self.post_message(self.Asked(interview.next_question(), skipped=True))
            elif step == "next":
                if interview.state == "follow_up":
                    interview.skip_follow_up()
                self.post_message(self.Asked(interview.next_question()))
        except Exception:
            self.post_message(self.StepDone(back_to))
            raise

    def on_interview_screen_hint_given(self, message: HintGiven) -> None:
        transcript = self.query_one(Transcript)
        if message.hint is None:
            transcript.say(self._say("no_hint"), "note")
        else:
            transcript.say(self._say("hint", keyword=message.hint.term))
        self.phase = (
            "follow_up" if self.interview and self.interview.state == "follow_up" else ("answering")
        )

    def on_interview_screen_asked(self, message: Asked) -> None:
        self._ask(message.turn)

    def on_interview_screen_step_done(self, message: StepDone) -> None:
        self.phase = message.phase

    def action_model_answer(self) -> None:
        if self.turn is None or self._revealed:
            return
        self._revealed = True
        self.refresh_bindings()
        self.query_one(Transcript).say(
            render.model_answer_turn(
                self.turn.question.model_answer.get(self.language), self.language
            )
        )

    def action_override(self) -> None:
        turn = self.turn
        if turn is None or turn.main is None:
            self.notify(self._say("no_score_yet"), severity="warning")
            return
        self.app.push_screen(
            OverrideDialog(turn.main.grade.score, self._override, self.language),
            self._override_chosen,
        )

    def _override_chosen(self, result: OverrideResult | None) -> None:
        if result is None:
            return
        assert self.turn is not None and self.turn.main is not None
        back = self.phase
        self.phase = "busy"
        self.save_override(result.score, self.turn.main.answer_id, back)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save", name="override")
    def save_override(self, score: float | None, answer_id: int, back_to: Phase) -> None:
        """Store the candidate's own score of a main answer (by id: once the interview is
        over, the engine asks no question whose answer it could mean)."""
        interview = self.interview
        assert interview is not None
        try:
            interview.override(score, answer_id=answer_id)
        except Exception:
            self.post_message(self.StepDone(back_to))
            raise
        self.post_message(self.Overridden(score))
        self.post_message(self.StepDone(back_to))

    def on_interview_screen_overridden(self, message: Overridden) -> None:
        self._override = message.score
        key = "override" if message.score is not None else "override_cleared"
        self.query_one(Transcript).say(self._say(key, score=message.score or 0))
        self._warn_once()

    def action_feedback(self) -> None:
        from mockint.tui.records import AnswerRecord
        from mockint.tui.screens.feedback import FeedbackScreen

        turn = self.turn
        if turn is None or turn.main is None:
            self.notify(self._say("no_feedback_yet"), severity="warning")
            return
        records = [
            AnswerRecord(
                fb.answer_id,
                turn.question.id,
                fb.kind,
                text,
                fb.grade,
                override=self._override if fb.kind == "main" else None,
            )
            for fb, text in self._answers_of(turn)
        ]
        self.app.push_screen(FeedbackScreen(turn.question, records, language=self.language))

    def _answers_of(self, turn: AskedTurn):
        """The current question's graded answers with the texts that were sent."""
        texts = self._answer_texts
        out = []
        if turn.main is not None:
            out.append((turn.main, texts.get(turn.main.answer_id, "")))
        if turn.follow_up is not None:
            out.append((turn.follow_up, texts.get(turn.follow_up.answer_id, "")))
        return out

    def action_record(self) -> None:
        self.query_one(VoiceInput).toggle()

    @on(VoiceInput.Transcribed, "#voice")
    def _transcribed(self, message: VoiceInput.Transcribed) -> None:
        answer = self.query_one("#answer", TextArea)
        separator = " " if answer.text.strip() else ""
        answer.text = answer.text.rstrip() + separator + message.text
        answer.move_cursor(answer.document.end)
        answer.focus()

    def action_leave(self) -> None:
        """Back to the home screen; the session stays resumable, the unsent answer kept."""
        self.save_draft_now()
        self.app.pop_screen()

    def action_home(self) -> None:
        self.action_leave()


def _pending_text(language: str, waiting_for_model: bool, saved: bool = False) -> Content:
    prefix = render.line(language, "saved") if saved else "◌ "
    if waiting_for_model:
        return Content.styled(prefix + render.line(language, "waiting_for_model"), "$text-warning")
    return Content.styled(prefix + render.line(language, "grading"), "$text-muted")


def _resumed_summary(rows: list[dict], language: str) -> Content:
    """One line per question answered before the interruption."""
    lines: list = []
    for row in rows:
        if row.get("kind") != "main":
            continue
        if lines:
            lines.append("\n")
        lines.append(row["question_id"] + words.line(language, "colon"))
        if row.get("skipped"):
            lines.append((words.line(language, "history_skipped"), "$text-muted"))
        else:
            score = row.get("effective_score")
            lines.append(render.score_text(score, row.get("verdict"), language))
    return Content.assemble(*lines) if lines else Content("")
