"""The command line face of mockint: parse arguments, call the core, print.

Each command group lives in ``mockint/commands/<name>.py`` and exposes ``register(subparsers)``;
a command's handler takes the parsed namespace and returns an exit code. User mistakes raise
:class:`UserError` and become one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mockint",
        description="An offline mock-interview coach. With no command, opens the interview app.",
    )
    parser.add_argument(
        "--version", action=_Version, help="show the version, question banks and models, and exit"
    )
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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"mockint.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from mockint.tui.app import run_app

            return run_app(args)
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
