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
from datetime import UTC, datetime
from pathlib import Path

import pytest
from snapshot_data import (
    DROPOUT_ANSWER,
    DROPOUT_ANSWER_ZH,
    OVERFIT_ANSWER,
    OVERFIT_FOLLOW_UP,
    FixedGrader,
    record_history,
)
from textual.command import CommandPalette
from textual.geometry import Region
from textual.widgets import Button, DataTable, Input, Select, Static
from textual.widgets._footer import FooterKey
from tui_helpers import answer, lock_held, transcript_text, wait_for, wait_phase

from mockint.rubric import load_library
from mockint.store import open_store
from mockint.tui.linebreak import CLOSING
from mockint.tui.plan import InterviewPlan
from mockint.tui.screens.dialogs import MessageDialog, OverrideDialog
from mockint.tui.screens.history import HistoryScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.progress import ProgressScreen

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
    if language == "zh":
        assert title == "已跳过题库"
        assert message.endswith(
            "：错误：题目 typo：字段 questions[0].wieght：未知字段（请检查拼写；格式见 README）"
        )
        assert not english_words(message.replace(str(broken), ""), "typo"), message
    else:
        assert title == "Question bank skipped"
        assert message == str(problem)


def english_words(text: str, *kept: str) -> list[str]:
    """The English words in a Chinese text, but for the names it rightly keeps as they are:
    ``kept`` (ids, table names, a field's values), paths, fields and command options."""
    text = re.sub(r"\S*[/_.\[\]'-]\S*|--\w+|\b[A-Z]{2,}\b", " ", text)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in {"mockint", "README", *kept}]


BANK_HEAD = """\
id = "broken"
languages = ["en", "zh"]
title.en = "Broken"
title.zh = "坏题库"

[[questions]]
id = "q"
topic = "t"
prompt.en = "What?"
prompt.zh = "什么？"
model_answer.en = "That."
model_answer.zh = "那个。"
"""
POINT = """
[[questions.key_points]]
id = "k"
text.en = "That is so."
text.zh = "是这样。"
follow_up.en = "Why?"
follow_up.zh = "为什么？"
"""
BROKEN_BANKS = {
    "missing-text": (
        BANK_HEAD.replace('prompt.zh = "什么？"\n', "") + POINT,
        "缺少 'zh' 文本（题库声明的语言是 en, zh）",
    ),
    "bad-difficulty": (
        BANK_HEAD.replace('topic = "t"', 'topic = "t"\ndifficulty = "trivial"') + POINT,
        "应为以下之一：easy / medium / hard",
    ),
    "duplicate-point": (BANK_HEAD + POINT + POINT, "要点 id 'k' 重复（第 15 行已用过）"),
    "zero-weight": (BANK_HEAD + POINT.replace('id = "k"', 'id = "k"\nweight = 0'), "必须大于 0"),
    "no-points": (BANK_HEAD, "缺少此字段（必填）"),
    "not-toml": (
        BANK_HEAD.replace('prompt.en = "What?"', 'prompt.en = "What?') + POINT,
        "不是有效的 TOML（第 9 行第 19 列）：字符串在行尾还没有结束（缺少结尾的引号？",
    ),
    "toml-no-equals": (
        BANK_HEAD.replace('topic = "t"', 'topic "t"') + POINT,
        "不是有效的 TOML（第 8 行第 7 列）：键名后面应有 '='",
    ),
    "unused-topic": (
        BANK_HEAD + POINT + '[topics.tt]\ntitle.en = "T"\ntitle.zh = "主题"\n',
        "没有题目的主题是 'tt'（题目的主题有：t）",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_BANKS))
async def test_what_is_wrong_with_a_bank_is_said_in_chinese(make_app, tmp_path, case):
    """The validator's reason itself (not only the words around it) is Chinese in a Chinese
    app: a missing translation, a wrong choice, a duplicate id, a bad number, a missing
    field, a title for a topic no question has, a file that is not TOML (tomllib's English
    reworded, its line and column kept)."""
    text, expected = BROKEN_BANKS[case]
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    library = load_library([FIXTURES, broken])
    assert library.problems
    app = make_app(library=None, library_loader=lambda: library, language="zh")
    async with app.run_test(size=SIZE) as pilot:
        _, message = await wait_notice(pilot, expected)
    assert message.startswith(str(broken)) and "错误" in message
    assert not english_words(message.replace(str(broken), ""), "medium", "hard"), message


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


def no_column(path: Path) -> Path:
    """A real mockint history with one column of a table dropped."""
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE answers DROP COLUMN hints_used")
    conn.close()
    return path


