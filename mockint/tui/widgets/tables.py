"""Helpers for the DataTables of the progress and history screens."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.widgets import DataTable


def add_columns(table: DataTable, columns: Iterable[tuple[str, str, int]]) -> None:
    """Add ``(label, key, width)`` columns to ``table``, in order; a column is never narrower
    than its label (a Chinese label takes two cells a character)."""
    for label, key, width in columns:
        table.add_column(label, key=key, width=max(width, cell_len(label)))
