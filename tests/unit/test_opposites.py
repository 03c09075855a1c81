"""The opposite-word test a contradiction must pass besides the judge (opposites.py)."""

from __future__ import annotations

import pytest

from mockint.grading.opposites import (
    SIDE_PAIRS,
    changes_the_other_way,
    contrasts,
    crosses,
    exchanged,
    names_counterpart,
    opposed,
    reverses,
    said_of_each,
    said_of_the_other,
)

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
        # Opposites across degrees.
        ("A larger C gives a wider margin.", "a small C allows a wider, softer margin."),
        ("A large C overfits.", "A smaller C overfits."),
        ("High bias means underfitting.", "High bias means the model overfits."),
        # ...and across the two ways to say a magnitude.
        (LOW_SLOW, "With a big learning rate training is slow but steady."),
        ("Too high a learning rate diverges.", "with a small one the loss ends up as NaN"),
        # ...in Chinese too: a learning rate is 太大 or 太高, 太小 or 太低.
        (LOW_SLOW_ZH, "learning rate 太大的话训练会很慢"),
        ("学习率太高会发散。", "太小的话 loss 会发散"),
        # A balanced test set is the reverse of one that keeps its imbalance.
        ("Balance the test set too.", "the test set keeps its natural imbalance"),
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
        # The statement says both ends of the magnitude: "too low" exchanges neither.
        (
            "Use a schedule, so steps are large early and small at the end.",
            "If it's too low, the model takes tiny steps.",
        ),
        # The clause says both ends itself, the statement's in other words ("太高" for its
        # "太大"): its "太低" is the other half of a right answer, not an exchange.
        ("学习率太大会冲过最低点，loss 来回震荡。", "太高会来回震荡，太低的话很慢。"),
        ("Too large a learning rate diverges.", "too high and it diverges, too low and it crawls"),
        # The statement has both words of the pair, one of them in the plural.
        (
            "Iterations per epoch equal dataset size divided by batch size.",
            "iteration 数等于样本数除以 batch size。",
        ),
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


TOO_HIGH_ZH = "学习率太高更新步子太大，会冲过最优点，loss 在附近震荡甚至发散、不收敛。"


@pytest.mark.parametrize(
    "clause",
    [
        # 最低点 is a place, not a low anything; 大小 is a size; 小批量 a mini-batch.
        "太大就会一步跨过最低点，loss 来回震荡甚至变成 NaN。",
        "学习率太高的话每个小批量的更新都会冲过头，loss 发散。",
    ],
)
def test_a_one_character_opposite_inside_another_word_is_not_exchanged(clause):
    assert not opposed(TOO_HIGH_ZH, clause)


def test_a_superlative_pairs_only_with_a_superlative():
    # "总误差最小" says nothing small of the variance a complex model makes large...
    tradeoff = "参数多的复杂模型 bias 低 variance 高，要选总误差最小的复杂度。"
    assert not opposed(tradeoff, "模型越复杂 variance 越大，")
    # ...while one superlative against the other is still an exchange.
    assert opposed("选让不纯度下降最大的划分", "选让不纯度下降最小的划分")


def test_clauses_saying_opposite_things_contrast():
    assert contrasts("学习率太大的话训练会很慢，", "学习率太小的话 loss 会发散。")
    assert contrasts("if it is too low, training is slow,", "if it is too high, it diverges")
    # Both words in one clause, or none exchanged: no contrast.
    assert not contrasts("不能太大也不能太小，", "要在验证集上调。")
    assert not contrasts("学习率太小训练很慢，", "还可能卡在平台区。")


LOGREG_CONTINUOUS = (
    "Logistic regression is a regression model for predicting continuous values.",
    "逻辑回归是回归模型，用来预测连续值。",
)
CONTINUOUS_TERMS = ("continuous", "numbers", "连续值", "数值")


