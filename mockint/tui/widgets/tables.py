"""Helpers for the DataTables of the progress and history screens."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable


def add_columns(table: DataTable, columns: Iterable[tuple[str, str, int]]) -> None:
    """Add ``(label, key, width)`` columns to ``table``, in order."""
    for label, key, width in columns:
        table.add_column(label, key=key, width=width)
