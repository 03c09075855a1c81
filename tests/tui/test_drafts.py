"""The app keeps what the candidate says: the answer is committed before grading (the screen
says "Saved" when it is), the answer being typed is kept and given back on resume, and a busy
database makes saving wait with a notice instead of failing."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import asynccontextmanager

from snapshot_data import DROPOUT_ANSWER, FixedGrader
from textual.widgets import TextArea
from tui_helpers import answer, lock_held, transcript_text, wait_for, wait_phase

from mockint.tui.plan import InterviewPlan
from mockint.tui.screens.home import HomeScreen

PLAN = InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("dropout", "overfitting"))


def stored(db_path) -> list[tuple[str, bool]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT a.text, g.answer_id IS NOT NULL FROM answers a "
            "LEFT JOIN grades g ON g.answer_id = a.id ORDER BY a.id"
        ).fetchall()


def drafts(db_path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        return [row[0] for row in conn.execute("SELECT text FROM drafts")]


@asynccontextmanager
async def interviewing(app):
    """The app running, asking the first question of ``PLAN``; yields the pilot."""
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen_interview(PLAN)
        await wait_phase(pilot, "answering")
        yield pilot


class SlowGrader(FixedGrader):
    """Grades only when the test lets it."""

    def __init__(self, library):
        super().__init__(library)
        self.go = threading.Event()
        self.started = threading.Event()

    def grade(self, question, answer, **kwargs):
        self.started.set()
        self.go.wait(60)
        return super().grade(question, answer, **kwargs)


async def test_the_answer_is_in_the_database_while_it_is_being_graded(
    make_app, tui_library, db_path
):
    grader = SlowGrader(tui_library)
    app = make_app(grader=grader)
    async with interviewing(app) as pilot:
        await answer(pilot, DROPOUT_ANSWER)
        await wait_for(pilot, grader.started.is_set, "grading to start")
        await wait_for(pilot, lambda: "Saved" in transcript_text(app), "the saved mark")
        assert stored(db_path) == [(DROPOUT_ANSWER, False)]  # committed, not yet graded
        grader.go.set()
        await wait_phase(pilot, "follow_up", "reviewed")
    assert stored(db_path) == [(DROPOUT_ANSWER, True)]


async def test_the_answer_being_typed_is_kept_as_typed_and_back_after_escape(
    make_app, tui_grader, db_path
):
    app = make_app(grader=tui_grader)
    async with interviewing(app) as pilot:
        await pilot.press(*"Dropout zeroes")
        # Saved a moment after the typing stops, without leaving the screen.
        await wait_for(pilot, lambda: drafts(db_path) == ["Dropout zeroes"], "the draft")
        await pilot.press(*" units")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        assert drafts(db_path) == ["Dropout zeroes units"]  # saved on leaving, at once
        session_id = app.store.unfinished_sessions()[0]["id"]
        app.push_screen_interview(
            InterviewPlan(mode="resume", bank_id="tui-test", resume_session_id=session_id)
        )
        screen = await wait_phase(pilot, "answering")
        box = screen.query_one("#answer", TextArea)
        await wait_for(pilot, lambda: box.text == "Dropout zeroes units", "the draft restored")
        await answer(pilot, box.text + " at random during training.")
        await wait_phase(pilot, "follow_up", "reviewed")
    assert stored(db_path) == [("Dropout zeroes units at random during training.", True)]
    assert drafts(db_path) == []


async def test_a_busy_database_delays_saving_with_a_notice_and_loses_nothing(
    make_app, tui_grader, db_path
):
    app = make_app(grader=tui_grader)
    async with interviewing(app) as pilot:
        with lock_held(db_path):
            await answer(pilot, DROPOUT_ANSWER)
            await wait_for(
                pilot,
                lambda: any("busy" in str(n.message) for n in app._notifications),
                "the busy notice",
            )
            assert stored(db_path) == []  # still waiting: the other program holds the lock
        await wait_phase(pilot, "follow_up", "reviewed")
    assert stored(db_path) == [(DROPOUT_ANSWER, True)]
