"""Fixed data for the snapshot tests: hand-made grades (so an image does not change when the
grader is recalibrated) and a small history recorded through the real store."""

from __future__ import annotations

from datetime import datetime, timedelta

import handmade

from mockint.grading.models import Grade
from mockint.rubric import Library, Question
from mockint.store import Store

OVERFIT_ANSWER = (
    "Overfitting is when the model memorizes noise in the training data, so it does badly on "
    "new data. Training for more epochs fixes overfitting."
)
OVERFIT_FOLLOW_UP = (
    "I would watch the validation loss: when it goes up while the training loss keeps going "
    "down, the model is overfitting."
)
DROPOUT_ANSWER = (
    "Dropout randomly sets some activations to zero during training so neurons cannot rely on "
    "each other. At inference time nothing is dropped."
)

DROPOUT_ANSWER_ZH = "训练时 dropout 随机把一部分激活值置零，让神经元不能相互依赖。推理时不再丢弃。"


def make_grade(
    question: Question,
    answer: str,
    statuses: dict[str, tuple[str, str | None, float]],
    misconceptions: dict[str, str] | None = None,
    bank_id: str = "tui-test",
    language: str = "en",
) -> Grade:
    """A grade with the given (status, evidence, similarity) per key point (a miss at 0.2 for
    the others), the evidence located in ``answer``, scored like the real grader's."""
    given = {kp.id: statuses.get(kp.id, ("miss", None, 0.2)) for kp in question.key_points}
    return handmade.make_grade(
        question,
        {kp_id: status for kp_id, (status, _, _) in given.items()},
        bank_id=bank_id,
        language=language,
        evidence={kp_id: quote for kp_id, (_, quote, _) in given.items() if quote},
        answer=answer,
        similarity={kp_id: similarity for kp_id, (_, _, similarity) in given.items()},
        misconceptions=misconceptions or {},
        model="fixed-test-grades",
        feedback="",
    )


def fixed_grades(library: Library) -> dict[str, Grade]:
    """Grades by answer text for the answers the snapshot tests give."""
    _, overfitting = library.find_question("overfitting")
    _, dropout = library.find_question("dropout")
    return {
        OVERFIT_ANSWER: make_grade(
            overfitting,
            OVERFIT_ANSWER,
            {
                "definition": (
                    "hit",
                    "Overfitting is when the model memorizes noise in the training data, so it "
                    "does badly on new data.",
                    0.81,
                ),
            },
            {"more-epochs": "Training for more epochs fixes overfitting."},
        ),
        OVERFIT_FOLLOW_UP: make_grade(
            overfitting,
            OVERFIT_FOLLOW_UP,
            {
                "detection": (
                    "hit",
                    "I would watch the validation loss: when it goes up while the training loss "
                    "keeps going down, the model is overfitting.",
                    0.86,
                )
            },
        ),
        DROPOUT_ANSWER: make_grade(
            dropout,
            DROPOUT_ANSWER,
            {
                "random-zero": (
                    "hit",
                    "Dropout randomly sets some activations to zero during training so neurons "
                    "cannot rely on each other.",
                    0.84,
                ),
                "why": ("partial", "so neurons cannot rely on each other", 0.55),
                "inference": ("partial", "At inference time nothing is dropped.", 0.58),
            },
        ),
        DROPOUT_ANSWER_ZH: make_grade(
            dropout,
            DROPOUT_ANSWER_ZH,
            {
                "random-zero": ("hit", "训练时 dropout 随机把一部分激活值置零，", 0.83),
                "why": ("partial", "让神经元不能相互依赖。", 0.61),
            },
            language="zh",
        ),
    }


class FixedGrader:
    """Stands in for the grader in snapshot tests: returns the prepared grade for a text
    (and an empty-answer grade for anything else)."""

    model_name = "fixed-test-grades"

    def __init__(self, library: Library | None):
        self.grades = fixed_grades(library) if library is not None else {}

    def grade(self, question: Question, answer: str, **_: object) -> Grade:
        if answer in self.grades:
            return self.grades[answer]
        return make_grade(question, answer, {})

    def warm(self, questions) -> None:
        pass


def record_history(store: Store, library: Library, start: datetime) -> None:
    """Three finished sessions on three days (the store's stepping clock, moved to each day,
    fixes every timestamp)."""
    grades = fixed_grades(library)
    sessions = [
        ("practice", [("overfitting", OVERFIT_ANSWER, 60.0), ("dropout", DROPOUT_ANSWER, None)]),
        ("mock", [("dropout", DROPOUT_ANSWER, None), ("gradient-descent", "", None)]),
        ("mock", [("overfitting", OVERFIT_ANSWER, None), ("dropout", DROPOUT_ANSWER, 90.0)]),
    ]
    for day, (mode, answers) in enumerate(sessions):
        store.clock.now = start + timedelta(days=day)
        session_id = store.start_session(mode=mode, bank_id="tui-test", client="tui")
        for question_id, text, override in answers:
            bank, question = library.find_question(question_id)
            asked_id = store.ask(session_id, bank.id, question)
            if not text:
                store.record_skip(asked_id, duration_s=12)
                continue
            answer_id = store.record_answer(
                asked_id, text, grades[text], duration_s=95.0, hints_used=0
            )
            if override is not None:
                store.set_override(answer_id, override)
            if question_id == "overfitting":
                store.record_answer(
                    asked_id,
                    OVERFIT_FOLLOW_UP,
                    grades[OVERFIT_FOLLOW_UP],
                    kind="follow_up",
                    duration_s=40.0,
                )
        store.end_session(session_id)
