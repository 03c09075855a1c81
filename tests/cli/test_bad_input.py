"""Bad input of every kind: one line on stderr naming the problem and what to do, the
documented exit code, no traceback, no hang, and the files involved left as they were.

Cases that could hang (FIFOs, /dev/zero) run in a child process with a timeout, so a regression
fails the test instead of stopping the suite.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import wave
from contextlib import closing
from pathlib import Path

import pytest

from mockint.cli import main
from mockint.store import open_store

REPO = Path(__file__).resolve().parents[2]
TUI_BANK = REPO / "tests" / "tui" / "fixtures"


def run(argv: list[str], capsys, stdin: str = "") -> tuple[int, str, str]:
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(argv)
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


def spawn(argv: list[str], home: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "MOCKINT_HOME": str(home)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "mockint", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def history(tmp_path) -> Path:
    """A history with one graded answer in one finished session, and one unfinished session."""
    from handmade import make_grade

    from mockint.rubric import load_library

    library = load_library([TUI_BANK])
    _, question = library.find_question("dropout")
    db = tmp_path / "history.db"
    with open_store(db) as store:
        for _ in range(2):
            sid = store.start_session(bank_id="tui-test", plan=["dropout"])
            asked = store.ask(sid, "tui-test", question)
            grade = make_grade(question)
            store.record_answer(asked, "Dropout zeroes units.", grade)
        store.end_session(1)
    return db


# -- files that are not what they claim ------------------------------------------------------


def test_a_fifo_as_the_database_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "history.db"
    os.mkfifo(fifo)
    done = spawn(["history", "--db", str(fifo)], tmp_path / "home")
    assert done.returncode == 2
    assert "is not a regular file; use --db with a file path" in one_line(done.stderr)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_a_bank_that_is_not_a_reasonable_file_is_skipped_in_one_line(tmp_path, kind):
    bank = tmp_path / "bank.toml"
    if kind == "fifo":
        os.mkfifo(bank)
    elif kind == "dev-zero":
        bank.symlink_to("/dev/zero")
    else:
        bank.write_bytes(b"# " + b"x" * 6_000_000)
    done = spawn(["rubrics", "check", str(bank)], tmp_path / "home")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [problem] = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert problem.startswith(f"{bank}: error: ")
    expected = "too large for a bank" if kind == "huge" else "not a regular file"
    assert expected in problem
    # Beside the built-in banks, the interview commands skip it and go on.
    listed = spawn(["--rubrics", str(bank), "rubrics", "list"], tmp_path / "home")
    assert listed.returncode == 0 and "learning-rate" in listed.stdout
    assert f"mockint: skipped: {bank}: error: " in listed.stderr


def test_an_answer_or_batch_file_that_is_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "answer.txt"
    os.mkfifo(fifo)
    done = spawn(["grade", "batch-norm", "--file", str(fifo)], tmp_path / "home")
    assert done.returncode == 2 and "not a regular file" in one_line(done.stderr)
    done = spawn(["grade", "--batch", str(fifo)], tmp_path / "home")
    assert done.returncode == 2 and "not a regular file" in one_line(done.stderr)


# -- report output ---------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_report_to_a_full_device_fails_clearly_and_leaves_the_device(history, capsys):
    code, _, err = run(["report", "--db", str(history), "-o", "/dev/full"], capsys)
    assert code == 2
    assert one_line(err) == "mockint: error: cannot write /dev/full: No space left on device"
    assert Path("/dev/full").is_char_device()


def test_report_through_a_symlink_writes_the_target_and_keeps_the_link(history, tmp_path, capsys):
    target = tmp_path / "reports" / "progress.html"
    target.parent.mkdir()
    target.write_text("old report")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    code, out, _ = run(["report", "--db", str(history), "-o", str(link)], capsys)
    assert code == 0 and out.strip() == str(link)
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text().startswith("<!DOCTYPE html>")


def test_a_nul_in_an_answer_is_not_written_raw_into_any_export(tmp_path, capsys):
    from handmade import make_grade

    from mockint.rubric import load_library

    _, question = load_library([TUI_BANK]).find_question("dropout")
    db = tmp_path / "history.db"
    text = "Dropout\x00zeroes units."
    with open_store(db) as store:
        asked = store.ask(store.start_session(bank_id="tui-test"), "tui-test", question)
        store.record_answer(asked, text, make_grade(question))
    for fmt in ("html", "md", "csv", "json"):
        out = tmp_path / f"report.{fmt}"
        code, _, _ = run(["--rubrics", str(TUI_BANK), "report", "--db", str(db), "-f", fmt,
                          "-o", str(out)], capsys)  # fmt: skip
        data = out.read_bytes()
        assert code == 0 and b"\x00" not in data, fmt
        if fmt == "json":
            assert json.loads(data)  # NUL escaped as \u0000: still the answer, still JSON
        else:
            assert "Dropout\ufffdzeroes units." in data.decode()


# -- damaged rows and numbers out of range ---------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ("UPDATE sessions SET plan_json = '[1,2,' WHERE id = 2", "session 2 has a damaged"),
        ("UPDATE answers SET text = x'fffe0041' WHERE id = 2", "answer 2 holds binary data"),
        ("UPDATE answers SET created_at = 'yesterday' WHERE id = 2", "answer 2 has a time"),
        ("UPDATE sessions SET started_at = '2026-13-45' WHERE id = 2", "session 2 has a start"),
    ],
)
def test_a_damaged_row_is_named_with_what_to_do_and_history_still_lists(
    history, damage, named, capsys
):
    with sqlite3.connect(history) as conn:
        conn.execute(damage)
    before = digest(history)
    code, _, err = run(["report", "--db", str(history), "-o", "-"], capsys)
    assert code == 2
    line = one_line(err)
    assert named in line and "mockint history --delete 2" in line
    code, out, err = run(["history", "--db", str(history)], capsys)
    assert code == 0 and err == "" and "unfinished" in out
    code, out, err = run(["history", "2", "--db", str(history)], capsys)
    assert code == 0 and "Traceback" not in err and "Session 2" in out
    assert digest(history) == before  # read-only commands changed nothing
    # The way out the message names works.
    code, out, _ = run(["history", "--delete", "2", "--db", str(history)], capsys)
    assert code == 0 and out.startswith("Deleted session 2")
    assert run(["report", "--db", str(history), "-o", "-", "-f", "csv"], capsys)[0] == 0


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ("UPDATE sessions SET plan_json = '[1,2,' WHERE id = 2", "session 2 has a damaged"),
        ("UPDATE answers SET text = x'fffe0041' WHERE id = 2", "answer 2 holds binary data"),
        ("UPDATE answers SET created_at = 'yesterday' WHERE id = 2", "answer 2 has a time"),
        ("UPDATE grades SET score = 'high' WHERE answer_id = 2", "grade of answer 2 is damaged"),
    ],
)
def test_next_names_a_damaged_row_and_stores_no_schedule(history, damage, named, capsys):
    """`next` looks for damaged rows while it computes the schedule (the time one holds breaks
    the computing itself): the same line as the reports', and nothing stored."""
    with closing(sqlite3.connect(history)) as conn, conn:
        conn.execute(damage)
    before = digest(history)
    code, out, err = run(["--rubrics", str(TUI_BANK), "next", "--db", str(history)], capsys)
    assert code == 2 and out == ""
    line = one_line(err)
    assert named in line and "mockint history --delete 2" in line
    assert digest(history) == before
    assert sorted(p.name for p in history.parent.glob("history.db*")) == ["history.db"]


