"""Around the conversation: the words of the home and interview screens (footer keys, the
answer box, status texts) in the language of the app or of the interview, and a question timer
that stops the moment the answer is sent."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime

import pytest
from snapshot_data import DROPOUT_ANSWER, DROPOUT_ANSWER_ZH, make_grade, record_history
from textual.geometry import Region
from textual.widgets import Label, TextArea
from textual.widgets._footer import FooterKey
from tui_helpers import send, wait_for, wait_phase

from mockint.tui.plan import InterviewPlan
from mockint.tui.records import AnswerRecord
from mockint.tui.screens.feedback import FeedbackScreen
from mockint.tui.widgets.countdown import Countdown
from mockint.tui.widgets.grade_views import KeyPointTable
from mockint.tui.widgets.transcript import Turn

SIZES = [(80, 24), (140, 45)]
ENGLISH_KEYS = {"Send", "Hint", "Don't know", "Skip", "Next", "Home", "Feedback", "My score"}
ENGLISH_WORDS = re.compile(r"\b(excellent|good|partial|weak|poor|Grading|Saved|Your answer)\b")


def footer_words(screen) -> set[str]:
    return {key.description for key in screen.query(FooterKey) if key.display}


def replies(screen) -> list[str]:
    return [str(t.render()) for t in screen.query(Turn) if "-interviewer" in t.classes]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_chinese_interview_shows_no_english_around_it(
    make_app, tui_library, tui_grader, size
):
    """Interviewed in Chinese (real grader), the footer keys, the answer box's title and hint,
    the model status and the verdict after the score are Chinese in each phase; the same
    interview in English shows the English words (so the check can tell them apart)."""
    for language, send_word, title, ready, follow_title in (
        ("zh", "发送", "你的回答", "模型就绪", "你对追问的回答"),
        ("en", "Send", "Your answer", "model ready", "Your answer to the follow-up"),
    ):
        app = make_app(grader=tui_grader)
        async with app.run_test(size=size) as pilot:
            plan = InterviewPlan(
                mode="practice", bank_id="tui-test", language=language, question_ids=("dropout",)
            )
            app.push_screen_interview(plan)
            screen = await wait_phase(pilot, "answering")
            box = screen.query_one("#answer", TextArea)
            assert send_word in footer_words(screen), footer_words(screen)
            assert box.border_title == title
            assert ready in str(screen.query_one("#status-model", Label).render())
            answer = DROPOUT_ANSWER_ZH if language == "zh" else DROPOUT_ANSWER
            await send(pilot, answer, "follow_up", "reviewed")
            score_line = next(r for r in replies(screen) if "/100" in r).splitlines()[0]
            assert re.fullmatch(r"\d+/100 · \S+", score_line), score_line
            if language == "zh":
                assert not ENGLISH_KEYS & footer_words(screen), footer_words(screen)
                assert not ENGLISH_WORDS.search(score_line), score_line
            else:
                assert ENGLISH_WORDS.search(score_line), score_line
            if screen.phase == "follow_up":
                assert box.border_title == follow_title


@contextlib.asynccontextmanager
async def home_screen(make_app, language: str, size: tuple[int, int]):
    """(app, pilot) of an app opened in ``language`` at ``size``, its home screen painted."""
    app = make_app(language=language)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_home_screen_speaks_the_apps_language(make_app, tui_library, size):
    """Opened with ``--lang zh`` the home screen's keys, panels, modes, options and start
    button are Chinese, and the bank is shown by its Chinese title; in English, English."""
    for language, start, mode, title in (
        ("zh", "开始", "模拟面试", "机器学习基础"),
        ("en", "Start", "Mock interview", "Machine learning basics"),
    ):
        async with home_screen(make_app, language, size) as (app, pilot):
            screen = app.screen
            assert start in footer_words(screen), footer_words(screen)
            if language == "zh":
                assert not {"Start", "Progress", "History", "Quit"} & footer_words(screen)
            assert str(screen.query_one("#start").label).startswith(start)
            modes = screen.query_one("#modes")
            assert str(modes.get_option_at_index(0).prompt) == mode
            assert modes.border_title == ("模式" if language == "zh" else "Mode")
            banks = screen.query_one("#banks")
            assert str(banks.get_option_at_index(0).prompt).startswith(title)


class ManualClock:
    """The question timer's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_timer_stops_when_the_answer_is_sent(make_app, tui_library, tui_grader, size):
    """The timer shows the time left while answering; from ctrl+s on it shows the time left
    when the answer was sent, frozen, while grading and while the reply is read, however long
    that takes. The follow-up's own timer starts at the first key of its answer, and stops
    when that answer is sent."""
    clock = ManualClock()
    app = make_app(grader=tui_grader, clock=clock)
    async with app.run_test(size=size) as pilot:
        plan = InterviewPlan(
            mode="practice", bank_id="tui-test", question_ids=("dropout",), time_limit=120
        )
        app.push_screen_interview(plan)
        screen = await wait_phase(pilot, "answering")
        countdown = screen.query_one(Countdown)

        async def later(seconds: float) -> str:
            clock.now += seconds
            countdown._tick()  # what the one-second interval does
            await pilot.pause()
            return str(countdown.render())

        assert await later(30) == "◷ 1:30"
        await send(pilot, DROPOUT_ANSWER, "follow_up")
        assert countdown.has_class("-stopped")
        for _ in range(3):  # reading the reply and the follow-up question
            assert await later(100) == "◷ 1:30"
        await pilot.press("I")  # the follow-up's answer begins
        assert await later(20) == "◷ 1:40"
        assert not countdown.has_class("-stopped")
        await send(pilot, "It stops neurons from relying on each other.", "reviewed")
        assert countdown.has_class("-stopped")
        for _ in range(3):
            assert await later(100) == "◷ 1:40"


