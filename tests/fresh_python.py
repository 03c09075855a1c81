"""Run a snippet in a fresh interpreter: what importing or loading something pulls in shows
only in a process of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, timeout: float = 120) -> str:
    """The standard output (stripped) of ``code`` run by this interpreter in a new process from
    the repository root; the calling test fails with the process's stderr if it fails."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
