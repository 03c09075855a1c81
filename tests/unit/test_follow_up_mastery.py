"""A key point the candidate covered when the interviewer followed up on it counts for the
attempt, on the progress screen and in the reports alike (issue 14, item 5): the interview
says "that's the point I was after", so the mastery figures must not keep it at 0%.

Real grader, built-in bank, real SQLite file: the main answer misses every point, the
follow-up asks about the one the grader picked, and the answer to it covers it (or does not).
"""

from __future__ import annotations

import json

import pytest

from mockint.export import build_report, render
from mockint.progress import progress
from mockint.store import open_store

MAIN = "It makes training faster, I think."
DONT_KNOW = "Sorry, I do not know."


@pytest.fixture
def interview(tmp_path, grader, library):
    """Record a main answer that misses everything and a follow-up answer to the point the
    grader asks about: the point's own wording (``covers``), or "I do not know". A function
    returning (store, question, the point asked about, the two grades)."""
    bank, question = library.find_question("batch-norm")
    store = open_store(tmp_path / "history.db")

    def run(covers: bool):
        session = store.start_session(mode="mock", bank_id=bank.id, language="en")
        asked = store.ask(session, bank.id, question)
        main = grader.grade(question, MAIN, bank_id=bank.id)
        store.record_answer(asked, MAIN, main)
        point = main.follow_up_key_point
        assert point is not None and all(kp.credit == 0.0 for kp in main.key_points)
        follow_up_text = question.key_point(point).text.get("en") if covers else DONT_KNOW
        follow = grader.grade(question, follow_up_text, bank_id=bank.id, focus=point)
        store.record_answer(asked, follow_up_text, follow, kind="follow_up")
        store.end_session(session)
        return store, question, point, main, follow

    yield run
    store.close()


def _progress_rates(store, library, question_id):
    """Each weak key point's rate as the progress screen lists them (all of them)."""
    figures = progress(store, library, weakest_limit=None)
    return {p.key_point_id: p.rate for p in figures.weakest if p.question_id == question_id}


def _report_rates(store, library, question_id):
    """Each key point's mastery in the JSON report."""
    data = json.loads(render(build_report(store, library), "json"))
    row = next(r for r in data["mastery"] if r["question_id"] == question_id)
    return {cell["key_point_id"]: cell["rate"] for cell in row["cells"]}, data["weakest"]


def test_a_point_covered_in_the_follow_up_counts_for_the_attempt(interview, library):
    store, question, point, _main, follow = interview(covers=True)
    credit = {kp.id: kp.credit for kp in follow.key_points}[point]
    assert credit == 1.0  # the grader agrees the follow-up covered it

    rates, weakest = _report_rates(store, library, question.id)
    assert rates[point] == credit
    assert all(rates[kp.id] == 0.0 for kp in question.key_points if kp.id != point)
    assert point not in {w["key_point_id"] for w in weakest}

    on_screen = _progress_rates(store, library, question.id)
    assert point not in on_screen  # mastered: not among the weak points
    others = {kp.id for kp in question.key_points if kp.id != point}
    assert set(on_screen) == others and set(on_screen.values()) == {0.0}


def test_a_failed_follow_up_leaves_the_main_answers_credit(interview, library):
    store, question, point, main, follow = interview(covers=False)
    assert {kp.id: kp.credit for kp in follow.key_points}[point] == 0.0

    rates, weakest = _report_rates(store, library, question.id)
    assert rates == {kp.id: 0.0 for kp in main.key_points}
    assert point in {w["key_point_id"] for w in weakest}

    on_screen = _progress_rates(store, library, question.id)
    assert on_screen == {kp.id: 0.0 for kp in question.key_points}
