"""The interview as a conversation: the interviewer's turns, the candidate's answers, notes."""

from __future__ import annotations

from typing import Literal

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

Speaker = Literal["interviewer", "candidate", "note"]

SPEAKER_NAMES = {
    "en": {"interviewer": "Interviewer", "candidate": "You", "note": ""},
    "zh": {"interviewer": "面试官", "candidate": "你", "note": ""},
}


class Turn(Static):
    """One turn of the conversation; its border title names the speaker."""

    def __init__(
        self, body: Content | str, speaker: Speaker, *, name: str = "", classes: str = ""
    ) -> None:
        super().__init__(body, classes=f"turn -{speaker} {classes}".strip())
        self.speaker = speaker
        self.border_title = name or None


class Transcript(VerticalScroll, can_focus=True):
    """A scrolling chat transcript that keeps the newest turn in view."""

    language = "en"
    """The language the speakers' names are shown in."""

    def say(
        self, body: Content | str, speaker: Speaker = "interviewer", *, classes: str = ""
    ) -> Turn:
        """Add a turn at the bottom and scroll to it. Plain ``str`` bodies are never parsed as
        markup, so an answer like ``[b]`` shows as typed."""
        content = Content(body) if isinstance(body, str) else body
        names = SPEAKER_NAMES.get(self.language, SPEAKER_NAMES["en"])
        turn = Turn(content, speaker, name=names[speaker], classes=classes)
        self.mount(turn)
        self.call_after_refresh(self.scroll_end, animate=False)
        return turn

    def clear(self) -> None:
        """Remove every turn (used when a resumed session rebuilds its history)."""
        self.remove_children()
