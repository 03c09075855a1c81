"""Right answers in plain or second-language words that were named as mistakes: a degree word
read as the thing a word is said of, a "no need to" that denies what follows it, a mistake's
word inside a denial. Real grader, real answers (written by interviewers from the prompts alone;
the score each gave is in the comment), and the wrong answers they must not let through.
"""

from grading_helpers import assert_clean, assert_named

from mockint.grading.grader import _said_of_the_same, _terms_only_denied, mentions_any

# Graded 92: "梯度很小" was read as reversing the "输入绝对值很大" of the saturation point.
ACTIVATIONS_ZH = (
    "激活函数的意义是引入非线性。如果没有激活函数，不管叠多少层，整个网络还是一个线性变换，表达能力"
    "跟一层线性模型一样；有了非线性，网络才能逼近复杂的函数。\n\n饱和区间指的是输入落在某个范围的"
    "时候，函数输出几乎不变、导数趋近于 0 的区域。比如 sigmoid 在 x 很大或者很小（大概 |x| > 4 "
    "以后）输出接近 1 或 0，导数接近 0；tanh 也是两端饱和。导数接近 0 意味着反向传播时梯度很小，"
    "多层连乘以后就梯度消失，参数几乎不更新。ReLU 在正半轴不饱和，所以深层网络训练更容易，不过负半"
    "轴梯度为 0，可能出现 dead ReLU。所以一般用 ReLU 类的激活、配合合适的初始化和 BN，避免神经元掉"
    "进饱和区。"
)

# Graded 50 (right, short): it was named `loads-everything-first` and scored 4.
GENERATOR_ZH = (
    "数据生成器就是一批一批地读数据，不用一次把全部数据都加载到内存里。数据很大的时候就需要用。"
)

# Graded 45 (right, shallow, second-language English): named `threshold-raises-both`, 4.
TRADE_OFF_EN = (
    "Precision and recall usually cannot be both high, when one go up the other go down. For "
    "threshold, I usually choose the one that give the best F1 score."
)


def test_a_degree_word_is_not_what_a_word_is_said_of():
    statement = (
        "饱和区是输入变化但输出几乎不变的区间，导数接近 0，"
        "比如 sigmoid、tanh 在输入绝对值很大的时候。"
    )
    assert not _said_of_the_same(statement, "导数接近 0 意味着反向传播时梯度很小，", ("小", "大"))
    # The same thing with the degree word: still the opposite of the point.
    assert _said_of_the_same("学习率太高会导致发散", "学习率太低会导致发散", ("低", "高"))


def test_a_right_chinese_answer_about_saturation_is_not_a_reversal(grade_in_library):
    assert_clean(grade_in_library, "activation-functions", ACTIVATIONS_ZH, 80)


def test_what_a_clause_says_is_not_needed_is_not_said():
    assert not mentions_any("不用一次把全部数据都加载到内存里", ("全部",), affirmed=True)
    assert not mentions_any("不需要先把全部数据读进来", ("全部",), affirmed=True)
    assert mentions_any("先把全部数据都加载到内存里", ("全部",), affirmed=True)


def test_a_generator_that_need_not_load_everything_is_right(grade_in_library):
    assert_clean(grade_in_library, "data-generators", GENERATOR_ZH, 30)
    assert_named(
        grade_in_library,
        "data-generators",
        "数据生成器其实会先把全部数据都加载到内存里，然后再一批一批地交给模型训练。",
        "loads-everything-first",
    )


def test_a_mistakes_word_inside_a_denial_does_not_state_it(grade_in_library):
    statement = "You can get higher precision and higher recall at the same time."
    assert _terms_only_denied(TRADE_OFF_EN.split(".")[0], [statement], ["both"])
    assert not _terms_only_denied("Tune the threshold and both go up", [statement], ["both"])
    # A term that holds the denial itself is no denial of the mistake.
    fine = "Normalizing the whole dataset before splitting is harmless."
    assert not _terms_only_denied(
        "Scaling on all the data doesn't count as leakage", [fine], ["doesn't count"]
    )
    assert_clean(grade_in_library, "precision-recall-tradeoff", TRADE_OFF_EN, 30)
    assert_named(
        grade_in_library,
        "precision-recall-tradeoff",
        "If you tune the threshold well, precision and recall both go up at the same time, "
        "there is no real trade-off.",
        "threshold-raises-both",
    )


# Graded 2 (an answer to another question): it "covered" 41% of k-means (distances, feature
# scaling, choosing k) and scored 58.
KNN_FOR_K_MEANS = (
    "KNN is a simple supervised algorithm. For a new point we compute distance to all training "
    "points, take the k nearest, and do majority vote for classification or average for "
    "regression. There is no real training, it's a lazy learner, so prediction is slow for big "
    "data — we can use KD-tree or approximate search to speed up. Small k gives noisy boundary "
    "and overfitting, large k is smoother but can underfit, so choose k by cross-validation. "
    "Features must be scaled because it's distance-based, and it suffer from curse of "
    "dimensionality."
)


def test_an_answer_about_knn_is_off_topic_for_k_means(grade_in_library):
    result = grade_in_library("k-means", KNN_FOR_K_MEANS)
    assert result.verdict == "off-topic"
    assert result.score <= 5
    # A k-means answer in the same plain words is on topic.
    right = (
        "K-means is unsupervised, there is no label. You pick k, put k centroids, assign every "
        "point to nearest centroid, then move each centroid to the mean of its points, repeat "
        "until nothing change. Result depend on the initial centroids, so run it several times. "
        "Features must be scaled because it's distance-based."
    )
    assert grade_in_library("k-means", right).score >= 60


# Graded 45 (right, shallow): "a complex one" was read as more of "a simple model", whose high
# variance reverses the point.
TRADE_OFF_ELIDED = (
    "Bias means underfitting and variance means overfitting. A simple model has high bias, a "
    "complex one has high variance, so you want something in between."
)


def test_a_model_named_once_and_then_elided_is_still_that_model(grade_in_library):
    assert_clean(grade_in_library, "bias-variance", TRADE_OFF_ELIDED, 30)
    swapped = "A simple model has high variance, and a complex one has high bias."
    assert "contradicts:complexity-tradeoff" in [
        m.id for m in grade_in_library("bias-variance", swapped).misconceptions
    ]
