"""The history store over real SQLite files: round trips, transactions, migrations, bad files."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from handmade import Clock, make_bank, make_grade

from mockint.errors import UserError
from mockint.store import SCHEMA_VERSION, StoreError, open_store

BANK = make_bank()
Q_NORM, Q_LR, Q_METRICS = BANK.questions


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "history.db"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_path, clock):
    with open_store(db_path, clock=clock) as store:
        yield store


def _answer(store, session_id, question, statuses=None, **kwargs):
    asked_id = store.ask(session_id, BANK.id, question)
    grade = make_grade(question, statuses, misconceptions=kwargs.pop("misconceptions", ()))
    return asked_id, store.record_answer(asked_id, f"answer to {question.id}", grade, **kwargs)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- a fresh database ------------------------------------------------------------------------


def test_a_new_database_is_created_at_the_current_schema_in_wal_mode(db_path):
    store = open_store(db_path)
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    meta = dict(store.db.execute("SELECT key, value FROM meta").fetchall())
    assert meta["app"] == "mockint"
    expected = {
        "meta",
        "sessions",
        "asked",
        "answers",
        "grades",
        "key_point_results",
        "misconception_results",
        "speech_metrics",
        "review_state",
    }
    assert expected <= set(store.db.table_names())
    store.close()


def test_the_default_database_lives_in_mockint_home(mockint_home):
    with open_store() as store:
        assert store.path == mockint_home / "history.db"
    assert (mockint_home / "history.db").exists()


def test_an_empty_file_becomes_a_new_database(db_path):
    db_path.write_bytes(b"")
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "history.db")


def test_an_in_memory_store_works_for_scratch_use():
    with open_store(":memory:") as store:
        sid = store.start_session(mode="mock", bank_id=BANK.id)
        _answer(store, sid, Q_NORM)
        assert store.sessions()[0]["n_answers"] == 1


# -- recording and reading -------------------------------------------------------------------


def test_an_answer_is_stored_with_its_grade_key_points_misconceptions_and_speech(store):
    sid = store.start_session(mode="mock", bank_id=BANK.id, language="en", client="test")
    speech = {
        "duration_s": 42.0,
        "words": 90,
        "wpm": 128.6,
        "filler_count": 3,
        "fillers_json": '{"um": 2, "like": 1}',
        "long_pauses": 1,
        "longest_pause_s": 2.4,
    }
    asked_id, answer_id = _answer(
        store,
        sid,
        Q_NORM,
        {"running-stats": "miss", "scale-shift": "partial"},
        misconceptions=("normalizes-weights",),
        source="voice",
        duration_s=42.0,
        hints_used=1,
        speech=speech,
    )

    [row] = store.session_answers(sid)
    assert row["answer_id"] == answer_id and row["asked_id"] == asked_id
    assert row["question_id"] == "q-norm" and row["question_hash"] == Q_NORM.content_hash()
    assert (row["kind"], row["source"], row["duration_s"], row["hints_used"]) == (
        "main",
        "voice",
        42.0,
        1,
    )
    assert row["text"] == "answer to q-norm"
    # (2 + 0.5 + 0) of a weight of 4 is 62.5, minus 15 for the misconception.
    assert row["score"] == row["effective_score"] == 47.5
    assert row["follow_up_key_point"] == "running-stats"
    statuses = {kp["key_point_id"]: kp["status"] for kp in row["key_points"]}
    assert statuses == {"normalizes": "hit", "scale-shift": "partial", "running-stats": "miss"}
    evidence = {kp["key_point_id"]: kp["evidence"] for kp in row["key_points"]}
    assert evidence["normalizes"] == "I said normalizes" and evidence["running-stats"] is None
    assert [m["misconception_id"] for m in row["misconceptions"]] == ["normalizes-weights"]
    assert row["speech"]["wpm"] == 128.6 and row["speech"]["long_pauses"] == 1
    assert json.loads(row["speech"]["fillers_json"]) == {"um": 2, "like": 1}

    # The full Grade comes back exactly as it was recorded.
    grade = store.grade(answer_id)
    assert grade == make_grade(
        Q_NORM,
        {"running-stats": "miss", "scale-shift": "partial"},
        misconceptions=("normalizes-weights",),
    )


def test_flat_answer_rows_carry_key_point_lists_and_session_fields(store):
    sid = store.start_session(mode="due", bank_id=BANK.id)
    _answer(store, sid, Q_METRICS, {"roc": "miss", "recall": "partial"})
    [row] = store.answers()
    assert row["key_points_hit"] == ["precision"]
    assert row["key_points_partial"] == ["recall"]
    assert row["key_points_missed"] == ["roc"]
    assert row["session_mode"] == "due" and row["speech_wpm"] is None


def test_the_override_wins_and_can_be_cleared(store):
    sid = store.start_session()
    _, answer_id = _answer(store, sid, Q_LR, {"schedule": "miss"})
    store.set_override(answer_id, 90)
    [row] = store.answers()
    assert (row["score"], row["override_score"], row["effective_score"]) == (66.7, 90.0, 90.0)
    assert row["override_at"] is not None
    assert store.sessions()[0]["mean_score"] == 90.0
    store.set_override(answer_id, None)
    assert store.answers()[0]["effective_score"] == 66.7
    with pytest.raises(StoreError, match="between 0 and 100"):
        store.set_override(answer_id, 130)


def test_an_answer_is_one_transaction_all_or_nothing(store):
    sid = store.start_session()
    asked_id = store.ask(sid, BANK.id, Q_NORM)
    grade = make_grade(Q_NORM)
    # Two results for one key point break the key point table's primary key half-way through
    # the transaction: the answer and grade rows written before must vanish with it.
    broken = grade.model_copy(update={"key_points": grade.key_points + grade.key_points[:1]})
    with pytest.raises(StoreError):
        store.record_answer(asked_id, "text", broken)
    for table in ("answers", "grades", "key_point_results"):
        assert store.db[table].count == 0, table
    store.record_answer(asked_id, "text", grade)  # the connection is usable afterwards
    assert store.db["answers"].count == 1


def test_sessions_count_answers_skips_and_follow_ups(store, clock):
    first = store.start_session(mode="mock", bank_id=BANK.id, plan=["q-norm", "q-lr", "q-metrics"])
    asked_id, _ = _answer(store, first, Q_NORM, {"running-stats": "miss"})
    store.record_answer(asked_id, "the follow-up", make_grade(Q_NORM), kind="follow_up")
    store.record_skip(store.ask(first, BANK.id, Q_LR))
    store.end_session(first)
    clock.advance(days=1)
    second = store.start_session(mode="due")
    _answer(store, second, Q_LR)

    newest, oldest = store.sessions()
    assert (newest["id"], oldest["id"]) == (second, first)
    assert oldest["n_planned"] == 3 and oldest["plan"] == ["q-norm", "q-lr", "q-metrics"]
    assert (
        oldest["n_asked"],
        oldest["n_answers"],
        oldest["n_skipped"],
        oldest["n_follow_ups"],
    ) == (2, 1, 1, 1)
    # The mean is over graded main answers: the follow-up's 100 does not count.
    assert oldest["mean_score"] == 75.0
    assert [s["id"] for s in store.unfinished_sessions()] == [second]
    assert store.sessions(limit=1)[0]["id"] == second
    assert [a["answered"] for a in store.asked(first)] == [1, 1]


def test_deleting_a_session_removes_everything_recorded_in_it(store):
    keep = store.start_session()
    _answer(store, keep, Q_LR)
    gone = store.start_session()
    asked_id, _ = _answer(
        store,
        gone,
        Q_NORM,
        {"running-stats": "miss"},
        misconceptions=("normalizes-weights",),
        speech={"wpm": 100.0},
    )
    store.record_answer(asked_id, "follow-up", make_grade(Q_NORM), kind="follow_up")
    assert store.delete_session(gone) == 2
    assert [s["id"] for s in store.sessions()] == [keep]
    for table in ("asked", "answers", "grades"):
        assert store.db[table].count == 1, table
    assert store.db["misconception_results"].count == 0
    assert store.db["speech_metrics"].count == 0
    assert store.db["key_point_results"].count == len(Q_LR.key_points)
    with pytest.raises(StoreError, match="no session"):
        store.delete_session(gone)


def test_answers_filter_by_time_bank_and_session(store, clock):
    sid = store.start_session()
    _answer(store, sid, Q_NORM)
    clock.advance(days=2)
    other = store.start_session()
    _answer(store, other, Q_LR)
    assert [r["question_id"] for r in store.answers(since=clock.now.date())] == ["q-lr"]
    assert [r["question_id"] for r in store.answers(until="2025-03-03")] == ["q-norm"]
    assert [r["question_id"] for r in store.answers(until=clock.now)] == ["q-norm", "q-lr"]
    assert [r["question_id"] for r in store.answers(session_id=sid)] == ["q-norm"]
    assert store.answers(bank_id="other-bank") == []


def test_times_are_iso_utc_strings(store, clock):
    sid = store.start_session()
    _answer(store, sid, Q_NORM)
    assert store.answers()[0]["created_at"] == "2025-03-03T09:00:00.000+00:00"


def test_the_store_can_be_shared_between_threads(store):
    sid = store.start_session()
    errors = []

    def work(question):
        try:
            for _ in range(10):
                _answer(store, sid, question)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(q,)) for q in BANK.questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.db["answers"].count == 30
    assert sorted(r[0] for r in store.db.execute("SELECT position FROM asked")) == list(
        range(1, 31)
    )


# -- consistent reads and transactions --------------------------------------------------------


def test_a_read_sees_one_snapshot_while_another_process_writes(store, db_path):
    sid = store.start_session()
    _answer(store, sid, Q_NORM)
    with open_store(db_path) as other:  # a second connection: another process, to SQLite
        with store.read() as db:
            before = db.execute("SELECT count(*) FROM answers").fetchone()[0]
            _answer(other, sid, Q_LR)  # committed by the other connection meanwhile
            points = db.execute("SELECT count(DISTINCT answer_id) FROM key_point_results")
            # The block's later query still sees the history as it was when the block began.
            assert before == points.fetchone()[0] == 1
        assert store.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 2


def test_a_read_holds_the_store_against_other_threads(store):
    sid = store.start_session()
    events: list[str] = []
    writer_waiting = threading.Event()

    def write() -> None:
        writer_waiting.set()
        _answer(store, sid, Q_LR)
        events.append("written")

    thread = threading.Thread(target=write)
    with store.read() as db:
        thread.start()
        writer_waiting.wait()
        thread.join(timeout=0.2)  # gives a write that does not wait its chance to land here
        events.append("read ends")
        assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    thread.join()
    assert events == ["read ends", "written"]


def test_a_transaction_commits_everything_or_nothing(store):
    with pytest.raises(ValueError, match="changed my mind"), store.transaction():
        sid = store.start_session()
        store.ask(sid, BANK.id, Q_NORM)
        raise ValueError("changed my mind")
    assert (store.db["sessions"].count, store.db["asked"].count) == (0, 0)
    with store.transaction() as db:
        sid = store.start_session()
        _answer(store, sid, Q_NORM)
        # Reads inside the transaction see its own writes before they are committed.
        assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == 1
    assert store.db["answers"].count == 1


def test_a_failed_write_inside_a_transaction_is_undone_alone(store):
    grade = make_grade(Q_NORM)
    broken = grade.model_copy(update={"key_points": grade.key_points + grade.key_points[:1]})
    with store.transaction():
        sid = store.start_session()
        asked_id = store.ask(sid, BANK.id, Q_NORM)
        with pytest.raises(StoreError):
            store.record_answer(asked_id, "half-written", broken)
        store.record_answer(asked_id, "whole", grade)
    texts = [r[0] for r in store.db.execute("SELECT text FROM answers")]
    assert texts == ["whole"]
    assert store.db["key_point_results"].count == len(Q_NORM.key_points)


def test_a_read_refuses_to_write_and_sqlite_errors_become_store_errors(store):
    with pytest.raises(RuntimeError, match="use Store.transaction"), store.read():
        store.start_session()
    assert store.db["sessions"].count == 0
    with pytest.raises(StoreError, match="no such table"), store.read() as db:
        db.execute("SELECT * FROM no_such_table")
    store.start_session()  # the connection is usable afterwards
    assert store.db["sessions"].count == 1


def test_a_transaction_waits_for_another_writer_then_reports_the_lock(db_path):
    store = open_store(db_path, timeout=0.3)
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    with pytest.raises(StoreError, match="another mockint is using it"), store.transaction():
        pass
    other.execute("ROLLBACK")
    other.close()
    with store.transaction():
        store.start_session()
    assert store.db["sessions"].count == 1
    store.close()


# -- durability and concurrency ---------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from handmade import make_bank, make_grade
    from mockint.store import open_store

    path, go, label, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    bank = make_bank()
    store = open_store(path)
    sid = store.start_session(mode="mock", client=label)
    while not go.exists():
        time.sleep(0.01)
    for i in range(count):
        question = bank.questions[i % len(bank.questions)]
        asked = store.ask(sid, bank.id, question)
        store.record_answer(asked, f"{label} {i}", make_grade(question, {"roc": "miss"}))
    print(sid)
    """
)


