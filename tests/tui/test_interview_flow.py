"""Pilot tests driving whole interviews through the app, graded by the real grader, with the
history database checked afterwards."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import OptionList, TextArea
from textual.widgets._footer import FooterKey
from tui_helpers import answer, last_turn, transcript_text, wait_for, wait_phase

from mockint.store import open_store
from mockint.tui.plan import InterviewPlan
from mockint.tui.screens.dialogs import MessageDialog, OverrideDialog
from mockint.tui.screens.feedback import FeedbackScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.widgets.grade_views import KeyPointTable

OVERFIT_MAIN = (
    "Overfitting is when the model memorizes noise in the training data, so it does badly on "
    "new data. Training for more epochs fixes overfitting."
)
OVERFIT_FOLLOW_UP = (
    "You watch the validation loss: when it goes up while the training loss keeps going down, "
    "the model is overfitting."
)
DROPOUT = (
    "During training dropout randomly sets a fraction of the activations to zero, so units "
    "cannot co-adapt; it is like training an ensemble of thinned networks. At inference nothing "
    "is dropped and the activations are scaled to match their expected value."
)


async def choose(pilot, bank_id: str, mode: str) -> HomeScreen:
    """Pick a bank and a mode on the home screen with the keyboard."""
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    banks = home.query_one("#banks", OptionList)
    banks.focus()
    while banks.get_option_at_index(banks.highlighted).id != bank_id:
        await pilot.press("down")
    modes = home.query_one("#modes", OptionList)
    modes.focus()
    await pilot.press("home")
    while home.mode != mode:
        await pilot.press("down")
    return home


async def give_own_score(pilot, score: int) -> None:
    """ctrl+o, type ``score`` in the dialog, Enter; wait until the interviewer notes it."""
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, OverrideDialog), "override dialog")
    await pilot.press(*str(score), "enter")
    noted = f"you rate this answer {score}/100"
    await wait_for(pilot, lambda: noted in transcript_text(pilot.app), "override noted")


async def test_full_interview_then_quit_and_resume(make_app, tui_grader, db_path, store):
    """Answer, grading, feedback, follow-up, override, next question, quit mid-question; then a
    new app resumes the session and finishes it. The database holds every step."""
    app = make_app(grader=tui_grader)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen_interview(
            InterviewPlan(
                mode="practice", bank_id="tui-test", question_ids=("overfitting", "dropout")
            )
        )
        screen = await wait_phase(pilot, "answering")
        assert "Question 1 of 2" in transcript_text(app)
        assert "What is overfitting" in transcript_text(app)

        await answer(pilot, OVERFIT_MAIN)
        screen = await wait_phase(pilot, "follow_up")
        said = transcript_text(app)
        assert "/100" in said
        # The covered point is quoted in the candidate's own words; the misconception is named.
        assert "memorizes noise in the training data" in said
        assert "That's not right" in said and "more epochs" in said
        assert "Follow-up:" in said
        assert "validation" in last_turn(app).lower() or "notice" in last_turn(app).lower()

        await answer(pilot, OVERFIT_FOLLOW_UP)
        screen = await wait_phase(pilot, "reviewed")
        assert "Question coverage now" in last_turn(app)

        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "What I was hoping to hear" in transcript_text(app)

        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback screen")
        tables = list(app.screen.query(KeyPointTable))
        assert len(tables) == 2  # the main answer and the follow-up
        assert tables[0].row_count == 3
        await pilot.press("escape")

        await give_own_score(pilot, 85)
        screen = await wait_phase(pilot, "reviewed")

        await pilot.press("ctrl+n")
        screen = await wait_phase(pilot, "answering")
        assert "Question 2 of 2" in last_turn(app)
        screen.query_one("#answer", TextArea).text = "Dropout is a kind of"
        # Quit mid-question: nothing is asked, nothing already given is lost.
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None)

    check = open_store(db_path)
    sessions = check.sessions()
    assert len(sessions) == 1
    session = sessions[0]
    assert session["ended_at"] is None and session["client"] == "tui"
    assert session["n_asked"] == 2 and session["n_follow_ups"] == 1
    rows = check.session_answers(session["id"])
    assert [(r["question_id"], r["kind"]) for r in rows] == [
        ("overfitting", "main"),
        ("overfitting", "follow_up"),
    ]
    main, follow_up = rows
    assert main["text"] == OVERFIT_MAIN and main["score"] is not None
    assert main["override_score"] == 85 and main["effective_score"] == 85
    assert {m["misconception_id"] for m in main["misconceptions"]} == {"more-epochs"}
    assert follow_up["text"] == OVERFIT_FOLLOW_UP and follow_up["score"] is not None
    statuses = {kp["key_point_id"]: kp["status"] for kp in follow_up["key_points"]}
    assert statuses["detection"] != "miss"
    check.close()

    # A new app on the same database resumes where the candidate left.
    app = make_app(grader=tui_grader)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: app.screen.chosen("session") == session["id"],
            "unfinished session listed",
        )
        await choose(pilot, "tui-test", "resume")
        await pilot.press("s")
        screen = await wait_phase(pilot, "answering")
        said = transcript_text(app)
        assert "Welcome back" in said
        assert "overfitting: 85/100" in said
        assert "Question 2 of 2" in last_turn(app)
        # What was in the box at ctrl+q is back.
        assert screen.query_one("#answer", TextArea).text == "Dropout is a kind of"
        await answer(pilot, DROPOUT)
        await wait_phase(pilot, "follow_up", "reviewed")
        await pilot.press("ctrl+n")
        await wait_phase(pilot, "done")
        assert "That's all my questions" in last_turn(app)

    check = open_store(db_path)
    session = check.session(session["id"])
    assert session["ended_at"] is not None
    assert session["n_answers"] == 2 and session["n_asked"] == 2
    rows = check.session_answers(session["id"])
    assert rows[-1]["question_id"] == "dropout" and rows[-1]["text"] == DROPOUT
    assert rows[-1]["score"] is not None
    check.close()


async def test_answer_before_model_is_ready_is_graded_when_it_is(make_app, tui_grader, store):
    """The first screen does not wait for the model; an answer sent while it loads shows a
    waiting "grading" state and is graded as soon as the model is there."""
    release = threading.Event()

    def slow_loader():
        release.wait(60)
        return tui_grader

    app = make_app(grader_loader=slow_loader)
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert app.grader_status == "loading"
        app.push_screen_interview(
            InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("dropout",))
        )
        await wait_phase(pilot, "answering")
        await answer(pilot, DROPOUT)
        screen = await wait_phase(pilot, "grading")
        await wait_for(
            pilot, lambda: "waiting for the grading model" in last_turn(app), "waiting note"
        )
        assert screen.query_one("#answer", TextArea).disabled
        release.set()
        await wait_phase(pilot, "follow_up", "reviewed")
        assert app.grader_status == "ready"
        assert "/100" in transcript_text(app)
    rows = store.answers()
    assert len(rows) == 1 and rows[0]["text"] == DROPOUT and rows[0]["score"] is not None


async def test_hint_skip_and_dont_know(make_app, tui_grader, store):
    """A hint is shown and counted in the grade; skip stores a skipped question; "I don't know"
    is graded as a zero with no follow-up."""
    app = make_app(grader=tui_grader)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen_interview(
            InterviewPlan(
                mode="practice",
                bank_id="tui-test",
                question_ids=("overfitting", "gradient-descent", "dropout"),
            )
        )
        await wait_phase(pilot, "answering")
        await pilot.press("ctrl+l")
        await wait_phase(pilot, "reviewed")
        assert "I don't know" in transcript_text(app)
        await pilot.press("ctrl+n")
        await wait_phase(pilot, "answering")

        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: "Hint:" in last_turn(app), "hint")
        await answer(
            pilot,
            "It moves the weights against the gradient of the loss, scaled by "
            "the learning rate, which sets the step size.",
        )
        await wait_phase(pilot, "follow_up", "reviewed")
        await pilot.press("ctrl+n")
        await wait_phase(pilot, "answering")

        await pilot.press("ctrl+n")  # skip the last question
        await wait_phase(pilot, "done")
    rows = store.answers()
    by_question = {r["question_id"]: r for r in rows if r["kind"] == "main"}
    assert by_question["overfitting"]["score"] == 0
    assert by_question["gradient-descent"]["hints_used"] == 1
    assert by_question["dropout"]["skipped"] == 1 and by_question["dropout"]["score"] is None
    assert store.sessions()[0]["ended_at"] is not None


async def test_model_failure_keeps_the_answer_and_resume_grades_it(make_app, tui_grader, store):
    """A missing model is a notification, not a crash; an answer sent meanwhile is saved
    ungraded, and resuming the session with a working model grades it."""
    from mockint.grading import GraderLoadError

    def broken_loader():
        raise GraderLoadError("model 'nope' not found; install it or pass --model")

    app = make_app(grader_loader=broken_loader)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.grader_status == "failed", "failed status")
        await wait_for(
            pilot,
            lambda: any("nope" in n.message for n in app._notifications),
            "notification naming the model",
        )
        app.push_screen_interview(
            InterviewPlan(
                mode="practice", bank_id="tui-test", question_ids=("dropout", "overfitting")
            )
        )
        await wait_phase(pilot, "answering")
        await answer(pilot, DROPOUT)
        await wait_phase(pilot, "stalled")
        assert "Your answer is saved" in transcript_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home screen")
    rows = store.answers()
    assert [(r["text"], r["score"]) for r in rows] == [(DROPOUT, None)]
    session_id = rows[0]["session_id"]

    app = make_app(grader=tui_grader)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen_interview(
            InterviewPlan(mode="resume", bank_id="tui-test", resume_session_id=session_id)
        )
        await wait_phase(pilot, "answering")
        await wait_for(
            pilot, lambda: "Your saved answer to dropout" in transcript_text(app), "backlog graded"
        )
        assert "Question 2 of 2" in transcript_text(app)
    graded = store.answers()
    assert len(graded) == 1 and graded[0]["score"] is not None


async def test_unusable_database_is_reported_not_a_crash(make_app, tmp_path):
    """A file that is not a mockint database: a dialog says so, the home screen keeps working
    (but will not start an interview), and the file is left alone."""
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    before = bad.read_bytes()
    app = make_app(store=None, db_path=bad)
    async with app.run_test(size=(100, 40)) as pilot:
        # The dialog is pushed before its children are composed: wait for its text too.
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MessageDialog) and app.screen.query("#dialog-text"),
            "dialog",
        )
        assert app.store_status == "failed"
        assert str(bad) in str(app.screen.query_one("#dialog-text").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.press("s")
        await wait_for(
            pilot,
            lambda: any(
                "cannot" in n.message.lower() or "not open" in n.message.lower()
                for n in app._notifications
            ),
            "refusal",
        )
        assert isinstance(app.screen, HomeScreen)
    assert bad.read_bytes() == before


async def test_dont_know_on_a_follow_up_is_an_answer(make_app, tui_grader, store):
    """ctrl+l during a follow-up says "I don't know" to it: stored as the follow-up's answer,
    and the interviewer names the point it was after. On a main question the model answer
    follows at once ("here's what I was looking for")."""
    app = make_app(grader=tui_grader)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen_interview(
            InterviewPlan(
                mode="practice", bank_id="tui-test", question_ids=("overfitting", "dropout")
            )
        )
        await wait_phase(pilot, "answering")
        await answer(pilot, OVERFIT_MAIN)
        screen = await wait_phase(pilot, "follow_up")
        point = screen.turn.question.key_point(screen.turn.main.grade.follow_up_key_point)
        await pilot.press("ctrl+l")
        await wait_phase(pilot, "reviewed")
        reply = " ".join(last_turn(app).split())
        assert "The point I was after" in reply
        assert reply.count(point.text.get("en")) == 1  # named once, not again as "missing"
        await pilot.press("ctrl+n")
        await wait_phase(pilot, "answering")
        await pilot.press("ctrl+l")
        await wait_phase(pilot, "reviewed")
        assert "What I was hoping to hear" in last_turn(app)
    follow_ups = [r for r in store.answers() if r["kind"] == "follow_up"]
    assert [(r["question_id"], r["text"]) for r in follow_ups] == [("overfitting", "I don't know.")]
    assert follow_ups[0]["score"] is not None


TYPED_DONT_KNOW = {
    # language: (size, the words typed, the reply's opening, "coverage still", the model answer)
    "en": (
        (80, 24),
        "I don't know.",
        "That's fine. The point I was after",
        "Question coverage still",
        "What I was hoping to hear",
    ),
    "zh": ((140, 45), "不知道", "没关系", "这道题的覆盖率仍是", "参考答案"),
}


@pytest.mark.parametrize("language", list(TYPED_DONT_KNOW))
async def test_a_typed_i_dont_know_is_answered_as_ctrl_l_is(make_app, tui_grader, language):
    """ "I don't know" typed and sent gets ctrl+l's reply: to a follow-up, the point it was
    after (not "Not quite what I was after" and the misses again), with an unchanged
    coverage said as "still", not "now 35% (was 35%)"; to a question, the model answer its
    note promises "below". Seen in tmux at 80x24 (English) and 140x45 (Chinese)."""
    size, typed, opening, still, model_answer = TYPED_DONT_KNOW[language]
    app = make_app(grader=tui_grader)
    async with app.run_test(size=size) as pilot:
        app.push_screen_interview(
            InterviewPlan(
                mode="practice",
                bank_id="tui-test",
                language=language,
                question_ids=("overfitting", "dropout"),
            )
        )
        await wait_phase(pilot, "answering")
        await answer(pilot, OVERFIT_MAIN)
        screen = await wait_phase(pilot, "follow_up")
        point = screen.turn.question.key_point(screen.turn.main.grade.follow_up_key_point)
        await answer(pilot, typed)
        await wait_phase(pilot, "reviewed")
        reply = " ".join(last_turn(app).split())
        assert opening in reply, reply
        assert reply.count(point.text.get(language)) == 1, reply
        assert still in reply and "(was" not in reply and "之前" not in reply, reply
        await pilot.press("ctrl+n")
        await wait_phase(pilot, "answering")
        await answer(pilot, typed)
        await wait_phase(pilot, "reviewed", "done")
        await wait_for(pilot, lambda: model_answer in last_turn(app), "the model answer")


def footer_words(screen) -> set[str]:
    return {key.description for key in screen.query(FooterKey) if key.display}


async def test_the_last_answer_stays_reachable_when_the_interview_is_over(
    make_app, tui_grader, store
):
    """Once the last question is done, the footer still offers ctrl+t, ctrl+f and ctrl+o, and
    they act on the last answer: its model answer, its feedback detail (the answer and the
    follow-up), and a score of your own, stored on it."""
    app = make_app(grader=tui_grader)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen_interview(
            InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("overfitting",))
        )
        await wait_phase(pilot, "answering")
        await answer(pilot, OVERFIT_MAIN)
        await wait_phase(pilot, "follow_up")
        await answer(pilot, OVERFIT_FOLLOW_UP)
        await wait_phase(pilot, "reviewed")
        await pilot.press("ctrl+n")
        screen = await wait_phase(pilot, "done")
        assert "That's all my questions" in last_turn(app)
        assert {"Feedback", "Model answer", "My score"} <= footer_words(screen)

        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: "What I was hoping to hear" in last_turn(app), "model answer")
        assert "Dropout" not in last_turn(app)  # the last question's, not another's
        assert "overfit" in last_turn(app).lower()

        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback screen")
        feedback = app.screen
        assert feedback.question_id == "overfitting"
        assert [r.text for r in feedback.records] == [OVERFIT_MAIN, OVERFIT_FOLLOW_UP]
        assert len(feedback.query(KeyPointTable)) == 2
        await pilot.press("escape")
        await wait_phase(pilot, "done")

        await give_own_score(pilot, 72)
        screen = await wait_phase(pilot, "done")
        assert not any(n.severity == "error" for n in app._notifications)

        # The override is the last answer's own score now: the feedback detail says so too.
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen), "feedback again")
        assert app.screen.records[0].override == 72
    main = next(r for r in store.answers() if r["kind"] == "main")
    assert main["question_id"] == "overfitting"
    assert main["override_score"] == 72 and main["effective_score"] == 72


async def test_a_skipped_last_question_leaves_nothing_to_review(make_app, tui_grader):
    """Skip the last question and the interview is over with no answer to it: the footer does
    not offer the feedback, model answer and score keys, and they do nothing."""
    app = make_app(grader=tui_grader)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen_interview(
            InterviewPlan(mode="practice", bank_id="tui-test", question_ids=("dropout",))
        )
        await wait_phase(pilot, "answering")
        await pilot.press("ctrl+n")
        screen = await wait_phase(pilot, "done")
        assert not {"Feedback", "Model answer", "My score"} & footer_words(screen)
        await pilot.press("ctrl+t", "ctrl+f", "ctrl+o")
        await pilot.pause()
        assert app.screen is screen
        assert "What I was hoping to hear" not in transcript_text(app)


def footer_actions(screen) -> set[str]:
    return {key.action for key in screen.query(FooterKey) if key.display}


async def test_the_model_answer_key_goes_once_the_model_answer_is_shown(make_app, tui_grader):
    """ctrl+t itself, ctrl+l and a typed "I don't know" each put the model answer in the
    conversation; from then on the footer (in Chinese, as the user saw it) and the command
    palette stop offering ctrl+t, up to the end of the interview. The next question offers it
    again once answered."""
    app = make_app(grader=tui_grader)
    async with app.run_test(size=(140, 45)) as pilot:
        app.push_screen_interview(
            InterviewPlan(
                mode="practice",
                bank_id="tui-test",
                language="zh",
                question_ids=("overfitting", "gradient-descent", "dropout"),
            )
        )
        await wait_phase(pilot, "answering")
        await answer(pilot, OVERFIT_MAIN)
        await wait_phase(pilot, "follow_up")
        await answer(pilot, OVERFIT_FOLLOW_UP)
        screen = await wait_phase(pilot, "reviewed")
        assert {"model_answer", "feedback"} <= footer_actions(screen)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: "参考答案" in last_turn(app), "the model answer")
        await pilot.pause()
        assert "model_answer" not in footer_actions(screen)
        assert "feedback" in footer_actions(screen)
        said = transcript_text(app)
        await pilot.press("ctrl+t")  # the key itself does nothing more either
        await pilot.pause()
        assert transcript_text(app) == said

        await pilot.press("ctrl+n")
        await wait_phase(pilot, "answering")
        await pilot.press("ctrl+l")
        screen = await wait_phase(pilot, "reviewed")
        assert "参考答案" in last_turn(app)
        assert "model_answer" not in footer_actions(screen)
        assert not screen.check_action("model_answer", ())
        palette = [c.title for c in screen.palette_commands()]
        assert screen._say("cmd_model_answer") not in palette and palette

        await pilot.press("ctrl+n")
        await wait_phase(pilot, "answering")
        await answer(pilot, "不知道")
        screen = await wait_phase(pilot, "reviewed")
        await wait_for(pilot, lambda: "参考答案" in last_turn(app), "the model answer")
        assert "model_answer" not in footer_actions(screen)
        await pilot.press("ctrl+n")
        screen = await wait_phase(pilot, "done")
        assert "model_answer" not in footer_actions(screen)
        assert {"feedback", "override"} <= footer_actions(screen)


async def test_no_follow_up_goes_straight_to_the_next_question(make_app, tui_grader, db_path):
    """`mockint interview --no-follow-up` in a terminal: the feedback, then the next question on
    ctrl+n, no follow-up asked (the option was honoured only in --plain)."""
    app = make_app(grader=tui_grader)
    app.follow_ups = False
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen_interview(
            InterviewPlan(
                mode="practice", bank_id="tui-test", question_ids=("overfitting", "dropout")
            )
        )
        await wait_phase(pilot, "answering")
        await answer(pilot, OVERFIT_MAIN)
        screen = await wait_phase(pilot, "reviewed")
        assert screen.turn.follow_up_question  # there was a gap to ask about...
        assert "Follow-up" not in transcript_text(app)  # ...and it was not asked
        await pilot.press("ctrl+n")
        screen = await wait_phase(pilot, "answering")
        assert screen.turn.question.id == "dropout"
