"""The UI-free interview flow with the real grader, the built-in bank and a real SQLite store."""

from __future__ import annotations

import re

import pytest

from mockint.errors import UserError
from mockint.interview import Interview, InterviewError, choose_questions
from mockint.store import open_store

PARTIAL_BN = (
    "Batch normalization normalizes the activations of each layer using the mean and variance "
    "of the mini-batch, so they have zero mean and unit variance."
)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "history.db") as store:
        yield store


def _start(store, library, grader, ids, language="en"):
    questions = [library.find_question(qid) for qid in ids]
    return Interview.start(
        store, library, grader, questions, mode="custom", language=language, client="test"
    )


def test_answer_hint_follow_up_and_override_are_graded_and_stored(store, library, grader):
    interview = _start(store, library, grader, ["batch-norm", "learning-rate"])
    turn = interview.next_question()
    assert (turn.number, turn.total, turn.topic) == (1, 2, "training")
    assert interview.state == "answering"

    hint = interview.hint()
    # Before any answer, the hint is about the weightiest key point.
    assert hint.key_point_id == "normalizes-activations"
    # One of the point's terms, or the word of the point it begins ("activation": "activations").
    terms = turn.question.key_point(hint.key_point_id).terms
    assert any(hint.term.lower().startswith(t.lower()) for t in terms)

    main = interview.submit(PARTIAL_BN)
    assert main.kind == "main" and 0 < main.grade.score < 80
    assert main.coverage.statuses["normalizes-activations"] == "hit"
    assert interview.state == "follow_up" and main.follow_up
    point = turn.question.key_point(main.grade.follow_up_key_point)

    # Answering the follow-up with the very point it asks about covers it.
    follow = interview.submit_follow_up(point.text.get("en"))
    assert follow.kind == "follow_up"
    assert point.id in follow.newly_covered
    assert follow.coverage.statuses[point.id] != "miss"
    assert follow.coverage.coverage > main.coverage.coverage
    assert interview.state == "ready"

    interview.override(75)

    rows = store.session_answers(interview.session_id)
    assert [(r["kind"], r["question_id"]) for r in rows] == [
        ("main", "batch-norm"),
        ("follow_up", "batch-norm"),
    ]
    assert rows[0]["text"] == PARTIAL_BN and rows[0]["hints_used"] == 1
    assert rows[0]["score"] == main.grade.score and rows[0]["override_score"] == 75
    assert rows[1]["asked_id"] == rows[0]["asked_id"]
    assert {kp["key_point_id"] for kp in rows[0]["key_points"]} == {
        kp.id for kp in turn.question.key_points
    }
    # The practice schedule heard about the graded answer.
    assert store.db["review_state"].count > 0

    interview.next_question()
    interview.skip()
    assert interview.next_question() is None
    session = store.session(interview.session_id)
    assert session["ended_at"] is not None
    assert (session["n_answers"], session["n_skipped"], session["mean_score"]) == (1, 1, 75)


def test_i_dont_know_is_a_graded_zero_without_a_follow_up(store, library, grader):
    interview = _start(store, library, grader, ["bias-variance"])
    interview.next_question()
    feedback = interview.dont_know()
    assert feedback.grade.score < 15
    assert interview.state == "ready"
    [row] = store.session_answers(interview.session_id)
    assert row["text"] == "I don't know." and row["score"] is not None


def test_a_killed_session_resumes_with_the_questions_left(store, library, grader):
    ids = ["learning-rate", "epoch-batch-iteration", "bias-variance"]
    first = _start(store, library, grader, ids)
    first.next_question()
    first.submit("A learning rate that is too high makes the loss diverge or oscillate.")
    asked = first.next_question()  # asked, then the process died before the answer
    del first

    resumed = Interview.resume(store, library, grader)
    assert [q.id for _, q in resumed.plan] == ids[1:]
    turn = resumed.next_question()
    assert turn.question.id == "epoch-batch-iteration"
    assert (turn.number, turn.total) == (2, 3)
    assert turn.asked_id == asked.asked_id  # the same asking, not a duplicate row
    resumed.skip()
    resumed.next_question()
    resumed.submit("High bias underfits; high variance overfits the training data.")
    assert resumed.next_question() is None
    assert store.unfinished_sessions() == []
    rows = store.session_answers(resumed.session_id)
    assert [r["question_id"] for r in rows] == ids