def test_a_row_damaged_after_a_report_found_none_is_still_named(history, capsys):
    assert run(["report", "--db", str(history), "-o", "-", "-f", "csv"], capsys)[0] == 0
    with sqlite3.connect(history) as conn:
        conn.execute("UPDATE answers SET created_at = 'yesterday' WHERE id = 2")
    code, _, err = run(["report", "--db", str(history), "-o", "-"], capsys)
    assert code == 2 and "answer 2 has a time" in one_line(err)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["history", "99999999999999999999999"], "is not an id"),
        (["history", "--delete", "99999999999999999999999"], "is not an id"),
        (["report", "--session", "99999999999999999999999", "-o", "-"], "is not an id"),
        (["report", "--since", "99999999d", "-o", "-"], "too far from today"),
        (["interview", "--plain", "--resume", "99999999999999999999999"], "is not an id"),
    ],
)
def test_numbers_too_large_are_one_line(history, argv, message, capsys):
    with pytest.raises(SystemExit) as exited:  # argparse's own exit, in one line
        code, _, err = run([*argv, "--db", str(history)], capsys)
        raise SystemExit(code)
    err = capsys.readouterr().err or err
    assert exited.value.code == 2
    assert message in one_line(err)


# -- grading input ---------------------------------------------------------------------------


