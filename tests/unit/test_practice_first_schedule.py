"""A first schedule (a history never scheduled, as after an upgrade) takes a faster way than
answer-by-answer updates: verdicts read with the history, plain numbers per answer. It must
store exactly the rows mockint stored before that change. Real SQLite files, hand-made grades.

``tests/fixtures/first-schedule.json`` holds the rows mockint at commit ffb2d6d (before the faster
first schedule) stored for :func:`_history`; to see it made again, run that commit's mockint:
``PYTHONPATH=<that tree>:tests:tests/unit python -c "import test_practice_first_schedule as t;
t.write_expected()"``.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import timedelta
from pathlib import Path

from handmade import make_library
from practice_helpers import START, answer, open_test_store, practice_bank

from mockint import practice
from mockint.store import SCHEMA_VERSION, open_store

BANK = practice_bank()
LIBRARY = make_library(BANK)
EXPECTED = Path(__file__).parent.parent / "fixtures" / "first-schedule.json"


def _history(path: Path, sync_daily: bool = False):
    """Sixty days of answers never scheduled (with ``sync_daily``, scheduled at the end of each
    day): every verdict, overrides, skips, answers a few milliseconds into a second and two in
    the same second."""
    store = open_test_store(path)
    rng = random.Random(15)
    for day in range(60):
        sid = store.start_session(mode="due", bank_id=BANK.id, language="en", client="test")
        for question in rng.sample(BANK.questions, 3):
            now = START + timedelta(days=day, minutes=rng.randint(0, 900))
            now += timedelta(milliseconds=rng.choice([0, 1, 499, 999]))
            if rng.random() < 0.08:
                store.clock.now = now
                store.record_skip(store.ask(sid, BANK.id, question))
                continue
            statuses = {kp.id: rng.choice(["hit", "partial", "miss"]) for kp in question.key_points}
            score = rng.choice([None, 20.0, 50.0, 70.0, 95.0])
            answer_id = answer(store, sid, BANK.id, question, now, statuses, score, update=False)
            if rng.random() < 0.1:
                store.set_override(answer_id, rng.choice([10.0, 45.0, 90.0]))
            if rng.random() < 0.05:  # a second answer recorded within the same second
                answer(store, sid, BANK.id, question, now, statuses, score, update=False)
        store.end_session(sid)
        if sync_daily:
            practice.sync(store, LIBRARY)
    return store


def _rows(store) -> list[list]:
    with store.read() as db:
        return [
            list(row)
            for row in db.execute(f"SELECT * FROM {practice.TABLE} ORDER BY kind, item_id")
        ]


def write_expected() -> None:
    """Write the fixture with whichever mockint is imported (see the module docstring)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        store = _history(Path(folder) / "history.db")
        practice.sync(store, LIBRARY)
        EXPECTED.write_text(json.dumps(_rows(store), indent=1) + "\n")


def test_a_first_schedule_stores_the_rows_mockint_stored_before(tmp_path):
    store = _history(tmp_path / "history.db")
    assert practice.sync(store, LIBRARY) == len(BANK.questions)
    rows = _rows(store)
    assert rows == json.loads(EXPECTED.read_text())
    # Every kind of answer is in it: overrides, skips, and each verdict on a key point.
    logs = [json.loads(row[-1]) for row in rows]
    entries = [entry for data in logs if "history" in data for entry in data["log"]]
    assert any(e["overridden"] for e in entries) and any(e["skipped"] for e in entries)
    assert {e["status"] for data in logs if "key_point_id" in data for e in data["log"]} == {
        "hit",
        "partial",
        "miss",
    }


