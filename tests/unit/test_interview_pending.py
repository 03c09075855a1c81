"""Answers stored before they can be graded (the app's model may still be loading): recorded at
once, graded later in place, or graded when the session is resumed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mockint.interview import Interview
from mockint.rubric import load_library
from mockint.store import StoreError, open_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tui"))
from snapshot_data import DROPOUT_ANSWER, OVERFIT_ANSWER, FixedGrader  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tui" / "fixtures"


@pytest.fixture
def setup(tmp_path):
    library = load_library([FIXTURES])
    store = open_store(tmp_path / "history.db")
    yield library, store, FixedGrader(library)
    store.close()


def test_recorded_answer_is_stored_ungraded_then_graded_in_place(setup):
    library, store, grader = setup
    interview = Interview.start(store, library, None, [library.find_question("dropout")])
    interview.next_question()
    answer_id = interview.record(DROPOUT_ANSWER, duration_s=12.0)
    rows = store.answers()
    assert [(r["answer_id"], r["text"], r["score"]) for r in rows] == [
        (answer_id, DROPOUT_ANSWER, None)
    ]
    interview.grader = grader
    feedback = interview.submit(DROPOUT_ANSWER, answer_id=answer_id)
    assert feedback.answer_id == answer_id
    rows = store.answers()
    assert len(rows) == 1 and rows[0]["score"] == feedback.grade.score
    assert rows[0]["duration_s"] == 12.0
    with pytest.raises(StoreError, match="already graded"):
        store.add_grade(answer_id, feedback.grade)


def test_resume_grades_what_an_earlier_run_could_not(setup):
    library, store, grader = setup
    questions = [library.find_question("overfitting"), library.find_question("dropout")]
    first = Interview.start(store, library, None, questions)
    first.next_question()
    first.record(OVERFIT_ANSWER)  # then the app was closed before the model loaded

    resumed = Interview.resume(store, library, grader, first.session_id)
    assert [r["text"] for r in resumed.ungraded()] == [OVERFIT_ANSWER]
    graded = resumed.grade_ungraded()
    assert [(row["question_id"], grade.question_id) for row, grade in graded] == [
        ("overfitting", "overfitting")
    ]
    assert resumed.ungraded() == []
    assert resumed.next_question().question.id == "dropout"
    assert store.answers()[0]["score"] is not None
