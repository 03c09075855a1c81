"""The opposite-word test a contradiction must pass besides the judge (opposites.py)."""

from __future__ import annotations

import pytest

from mockint.grading.opposites import opposed, reverses

LOW_SLOW = "Too low a learning rate makes tiny updates, so training is very slow."
LOW_SLOW_ZH = "学习率太低每次更新都很小，训练非常慢。"
BN = "Batch Normalization normalizes each layer's activations over the mini-batch."
THRESHOLD_ZH = "提高阈值通常会让精确率上升、召回率下降。"


@pytest.mark.parametrize(
    ("statement", "clause"),
    [
        (LOW_SLOW, "If the learning rate is too high, training gets really slow."),
        (LOW_SLOW_ZH, "学习率太高的话训练会很慢。"),
        (LOW_SLOW_ZH, "learning rate 太高的话 training 会很慢"),  # code-switched
        (BN, "Batch norm normalizes the weights of each layer."),
        (THRESHOLD_ZH, "降低阈值通常会让精确率上升、召回率下降。"),
    ],
)
def test_a_clause_using_the_opposite_word_is_opposed(statement, clause):
    assert opposed(statement, clause)


@pytest.mark.parametrize(
    ("statement", "clause"),
    [
        # The same claim in other words: a synonym is not an opposite.
        (LOW_SLOW, "If the learning rate is too small, training takes forever."),
        (LOW_SLOW_ZH, "学习率太小，每次更新很小，训练很慢"),
        # Both words of the pair on both sides: nothing exchanged.
        (THRESHOLD_ZH, "提高阈值会让精确率上升，召回率下降。"),
        # Half of the point, or a denial in a right answer, is not a contradiction.
        ("PCA is unsupervised and only captures linear structure.", "PCA is unsupervised."),
        (BN, "BN normalizes the activations, not the weights."),
    ],
)
def test_a_clause_without_an_exchanged_opposite_is_not(statement, clause):
    assert not opposed(statement, clause)


SIMPLE_HIGH_VARIANCE = "A simple model with few parameters has high variance"


@pytest.mark.parametrize(
    "clause",
    [
        "Simple models have high bias and low variance,",
        "a simple model has the low variance, complex ones the high bias",
    ],
)
def test_a_clause_pairing_a_word_with_its_opposite_reverses_the_statement(clause):
    assert reverses(SIMPLE_HIGH_VARIANCE, clause)


@pytest.mark.parametrize(
    "clause",
    [
        "Simple models have high variance and low bias",  # the statement itself, and more
        "complex ones have low bias and high variance,",  # nothing paired the other way
        "Too low a learning rate makes training slow",  # no word of the statement
    ],
)
def test_a_clause_keeping_the_pairing_does_not_reverse_it(clause):
    assert not reverses(SIMPLE_HIGH_VARIANCE, clause)
