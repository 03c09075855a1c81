"""`mockint interview --plain` in-process, with answers piped in and the real grader."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from handmade import make_grade, slipping_grade

from mockint.cli import main
from mockint.store import open_store

PARTIAL_BN = (
    "Batch normalization normalizes the activations of each layer using the mean and variance "
    "of the mini-batch."
)
FOLLOW_UP_BN = (
    "It keeps layer inputs in a stable range, so training converges faster and tolerates "
    "higher learning rates. At inference it uses the running mean and variance from training."
)
LR_ANSWER = (
    "If the learning rate is too high the loss oscillates or diverges; if it is too low "
    "training is very slow and can get stuck."
)


@pytest.fixture
def run(monkeypatch, capsys, grader, tmp_path):
    """Run the CLI with ``stdin`` piped in; returns (exit code, stdout, stderr)."""
    loads = []

    def fake_load(args):
        loads.append(args)
        return grader

    monkeypatch.setattr("mockint.commands.interview.load_grader_from_args", fake_load)

    def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    run.loads = loads
    return run


@pytest.fixture
def db(tmp_path):
    return tmp_path / "history.db"


def _answers(*blocks: str) -> str:
    return "".join(block + "\n\n" for block in blocks)


def test_a_piped_interview_grades_follows_up_and_stores_everything(run, db):
    stdin = "/hint\n" + _answers(PARTIAL_BN, FOLLOW_UP_BN) + "/override 70\n/skip\n"
    argv = ["interview", "--plain", "--db", str(db), "--questions", "batch-norm,learning-rate"]
    code, out, err = run(argv, stdin)
    assert code == 0, err

    assert "Question 1/2 [Training, about 3 min]" in out  # the topic's title, not its id
    assert "What is Batch Normalization" in out
    assert 'Hint: think about "' in out
    assert "Score: " in out and "Covered:" in out and "Missed:" in out
    assert f'(you said: "{PARTIAL_BN}")' in out  # evidence quotes the candidate's words
    assert "\nFollow-up: " in out
    assert "Follow-up graded. On the point it asked about: " in out
    assert "Coverage of this question: " in out
    assert "Your score of 70 is saved for the last graded question." in out
    assert "Question 2/2" in out and "Skipped." in out
    assert "finished: 1 answered, 1 skipped, mean score 70/100." in out
    assert "\x1b[" not in out  # nothing that needs a terminal

    with open_store(db) as store:
        [session] = store.sessions()
        assert session["ended_at"] is not None and session["client"] == "plain"
        main_row, follow_row, skip_row = store.session_answers(session["id"])
    assert (main_row["kind"], main_row["text"], main_row["hints_used"]) == ("main", PARTIAL_BN, 1)
    assert main_row["override_score"] == 70 and main_row["key_points"]
    assert (follow_row["kind"], follow_row["text"]) == ("follow_up", FOLLOW_UP_BN)
    assert follow_row["score"] is not None
    assert (skip_row["question_id"], skip_row["skipped"]) == ("learning-rate", 1)


def test_end_of_input_keeps_the_session_and_resume_finishes_it(run, db):
    ids = "learning-rate,epoch-batch-iteration,bias-variance"
    argv = ["interview", "--plain", "--no-follow-up", "--db", str(db), "--questions", ids]
    code, out, _ = run(argv, _answers(LR_ANSWER))
    assert code == 0
    assert "Input ended. Session 1 is saved (1 answered, 2 to go)." in out
    assert "mockint interview --plain --resume 1" in out
    with open_store(db) as store:
        assert [s["id"] for s in store.unfinished_sessions()] == [1]

    epoch = "An epoch is one pass over the whole training set; an iteration is one batch update."
    bias = "High bias means underfitting, high variance means overfitting."
    code, out, _ = run(
        ["interview", "--plain", "--no-follow-up", "--db", str(db), "--resume"],
        _answers(epoch, bias),
    )
    assert code == 0
    assert "resuming after 1 answered" in out
    assert "Question 2/3" in out and "Question 3/3" in out and "Question 1/3" not in out
    with open_store(db) as store:
        assert store.unfinished_sessions() == []
        texts = [r["text"] for r in store.session_answers(1)]
    assert texts == [LR_ANSWER, epoch, bias]


def test_i_dont_know_quit_and_chinese_prompts(run, db):
    argv = [
        "interview",
        "--plain",
        "--lang",
        "zh",
        "--db",
        str(db),
        "--questions",
        "batch-norm,learning-rate",
    ]
    code, out, _ = run(argv, "/idk\n/quit\n")
    assert code == 0
    assert "介绍一下 Batch Normalization" in out  # the prompt in Chinese
    assert "Score: 0/100" in out
    assert "Model answer:" in out and "Batch Normalization 归一化的是" in out
    assert "Stopped. Session 1 is saved (1 answered, 1 to go)." in out
    with open_store(db) as store:
        [row] = store.session_answers(1)
        assert row["text"] == "我不知道。"


def test_i_dont_know_to_a_follow_up_is_an_answer_and_quotes_stay_on_one_line(run, db):
    """/idk on a follow-up is stored and graded as the answer to it, and the interviewer names
    the point it was after (not "Follow-up skipped."); an answer typed over several lines is
    quoted on one line."""
    two_lines = (
        "Batch normalization normalizes the activations of each layer\n"
        "using the mean and variance of the mini-batch."
    )
    argv = ["interview", "--plain", "--db", str(db), "--questions", "batch-norm"]
    code, out, _ = run(argv, _answers(two_lines) + "/idk\n")
    assert code == 0
    assert "Follow-up skipped." not in out
    assert "That's fine; saying so beats guessing. I was after: " in out
    quotes = [line for line in out.splitlines() if "(you said: " in line]
    assert quotes and all(line.endswith('")') for line in quotes)
    with open_store(db) as store:
        rows = store.session_answers(1)
    assert [(r["kind"], r["text"]) for r in rows][1] == ("follow_up", "I don't know.")
    assert rows[1]["score"] is not None


def test_an_evidence_quote_spanning_two_lines_is_printed_on_one():
    from mockint.commands.interview import _quote

    assert _quote("It normalizes each layer\n\n  over the mini-batch.") == (
        ' (you said: "It normalizes each layer over the mini-batch.")'
    )


def test_a_misconception_is_named_plainly(run, db):
    wrong = "Batch normalization normalizes the weights of the network so they stay small."
    argv = ["interview", "--plain", "--no-follow-up", "--db", str(db), "--questions", "batch-norm"]
    code, out, _ = run(argv, _answers(wrong))
    assert code == 0
    assert "Misconceptions:\n  - Wrong: " in out
    assert f'    You said: "{wrong}"\n    In fact: BN normalizes activations' in out


def test_mistakes_are_one_line_errors_before_any_model_loads(run, db, tmp_path):
    code, _, err = run(["interview", "--plain", "--db", str(db), "--questions", "nope"])
    assert code == 2 and err.strip().startswith("mockint: error: unknown question id 'nope'")
    assert len(err.strip().splitlines()) == 1

    notes = tmp_path / "notes.db"
    notes.write_bytes(b"not a database at all\n" * 10)
    code, _, err = run(["interview", "--plain", "--db", str(notes), "--questions", "batch-norm"])
    assert code == 2 and "not an SQLite file" in err and len(err.strip().splitlines()) == 1
    assert notes.read_bytes() == b"not a database at all\n" * 10

    code, _, err = run(
        ["interview", "--plain", "--db", str(db), "--audio-dir", str(tmp_path / "x")]
    )
    assert code == 2 and "no such folder" in err
    assert run.loads == []  # none of these waited for the grading model


@pytest.mark.voice
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_answers_can_come_from_audio_files(run, db, tmp_path):
    pytest.importorskip("faster_whisper")
    folder = tmp_path / "answers"
    folder.mkdir()
    spoken = "The learning rate is the step size. Too high and the loss diverges."
    subprocess.run(["espeak-ng", "-w", str(folder / "learning-rate.wav"), spoken], check=True)
    code, out, err = run(["interview", "--plain", "--db", str(db), "--audio-dir", str(folder)])
    assert code == 0, err
    assert "Answer from learning-rate.wav" in out and "Transcript: " in out
    assert "Score: " in out
    with open_store(db) as store:
        [row] = store.session_answers(1)
    assert row["question_id"] == "learning-rate" and row["source"] == "voice"
    assert "learning rate" in row["text"].lower()
    assert row["speech"] is not None and row["speech"]["words"] > 5


class _InterruptedInput(io.StringIO):
    """Standard input on which the candidate presses Ctrl-C once the given text is read."""

    def readline(self, *args):
        line = super().readline(*args)
        if not line:
            raise KeyboardInterrupt
        return line


def test_ctrl_c_mid_interview_ends_cleanly_and_keeps_the_answers(run, db, monkeypatch, capsys):
    argv = [
        "interview",
        "--plain",
        "--no-follow-up",
        "--db",
        str(db),
        "--questions",
        "learning-rate,bias-variance",
    ]
    monkeypatch.setattr("sys.stdin", _InterruptedInput(_answers(LR_ANSWER)))
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 130 and "Traceback" not in err
    assert "Interrupted. Session 1 is saved (1 answered, 1 to go)." in out
    with open_store(db) as store:
        [row] = store.session_answers(1)
        assert row["text"] == LR_ANSWER and row["score"] is not None


def test_ctrl_c_while_an_answer_is_stored_waits_for_the_commit():
    import os
    import signal

    from mockint.commands.interview import _Interrupts

    finished = []
    with pytest.raises(KeyboardInterrupt), _Interrupts().deferred():
        os.kill(os.getpid(), signal.SIGINT)  # arrives mid-way through "grading"
        finished.append("stored")
    assert finished == ["stored"]


class PreparedGrader:
    """Grades prepared by hand for given answer texts (the plain interview's display only)."""

    def __init__(self, grades: dict):
        self.grades = grades

    def grade(self, question, answer, **_):
        return self.grades[answer]


def test_barely_touched_points_contradictions_and_a_follow_up_on_its_point(
    monkeypatch, capsys, library, db
):
    """A point with a sliver of credit is listed under "Missed:" ("barely touched on"), never
    under a covered heading; a key point stated the wrong way round is quoted once ("Not
    right: you said ..." then "In fact: <the point>"); the follow-up is judged on the point it
    asked about."""
    _, norm = library.find_question("batch-norm")
    point = norm.key_point("inference-running-stats").text.get("en")
    clause = "at inference BN uses the statistics of the current batch"
    main_answer = f"BN normalizes activations. I think {clause}."
    first = slipping_grade(
        norm, "deep-learning", "avoids-saturation", "inference-running-stats", clause
    )
    target = first.follow_up_key_point
    follow = make_grade(norm, {target: "hit"}, bank_id="deep-learning")
    follow.key_points = [kp for kp in follow.key_points if kp.id == target]
    grader = PreparedGrader({main_answer: first, "Running averages.": follow})
    monkeypatch.setattr("mockint.commands.interview.load_grader_from_args", lambda args: grader)
    monkeypatch.setattr("sys.stdin", io.StringIO(_answers(main_answer, "Running averages.")))
    code = main(["interview", "--plain", "--db", str(db), "--questions", "batch-norm"])
    out, err = capsys.readouterr()
    assert code == 0, err
    saturation = norm.key_point("avoids-saturation").text.get("en")
    graded = out.split("Missed:")[0]
    assert saturation not in graded
    assert f"  - {saturation} (barely touched on)" in out
    assert out.count(clause) == 1  # quoted once, not as "Wrong: <clause>" and again
    assert f'Not right: you said "I think {clause}."' in out
    assert f"In fact: {point}" in out
    assert "Follow-up graded. On the point it asked about: covered." in out


def test_a_chinese_interview_names_the_topic_by_its_chinese_title(run, db):
    argv = ["interview", "--plain", "--lang", "zh", "--db", str(db), "--questions", "batch-norm"]
    code, out, err = run(argv, "/skip\n")
    assert code == 0, err
    assert "Question 1/1 [模型训练, about 3 min]" in out
