"""Hand-made test data shared by the tests and the benchmarks: small banks, grades with chosen
key-point statuses, a clock the test moves, and the bank files in ``tests/fixtures``.

A hand-made grade says exactly what was graded and needs no model; it is recorded through the
real Store into a real SQLite file, like the grader's. It is built the way the grader builds
one: credit per key point, weighted coverage, misconception penalties, a score rounded to one
decimal and the follow-up on the heaviest missed point.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mockint.grading.models import Grade, KeyPointResult, MisconceptionResult
from mockint.rubric import Bank, Library, Question

FIXTURES = Path(__file__).parent / "fixtures"
"""Bank files the tests load from disk (written as a user would write them)."""
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

CREDIT = {"hit": 1.0, "partial": 0.5, "miss": 0.0}
SIMILARITY = {"hit": 0.8, "partial": 0.5, "miss": 0.1}
# Lower bounds of the grader's verdict bands (mockint/grading/feedback.py).
VERDICTS = [(85, "excellent"), (65, "good"), (40, "partial"), (15, "weak")]


class Clock:
    """The time the store stamps on what it records; the test moves it."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def question(
    qid: str,
    topic: str,
    points: Sequence[str],
    *,
    difficulty: str = "medium",
    weights: Mapping[str, float] | None = None,
    misconceptions: Sequence[str] = (),
) -> dict:
    """A question as a rubric file has it, its texts made from its ids: key point ``kp`` is
    "The answer says kp.", and misconception ``mc`` is "Wrong: mc." corrected by "Right: mc."."""
    return {
        "id": qid,
        "topic": topic,
        "difficulty": difficulty,
        "prompt": {"en": f"Explain {qid}."},
        "model_answer": {"en": f"The model answer about {qid}."},
        "key_points": [
            {
                "id": kp,
                "text": {"en": f"The answer says {kp}."},
                "weight": (weights or {}).get(kp, 1.0),
                "follow_up": {"en": f"What about {kp}?"},
            }
            for kp in points
        ],
        "misconceptions": [
            {"id": mc, "text": {"en": f"Wrong: {mc}."}, "correction": {"en": f"Right: {mc}."}}
            for mc in misconceptions
        ],
    }


def make_bank(
    bank_id: str = "history-test", questions: Sequence[dict] | None = None, title: str = ""
) -> Bank:
    """A bank of ``questions`` (default: the store and progress tests' three questions, each
    with a first key point of weight 2, one with a misconception)."""
    if questions is None:
        questions = [
            question(
                "q-norm",
                "training",
                ["normalizes", "scale-shift", "running-stats"],
                weights={"normalizes": 2.0},
                misconceptions=["normalizes-weights"],
            ),
            question("q-lr", "training", ["step-size", "schedule"], weights={"step-size": 2.0}),
            question(
                "q-metrics",
                "evaluation",
                ["precision", "recall", "roc"],
                weights={"precision": 2.0},
            ),
        ]
    return Bank.model_validate(
        {"id": bank_id, "title": {"en": title or f"{bank_id} bank"}, "questions": list(questions)}
    )


def make_library(*banks: Bank) -> Library:
    """A library of ``banks`` (default: :func:`make_bank`), with no loading problems."""
    return Library(banks=list(banks) or [make_bank()], problems=[])


