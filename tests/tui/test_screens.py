"""Pilot tests of the screens around the interview: home choices, history, feedback, export,
command palette, theme, voice fallback, and a locked database."""

from __future__ import annotations

import argparse
import threading
from datetime import UTC, datetime

import pytest
from snapshot_data import OVERFIT_ANSWER, OVERFIT_FOLLOW_UP, FixedGrader, record_history
from textual.widgets import DataTable, Select, TextArea
from tui_helpers import answer, last_turn, wait_for, wait_phase

import mockint.store
from mockint.export import build_report
from mockint.export.text import fmt_duration
from mockint.tui.app import app_from_args
from mockint.tui.plan import InterviewPlan
from mockint.tui.screens.feedback import FeedbackScreen
from mockint.tui.screens.history import HistoryScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.progress import ProgressScreen
from mockint.tui.widgets.grade_views import KeyPointTable

SIZE = (100, 40)


async def home_ready(pilot) -> HomeScreen:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
    await wait_for(pilot, lambda: app.screen._data is not None, "home figures")
    return app.screen


async def open_progress(pilot) -> ProgressScreen:
    """From the home screen, open Progress and wait until its weakest points are listed."""
    await home_ready(pilot)
    await pilot.press("p")
    app = pilot.app
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, ProgressScreen)
            and app.screen.query_one("#weakest", DataTable).row_count > 0
        ),
        "progress",
    )
    return app.screen


async def test_practise_a_topic_chosen_on_the_home_screen(make_app, tui_library):
    """Mode "Practise a topic" with a topic picked asks exactly that topic's questions."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        home.query_one("#modes").focus()
        await pilot.press("down")
        assert home.mode == "practice"
        assert home.query_one("#target-row").display
        home.query_one("#target", Select).value = "topic:regularization"
        await pilot.press("s")
        await wait_phase(pilot, "answering")
        assert "Question 1 of 1" in last_turn(app)
        assert "dropout" in last_turn(app).lower()


async def test_nothing_due_is_said_and_home_stays(make_app, tui_library):
    """Review "due" with an empty history: a notification, no interview."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        home = await home_ready(pilot)
        home.query_one("#modes").focus()
        await pilot.press("down", "down")
        assert home.mode == "due"
        await pilot.press("s")
        await wait_for(
            pilot,
            lambda: any("Nothing is due" in n.message for n in app._notifications),
            "notification",
        )
        assert isinstance(app.screen, HomeScreen)


