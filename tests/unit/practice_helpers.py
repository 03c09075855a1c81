"""The practice tests' bank and scripted candidate: hand-made grades (tests/handmade.py)
recorded through the real Store into a real SQLite file, so the scheduler sees exactly what the
interview flow would give it."""

from __future__ import annotations

from datetime import datetime

from handmade import START, Clock, make_bank, make_grade, question

from mockint import practice
from mockint.rubric import Bank, Question
from mockint.store import open_store

__all__ = ["QUESTIONS", "START", "answer", "open_test_store", "practice_bank"]

QUESTIONS = [
    question("q-norm", "training", ["normalizes", "scale-shift", "running-stats"]),
    question("q-bias", "fundamentals", ["underfit", "overfit", "tradeoff"], difficulty="easy"),
    question("q-metrics", "evaluation", ["confusion", "precision", "roc"]),
    question("q-search", "deployment", ["embeddings", "ann-index", "scale"], difficulty="hard"),
    question("q-lr", "training", ["step-size", "schedule", "warmup"], difficulty="easy"),
    question("q-backprop", "fundamentals", ["chain-rule", "gradients", "cache"], difficulty="hard"),
]


def practice_bank(bank_id: str = "practice-test", questions: list[dict] | None = None) -> Bank:
    """The practice tests' six-question bank (or ``questions`` under its name)."""
    return make_bank(bank_id, QUESTIONS if questions is None else questions)


def open_test_store(path):
    """A real Store on a real SQLite file, whose clock :func:`answer` sets."""
    return open_store(path, clock=Clock())


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
    grade = make_grade(question, statuses, bank_id=bank_id, score=score)
    answer_id = store.record_answer(asked_id, "an answer", grade)
    if update:
        practice.update_after_grade(store, bank_id, question, answer_id, now=now)
    return answer_id
