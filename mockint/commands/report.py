"""`mockint report`: write a progress report (HTML, Markdown, CSV or JSON) of past answers."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from mockint.commands._common import (
    add_command,
    load_library_from_args,
    open_store_from_args,
    row_id,
)
from mockint.errors import UserError

DESCRIPTION = """\
Write a progress report of your answers: a summary, score over time overall and per topic, a
mastery grid of key points, the weakest key points with the model answer's wording, and every
session's answers. HTML (default) is one self-contained page to open offline, print to PDF or
send to a mentor; md is Markdown; csv is one row per answer; json is everything, for scripts.
By default the report goes to mockint-report-DATE.EXT in the current folder; its path is printed.
"""

FORMATS = ("html", "md", "csv", "json")


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "report",
        handle,
        help="write a progress report (html, md, csv, json)",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--format", "-f", choices=FORMATS, default="html", help="report format (default: html)"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="file or folder to write (default: ./mockint-report-DATE.EXT); - prints it instead",
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="only answers from this day on: YYYY-MM-DD, an ISO time, or 7d / 2w ago",
    )
    parser.add_argument(
        "--until", metavar="DATE", help="only answers up to this day, included (YYYY-MM-DD)"
    )
    parser.add_argument("--bank", metavar="ID", help="only questions from this bank")
    parser.add_argument("--session", metavar="ID", type=row_id, help="only this session")
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        help="language of the rubric texts (default: the one you answer in most)",
    )


def _bound(value: str | None, option: str, *, end: bool = False):
    from mockint.export.build import parse_bound

    try:
        return parse_bound(value, end=end)
    except ValueError as exc:
        raise UserError(f"{option} {exc}") from None
    except OverflowError:
        raise UserError(f"{option} {value}: too far from today; give a date") from None


def write_output(target: Path, text: str | Iterable[str]) -> None:
    """Write the report (its text, or its pieces as they come) to ``target``: a regular file is
    replaced atomically, through a symbolic link if ``target`` is one (the link stays); a
    device or FIFO (``/dev/stdout``, ``/dev/full``) is written into, never replaced by a
    file."""
    from mockint.export import write_text_atomically

    real = target.resolve() if target.is_symlink() else target
    if not real.exists() or real.is_file():
        write_text_atomically(real, text)
        return
    # O_NONBLOCK: a FIFO nobody reads fails at once (ENXIO) instead of hanging.
    fd = os.open(real, os.O_WRONLY | os.O_NONBLOCK)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.writelines([text] if isinstance(text, str) else text)


def _check_filters(report, library, store, bank_id: str | None, session_id: int | None) -> None:
    """A filter that matches nothing because it names nothing is a typo: say so."""
    if not report.empty:
        return
    if bank_id is not None and bank_id not in {bank.id for bank in library.banks}:
        ids = [bank.id for bank in library.banks]
        close = difflib.get_close_matches(bank_id, ids, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else f" Banks: {', '.join(ids)}."
        raise UserError(f"unknown bank {bank_id!r}.{hint}")
    if session_id is not None and store.session(session_id) is None:
        raise UserError(f"no session {session_id} (see `mockint history` for your sessions)")


def handle(args: argparse.Namespace) -> int:
    from mockint import locations
    from mockint.export import default_filename, plan_report, report_chunks
    from mockint.store import open_store

    since = _bound(args.since, "--since")
    until = _bound(args.until, "--until", end=True)
    if since and until and since >= until:
        raise UserError("--since must be before --until")
    library = load_library_from_args(args, quiet=True)
    db = Path(args.db) if getattr(args, "db", None) else locations.database_path()
    # Read-only: a report of a history in a read-only folder works too. Nothing recorded yet:
    # a friendly empty report, without creating a database.
    if db.exists():
        store = open_store_from_args(args, readonly=True, check_rows=True)
    else:
        store = open_store(":memory:")
    options = {"since": since, "until": until, "bank_id": args.bank, "session_id": args.session}
    # One read of the store: the sessions written page by page agree with the figures.
    with store.read():
        stream = plan_report(store, library, language=args.lang, **options)
        report = stream.report
        _check_filters(report, library, store, args.bank, args.session)
        chunks = report_chunks(stream, args.format)
        if args.output == "-":
            sys.stdout.writelines(chunks)
            return 0
        target = Path(args.output) if args.output else Path.cwd() / default_filename(args.format)
        if target.is_dir():
            target = target / default_filename(args.format)
        try:
            write_output(target, chunks)
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    print(target)
    summary = report.summary
    if report.empty:
        print("mockint: no answers to report yet; the report says how to start", file=sys.stderr)
    else:
        from mockint.export.text import plural

        print(
            f"mockint: {plural(summary.answers, 'answer')} from "
            f"{plural(summary.sessions, 'session')}",
            file=sys.stderr,
        )
    return 0
