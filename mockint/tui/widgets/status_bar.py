"""The one-line bar at the top of every screen: where you are, and whether the grader is ready."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from mockint.tui import words

# What the model indicator says for each of the app's grader states (keys of words.LINES).
_MODEL_LABELS = {
    "loading": ("model_loading", "-loading"),
    "ready": ("model_ready", "-ready"),
    "failed": ("model_failed", "-failed"),
}


class StatusBar(Widget):
    """Shows the app name, the current place (e.g. ``Question 2 of 5``) and the model status.

    The model status follows the app's ``grader_status`` reactive, so every screen shows the same
    truth without asking for it.
    """

    place: reactive[str] = reactive("")
    """Where the user is, shown after the app name."""

    def __init__(self, place: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Built here, not in compose, so updates never depend on when children are mounted.
        self._title = Label(Content.styled("mockint", "bold"), id="status-title")
        self._place = Label(Content(place), id="status-place")
        self._model = Label(id="status-model")
        self.set_reactive(StatusBar.place, place)

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._place
        yield self._model

    def on_mount(self) -> None:
        self.watch(self.app, "grader_status", self._show_model_status)

    def watch_place(self, place: str) -> None:
        self._place.update(Content(place))

    def _show_model_status(self, status: str) -> None:
        # In the language of the screen (an interview's), else the app's (``--lang``).
        language = getattr(self.screen, "language", None) or getattr(self.app, "language", "en")
        if status in _MODEL_LABELS:
            key, css_class = _MODEL_LABELS[status]
            text = words.line(language, key)
        else:
            text, css_class = status, ""
        self._model.update(text)
        self._model.set_classes(css_class)
