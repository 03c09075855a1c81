"""What each screen shows (pytest-textual-snapshot). Data are fixed: the frozen test bank,
hand-made grades, a store clock that starts on 2025-03-08, a frozen question timer, UTC.

Update after an intended change with ``pytest tests/tui --snapshot-update``, then look at the
images in the report before committing them.
"""

from __future__ import annotations

import threading
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
from textual.widgets import DataTable, TextArea
from tui_helpers import send, wait_for, wait_phase

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


async def home_ready(pilot, figures: str = "session") -> None:
    """Wait for the home screen and its figures (``figures``: a word of them, 次面试 in
    Chinese)."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), "home")
    await wait_for(
        pilot,
        lambda: figures in str(pilot.app.screen.query_one("#summary").render()),
        "home figures",
    )


async def start_interview(pilot, plan: InterviewPlan = PLAN) -> None:
    await home_ready(pilot)
    pilot.app.push_screen_interview(plan)
    await wait_phase(pilot, "answering")


def test_home_small(snap_compare, fixed_app):
    """Home at 80x24, empty history: "Machine learning basics (3)" in "Question bank", six
    modes with "Mock interview" highlighted, the Options row (Questions 5, Time each question's
    own, Language English), the bank description, "due today 0 · new 3 · weak 0 · 0 sessions",
    the Start button, and a footer with s Start, p Progress, h History, e Export, f2 Theme,
    ^q Quit. The status bar says "model ready"."""
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
    lists "#4 · 2025-03-10 09:04 · tui-test · 1/2 answered"; the summary reads "due today 3 ·
    new 0 · weak 3 · 4 sessions · 1 unfinished"; "Recent sessions" starts under the Start
    button with the unfinished one (35/100)."""
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
            lambda: isinstance(pilot.app.screen.chosen("session"), int),
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
    question bar reads "Q1/2 · generalization" with the timer at 2:00; an empty one-line answer
    box with its placeholder, its bottom border ("ctrl+s send") fully visible above the footer;
    footer ^s Send, ^g Hint, ^l Don't know, ^n Skip, ^r Record, esc Home and, at the right,
    ^p palette."""
    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=start_interview)


def test_interview_graded_with_follow_up_small(snap_compare, fixed_app):
    """Interview at 80x24 after the first answer: the interviewer's reply is shown from its
    top, "35/100 · weak" on the first line of the transcript, then "You covered:" with ✔ and
    "You missed:" with two ✘ points whose wrapped lines hang under their text, and "That's not
    right: “Training for more epochs fixes overfitting.” — Training longer…". The follow-up
    turn is below the view, so the follow-up question is pinned above the question bar:
    "Follow-up: How would you notice overfitting while a model is training?". The answer box is
    titled "Your answer to the follow-up"; footer ^s Send, ^g Hint, ^l Don't know, ^n Next,
    ^r Record, esc Home, ^p palette."""

    async def run_before(pilot):
        await start_interview(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_interview_reply_large(snap_compare, fixed_app):
    """Interview at 140x45 after the answer and its follow-up: the first reply shows "35/100 ·
    weak", "You covered:" with ✔ the definition quoting the candidate's sentence, "You missed:"
    with ✘ detection and ✘ remedies, and "That's not right:" naming the misconception; then the
    follow-up, the candidate's answer, and the reply "✔ Yes, that's the point I was after." with
    the quote, "Question coverage now 75% (was 50%)", "Still missing:" remedies. The answer box
    is gone (its rows go to the conversation); footer: ^n Next, ^f Feedback, ^t Model answer,
    ^o My score, esc Home, ^p palette."""

    async def run_before(pilot):
        await start_interview(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        await send(pilot, OVERFIT_FOLLOW_UP, "reviewed")

    assert snap_compare(fixed_app(), terminal_size=LARGE, run_before=run_before)


def test_interview_waiting_for_model(snap_compare, make_app):
    """Interview at 80x24 while the model loads: the status bar says "◌ loading model…", the
    candidate's answer is in the transcript and the interviewer's turn reads "✓ Saved · Grading…
    waiting for the grading model to finish loading." (the answer is already stored); the
    answer box is dimmed and reads "Grading…", and the footer offers only esc Home and the
    palette (nothing else to do until the grade is in)."""
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
            lambda: (
                "Saved · Grading… waiting for the grading model"
                in str(pilot.app.screen._pending.render())
            ),
            "saved and waiting note",
        )

    try:
        assert snap_compare(
            make_app(grader_loader=loader), terminal_size=SMALL, run_before=run_before
        )
    finally:
        release.set()


def test_interview_chinese_small(snap_compare, fixed_app):
    """A Chinese interview at 80x24: the candidate's Chinese answer under "你" wraps between
    characters (its first line runs on past "dropout" to "…相互依赖。推理", no half-empty line,
    no line starting with "，" or "。"), the reply from "面试官": "62/100 · partial", "你讲到了："
    with ✔ and ◐ points quoting the answer, "你漏掉了：" with ✘ the inference point, then
    "追问：" and the follow-up in Chinese. The question bar reads "第 1/1 题 · 正则化" (the
    topic's Chinese title, not its id);
    the footer's keys are Chinese, ^p 命令 (the command palette) included. Wide characters line
    up with the borders."""

    async def run_before(pilot):
        plan = InterviewPlan(
            mode="practice", bank_id="tui-test", language="zh", question_ids=("dropout",)
        )
        await start_interview(pilot, plan)
        await send(pilot, DROPOUT_ANSWER_ZH, "follow_up")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_interview_done_light_large(snap_compare, fixed_app):
    """Interview at 140x45 in the light theme, finished: the dropout reply "75/100 · good" with
    one ✔ and two ◐ (partly) points and no "You missed", the revealed model answer under "What I
    was hoping to hear:", "Noted: you rate this answer 70/100." and the closing line "That's all
    my questions. Thank you!…"; the question bar reads "Interview complete", the answer box is
    gone and the footer offers ^f Feedback, ^o My score, esc Home (no ^t Model answer: it is
    already shown)."""

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
    35/100…", an input holding 75, Save and Cancel buttons."""

    async def run_before(pilot):
        await start_interview(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"75")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_feedback_small(snap_compare, fixed_app):
    """Feedback detail at 80x24: the question in bold with "generalization · easy", "Your
    answer 35/100 · weak", the answer with its first sentence highlighted green and marked [1]
    and the misconception sentence struck through in red, then the key point table (1 ✔ hit
    0.81 with the quoted evidence, 2 and 3 ✘ miss 0.20 with "—") with wrapped key points."""

    async def run_before(pilot):
        await start_interview(pilot)
        await send(pilot, OVERFIT_ANSWER, "follow_up")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FeedbackScreen), "feedback")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_feedback_chinese_small(snap_compare, fixed_app):
    """Feedback detail of a Chinese answer at 80x24, scrolled to the end: the key point table
    with the Chinese key points and evidence wrapped between characters inside their columns
    (1 ✔ hit, 2 ◐ partial, 3 ✘ miss with "—"), no line of a cell starting with "，" or "。",
    and under it "参考答案：" with the Chinese model answer, wrapped the same way; the footer
    reads esc 返回, m 参考答案 and ^p 命令."""

    async def run_before(pilot):
        plan = InterviewPlan(
            mode="practice", bank_id="tui-test", language="zh", question_ids=("dropout",)
        )
        await start_interview(pilot, plan)
        await send(pilot, DROPOUT_ANSWER_ZH, "follow_up")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FeedbackScreen), "feedback")
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


