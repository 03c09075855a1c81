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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "参数是我们手动设的，比如学习率和 batch size；超参数是模型训练出来的权重。",
            {"param": "set", "hyper": "learned"},
        ),
        # 参数 inside 超参数 is not 参数.
        ("超参数就是模型训练完之后得到的那些值，比如最终学到的权重；", {"hyper": "learned"}),
        (
            "Parameters are learned from the data by gradient descent; hyperparameters are set "
            "before training.",
            {"param": "learned", "hyper": "set"},
        ),
        # Fit by the optimizer is learned; fit by you is set.
        (
            "parameters are fit by the optimizer on the training data, hyperparameters are fit "
            "by you on validation data",
            {"param": "learned", "hyper": "set"},
        ),
        # What they are got by: 靠/通过 the optimizer is learned, 靠 the validation set is set.
        (
            "参数靠 gradient descent 学出来，超参数靠验证集调",
            {"param": "learned", "hyper": "set"},
        ),
        ("参数通过反向传播更新，超参数用交叉验证来选", {"param": "learned", "hyper": "set"}),
        ("超参数也是通过反向传播学出来的", {"hyper": "learned"}),
        # Only what they are: controlling how the model learns is no role, nor is a denial.
        ("Hyperparameters are settings that control how the model learns.", {}),
        ("超参数决定了模型能学到什么", {}),
        ("超参数不是学出来的", {}),
        # A part naming both binds neither.
        ("Hyperparameters are chosen to control how the parameters are learned.", {}),
    ],
)
def test_parameters_and_hyperparameters_get_what_they_are_said_to_be(text, expected):
    assert binding(text) == expected


def test_the_same_binding_states_the_mistake_and_the_other_reverses_it():
    wrong = "In each round you use one fold to train the model and the remaining k-1 to test it."
    right = "每次拿其中一份当验证集，剩下的 k-1 份训练"
    assert binds_alike(MISTAKE, wrong) and not binds_otherwise(MISTAKE, wrong)
    assert binds_otherwise(MISTAKE, right) and not binds_alike(MISTAKE, right)
    # A clause that binds nothing says neither.
    vague = "You split the data into k folds and average the scores."
    assert not binds_alike(MISTAKE, vague) and not binds_otherwise(MISTAKE, vague)


@pytest.mark.parametrize(
    ("question_id", "answer", "listed"),
    [
        (
            "cross-validation",
            "K-fold means you split your data into k folds and run k rounds. In each round you "
            "use one fold to train the model and the remaining k-1 folds to test it, then "
            "average the scores.",
            "train-on-one-fold",
        ),
        (
            "cross-validation",
            "k 折交叉验证就是把数据分成 k 份，每次用其中 1 份来训练，剩下的 k-1 份用来验证，"
            "这样验证集足够大，评估结果就更准确。重复 k 次，把结果取平均。",
            "train-on-one-fold",
        ),
        (
            "cross-validation",
            "k 折交叉验证是把数据分成 k 份，每次拿其中 k−1 份作为验证集，剩下的 1 份用来训练，"
            "循环 k 次，最后把结果取平均。这样做的好处是验证集很大，评估出来更可靠。",
            "train-on-one-fold",
        ),
        (
            "hyperparameters",
            "超参数就是模型训练完之后得到的那些值，比如最终学到的权重；参数是训练之前我们设定好的，"
            "比如学习率、层数这些。所以调参的时候其实是在调参数。",
            "swapped-parameter-hyperparameter",
        ),
        (
            "hyperparameters",
            "参数是训练开始前由我们人为设定好的，比如学习率、迭代次数、正则化系数；超参数是模型在"
            "训练过程中通过数据学到的，比如神经网络每一层的权重和偏置。",
            "swapped-parameter-hyperparameter",
        ),
    ],
)
def test_a_mistake_said_with_its_own_binding_is_named(
    grade_in_library, question_id, answer, listed
):
    result = grade_in_library(question_id, answer)
    assert listed in [m.id for m in result.misconceptions]
    assert result.score <= 25


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        (
            "cross-validation",
            "In k-fold cross-validation you split the data into k roughly equal folds. You "
            "train k times; each time one fold is held out for validation and the other k-1 are "
            "used for training. Then you average the k validation scores.",
        ),
        (
            "cross-validation",
            "k 折交叉验证就是把数据分成 k 份，每次拿其中一份当验证集，剩下的 k-1 份训练，"
            "轮流做 k 次，最后把 k 次的结果取平均。",
        ),
        (
            "hyperparameters",
            "参数是模型在训练中通过梯度下降学出来的，比如每一层的权重和偏置；超参数是训练开始前"
            "我们自己设定的，比如学习率、batch size、层数，一般在验证集上调。",
        ),
        (
            "hyperparameters",
            "参数是训练中学到的权重，超参数是训练前设定的。区别：\n- 参数靠 gradient descent 等学出"
            "来，超参数靠验证集调\n- 调参方法：grid search、random search、贝叶斯优化，"
            "一般配合交叉验证",
        ),
        ("hyperparameters", "参数靠 gradient descent 学出来，超参数靠验证集调。"),
    ],
)
def test_the_other_binding_is_no_mistake(grade_in_library, question_id, answer):
    result = grade_in_library(question_id, answer)
    assert not result.misconceptions, [m.id for m in result.misconceptions]
    assert result.score >= 40