async def test_leaving_an_interview_keeps_it_resumable(make_app, tui_library, store):
    """Escape mid-interview goes home at once; the session is listed as unfinished."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        app.push_screen_interview(
            InterviewPlan(
                mode="practice", bank_id="tui-test", question_ids=("overfitting", "dropout")
            )
        )
        await wait_phase(pilot, "answering")
        await answer(pilot, OVERFIT_ANSWER)
        await wait_phase(pilot, "follow_up")
        await pilot.press("escape")
        home = await home_ready(pilot)
        await wait_for(
            pilot, lambda: home._data is not None and home._data.unfinished, "unfinished session"
        )
        assert "1 unfinished" in str(home.query_one("#summary").render())
    assert store.unfinished_sessions()[0]["n_answers"] == 1


async def test_history_opens_any_past_answers_feedback(make_app, tui_library, store):
    """History lists sessions newest first; enter on an answer opens its feedback, with the
    main answer and the follow-up of that question."""
    record_history(store, tui_library, datetime(2025, 3, 8, 9, tzinfo=UTC))
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), "history")
        screen = app.screen
        sessions = screen.query_one("#sessions", DataTable)
        answers = screen.query_one("#answers", DataTable)
        await wait_for(pilot, lambda: answers.row_count == 3, "answers of the newest session")
        assert [str(sessions.get_row_at(i)[0]) for i in range(sessions.row_count)] == [
            "3",
            "2",
            "1",
        ]
        await pilot.press("enter")  # sessions -> answers
        assert screen.focused is answers
        await pilot.press("down", "enter")  # the follow-up row
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback")
        feedback = app.screen
        assert [r.kind for r in feedback.records] == ["main", "follow_up"]
        assert [r.text for r in feedback.records] == [OVERFIT_ANSWER, OVERFIT_FOLLOW_UP]
        tables = list(feedback.query(KeyPointTable))
        assert [t.row_count for t in tables] == [3, 3]
        await pilot.press("escape")
        assert app.screen is screen


async def test_progress_shows_the_figures_of_the_report(make_app, tui_library, store):
    """The progress screen's totals, streak and weakest key points are the report's, for the
    same history on the same day."""
    record_history(store, tui_library, datetime(2025, 3, 8, 9, tzinfo=UTC))
    report = build_report(store, tui_library, now=datetime(2025, 3, 10, 18, tzinfo=UTC))
    summary = report.summary
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        await open_progress(pilot)
        totals = str(app.screen.query_one("#totals").render())
        weakest = app.screen.query_one("#weakest", DataTable)
        rows = [row.value for row in weakest.rows]
    assert f"{summary.answers} answers in {summary.sessions} sessions" in totals
    assert f"{summary.questions} questions" in totals
    assert f"{fmt_duration(summary.time_practised_s)} practised" in totals
    assert f"{summary.current_streak}-day streak" in totals
    assert f"longest {summary.longest_streak} · {summary.practice_days} practice days" in totals
    assert rows == [f"{w.question_id}/{w.key_point_id}" for w in report.weakest]


@pytest.mark.parametrize(("size", "width"), [((80, 24), 16), ((140, 45), 22)])
async def test_the_weakest_points_give_a_question_id_room_on_a_wide_screen(
    make_app, tui_library, store, size, width
):
    """At 140 columns the weakest points' question column holds a whole built-in id
    (classification-metrics, 22 characters; activation-functions was cut in two in tmux),
    the key point still taking the rest; at 80 it stays narrow, the key point needing the
    room."""
    record_history(store, tui_library, datetime(2025, 3, 8, 9, tzinfo=UTC))
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=size) as pilot:
        await open_progress(pilot)
        weakest = app.screen.query_one("#weakest", DataTable)
        columns = list(weakest.columns)
        body = app.screen.query_one("#progress-body").size.width
        kp_width = weakest.columns["kp"].width
    assert [c.value for c in columns][-2:] == ["q", "kp"]
    assert weakest.columns["q"].width == width
    assert kp_width == body - 30 - width


async def test_export_writes_the_report(make_app, tui_library, store, tmp_path, monkeypatch):
    """The export key writes the progress report and says where."""
    record_history(store, tui_library, datetime(2025, 3, 8, 9, tzinfo=UTC))
    monkeypatch.chdir(tmp_path)
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        await pilot.press("e")
        await wait_for(
            pilot,
            lambda: any("Saved to" in n.message for n in app._notifications),
            "export notification",
        )
    reports = list(tmp_path.glob("mockint-report-*.html"))
    assert len(reports) == 1
    assert "overfitting" in reports[0].read_text(encoding="utf-8")


async def test_command_palette_runs_main_actions(make_app, tui_library):
    """The palette offers the main actions; picking "History" opens the history."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "Progress",
            "History",
            "Export progress report",
            "Toggle dark/light theme",
        } <= titles
        await pilot.press("ctrl+p")
        await pilot.press(*"History")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), "history")

        app.pop_screen()
        app.push_screen_interview(
            InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("dropout",))
        )
        screen = await wait_phase(pilot, "answering")
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Send answer", "Hint", "Skip question", "I don't know"} <= titles
        assert "Override score" not in titles  # nothing graded yet


async def test_theme_key_switches_dark_and_light(make_app, tui_library):
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        await home_ready(pilot)
        dark = app.current_theme.dark
        await pilot.press("f2")
        assert app.current_theme.dark is not dark
        await pilot.press("f2")
        assert app.current_theme.dark is dark


async def test_voice_unavailable_is_said_once_and_typing_works(make_app, tui_library, monkeypatch):
    """No microphone: the record key says so once; the answer box keeps working."""
    import mockint.voice

    monkeypatch.setattr(
        mockint.voice,
        "microphone_status",
        lambda: (False, "no microphone found; type your answers instead"),
    )
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen_interview(
            InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("dropout",))
        )
        screen = await wait_phase(pilot, "answering")
        await pilot.press("ctrl+r")
        await wait_for(
            pilot,
            lambda: any("microphone" in n.message for n in app._notifications),
            "voice notification",
        )
        await pilot.press("ctrl+r")
        await pilot.pause(0.3)
        assert sum("microphone" in n.message for n in app._notifications) == 1
        await pilot.press(*"drop")
        assert screen.query_one("#answer", TextArea).text == "drop"


class FakeRecorder:
    """Stands in for the microphone: 'records' instantly, at a steady level."""

    level = 0.1
    elapsed_s = 3.0

    def start(self) -> None:
        pass

    def stop(self):
        import numpy as np

        return np.zeros(16000, dtype=np.float32)


