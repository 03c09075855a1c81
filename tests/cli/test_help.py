"""Every command and subcommand says what it does (walks the argparse tree of the real parser)."""

from __future__ import annotations

import argparse

import pytest

from mockint.cli import build_parser, main


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, its parser, the help line its parent lists) for every (sub)command."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield path + (name,), sub, helps.get(name)
                yield from _walk(sub, path + (name,))


COMMANDS = list(_walk(build_parser()))


def test_the_tree_has_the_expected_commands():
    names = {" ".join(path) for path, _, _ in COMMANDS}
    assert {
        "interview",
        "grade",
        "rubrics",
        "rubrics list",
        "rubrics check",
        "rubrics new",
        "rubrics import",
        "history",
        "report",
        "next",
    } <= names


def test_top_level_help_describes_the_app():
    parser = build_parser()
    assert parser.description and len(parser.description) > 20


@pytest.mark.parametrize(
    ("path", "parser", "listed"), COMMANDS, ids=[" ".join(p) for p, _, _ in COMMANDS]
)
def test_every_command_has_help_text(path, parser, listed):
    assert listed and len(listed.strip()) > 10, f"`{' '.join(path)}` has no one-line help"
    assert parser.description and len(parser.description.strip()) > 10
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
            continue
        assert action.help, (
            f"`{' '.join(path)}` option {action.option_strings or action.dest} has no help"
        )


@pytest.mark.parametrize(
    "path", [p for p, _, _ in COMMANDS], ids=[" ".join(p) for p, _, _ in COMMANDS]
)
def test_help_flag_prints_usage_and_exits_zero(path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*path, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: mockint " + " ".join(path))
