"""How long `mockint` (no command) takes to show its first screen in a real terminal, and how
long the grading model then takes to be ready in the background. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/tui_startup.py [--runs 5]

Each run starts a fresh `mockint` process on a pseudo-terminal (80x24) and times, from the
spawn, the first appearance of the home screen's start button, then of "model ready" in the
status bar. A trivial Textual app is timed the same way, as the floor on this machine.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL_APP = """
from textual.app import App
from textual.widgets import Footer, Label
class Trivial(App):
    def compose(self):
        yield Label("Start")
        yield Footer()
Trivial().run()
"""


def time_to_text(argv: list[str], marks: list[bytes], env: dict, timeout: float = 120.0):
    """Seconds from spawning ``argv`` on a pty until each of ``marks`` has been printed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, cwd=ROOT
    )
    os.close(slave)
    seen, times, buffer = 0, [], b""
    try:
        while seen < len(marks) and time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            buffer += chunk
            while seen < len(marks) and marks[seen] in buffer:
                times.append(time.perf_counter() - start)
                seen += 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        os.close(master)
    return times + [float("nan")] * (len(marks) - len(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    mockint = shutil.which("mockint", path=str(Path(sys.executable).parent)) or "mockint"
    first, ready, floor = [], [], []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MOCKINT_HOME": home, "TERM": "xterm-256color"}
        for _ in range(runs):
            shown, loaded = time_to_text([mockint], [b"Start", b"model ready"], env)
            first.append(shown)
            ready.append(loaded)
            floor.append(time_to_text([sys.executable, "-c", TRIVIAL_APP], [b"Start"], env)[0])
    med = statistics.median
    print(
        f"first screen:        median {med(first):.3f} s (min {min(first):.3f}, "
        f"max {max(first):.3f}) over {runs} runs"
    )
    print(f"trivial Textual app: median {med(floor):.3f} s (the floor on this machine)")
    print(f"ratio first screen / trivial app: {med(first) / med(floor):.2f}x")
    print(f"model ready (background, UI usable meanwhile): median {med(ready):.2f} s")


if __name__ == "__main__":
    main()
