"""What each screen shows (pytest-textual-snapshot). Data are fixed: the frozen test bank,
hand-made grades, a store clock that starts on 2025-03-08, a frozen question timer, UTC.

Update after an intended change with ``pytest tests/tui --snapshot-update``, then look at the
images in the report before committing them.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from snapshot_data import (
    DROPOUT_ANSWER,
    OVERFIT_ANSWER,
    OVERFIT_FOLLOW_UP,
    FixedGrader,
    record_history,
)
from textual.widgets import DataTable, Select, TextArea
from tui_helpers import wait_for, wait_phase

from mockint.tui.plan import InterviewPlan
from mockint.tui.screens.feedback import FeedbackScreen
from mockint.tui.screens.history import HistoryScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.progress import ProgressScreen

HISTORY_START = datetime(2025, 3, 8, 9, 0, tzinfo=UTC)
SMALL = (80, 24)
LARGE = (140, 45)
PLAN = InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("overfitting", "dropout"))


@pytest.fixture
def fixed_app(make_app, tui_library):
    """The app with hand-made grades instead of the model."""

    def make(**kwargs):
        kwargs.setdefault("grader", FixedGrader(tui_library))
        return make_app(**kwargs)

    return make


@pytest.fixture
def history(store, tui_library):
    record_history(store, tui_library, HISTORY_START)
    return store


async def home_ready(pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), "home")
    await wait_for(
        pilot,
        lambda: "session" in str(pilot.app.screen.query_one("#summary").render()),
        "home figures",
    )


async def start_interview(pilot, plan: InterviewPlan = PLAN) -> None:
    await home_ready(pilot)
    pilot.app.push_screen_interview(plan)
    await wait_phase(pilot, "answering")


async def send(pilot, text: str, *phases: str) -> None:
    pilot.app.screen.query_one("#answer", TextArea).text = text
    await pilot.press("ctrl+s")
    await wait_phase(pilot, *phases)


def test_home_small(snap_compare, fixed_app):
    """Home at 80x24, empty history: the test bank in "Question bank", six modes with "Mock
    interview" highlighted, the Options row (Questions 5, Time each question's own, Language
    English), the bank description, "due today 0 · new 3 · weak 0 · 0 sessions", the Start
    button, and a footer with s Start, p Progress, h History, e Export, f2 Theme, ^q Quit.
    The status bar says "model ready"."""
    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=home_ready)


def test_home_practice_large(snap_compare, fixed_app):
    """Home at 140x45 with "Practise a topic or question" chosen: a "Practise" row appears with
    "topic: generalization (1)" selected; the Questions selector is disabled."""

    async def run_before(pilot):
        await home_ready(pilot)
        modes = pilot.app.screen.query_one("#modes")
        modes.focus()
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(fixed_app(), terminal_size=LARGE, run_before=run_before)


def test_home_resume_with_history(snap_compare, fixed_app, history, tui_library):
    """Home at 80x24 with an unfinished session and "Resume a session" chosen: the Session row
    lists "#4 · 2025-03-11 09:00 · tui-test · 1/2 answered"; the summary counts 4 sessions and
    1 unfinished."""
    session_id = history.start_session(
        mode="mock", bank_id="tui-test", client="tui", plan=["overfitting", "dropout"]
    )
    bank, question = tui_library.find_question("overfitting")
    asked = history.ask(session_id, bank.id, question)
    history.record_answer(
        asked, OVERFIT_ANSWER, FixedGrader(tui_library).grade(question, OVERFIT_ANSWER)
    )

    async def run_before(pilot):
        await home_ready(pilot)
        await wait_for(
            pilot,
            lambda: isinstance(pilot.app.screen.query_one("#session", Select).value, int),
            "unfinished session",
        )
        modes = pilot.app.screen.query_one("#modes")
        modes.focus()
        for _ in range(5):
            await pilot.press("down")
        await pilot.pause()

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_interview_question_small(snap_compare, fixed_app):
    """Interview at 80x24: the interviewer's greeting for 2 questions on "Machine learning
    basics", then "Question 1 of 2 · generalization · easy" and the overfitting prompt; the
    question bar reads "Q1/2 · generalization" with the timer at 2:00; an empty answer box with
    its placeholder; footer ^s Submit, ^g Hint, ^n Skip, ^l Don't know, ^r Record."""
    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=start_interview)