def test_a_lone_surrogate_fails_its_own_batch_line_only(tmp_path, capsys):
    batch = tmp_path / "answers.jsonl"
    batch.write_text(
        '{"question_id": "batch-norm", "answer": "ok \\ud800"}\n'
        '{"question_id": "batch-norm", "answer": "BN normalizes activations per mini-batch."}\n'
    )
    code, out, err = run(["grade", "--batch", str(batch), "--json"], capsys)
    assert code == 1  # documented: 1 when any line failed
    first, second = (json.loads(line) for line in out.splitlines())
    assert "lone surrogate" in first["error"] and first["answer"] == "ok \ufffd"
    assert second["score"] >= 0 and "error" not in second
    assert "Traceback" not in err


NAN_BANK = """\
id = "odd"
title.en = "Odd numbers"
languages = ["en"]

[[questions]]
id = "odd-weights"
topic = "t"
difficulty = "easy"
prompt.en = "What is dropout?"
model_answer.en = "Dropout zeroes random units during training."

[[questions.key_points]]
id = "zeroes"
weight = {weight}
text.en = "Dropout zeroes random units during training."
follow_up.en = "What does dropout do to units?"

[[questions.misconceptions]]
id = "always"
penalty = {penalty}
text.en = "Dropout is used at test time too."
correction.en = "Nothing is dropped at test time."
"""


@pytest.mark.parametrize(
    ("weight", "penalty", "field"),
    [("nan", "10", "weight"), ("inf", "10", "weight"), ("1", "nan", "penalty")],
)
def test_non_finite_weights_and_penalties_are_errors(tmp_path, capsys, weight, penalty, field):
    bank = tmp_path / "odd.toml"
    bank.write_text(NAN_BANK.format(weight=weight, penalty=penalty))
    code, out, _ = run(["rubrics", "check", str(bank)], capsys)
    assert code == 1
    [problem] = [line for line in out.splitlines() if ": error: " in line]
    assert f".{field}: Input should be a finite number" in problem
    # Such a bank never reaches an interview: it is skipped with that line.
    argv = ["--rubrics", str(bank), "grade", "odd-weights", "-a", "x", "--json"]
    code, _, err = run(argv, capsys)
    assert code == 2 and "unknown question id 'odd-weights'" in err


# -- audio -----------------------------------------------------------------------------------


def test_an_mp3_named_wav_is_one_line_and_nothing_else(tmp_path):
    mp3 = tmp_path / "answer.wav"
    mp3.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 2000)
    done = spawn(["transcribe", str(mp3)], tmp_path / "home")
    assert done.returncode == 2 and done.stdout == ""
    assert "not a WAV file mockint can read (it looks like an MP3)" in one_line(done.stderr)


def test_a_wav_header_claiming_a_thousand_channels_is_called_damaged(tmp_path, capsys):
    path = tmp_path / "answer.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x10\x00" * 16000 * 2)
    data = bytearray(path.read_bytes())
    data[22:24] = (1000).to_bytes(2, "little")  # the channel count in the fmt chunk
    path.write_bytes(bytes(data))
    code, _, err = run(["transcribe", str(path)], capsys)
    assert code == 2
    assert "claims 1000 channels" in one_line(err) and "damaged" in err


# -- databases mockint must not adopt or change ----------------------------------------------


def test_a_damaged_database_is_left_without_journal_files(history, tmp_path, capsys):
    with closing(sqlite3.connect(history)) as conn:  # closed: it leaves no -wal behind
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'answers'").fetchone()
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(history.read_bytes())
    start = (root[0] - 1) * page
    data[start + 8 : start + 400] = b"\xa5" * 392  # scramble the answers table's page
    history.write_bytes(bytes(data))
    before = digest(history)
    code, _, err = run(["history", "--db", str(history)], capsys)
    assert code == 2 and "is damaged" in one_line(err) and "Move it aside" in err
    assert digest(history) == before
    assert sorted(p.name for p in history.parent.glob("history.db*")) == ["history.db"]


