"""`mockint report`, run in-process through mockint.cli.main over a real SQLite history."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from export_helpers import BANK_ID, CHINESE_ANSWER, new_store, record_history, write_report_bank

from mockint.cli import main
from mockint.export.csv_writer import COLUMNS


@pytest.fixture
def setup(tmp_path):
    """(common args, history ids): a recorded history and the bank file it was asked from."""
    db = tmp_path / "history.db"
    store = new_store(db)
    ids = record_history(store)
    store.close()
    bank = write_report_bank(tmp_path / "report-test.toml")
    return ["--db", str(db), "--rubrics", str(bank)], ids


def _run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_default_is_a_dated_html_file_in_the_current_folder(setup, tmp_path, monkeypatch, capsys):
    args, _ = setup
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["report", *args], capsys)
    assert code == 0
    expected = tmp_path / f"mockint-report-{datetime.now().date().isoformat()}.html"
    assert out.strip() == str(expected)
    page = expected.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and CHINESE_ANSWER in page
    assert "6 answers from 2 sessions" in err


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_each_format_to_a_named_file(setup, tmp_path, capsys, fmt):
    args, _ = setup
    target = tmp_path / f"report.{fmt}"
    code, out, _ = _run(["report", *args, "--format", fmt, "-o", str(target)], capsys)
    assert code == 0 and out.strip() == str(target)
    text = target.read_text(encoding="utf-8")
    if fmt == "md":
        assert text.startswith("# Interview practice report") and "## Sessions" in text
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == COLUMNS and len(rows) == 7
    else:
        assert json.loads(text)["summary"]["answers"] == 6


def test_output_to_stdout_and_into_a_folder(setup, tmp_path, capsys):
    args, _ = setup
    code, out, _ = _run(["report", *args, "-f", "json", "-o", "-"], capsys)
    assert code == 0 and json.loads(out)["schema_version"] == 1
    folder = tmp_path / "reports"
    folder.mkdir()
    code, out, _ = _run(["report", *args, "-f", "md", "-o", str(folder)], capsys)
    assert code == 0
    assert out.strip().startswith(str(folder / "mockint-report-")) and out.strip().endswith(".md")


def test_the_summary_line_counts_in_the_singular_too(setup, tmp_path, capsys):
    args, ids = setup
    target = tmp_path / "one.md"
    session = ["--session", str(ids.sessions[0])]
    code, _, err = _run(["report", *args, *session, "-f", "md", "-o", str(target)], capsys)
    assert code == 0
    assert "answers from 1 session\n" in err and "1 sessions" not in err


def _answers(args, capsys, *filters) -> dict:
    code, out, err = _run(["report", *args, "-f", "json", "-o", "-", *filters], capsys)
    assert code == 0, err
    return json.loads(out)


def test_filters(setup, capsys):
    args, ids = setup
    assert _answers(args, capsys, "--since", "2025-03-05")["summary"]["answers"] == 3
    assert _answers(args, capsys, "--until", "2025-03-04")["summary"]["answers"] == 3
    # --until includes the whole day given.
    assert _answers(args, capsys, "--until", "2025-03-10")["summary"]["answers"] == 6
    one = _answers(args, capsys, "--session", str(ids.sessions[0]))
    assert [s["id"] for s in one["sessions"]] == [ids.sessions[0]]
    assert _answers(args, capsys, "--bank", BANK_ID)["summary"]["answers"] == 6
    zh = _answers(args, capsys, "--lang", "zh")
    assert zh["weakest"][0]["text"] == "推理时使用均值和方差的滑动平均。"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--since", "yesterday"], "--since 'yesterday' is not a date"),
        (["--since", "2025-03-10", "--until", "2025-03-01"], "--since must be before --until"),
        (["--bank", "report-tset"], "unknown bank 'report-tset'. Did you mean: report-test?"),
        (["--session", "99"], "no session 99"),
    ],
)
def test_user_mistakes_are_one_clear_line(setup, capsys, extra, message):
    args, _ = setup
    code, out, err = _run(["report", *args, *extra], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_unwritable_output_is_a_clear_error(setup, tmp_path, capsys):
    args, _ = setup
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = _run(["report", *args, "-o", str(blocker / "report.html")], capsys)
    assert code == 2 and err.startswith("mockint: error: cannot write") and err.count("\n") == 1


def test_no_history_yet_gives_a_friendly_report_and_creates_no_database(tmp_path, capsys):
    db = tmp_path / "never.db"
    target = tmp_path / "r.html"
    code, out, err = _run(["report", "--db", str(db), "-o", str(target)], capsys)
    assert code == 0 and not db.exists()
    page = target.read_text(encoding="utf-8")
    assert "No answers yet" in page and "mockint interview --plain" in page
    assert "no answers to report yet" in err


def test_empty_database_gives_the_friendly_report(tmp_path, capsys):
    db = tmp_path / "empty.db"
    new_store(db).close()
    code, out, _ = _run(["report", "--db", str(db), "-f", "md", "-o", "-"], capsys)
    assert code == 0 and "No answers yet" in out


def test_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for option in ("--format", "--output", "--since", "--until", "--bank", "--session", "--lang"):
        assert option in out
    assert "mentor" in out


def test_answers_whose_bank_is_gone_are_under_other_in_the_reports_language(setup, capsys):
    """Without the bank the history was asked from, its answers are grouped under the topic
    `other`, named in the report's language: 其他 in a Chinese report (it was the English id),
    other in an English one."""
    args, _ = setup
    history_only = args[:2]  # --db, without the --rubrics that holds the questions
    zh = _answers(history_only, capsys, "--lang", "zh")
    assert [t["topic"] for t in zh["topics"]] == ["other"]
    assert zh["topic_titles"] == {"other": "其他"}
    en = _answers(history_only, capsys, "--lang", "en")
    assert en["topic_titles"] == {"other": "other"}