def garbled(path: Path) -> Path:
    """An SQLite header over bytes that are no database: SQLite's own words say why."""
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)
    return path


# What each file is said to be, in each language.
CANNOT_OPEN = {
    "damaged": ("已损坏（缺少数据表 answers）", "is damaged (no table answers)"),
    "no_column": (
        "已损坏（数据表 answers 缺少列 hints_used）",
        "is damaged (table answers has no hints_used)",
    ),
    "garbled": ("已损坏（不是数据库文件）", "is damaged (file is not a database)"),
    "foreign": ("不是 mockint 的历史数据库", "not a mockint history database"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("make_file", [damaged, no_column, garbled, foreign])
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
    zh, en = CANNOT_OPEN[make_file.__name__]
    if language == "zh":
        assert title == "历史数据库不可用"
        assert zh in text and "无法开始面试" in text and "关闭" in text, text
        # SQLite's and mockint's details too, not only the sentence around them.
        assert not english_words(text.replace(str(path), ""), "answers", "hints_used"), text
    else:
        reason = en
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
        assert topics[0] == "主题：泛化（1 题）", topics
        assert "overfitting：什么是过拟合？如何发现并减轻过拟合？" in topics, topics
        assert session.endswith("· 机器学习基础 · 已答 1/2 题"), session
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


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def footer_words(screen) -> set[str]:
    return {key.description for key in screen.query(FooterKey) if key.display}


def column_labels(table: DataTable) -> list[str]:
    return [str(column.label) for column in table.columns.values()]


def english_left(text: str, library, *data: str) -> set[str]:
    """The words in Latin letters on a Chinese screen that are not data: not the app's name, a
    key's name (``esc``), a bank's or question's id, a key point's own word ("dropout"), or
    one of ``data`` (the candidate's answers, perhaps cut short). A topic's id is not data: it
    is shown by its Chinese title."""
    allowed = {"mockint", "esc"}
    for bank, question in library.questions():
        allowed |= {bank.id, question.id}
        data = (*data, *(point.text.get("zh") for point in question.key_points))
    for text_of_data in data:
        allowed |= set(re.findall(r"[A-Za-z][\w-]+", text_of_data))
    return {
        word
        for word in re.findall(r"[A-Za-z][\w-]+", text)
        if not any(known.startswith(word) for known in allowed)
    }


async def open_from_home(pilot, key: str, screen_type: type, ready) -> object:
    """Press ``key`` on the home screen; the ``screen_type`` it opens, once ``ready(screen)``."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
    await pilot.press(key)
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, screen_type) and ready(app.screen),
        screen_type.__name__,
    )
    return app.screen


PROGRESS_WORDS = {
    "zh": {
        "place": "进度",
        "model": "● 模型就绪",
        "totals": [
            "3 次面试，共 7 个回答 · 平均 67/100 · 2 道题 · 练习了 10 分钟",
            "已连续练习 3 天 · 最长连续 3 天 · 累计练习 3 天",
        ],
        "daily": "每日平均分",
        "span": "2025年3月8日 → 3月10日 · 最近一天 62 分",
        "sections": ["按题目", "按主题", "最薄弱的要点"],
        "by_question": ["题目", "主题", "次数", "最近", "最高", "趋势"],
        "by_topic": ["主题", "题数", "次数", "平均", "最高", "趋势"],
        "weakest": ["覆盖率", "回答数", "题目", "要点"],
        "footer": {"返回", "导出", "刷新"},
    },
    "en": {
        "place": "Progress",
        "model": "● model ready",
        "totals": [
            "7 answers in 3 sessions · mean 67/100 · 2 questions · 10 min practised",
            "3-day streak · longest 3 · 3 practice days",
        ],
        "daily": "Daily mean",
        "span": "2025-03-08 → 2025-03-10 · last day 62",
        "sections": ["By question", "By topic", "Weakest key points"],
        "by_question": ["question", "topic", "n", "last", "best", "trend"],
        "by_topic": ["topic", "questions", "n", "mean", "best", "trend"],
        "weakest": ["covered", "answers", "question", "key point"],
        "footer": {"Back", "Export", "Refresh"},
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_progress_screen_speaks_the_apps_language(make_app, tui_library, store, language):
    """Progress after three days of practice: the status bar (place and model status), the
    totals and streak with their numbers, the daily line's dates, the section titles, every
    column header and the footer's keys are in the app's language; in Chinese, no English is
    left but the data (ids; topics are shown by their titles)."""
    record_history(store, tui_library, datetime(2025, 3, 8, 9, tzinfo=UTC))
    app = make_app(grader=FixedGrader(tui_library), language=language)
    expected = PROGRESS_WORDS[language]
    async with app.run_test(size=(120, 45)) as pilot:
        screen = await open_from_home(
            pilot,
            "p",
            ProgressScreen,
            lambda screen: screen.query_one("#weakest", DataTable).row_count > 0,
        )
        text = screen_text(app)
        status = text.splitlines()[0]
        assert expected["place"] in status and expected["model"] in status, status
        totals = " ".join(str(screen.query_one("#totals").render()).split())
        for line in expected["totals"]:
            assert " ".join(line.split()) in totals, totals
        daily = str(screen.query_one("#daily").render())
        assert daily.startswith(expected["daily"]) and expected["span"] in daily, daily
        assert [str(label.render()) for label in screen.query(".section")] == expected["sections"]
        for table in ("by_question", "by_topic", "weakest"):
            labels = column_labels(screen.query_one(f"#{table.replace('_', '-')}", DataTable))
            assert labels == expected[table]
        assert expected["footer"] <= footer_words(screen), footer_words(screen)
        if language == "zh":
            assert not english_left(text, tui_library), english_left(text, tui_library)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_empty_progress_screen_speaks_the_apps_language(make_app, tui_library, language):
    """With no history, the progress screen says so, and how to start, in the app's
    language."""
    app = make_app(grader=FixedGrader(tui_library), language=language)
    empty = {"zh": "还没有已评分的回答。", "en": "No graded answers yet."}[language]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_home(
            pilot,
            "p",
            ProgressScreen,
            lambda screen: empty in str(screen.query_one("#totals").render()),
        )
        text = screen_text(app)
        if language == "zh":
            assert "在首页开始一次面试" in text
            assert not english_left(text, tui_library), english_left(text, tui_library)
        else:
            assert "Start an interview from the home screen" in text


HISTORY_WORDS = {
    "zh": {
        "place": "历史记录",
        "model": "● 模型就绪",
        "sessions_title": "面试记录",
        "answers_title": "回答 · 面试 #3",
        "sessions": ["#", "开始时间", "模式", "题库", "回答数", "平均"],
        "answers": ["题目", "类型", "分数", "评价", "回答"],
        "modes": ["模拟", "模拟", "练习"],
        "answer_rows": [("主问题", "薄弱"), ("追问", "薄弱"), ("主问题", "良好")],
        "skipped": ("主问题", "已跳过", "（已跳过）"),
        "footer": {"返回", "导出"},
        "empty": "还没有面试记录。在首页开始一次面试吧。",
    },
    "en": {
        "place": "History",
        "model": "● model ready",
        "sessions_title": "Sessions",
        "answers_title": "Answers · session 3",
        "sessions": ["#", "started", "mode", "bank", "answers", "mean"],
        "answers": ["question", "kind", "score", "verdict", "answer"],
        "modes": ["mock", "mock", "practice"],
        "answer_rows": [("main", "weak"), ("follow-up", "weak"), ("main", "good")],
        "skipped": ("main", "skipped", "(skipped)"),
        "footer": {"Back", "Export"},
        "empty": "No sessions yet. Start an interview from the home screen.",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_history_screen_speaks_the_apps_language(make_app, tui_library, store, language):
    """History of three sessions: the status bar, the tables' titles and column headers, each
    session's mode, each answer's kind and verdict (a follow-up's on the point it asked about,
    a skipped question's), the footer's keys, all in the app's language; the times are the
    table's plain ``2025-03-10 09:00``. In Chinese, no English is left but the data (ids and the
    candidate's English answers)."""
    record_history(store, tui_library, datetime(2025, 3, 8, 9, tzinfo=UTC))
    app = make_app(grader=FixedGrader(tui_library), language=language)
    expected = HISTORY_WORDS[language]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_from_home(
            pilot,
            "h",
            HistoryScreen,
            lambda screen: screen.query_one("#answers", DataTable).row_count == 3,
        )
        sessions = screen.query_one("#sessions", DataTable)
        answers = screen.query_one("#answers", DataTable)
        text = screen_text(app)
        status = text.splitlines()[0]
        assert expected["place"] in status and expected["model"] in status, status
        assert sessions.border_title == expected["sessions_title"]
        assert answers.border_title == expected["answers_title"]
        assert column_labels(sessions) == expected["sessions"]
        assert column_labels(answers) == expected["answers"]
        rows = [sessions.get_row_at(i) for i in range(sessions.row_count)]
        assert [str(row[1]) for row in rows] == [f"2025-03-{d} 09:00" for d in (10, "09", "08")]
        assert [str(row[2]) for row in rows] == expected["modes"]
        # The bank by its title when the title fits the column (机器学习基础); the English
        # title (Machine learning basics) does not, and the id stays.
        bank = {"zh": "机器学习基础", "en": "tui-test"}[language]
        assert [str(row[3]) for row in rows] == [bank] * 3
        cells = [answers.get_row_at(i) for i in range(answers.row_count)]
        assert [(str(row[1]), str(row[3])) for row in cells] == expected["answer_rows"]
        assert expected["footer"] <= footer_words(screen), footer_words(screen)
        if language == "zh":
            left = english_left(
                text, tui_library, OVERFIT_ANSWER, OVERFIT_FOLLOW_UP, DROPOUT_ANSWER
            )
            assert not left, left

        await pilot.press("down")  # session 2: its second question was skipped
        await wait_for(pilot, lambda: "2" in str(answers.border_title), "session 2")
        await wait_for(pilot, lambda: answers.row_count == 2, "session 2's answers")
        skipped = answers.get_row_at(1)
        assert (str(skipped[1]), str(skipped[3]), str(skipped[4])) == expected["skipped"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_empty_history_screen_speaks_the_apps_language(make_app, tui_library, language):
    """With no history, the history screen says so, and how to start, in the app's language."""
    app = make_app(grader=FixedGrader(tui_library), language=language)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_home(
            pilot, "h", HistoryScreen, lambda screen: screen.query_one("#history-empty").display
        )
        text = screen_text(app)
        assert HISTORY_WORDS[language]["empty"] in text
        if language == "zh":
            assert not english_left(text, tui_library), english_left(text, tui_library)


def palette_word(screen) -> str:
    (key,) = [k for k in screen.query(FooterKey) if "-command-palette" in k.classes]
    return key.description


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_palette_key_is_named_in_the_screens_language(make_app, tui_library, language):
    """The footer's ^p names the command palette in the language of the screen it is on: the
    app's on the home and progress screens, an interview's in the other language; and it
    still opens the palette."""
    other = {"zh": "en", "en": "zh"}[language]
    names = {"zh": "命令", "en": "palette"}
    app = make_app(grader=FixedGrader(tui_library), language=language)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_home(pilot, "p", ProgressScreen, lambda screen: True)
        await pilot.pause()
        assert palette_word(app.screen) == names[language]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        home = app.screen
        assert palette_word(home) == names[language]
        plan = InterviewPlan(
            mode="practice", bank_id="tui-test", language=other, question_ids=("dropout",)
        )
        app.push_screen_interview(plan)
        interview = await wait_phase(pilot, "answering")
        assert palette_word(interview) == names[other]
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "command palette")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_resumed_interview_names_a_skipped_question_in_its_language(
    make_app, tui_library, language
):
    """Resuming an interview whose first question was skipped: the summary of what came
    before says so in the interview's language."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=SIZE) as pilot:
        plan = InterviewPlan(
            mode="practice",
            bank_id="tui-test",
            language=language,
            question_ids=("dropout", "overfitting"),
        )
        app.push_screen_interview(plan)
        await wait_phase(pilot, "answering")
        await pilot.press("ctrl+n")  # the skip is stored before the next question is asked
        await wait_phase(pilot, "answering")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        app.push_screen_interview(
            InterviewPlan(mode="resume", bank_id="tui-test", resume_session_id=1)
        )
        await wait_phase(pilot, "answering")
        said = transcript_text(app)
    skipped = {"zh": "dropout：已跳过", "en": "dropout: skipped"}[language]
    assert skipped in said, said


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_interview_names_its_topic_by_its_title(make_app, tui_library, language):
    """The question's heading, the status bar beside the question number and the feedback
    detail name the topic by the bank's title for it in the interview's language: 正则化 in
    Chinese, never its id ``regularization`` (the test bank's English title is the id)."""
    title = {"zh": "正则化", "en": "regularization"}[language]
    app = make_app(grader=FixedGrader(tui_library))
    async with interview_in(app, language, size=(80, 24)) as pilot:
        screen = app.screen
        heading = next(line for line in transcript_text(app).splitlines() if " · " in line)
        assert f" · {title} · " in heading, heading
        label = str(screen.query_one("#question-label").render())
        assert label.endswith(f" · {title}"), label
        await answer(pilot, "Dropout zeroes random units during training.")
        await wait_phase(pilot, "follow_up", "reviewed")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: app.screen is not screen, "the feedback detail")
        question = str(app.screen.query_one("#fb-question").render())
        assert f"{title} · " in question, question
        if language == "zh":
            text = heading + label + question
            assert "regularization" not in text, text