async def open_screen(pilot, key: str, screen: type, table: str, figures: str = "session") -> None:
    """From home, press ``key`` and wait until ``screen`` shows rows in ``table``."""
    await home_ready(pilot, figures)
    await pilot.press(key)
    await wait_for(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, screen)
            and pilot.app.screen.query_one(table, DataTable).row_count > 0
        ),
        screen.__name__,
    )


def test_progress_small(snap_compare, fixed_app, history):
    """Progress at 80x24 on 2025-03-10 after three days of practice: "7 answers in 3 sessions ·
    mean 67/100 · 2 questions · 10 min practised", "3-day streak · longest 3 · 3 practice days",
    "Daily mean" bars for 2025-03-08 → 2025-03-10, the "By question" table (overfitting 2
    attempts, last 35, best 60; dropout 3, 90, 90; no trend arrows yet, too few attempts),
    "By topic", and the start of "Weakest key points"."""

    async def run_before(pilot):
        await open_screen(pilot, "p", ProgressScreen, "#by-question")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_progress_large(snap_compare, fixed_app, history):
    """Progress at 140x45: totals and streak, daily bars, "By question" and "By topic" with
    sparklines, and "Weakest key points": the two overfitting points covered 0% of 2 answers,
    then two dropout points covered 50% of 3, long key points wrapped; the question column 22
    wide (a whole built-in id), the key point column taking the rest."""

    async def run_before(pilot):
        await open_screen(pilot, "p", ProgressScreen, "#weakest")

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
    """History at 80x24: three sessions, newest first (#3 mock on 2025-03-10 mean 62, #2 on
    03-09 mean 75, #1 practice on 03-08 mean 68); below, "Answers · session 3": overfitting
    main (35, weak) and follow-up (25), dropout "90*" (the candidate's own score, good), each
    with the start of the answer; the question column is as wide as its longest id, the answer
    preview takes the rest."""

    async def run_before(pilot):
        await open_screen(pilot, "h", HistoryScreen, "#answers")

    assert snap_compare(fixed_app(), terminal_size=SMALL, run_before=run_before)


