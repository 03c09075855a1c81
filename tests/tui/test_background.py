"""Work the app does behind the candidate's back: rubric texts embedded ahead of the answers,
for the whole bank (grading compares an answer with every other question of its bank), and
never in the way of an answer being graded."""

from __future__ import annotations

import threading

from snapshot_data import FixedGrader
from tui_helpers import wait_for


class RecordingGrader(FixedGrader):
    """Hand-made grades; remembers which questions it was asked to warm, in order."""

    def __init__(self, library):
        super().__init__(library)
        self.warmed: list[str] = []
        self.lock = threading.Lock()

    def warm(self, questions) -> None:
        with self.lock:
            self.warmed += [q.id for q in questions]


async def test_the_planned_questions_are_warmed_first_then_the_rest_of_the_bank(
    make_app, tui_library
):
    grader = RecordingGrader(tui_library)
    app = make_app(grader=grader)
    bank = tui_library.bank("tui-test")
    async with app.run_test(size=(80, 24)) as pilot:
        _, dropout = tui_library.find_question("dropout")
        app.warm_in_background([dropout])
        await wait_for(pilot, lambda: len(grader.warmed) == len(bank.questions), "warming")
    assert grader.warmed[0] == "dropout"
    assert sorted(grader.warmed) == sorted(q.id for q in bank.questions)


async def test_warming_waits_while_an_answer_is_graded(make_app, tui_library):
    grader = RecordingGrader(tui_library)
    app = make_app(grader=grader)
    async with app.run_test(size=(80, 24)) as pilot:
        questions = [q for _, q in tui_library.questions()]
        with app.grading():
            app.warm_in_background(questions)
            await pilot.pause(1.0)
            assert grader.warmed == []
        await wait_for(pilot, lambda: len(grader.warmed) == len(questions), "warming")
