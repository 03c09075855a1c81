"""The command line face of mockint: parse arguments, call the core, print.

Each command group lives in ``mockint/commands/<name>.py`` and exposes ``register(subparsers)``;
a command's handler takes the parsed namespace and returns an exit code. User mistakes raise
:class:`UserError` and become one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from mockint.errors import UserError

# Command modules, in the order `mockint --help` lists them.
COMMAND_MODULES = [
    "interview",
    "grade",
    "rubrics",
    "history",
    "report",
    "next",
    "transcribe",
]


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake reported in one line (subcommands inherit it)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}; see `{self.prog} --help`\n")


class _Version(argparse.Action):
    """``--version``: the version, the question banks (id, version, content hash) and the
    models grades would come from; ``--rubrics`` and ``--model`` given before it count."""

    def __init__(
        self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None
    ):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from mockint.provenance import version_text
        from mockint.rubric import default_search_path, load_library

        library = load_library(default_search_path(getattr(namespace, "rubrics", None) or []))
        print(version_text(library, getattr(namespace, "model", None)))
        parser.exit()


class _NotTheApp(Exception):
    """The command line asks for more than the app (a command, help, or a mistake)."""


class _AppParser(_Parser):
    """The global options alone; anything it cannot read goes to the full parser."""

    def error(self, message: str):
        raise _NotTheApp(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mockint",
        description="An offline mock-interview coach. With no command, opens the interview app.",
    )
    parser.add_argument(
        "--version", action=_Version, help="show the version, question banks and models, and exit"
    )
    _add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"mockint.commands.{name}")
        module.register(subparsers)
    return parser


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rubrics",
        action="append",
        default=[],
        metavar="PATH",
        help="extra question bank file or folder (repeatable)",
    )
    parser.add_argument("--db", metavar="PATH", help="history database file (default: data dir)")
    parser.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        help="sentence-transformers model for grading (default: MOCKINT_MODEL or all-MiniLM-L6-v2)",
    )


def app_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options of a plain ``mockint [--rubrics PATH] [--db PATH] [--model NAME]``, which
    opens the app, read without importing every command and building its parser (that took
    a tenth of the time to the app's first screen); None for any other command line (a
    command, help, --version, a mistake), which :func:`build_parser`'s parser reads."""
    parser = _AppParser(prog="mockint", add_help=False)
    _add_global_options(parser)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except _NotTheApp:
        return None
    if rest:
        return None
    args.command = None
    return args


def _open_app(args: argparse.Namespace) -> int:
    """The app, with the garbage collector off while it starts: Textual's imports and the
    home screen allocate tens of thousands of objects that live as long as the app, and the
    collector walked them again and again before the first frame (about 20 ms of 270). The
    app turns it back on once its home screen is painted (``load_in_background``)."""
    gc.disable()
    try:
        from mockint.tui.app import run_app

        return run_app(args)
    finally:
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = app_args(argv) or build_parser().parse_args(argv)
    try:
        if args.command is None:
            return _open_app(args)
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(f"mockint: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mockint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `mockint history | head`: the reader left; that is not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