@pytest.mark.parametrize(
    ("clause", "about_counterpart"),
    [
        # Each name opens its own part; the mistake's words are in the counterpart's.
        ("Linear regression predicts numbers and logistic regression predicts classes.", True),
        ("Linear regression predicts continuous values, whereas logistic regression ...", True),
        ("线性回归预测连续值，逻辑回归做分类。", True),
        # The mistake itself, with the counterpart named alongside.
        ("Logistic regression, just like linear regression, predicts continuous numbers.", False),
        ("逻辑回归和线性回归一样是预测数值的", False),
        ("logistic regression predicts numbers, while linear regression predicts classes", False),
    ],
)
def test_the_mistakes_words_said_of_the_counterpart_are_not_the_mistake(clause, about_counterpart):
    assert names_counterpart(LOGREG_CONTINUOUS, clause, CONTINUOUS_TERMS) is about_counterpart


LOGREG_MSE = (
    "Logistic regression is trained with mean squared error, just like linear regression.",
    "逻辑回归和线性回归一样，用均方误差来训练。",
)


@pytest.mark.parametrize(
    ("clause", "about_counterpart"),
    [
        # A mistake that names both is about the one it opens with: a clause that opens with
        # the other and never names it is about the other.
        ("linear regression 预测连续值，loss 用 MSE", True),
        ("Linear regression is fit by least squares.", True),
        # ...or names neither, in a sentence that opened with the other.
        ("and it's fit by minimizing mean squared error", True),
        # ...but not a clause that names neither first, or names the mistake's subject.
        ("它的损失函数一般用均方误差，和线性回归一样", False),
        ("logistic regression uses MSE like linear regression", False),
        ("linear regression and logistic regression both use MSE", False),
    ],
)
def test_a_clause_opening_with_the_counterpart_of_a_mistake_naming_both_is_about_it(
    clause, about_counterpart
):
    before = "Linear regression predicts a continuous value, "
    assert names_counterpart(LOGREG_MSE, clause, before=before) is about_counterpart


def test_a_clause_naming_neither_after_a_sentence_about_both_is_not_the_counterparts():
    # "X is like Y. It's trained with MSE" is about X, whichever was named last.
    before = "Logistic regression is like linear regression. "
    assert not names_counterpart(LOGREG_MSE, "It's trained with MSE too", before=before)


BOOSTING_NEVER_OVERFITS = (
    "Gradient boosting, like a random forest, cannot overfit.",
    "梯度提升和随机森林一样不会过拟合。",
)


@pytest.mark.parametrize(
    ("before", "clause", "about_counterpart"),
    [
        # A mistake that only likens its subject to the other: what the answer last said
        # something of, however far back, is what a clause naming neither is about.
        (
            "A random forest is bagging: deep trees grown independently, then averaged. That "
            "makes it robust;",
            "adding more trees doesn't overfit.",
            True,
        ),
        # ...or in the clause's own part before the mistake's words.
        ("随机森林是 bagging。", "调参上，随机森林基本开箱即用，树加多了也不会过拟合；", True),
        # Not the last thing named after those words, nor a part that only names it.
        ("", "梯度提升树加多了也不会过拟合，随机森林也是", False),
        (
            "Gradient boosting is sequential.",
            "Like random forests, adding trees never overfits",
            False,
        ),
    ],
)
def test_a_clause_after_the_thing_a_mistake_is_likened_to_is_about_that_thing(
    before, clause, about_counterpart
):
    assert names_counterpart(BOOSTING_NEVER_OVERFITS, clause, before=before) is about_counterpart


def test_a_clause_after_one_of_two_things_a_mistake_names_together_is_still_the_mistake():
    # "Random forests and gradient boosting need scaling" is about both: saying it of XGBoost
    # is saying it.
    statements = (
        "Random forests and gradient boosting need standardized features to work well.",
        "随机森林和梯度提升需要先把特征标准化才能有好的效果。",
    )
    before = (
        "The models that need it are tree-based ones, random forests, XGBoost because splits "
        "use thresholds,"
    )
    assert not names_counterpart(
        statements, "so the tree is biased toward big ranges.", before=before
    )


FOREST_SEQUENTIAL = (
    "A random forest builds its trees one after another, each correcting the errors of the "
    "previous one.",
    "随机森林是一棵接一棵地建树，后面的树修正前面树的错误。",
)