def test_two_processes_writing_at_once_lose_nothing(db_path, tmp_path):
    open_store(db_path).close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    go = tmp_path / "go"
    env_path = str(Path(__file__).parents[1])  # tests/, where handmade.py is
    env = {**__import__("os").environ, "PYTHONPATH": env_path + ":" + str(Path.cwd())}
    count = 120
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(db_path), str(go), label, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for label in ("first", "second")
    ]
    go.touch()  # both start writing at the same moment
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with open_store(db_path) as store:
        for label in ("first", "second"):
            texts = {
                r[0]
                for r in store.db.execute(
                    "SELECT text FROM answers WHERE text LIKE ?", [label + " %"]
                )
            }
            assert texts == {f"{label} {i}" for i in range(count)}
        assert store.db["grades"].count == 2 * count
        per_answer = store.db.execute(
            "SELECT question_id, count(*) FROM key_point_results GROUP BY answer_id"
        ).fetchall()
        expected = {q.id: len(q.key_points) for q in BANK.questions}
        assert len(per_answer) == 2 * count
        assert all(n == expected[qid] for qid, n in per_answer)


def test_a_writer_waits_for_another_then_reports_a_lock_it_cannot_get(db_path):
    store = open_store(db_path, timeout=0.3)
    sid = store.start_session()
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    with pytest.raises(StoreError, match="another mockint is using it"):
        store.ask(sid, BANK.id, Q_NORM)
    other.execute("ROLLBACK")
    other.close()
    store.ask(sid, BANK.id, Q_NORM)  # nothing was left half-done
    assert store.db["asked"].count == 1
    store.close()


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another connection in the middle of a write to a file still in rollback-journal mode:
    where a second mockint stands while it switches a new history to WAL."""
    path.write_bytes(b"")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_opening_waits_for_another_process_switching_the_same_new_file_to_wal(db_path):
    # SQLite fails this switch at once, whatever the busy timeout, while another connection
    # holds the write lock: two interviews creating one history together lost one at start-up.
    other = _hold_write_lock(db_path)
    release = threading.Timer(0.4, other.execute, ["ROLLBACK"])
    release.start()
    try:
        with open_store(db_path) as store:
            assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert store.schema_version == SCHEMA_VERSION
        assert not release.is_alive()  # it waited for the other write
    finally:
        release.cancel()
        release.join()
        other.close()


def test_opening_says_so_when_it_waits_long_and_reports_a_lock_it_cannot_get(db_path, monkeypatch):
    monkeypatch.setattr("mockint.store.BUSY_NOTICE_S", 0.1)
    other = _hold_write_lock(db_path)
    told = []
    try:
        with pytest.raises(StoreError, match="another mockint is using it"):
            open_store(db_path, timeout=0.4, on_busy=told.append)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(told) == 1 and "is busy" in told[0]
    with open_store(db_path) as store:  # usable once the other write ended
        assert store.schema_version == SCHEMA_VERSION


def test_two_processes_creating_one_history_at_once_both_open_it(tmp_path):
    script = tmp_path / "opener.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, sys, time
            from pathlib import Path
            from mockint.store import StoreError, open_store

            folder, me, other = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
            failed = []
            for i in range(int(sys.argv[4])):
                # Both processes open each new file at the same instant (a spin: a sleep
                # would rarely wake them together).
                (folder / f"ready-{i}-{me}").touch()
                deadline = time.monotonic() + 30
                while not os.path.exists(folder / f"ready-{i}-{other}"):
                    if time.monotonic() > deadline:
                        sys.exit("the other process never came")
                try:
                    with open_store(folder / f"history-{i}.db") as store:
                        store.start_session()
                except StoreError as exc:
                    failed.append(str(exc))
            sys.exit("; ".join(failed) or None)
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    rounds = 100  # about one round in four failed before opening waited for the WAL switch
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(tmp_path), me, other, str(rounds)],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for me, other in (("a", "b"), ("b", "a"))
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    for i in range(rounds):
        with open_store(tmp_path / f"history-{i}.db") as store:
            assert store.db["sessions"].count == 2


# -- files mockint must not touch -------------------------------------------------------------


def _assert_refused(path: Path, match: str, **kwargs) -> StoreError:
    before = _snapshot(path.parent)
    with pytest.raises(StoreError, match=match) as info:
        open_store(path, **kwargs)
    after = _snapshot(path.parent)
    assert after[path.name] == before[path.name]  # byte-identical
    # Reading a WAL-mode file makes SQLite create its side files; nothing may be written to them.
    new = {name: data for name, data in after.items() if name not in before}
    assert set(new) <= {path.name + "-wal", path.name + "-shm"}
    assert new.get(path.name + "-wal", b"") == b""
    assert not any(p.name.startswith(path.name + ".bak") for p in path.parent.iterdir())
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert isinstance(info.value, UserError)
    return info.value


def test_a_file_that_is_not_sqlite_is_refused_untouched(db_path):
    db_path.write_bytes(b"These are my interview notes, not a database.\n" * 50)
    _assert_refused(db_path, "not an SQLite file")


def test_a_damaged_header_page_is_refused_untouched(db_path):
    with open_store(db_path) as store:
        _answer(store, store.start_session(), Q_NORM)
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)  # the schema page, after the 100-byte file header
    db_path.write_bytes(bytes(data))
    _assert_refused(db_path, "damaged")


def test_damaged_data_pages_are_refused_untouched(db_path):
    with open_store(db_path) as store:
        sid = store.start_session()
        for _ in range(40):
            _answer(store, sid, Q_NORM)
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    for start in range(2 * page, len(data) - page, 3 * page):
        data[start : start + 64] = b"\xff" * 64
    db_path.write_bytes(bytes(data))
    _assert_refused(db_path, "damaged")


def _integrity_checks(monkeypatch) -> list[str]:
    """Records each integrity check that opening a store runs on the file."""
    from mockint import store as store_module

    checks: list[str] = []
    connect = store_module._connect_readonly

    def traced(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(lambda sql: checks.append(sql) if "quick_check" in sql else None)
        return conn

    monkeypatch.setattr(store_module, "_connect_readonly", traced)
    return checks


def test_a_database_found_whole_is_read_through_again_only_once_it_changed(db_path, monkeypatch):
    with open_store(db_path) as store:
        _answer(store, store.start_session(), Q_NORM)
    checks = _integrity_checks(monkeypatch)
    open_store(db_path).close()
    assert len(checks) == 1
    open_store(db_path).close()
    assert len(checks) == 1  # unchanged since it passed
    with open_store(db_path) as store:
        _answer(store, store.start_session(), Q_LR)
    assert len(checks) == 1
    open_store(db_path, readonly=True).close()
    assert len(checks) == 2  # written since


def test_damage_after_a_passed_check_is_refused_even_at_the_same_size_and_time(db_path):
    with open_store(db_path) as store:
        sid = store.start_session()
        for _ in range(40):
            _answer(store, sid, Q_NORM)
    open_store(db_path).close()  # checked whole, and remembered
    before = db_path.stat()
    data = bytearray(db_path.read_bytes())
    for start in range(2 * 4096, len(data) - 4096, 3 * 4096):
        data[start : start + 64] = b"\xff" * 64
    db_path.write_bytes(bytes(data))
    # What a copy that keeps times does: only the change time (ctime) still tells.
    os.utime(db_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert db_path.stat().st_size == before.st_size
    _assert_refused(db_path, "damaged")


def _scramble_table(path: Path, table: str) -> None:
    """Overwrite the start of a table's root page, as a disk fault would."""
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * 4096 : (root - 1) * 4096 + 400] = b"\xa5" * 400
    path.write_bytes(bytes(data))


