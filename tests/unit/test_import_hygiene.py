"""The core never imports Textual: each core module, imported alone in a fresh interpreter,
must leave ``textual`` out of ``sys.modules`` (the TUI and the CLI are two faces over it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

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
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, f"importing {module} failed:\n{result.stderr}"
    assert result.stdout.strip() == "", f"{module} imports textual: {result.stdout.strip()}"


def test_the_first_screen_imports_no_model_code():
    """Everything the app imports before its first screen (the command line, the app and its
    home screen) leaves the question banks' models (pydantic), the grader, numpy, torch and
    sqlite-utils alone: they load in the background, after the first paint."""
    code = (
        "import sys\n"
        "from mockint.cli import build_parser\n"
        "from mockint.tui.app import app_from_args\n"
        "app_from_args(build_parser().parse_args([]))\n"
        "import mockint.tui.screens.home\n"
        "heavy = ('numpy', 'torch', 'pydantic', 'sqlite_utils')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
        "                      or m.startswith(('mockint.grading', 'mockint.rubric')))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
