"""Progress reports: HTML, Markdown, CSV and JSON from the history database (no UI).

    from mockint.export import write_report
    path = write_report(store, library, fmt="html")          # ./mockint-report-2025-03-10.html

:func:`build_report` reads the store once into a :class:`ReportData`; each writer only formats
it, so every format shows the same figures.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from mockint.export.build import build_report, build_report_data
from mockint.export.csv_writer import render_csv
from mockint.export.html import render_html
from mockint.export.json_writer import render_json
from mockint.export.markdown import render_markdown
from mockint.export.model import SCHEMA_VERSION, ReportData

Format = Literal["html", "md", "csv", "json"]

RENDERERS: dict[str, Callable[[ReportData], str]] = {
    "html": render_html,
    "md": render_markdown,
    "csv": render_csv,
    "json": render_json,
}
"""Each format's writer, by the name ``--format`` takes."""

EXTENSIONS = {"html": ".html", "md": ".md", "csv": ".csv", "json": ".json"}

__all__ = [
    "EXTENSIONS",
    "RENDERERS",
    "SCHEMA_VERSION",
    "ReportData",
    "build_report",
    "build_report_data",
    "default_filename",
    "render",
    "write_report",
]


def render(report: ReportData, fmt: Format = "html") -> str:
    """``report`` as text in ``fmt``."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown report format {fmt!r} (choose from {', '.join(RENDERERS)})"
        ) from None
    # A NUL typed or pasted into an answer is no character in HTML, Markdown or CSV: readers
    # stop at it or reject the file. Shown as the replacement character instead.
    return renderer(report).replace("\0", "\ufffd")


def default_filename(fmt: Format = "html", day: date | None = None) -> str:
    """``mockint-report-2025-03-10.html``: dated, so reports of different days sit side by side."""
    day = day or datetime.now().date()
    return f"mockint-report-{day.isoformat()}{EXTENSIONS[fmt]}"


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader never sees half a file (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_report(
    store,
    library,
    fmt: Format = "html",
    path: Path | str | None = None,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
    bank_id: str | None = None,
    session_id: int | None = None,
    *,
    language: str | None = None,
) -> Path:
    """Build the report and write it; returns the file written.

    ``path`` may be a file, a directory (the dated default name is used inside it) or None
    (the dated default name in the current directory).
    """
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(RENDERERS)})")
    report = build_report(
        store,
        library,
        since=since,
        until=until,
        bank_id=bank_id,
        session_id=session_id,
        language=language,
    )
    target = Path(path) if path is not None else Path.cwd() / default_filename(fmt)
    if target.is_dir():
        target = target / default_filename(fmt)
    write_text_atomically(target, render(report, fmt))
    return target
