"""Pieces every command shares: common options and loading the core from parsed arguments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mockint.errors import UserError


def common_options() -> argparse.ArgumentParser:
    """Options accepted by every subcommand (also accepted before the command name)."""
    parent = argparse.ArgumentParser(add_help=False)
    # SUPPRESS keeps a value given before the command name from being reset by the subparser.
    parent.add_argument(
        "--rubrics",
        action="append",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="extra question bank file or folder (repeatable)",
    )
    parent.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="history database file (default: history.db in the data dir)",
    )
    parent.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        default=argparse.SUPPRESS,
        help="sentence-transformers model for grading (default: MOCKINT_MODEL or all-MiniLM-L6-v2)",
    )
    return parent


def positive_int(value: str) -> int:
    """An argparse ``type`` for counts: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def row_id(value: str) -> int:
    """An argparse ``type`` for a session or answer id: a whole number SQLite can hold."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= number < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is not an id (see `mockint history`)")
    return number


def open_store_from_args(
    args: argparse.Namespace,
    *,
    readonly: bool = False,
    check_rows: bool = False,
    check_later: bool = False,
):
    """The history store of ``--db`` (or the data dir's), its notices printed on stderr.

    ``check_rows``: refuse, with a line saying which session to delete, a database holding a
    damaged row that the aggregate queries (reports, schedules) could not read.
    ``check_later``: check the file (its pages, and its rows with ``check_rows``) while the
    command reads, as :func:`mockint.store.open_store` describes."""
    from mockint.store import StoreError, open_store

    db = getattr(args, "db", None)
    store = open_store(Path(db) if db else None, readonly=readonly, check_later=check_later)
    for notice in store.notices:
        print(f"mockint: {notice}", file=sys.stderr)
    if check_rows:
        try:
            store.check_rows(later=check_later)
        except StoreError:
            store.close()
            raise
    return store


def add_command(subparsers, name: str, handler, help: str, description: str | None = None):
    """Add a subcommand with the common options; returns its parser for more arguments."""
    parser = subparsers.add_parser(
        name, help=help, description=description or help, parents=[common_options()]
    )
    parser.set_defaults(handler=handler)
    return parser


def check_rubrics_paths(args: argparse.Namespace) -> list[Path]:
    """The ``--rubrics`` paths; a UserError when one does not exist."""
    extra = [Path(p) for p in getattr(args, "rubrics", None) or []]
    for path in extra:
        if not path.exists():
            raise UserError(f"--rubrics {path}: no such file or folder")
    return extra


def load_library_from_args(args: argparse.Namespace, quiet: bool = False):
    """The banks on the search path plus ``--rubrics``; broken files are reported on stderr."""
    from mockint.rubric import default_search_path, load_library

    library = load_library(default_search_path(check_rubrics_paths(args)))
    if library.problems and not quiet:
        for problem in library.problems:
            print(f"mockint: skipped: {problem}", file=sys.stderr)
    if not library.banks:
        raise UserError("no question bank could be loaded (run `mockint rubrics check`)")
    return library


def find_question(library, question_id: str):
    """(bank, question) for an id, or a UserError listing close matches."""
    import difflib

    try:
        return library.find_question(question_id)
    except KeyError:
        ids = [q.id for _, q in library.questions()]
        close = difflib.get_close_matches(question_id, ids, n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else " See `mockint rubrics list`."
        raise UserError(f"unknown question id {question_id!r}.{hint}") from None


def load_grader_from_args(args: argparse.Namespace):
    """The grader with the model chosen by ``--model`` / ``MOCKINT_MODEL`` (slow: loads models)."""
    from mockint.grading import GraderLoadError, load_grader

    try:
        return load_grader(getattr(args, "model", None))
    except GraderLoadError as exc:
        raise UserError(str(exc)) from None
