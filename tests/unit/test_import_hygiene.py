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
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, f"importing {module} failed:\n{result.stderr}"
    assert result.stdout.strip() == "", f"{module} imports textual: {result.stdout.strip()}"
