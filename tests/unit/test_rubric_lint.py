"""The linter with the real grader: each kind of warning on a crafted bank, nothing on a clean
question, and the built-in banks grading their own model answers above 90."""

from __future__ import annotations

import pytest
from handmade import FIXTURES

from mockint.authoring import lint_bank, model_warnings, static_warnings
from mockint.locations import builtin_rubrics_dir
from mockint.rubric import load_bank, load_library

CRAFTED = FIXTURES / "lint-crafted.toml"
"""One flaw per question: near-duplicate points, a misconception too close to a point, a model
answer missing its own point, a point too long for one sentence."""


@pytest.fixture(scope="module")
def crafted():
    return load_bank(CRAFTED)


@pytest.fixture(scope="module")
def warnings(crafted, grader):
    return lint_bank(crafted, grader)


def line_of(needle: str) -> int:
    lines = CRAFTED.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def only(warnings, question_id, field_part=""):
    found = [w for w in warnings if w.question_id == question_id and field_part in w.field]
    assert len(found) == 1, [str(w) for w in found]
    assert found[0].severity == "warning"
    return found[0]


def test_near_duplicate_key_points(warnings):
    w = only(warnings, "learning-rate-step")
    assert (w.line, w.field) == (line_of("sets how big"), "questions[0].key_points[1].text.en")
    assert w.message.startswith("key points 'step-size' and 'update-size' say nearly the same")


def test_misconception_too_close_to_a_correct_point(warnings):
    w = only(warnings, "dropout-rate")
    assert (w.line, w.field) == (
        line_of('id = "drops-weights"') + 1,
        "questions[1].misconceptions[0].text.en",
    )
    assert (
        "misconception 'drops-weights' is very close to the correct key point "
        "'random-zeroing'" in w.message
    )


def test_model_answer_that_misses_its_own_key_point(warnings):
    w = only(warnings, "epoch")
    assert (w.line, w.field) == (
        line_of("An epoch is one full pass of the model"),
        "questions[2].model_answer.en",
    )
    assert (
        "the en model answer scores" in w.message and "not covered: early-stopping (" in w.message
    )


def test_key_point_too_long_for_one_sentence(crafted, warnings):
    w = only(warnings, "bagging", "key_points")
    assert (w.line, w.field) == (
        line_of('id = "bootstrap-average"') + 1,
        "questions[3].key_points[0].text.en",
    )
    assert "too long to match one sentence" in w.message
    # This one needs no model: a plain `rubrics check` reports it too.
    assert [str(s) for s in static_warnings(crafted)] == [str(w)]


def test_a_misconception_as_near_two_points_should_say_which_it_denies(crafted, grader):
    w = only(lint_bank(crafted, grader), "l1-l2")
    assert (w.line, w.field) == (
        line_of('id = "same-penalty"'),
        "questions[4].misconceptions[0].id",
    )
    assert "misconception 'same-penalty' is about as near key point 'l2-squared'" in w.message
    assert "as 'l1-absolute'" in w.message and "contradicts" in w.message
    # Said, the warning goes, whichever points (or none) the author names.
    question = crafted.questions[4]
    for named in (["l1-absolute", "l2-squared"], []):
        mistake = question.misconceptions[0].model_copy(update={"contradicts": named})
        said = crafted.model_copy(
            update={"questions": [question.model_copy(update={"misconceptions": [mistake]})]}
        )
        assert [x for x in model_warnings(said, grader) if "contradicts" in x.message] == []


def test_nothing_else_is_flagged(warnings):
    expected = {
        ("learning-rate-step", "questions[0].key_points[1].text.en"),
        ("dropout-rate", "questions[1].misconceptions[0].text.en"),
        ("epoch", "questions[2].model_answer.en"),
        ("bagging", "questions[3].key_points[0].text.en"),
        # The long key point also keeps its own model answer from matching it fully.
        ("bagging", "questions[3].model_answer.en"),
        ("l1-l2", "questions[4].misconceptions[0].id"),
    }
    found = {(w.question_id, w.field) for w in warnings}
    assert expected - {("bagging", "questions[3].model_answer.en")} <= found <= expected


def test_template_question_is_lint_clean(tmp_path, grader):
    from mockint.authoring import template_bank

    path = tmp_path / "t.toml"
    path.write_text(template_bank("t", ["en", "zh"]), encoding="utf-8")
    assert [str(w) for w in model_warnings(load_bank(path), grader)] == []


@pytest.mark.parametrize("bank_id", ["deep-learning", "ml-fundamentals"])
def test_builtin_bank_grades_its_own_model_answers_above_90(bank_id, grader):
    bank = load_library([builtin_rubrics_dir()]).bank(bank_id)
    low = []
    for question in bank.questions:
        for lang in bank.languages:
            grade = grader.grade(
                question,
                question.model_answer.get(lang),
                bank_id=bank.id,
                language=lang,
                other_questions=bank.questions,
            )
            if grade.score <= 90:
                missed = [kp.id for kp in grade.key_points if kp.status != "hit"]
                low.append(
                    f"{question.id} [{lang}] {grade.score:.0f}: not hit {missed}, "
                    f"misconceptions {[m.id for m in grade.misconceptions]}"
                )
    assert not low, "\n".join(low)


def test_a_wording_that_names_none_of_its_misconceptions_about_names_is_a_warning(tmp_path):
    # Stated only where an answer names what it is about, the mistake could never be found in
    # its own wording.
    from test_rubric_loader import VALID, line_with, write

    about = VALID.replace(
        'text = { en = "A tensor is always a matrix.", zh = "张量总是矩阵。" }',
        'text = { en = "A tensor is always a matrix.", zh = "张量总是矩阵。" }\n'
        'about = ["tensor", "张量"]',
    )
    assert not [w for w in static_warnings(load_bank(write(tmp_path, about))) if "about" in w.field]
    unnamed = about.replace('about = ["tensor", "张量"]', 'about = ["tensor"]')
    path = write(tmp_path, unnamed, name="unnamed.toml")
    (warning,) = [w for w in static_warnings(load_bank(path)) if "about" in w.field]
    assert warning.field == "questions[0].misconceptions[0].about"
    assert warning.line == line_with(unnamed, 'about = ["tensor"]')
    assert "张量总是矩阵" in warning.message and "names none" in warning.message
