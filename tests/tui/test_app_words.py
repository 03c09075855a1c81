"""The app's own messages (around the screens: a bank skipped, the history database, the
report export, voice input, the score dialog) speak the language of the app or of the
interview: Chinese with ``--lang zh``, English otherwise. Each test runs the real app on a real
SQLite file and checks both languages, so it can tell them apart."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest
from snapshot_data import DROPOUT_ANSWER_ZH, FixedGrader
from textual.geometry import Region
from textual.widgets import Button, Input, Select, Static
from tui_helpers import answer, lock_held, wait_for, wait_phase

from mockint.rubric import load_library
from mockint.store import open_store
from mockint.tui.linebreak import CLOSING
from mockint.tui.plan import InterviewPlan
from mockint.tui.screens.dialogs import MessageDialog, OverrideDialog
from mockint.tui.screens.home import HomeScreen

FIXTURES = Path(__file__).parent / "fixtures"
SIZE = (100, 30)
LANGUAGES = ["zh", "en"]


def notices(app) -> list[tuple[str, str]]:
    """(title, message) of every notification shown so far."""
    return [(n.title, str(n.message)) for n in app._notifications]


async def wait_notice(pilot, words: str) -> tuple[str, str]:
    """The first notification whose title or message contains ``words`` (waits for it)."""
    app = pilot.app
    await wait_for(pilot, lambda: any(words in t + m for t, m in notices(app)), repr(words))
    return next((t, m) for t, m in notices(app) if words in t + m)


@contextlib.asynccontextmanager
async def interview_in(app, language: str, size: tuple[int, int] = SIZE):
    """The pilot of ``app`` running a one-question interview in ``language``, its question
    asked."""
    async with app.run_test(size=size) as pilot:
        plan = InterviewPlan(
            mode="practice", bank_id="tui-test", language=language, question_ids=("dropout",)
        )
        app.push_screen_interview(plan)
        await wait_phase(pilot, "answering")
        yield pilot


def dialog_text(dialog) -> str:
    return "\n".join(str(w.render()) for w in dialog.query(Static)) + "".join(
        str(b.label) for b in dialog.query(Button)
    )


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_skipped_bank_is_said_in_the_apps_language(
    make_app, tui_library, tmp_path, language
):
    """A bank with a typo in a field is skipped with a notification: its title and the words
    around the validator's message (error, question, field) are Chinese in a Chinese app."""
    broken = tmp_path / "broken.toml"
    broken.write_text(
        textwrap.dedent(
            """\
            id = "broken"
            languages = ["en"]
            title.en = "Broken"

            [[questions]]
            id = "typo"
            topic = "t"
            difficulty = "easy"
            wieght = 2
            prompt.en = "What?"
            model_answer.en = "That."

            [[questions.key_points]]
            id = "k"
            text.en = "That is so."
            follow_up.en = "Why?"
            """
        ),
        encoding="utf-8",
    )
    library = load_library([FIXTURES, broken])
    (problem,) = library.problems
    app = make_app(library=None, library_loader=lambda: library, language=language)
    async with app.run_test(size=SIZE) as pilot:
        title, message = await wait_notice(pilot, "broken.toml")
    assert problem.message in message
    if language == "zh":
        assert title == "已跳过题库"
        assert "：错误：题目 typo" in message, message
        assert "skipped" not in title and "error" not in message.replace(problem.message, "")
    else:
        assert title == "Question bank skipped"
        assert message == str(problem)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_empty_history_file_is_announced_in_the_apps_language(
    make_app, tmp_path, language
):
    """An empty history file becomes a new history, with a notice in the app's language."""
    path = tmp_path / "empty.db"
    path.touch()
    app = make_app(store=None, db_path=path, grader=FixedGrader(None), language=language)
    async with app.run_test(size=SIZE) as pilot:
        title, message = await wait_notice(pilot, str(path))
        await wait_for(pilot, lambda: app.has_store, "the store open")
        app.store.close()
    if language == "zh":
        assert (title, message) == (
            "历史数据库",
            f"{path} 原本是空文件，现在用来保存新的 mockint 历史记录。",
        )
    else:
        assert title == "History database" and "was an empty file" in message


def damaged(path: Path) -> Path:
    """A real mockint history with one of its tables dropped."""
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE answers")
    conn.close()
    return path