def test_progress_chinese_small(snap_compare, fixed_app, history):
    """Progress at 80x24 in a Chinese app (--lang zh): status bar "进度" and "● 模型就绪";
    "3 次面试，共 7 个回答 · 平均 67/100 · 2 道题 · 练习了 10 分钟", "已连续练习 3 天 · 最长连续
    3 天 · 累计练习 3 天", "每日平均分" bars for "2025年3月8日 → 3月10日 · 最近一天 62 分";
    "按题目" with the headers 题目 主题 次数 最近 最高 趋势 lined up over their columns and the
    topics by their Chinese titles (泛化, 正则化; no English id), "按主题",
    and "最薄弱的要点" with its Chinese key points wrapped in their column; footer esc 返回,
    e 导出, r 刷新, ^p 命令."""

    async def run_before(pilot):
        await open_screen(pilot, "p", ProgressScreen, "#weakest", figures="次面试")

    assert snap_compare(fixed_app(language="zh"), terminal_size=SMALL, run_before=run_before)


def test_history_chinese_small(snap_compare, fixed_app, history):
    """History at 80x24 in a Chinese app: "历史记录"; the "面试记录" table with the headers
    # 开始时间 模式 题库 回答数 平均, the sessions' modes 模拟 / 练习, times 2025-03-10 09:00 and
    bank 机器学习基础 (the test bank's Chinese title, not its id tui-test);
    "回答 · 面试 #3" with 题目 类型 分数 评价 回答: overfitting 主问题 35 薄弱, 追问 25 薄弱,
    dropout 主问题 90* 良好, each with the start of the (English) answer; footer esc 返回,
    e 导出, ^p 命令."""

    async def run_before(pilot):
        await open_screen(pilot, "h", HistoryScreen, "#answers", figures="次面试")

    assert snap_compare(fixed_app(language="zh"), terminal_size=SMALL, run_before=run_before)


def test_database_error_dialog(snap_compare, make_app, tmp_path, monkeypatch):
    """The dialog over the home screen at 80x24 when the history file is not a database:
    "History database unavailable" in red, the store's reason ("notes.db is not a mockint
    history database … Use --db with another path."), what still works, and a Close button."""
    monkeypatch.chdir(tmp_path)  # a relative path keeps the message the same on every run
    bad = Path("notes.db")
    bad.write_bytes(b"not a database" * 64)

    async def run_before(pilot):
        await wait_for(pilot, lambda: pilot.app.store_status == "failed", "store failure")
        await pilot.pause()

    app = make_app(store=None, db_path=bad, grader=FixedGrader(None))
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
