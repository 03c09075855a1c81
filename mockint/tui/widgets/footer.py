"""The footer of keys, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer as TextualFooter

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class Footer(TextualFooter):
    """Textual's footer, which removes and mounts all its keys again each time the screen's
    bindings may have changed: a focus change, a disabled widget, a phase's
    ``refresh_bindings``, often several of them in one step, each a rebuild of its own. This
    one rebuilds at most once per refresh, and only when the keys it would show differ from
    those it shows. Sending an answer asked for three rebuilds, and the score for as many,
    each laying out the screen again while the answer was graded: on a busy machine the
    grade waited for them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._rebuild_pending = False

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
        if palette is not None:
            _, binding, enabled, tooltip = palette
            palette = (binding.key, app.get_key_display(binding), binding.description, enabled)
            palette += (binding.tooltip,)
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
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()
