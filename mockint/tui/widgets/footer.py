"""The footer of keys, updated in place and only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class Footer(TextualFooter):
    """Textual's footer, which removes and mounts all its keys again each time the screen's
    bindings may have changed (a focus change, a disabled widget, a phase's
    ``refresh_bindings``), after the next refresh: each change of phase cost a rebuild of
    every key and a second layout of the screen, main-thread work that competed with the
    grading thread for the GIL while an answer was graded. This one compares the keys it would
    show with those it shows, once per batch of changes, and when they differ updates its
    keys in place (hiding the ones it no longer needs, mounting only the ones it lacks)
    before the next refresh, so the new keys are laid out with the rest of the phase's
    changes. Grouped keys, which none of our screens have, are still recomposed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._rebuild_pending = False
        self._after_refresh = False

    def after_next_refresh(self) -> None:
        """Change the keys after the next frame, not in it: the screen has something more
        urgent to show first (a score, which the candidate is waiting for)."""
        self._after_refresh = True

    def _keys(self) -> tuple:
        """What :meth:`compose` would show: every shown binding as it would be drawn."""
        app = self.app
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action)
            + (binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        palette = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if palette is not None:  # drawn as compose draws it, with the binding's own tooltip
            _, binding, enabled, _ = palette
            palette = (binding.key, app.get_key_display(binding), binding.description)
            palette += (binding.action, None, enabled, binding.tooltip or binding.description)
        return keys, palette, self.show_command_palette, self.compact

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            if self._after_refresh:
                self._after_refresh = False
                self.call_after_refresh(self._rebuild)
            else:
                # Right after the change that asked for it (with any other asked for
                # meanwhile), so the keys change in the same frame as the rest of the screen.
                self.call_next(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        keys = self._keys()
        if keys != self._shown and not self._update_in_place(keys):
            await self.recompose()

    def _update_in_place(self, keys: tuple) -> bool:
        """Show ``keys`` by changing the footer's keys rather than replacing them; False when
        that cannot be done (grouped keys, another palette key, a key-less footer)."""
        shown = self._shown
        bindings, palette, show_palette, compact = keys
        if shown is None or shown[2:] != keys[2:] or (shown[1] is None) != (palette is None):
            return False
        if any(key[4] is not None for key in bindings + shown[0]):
            return False
        pool = [key for key in self.children if isinstance(key, FooterKey)]
        palette_key = pool.pop() if palette is not None else None
        if len(pool) != len(self.children) - (palette is not None) or (
            palette_key is not None and not palette_key.has_class("-command-palette")
        ):
            return False
        lacking = [
            FooterKey(*binding[:4]).data_bind(compact=TextualFooter.compact)
            for binding in bindings[len(pool) :]
        ]
        if lacking:
            self.mount(*lacking, before=palette_key)
        for widget, binding in zip(pool + lacking, bindings):
            _show_key(widget, binding)
        for widget in pool[len(bindings) :]:
            widget.display = False
        if palette_key is not None:
            _show_key(palette_key, palette)
        self._shown = keys
        return True


def _show_key(widget: FooterKey, shown: tuple) -> None:
    """Make ``widget`` show a key (as :meth:`Footer._keys` describes it) as Textual's footer
    draws it; only a change of its text lays the footer out again."""
    key, display, description, action, _, enabled, tooltip = shown
    widget.key, widget.action, widget._disabled = key, action, not enabled
    widget.set_class(not enabled, "-disabled")
    if widget.tooltip != (tooltip or None):
        widget.tooltip = tooltip or None
    if not widget.display:
        widget.display = True
    if (widget.key_display, widget.description) != (display, description):
        widget.key_display, widget.description = display, description
        widget.refresh(layout=True)
