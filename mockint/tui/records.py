"""Stored answers as the screens show them (a plain value, no Textual)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mockint.grading.models import Grade


@dataclass
class AnswerRecord:
    """One answer with its grade, as stored (main answer or follow-up)."""

    answer_id: int | None
    question_id: str
    kind: str
    """``main`` or ``follow_up``."""
    text: str
    grade: Grade | None
    override: float | None = None
    created_at: str | None = None
    source: str = "typed"
    hints_used: int = 0
    duration_s: float | None = None
    speech: dict[str, Any] | None = None
    skipped: bool = False

    @property
    def score(self) -> float | None:
        """The effective score: the candidate's own rating wins over the grader's."""
        if self.override is not None:
            return self.override
        return self.grade.score if self.grade is not None else None


def record_from_row(row: dict[str, Any]) -> AnswerRecord:
    """An :class:`AnswerRecord` from a row of ``store.session_answers()`` (or a similar dict).

    The full grade is rebuilt from ``grade_json`` when the row has it; otherwise the row's
    grade fields and key point rows are enough for the screens.
    """
    grade = _grade_from_row(row)
    return AnswerRecord(
        answer_id=row.get("answer_id", row.get("id")),
        question_id=str(row.get("question_id") or (grade.question_id if grade else "")),
        kind=str(row.get("kind") or "main"),
        text=str(row.get("text") or ""),
        grade=grade,
        override=row.get("override_score"),
        created_at=row.get("created_at"),
        source=str(row.get("source") or "typed"),
        hints_used=int(row.get("hints_used") or 0),
        duration_s=row.get("duration_s"),
        speech=row.get("speech") or None,
        skipped=bool(row.get("skipped")),
    )


def _grade_from_row(row: dict[str, Any]) -> Grade | None:
    raw = row.get("grade_json")
    if raw:
        try:
            data = json.loads(raw) if isinstance(raw, str) else raw
            return Grade.model_validate(data)
        except (ValueError, TypeError):
            pass
    grade = row.get("grade")
    if isinstance(grade, Grade):
        return grade
    if isinstance(grade, dict):
        try:
            return Grade.model_validate(grade)
        except ValueError:
            return None
    if row.get("score") is None:
        return None
    key_points = [
        {
            "id": kp.get("key_point_id") or kp.get("id"),
            "text": kp.get("text") or kp.get("key_point_id") or kp.get("id") or "",
            "weight": kp.get("weight") or 1.0,
            "status": kp.get("status") or "miss",
            "similarity": kp.get("similarity") or 0.0,
            "credit": kp.get("credit") or 0.0,
            "evidence": kp.get("evidence"),
            "follow_up": kp.get("follow_up") or "",
        }
        for kp in row.get("key_points") or []
    ]
    misconceptions = [
        {
            "id": mc.get("misconception_id") or mc.get("id"),
            "text": mc.get("text") or mc.get("misconception_id") or "",
            "evidence": mc.get("evidence") or "",
            "correction": mc.get("correction") or "",
            "penalty": mc.get("penalty") or 0.0,
        }
        for mc in row.get("misconceptions") or []
    ]
    try:
        return Grade.model_validate(
            {
                "question_id": row.get("question_id") or "",
                "bank_id": row.get("bank_id") or "",
                "score": row.get("score"),
                "verdict": row.get("verdict") or "",
                "language": row.get("language") or "en",
                "model": row.get("model") or "",
                "key_points": key_points,
                "misconceptions": misconceptions,
                "follow_up": row.get("follow_up"),
                "follow_up_key_point": row.get("follow_up_key_point"),
                "feedback": row.get("feedback") or "",
                "model_answer": row.get("model_answer") or "",
                "coverage": row.get("coverage") or 0.0,
                "penalty": row.get("penalty") or 0.0,
            }
        )
    except ValueError:
        return None