def test_verdicts_read_apart_from_the_history_give_the_same_schedule(tmp_path, monkeypatch):
    """Once something is scheduled, a sync reads the history without verdicts and fetches those
    of the answers it reviews (by id, or in one pass over the table for many): same rows."""
    store = _history(tmp_path / "history.db")
    practice.sync(store, LIBRARY)
    first = _rows(store)
    read_apart = []
    history = practice._history

    def watched(store, question_id=None, verdicts=False):
        read_apart.append(not verdicts)
        return history(store, question_id, verdicts)

    monkeypatch.setattr(practice, "_history", watched)
    schedules = []
    for scan_from in (5000, 0):
        monkeypatch.setattr(practice, "_SCAN_FROM", scan_from)
        with store.transaction() as db:
            db.execute(f"DELETE FROM {practice.TABLE}")
            # A schedule of a question no bank has any more: the table is not empty.
            db.execute(
                f"INSERT INTO {practice.TABLE} (kind, item_id, question_id, question_hash, "
                "card_json) VALUES ('question', 'gone', 'gone', 'x', '{}')"
            )
        assert practice.sync(store, LIBRARY) == len(BANK.questions)
        schedules.append([row for row in _rows(store) if row[1] != "gone"])
    assert read_apart == [True, True]
    assert schedules == [first, first]


def test_a_first_schedule_equals_the_one_kept_up_day_by_day(tmp_path):
    """The first schedule of a whole history (the cold ``mockint next``) stores what a schedule
    brought up to date after every day of it stores (each sync going on from the stored cards)."""
    daily = _history(tmp_path / "daily.db", sync_daily=True)
    assert _rows(daily) == json.loads(EXPECTED.read_text())


def test_a_version_3_history_is_upgraded_with_the_indexes_a_first_schedule_reads(tmp_path):
    path = tmp_path / "history.db"
    _history(path).close()
    # Version 4 only added the two indexes: without them, this is the file mockint v3 wrote.
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX key_point_results_verdict")
        conn.execute("DROP INDEX grades_score")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.close()
    store = open_store(path, check_later=True)
    assert store.schema_version == SCHEMA_VERSION == 4
    with store.read() as db:
        sql = practice._HISTORY.format(
            question="",
            verdicts=f"(SELECT {practice._VERDICTS} FROM key_point_results k "
            "WHERE k.answer_id = a.id)",
        )
        plan = " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
    assert "COVERING INDEX grades_score" in plan
    assert "COVERING INDEX key_point_results_verdict" in plan
    assert practice.sync(store, LIBRARY) == len(BANK.questions)
    assert _rows(store) == json.loads(EXPECTED.read_text())
    store.verify()
    store.close()
    with sqlite3.connect(path.with_name("history.db.bak-v3")) as backup:
        names = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
    backup.close()
    assert "grades_score" not in names and "key_point_results_verdict" not in names


def test_review_states_right_after_a_first_schedule_equal_those_read_back(tmp_path):
    """The states asked for right after a sync come from what it stored, not read back: they
    are the same as those read from the table."""
    store = _history(tmp_path / "history.db")
    practice.sync(store, LIBRARY)
    assert store in practice._WRITTEN
    fresh = practice.review_states(store, LIBRARY)
    assert store not in practice._WRITTEN  # taken: not kept for the store's lifetime
    practice._STATES.pop(store)
    assert practice.review_states(store, LIBRARY) == fresh
    assert len(fresh) == len(BANK.questions)


def test_the_collector_paused_for_a_schedule_runs_again_after_it(tmp_path, monkeypatch):
    """A sync pauses Python's garbage collector while it builds its objects, and leaves it as it
    found it: running, or paused by someone else."""
    import gc

    store = _history(tmp_path / "history.db")
    seen = []
    review_answers = practice._review_answers

    def watched(*args):
        seen.append(gc.isenabled())
        return review_answers(*args)

    monkeypatch.setattr(practice, "_review_answers", watched)
    assert gc.isenabled()
    practice.sync(store, LIBRARY)
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        with store.transaction() as db:
            db.execute(f"DELETE FROM {practice.TABLE}")
        practice.sync(store, LIBRARY)
        assert not gc.isenabled()
    finally:
        gc.enable()