def test_interview_graded_with_follow_up_small(snap_compare, fixed_app):
    """Interview at 80x24 after the first answer: the interviewer's reply ends the transcript
    with the score line scrolled above, then "That's not right: “Training for more epochs fixes
    overfitting.” — Training longer usually makes overfitting worse…", and the follow-up
    question "How would you notice overfitting while a model is training?". The answer box is
    titled "Your answer to the follow-up"; footer ^s Submit, ^g Hint, ^n Next, ^t Reveal,
    ^o My score, ^f Feedback, ^r Record."""

    async def run_before(pilot):
        await start_interview(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_interview_reply_large(snap_compare, fixed_app):
    """Interview at 140x45 after the answer and its follow-up: the first reply shows "41/100 ·
    partial", "You covered:" with ✔ the definition quoting the candidate's sentence and ◐ the
    remedies (partly), "You missed:" with ✘ detection, the misconception; then the follow-up,
    the candidate's answer, and the reply "✔ Yes, that's the point I was after." with the
    quote, "Question coverage now 77% (was 52%)"."""

    async def run_before(pilot):
        await start_interview(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        await send(pilot, OVERFIT_FOLLOW_UP, "reviewed")

    assert snap_compare(fixed_app(), terminal_size=LARGE, run_before=run_before)


def test_interview_waiting_for_model(snap_compare, make_app):
    """Interview at 80x24 while the model loads: the status bar says "◌ loading model…", the
    candidate's answer is in the transcript and the interviewer's turn reads "◌ Grading…
    waiting for the grading model to finish loading."; the answer box is dimmed and the footer
    offers nothing but the palette-free empty bar."""
    release = threading.Event()

    def loader():
        release.wait(120)
        raise RuntimeError("test over")

    async def run_before(pilot):
        await start_interview(pilot)
        pilot.app.screen.query_one("#answer", TextArea).text = DROPOUT_ANSWER
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: "waiting for the grading model" in str(pilot.app.screen._pending.render()),
            "waiting note",
        )

    try:
        assert snap_compare(
            make_app(grader_loader=loader), terminal_size=SMALL, run_before=run_before
        )
    finally:
        release.set()


def test_interview_done_light_large(snap_compare, fixed_app):
    """Interview at 140x45 in the light theme, finished: the dropout reply (score, covered,
    partly, missed nothing important is false: "You missed" is absent because every point is at
    least partly covered), a revealed model answer "What I was hoping to hear", "Noted: you rate
    this answer 70/100." and the closing line "That's all my questions. Thank you!…"; the
    question bar reads "Interview complete"."""

    async def run_before(pilot):
        pilot.app.theme = "textual-light"
        await start_interview(
            pilot, InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("dropout",))
        )
        await send(pilot, DROPOUT_ANSWER, "follow_up", "reviewed")
        await pilot.press("ctrl+t")
        await pilot.press("ctrl+o")
        await pilot.press(*"70", "enter")
        await wait_for(
            pilot,
            lambda: "70/100" in str(pilot.app.screen.query("Turn").last().render()),
            "override",
        )
        await wait_phase(pilot, "follow_up", "reviewed")
        await pilot.press("ctrl+n")
        await wait_phase(pilot, "done")

    assert snap_compare(fixed_app(), terminal_size=LARGE, run_before=run_before)


def test_override_dialog(snap_compare, fixed_app):
    """The override dialog over the interview at 80x24: "Your own score", "The grader gave
    41/100…", an input holding 75, Save and Cancel buttons."""

    async def run_before(pilot):
        await start_interview(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"75")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_feedback_small(snap_compare, fixed_app):
    """Feedback detail at 80x24: the question in bold with "generalization · easy", "Your
    answer 41/100 · partial", the answer with the first sentence highlighted green and marked
    [1], the misconception sentence struck through and marked [3], then the key point table
    (✔ hit 0.81, ✘ miss 0.20, ◐ partial 0.52) with wrapped key points and evidence."""

    async def run_before(pilot):
        await start_interview(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FeedbackScreen), "feedback")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_progress_small(snap_compare, fixed_app, history):
    """Progress at 80x24 on 2025-03-10 after three days of practice: "5 answers in 3 sessions ·
    mean …", "3-day streak", the daily sparkline, and the "By question" table starting with
    overfitting (2 attempts, last/best, a two-bar trend)."""

    async def run_before(pilot):
        await home_ready(pilot)
        await pilot.press("p")
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ProgressScreen)
                and pilot.app.screen.query_one("#by-question", DataTable).row_count > 0
            ),
            "progress",
        )

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_progress_large(snap_compare, fixed_app, history):
    """Progress at 140x45: totals and streak, daily sparkline, "By question" (dropout,
    overfitting with trends), "By topic", and "Key points you miss most" led by the overfitting
    detection point (2/2) and the dropout inference point."""

    async def run_before(pilot):
        await home_ready(pilot)
        await pilot.press("p")
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ProgressScreen)
                and pilot.app.screen.query_one("#missed", DataTable).row_count > 0
            ),
            "progress",
        )

    assert snap_compare(fixed_app(), terminal_size=LARGE, run_before=run_before)


def test_progress_empty(snap_compare, fixed_app):
    """Progress at 80x24 with no history: "No graded answers yet." and how to start; no
    tables."""

    async def run_before(pilot):
        await home_ready(pilot)
        await pilot.press("p")
        await wait_for(
            pilot,
            lambda: "No graded answers" in str(pilot.app.screen.query_one("#totals").render()),
            "empty progress",
        )

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_history_small(snap_compare, fixed_app, history):
    """History at 80x24: three sessions, newest first (#3 mock on 2025-03-10, #2 on 03-09, #1
    practice on 03-08) with answer counts and mean scores; below, the answers of session 3:
    overfitting main and follow-up, dropout with "90*" (the candidate's own score)."""

    async def run_before(pilot):
        await home_ready(pilot)
        await pilot.press("h")
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, HistoryScreen)
                and pilot.app.screen.query_one("#answers", DataTable).row_count > 0
            ),
            "history",
        )

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)