def test_pages_checked_later_are_checked_before_anything_is_committed(db_path):
    with open_store(db_path) as store:
        _answer(store, store.start_session(), Q_NORM)
    _scramble_table(db_path, "misconception_results")  # read by nothing below
    before = _snapshot(db_path.parent)
    store = open_store(db_path, check_later=True)  # the check runs while the caller reads
    assert [row["n_answers"] for row in store.sessions()] == [1]
    with pytest.raises(StoreError, match="is damaged"):
        store.start_session()
    with pytest.raises(StoreError, match="is damaged"):
        store.verify()
    store.close()
    assert _snapshot(db_path.parent) == before  # byte-identical, no -wal or -shm left


def test_damage_read_while_the_pages_are_checked_later_is_reported_as_damage(db_path):
    with open_store(db_path) as store:
        _answer(store, store.start_session(), Q_NORM)
    _scramble_table(db_path, "answers")
    before = _snapshot(db_path.parent)
    store = open_store(db_path, check_later=True)
    with pytest.raises(StoreError, match="is damaged.*integrity check"):
        store.answers()
    store.close()
    assert _snapshot(db_path.parent) == before


def test_pages_checked_later_are_remembered_once_found_whole(db_path, monkeypatch):
    with open_store(db_path) as store:
        _answer(store, store.start_session(), Q_NORM)
    checks = _integrity_checks(monkeypatch)
    with open_store(db_path, check_later=True) as store:
        store.verify()
        assert store.answers()[0]["text"] == "answer to q-norm"
    assert len(checks) == 1
    open_store(db_path, check_later=True).close()
    open_store(db_path).close()
    assert len(checks) == 1  # unchanged since it passed


