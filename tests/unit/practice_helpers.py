"""Builders shared by the practice tests: a small bank, hand-made grades, a scripted candidate.

Grades are built by hand (chosen key-point statuses) and recorded through the real Store into a
real SQLite file, so the scheduler sees exactly what the interview flow would give it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mockint import practice
from mockint.grading.models import Grade, KeyPointResult
from mockint.rubric import Bank, Library, Question
from mockint.store import open_store

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class Clock:
    """The time the store stamps on what it records; tests move it."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def open_test_store(path):
    """A real Store on a real SQLite file, whose clock the helpers below set."""
    return open_store(path, clock=Clock())


def _question(qid: str, topic: str, difficulty: str, points: list[str], prompt: str = "") -> dict:
    return {
        "id": qid,
        "topic": topic,
        "difficulty": difficulty,
        "prompt": {"en": prompt or f"Explain {qid.replace('-', ' ')}."},
        "model_answer": {"en": f"A model answer about {qid}."},
        "key_points": [
            {"id": kp, "text": {"en": f"The answer says {kp}."}, "follow_up": {"en": f"{kp}?"}}
            for kp in points
        ],
    }


QUESTIONS = [
    _question("q-norm", "training", "medium", ["normalizes", "scale-shift", "running-stats"]),
    _question("q-bias", "fundamentals", "easy", ["underfit", "overfit", "tradeoff"]),
    _question("q-metrics", "evaluation", "medium", ["confusion", "precision", "roc"]),
    _question("q-search", "deployment", "hard", ["embeddings", "ann-index", "scale"]),
    _question("q-lr", "training", "easy", ["step-size", "schedule", "warmup"]),
    _question("q-backprop", "fundamentals", "hard", ["chain-rule", "gradients", "cache"]),
]


def make_bank(bank_id: str = "practice-test", questions: list[dict] | None = None) -> Bank:
    return Bank.model_validate(
        {"id": bank_id, "title": {"en": "Practice test bank"}, "questions": questions or QUESTIONS}
    )


def make_library(*banks: Bank) -> Library:
    return Library(banks=list(banks) or [make_bank()], problems=[])


def make_grade(
    bank_id: str,
    question: Question,
    statuses: dict[str, str] | None = None,
    score: float | None = None,
) -> Grade:
    """A grade with the given key-point statuses (default: all hit); score from the credits."""
    statuses = statuses or {}
    credit = {"hit": 1.0, "partial": 0.5, "miss": 0.0}
    results = []
    for kp in question.key_points:
        status = statuses.get(kp.id, "hit")
        results.append(
            KeyPointResult(
                id=kp.id,
                text=kp.text.get("en"),
                weight=kp.weight,
                status=status,
                similarity={"hit": 0.8, "partial": 0.5, "miss": 0.1}[status],
                credit=credit[status],
                evidence=None if status == "miss" else "my words",
                follow_up=kp.follow_up.get("en"),
            )
        )
    coverage = 100 * sum(r.credit * r.weight for r in results) / question.total_weight
    missed = [r for r in results if r.status == "miss"]
    return Grade(
        question_id=question.id,
        bank_id=bank_id,
        score=coverage if score is None else score,
        verdict="good",
        language="en",
        model="hand-made",
        key_points=results,
        misconceptions=[],
        follow_up=missed[0].follow_up if missed else None,
        follow_up_key_point=missed[0].id if missed else None,
        feedback="",
        model_answer=question.model_answer.get("en"),
        coverage=coverage,
        penalty=0.0,
    )


def answer(
    store,
    session_id: int,
    bank_id: str,
    question: Question,
    now: datetime,
    statuses: dict[str, str] | None = None,
    score: float | None = None,
    update: bool = True,
) -> int:
    """Ask, answer with a hand-made grade, record it at ``now``, and (as the interview does)
    reschedule."""
    store.clock.now = now
    asked_id = store.ask(session_id, bank_id, question)
    grade = make_grade(bank_id, question, statuses, score)
    answer_id = store.record_answer(asked_id, "an answer", grade)
    if update:
        practice.update_after_grade(store, bank_id, question, answer_id, now=now)
    return answer_id
