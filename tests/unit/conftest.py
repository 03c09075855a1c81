"""Fixtures of the unit tests that need the real speech model."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def speech_model(tmp_path_factory):
    """The real speech model, loaded once (joined into a session cache, not the user's)."""
    from mockint.voice import load_model

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOCKINT_CACHE_DIR", str(tmp_path_factory.mktemp("voice-cache")))
        return load_model()


@pytest.fixture(scope="session")
def graded_rows():
    """Every human-graded answer of data/graded/ (calibration and measurement sets)."""
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "data" / "graded"
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