def make_grade(
    question: Question,
    statuses: Mapping[str, str] | None = None,
    *,
    bank_id: str = "history-test",
    language: str = "en",
    default: str = "hit",
    evidence: Mapping[str, str] | None = None,
    answer: str | None = None,
    similarity: Mapping[str, float] | None = None,
    credit: Mapping[str, float] | None = None,
    misconceptions: Mapping[str, str] | Sequence[str] = (),
    score: float | None = None,
    verdict: str | None = None,
    model: str = "hand-made",
    feedback: str = "Hand-made feedback.",
) -> Grade:
    """A grade of ``question`` with ``statuses`` by key point id (``default`` for the others).

    Each covered point quotes ``evidence[kp]`` (default "I said kp"), located in ``answer``
    when given; ``similarity`` and ``credit`` override the status's usual figures per point.
    ``misconceptions`` are rubric misconception ids, with the candidate's words for each when
    a mapping ("I think mc" otherwise). ``score`` and ``verdict`` default to what the grader
    would give.
    """
    statuses = statuses or {}
    results = []
    for kp in question.key_points:
        status = statuses.get(kp.id, default)
        quote = None if status == "miss" else (evidence or {}).get(kp.id, f"I said {kp.id}")
        span = None
        if quote is not None and answer is not None:
            start = answer.index(quote)
            span = (start, start + len(quote))
        results.append(
            KeyPointResult(
                id=kp.id,
                text=kp.text.get(language),
                weight=kp.weight,
                status=status,
                similarity=(similarity or {}).get(kp.id, SIMILARITY[status]),
                credit=(credit or {}).get(kp.id, CREDIT[status]),
                evidence=quote,
                evidence_span=span,
                follow_up=kp.follow_up.get(language),
            )
        )
    said = misconceptions if isinstance(misconceptions, Mapping) else {}
    unknown = set(misconceptions) - {mc.id for mc in question.misconceptions}
    if unknown:
        raise KeyError(f"{question.id} has no misconception {sorted(unknown)}")
    wrong = [
        MisconceptionResult(
            id=mc.id,
            text=mc.text.get(language),
            evidence=said.get(mc.id, f"I think {mc.id}"),
            correction=mc.correction.get(language),
            penalty=mc.penalty,
        )
        for mc in question.misconceptions
        if mc.id in misconceptions
    ]
    coverage = 100 * sum(r.credit * r.weight for r in results) / question.total_weight
    penalty = min(coverage, sum(m.penalty for m in wrong))
    if score is None:
        score = round(coverage - penalty, 1)
    missed = sorted((r for r in results if r.status == "miss"), key=lambda r: -r.weight)
    return Grade(
        question_id=question.id,
        bank_id=bank_id,
        score=score,
        verdict=verdict or next((word for low, word in VERDICTS if score >= low), "poor"),
        language=language,
        model=model,
        key_points=results,
        misconceptions=wrong,
        follow_up=missed[0].follow_up if missed else None,
        follow_up_key_point=missed[0].id if missed else None,
        feedback=feedback,
        model_answer=question.model_answer.get(language),
        coverage=round(coverage, 1),
        penalty=round(penalty, 1),
    )


def _toml_value(value) -> str:
    # JSON strings, numbers and arrays are valid TOML; objects become inline tables.
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[\n  " + ",\n  ".join(_toml_value(v) for v in value) + ",\n]"
    return json.dumps(value, ensure_ascii=False)


def write_bank_toml(path: Path, bank: Mapping) -> Path:
    """``bank`` (a rubric file's fields) as a TOML bank file, for commands that load banks
    from disk (``--rubrics``)."""
    path.write_text(
        "\n".join(f"{key} = {_toml_value(value)}" for key, value in bank.items()) + "\n",
        encoding="utf-8",
    )
    return path


def contradiction(question: Question, key_point_id: str, clause: str) -> MisconceptionResult:
    """A key point stated the wrong way round, as the grader reports one (``contradicts:<key
    point id>``): the candidate's clause, said in the sentence "I think <clause>."."""
    return MisconceptionResult(
        id=f"contradicts:{key_point_id}",
        text=clause,
        evidence=f"I think {clause}.",
        correction=question.key_point(key_point_id).text.get("en"),
        penalty=10,
    )


def slipping_grade(question: Question, bank_id: str, barely: str, wrong: str, clause: str) -> Grade:
    """A grade covering every key point but two: ``barely`` touched on with a sliver of credit
    (no quote, as the grader gives it) and ``wrong`` missed and contradicted by ``clause``."""
    grade = make_grade(
        question, {barely: "partial", wrong: "miss"}, bank_id=bank_id, credit={barely: 0.1}
    )
    grade.key_points = [
        kp.model_copy(update={"evidence": None, "evidence_span": None}) if kp.id == barely else kp
        for kp in grade.key_points
    ]
    grade.misconceptions.append(contradiction(question, wrong, clause))
    return grade