def foreign(path: Path) -> Path:
    path.write_text("not a database at all", encoding="utf-8")
    return path


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("make_file", [damaged, foreign])
async def test_a_history_that_cannot_open_is_explained_in_the_apps_language(
    make_app, tmp_path, language, make_file
):
    """A damaged or foreign history file: the dialog (title, reason, what now, close button)
    is in the app's language, and so is Start's "not open" warning afterwards."""
    path = make_file(tmp_path / "history.db")
    app = make_app(store=None, db_path=path, grader=FixedGrader(None), language=language)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MessageDialog), "the dialog")
        text = dialog_text(app.screen)
        title = app.screen.title_text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("s")
        closed = "历史数据库没有打开" if language == "zh" else "history database is not open"
        await wait_notice(pilot, closed)
    assert str(path) in text
    if language == "zh":
        reason = "已损坏" if make_file is damaged else "不是 mockint 的历史数据库"
        assert title == "历史数据库不可用"
        assert reason in text and "无法开始面试" in text and "关闭" in text, text
        assert not {"damaged", "untouched", "interviews", "Close"} & set(text.split()), text
    else:
        reason = "is damaged" if make_file is damaged else "not a mockint history database"
        assert title == "History database unavailable"
        assert reason in text and "interviews cannot start" in text and "Close" in text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_locked_history_is_said_in_the_interviews_language(
    make_app, tui_library, db_path, language
):
    """Another program holds the history while an answer is sent: the "busy, waiting to
    save" notice is in the interview's language, and the answer is saved once it lets go."""
    app = make_app(grader=FixedGrader(tui_library))
    async with interview_in(app, language) as pilot:
        with lock_held(db_path):
            await answer(pilot, "Dropout zeroes random units during training.")
            busy = "正忙" if language == "zh" else "is busy"
            title, message = await wait_notice(pilot, busy)
        await wait_phase(pilot, "follow_up", "reviewed")
    if language == "zh":
        assert (title, message) == (
            "历史数据库",
            "history.db 正忙：另一个程序正在写入。正在等待保存，不会丢失任何内容。",
        )
    else:
        assert title == "History database" and "nothing is lost" in message


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_report_export_speaks_the_apps_language(
    make_app, tui_library, tmp_path, monkeypatch, language
):
    """`e` on the home screen: "writing your report" and "written, saved to" in the app's
    language, and the report is written."""
    monkeypatch.chdir(tmp_path)
    app = make_app(grader=FixedGrader(tui_library), language=language)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("e")
        written = "已保存到 " if language == "zh" else "Saved to "
        title, message = await wait_notice(pilot, written)
        said = notices(app)
    (report,) = tmp_path.glob("mockint-report-*.html")
    assert message.endswith(report.name)
    if language == "zh":
        assert ("导出", "正在生成你的进度报告…") in said
        assert title == "进度报告已生成"
    else:
        assert ("Export", "Writing your progress report…") in said
        assert title == "Progress report written"


