"""Content that wraps like prose in English and Chinese, with hanging indents for list items.

Textual wraps text at spaces only (see :mod:`mockint.tui.linebreak` for why that fails Chinese).
:class:`Prose` is a :class:`~textual.content.Content` that lays itself out with our line breaker
for whatever width it is given, so it re-wraps on resize like any text, and everything else
(styles, markup-free user text) stays Textual's.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions

from mockint.tui.linebreak import layout


class Prose(Content):
    """Text laid out by :func:`mockint.tui.linebreak.layout` at the width it is shown in."""

    @classmethod
    def of(cls, content: Content | str) -> Prose:
        """``content`` (a plain string is text, never markup) as Prose."""
        if isinstance(content, Prose):
            return content
        if isinstance(content, str):
            return cls(content)
        return cls(
            content.plain, list(content.spans), content.cell_length, strip_control_codes=False
        )

    def _laid_out(self, width: int) -> Content:
        cached = getattr(self, "_laid_out_cache", None)
        if cached is not None and cached[0] == width:
            return cached[1]
        lines = []
        for line in layout(self.plain, width):
            piece = Content.__getitem__(self, slice(line.start, line.end))
            lines.append(piece.pad_left(line.indent) if line.indent else piece)
        result = Content("\n").join(lines)
        self._laid_out_cache = (width, result)
        return result

    def get_height(self, rules: RulesMap, width: int) -> int:
        pad = rules.get("line_pad", 0) * 2
        if rules.get("text_wrap", "wrap") == "nowrap":
            return super().get_height(rules, width)
        return self._laid_out(width - pad).get_height(rules, width)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not width or options.rules.get("text_wrap", "wrap") == "nowrap":
            return super().render_strips(width, height, style, options)
        pad = options.rules.get("line_pad", 0) * 2
        return self._laid_out(width - pad).render_strips(width, height, style, options)
