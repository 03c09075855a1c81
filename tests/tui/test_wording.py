"""What the screens say, beyond the interview's layout: Chinese wrapped between characters with
the line-breaking rules, barely-touched points never listed as covered, the feedback detail in
its own language, plurals, and a session across banks."""

from __future__ import annotations

import pytest
from handmade import make_grade
from snapshot_data import DROPOUT_ANSWER_ZH, FixedGrader
from textual.geometry import Region
from textual.widgets import DataTable, TextArea
from tui_helpers import send, wait_for, wait_phase

from mockint.tui import render
from mockint.tui.linebreak import CLOSING, OPENING
from mockint.tui.plan import InterviewPlan
from mockint.tui.screens.feedback import FeedbackScreen
from mockint.tui.screens.history import HistoryScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.progress import ProgressScreen
from mockint.tui.widgets.transcript import Turn

SIZES = [(80, 24), (140, 45)]
BORDERS = "│╭╮╰╯─ "


def text_lines(widget) -> list[str]:
    """The lines of text ``widget`` shows, inside its border (top and bottom rows)."""
    width, height = widget.region.size
    lines = [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]
    return [line.strip(BORDERS) for line in lines[1:-1] if line.strip(BORDERS)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_chinese_wraps_between_characters(make_app, tui_library, size):
    """A Chinese answer fills its lines (it is not cut at the space after "dropout", leaving a
    half-empty line) and no line of the conversation starts with closing punctuation or ends
    with opening punctuation."""
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=size) as pilot:
        plan = InterviewPlan(
            mode="practice", bank_id="tui-test", language="zh", question_ids=("dropout",)
        )
        app.push_screen_interview(plan)
        await wait_phase(pilot, "answering")
        await send(pilot, DROPOUT_ANSWER_ZH, "follow_up", "reviewed")
        await pilot.pause()
        turns = list(app.screen.query(Turn))
        answer = next(t for t in turns if "-candidate" in t.classes)
        first = text_lines(answer)[0]
        assert first.startswith("训练时 dropout 随机"), text_lines(answer)
        for turn in turns:
            for line in text_lines(turn):
                assert line[0] not in CLOSING, text_lines(turn)
                assert line[-1] not in OPENING, text_lines(turn)


async def test_barely_touched_points_are_listed_with_the_missed_ones(make_app, tui_library):
    """A point with a sliver of credit is not under "You covered" in the reply: it is under
    "You missed", "barely touched on"; the feedback detail marks it "◌ barely"."""
    grader = FixedGrader(tui_library)
    _, question = tui_library.find_question("dropout")
    text = "Dropout randomly zeroes activations while training, a bit like noise."
    grade = make_grade(
        question,
        {"random-zero": "hit", "why": "partial", "inference": "miss"},
        bank_id="tui-test",
        evidence={
            "random-zero": "Dropout randomly zeroes activations while training",
            "why": "a bit like noise",
        },
        answer=text,
        credit={"why": 0.1},
    )
    # As the grader gives it: a sliver of credit, and no sentence quoted for it.
    grade.key_points[1] = grade.key_points[1].model_copy(
        update={"evidence": None, "evidence_span": None}
    )
    grader.grades[text] = grade
    barely = question.key_point("why").text.get("en")
    app = make_app(grader=grader)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen_interview(
            InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("dropout",))
        )
        await wait_phase(pilot, "answering")
        await send(pilot, text, "follow_up", "reviewed")
        reply = next(
            " ".join(str(t.render()).split())
            for t in app.screen.query(Turn)
            if "You covered" in str(t.render())
        )
        covered, missed = reply.split("You missed:")
        assert barely not in covered
        assert f"{barely} (barely touched on)" in missed
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback")
        table = app.screen.query_one("#fb-table-0", DataTable)
        assert str(table.get_row("why")[1]) == "◌ barely"
        assert str(table.get_row("why")[4]) == "—"


async def test_feedback_detail_of_a_chinese_answer_is_in_chinese(make_app, tui_library, store):
    """A Chinese answer given in an English session (its grade holds the English model answer
    and key points): its feedback detail, opened from history, shows the Chinese model answer
    under "参考答案" and the key points in Chinese."""
    bank, question = tui_library.find_question("dropout")
    grade = make_grade(
        question,
        {"random-zero": "hit", "why": "miss", "inference": "miss"},
        bank_id=bank.id,
        evidence={"random-zero": "训练时 dropout 随机把一部分激活值置零，"},
        answer=DROPOUT_ANSWER_ZH,
    ).model_copy(update={"language": "zh", "model_answer": question.model_answer.get("en")})
    session = store.start_session(mode="practice", bank_id=bank.id, language="en", client="tui")
    store.record_answer(store.ask(session, bank.id, question), DROPOUT_ANSWER_ZH, grade)
    store.end_session(session)
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), "history")
        answers = app.screen.query_one("#answers", DataTable)
        await wait_for(pilot, lambda: answers.row_count == 1, "answers")
        answers.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback")
        shown = " ".join(str(app.screen.query_one("#fb-model-answer").render()).split())
        assert shown.startswith("参考答案")
        assert " ".join(question.model_answer.get("zh").split())[:20] in shown
        assert question.model_answer.get("en")[:20] not in shown
        table = app.screen.query_one("#fb-table-0", DataTable)
        point = str(table.get_row("why")[3]).replace("\n", "")
        assert point == question.key_point("why").text.get("zh")


