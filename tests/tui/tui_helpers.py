"""Helpers for driving the app with Pilot."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import TextArea

from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.widgets.transcript import Transcript, Turn


async def wait_for(pilot: Pilot, condition, what: str, timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (workers finish, messages land)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)
    # A screen is current before its children are composed: let pending messages settle.
    await pilot.pause()


async def wait_phase(pilot: Pilot, *phases: str) -> InterviewScreen:
    """Wait until the interview screen is in one of ``phases``; returns the screen."""
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, InterviewScreen) and pilot.app.screen.phase in phases,
        f"interview phase {phases}",
    )
    return pilot.app.screen


async def answer(pilot: Pilot, text: str) -> None:
    """Put ``text`` in the answer box and send it with the submit key."""
    box = pilot.app.screen.query_one("#answer", TextArea)
    box.text = text
    await pilot.press("ctrl+s")


def transcript_text(app) -> str:
    """Everything said so far, as plain text."""
    transcript = app.screen.query_one(Transcript)
    return "\n".join(str(turn.render()) for turn in transcript.query(Turn))


def last_turn(app) -> str:
    return str(app.screen.query_one(Transcript).query(Turn).last().render())


async def send(pilot: Pilot, text: str, *phases: str) -> None:
    """Send ``text`` as the answer and wait until the interview is in one of ``phases``."""
    await answer(pilot, text)
    await wait_phase(pilot, *phases)


HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


@contextlib.contextmanager
def lock_held(path: Path):
    """Another program holding the write lock of the SQLite file at ``path`` until the block
    ends (as a second mockint, or any tool, writing to the history would)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.communicate("\n", timeout=60)
