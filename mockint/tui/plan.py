"""What the home screen asks the interview screen to do (a plain value, no Textual)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["mock", "practice", "due", "weak", "new", "resume"]


@dataclass(frozen=True)
class InterviewPlan:
    """One interview to run: which questions, how, in which language.

    ``question_ids`` is already chosen (by the home screen's selection worker) except for a
    resumed session, where ``resume_session_id`` says which session to continue.
    """

    mode: Mode
    bank_id: str
    language: str = "en"
    question_ids: tuple[str, ...] = ()
    time_limit: int | None = None
    """Seconds per question; None uses each question's own limit."""
    resume_session_id: int | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    """Why each question was chosen (review modes), shown when it is asked."""
