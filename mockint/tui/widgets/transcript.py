"""The interview as a conversation: the interviewer's turns, the candidate's answers, notes."""

from __future__ import annotations

from typing import Literal

from textual.containers import VerticalScroll
from textual.content import Content
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static

from mockint.tui.prose import Prose

Speaker = Literal["interviewer", "candidate", "note"]

SPEAKER_NAMES = {
    "en": {"interviewer": "Interviewer", "candidate": "You", "note": ""},
    "zh": {"interviewer": "面试官", "candidate": "你", "note": ""},
}


class Turn(Static):
    """One turn of the conversation; its border title names the speaker. Its text wraps as
    prose (Chinese between characters, list items under their text)."""

    def __init__(
        self, body: Content | str, speaker: Speaker, *, name: str = "", classes: str = ""
    ) -> None:
        super().__init__(Prose.of(body), classes=f"turn -{speaker} {classes}".strip())
        self.speaker = speaker
        self.border_title = name or None

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if isinstance(content, Content | str):
            content = Prose.of(content)
        super().update(content, layout=layout)


class Transcript(VerticalScroll, can_focus=False):
    """A scrolling chat transcript that keeps the newest turn in view.

    It never takes the focus: whatever the candidate types goes to the answer box, and the
    screen scrolls the transcript (page keys, mouse wheel) from there.
    """

    language = "en"
    """The language the speakers' names are shown in."""

    def say(
        self,
        body: Content | str,
        speaker: Speaker = "interviewer",
        *,
        classes: str = "",
        scroll: bool = True,
    ) -> Turn:
        """Add a turn at the bottom and (with ``scroll``) scroll to it. Plain ``str`` bodies
        are never parsed as markup, so an answer like ``[b]`` shows as typed."""
        content = Content(body) if isinstance(body, str) else body
        names = SPEAKER_NAMES.get(self.language, SPEAKER_NAMES["en"])
        turn = Turn(content, speaker, name=names[speaker], classes=classes)
        self.mount(turn)
        if scroll:
            self.call_after_refresh(self.scroll_end, animate=False)
        return turn

    def show_from(self, turn: Widget) -> None:
        """Once laid out, show everything from ``turn`` to the end, or, when that is taller
        than the view, ``turn`` from its first line: a reply is read from the top (the score),
        never from its last lines."""

        def scroll() -> None:
            top = turn.virtual_region.y
            if self.virtual_size.height - top <= self.scrollable_content_region.height:
                self.scroll_end(animate=False)
            else:
                self.scroll_to(y=max(0, top - 1), animate=False)

        self.call_after_refresh(scroll)

    def fully_visible(self, turn: Widget) -> bool:
        """Whether all of ``turn`` is inside the view at the current scroll position."""
        region = turn.virtual_region
        top = round(self.scroll_y)
        return region.y >= top and region.bottom <= top + self.scrollable_content_region.height

    def clear(self) -> None:
        """Remove every turn (used when a resumed session rebuilds its history)."""
        self.remove_children()
