"""`mockint` with only global options opens the app; its options are read by a small parser
(no command imported), which must read them exactly as the full one does and leave every
other command line to it."""

from __future__ import annotations

import pytest

from mockint.cli import app_args, build_parser

APP_LINES = [
    [],
    ["--db", "x.db"],
    ["--db=x.db"],
    ["--rubrics", "a.toml", "--rubrics", "banks/", "--model", "m"],
    ["--mod", "m", "--rub", "a.toml"],
]
OTHER_LINES = [
    ["history"],
    ["--db", "x.db", "history", "3"],
    ["-h"],
    ["--help"],
    ["--he"],
    ["--version"],
    ["--vers"],
    ["--db"],
    ["--bogus"],
    ["--"],
]


@pytest.mark.parametrize("argv", APP_LINES, ids=" ".join)
def test_the_apps_options_are_read_as_the_full_parser_reads_them(argv):
    assert vars(app_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", OTHER_LINES, ids=" ".join)
def test_any_other_command_line_is_left_to_the_full_parser(argv):
    assert app_args(argv) is None