@pytest.mark.parametrize(
    ("clause", "about_counterpart"),
    [
        # "gradient boosting" opens a part as "boosting" does.
        (
            "Random forest 是很多 tree 并行训练然后投票，gradient boosting 是一棵一棵按顺序训练，"
            "后面的 tree 去修正前面的错误。",
            True,
        ),
        ("Random forest 是一棵一棵按顺序训练的，后面的 tree 修正前面的错误。", False),
    ],
)
def test_gradient_boosting_is_the_counterpart_of_a_random_forest(clause, about_counterpart):
    terms = ("sequential", "one after another", "previous", "串行", "上一棵", "前面", "一棵接一棵")
    assert names_counterpart(FOREST_SEQUENTIAL, clause, terms) is about_counterpart


def test_a_clause_naming_both_says_the_terms_of_the_one_whose_part_they_are_in():
    # The mistake names both and opens with logistic regression; the clause names both too,
    # and its MSE is in the part that opens with linear regression.
    clause = "损失函数应该也不一样，线性回归是均方误差，逻辑回归……应该是交叉熵吧。"
    assert names_counterpart(LOGREG_MSE, clause, ("均方误差", "mse"))
    assert not names_counterpart(
        LOGREG_MSE, "逻辑回归的损失函数和线性回归一样，也是均方误差。", ("均方误差", "mse")
    )


QUADRUPLES = (
    "Doubling the image size quadruples the parameters, because there are four times as many "
    "pixels.",
    "图像尺寸变 2 倍，像素变成 4 倍，所以参数也变成 4 倍。",
)


@pytest.mark.parametrize(
    ("clause", "about_counterpart"),
    [
        ("图像变大以后变的是特征图的大小和计算量，长宽都翻倍的话大概是 4 倍。", True),
        ("The compute grows about four times, since the feature maps are 4x larger.", True),
        ("参数和计算量都变成 4 倍。", False),
        ("参数量也变成 4 倍。", False),
    ],
)
def test_what_grows_with_the_image_is_not_the_parameters(clause, about_counterpart):
    assert names_counterpart(QUADRUPLES, clause, ("4 倍", "four times")) is about_counterpart


BN_SAME_AT_INFERENCE = (
    "At inference batch norm computes the mean and variance of the current test batch, exactly "
    "as in training.",
    "推理时 BN 和训练时一样，用当前这批测试数据的均值和方差做归一化。",
)


@pytest.mark.parametrize(
    ("clause", "about_counterpart"),
    [
        # "At inference" opens the mistake (the "A" of "At" is not an article).
        ("训练的时候用当前 batch 的统计量，", True),
        ("推理的时候也用当前 batch 的统计量", False),
        ("训练和推理的时候都用当前 batch 的均值方差", False),
    ],
)
def test_what_bn_does_in_training_is_not_what_it_does_at_inference(clause, about_counterpart):
    terms = ("current", "test batch", "当前", "这批", "一样")
    assert names_counterpart(BN_SAME_AT_INFERENCE, clause, terms) is about_counterpart


def _sides(name: str):
    return next(pair for pair in SIDE_PAIRS if any(name in side for side in pair))


@pytest.mark.parametrize(
    ("text", "name", "said"),
    [
        # Each part goes to the name that opens it, with both names blanked out.
        (
            "So bias is how much the predictions move around, and variance is the systematic "
            "error.",
            "bias",
            ("it is how much the predictions move around", "it is the systematic error."),
        ),
        # A word of its own between the name and "is" ("the ROC curve is").
        (
            "The ROC curve is precision against recall, and the PR curve is TPR against FPR.",
            "roc",
            ("it curve is tpr against fpr.", "it curve is precision against recall"),
        ),
        ("精确率就是预测为正的里面有多少是真的，召回率指真实正样本里找回了多少", "精确率", None),
        # What happens to each is no definition of either: a trade-off is not a swap.
        (
            "Lower it and you flag more, so recall goes up but precision usually drops.",
            "recall",
            (None, None),
        ),
    ],
)
def test_what_a_sentence_defines_each_of_two_things_as(text, name, said):
    found = said_of_each(text, *_sides(name), defined=True)
    if said is None:  # both sides found, whichever comes first in the pair
        assert None not in found and all(part.startswith("它") for part in found), found
    else:
        assert found == said