def _scramble_table(db: Path, table: str) -> None:
    """Overwrite the start of a table's root page, as a disk fault would."""
    with closing(sqlite3.connect(db)) as conn:  # closed: it leaves no -wal behind
        sql = "SELECT rootpage FROM sqlite_master WHERE name = ?"
        (root,) = conn.execute(sql, (table,)).fetchone()
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    start = (root - 1) * page
    data[start : start + 400] = b"\xa5" * 400
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("table", ["answers", "misconception_results"])
def test_next_refuses_a_damaged_database_and_writes_nothing(history, table, capsys):
    """`next` checks the file's pages while it computes the schedule: damage in what the
    schedule reads (answers) and damage only the check finds (misconceptions, never read by a
    schedule) are both refused in one line, before anything is stored."""
    _scramble_table(history, table)
    before = digest(history)
    code, out, err = run(["--rubrics", str(TUI_BANK), "next", "--db", str(history)], capsys)
    assert code == 2 and "is damaged" in one_line(err) and "Move it aside" in err
    assert out == ""
    assert digest(history) == before
    assert sorted(p.name for p in history.parent.glob("history.db*")) == ["history.db"]


def test_a_database_missing_a_column_is_refused_before_anything_is_written(history, capsys):
    with sqlite3.connect(history) as conn:
        conn.execute("DROP INDEX answers_created")
        conn.execute("ALTER TABLE answers DROP COLUMN created_at")
    before = digest(history)
    code, _, err = run(["interview", "--plain", "--db", str(history)], capsys, stdin="x\n\n")
    assert code == 2
    assert "table answers has no created_at" in one_line(err)
    assert digest(history) == before


def test_an_empty_file_is_adopted_with_a_notice(tmp_path, capsys):
    db = tmp_path / "history.db"
    db.touch()
    code, out, err = run(["history", "--delete", "1", "--db", str(db)], capsys)
    assert f"{db} was an empty file; it now holds a new mockint history." in err
    code, out, err = run(["history", "--db", str(db)], capsys)
    assert code == 0 and err == "" and "No interview sessions yet" in out


def _can_mount_read_only() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs root and unshare for a ro mount")
def test_read_only_commands_work_in_a_read_only_folder(history, tmp_path):
    folder = history.parent
    env = {**os.environ, "MOCKINT_HOME": str(tmp_path / "home")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))

    def read_only(*argv: str) -> subprocess.CompletedProcess:
        # The folder is mounted read-only in a mount namespace of its own: root cannot write it.
        command = " ".join([sys.executable, "-m", "mockint", *argv])
        script = f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && {command}"
        return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                              text=True, timeout=120, env=env, cwd=REPO)  # fmt: skip

    before = digest(history)
    listed = read_only("history", "--db", str(history))
    assert listed.returncode == 0 and "finished" in listed.stdout, listed.stderr
    shown = read_only("history", "1", "--db", str(history))
    assert shown.returncode == 0 and "Dropout zeroes units." in shown.stdout
    report = read_only("report", "--db", str(history), "-f", "csv", "-o", "-")
    assert report.returncode == 0 and "Dropout zeroes units." in report.stdout, report.stderr
    interview = read_only("interview", "--plain", "--db", str(history))
    assert interview.returncode == 2
    assert "cannot be written (read-only file or folder)" in one_line(interview.stderr)
    assert digest(history) == before


def test_questions_beyond_the_default_count_are_all_asked(tmp_path, capsys, monkeypatch, grader):
    monkeypatch.setattr("mockint.commands.interview.load_grader_from_args", lambda args: grader)
    ids = ["learning-rate", "epoch-batch-iteration", "bias-variance", "activation-functions",
           "hyperparameters", "data-generators", "batch-norm"]  # fmt: skip
    code, out, _ = run(
        ["interview", "--plain", "--db", str(tmp_path / "h.db"), "--questions", ",".join(ids)],
        capsys,
        stdin="/skip\n" * len(ids),
    )
    assert code == 0
    assert "Question 7/7" in out and "0 answered, 7 skipped" in out
