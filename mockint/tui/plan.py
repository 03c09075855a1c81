"""What the home screen asks the interview screen to do (a plain value, no Textual)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Mode = Literal["mock", "practice", "due", "weak", "new", "resume", "all"]


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


@dataclass(frozen=True)
class StartRequest:
    """The interview the command line asked for (``mockint interview --questions ...`` in a
    terminal): the home screen starts it as soon as the banks and the history are open."""

    mode: str | None = None
    """``mock``, ``due``, ``weak``, ``new`` or ``all`` (the whole bank in order); None when
    --mode was not given (a mock, if the other options ask for an interview)."""
    bank_id: str | None = None
    count: int | None = None
    question_ids: tuple[str, ...] = ()
    """Exactly these questions, in this order (the mode is then ignored)."""
    resume: int | None = None
    """A session to continue; 0 is the latest unfinished one (``--resume`` without an id)."""


def start_request(args: object) -> StartRequest | None:
    """What ``mockint interview`` asked for with --questions, -n, --bank, --mode or --resume;
    None without them (and for ``mockint`` alone): the app then opens on its home screen."""
    request = StartRequest(
        mode=getattr(args, "mode", None),
        bank_id=getattr(args, "bank", None),
        count=getattr(args, "count", None),
        question_ids=tuple(getattr(args, "questions", None) or ()),
        resume=getattr(args, "resume", None),
    )
    # The parser gives --mode no default, so an explicit --mode mock asks for a mock here.
    return None if request == StartRequest() else request