@pytest.mark.parametrize("size", [(140, 45)] + [(80, h) for h in range(22, 30)], ids=str)
async def test_recent_sessions_show_only_with_room_for_one(make_app, tui_library, store, size):
    """The home screen's recent sessions: a heading with sessions under it, or nothing at all
    when the rows left at the bottom cannot hold the heading and a session (a heading alone
    reads as an empty list), whatever the terminal's height."""
    record_history(store, tui_library, datetime(2025, 3, 8, 9, 0, tzinfo=UTC))
    app = make_app(language="zh")
    async with app.run_test(size=size) as pilot:
        summary = app.screen.query_one("#summary")
        await wait_for(pilot, lambda: "次面试" in str(summary.render()), "history figures")
        await pilot.pause()
        recent = app.screen.query_one("#recent")
        width, height = recent.region.size
        rows = [strip.text.strip() for strip in recent.render_lines(Region(0, 0, width, height))]
        shown = [row for row in rows if row]
        assert shown == [] or (shown[0] == "最近的面试" and len(shown) >= 2), shown
        if size == (140, 45):
            assert len(shown) >= 3, shown


COLUMNS = {"en": ["status", "key point", "evidence"], "zh": ["状态", "要点", "依据"]}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_key_point_table_names_every_column_in_full(
    make_app, tui_library, size, language
):
    """An answer with no evidence at all (every point missed) still shows the evidence column's
    whole name in the feedback detail ("evi" / "依" before), in English and in Chinese."""
    _, question = tui_library.find_question("dropout")
    grade = make_grade(question, "no idea", {}, language=language)
    record = AnswerRecord(1, question.id, "main", "no idea", grade)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        app.push_screen(FeedbackScreen(question, [record], language=language))
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback")
        await pilot.pause()
        table = app.screen.query_one(KeyPointTable)
        header = table.render_lines(Region(0, 0, table.region.width, 1))[0].text
        for name in COLUMNS[language]:
            assert name in header, header


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_home_screens_warnings_speak_the_apps_language(make_app, tui_library, size):
    """With an empty history nothing is due and nothing can be resumed: opened with
    ``--lang zh`` the home screen says so in Chinese, in English otherwise."""
    for language, nothing_due, title, no_resume in (
        ("zh", "今天没有到期的题目", "没有可练习的题目", "没有可以继续的未完成会话"),
        ("en", "Nothing is due today", "Nothing to practise", "no unfinished session to resume"),
    ):
        async with home_screen(make_app, language, size) as (app, pilot):
            screen = app.screen
            modes = screen.query_one("#modes")
            for mode, expected in (("due", nothing_due), ("resume", no_resume)):
                modes.highlighted = next(
                    i for i in range(modes.option_count) if modes.get_option_at_index(i).id == mode
                )
                await pilot.pause()
                screen.action_start()
                await wait_for(
                    pilot,
                    lambda app=app, expected=expected: any(
                        expected in str(n.message) for n in app._notifications
                    ),
                    f"the {mode} warning in {language}",
                )
            due = next(n for n in app._notifications if nothing_due in str(n.message))
            assert due.title == title
