"""`mockint interview` in a terminal with --questions, --mode, --bank, -n or --resume opens the
app on that interview, as --plain would ask it (those options used to be ignored: the app
opened on its home screen and Start ran a default mock). The app is built from the real
command line's parser, with the real banks and a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from snapshot_data import FixedGrader
from tui_helpers import wait_for, wait_phase

from mockint.cli import build_parser
from mockint.rubric import load_library
from mockint.tui.app import app_from_args
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen

RUBRICS = Path(__file__).parents[2] / "rubrics"
SIZE = (100, 30)


def app_for(db_path: Path, *options: str):
    """The app of ``mockint --db DB --rubrics RUBRICS interview OPTIONS`` (a stand-in grader:
    nothing is graded here)."""
    argv = ["--db", str(db_path), "--rubrics", str(RUBRICS), "interview", *options]
    app = app_from_args(build_parser().parse_args(argv))
    app._grader_loader = lambda: FixedGrader(None)
    return app


async def test_questions_open_the_interview_on_those_questions_in_order(db_path):
    app = app_for(db_path, "--questions", "learning-rate,batch-norm", "--lang", "zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_phase(pilot, "answering")
        assert screen.turn.question.id == "learning-rate"
        assert screen.interview.total == 2
        assert [q.id for _, q in screen.interview.plan] == ["batch-norm"]
        assert screen.language == "zh"


async def test_mode_all_asks_the_whole_bank_in_order(db_path):
    bank = load_library([RUBRICS]).bank("ml-fundamentals")
    app = app_for(db_path, "--mode", "all", "--bank", "ml-fundamentals")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_phase(pilot, "answering")
        assert screen.turn.question.id == bank.questions[0].id
        assert screen.interview.total == len(bank.questions)
        assert screen.plan.bank_id == "ml-fundamentals"


async def test_mode_mock_alone_starts_a_mock_of_five(db_path):
    """--mode mock is also the mode a bare home screen would pick, yet given on its own it
    must start the mock at once (it used to be the parser's default, so the app could not tell
    it from no --mode and opened on the home screen)."""
    app = app_for(db_path, "--mode", "mock")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_phase(pilot, "answering")
        assert screen.plan.mode == "mock"
        assert screen.interview.total == 5


async def test_a_count_caps_the_questions(db_path):
    app = app_for(db_path, "--mode", "all", "--bank", "deep-learning", "-n", "2")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_phase(pilot, "answering")
        assert screen.interview.total == 2


async def test_a_mock_of_n_questions_from_a_bank(db_path):
    bank = load_library([RUBRICS]).bank("deep-learning")
    app = app_for(db_path, "-n", "3", "--bank", "deep-learning")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_phase(pilot, "answering")
        assert screen.interview.total == 3
        assert screen.turn.question in bank.questions


CANNOT_START = [
    (["--questions", "batch-norm,nope"], "There is no question nope"),
    (["--questions", "batch-norm,nope", "--lang", "zh"], "没有题目 nope"),
    (["--bank", "nope", "--lang", "zh"], "没有题库 nope"),
    (["--bank", "nope"], "There is no question bank nope"),
    (["--resume"], "There is no unfinished session"),
    (["--resume", "7"], "There is no session 7"),
]


@pytest.mark.parametrize(
    ("options", "words"), CANNOT_START, ids=[" ".join(o) for o, _ in CANNOT_START]
)
async def test_what_cannot_start_is_said_and_the_app_stays_home(db_path, options, words):
    """A question, bank or session that is not there is said in the app's language; the
    candidate stays on the home screen (no crash, no wait)."""
    app = app_for(db_path, *options)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: any(words in str(n.message) for n in app._notifications),
            "the notification",
        )
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)


async def test_resume_continues_the_latest_unfinished_session(db_path):
    app = app_for(db_path, "--questions", "batch-norm,learning-rate")
    async with app.run_test(size=SIZE) as pilot:
        await wait_phase(pilot, "answering")
        session_id = app.screen.interview.session_id
    app = app_for(db_path, "--resume")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_phase(pilot, "answering")
        assert screen.plan.resume_session_id == session_id
        assert screen.turn.question.id == "batch-norm"


async def test_without_those_options_the_app_opens_on_the_home_screen(db_path):
    app = app_for(db_path, "--lang", "zh")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.has_store and app.has_library, "banks and history")
        await pilot.pause(0.3)
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, InterviewScreen) for s in app.screen_stack)
        assert not app._notifications


def test_no_follow_up_reaches_the_app(db_path):
    assert app_for(db_path, "--questions", "learning-rate", "--no-follow-up").follow_ups is False
    assert app_for(db_path, "--questions", "learning-rate").follow_ups is True
