"""Builders for the store and progress tests: a small bank, hand-made grades, a movable clock.

Grades are built by hand (chosen key-point statuses), so these tests need no model and say
exactly what was graded; they are recorded through the real Store into real SQLite files.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mockint.grading.models import Grade, KeyPointResult, MisconceptionResult
from mockint.rubric import Bank, Library, Question

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _question(qid: str, topic: str, points: list[str], misconceptions=()) -> dict:
    return {
        "id": qid,
        "topic": topic,
        "prompt": {"en": f"Explain {qid}."},
        "model_answer": {"en": f"The model answer about {qid}."},
        "key_points": [
            {
                "id": kp,
                "text": {"en": f"The answer says {kp}."},
                "weight": 2.0 if i == 0 else 1.0,
                "follow_up": {"en": f"What about {kp}?"},
            }
            for i, kp in enumerate(points)
        ],
        "misconceptions": [
            {"id": mc, "text": {"en": f"Wrong: {mc}."}, "correction": {"en": f"Right: {mc}."}}
            for mc in misconceptions
        ],
    }


def make_bank(bank_id: str = "history-test") -> Bank:
    return Bank.model_validate(
        {
            "id": bank_id,
            "title": {"en": "History test bank"},
            "questions": [
                _question(
                    "q-norm",
                    "training",
                    ["normalizes", "scale-shift", "running-stats"],
                    ["normalizes-weights"],
                ),
                _question("q-lr", "training", ["step-size", "schedule"]),
                _question("q-metrics", "evaluation", ["precision", "recall", "roc"]),
            ],
        }
    )


def make_library(*banks: Bank) -> Library:
    return Library(banks=list(banks) or [make_bank()], problems=[])


def make_grade(
    question: Question,
    statuses: dict[str, str] | None = None,
    *,
    bank_id: str = "history-test",
    score: float | None = None,
    misconceptions: tuple[str, ...] = (),
) -> Grade:
    """A grade with the given key-point statuses (default: all hit); score from the credits."""
    statuses = statuses or {}
    credit = {"hit": 1.0, "partial": 0.5, "miss": 0.0}
    results = [
        KeyPointResult(
            id=kp.id,
            text=kp.text.get("en"),
            weight=kp.weight,
            status=statuses.get(kp.id, "hit"),
            similarity={"hit": 0.8, "partial": 0.5, "miss": 0.1}[statuses.get(kp.id, "hit")],
            credit=credit[statuses.get(kp.id, "hit")],
            evidence=None if statuses.get(kp.id, "hit") == "miss" else f"I said {kp.id}",
            evidence_span=None if statuses.get(kp.id, "hit") == "miss" else (0, 8),
            follow_up=kp.follow_up.get("en"),
        )
        for kp in question.key_points
    ]
    coverage = 100 * sum(r.credit * r.weight for r in results) / question.total_weight
    wrong = [
        MisconceptionResult(
            id=mc, text=f"Wrong: {mc}.", evidence=f"I think {mc}", correction="No.", penalty=15.0
        )
        for mc in misconceptions
    ]
    missed = [r for r in results if r.status == "miss"]
    return Grade(
        question_id=question.id,
        bank_id=bank_id,
        score=round(coverage, 1) if score is None else score,
        verdict="good",
        language="en",
        model="hand-made",
        key_points=results,
        misconceptions=wrong,
        follow_up=missed[0].follow_up if missed else None,
        follow_up_key_point=missed[0].id if missed else None,
        feedback="Hand-made feedback.",
        model_answer=question.model_answer.get("en"),
        coverage=round(coverage, 1),
        penalty=15.0 * len(wrong),
    )


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now