def record_session_across_banks(store, library, language: str, answer: str) -> None:
    """One finished mock session with no bank (``mockint interview`` without ``--bank``) and
    one graded answer."""
    bank, question = library.find_question("dropout")
    session = store.start_session(mode="mock", bank_id=None, language=language, client="plain")
    store.record_answer(
        store.ask(session, bank.id, question), answer, make_grade(question, bank_id=bank.id)
    )
    store.end_session(session)


async def test_one_session_is_one_session(make_app, tui_library, store):
    """Progress after a single session of one day says "1 session" and "1 practice day", and
    a session across both banks is "mixed banks" on the home screen, never "mock ·  · 1"."""
    record_session_across_banks(store, tui_library, "en", "Dropout zeroes activations.")
    app = make_app(grader=FixedGrader(tui_library))
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        recent = app.screen.query_one("#recent")
        await wait_for(pilot, lambda: "Recent sessions" in str(recent.render()), "recent")
        assert "mock · mixed banks · 1 answered" in str(recent.render())
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ProgressScreen), "progress")
        totals = app.screen.query_one("#totals")
        await wait_for(pilot, lambda: "session" in str(totals.render()), "totals")
        said = str(totals.render())
        assert "1 answer in 1 session" in said
        assert "1 practice day" in said and "days" not in said


def test_a_long_quote_is_cut_between_words(tui_library):
    """A quoted sentence longer than the reply shows is cut at a word boundary, with "…"."""
    _, question = tui_library.find_question("dropout")
    said = (
        "Dropout randomly sets some activations to zero during training so that neurons "
        "cannot rely on each other, which works like training an ensemble of thinned networks "
        "that share their weights and are averaged at inference time."
    )
    grade = make_grade(
        question,
        {"random-zero": "hit"},
        default="miss",
        bank_id="tui-test",
        evidence={"random-zero": said},
        answer=said,
    )
    shown = str(render.grade_turn(grade, "en"))
    quote = next(line for line in shown.splitlines() if line.strip().startswith("“"))
    assert quote.endswith("…”")
    assert quote.strip()[1:-2] == said[: len(quote.strip()) - 3]
    assert said[len(quote.strip()) - 3] == " "


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_answer_box_wraps_chinese_between_characters(make_app, tui_library, size):
    """A Chinese answer typed after one English word fills the box's first line (not
    "accuracy" alone on it), and no line of the box starts with "，" or "。"."""
    app = make_app(grader=FixedGrader(tui_library))
    text = (
        "accuracy 就是预测对的样本数除以总样本数，只有在类别大致均衡、各种错误代价差不多的时候"
        "才靠谱；类别不平衡时要看 precision、recall 和 F1，还要看混淆矩阵。"
    )
    async with app.run_test(size=size) as pilot:
        app.push_screen_interview(
            InterviewPlan(
                mode="practice", bank_id="tui-test", language="zh", question_ids=("dropout",)
            )
        )
        await wait_phase(pilot, "answering")
        box = app.screen.query_one("#answer", TextArea)
        box.text = text
        await pilot.pause()
        sections = box.wrapped_document.get_sections(0)
        assert len(sections) >= 2
        assert sections[0].startswith("accuracy 就是预测对的")
        assert "".join(sections) == text
        for section in sections[1:]:
            assert section[0] not in CLOSING, sections


async def test_a_session_across_banks_is_named_in_the_apps_language(make_app, tui_library, store):
    """With ``--lang zh`` a session across both banks is "多个题库" on the home screen."""
    record_session_across_banks(store, tui_library, "zh", "Dropout 随机把激活值置零。")
    app = make_app(grader=FixedGrader(tui_library), language="zh")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        recent = app.screen.query_one("#recent")
        await wait_for(pilot, lambda: "多个题库" in str(recent.render()), "the Chinese bank label")
        assert "mixed banks" not in str(recent.render())


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("zh", "这一点不对：“多训练几个 epoch 就行。”——训练更久通常会让过拟合更严重"),
        ("en", "That's not right: “Train for more epochs.” — Training longer usually"),
    ],
)
def test_a_misconception_and_its_correction_are_joined_by_the_languages_dash(
    tui_library, language, said
):
    """Chinese sets its dash (——) without spaces; the reply used English's " — " in both (seen
    in tmux, in a Chinese interview with a code-switched answer)."""
    _, question = tui_library.find_question("overfitting")
    words = said.split("“")[1].split("”")[0]
    grade = make_grade(
        question, {}, default="miss", language=language, misconceptions={"more-epochs": words}
    )
    shown = " ".join(str(render.grade_turn(grade, language)).split())
    assert said in shown, shown