@pytest.mark.parametrize("kind", ["rollback journal", "older schema"])
def test_a_file_that_opening_writes_is_checked_before_opening_even_when_asked_later(db_path, kind):
    if kind == "older schema":
        _make_v1_database(db_path)  # upgrading writes (and backs up)
    else:
        with open_store(db_path) as store:
            _answer(store, store.start_session(), Q_NORM)
        conn = sqlite3.connect(db_path)
        conn.execute("PRAGMA journal_mode = DELETE")  # switching back to WAL writes
        conn.close()
    _scramble_table(db_path, "misconception_results")
    _assert_refused(db_path, "damaged", check_later=True)


def test_another_programs_sqlite_file_is_refused_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()
    error = _assert_refused(db_path, "not mockint's")
    assert "notes" in str(error)


def test_a_database_from_a_newer_mockint_is_refused_untouched(db_path):
    with open_store(db_path) as store:
        store.db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    error = _assert_refused(db_path, "newer mockint")
    assert "v99" in str(error) and "Upgrade mockint" in str(error)


def test_a_database_locked_by_another_process_is_refused_untouched(db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO meta VALUES ('app', 'mockint')")
    try:
        _assert_refused(db_path, "another mockint is using it", timeout=0.2)
    finally:
        conn.execute("ROLLBACK")
        conn.close()


# -- migrations -------------------------------------------------------------------------------

# The first schema mockint shipped, written out by hand as an old release would have made it.
V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT,
    mode TEXT NOT NULL, bank_id TEXT, language TEXT NOT NULL DEFAULT 'en',
    client TEXT NOT NULL DEFAULT 'cli');
