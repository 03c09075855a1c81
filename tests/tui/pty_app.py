"""The real app in a real pseudo-terminal: start `python -m mockint`, type into it, signal it,
read what it wrote to the terminal, and look at its history database from outside.

Shared by tests/tui/test_terminal_signals.py and benchmarks/kill_trials.py.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class PtyApp:
    """``python -m mockint --db DB`` on a pty of ``size`` (columns, rows), with the small test
    bank as its only built-in bank."""

    def __init__(self, db: Path, home: Path, size: tuple[int, int] = (100, 40)):
        self.db = db
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = dict(os.environ)
        env.update(
            MOCKINT_HOME=str(home),
            MOCKINT_BUILTIN_RUBRICS=str(FIXTURES),
            TERM="xterm-256color",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mockint", "--db", str(db)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO,
            env=env,
            start_new_session=True,  # the pty is its controlling terminal
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: every process holding the terminal has gone
                return
            if not chunk:
                return
            self.output += chunk

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def wait(self, timeout: float = 60) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(5)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(5)
        os.close(self.master)

    def wait_for_question(self, timeout: float = 120) -> None:
        """Until the first question is asked, then a moment for the screen to take the keys."""
        until(lambda: query(self.db, "SELECT count(*) FROM asked") not in (None, [(0,)]), timeout)
        time.sleep(1.0)

    def start_interview(self) -> None:
        """From the home screen: ``s`` starts a mock interview with the defaults."""
        until(lambda: b"Start" in self.output, 120)
        time.sleep(0.5)
        self.type("s")
        self.wait_for_question()

    def restored_terminal(self) -> bool:
        """Whether the app left the terminal as it found it: alternate screen left, mouse
        tracking off, cursor shown, each after the last time it was turned on."""
        out = bytes(self.output)
        pairs = [(b"\x1b[?1049h", b"\x1b[?1049l"), (b"\x1b[?1000h", b"\x1b[?1000l"),
                 (b"\x1b[?25l", b"\x1b[?25h")]  # fmt: skip
        return all(out.rfind(on) < out.rfind(off) for on, off in pairs)


def send_and_kill(db: Path, home: Path, text: str, delay_s: float) -> tuple[list, list]:
    """Start the app, type ``text``, wait until it is saved as the draft, send it with ctrl+s,
    kill -9 the app ``delay_s`` later; returns (stored answers, saved drafts) afterwards."""
    app = PtyApp(db, home)
    try:
        app.start_interview()
        app.type(text)
        until(lambda: texts(db, "drafts") == [text], 30, "the draft")
        app.type("\x13")  # ctrl+s
        time.sleep(delay_s)
        app.signal(signal.SIGKILL)
        app.wait()
    finally:
        app.close()
    return texts(db, "answers"), texts(db, "drafts")


def query(db: Path, sql: str) -> list | None:
    """Rows of ``sql`` on the database as another process sees it (None: not there yet)."""
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return None


def until(condition, timeout: float, what: str = "the app") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def texts(db: Path, table: str) -> list[str]:
    return [row[0] for row in query(db, f"SELECT text FROM {table} ORDER BY rowid") or []]


SIGNALS = {"TERM": signal.SIGTERM, "HUP": signal.SIGHUP, "INT": signal.SIGINT}
