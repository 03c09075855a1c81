"""Fixtures shared by every test: an isolated MOCKINT_HOME and one grader for the whole session."""

from __future__ import annotations

import os

import pytest

# Never reach for a model hub from a test, whatever the machine allows.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def mockint_home(tmp_path, monkeypatch):
    """Every test writes into its own data dir, never the user's real one."""
    home = tmp_path / "mockint-home"
    home.mkdir()
    monkeypatch.setenv("MOCKINT_HOME", str(home))
    # The embedding cache is shared across tests (content-addressed, so it cannot go stale);
    # re-embedding every rubric in every test would only cost time.
    monkeypatch.setenv("MOCKINT_CACHE_DIR", str(_shared_cache_dir()))
    return home


_CACHE: list = []


def _shared_cache_dir():
    if not _CACHE:
        import tempfile
        from pathlib import Path

        _CACHE.append(Path(tempfile.mkdtemp(prefix="mockint-test-cache-")))
    return _CACHE[0]


@pytest.fixture(scope="session")
def library():
    """The built-in question banks."""
    from mockint.locations import builtin_rubrics_dir
    from mockint.rubric import load_library

    lib = load_library([builtin_rubrics_dir()])
    assert not lib.problems, lib.problems
    return lib


@pytest.fixture(scope="session")
def grader():
    """The real grader with the real default models, loaded once for the whole test session."""
    from mockint.grading import load_grader

    return load_grader()


@pytest.fixture(scope="session")
def grade_in_library(grader, library):
    """Grade an answer to a built-in question as the app does: its bank and every other bank
    loaded (so an answer to another question can be told)."""

    def grade(question_id: str, answer: str):
        bank, question = library.find_question(question_id)
        return grader.grade(
            question,
            answer,
            bank_id=bank.id,
            other_questions=bank.questions,
            elsewhere=library.outside(bank.id),
        )

    return grade