NO_PORTAUDIO = 'raise OSError("PortAudio library not found")\n'
NO_MICROPHONE = (
    "def query_devices(kind=None):\n    return {'name': 'none', 'max_input_channels': 0}\n"
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "sounddevice", [NO_PORTAUDIO, NO_MICROPHONE], ids=["no-portaudio", "no-mic"]
)
async def test_voice_unavailable_is_said_in_the_interviews_language(
    make_app, tui_library, tmp_path, monkeypatch, language, sounddevice
):
    """ctrl+r where the microphone cannot work (the PortAudio library missing: importing
    sounddevice fails as it does then; or no input device): the notice names the reason and
    says typing works, in the interview's language."""
    (tmp_path / "sounddevice.py").write_text(sounddevice, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    app = make_app(grader=FixedGrader(tui_library))
    async with interview_in(app, language) as pilot:
        await pilot.press("ctrl+r")
        title, message = await wait_notice(pilot, "语音" if language == "zh" else "Voice")
    if language == "zh":
        reason = "缺少 PortAudio 库" if sounddevice is NO_PORTAUDIO else "没有找到麦克风"
        assert title == "无法使用语音输入"
        assert message.startswith(reason) and message.endswith("；打字作答不受影响"), message
    else:
        reason = "PortAudio library is missing" if sounddevice is NO_PORTAUDIO else "no microphone"
        assert title == "Voice input unavailable"
        assert reason in message and "typ" in message


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_score_dialog_speaks_the_interviews_language(
    make_app, tui_library, store, language
):
    """ctrl+o after a graded answer: the dialog's words, and its refusal of a score over 100,
    are in the interview's language; nothing is stored for the refused score."""
    app = make_app(grader=FixedGrader(tui_library))
    async with interview_in(app, language) as pilot:
        await answer(pilot, "Dropout zeroes random units during training.")
        await wait_phase(pilot, "follow_up", "reviewed")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverrideDialog), "the dialog")
        dialog = app.screen
        text = dialog_text(dialog)
        title = str(dialog.query_one("#dialog-title").render())
        await pilot.press(*"150", "enter")
        invalid = (
            "请输入 0 到 100 之间的数字。" if language == "zh" else "Enter a number from 0 to 100."
        )
        await wait_notice(pilot, invalid)
        assert app.screen is dialog and dialog.query_one(Input).value == "150"
    assert store.answers()[0]["override_score"] is None
    if language == "zh":
        assert title == "你的自评"
        assert "评分器给了" in text and "保存" in text and "取消" in text, text
        assert not {"Save", "Cancel", "grader"} & set(text.split()), text
    else:
        assert (
            title == "Your own score"
            and "The grader gave" in text
            and "Save" in text
            and "Cancel" in text
        )


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_practise_and_resume_choices_speak_the_apps_language(
    make_app, tui_library, store, language
):
    """ "Practise a topic or question" lists topics and questions in the app's language (the
    question's own prompt in it), and "Resume a session" describes the unfinished session in
    it; both choices appear only in their modes."""
    session_id = store.start_session(
        mode="mock", bank_id="tui-test", client="tui", plan=["overfitting", "dropout"]
    )
    bank, question = tui_library.find_question("overfitting")
    asked = store.ask(session_id, bank.id, question)
    store.record_answer(asked, "It memorises noise.", FixedGrader(tui_library).grade(question, ""))
    app = make_app(grader=FixedGrader(tui_library), language=language)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.chosen("session") == session_id, "session")
        home = app.screen
        assert not home.query("#target, #session")  # not shown, not there yet
        home.query_one("#modes").focus()
        await pilot.press("down")
        await wait_for(pilot, lambda: home.query("#target"), "the practise choice")
        target = home.query_one("#target", Select)
        topics = [str(prompt) for prompt, _ in target._options if prompt]
        for _ in range(4):
            await pilot.press("down")
        assert home.mode == "resume"
        await wait_for(pilot, lambda: home.query("#session"), "the resume choice")
        session = str(
            home.query_one("#session", Select).selection
            and home.query_one("#session", Select)._options[1][0]
        )
    if language == "zh":
        assert topics[0] == "主题：generalization（1 题）", topics
        assert "overfitting：什么是过拟合？如何发现并减轻过拟合？" in topics, topics
        assert session.endswith("· tui-test · 已答 1/2 题"), session
    else:
        assert topics[0] == "topic: generalization (1)", topics
        assert "overfitting: What is overfitting, and how do you detect and reduce it?" in topics
        assert session.endswith("· tui-test · 1/2 answered"), session


async def test_the_score_dialog_wraps_chinese_between_characters(make_app, tui_library):
    """At 80x24 the score dialog's Chinese text breaks between characters, as the rest of the
    app does: no line of it starts with closing punctuation (it showed a line "）。它会作为…"),
    and "76/100"-like scores stay whole."""
    app = make_app(grader=FixedGrader(tui_library))
    async with interview_in(app, "zh", size=(80, 24)) as pilot:
        await answer(pilot, DROPOUT_ANSWER_ZH)
        await wait_phase(pilot, "follow_up", "reviewed")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverrideDialog), "the dialog")
        await pilot.pause()
        text = app.screen.query_one("#dialog-text", Static)
        width, height = text.content_region.size
        lines = [s.text.strip() for s in text.render_lines(Region(0, 0, width, height))]
    lines = [line for line in lines if line]
    assert len(lines) >= 2, lines
    assert not [line for line in lines if line[0] in CLOSING], lines
    assert re.search(r"给了 \d+/100。", "".join(lines)), lines
