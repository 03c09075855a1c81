"""`mockint next`, run in-process through mockint.cli.main with a temp --db.

The command reads the real clock, so the history is seeded relative to it (answers "3 days ago");
nothing here measures time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from handmade import make_grade

from mockint import practice
from mockint.cli import main
from mockint.store import open_store


@pytest.fixture
def db(tmp_path):
    return tmp_path / "history.db"


@pytest.fixture
def seeded(db, library):
    """Two answered questions of the built-in bank: one missed everything 3 days ago (overdue),
    one answered perfectly today (not due). Returns (overdue question, fine question)."""
    bank = library.banks[0]
    overdue, fine = bank.questions[0], bank.questions[1]
    now = datetime.now(UTC)
    clock = {"now": now}  # what the store stamps on the answers
    store = open_store(db, clock=lambda: clock["now"])
    sid = store.start_session(mode="new", bank_id=bank.id, language="en", client="test")
    for question, missed, days_ago in (
        (overdue, [kp.id for kp in overdue.key_points], 3),
        (fine, [], 0),
    ):
        clock["now"] = now - timedelta(days=days_ago)
        asked_id = store.ask(sid, bank.id, question)
        grade = make_grade(question, dict.fromkeys(missed, "miss"), bank_id=bank.id)
        answer_id = store.record_answer(asked_id, "an answer", grade)
        practice.update_after_grade(store, bank.id, question, answer_id, now=clock["now"])
    store.end_session(sid)
    store.close()
    return overdue, fine


def test_next_with_no_history_says_nothing_is_due_and_points_to_new(db, library, capsys):
    assert main(["next", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    total = sum(len(bank.questions) for bank in library.banks)
    assert "Nothing is due today." in out
    assert f"0 due today · 0 weak · {total} never asked · {total} questions." in out
    assert "mockint next --mode new" in out


def test_next_shows_what_is_due_and_why(db, seeded, capsys):
    overdue, fine = seeded
    assert main(["next", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Due today (1):")
    assert f" 1. {overdue.id}  due " in out
    n = len(overdue.key_points)
    assert f"(2 days overdue); last score 0 (again); missed {n} of {n} key points" in out
    assert overdue.prompt.get("en")[:40] in out
    # The missed key points are spelled out, so the candidate knows what to work on.
    assert f"    missed: {overdue.key_points[0].text.get('en')[:40]}" in out
    assert fine.id not in out.split("\n\n")[0]
    assert "1 due today · 1 weak" in out


def test_next_json_gives_reasons_scores_missed_points_and_due_dates(db, seeded, capsys):
    overdue, fine = seeded
    assert main(["next", "--json", "--db", str(db)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["mode"] == "due"
    [item] = payload["questions"]
    assert item["question_id"] == overdue.id
    assert item["last_score"] == 0
    assert item["missed_points"] == [kp.id for kp in overdue.key_points]
    assert item["overdue_days"] == pytest.approx(2, abs=0.01)
    assert datetime.fromisoformat(item["due_at"]) < datetime.now(UTC)
    assert "last score 0" in item["reason"]
    assert payload["summary"]["due"] == 1
    assert payload["summary"]["next_due_question"] == fine.id


def test_next_modes_bank_filter_and_count(db, seeded, library, capsys):
    overdue, fine = seeded
    bank = library.banks[0]
    assert (
        main(["next", "--json", "--mode", "new", "--bank", bank.id, "-n", "3", "--db", str(db)])
        == 0
    )
    new = json.loads(capsys.readouterr().out)["questions"]
    assert [q["question_id"] for q in new] == [q.id for q in bank.questions[2:5]]
    assert all(q["reason"] == "never asked" for q in new)

    assert main(["next", "--json", "--mode", "weak", "--db", str(db)]) == 0
    weak = json.loads(capsys.readouterr().out)["questions"]
    assert [q["question_id"] for q in weak] == [overdue.id]

    assert main(["next", "--json", "--mode", "mock", "-n", "4", "--db", str(db)]) == 0
    mock = json.loads(capsys.readouterr().out)["questions"]
    assert len(mock) == 4
    # Both seeded questions were asked in the last session; a mock interview avoids them.
    assert not {overdue.id, fine.id} & {q["question_id"] for q in mock}

    assert main(["next", "--mode", "weak", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Weak spots (1):")
    assert ": missed last time; " in out
    assert "    often missed: " in out


def test_next_refuses_an_unknown_bank_in_one_line(db, library, capsys):
    assert main(["next", "--bank", "deep-learnin", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mockint: error: unknown bank 'deep-learnin'.")
    assert library.banks[0].id in err  # names the banks there are
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["-n", "0"], "-n: must be at least 1"), (["--mode", "random"], "invalid choice: 'random'")],
)
def test_next_refuses_bad_options(db, argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["next", *argv, "--db", str(db)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_next_has_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["next", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--mode", "--bank", "--json", "-n N", "--db"):
        assert option in out
    assert "due" in out and "weak" in out and "mock" in out
