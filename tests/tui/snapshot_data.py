"""Fixed data for the snapshot tests: hand-made grades (so an image does not change when the
grader is recalibrated) and a small history recorded through the real store."""

from __future__ import annotations

from datetime import datetime, timedelta

from mockint.grading.models import Grade, KeyPointResult, MisconceptionResult
from mockint.rubric import Library, Question
from mockint.store import Store

CREDIT = {"hit": 1.0, "partial": 0.5, "miss": 0.0}

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
    """A grade with the given (status, evidence, similarity) per key point; the score follows
    the rubric's weights, minus misconception penalties, like the real grader's."""
    results = []
    for kp in question.key_points:
        status, evidence, similarity = statuses.get(kp.id, ("miss", None, 0.2))
        span = None
        if evidence is not None:
            start = answer.index(evidence)
            span = (start, start + len(evidence))
        results.append(
            KeyPointResult(
                id=kp.id,
                text=kp.text.get(language),
                weight=kp.weight,
                status=status,
                similarity=similarity,
                credit=CREDIT[status],
                evidence=evidence,
                evidence_span=span,
                follow_up=kp.follow_up.get(language),
            )
        )
    mistakes = []
    for mc in question.misconceptions:
        if misconceptions and mc.id in misconceptions:
            mistakes.append(
                MisconceptionResult(
                    id=mc.id,
                    text=mc.text.get(language),
                    evidence=misconceptions[mc.id],
                    correction=mc.correction.get(language),
                    penalty=mc.penalty,
                )
            )
    coverage = 100 * sum(r.weight * r.credit for r in results) / question.total_weight
    penalty = min(coverage, sum(m.penalty for m in mistakes))
    score = round(coverage - penalty, 1)
    missed = sorted((r for r in results if r.status == "miss"), key=lambda r: -r.weight)
    verdict = next(
        (
            w
            for t, w in [(85, "excellent"), (65, "good"), (40, "partial"), (15, "weak")]
            if score >= t
        ),
        "poor",
    )
    return Grade(
        question_id=question.id,
        bank_id=bank_id,
        score=score,
        verdict=verdict,
        language=language,
        model="fixed-test-grades",
        key_points=results,
        misconceptions=mistakes,
        follow_up=missed[0].follow_up if missed else None,
        follow_up_key_point=missed[0].id if missed else None,
        feedback="",
        model_answer=question.model_answer.get(language),
        coverage=round(coverage, 1),
        penalty=round(penalty, 1),
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
