"""The answer box wraps Chinese between characters, like the conversation.

Textual's TextArea wraps its lines with ``compute_wrap_offsets``, which breaks only at spaces: a
Chinese answer is cut at the one space it has ("accuracy" alone on a line, then the rest) and
folded mid-text elsewhere, so a line can start with "，". TextArea offers no hook for this, so
:func:`install` wraps the function TextArea's document module calls: lines holding Chinese are
broken by :func:`mockint.tui.linebreak.section_breaks`, every other line as before.
"""

from __future__ import annotations

from mockint.tui.linebreak import is_cjk, section_breaks


def install() -> bool:
    """Make TextArea wrap lines that hold Chinese by our rules (once); False when this Textual
    does not wrap TextArea lines the way this expects (then nothing changes)."""
    try:
        from textual.document import _wrapped_document as module
    except ImportError:
        return False
    original = getattr(module, "compute_wrap_offsets", None)
    if original is None:
        return False
    if getattr(original, "mockint", False):
        return True

    def compute_wrap_offsets(
        text: str, width: int, tab_size: int, fold: bool = True, precomputed_tab_sections=None
    ) -> list[int]:
        # Tabs have widths only Textual knows; text without Chinese wraps as it always did.
        if "\t" in text or not any(is_cjk(char) for char in text):
            return original(text, width, tab_size, fold, precomputed_tab_sections)
        return section_breaks(text, width)

    compute_wrap_offsets.mockint = True
    module.compute_wrap_offsets = compute_wrap_offsets
    return True
