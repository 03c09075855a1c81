"""`mockint grade`, called in-process with the session's grader (no model reload per test)."""

from __future__ import annotations

import io
import json

import pytest
from handmade import FIXTURES, contradiction, make_grade

from mockint import cli
from mockint.commands import _common
from mockint.commands.grade import render_report
from mockint.grading import calibration as cal

GOOD = (
    "Batch normalization normalizes each layer's activations over the mini-batch to zero "
    "mean and unit variance, then applies a learnable scale gamma and shift beta."
)


@pytest.fixture(autouse=True)
def shared_grader(grader, monkeypatch):
    """The command loads its grader through _common; hand it the session's one."""
    monkeypatch.setattr(_common, "load_grader_from_args", lambda args: grader)
    monkeypatch.setattr("mockint.commands.grade.load_grader_from_args", lambda args: grader)


def run(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_readable_report(capsys):
    code, out, err = run(["grade", "batch-norm", "--answer", GOOD], capsys)
    assert code == 0
    assert "Score" in out and "Covered:" in out
    assert "normalizes each layer's activations" in out  # evidence quoted
    assert "Follow-up:" in out


def test_json_has_the_documented_shape(capsys):
    code, out, _ = run(["grade", "batch-norm", "--answer", GOOD, "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["question_id"] == "batch-norm"
    assert 0 <= data["score"] <= 100
    assert isinstance(data["verdict"], str) and data["language"] == "en"
    assert isinstance(data["model"], str) and data["model"]
    for kp in data["key_points"]:
        assert set(kp) >= {"id", "text", "weight", "status", "similarity", "evidence"}
        assert kp["status"] in ("hit", "partial", "miss")
        assert (kp["evidence"] is None) == (kp["status"] == "miss")
    assert isinstance(data["misconceptions"], list)
    assert data["follow_up"] is None or isinstance(data["follow_up"], str)
    assert isinstance(data["feedback"], str) and data["feedback"]


def test_answer_from_file_and_stdin(tmp_path, capsys, monkeypatch):
    path = tmp_path / "answer.txt"
    path.write_text(GOOD, encoding="utf-8")
    code, out, _ = run(["grade", "batch-norm", "--file", str(path), "--json"], capsys)
    from_file = json.loads(out)["score"]
    code2, out2, _ = run(
        ["grade", "batch-norm", "--file", "-", "--json"], capsys, GOOD, monkeypatch
    )
    assert code == code2 == 0
    assert json.loads(out2)["score"] == from_file


def test_chinese_answer(capsys):
    answer = (
        "BN 在 mini-batch 上把每一层的激活输出归一化成均值 0、方差 1，"
        "然后用可学习的 gamma 和 beta 缩放平移。"
    )
    code, out, _ = run(["grade", "batch-norm", "--answer", answer, "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["language"] == "zh"
    assert any(kp["status"] != "miss" for kp in data["key_points"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["grade", "batch-nrom", "--answer", "x"], "unknown question id 'batch-nrom'"),
        (["grade", "batch-norm", "--answer", "   "], "the answer is empty"),
        (["grade", "batch-norm", "--file", "/nonexistent/answer.txt"], "no such file"),
        (["grade", "--answer", "x"], "give a QUESTION_ID"),
    ],
)
def test_user_mistakes_are_one_clear_line(argv, message, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_a_suggestion_for_a_misspelt_id(capsys):
    _, _, err = run(["grade", "batch-nrom", "--answer", "x"], capsys)
    assert "Did you mean: batch-norm" in err


def test_a_huge_answer_file_is_refused_clearly(tmp_path, capsys):
    path = tmp_path / "huge.txt"
    path.write_text("word " * 500_000, encoding="utf-8")  # 2.5 MB
    code, _, err = run(["grade", "batch-norm", "--file", str(path)], capsys)
    assert code == 2 and "too large" in err


def test_a_one_megabyte_answer_is_graded(tmp_path, capsys):
    path = tmp_path / "big.txt"
    path.write_text(GOOD + " " + "and so on " * 100_000, encoding="utf-8")  # ~1 MB
    code, out, _ = run(["grade", "batch-norm", "--file", str(path), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and any("first" in note for note in data["notes"])


def test_batch_grades_every_line_in_order_and_survives_bad_lines(tmp_path, capsys):
    lines = [
        json.dumps({"question_id": "batch-norm", "answer": GOOD, "student": "ann", "score": 90}),
        "{not json",
        json.dumps({"question_id": "no-such-question", "answer": "x"}),
        json.dumps({"question_id": "learning-rate"}),
        json.dumps(["a", "list"]),
        json.dumps(
            {
                "question_id": "learning-rate",
                "answer": "Too high and it diverges, too low and it is very slow.",
            }
        ),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(["grade", "--batch", str(path), "--json"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 6
    assert code == 1  # some lines failed, and the batch still finished
    first, bad_json, unknown, no_answer, not_object, last = rows
    assert first["question_id"] == "batch-norm" and first["student"] == "ann"
    assert first["input"] == {"score": 90}  # a clashing input field is kept, not overwritten
    assert 0 <= first["score"] <= 100
    assert "invalid JSON" in bad_json["error"]
    assert "unknown question id" in unknown["error"]
    assert "answer" in no_answer["error"]
    assert "JSON object" in not_object["error"]
    assert last["question_id"] == "learning-rate" and "score" in last
    assert "line 2" in err and "Traceback" not in err
    assert "graded 6 line(s)" in err


def test_grading_another_bank_with_rubrics_option(capsys):
    code, out, _ = run(
        [
            "grade",
            "tensor",
            "--rubrics",
            str(FIXTURES / "small-bank.toml"),
            "--json",
            "--answer",
            "A tensor is an array of numbers with any number of dimensions.",
        ],
        capsys,
    )
    data = json.loads(out)
    assert code == 0 and data["bank_id"] == "small"
    assert data["key_points"][0]["status"] == "hit"


def test_report_lists_barely_touched_points_with_the_missed_ones(library):
    """A point with a sliver of credit is under "Missed:" as "◌ barely", never under
    "Covered:", and no sentence is quoted for it."""
    _, question = library.find_question("batch-norm")
    grade = make_grade(
        question,
        {"avoids-saturation": "partial", "inference-running-stats": "miss"},
        bank_id="deep-learning",
        credit={"avoids-saturation": 0.1},
    )
    out = render_report(question, "an answer", grade)
    covered, missed = out.split("Missed:")
    text = question.key_point("avoids-saturation").text.get("en")
    assert "Covered:" in covered and text not in covered
    assert "◌ barely " in missed and text in missed
    assert "I said avoids-saturation" not in out


def test_report_prints_a_contradicted_point_once(library):
    """A key point stated the wrong way round ("contradicts:<point>"): the candidate's words
    once ("you said"), then the key point ("in fact"), not the clause twice."""
    _, question = library.find_question("batch-norm")
    point = question.key_point("inference-running-stats").text.get("en")
    clause = "at inference BN uses the statistics of the current batch"
    grade = make_grade(question, bank_id="deep-learning")
    grade.misconceptions.append(contradiction(question, "inference-running-stats", clause))
    out = render_report(question, f"I think {clause}.", grade)
    assert out.count(clause) == 1
    assert f"you said: “I think {clause}.”" in out
    assert f"in fact: {point}" in out


# An answer about a question of the other built-in bank (feature scaling, ml-fundamentals)
# given to batch-norm (deep-learning): off-topic, as an answer to a question of its own bank is.
SCALING_ANSWER = (
    "We scale features because many models are sensitive to the range of the inputs: with one "
    "feature in the thousands and another between 0 and 1, gradient descent zigzags and k-NN "
    "distances are dominated by the large one. So you standardize or min-max scale, fitting the "
    "scaler on the training data only. Tree models don't need it since they split on thresholds."
)


@pytest.mark.parametrize("batch", [False, True])
def test_an_answer_to_a_question_of_another_bank_is_off_topic(batch, tmp_path, capsys, monkeypatch):
    if batch:
        line = json.dumps({"question_id": "batch-norm", "answer": SCALING_ANSWER})
        code, out, _ = run(["grade", "--batch", "-", "--json"], capsys, line + "\n", monkeypatch)
    else:
        code, out, _ = run(["grade", "batch-norm", "--answer", SCALING_ANSWER, "--json"], capsys)
    assert code == 0
    data = json.loads(out.splitlines()[0])
    assert data["verdict"] == "off-topic"
    assert data["score"] <= 5


def test_a_vague_answer_keeps_its_floor_in_a_library_of_banks(capsys):
    # The floor compares the answer with its own bank's questions only: some question of
    # another bank always matches a vague answer a hair better.
    vague = (
        "Batch normalization is a really important technique that people use all the time in "
        "deep learning, and it generally makes training work better in practice."
    )
    code, out, _ = run(["grade", "batch-norm", "--answer", vague, "--json"], capsys)
    data = json.loads(out)
    assert data["verdict"] != "off-topic"
    assert any("On topic" in note for note in data["notes"])
    assert data["score"] >= cal.ON_TOPIC_FLOOR


def test_a_note_the_feedback_already_says_is_printed_once(capsys):
    # Every point of batch norm named in a line each: held to the model answer's length, and
    # told so once, not as a note and again in the feedback.
    shallow = (
        "BN normalizes each layer's activations over the mini-batch, then gamma and beta rescale "
        "them. It allows higher learning rates, keeps sigmoid out of saturation, regularizes a "
        "little, and uses running averages at inference."
    )
    code, out, _ = run(["grade", "batch-norm", "--answer", shallow], capsys)
    assert code == 0
    flat = " ".join(out.split())  # the feedback paragraph is wrapped
    assert flat.count("explain how and why they work") == 1
