"""The core never imports Textual: each core module, imported alone in a fresh interpreter,
must leave ``textual`` out of ``sys.modules`` (the TUI and the CLI are two faces over it)."""

from __future__ import annotations

import pytest
from fresh_python import run_python

CORE_MODULES = [
    "mockint.rubric",
    "mockint.grading",
    "mockint.store",
    "mockint.progress",
    "mockint.export",
    "mockint.practice",
    "mockint.interview",
    "mockint.voice",
    "mockint.authoring",
    "mockint.provenance",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    leaked = run_python(code)
    assert leaked == "", f"{module} imports textual: {leaked}"


def test_the_first_screen_imports_no_model_code():
    """Everything the app imports before its first screen (the command line, the app and its
    home screen) leaves the question banks' models (pydantic), the grader, numpy, torch and
    sqlite-utils alone: they load in the background, after the first paint. Nor does it
    import the other commands: building their parsers took a tenth of the first screen."""
    code = (
        "import sys\n"
        "from mockint.cli import app_args\n"
        "from mockint.tui.app import app_from_args\n"
        "app_from_args(app_args([]))\n"
        "import mockint.tui.screens.home\n"
        "heavy = ('numpy', 'torch', 'pydantic', 'sqlite_utils')\n"
        "commands = [m for m in sys.modules if m.startswith('mockint.commands.')]\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
        "                      or m.startswith(('mockint.grading', 'mockint.rubric'))\n"
        "                      or m in commands and m != 'mockint.commands._common')))\n"
    )
    assert run_python(code) == ""


def test_the_home_screen_shown_and_resized_imports_no_model_code():
    """The home screen, composed, painted and resized (the app's own loading of banks, history
    and models switched off), still has imported none of it: a resize handler that rendered the
    recent sessions imported the grading models' module and took the first screen from 0.32 s
    to 0.55 s here."""
    code = (
        "import asyncio, sys\n"
        "from mockint.cli import app_args\n"
        "from mockint.tui.app import MockintApp, app_from_args\n"
        "for name in ('load_library', 'open_store', 'load_grader'):\n"
        "    setattr(MockintApp, name, lambda self: None)\n"
        "app = app_from_args(app_args([]))\n"
        "async def show():\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        await pilot.resize_terminal(140, 45)\n"
        "        await pilot.pause()\n"
        "        assert type(app.screen).__name__ == 'HomeScreen', app.screen\n"
        "asyncio.run(show())\n"
        "heavy = ('numpy', 'torch', 'pydantic', 'sqlite_utils')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
        "                      or m.startswith(('mockint.grading', 'mockint.rubric')))))\n"
    )
    assert run_python(code) == ""
