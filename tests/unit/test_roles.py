"""Which quantity a clause gives which role (roles.py), and the mistakes it tells apart."""

from __future__ import annotations

import pytest

from mockint.grading.roles import binding, binds_alike, binds_otherwise

MISTAKE = (
    "Each round trains on one fold and validates on the other k-1 folds.",
    "每一轮用一折训练，用其余 k-1 折做验证。",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MISTAKE[0], {"one": "train", "rest": "evaluate"}),
        (MISTAKE[1], {"one": "train", "rest": "evaluate"}),
        (
            "each time one fold is held out for validation and the other k-1 are used for training",
            {"one": "evaluate", "rest": "train"},
        ),
        # An explicit count is the one fold, even after "the rest".
        ("每次拿其中 k−1 份作为验证集，剩下的 1 份用来训练", {"rest": "evaluate", "one": "train"}),
        ("每次用 k-1 份训练、1 份验证", {"rest": "train", "one": "evaluate"}),
        ("轮流拿一份做验证，其他的训练", {"one": "evaluate", "rest": "train"}),
        # "k minus one", and "the remaining one" is the one fold.
        (
            "train on k minus 1 of them and validate on the remaining one",
            {"rest": "train", "one": "evaluate"},
        ),
        (
            "each round trains on k minus one folds and scores the held-out one",
            {"rest": "train", "one": "evaluate"},
        ),
        # Ten folds are not one; a part naming both roles binds neither.
        ("把数据分成 10 份，每次用其中 9 份训练", {}),
        ("一份数据同时用来训练和验证", {}),
    ],
)
def test_each_quantity_gets_the_role_said_of_it(text, expected):
    assert binding(text) == expected


def test_the_same_binding_states_the_mistake_and_the_other_reverses_it():
    wrong = "In each round you use one fold to train the model and the remaining k-1 to test it."
    right = "每次拿其中一份当验证集，剩下的 k-1 份训练"
    assert binds_alike(MISTAKE, wrong) and not binds_otherwise(MISTAKE, wrong)
    assert binds_otherwise(MISTAKE, right) and not binds_alike(MISTAKE, right)
    # A clause that binds nothing says neither.
    vague = "You split the data into k folds and average the scores."
    assert not binds_alike(MISTAKE, vague) and not binds_otherwise(MISTAKE, vague)


def grade_in_library(grader, library, question_id, answer):
    bank, question = library.find_question(question_id)
    return grader.grade(
        question,
        answer,
        bank_id=bank.id,
        other_questions=bank.questions,
        elsewhere=library.outside(bank.id),
    )


@pytest.mark.parametrize(
    "answer",
    [
        "K-fold means you split your data into k folds and run k rounds. In each round you use "
        "one fold to train the model and the remaining k-1 folds to test it, then average the "
        "scores.",
        "k 折交叉验证就是把数据分成 k 份，每次用其中 1 份来训练，剩下的 k-1 份用来验证，"
        "这样验证集足够大，评估结果就更准确。重复 k 次，把结果取平均。",
        "k 折交叉验证是把数据分成 k 份，每次拿其中 k−1 份作为验证集，剩下的 1 份用来训练，"
        "循环 k 次，最后把结果取平均。这样做的好处是验证集很大，评估出来更可靠。",
    ],
)
def test_training_on_the_one_fold_is_the_listed_mistake(grader, library, answer):
    result = grade_in_library(grader, library, "cross-validation", answer)
    assert "train-on-one-fold" in [m.id for m in result.misconceptions]
    assert result.score <= 25


@pytest.mark.parametrize(
    "answer",
    [
        "In k-fold cross-validation you split the data into k roughly equal folds. You train k "
        "times; each time one fold is held out for validation and the other k-1 are used for "
        "training. Then you average the k validation scores.",
        "k 折交叉验证就是把数据分成 k 份，每次拿其中一份当验证集，剩下的 k-1 份训练，"
        "轮流做 k 次，最后把 k 次的结果取平均。",
    ],
)
def test_holding_out_the_one_fold_is_no_mistake(grader, library, answer):
    result = grade_in_library(grader, library, "cross-validation", answer)
    assert not result.misconceptions, [m.id for m in result.misconceptions]
    assert result.score >= 40
