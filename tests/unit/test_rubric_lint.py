"""The linter with the real grader: each kind of warning on a crafted bank, nothing on a clean
question, and the built-in banks grading their own model answers above 90."""

from __future__ import annotations

import textwrap

import pytest

from mockint.authoring import lint_bank, model_warnings, static_warnings
from mockint.locations import builtin_rubrics_dir
from mockint.rubric import load_bank, load_library

CRAFTED = textwrap.dedent(
    r'''
    id = "crafted"
    title.en = "Crafted bank for the linter"

    [[questions]]
    id = "learning-rate-step"
    topic = "training"
    prompt.en = "What does the learning rate control in gradient descent?"
    model_answer.en = """\
    The learning rate controls the step size of each update. A learning rate that is too \
    high makes the loss diverge. One that is too low makes training very slow."""

    [[questions.key_points]]
    id = "step-size"
    text.en = "The learning rate controls the step size of each update."
    follow_up.en = "What does the learning rate scale?"

    [[questions.key_points]]
    id = "update-size"
    text.en = "The learning rate sets how big each update step is."
    follow_up.en = "How big is each step?"

    [[questions.key_points]]
    id = "too-high"
    text.en = "A learning rate that is too high makes the loss diverge."
    follow_up.en = "What if it is too high?"

    [[questions]]
    id = "dropout-rate"
    topic = "regularization"
    prompt.en = "How does dropout work?"
    model_answer.en = """\
    During training dropout randomly switches off a fraction of the neurons at each \
    step. This stops neurons from co-adapting and reduces overfitting. At test time \
    every neuron is used."""

    [[questions.key_points]]
    id = "random-zeroing"
    text.en = """\
    During training dropout randomly switches off a fraction of the neurons at each \
    step."""
    follow_up.en = "What does dropout do during training?"

    [[questions.key_points]]
    id = "reduces-overfitting"
    text.en = "Dropout stops neurons from co-adapting and reduces overfitting."
    follow_up.en = "Why does that help?"

    [[questions.misconceptions]]
    id = "drops-weights"
    text.en = """\
    During training dropout randomly switches off a fraction of the weights at each \
    step."""
    correction.en = "Dropout zeroes the activations of neurons, not weights."

    [[questions]]
    id = "epoch"
    topic = "training"
    prompt.en = "What is an epoch?"
    model_answer.en = "An epoch is one full pass of the model over the whole training set."

    [[questions.key_points]]
    id = "one-pass"
    text.en = "An epoch is one full pass over the whole training set."
    follow_up.en = "How much data does one epoch see?"

    [[questions.key_points]]
    id = "early-stopping"
    weight = 2
    text.en = "Training stops early once the validation loss no longer improves."
    follow_up.en = "How do you decide how many epochs to train?"

    [[questions]]
    id = "bagging"
    topic = "ensembles"
    prompt.en = "What is bagging?"
    model_answer.en = """\
    Bagging trains many models on bootstrap samples of the training data and averages \
    their predictions, which mainly reduces variance."""

    [[questions.key_points]]
    id = "bootstrap-average"
    text.en = """\
    Bagging trains many models on bootstrap samples of the training data, that is \
    samples drawn with replacement, each as large as the original set, and then averages \
    their predictions or takes a vote."""
    follow_up.en = "How are the models trained and combined?"

    [[questions.key_points]]
    id = "less-variance"
    text.en = "Averaging many models mainly reduces variance."
    follow_up.en = "Which part of the error does it reduce?"
    '''
)


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    path = tmp_path_factory.mktemp("lint") / "crafted.toml"
    path.write_text(CRAFTED, encoding="utf-8")
    return load_bank(path)


@pytest.fixture(scope="module")
def warnings(crafted, grader):
    return lint_bank(crafted, grader)


def line_of(needle: str) -> int:
    return next(n for n, line in enumerate(CRAFTED.split("\n"), 1) if needle in line)


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


def test_nothing_else_is_flagged(warnings):
    expected = {
        ("learning-rate-step", "questions[0].key_points[1].text.en"),
        ("dropout-rate", "questions[1].misconceptions[0].text.en"),
        ("epoch", "questions[2].model_answer.en"),
        ("bagging", "questions[3].key_points[0].text.en"),
        # The long key point also keeps its own model answer from matching it fully.
        ("bagging", "questions[3].model_answer.en"),
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
