"""Real `python -m mockint interview --plain` processes: killed mid-interview (at chosen and at
random instants), or two at once; then resumed.

Each process loads the real models (several seconds), so there are only a few of these;
benchmarks/kill_trials.py runs hundreds.
"""

from __future__ import annotations

import io
import random
import signal
import threading
import time

import pytest
from plain_app import ANSWERS, drafts, kill_trial, spawn, stored

from mockint.cli import main
from mockint.store import open_store


def _piped(ids: list[str]) -> str:
    return "".join(ANSWERS[qid] + "\n\n" for qid in ids)


def _assert_complete(store, answer_rows) -> None:
    """Every stored answer has its grade and one result per key point: nothing half-written."""
    for row in answer_rows:
        assert row["score"] is not None, row
        points = store.db.execute(
            "SELECT count(*) FROM key_point_results WHERE answer_id = ?", [row["answer_id"]]
        ).fetchone()[0]
        # A main answer is graded on every key point; a follow-up on the one it asked about.
        expected = 1 if row.get("kind") == "follow_up" else 3
        assert points >= expected and points == len(row["key_points"])


def test_killed_right_after_the_nth_answer_is_graded_loses_nothing(tmp_path):
    db = tmp_path / "history.db"
    ids = ["learning-rate", "epoch-batch-iteration", "bias-variance", "activation-functions"]
    n = 2
    with open(tmp_path / "stderr.txt", "w") as stderr:
        proc = spawn(db, ids, stderr)
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
        procs = [spawn(db, ids, log) for ids, log in zip(plans, logs, strict=True)]
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


def test_killed_at_random_instants_every_acknowledged_answer_is_stored_then_graded(
    tmp_path, monkeypatch, capsys
):
    """A seeded property test: whenever the kill lands, every answer the process said it saved
    is in the history, nothing stored is half-written, and a resume grades what was not."""
    rng = random.Random(13)
    ids = ["learning-rate", "bias-variance"]
    for trial in range(3):
        db = tmp_path / f"trial-{trial}.db"
        with open(tmp_path / f"stderr-{trial}.txt", "w") as log:
            written, acked = kill_trial(db, log, rng, ids)
        rows = stored(db)
        texts = [text for _, text, _ in rows]
        assert texts == written[: len(texts)], (trial, written, rows)  # in order, none made up
        assert acked == texts[: len(acked)], (trial, acked, rows)  # every acknowledged answer
        assert len(texts) >= len(acked)
        if not rows:
            continue
        with open_store(db) as store:
            [session] = store.sessions()
            answers = store.session_answers(session["id"])
            _assert_complete(store, [r for r in answers if r["score"] is not None])
        # Resume in this process: whatever was left ungraded is graded before anything else.
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        assert main(["interview", "--plain", "--db", str(db), "--resume"]) == 0
        out = capsys.readouterr().out
        ungraded = [text for _, text, graded in rows if not graded]
        assert out.count("is now graded: ") == len(ungraded), out
        assert all(graded for _, _, graded in stored(db))


def test_the_lines_of_an_unsent_answer_survive_a_kill_and_come_back(tmp_path, monkeypatch, capsys):
    db = tmp_path / "history.db"
    first = "Too high a learning rate makes the loss diverge;"
    with open(tmp_path / "stderr.txt", "w") as log:
        proc = spawn(db, ["learning-rate"], log)
        try:
            proc.stdin.write(first + "\n")
            proc.stdin.flush()
            deadline = time.monotonic() + 240
            while not drafts(db) and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
        finally:
            proc.kill()
            proc.wait()
    assert drafts(db) == [first]
    monkeypatch.setattr("sys.stdin", io.StringIO("too low is slow.\n\n"))
    assert main(["interview", "--plain", "--no-follow-up", "--db", str(db), "--resume"]) == 0
    out = capsys.readouterr().out
    assert "Your unsent answer from last time" in out and first in out
    assert [text for _, text, _ in stored(db)] == [first + "\ntoo low is slow."]
    assert drafts(db) == []


@pytest.fixture
def tui_saved_answer(tmp_path):
    """A session the app started, whose answer was stored while the model was still loading
    and the app then closed: stored, never graded."""
    from mockint.interview import Interview
    from mockint.locations import builtin_rubrics_dir
    from mockint.rubric import load_library

    db = tmp_path / "history.db"
    library = load_library([builtin_rubrics_dir()])
    with open_store(db) as store:
        questions = [library.find_question("learning-rate"), library.find_question("bias-variance")]
        interview = Interview.start(store, library, None, questions, client="tui")
        interview.next_question()
        interview.record(ANSWERS["learning-rate"])
    return db


def test_plain_resume_grades_an_answer_the_app_saved_before_its_model_loaded(
    tui_saved_answer, monkeypatch, capsys
):
    db = tui_saved_answer
    assert stored(db) == [("main", ANSWERS["learning-rate"], False)]
    monkeypatch.setattr("sys.stdin", io.StringIO(ANSWERS["bias-variance"] + "\n\n"))
    code = main(["interview", "--plain", "--no-follow-up", "--db", str(db), "--resume"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Your saved answer to learning-rate is now graded: " in out
    assert out.index("now graded") < out.index("Question 2/2")
    assert stored(db) == [
        ("main", ANSWERS["learning-rate"], True),
        ("main", ANSWERS["bias-variance"], True),
    ]