MIRROR = "过拟合的话就换一个更大更复杂的模型"  # swapped-remedies, said of variance


@pytest.mark.parametrize(
    ("clause", "before", "other"),
    [
        # Said of bias: in the clause itself, or in the sentence part before it.
        ("要加特征或换更复杂的模型；", "训练误差本身就高，说明 bias 大，", True),
        ("说明 bias 大，要多加特征或者换更复杂的模型；", "", True),
        (
            "so add features or a bigger model",
            "When the training error itself is high, that's bias,",
            True,
        ),
        # Said of variance, or of nothing named: the mistake itself.
        ("要加特征或换更复杂的模型；", "训练误差低但验证误差高，说明 variance 大，", False),
        ("说明 variance 大，要多加特征或者换更复杂的模型；", "", False),
        ("要加特征或换更复杂的模型；", "", False),
    ],
)
def test_a_clause_about_the_counterpart_of_a_mistakes_wording(clause, before, other):
    statements = ["bias 高的话就多收集数据、加正则化。"]
    assert said_of_the_other(MIRROR, clause, before, statements) is other


MSE = ["逻辑回归和线性回归一样，用均方误差来训练。"]  # trained-with-mse: about logistic


@pytest.mark.parametrize(
    ("wording", "clause", "statements", "other"),
    [
        # A statement that likens logistic regression to the linear one is about the first.
        ("逻辑回归也是用均方误差作为损失函数", "线性回归用均方误差，有解析解；", MSE, True),
        # ...but a clause that likens it to the linear one is about logistic regression.
        (
            "逻辑回归也是用均方误差作为损失函数",
            "它的损失函数一般用均方误差，和线性回归一样，",
            MSE,
            False,
        ),
        # A conclusion about overfitting (variance) where the wording concludes high bias; the
        # statement names bias, and says "overfits" of it.
        (
            "训练误差和验证误差差距很大，说明是高偏差",
            "训练误差很低、验证误差高很多，是过拟合，",
            ["A high-bias model overfits the training data.", "bias 高说明模型过拟合了。"],
            True,
        ),
    ],
)
def test_what_a_statement_likens_is_not_what_it_is_about(wording, clause, statements, other):
    assert said_of_the_other(wording, clause, "", statements) is other


def test_a_mistake_stated_of_both_things_has_no_counterpart():
    statements = [
        "When the image doubles, the compute and the memory stay the same, just like the "
        "parameters."
    ]
    assert not said_of_the_other(
        "the compute stays the same",
        "the FC layer does not change either",
        "The parameters stay the same.",
        statements,
    )


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("lowering the threshold flags more items", True),
        ("raising the threshold flags more items", False),
        ("a higher threshold flags more items", False),
    ],
)
def test_a_change_towards_the_other_end_reverses_a_level(clause, expected):
    assert changes_the_other_way("a higher threshold flags more items", clause) is expected


BAGGING = "bagging、随机森林主要是降低 bias 的，boosting 主要是降低 variance 的。"


@pytest.mark.parametrize(
    ("statement", "clause", "expected"),
    [
        # Each thing given what the statement gives the other: the reverse of the mistake.
        (BAGGING, "bagging 比如随机森林主要降 variance，boosting 主要是一步步降 bias。", True),
        (
            "Bagging and random forests mainly reduce bias, while boosting mainly reduces "
            "variance.",
            "Bagging mainly reduces variance, while boosting mainly reduces bias.",
            True,
        ),
        # The same pairing, or one thing alone, crosses nothing.
        (BAGGING, "bagging 主要降 bias，boosting 主要降 variance。", False),
        (BAGGING, "boosting 主要是一步步降 bias。", False),
    ],
)
def test_a_clause_that_gives_each_thing_the_others_predicate_crosses(statement, clause, expected):
    assert crosses(statement, clause) is expected


def test_what_changes_is_the_opposite_of_staying_the_same_and_nothing_changes_is_not():
    same = (
        "The parameter count of the whole network stays the same, fully connected layers included."
    )
    assert exchanged(same, "What changes is the first fully connected layer") == ("changes", "same")
    assert exchanged(same, "with global average pooling instead, nothing changes.") is None
