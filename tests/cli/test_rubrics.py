"""`mockint rubrics list|check|new|import`, called in-process through mockint.cli.main.

One test runs the real console entry (`python -m mockint`) in a subprocess, to show that a broken
bank gives clean lines and an exit status, never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from handmade import FIXTURES

from mockint.cli import main
from mockint.locations import builtin_rubrics_dir, user_rubrics_dir
from mockint.rubric import load_bank

BUILTIN_BANKS = {"deep-learning", "ml-fundamentals"}

SMALL = (FIXTURES / "small-bank.toml").read_text(encoding="utf-8")
"""A valid one-question bank (id "small", question "tensor", key point "array")."""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_builtin_question(capsys, library):
    code, out, _ = run(capsys, "rubrics", "list")
    assert code == 0
    for bank in library.banks:
        assert f"{bank.id}: {bank.title.get('en')}" in out
        for question in bank.questions:
            assert question.id in out
    assert "What is k-fold cross-validation" in out


def test_list_in_chinese_and_as_json(capsys, library):
    code, out, _ = run(capsys, "rubrics", "list", "--lang", "zh")
    assert code == 0 and "机器学习基础" in out and "什么是 k 折交叉验证" in out
    assert "  正则化  " in out and "  regularization  " not in out
    code, out, _ = run(capsys, "rubrics", "list", "--json", "--lang", "zh")
    banks = {b["id"]: b for b in json.loads(out)}
    assert set(banks) >= BUILTIN_BANKS
    ml = banks["ml-fundamentals"]
    assert ml["languages"] == ["en", "zh"] and len(ml["questions"]) >= 12
    first = ml["questions"][0]
    assert set(first) == {
        "id",
        "topic",
        "topic_title",
        "difficulty",
        "time_limit",
        "key_points",
        "prompt",
    }
    assert (first["topic"], first["topic_title"]) == ("regularization", "正则化")
    assert "正则化" in out
    assert first["prompt"] == library.find_question(first["id"])[1].prompt.get("zh")


def test_list_includes_user_banks_and_rubrics_paths(capsys, tmp_path):
    (user_rubrics_dir() / "small.toml").write_text(SMALL, encoding="utf-8")
    extra = tmp_path / "extra.toml"
    extra.write_text(
        SMALL.replace('"small"', '"extra"').replace('"tensor"', '"matrix"'), encoding="utf-8"
    )
    code, out, _ = run(capsys, "rubrics", "list", "--rubrics", str(extra), "--json")
    ids = [b["id"] for b in json.loads(out)]
    assert code == 0 and ids[-2:] == ["small", "extra"]


def test_check_passes_on_the_builtin_banks(capsys):
    code, out, _ = run(capsys, "rubrics", "check")
    assert code == 0
    assert " 0 errors" in out.splitlines()[-1]
    assert "2 valid banks" in out.splitlines()[-1]
    assert not [line for line in out.splitlines() if ": error:" in line]


def test_check_reports_each_problem_on_one_line_and_fails(capsys, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(
        SMALL.replace('id = "array"', 'id = "array"\nweight = 0').replace(
            'follow_up.en = "How many dimensions can it have?"', 'folow_up.en = "Typo?"'
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "rubrics", "check", str(broken))
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[:-1] == [
        # A missing field is reported at the header of the table that lacks it.
        f"{broken}:8: error: question tensor: field questions[0].key_points[0].follow_up: "
        "missing (this field is required)",
        f"{broken}:10: error: question tensor: field questions[0].key_points[0].weight: "
        "must be greater than 0",
        f"{broken}:12: error: question tensor: field questions[0].key_points[0].folow_up: "
        "unknown field (check its spelling; see README for the format)",
    ]
    assert lines[-1].startswith("1 file, 0 valid banks, 0 questions: 3 errors")


def test_check_with_paths_reports_ids_used_by_builtin_banks(capsys, tmp_path):
    clash = tmp_path / "clash.toml"
    clash.write_text(SMALL.replace('"tensor"', '"batch-norm"'), encoding="utf-8")
    code, out, _ = run(capsys, "rubrics", "check", str(clash))
    assert code == 1
    (problem,) = [line for line in out.splitlines() if ": error:" in line]
    assert problem.startswith(f"{clash}:4: error: question batch-norm: field questions[0].id:")
    assert "already used in" in problem and "deep-learning.toml" in problem


def test_check_on_a_folder_and_a_missing_path(capsys, tmp_path):
    (tmp_path / "ok.toml").write_text(SMALL, encoding="utf-8")
    code, out, _ = run(capsys, "rubrics", "check", str(tmp_path))
    assert code == 0 and out.splitlines()[-1].startswith(
        "1 file, 1 valid bank, 1 question: 0 errors"
    )
    code, out, _ = run(capsys, "rubrics", "check", str(tmp_path / "nope.toml"))
    assert code == 1 and "cannot read file" in out


def test_warnings_pass_unless_strict(capsys, tmp_path):
    long_point = " ".join(["word"] * 40) + "."
    bank = tmp_path / "long.toml"
    bank.write_text(
        SMALL.replace("A tensor is a multi-dimensional array.", long_point), encoding="utf-8"
    )
    code, out, _ = run(capsys, "rubrics", "check", str(bank))
    assert code == 0
    (warning,) = [line for line in out.splitlines() if ": warning:" in line]
    assert warning.startswith(
        f"{bank}:10: warning: question tensor: field "
        "questions[0].key_points[0].text.en: key point 'array' is too long"
    )
    code, _, _ = run(capsys, "rubrics", "check", "--strict", str(bank))
    assert code == 1


def test_new_writes_a_template_that_passes_check(capsys, tmp_path):
    path = tmp_path / "my-questions.toml"
    code, out, _ = run(capsys, "rubrics", "new", str(path), "--languages", "en,zh")
    assert code == 0 and path.exists() and str(path) in out
    bank = load_bank(path)
    assert bank.id == "my-questions" and bank.languages == ["en", "zh"]
    code, out, _ = run(capsys, "rubrics", "check", "--strict", str(path))
    assert code == 0, out
    code, _, err = run(capsys, "rubrics", "new", str(path))
    assert code == 2 and "already exists" in err


def test_new_template_question_id_avoids_existing_ids(capsys):
    first = user_rubrics_dir() / "one.toml"
    second = user_rubrics_dir() / "two.toml"
    assert run(capsys, "rubrics", "new", str(first))[0] == 0
    assert run(capsys, "rubrics", "new", str(second))[0] == 0
    assert load_bank(second).questions[0].id == "overfitting-2"
    code, out, _ = run(capsys, "rubrics", "check")
    assert code == 0, out


def test_new_rejects_unknown_languages(capsys, tmp_path):
    code, _, err = run(capsys, "rubrics", "new", str(tmp_path / "x.toml"), "--languages", "fr")
    assert code == 2 and err.startswith("mockint: error: --languages")


def test_import_markdown_into_the_data_dir_and_show_it(capsys, tmp_path):
    source = tmp_path / "system-design.md"
    source.write_text(
        "# System design\n\n## What does a load balancer do?\n\n"
        "It spreads requests across servers. It removes failed servers from rotation.\n\n"
        "## Why shard a database?\n\nTo spread data and writes over several machines when one "
        "machine is not enough.\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "rubrics", "import", str(source))
    created = user_rubrics_dir() / "system-design.toml"
    assert code == 0 and out.startswith(f"Created {created}\n")
    assert "bank 'system-design': 2 questions, 3 draft key points, languages en" in out
    assert "    - spreads-requests-servers: It spreads requests across servers." in out
    bank = load_bank(created)
    assert [q.id for q in bank.questions] == ["load-balancer", "shard-database"]
    # It is on the search path at once.
    code, out, _ = run(capsys, "rubrics", "list")
    assert "load-balancer" in out and "shard-database" in out


def test_import_csv_to_a_chosen_file(capsys, tmp_path):
    source = tmp_path / "db.csv"
    source.write_text(
        "question,answer\nWhat is a deadlock?,Two transactions wait for each "
        "other's locks. The database aborts one of them.\n",
        encoding="utf-8",
    )
    out_path = tmp_path / "banks" / "db.toml"
    code, out, _ = run(
        capsys, "rubrics", "import", str(source), "-o", str(out_path), "--id", "databases"
    )
    assert code == 0 and f"Created {out_path}" in out
    bank = load_bank(out_path)
    assert bank.id == "databases" and bank.questions[0].id == "deadlock"
    code, _, err = run(capsys, "rubrics", "import", str(source), "-o", str(out_path))
    assert code == 2 and "already exists" in err


def test_import_titles_the_topics_it_writes(capsys, tmp_path):
    """An imported bank titles every topic its questions use: the default topic `general` in
    English and Chinese, a topic the list names as the list writes it; the app shows titles,
    never ids, and a strict check has nothing to say."""
    source = tmp_path / "db.csv"
    source.write_text(
        "question,answer,topic\n"
        "What is a deadlock?,Two transactions wait for each other's locks.,Concurrency Control\n"
        "What is an index?,An index is a sorted copy of some columns.,\n",
        encoding="utf-8",
    )
    out_path = tmp_path / "db.toml"
    code, _, _ = run(capsys, "rubrics", "import", str(source), "-o", str(out_path))
    assert code == 0
    bank = load_bank(out_path)
    assert [q.topic for q in bank.questions] == ["concurrency control", "general"]
    assert bank.topic_title("general", "en") == "General"
    assert bank.topic_title("general", "zh") == "综合"
    assert bank.topic_title("concurrency control", "en") == "Concurrency Control"
    assert '[topics."concurrency control"]' in out_path.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "rubrics", "check", "--strict", str(out_path))
    assert code == 0 and "0 errors, 0 warnings" in out, out


def test_check_warns_about_a_topic_without_a_title(capsys, tmp_path):
    """A topic the questions use with no [topics.<id>] title is a warning, not an error: it
    names the file, the line of the first question using it and the table to add."""
    bank = tmp_path / "untitled.toml"
    bank.write_text(SMALL.split("[topics.")[0], encoding="utf-8")
    code, out, _ = run(capsys, "rubrics", "check", str(bank))
    assert code == 0
    (warning,) = [line for line in out.splitlines() if ": warning:" in line]
    assert warning == (
        f"{bank}:5: warning: question tensor: field questions[0].topic: topic 'basics' has no "
        "title, so it is shown as 'basics' (1 question): add a [topics.basics] table with "
        "title.en"
    )
    assert out.splitlines()[-1].startswith("1 file, 1 valid bank, 1 question: 0 errors, 1 warning")
    code, _, _ = run(capsys, "rubrics", "check", "--strict", str(bank))
    assert code == 1


def test_import_mixed_languages_stays_out_of_the_data_dir(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "mixed.md"
    source.write_text(
        "## What is a cache?\n\nA cache keeps hot data in fast memory.\n\n"
        "## 什么是缓存穿透？\n\n查询根本不存在的数据，请求全部打到数据库上。\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "rubrics", "import", str(source))
    assert code == 0
    assert (tmp_path / "mixed.toml").exists()
    assert not (user_rubrics_dir() / "mixed.toml").exists()
    assert "does not load until" in out and "add the zh text" in out


def test_import_errors_are_one_clean_line(capsys, tmp_path):
    code, _, err = run(capsys, "rubrics", "import", str(tmp_path / "missing.md"))
    assert code == 2 and err == f"mockint: error: {tmp_path / 'missing.md'}: no such file\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(capsys, "rubrics", "import", str(bad))
    assert code == 2 and "'question' and 'answer' columns" in err


def test_rubrics_without_an_action_prints_its_help(capsys):
    code, out, _ = run(capsys, "rubrics")
    assert code == 0
    for action in ("list", "check", "new", "import"):
        assert action in out


@pytest.mark.parametrize("content", [b"\xff\xfe not utf-8", b'id = "x"\n[[questions]]\nid = 3\n'])
def test_broken_bank_in_a_real_process_never_shows_a_traceback(tmp_path, content):
    bank = tmp_path / "broken.toml"
    bank.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "mockint", "rubrics", "check", str(bank)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(builtin_rubrics_dir()).parent,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.startswith(f"{bank}:")