CREATE TABLE asked (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
    position INTEGER NOT NULL, bank_id TEXT NOT NULL, question_id TEXT NOT NULL,
    question_hash TEXT NOT NULL, asked_at TEXT NOT NULL);
CREATE TABLE answers (id INTEGER PRIMARY KEY, asked_id INTEGER NOT NULL REFERENCES asked(id),
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL CHECK (kind IN ('main', 'follow_up')), text TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('typed', 'voice')), duration_s REAL,
    created_at TEXT NOT NULL);
CREATE TABLE grades (answer_id INTEGER PRIMARY KEY REFERENCES answers(id), score REAL NOT NULL,
    verdict TEXT NOT NULL, model TEXT NOT NULL, language TEXT NOT NULL, coverage REAL NOT NULL,
    penalty REAL NOT NULL, follow_up TEXT, follow_up_key_point TEXT, feedback TEXT NOT NULL,
    override_score REAL, override_at TEXT, grade_json TEXT NOT NULL);
CREATE TABLE key_point_results (answer_id INTEGER NOT NULL REFERENCES answers(id),
    question_id TEXT NOT NULL, key_point_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('hit', 'partial', 'miss')), similarity REAL NOT NULL,
    credit REAL NOT NULL, weight REAL NOT NULL, evidence TEXT,
    PRIMARY KEY (answer_id, key_point_id));
