"""Real `python -m mockint interview --plain` processes: killed mid-interview, or two at once.

Each process loads the real models (several seconds), so there are only a few of these.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from mockint.store import open_store

REPO = Path(__file__).resolve().parents[2]
ANSWERS = {
    "learning-rate": "Too high a learning rate makes the loss diverge; too low is slow.",
    "epoch-batch-iteration": "An epoch is a full pass over the data; an iteration is one batch.",
    "bias-variance": "High bias underfits the data, high variance overfits the training set.",
    "activation-functions": "ReLU avoids vanishing gradients; sigmoid saturates for large inputs.",
    "hyperparameters": "Hyperparameters like the learning rate are set before training.",
    "data-generators": "A generator yields batches from disk, so the data need not fit in memory.",
}


def _spawn(db: Path, ids: list[str], stderr) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "mockint", "interview", "--plain", "--no-follow-up",
               "--db", str(db), "--questions", ",".join(ids)]  # fmt: skip
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


def _piped(ids: list[str]) -> str:
    return "".join(ANSWERS[qid] + "\n\n" for qid in ids)


def _assert_complete(store, answer_rows) -> None:
    """Every stored answer has its grade and one result per key point: nothing half-written."""
    for row in answer_rows:
        assert row["score"] is not None, row
        points = store.db.execute(
            "SELECT count(*) FROM key_point_results WHERE answer_id = ?", [row["answer_id"]]
        ).fetchone()[0]
        assert points >= 3 and points == len(row["key_points"])


def test_killed_right_after_the_nth_answer_is_graded_loses_nothing(tmp_path):
    db = tmp_path / "history.db"
    ids = ["learning-rate", "epoch-batch-iteration", "bias-variance", "activation-functions"]
    n = 2
    with open(tmp_path / "stderr.txt", "w") as stderr:
        proc = _spawn(db, ids, stderr)
        # A watchdog, so a hung process fails the test instead of hanging it.
        watchdog = threading.Timer(240, proc.kill)
        watchdog.start()
        try:
            proc.stdin.write(_piped(ids))  # every answer is waiting: the process never idles
            proc.stdin.flush()
            graded = 0
            for line in proc.stdout:
                if line.startswith("Score: "):
                    graded += 1
                    if graded == n:
                        proc.send_signal(signal.SIGKILL)
                        break
            proc.wait()
        finally:
            watchdog.cancel()
    assert graded == n, (tmp_path / "stderr.txt").read_text()
    assert proc.returncode == -signal.SIGKILL

    with open_store(db) as store:
        [session] = store.sessions()
        assert session["ended_at"] is None  # killed: left resumable
        rows = store.session_answers(session["id"])
        # At least the N answers whose score was printed; perhaps the next one if its commit
        # landed before the kill, but never a half-written one.
        assert n <= len(rows) <= n + 1
        assert [r["question_id"] for r in rows[:n]] == ids[:n]
        assert [r["text"] for r in rows[:n]] == [ANSWERS[q] for q in ids[:n]]
        _assert_complete(store, rows)


def test_two_interviews_on_one_database_at_once_lose_nothing(tmp_path):
    db = tmp_path / "history.db"
    plans = [
        ["learning-rate", "epoch-batch-iteration", "bias-variance"],
        ["activation-functions", "hyperparameters", "data-generators"],
    ]
    logs = [open(tmp_path / f"stderr-{i}.txt", "w") for i in range(2)]  # noqa: SIM115
    try:
        procs = [_spawn(db, ids, log) for ids, log in zip(plans, logs, strict=True)]
        outputs = [
            proc.communicate(_piped(ids), timeout=300)[0]
            for proc, ids in zip(procs, plans, strict=True)
        ]
    finally:
        for log in logs:
            log.close()
    errors = [(tmp_path / f"stderr-{i}.txt").read_text() for i in range(2)]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert all(out.count("\nScore: ") == 3 for out in outputs), outputs

    with open_store(db) as store:
        sessions = store.sessions()
        assert len(sessions) == 2 and all(s["ended_at"] for s in sessions)
        by_plan = {tuple(s["plan"]): s["id"] for s in sessions}
        for ids in plans:
            rows = store.session_answers(by_plan[tuple(ids)])
            assert [r["question_id"] for r in rows] == ids
            assert [r["text"] for r in rows] == [ANSWERS[q] for q in ids]
            _assert_complete(store, rows)
