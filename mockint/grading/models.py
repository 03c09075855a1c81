"""What the grader returns: a score traceable to every key point and misconception."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["hit", "partial", "miss"]


class _Model(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class KeyPointResult(_Model):
    """How well the answer covered one key point."""

    id: str
    """The key point's id in the rubric."""
    text: str
    """The key point, in the language of the feedback."""
    weight: float
    """The key point's weight in the rubric."""
    status: Status
    """``hit`` (covered), ``partial`` (touched on) or ``miss``."""
    similarity: float
    """Best calibrated similarity between the point and any part of the answer (0-1)."""
    credit: float
    """Share of the point's weight earned (1 for hit, between 0 and 1 for partial, 0 for miss)."""
    evidence: str | None
    """The candidate's own words that covered the point (None when missed)."""
    evidence_span: tuple[int, int] | None = None
    """Character offsets of ``evidence`` in the answer, for highlighting."""
    follow_up: str
    """The question an interviewer asks when this point is missing."""

    @property
    def barely(self) -> bool:
        """A partial point earned only a sliver of credit (typically a related sentence that
        names none of the point's critical terms): shown as "barely", without quoting."""
        return self.status == "partial" and self.credit < BARELY_CREDIT


# Below this credit a partial point is "barely touched on" in what the user reads.
BARELY_CREDIT = 0.25


class MisconceptionResult(_Model):
    """A wrong statement that the answer makes: one the rubric lists, or a key point stated the
    wrong way round (id ``contradicts:<key point id>``)."""

    id: str
    text: str
    """The misconception, as listed in the rubric (for a contradicted key point: the
    candidate's own wrong clause)."""
    evidence: str
    """The candidate's sentence that states it."""
    correction: str
    """What is actually true (for a contradicted key point: the key point)."""

    @property
    def contradicts(self) -> str | None:
        """The key point this mistake states the wrong way round, when the rubric does not
        list it as a misconception."""
        return self.id[len("contradicts:") :] if self.id.startswith("contradicts:") else None

    penalty: float
    """Points taken off the score."""


class Grade(_Model):
    """The full assessment of one answer to one question."""

    question_id: str
    bank_id: str
    score: float
    """0-100: weighted key-point coverage, minus misconception penalties."""
    verdict: str
    """One word for the score band: excellent, good, partial, weak, off-topic or empty."""
    language: str
    """Detected language of the answer (``en`` or ``zh``)."""
    model: str
    """The embedding model(s) that produced the similarities."""
    key_points: list[KeyPointResult]
    misconceptions: list[MisconceptionResult]
    follow_up: str | None
    """The follow-up question on the most important missed point, or None if nothing is missing."""
    follow_up_key_point: str | None = None
    """The id of the key point the follow-up is about."""
    feedback: str
    """A few sentences an interviewer would say about the answer."""
    model_answer: str
    """The rubric's model answer, in the feedback language."""
    coverage: float
    """Weighted coverage before penalties (0-100)."""
    penalty: float
    """Total points deducted for misconceptions and other problems."""
    notes: list[str] = []
    """Why the score is what it is, beyond key points (e.g. "answer looks like a keyword list")."""
    focus: str | None = None
    """For a follow-up answer: the key point it was asked about, the only one it is graded on
    (``key_points`` then holds that point alone)."""

    def hits(self) -> list[KeyPointResult]:
        return [kp for kp in self.key_points if kp.status == "hit"]

    def misses(self) -> list[KeyPointResult]:
        return [kp for kp in self.key_points if kp.status == "miss"]
