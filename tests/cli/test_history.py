"""`mockint history` over a real database built with hand-made grades on the built-in bank."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from handmade import Clock, make_grade, slipping_grade

from mockint.cli import main
from mockint.store import open_store

BN_ANSWER = "BN normalizes the activations of each layer with batch statistics."


@pytest.fixture
def db(tmp_path, library):
    """Two sessions: a finished one with a follow-up, a misconception and an override, and an
    unfinished one with a skip."""
    bank = library.bank("deep-learning")
    norm, lr = bank.question("batch-norm"), bank.question("learning-rate")
    path = tmp_path / "history.db"
    clock = Clock(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    with open_store(path, clock=clock) as store:
        first = store.start_session(mode="mock", bank_id=bank.id, plan=["batch-norm"])
        asked = store.ask(first, bank.id, norm)
        missed = {"avoids-saturation": "miss", "inference-running-stats": "miss"}
        grade = make_grade(norm, missed, bank_id=bank.id, misconceptions=("normalizes-weights",))
        answer = store.record_answer(asked, BN_ANSWER, grade, hints_used=1)
        store.set_override(answer, 80)
        follow = make_grade(
            norm,
            {kp.id: "miss" for kp in norm.key_points} | {"inference-running-stats": "hit"},
            bank_id=bank.id,
        )
        store.record_answer(asked, "Running averages at inference.", follow, kind="follow_up")
        store.end_session(first)
        clock.advance(days=1)
        second = store.start_session(mode="due", bank_id=bank.id, plan=["learning-rate", "x"])
        store.record_answer(store.ask(second, bank.id, lr), "Step size.", make_grade(lr))
        store.record_skip(store.ask(second, bank.id, norm))
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_list_shows_sessions_with_answers_and_mean_score(db, capsys):
    code, out, _ = _run(capsys, "history", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "Started", "Mode", "Bank", "Answered", "Mean", "Status"]
    second, first = lines[1].split(), lines[2].split()
    assert second[0] == "2" and second[3:5] == ["due", "deep-learning"]
    assert second[5:] == ["1/2", "100", "unfinished"]
    assert first[0] == "1" and first[5:] == ["1/1", "80", "finished"]  # the override counts
    assert "--resume ID" in out


def test_the_list_as_json(db, capsys):
    code, out, _ = _run(capsys, "history", "--db", str(db), "--json")
    sessions = json.loads(out)["sessions"]
    assert code == 0 and [s["id"] for s in sessions] == [2, 1]
    assert sessions[1]["mean_score"] == 80 and sessions[1]["n_follow_ups"] == 1
    assert sessions[0]["n_skipped"] == 1 and sessions[0]["ended_at"] is None


def test_one_session_shows_each_answer_with_its_grade(db, capsys):
    code, out, _ = _run(capsys, "history", "--db", str(db), "1")
    assert code == 0
    assert "Question 1: batch-norm" in out and "What is Batch Normalization" in out
    assert f"Answer: {BN_ANSWER}" in out
    assert "your own score: 80" in out and "1 hint used" in out
    assert "Covered:" in out and '(you said: "I said normalizes-activations")' in out
    assert "Missed:\n    - BN keeps pre-activations out of the saturated regions" in out
    assert "Wrong: " in out and 'You said: "I think normalizes-weights"' in out
    assert "Follow-up asked: " in out
    assert "Follow-up answer: Running averages at inference." in out
    assert "Now covered:\n    - At inference BN uses the running mean" in out
    assert "Coverage of the question: " in out


def test_one_session_as_json_and_a_skip(db, capsys):
    code, out, _ = _run(capsys, "history", "--db", str(db), "2", "--json")
    data = json.loads(out)
    assert code == 0 and data["session"]["id"] == 2
    answered, skipped = data["answers"]
    assert answered["question_id"] == "learning-rate" and answered["key_points"]
    assert skipped["skipped"] == 1 and skipped["score"] is None
    code, out, _ = _run(capsys, "history", "--db", str(db), "2")
    assert "Question 2: batch-norm" in out and "Skipped." in out


def test_deleting_a_session(db, capsys):
    code, out, _ = _run(capsys, "history", "--db", str(db), "--delete", "1")
    assert code == 0 and out.strip() == "Deleted session 1 (2 answers)."
    with open_store(db) as store:
        assert [s["id"] for s in store.sessions()] == [2]
    code, _, err = _run(capsys, "history", "--db", str(db), "--delete", "1")
    assert code == 2 and err.strip() == (
        "mockint: error: there is no session 1 (see `mockint history`)."
    )


def test_an_unknown_session_and_an_empty_history(db, capsys, tmp_path):
    code, _, err = _run(capsys, "history", "--db", str(db), "99")
    assert code == 2 and "there is no session 99" in err
    code, out, _ = _run(capsys, "history", "--db", str(tmp_path / "new.db"))
    assert code == 0 and "No interview sessions yet" in out


def test_a_foreign_database_is_a_one_line_error_and_stays_untouched(capsys, tmp_path):
    import sqlite3

    path = tmp_path / "notes.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    code, out, err = _run(capsys, "history", "--db", str(path))
    assert code == 2 and out == ""
    assert err.startswith("mockint: error: ") and "not mockint's" in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_barely_touched_points_contradictions_and_a_follow_up_on_its_point(
    tmp_path, library, capsys
):
    """A point with a sliver of credit is listed as missed ("barely touched on"), a key point
    stated the wrong way round reads "Not right" with the point itself, and a follow-up is
    judged on the point it asked about, even when its grade holds that point alone."""
    bank = library.bank("deep-learning")
    norm = bank.question("batch-norm")
    path = tmp_path / "history.db"
    clause = "BN uses the statistics of the current batch at inference"
    with open_store(path) as store:
        session = store.start_session(mode="mock", bank_id=bank.id, plan=["batch-norm"])
        asked = store.ask(session, bank.id, norm)
        main = slipping_grade(norm, bank.id, "avoids-saturation", "inference-running-stats", clause)
        store.record_answer(asked, f"BN normalizes. I think {clause}.", main)
        target = main.follow_up_key_point
        follow = make_grade(norm, {target: "hit"}, bank_id=bank.id)
        follow.key_points = [kp for kp in follow.key_points if kp.id == target]
        store.record_answer(asked, "Running averages.", follow, kind="follow_up")
    code, out, _ = _run(capsys, "history", "--db", str(path), "1")
    assert code == 0
    saturation = norm.key_point("avoids-saturation").text.get("en")
    partly = out.split("Partly covered:")[1].split("Missed:")[0] if "Partly" in out else ""
    assert saturation not in partly
    assert f"{saturation} (barely touched on)" in out.split("Missed:")[1]
    point = norm.key_point(target).text.get("en")
    assert "On the point it asked about: covered.\n  Now covered:\n    - " + point in out
    assert f'Not right: you said "I think {clause}."' in out
    assert "In fact: " + norm.key_point("inference-running-stats").text.get("en") in out
    assert "contradicts:" not in out