def test_hints_follow_the_interview_language(store, library, grader):
    interview = _start(store, library, grader, ["batch-norm"], language="zh")
    turn = interview.next_question()
    assert turn.prompt == turn.question.prompt.zh
    hint = interview.hint()
    assert re.search(r"[\u3400-\u9fff]", hint.term)
    second = interview.hint()
    assert second.key_point_id != hint.key_point_id


def test_actions_out_of_turn_are_refused(store, library, grader):
    interview = _start(store, library, grader, ["learning-rate"])
    with pytest.raises(InterviewError):
        interview.submit("too early")
    interview.next_question()
    with pytest.raises(InterviewError):
        interview.submit_follow_up("no follow-up was asked")
    with pytest.raises(InterviewError):
        interview.next_question()  # the current question is not answered yet


def test_choosing_questions(library, store):
    bank = library.bank("deep-learning")
    ids = [q.id for q in bank.questions]
    every = choose_questions(library, "all", bank_id=bank.id)
    assert [q.id for _, q in every] == ids
    assert [q.id for _, q in choose_questions(library, "all", 3, bank_id=bank.id)] == ids[:3]
    chosen = choose_questions(library, "mock", question_ids=["face-search", "batch-norm"])
    assert [q.id for _, q in chosen] == ["face-search", "batch-norm"]
    mock = choose_questions(library, "mock", 4, bank_id=bank.id, store=store)
    assert len(mock) == 4 and len({q.topic for _, q in mock}) >= 3  # topics are mixed
    assert {b.id for b, _ in mock} == {bank.id}
    fresh = choose_questions(library, "new", 50, bank_id=bank.id, store=store)
    assert [q.id for _, q in fresh] == ids
    with pytest.raises(UserError, match="unknown question id 'nope'"):
        choose_questions(library, "mock", question_ids=["nope"])
    with pytest.raises(UserError, match="unknown bank"):
        choose_questions(library, "mock", bank_id="no-such-bank")


def test_a_hint_never_reveals_what_the_question_already_says(store, library):
    """ "fold" is in "What is k-fold cross-validation…": the hint is another term ("k-1"), and
    no hint of any built-in question, in either language, is a word of the question."""
    interview = _start(store, library, None, ["cross-validation"])
    interview.next_question()
    hint = interview.hint()
    assert hint.key_point_id == "k-folds-rotation"
    assert hint.term == "k-1"
    for language in ("en", "zh"):
        for bank in library.banks:
            for question in bank.questions:
                interview = _start(store, library, None, [question.id], language=language)
                interview.next_question()
                prompt = " ".join(question.prompt.all_texts()).lower()
                while (hint := interview.hint()) is not None:
                    assert hint.term.lower() not in prompt, (question.id, hint)


def test_a_hint_is_a_word_not_a_matching_stem(store, library):
    """Rubric terms are often stems kept for matching ("oversampl", "采" of 采样): a hint shows
    the word of the key point the stem begins ("oversample"), and a longer Chinese term comes
    before a lone character; no hint of any built-in question is a cut-off word."""
    interview = _start(store, library, None, ["imbalanced-data"])
    interview.next_question()
    assert interview.hint().term == "oversample"
    interview = _start(store, library, None, ["imbalanced-data"], language="zh")
    interview.next_question()
    assert interview.hint().term == "复制"
    for bank in library.banks:
        for question in bank.questions:
            interview = _start(store, library, None, [question.id])
            interview.next_question()
            while (hint := interview.hint()) is not None:
                wording = " ".join(question.key_point(hint.key_point_id).text.all_texts())
                if hint.term.lower() in wording.lower():
                    whole = rf"(?<![A-Za-z]){re.escape(hint.term)}(?![A-Za-z])"
                    assert re.search(whole, wording, re.IGNORECASE), (question.id, hint.term)