CREATE TABLE misconception_results (answer_id INTEGER NOT NULL REFERENCES answers(id),
    question_id TEXT NOT NULL, misconception_id TEXT NOT NULL, evidence TEXT,
    PRIMARY KEY (answer_id, misconception_id));
CREATE INDEX asked_session ON asked(session_id);
CREATE INDEX answers_asked ON answers(asked_id);
CREATE INDEX answers_session ON answers(session_id);
INSERT INTO meta VALUES ('app', 'mockint'), ('schema_version', '1');
"""


def _make_v1_database(path: Path) -> None:
    grade = make_grade(Q_LR, {"schedule": "miss"})
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute(
        "INSERT INTO sessions VALUES (1, '2024-01-02T10:00:00.000+00:00', "
        "'2024-01-02T10:20:00.000+00:00', 'mock', 'history-test', 'en', 'tui')"
    )
    conn.execute(
        "INSERT INTO asked VALUES (1, 1, 1, 'history-test', 'q-lr', 'oldhash', "
        "'2024-01-02T10:01:00.000+00:00')"
    )
    conn.execute(
        "INSERT INTO answers VALUES (1, 1, 1, 'main', 'an old answer', 'typed', 61.5, "
        "'2024-01-02T10:03:00.000+00:00')"
    )
    conn.execute(
        "INSERT INTO grades VALUES (1, ?, 'good', 'old-model', 'en', ?, 0, ?, 'schedule', "
        "'fine', 80, '2024-01-02T10:04:00.000+00:00', ?)",
        (grade.score, grade.coverage, grade.follow_up, grade.model_dump_json()),
    )
    conn.executemany(
        "INSERT INTO key_point_results VALUES (1, 'q-lr', ?, ?, ?, ?, ?, ?)",
        [
            (kp.id, kp.status, kp.similarity, kp.credit, kp.weight, kp.evidence)
            for kp in grade.key_points
        ],
    )
    conn.commit()
    conn.close()


def test_a_database_from_an_older_release_is_upgraded_in_place_with_a_backup(db_path, clock):
    _make_v1_database(db_path)
    original = db_path.read_bytes()

    with open_store(db_path, clock=clock) as store:
        assert store.schema_version == SCHEMA_VERSION
        # The old history is all there, with the new columns' defaults.
        [old] = store.session_answers(1)
        assert (old["text"], old["duration_s"], old["override_score"]) == (
            "an old answer",
            61.5,
            80,
        )
        assert (old["hints_used"], old["skipped"], old["speech"]) == (0, 0, None)
        assert {kp["key_point_id"]: kp["status"] for kp in old["key_points"]} == {
            "step-size": "hit",
            "schedule": "miss",
        }
        assert store.session(1)["plan"] is None
        # ...and the new release writes into it.
        sid = store.start_session(plan=["q-norm"])
        _answer(store, sid, Q_NORM, speech={"wpm": 120.0}, hints_used=2)
        assert store.answers(session_id=sid)[0]["speech_wpm"] == 120.0

    backup = db_path.with_name("history.db.bak-v1")
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert conn.execute("SELECT text FROM answers").fetchall() == [("an old answer",)]
    conn.close()
    assert original[:16] == b"SQLite format 3\x00"

    # Opening again does not migrate (or back up) a second time.
    open_store(db_path).close()
    assert sorted(p.name for p in db_path.parent.glob("history.db.bak*")) == ["history.db.bak-v1"]


def test_an_earlier_backup_is_never_overwritten(db_path):
    _make_v1_database(db_path)
    earlier = db_path.with_name("history.db.bak-v1")
    earlier.write_bytes(b"an earlier backup")
    open_store(db_path).close()
    assert earlier.read_bytes() == b"an earlier backup"
    assert db_path.with_name("history.db.bak-v1.1").exists()


# -- import hygiene ---------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["mockint.store", "mockint.progress", "mockint.interview"])
def test_core_history_modules_import_neither_textual_nor_the_models(module):
    code = (
        f"import sys, {module}; "
        "heavy = ('textual', 'torch', 'sentence_transformers'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
