"""Fixtures for the TUI tests: a frozen question bank, real SQLite stores with a fixed clock, the
real grader (shared with the rest of the suite), steady cursors and a fixed time zone."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from mockint.rubric import Library, load_library
from mockint.store import Store, open_store
from mockint.tui.app import MockintApp

FIXTURES = Path(__file__).parent / "fixtures"
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TODAY = date(2025, 3, 10)


class StepClock:
    """A store clock that moves 30 seconds forward each time it is read, from ``START``:
    timestamps are distinct, ordered and the same on every run."""

    def __init__(self, start: datetime = START, step: timedelta = timedelta(seconds=30)):
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        current = self.now
        self.now += self.step
        return current


@pytest.fixture(autouse=True)
def steady_tui(monkeypatch):
    """No blinking cursors (a snapshot must not depend on when it was taken) and UTC local
    time (history shows local times)."""
    for widget in (TextArea, Input):
        original = widget.__init__

        def init(self, *args, _original=original, **kwargs):
            _original(self, *args, **kwargs)
            self.cursor_blink = False

        monkeypatch.setattr(widget, "__init__", init)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="session")
def tui_library() -> Library:
    """The frozen three-question bank of the TUI tests."""
    library = load_library([FIXTURES])
    assert not library.problems, library.problems
    return library


@pytest.fixture(scope="session")
def tui_grader(grader, tui_library):
    """The real grader, with the test bank's rubric texts embedded once."""
    grader.warm([q for _, q in tui_library.questions()])
    return grader


@pytest.fixture
def db_path(mockint_home) -> Path:
    return mockint_home / "history.db"


@pytest.fixture
def store(db_path) -> Store:
    """A real store on a temporary file, with a fixed, stepping clock."""
    s = open_store(db_path, clock=StepClock())
    yield s
    s.close()


@pytest.fixture
def make_app(tui_library, store) -> Callable[..., MockintApp]:
    """Build the app with injected library, store, frozen timer clock and today."""

    def make(**kwargs) -> MockintApp:
        kwargs.setdefault("library", tui_library)
        kwargs.setdefault("store", store)
        kwargs.setdefault("clock", lambda: 1000.0)
        kwargs.setdefault("today", lambda: TODAY)
        return MockintApp(**kwargs)

    return make
