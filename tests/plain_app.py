"""`python -m mockint interview --plain` as a real process: answered line by line, killed at
chosen or random instants, its history database read from outside.

Shared by tests/cli/test_interview_durability.py and benchmarks/kill_trials.py.
"""

from __future__ import annotations

import os
import queue
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

# The repository root (this file is tests/plain_app.py): the child runs this checkout's code,
# whichever one the environment's editable install points at.
REPO = Path(__file__).resolve().parents[1]
ANSWERS = {
    "learning-rate": "Too high a learning rate makes the loss diverge; too low is slow.",
    "epoch-batch-iteration": "An epoch is a full pass over the data; an iteration is one batch.",
    "bias-variance": "High bias underfits the data, high variance overfits the training set.",
    "activation-functions": "ReLU avoids vanishing gradients; sigmoid saturates for large inputs.",
    "hyperparameters": "Hyperparameters like the learning rate are set before training.",
    "data-generators": "A generator yields batches from disk, so the data need not fit in memory.",
}


def spawn(db: Path, ids: list[str], stderr, follow_ups: bool = False) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "mockint", "interview", "--plain",
               "--db", str(db), "--questions", ",".join(ids)]  # fmt: skip
    if not follow_ups:
        command.append("--no-follow-up")
    return subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        encoding="utf-8",
    )


FOLLOW_UP = "You compare the validation loss with the training loss and stop when it rises."


def lines_of(stream) -> queue.Queue:
    """The lines of ``stream`` as they come, read by a thread (None at the end)."""
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def kill_trial(db: Path, log, rng: random.Random, ids: list[str]) -> tuple[list[str], list[str]]:
    """Answer questions one at a time (follow-ups too) and kill -9 the process at a random
    instant after one of the answers: within grading, just after, or before it is even read.
    Returns (answers written to the process, answers it acknowledged as saved)."""
    proc = spawn(db, ids, log, follow_ups=True)
    watchdog = threading.Timer(240, proc.kill)
    watchdog.start()
    written: list[str] = []
    acked: list[str] = []
    kill_after = rng.randrange(1, len(ids) + 1)  # at most the main answers: always killed
    lines = lines_of(proc.stdout)
    question = None
    try:
        while (line := lines.get(timeout=240)) is not None:
            if line.startswith("Question "):  # "Question 2/3 [topic, ...]"
                question = ids[int(line.split()[1].split("/")[0]) - 1]
            elif line.startswith("Saved. Grading"):
                acked.append(written[len(acked)])
            elif line.startswith("Your answer"):
                text = FOLLOW_UP if "skip" in line else ANSWERS[question]
                proc.stdin.write(text + "\n\n")
                proc.stdin.flush()
                written.append(text)
                if len(written) == kill_after:
                    time.sleep(rng.uniform(0.0, 1.5))
                    proc.kill()
                    break
        proc.wait()
    finally:
        watchdog.cancel()
        proc.kill()
        proc.wait()
    while (line := lines.get(timeout=10)) is not None:  # acknowledged before the kill landed
        if line.startswith("Saved. Grading"):
            acked.append(written[len(acked)])
    return written, acked


def stored(db: Path) -> list[tuple[str, str, bool]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT a.kind, a.text, g.answer_id IS NOT NULL FROM answers a "
            "LEFT JOIN grades g ON g.answer_id = a.id ORDER BY a.id"
        ).fetchall()


def drafts(db: Path) -> list[str]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            return [row[0] for row in conn.execute("SELECT text FROM drafts")]
    except sqlite3.OperationalError:  # not created yet
        return []
