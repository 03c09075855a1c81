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