async def test_spoken_answer_lands_in_the_box_and_is_stored_as_voice(
    make_app, tui_library, store, monkeypatch
):
    """ctrl+r starts and stops a recording; the transcript lands in the answer box to edit;
    the answer sent is stored as spoken, with its delivery metrics. (Microphone and speech
    model are stand-ins; the voice tests exercise the real ones.)"""
    import mockint.voice
    from mockint.voice import Transcript, Word

    words = ["Dropout", "um", "randomly", "zeroes", "activations", "during", "training"]
    spoken = Transcript(
        text=" ".join(words),
        language="en",
        duration_s=6.0,
        words=[Word(word=w, start=0.5 * i, end=0.5 * i + 0.4) for i, w in enumerate(words)],
    )
    monkeypatch.setattr(mockint.voice, "microphone_status", lambda: (True, "microphone: fake"))
    monkeypatch.setattr(mockint.voice, "Recorder", FakeRecorder)
    monkeypatch.setattr(mockint.voice, "preload", lambda *a, **k: None)
    monkeypatch.setattr(mockint.voice, "save_wav", lambda samples, path=None: None)
    monkeypatch.setattr(mockint.voice, "transcribe", lambda samples, language=None: spoken)
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen_interview(
            InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("dropout",))
        )
        screen = await wait_phase(pilot, "answering")
        voice = screen.query_one("#voice")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: voice.recording, "recording")
        assert "REC" in str(voice.render())
        await pilot.press("ctrl+r")
        box = screen.query_one("#answer", TextArea)
        await wait_for(pilot, lambda: box.text == spoken.text, "transcript in the box")
        await pilot.press(*" at inference nothing is dropped")
        await pilot.press("ctrl+s")
        await wait_phase(pilot, "follow_up", "reviewed")
    row = store.answers()[0]
    assert row["source"] == "voice"
    assert row["text"] == spoken.text + " at inference nothing is dropped"
    assert row["speech_words"] == len(words) and row["speech_filler_count"] == 1


async def test_start_pressed_while_the_history_opens_starts_once_it_is_open(
    make_app, tui_library, db_path, monkeypatch
):
    """Pressing s the moment the home screen shows ("Loading your history…") never says
    "Cannot start": the home screen says it is opening the history, and the interview starts
    as soon as the history is open."""
    release = threading.Event()
    real_open = mockint.store.open_store

    def slow_open(*args, **kwargs):
        release.wait(30)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(mockint.store, "open_store", slow_open)
    app = make_app(store=None, db_path=db_path, grader=FixedGrader(tui_library))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        assert app.store_status == "opening"
        await pilot.press("s")
        await pilot.pause()
        assert "starts in a moment" in str(app.screen.query_one("#summary").render())
        release.set()
        await wait_phase(pilot, "answering")
        assert not any(n.severity == "error" for n in app._notifications)
        assert "Question 1 of" in last_turn(app)


async def test_interview_lang_zh_opens_the_app_in_chinese(tui_library, tmp_path, monkeypatch):
    """`mockint interview --lang zh` in a terminal opens the app with Chinese chosen as the
    prompt language (the option used to be ignored)."""
    monkeypatch.setattr(
        "mockint.commands._common.load_library_from_args", lambda args, quiet: tui_library
    )
    args = argparse.Namespace(lang="zh", db=str(tmp_path / "h.db"), model=None)
    app = app_from_args(args)
    app._grader_loader = lambda: FixedGrader(tui_library)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await home_ready(pilot)
        assert home.query_one("#language", Select).value == "zh"


async def test_the_options_come_after_the_first_frame_without_moving_the_screen(
    make_app, tui_library, db_path, monkeypatch
):
    """The count, time and language choices are mounted after the first frame: until then
    their row keeps its line (nothing below moves when they come), the app has not started
    loading the history, and Start pressed meanwhile starts once everything is there."""
    held: list[HomeScreen] = []
    show_options = HomeScreen._show_options
    monkeypatch.setattr(HomeScreen, "_show_options", lambda screen: held.append(screen))
    app = make_app(store=None, db_path=db_path, grader=FixedGrader(tui_library))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(held), "first frame")
        home = held[0]
        await pilot.pause()
        assert not home.query("#count") and not home.query("#language")
        assert home.query_one("#main-options").region.height == 1
        start_row = home.query_one("#start-row").region
        assert app.store_status == "opening"
        await pilot.press("s")
        home.call_later(show_options, home)
        await wait_for(pilot, lambda: bool(home.query("#language")), "options")
        assert home.query_one("#start-row").region == start_row
        await wait_phase(pilot, "answering")
        assert not any(n.severity == "error" for n in app._notifications)


async def test_the_home_screen_shows_before_the_banks_are_read(make_app, tui_library, monkeypatch):
    """The banks are read after the first paint: meanwhile the home screen is up, says it is
    loading them, and Start waits for them instead of failing."""
    release = threading.Event()

    def slow_library():
        release.wait(30)
        return tui_library

    app = make_app(library=None, library_loader=slow_library, grader=FixedGrader(tui_library))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        home = app.screen
        assert app.library_status == "loading"
        assert "Loading the question banks" in str(home.query_one("#bank-help").render())
        await pilot.press("s")
        release.set()
        await wait_phase(pilot, "answering")
        assert not any(n.severity == "error" for n in app._notifications)
