"""Small modal dialogs: overriding a score, and errors the user must read."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import Number
from textual.widgets import Button, Input, Label, Static

from mockint.tui import words
from mockint.tui.prose import Prose


@dataclass(frozen=True)
class OverrideResult:
    """What the candidate decided: a score of their own, or ``None`` to remove theirs."""

    score: float | None


class OverrideDialog(ModalScreen[OverrideResult | None]):
    """Ask for the candidate's own score (0-100). Dismisses with None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, grader_score: float | None, current: float | None, language: str = "en"
    ) -> None:
        super().__init__()
        self.grader_score = grader_score
        self.current = current
        self.language = language
        """The language of the dialog's words (the interview's)."""

    def _say(self, key: str, **values: object) -> str:
        return words.line(self.language, key, **values)

    def compose(self) -> ComposeResult:
        say = self._say
        with Vertical(id="dialog"):
            yield Label(say("override_title"), id="dialog-title")
            score = self.grader_score
            graded = say("override_not_graded") if score is None else f"{score:.0f}/100"
            # Prose: Chinese wraps between characters, never starting a line with "）".
            yield Static(Prose.of(say("override_text", graded=graded)), id="dialog-text")
            yield Input(
                value="" if self.current is None else f"{self.current:.0f}",
                placeholder="0-100",
                type="number",
                validators=[Number(minimum=0, maximum=100)],
                id="override-score",
            )
            with Horizontal(id="dialog-buttons"):
                yield Button(say("override_save"), id="save", variant="primary")
                if self.current is not None:
                    yield Button(say("override_clear"), id="clear")
                yield Button(say("override_cancel"), id="cancel")

    @on(Input.Submitted, "#override-score")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        field = self.query_one("#override-score", Input)
        result = field.validate(field.value)
        if not field.value.strip() or (result is not None and not result.is_valid):
            self.notify(self._say("override_invalid"), severity="warning")
            field.focus()
            return
        self.dismiss(OverrideResult(round(float(field.value), 1)))

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(OverrideResult(None))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class MessageDialog(ModalScreen[None]):
    """A message that must be read (e.g. the history database cannot be opened)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, message: str, language: str = "en") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.language = language
        """The language of the dialog's own words (its close button)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-error"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(Prose.of(self.message), id="dialog-text")
            with Horizontal(id="dialog-buttons"):
                yield Button(
                    words.line(self.language, "dialog_close"), id="close", variant="primary"
                )

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
