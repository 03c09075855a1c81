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
        # A new text as tall as the old one ("◌ Grading…" becoming "✓ Saved · Grading…")
        # needs a repaint of this turn, not a layout of the whole screen.
        width, height = self.content_size
        if layout and width and isinstance(content, Prose):
            layout = content.get_height(self.styles, width) != height
        super().update(content, layout=layout)


class Transcript(VerticalScroll, can_focus=False):
    """A scrolling chat transcript that keeps the newest turn in view.

    It never takes the focus: whatever the candidate types goes to the answer box, and the
    screen scrolls the transcript (page keys, mouse wheel) from there.
    """

    language = "en"
    """The language the speakers' names are shown in."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._anchor: Widget | None = None

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
            self._anchor = None
            self.call_after_refresh(self._scroll_to_newest)
        return turn

    def _scroll_to_newest(self) -> None:
        # A reply placed by show_from since this turn was added keeps its place.
        if self._anchor is None:
            self.scroll_end(animate=False, immediate=True)

    def show_from(self, turn: Widget) -> None:
        """Show everything from ``turn`` to the end, or, when that is taller than the view,
        ``turn`` from its first line: a reply is read from the top (the score), never from its
        last lines. Kept as turns below it are laid out, until the reader scrolls."""
        self._anchor = turn
        self.call_after_refresh(self._keep_anchor)

    def release_anchor(self) -> None:
        """The reader scrolls: stop placing the view on the last reply."""
        self._anchor = None

    def on_resize(self) -> None:
        # Turns mounted or grown after show_from change the height: place the view again.
        self.call_after_refresh(self._keep_anchor)

    def on_mouse_scroll_up(self) -> None:
        self.release_anchor()

    def on_mouse_scroll_down(self) -> None:
        self.release_anchor()

    def _keep_anchor(self) -> None:
        turn = self._anchor
        if turn is None or not turn.is_attached:
            return
        top = turn.virtual_region.y
        if self.virtual_size.height - top <= self.scrollable_content_region.height:
            self.scroll_end(animate=False, immediate=True)
        else:
            self.scroll_to(y=top, animate=False, immediate=True)

    def fully_visible(self, turn: Widget) -> bool:
        """Whether all of ``turn``'s text is inside the view at the current scroll position
        (its border may be cut off)."""
        region, gutter = turn.virtual_region, turn.styles.gutter
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        return region.y + gutter.top >= top and region.bottom - gutter.bottom <= bottom

    def clear(self) -> None:
        """Remove every turn (used when a resumed session rebuilds its history)."""
        self.remove_children()
