"""Progress reports: HTML, Markdown, CSV and JSON from the history database (no UI).

    from mockint.export import write_report
    path = write_report(store, library, fmt="html")          # ./mockint-report-2025-03-10.html

:func:`plan_report` reads the figures of the whole report at once and its sessions a page at a
time (a :class:`ReportStream`); each writer formats them as they come, so every format shows the
same figures and a report over years of answers is written without holding them all.
:func:`build_report` reads everything into one :class:`ReportData` (for scripts and tests).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from mockint.export.build import ReportStream, build_report, plan_report
from mockint.export.csv_writer import csv_chunks
from mockint.export.html import html_chunks
from mockint.export.json_writer import json_chunks
from mockint.export.markdown import markdown_chunks
from mockint.export.model import SCHEMA_VERSION, ReportData, Sessions

Format = Literal["html", "md", "csv", "json"]

WRITERS: dict[str, Callable[[ReportData, Sessions], Iterator[str]]] = {
    "html": html_chunks,
    "md": markdown_chunks,
    "csv": csv_chunks,
    "json": json_chunks,
}
"""Each format's writer, by the name ``--format`` takes: the report's text, in pieces."""

EXTENSIONS = {"html": ".html", "md": ".md", "csv": ".csv", "json": ".json"}

__all__ = [
    "EXTENSIONS",
    "SCHEMA_VERSION",
    "WRITERS",
    "ReportData",
    "ReportStream",
    "build_report",
    "default_filename",
    "plan_report",
    "render",
    "report_chunks",
    "write_report",
]


def _writer(fmt: str) -> Callable[[ReportData, Sessions], Iterator[str]]:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown report format {fmt!r} (choose from {', '.join(WRITERS)})"
        ) from None


def _without_nul(chunks: Iterable[str]) -> Iterator[str]:
    # A NUL typed or pasted into an answer is no character in HTML, Markdown or CSV: readers
    # stop at it or reject the file. Shown as the replacement character instead.
    return (chunk.replace("\0", "\ufffd") for chunk in chunks)


def render(report: ReportData, fmt: Format = "html") -> str:
    """``report`` as text in ``fmt``."""
    return "".join(_without_nul(_writer(fmt)(report, report.iter_sessions)))


def report_chunks(stream: ReportStream, fmt: Format = "html") -> Iterator[str]:
    """A streamed report as text in ``fmt``, in pieces (read it inside the store's read)."""
    return _without_nul(_writer(fmt)(stream.report, stream.sessions))


def default_filename(fmt: Format = "html", day: date | None = None) -> str:
    """``mockint-report-2025-03-10.html``: dated, so reports of different days sit side by side."""
    day = day or datetime.now().date()
    return f"mockint-report-{day.isoformat()}{EXTENSIONS[fmt]}"


def write_text_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, as they come) to ``path`` so a reader never sees half a
    file (temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
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
    now: datetime | None = None,
) -> Path:
    """Build the report and write it, a page of sessions at a time; returns the file written.

    ``path`` may be a file, a directory (the dated default name is used inside it) or None
    (the dated default name in the current directory); ``now`` is the report's time (default:
    the current time).
    """
    _writer(fmt)
    target = Path(path) if path is not None else Path.cwd() / default_filename(fmt)
    if target.is_dir():
        target = target / default_filename(fmt)
    # One read of the store: the sessions read while writing agree with the figures.
    with store.read():
        stream = plan_report(
            store,
            library,
            since=since,
            until=until,
            bank_id=bank_id,
            session_id=session_id,
            language=language,
            now=now,
        )
        write_text_atomically(target, report_chunks(stream, fmt))
    return target
