"""What every screen of the app shares."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker

from mockint.tui import words


class MockintScreen(Screen):
    """A screen whose workers' failures reach the app's one failure handler.

    ``Worker.StateChanged`` does not bubble: it goes to the node that started the worker, so
    each screen passes it on.
    """

    language: str = "en"
    """The language of the screen's own words (keys, titles, status texts)."""

    def _say(self, key: str, **values: object) -> str:
        """One of the screen's own words (words.LINES) in its language."""
        return words.line(self.language, key, **values)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker_state(event)

    def localise_bindings(self, language: str) -> None:
        """The footer's key labels in ``language``: the ``key_<action>`` line of each shown
        binding (``app.`` left out of the action's name), and the command palette's."""
        for bindings in self._bindings.key_to_bindings.values():
            for index, binding in enumerate(bindings):
                key = "key_" + binding.action.removeprefix("app.")
                if binding.show and key in words.LINES["en"]:
                    bindings[index] = replace(binding, description=words.line(language, key))
        # The command palette's key is the app's, worded once for every screen ("palette"):
        # the screen's own, ahead of it in the footer, names it in the screen's language.
        self._bindings._add_binding(
            Binding(
                App.COMMAND_PALETTE_BINDING,
                "app.command_palette",
                words.line(language, "key_command_palette"),
                show=False,
                priority=True,
                tooltip=words.line(language, "palette_tooltip"),
            )
        )
