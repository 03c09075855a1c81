"""What a clause claims is read from the answer around it: a heading over a list, a harm named
after a clause cut off by a comma, an English subject in a Chinese sentence, "very" said another
way. Real grader, real answers (the right ones were written by interviewers from the prompts
alone, and were flagged before these rules).
"""

import pytest

from mockint.grading.grader import _heads_list, _next_clause, mentions_any
from mockint.grading.segmenter import closest_clause

HEADED_EN = (
    "We scale so features on big numeric ranges don't dominate just because of their units, "
    "salary in dollars vs age in years.\n\n"
    "Needs it: anything distance-based, like kNN, k-means, SVM with RBF kernel. Anything trained "
    "by gradient descent, like neural nets and linear or logistic regression, because unscaled "
    "features give an elongated loss surface and slow, zig-zag convergence. Regularized linear "
    "models, because the L1 or L2 penalty otherwise hits coefficients unevenly. PCA, since it's "
    "variance-based.\n\n"
    "Doesn't need it: tree models, so decision trees, random forest, gradient boosting. Splits "
    "are thresholds on one feature at a time, so any monotonic rescaling gives the same tree. "
    "Naive Bayes mostly doesn't care either.\n\n"
    "And fit the scaler on training data only."
)
HEADED_ZH = (
    "特征缩放是为了让不同的特征处在相近的数值范围，避免模型被量纲大的特征主导。\n\n"
    "需要缩放的模型：\n"
    "- 基于距离的：KNN、k-means、RBF 核的 SVM。比如收入是几万、年龄是几十，不缩放的话距离基本就由"
    "收入决定了；\n"
    "- 用梯度下降优化的：逻辑回归、神经网络。特征尺度差很多时，损失函数的等高线是很扁的椭圆，梯度"
    "下降会来回震荡、收敛慢，缩放后快很多；\n"
    "- 带正则的线性模型（Ridge、Lasso），不缩放的话惩罚对不同特征不公平；\n"
    "- PCA，不标准化的话主成分会被方差大的特征主导。\n\n"
    "不需要的：决策树、随机森林、XGBoost 这类树模型，分裂只看特征值的排序，单调变换不影响结果；"
    "朴素贝叶斯一般也不需要。\n\n"
    "常用方法有标准化（z-score）、min-max 归一化，有离群点的话用 RobustScaler。注意缩放的参数只能在"
    "训练集上 fit，再应用到验证集和测试集。"
)
LEAK_EXAMPLES_ZH = (
    "数据泄露就是在训练的时候，模型用到了本来在预测时拿不到的信息，比如测试集的信息或者和标签强相关的"
    "“未来信息”，导致离线评估效果特别好，一上线就不行。\n\n"
    "常见的例子：\n"
    "- 先用全量数据做标准化、填充缺失值、特征选择，然后再划分训练集和测试集，测试集的统计信息就漏"
    "进去了；\n"
    "- 同一个用户、同一个病人的多条数据既在训练集又在测试集里，模型其实是记住了这个人；\n"
    "- 时间序列随机划分，用未来的数据预测过去；\n"
    "- 特征里直接包含了结果，比如预测用户是否流失，却用了“注销时间”这个特征。\n\n"
    "避免的方法：先划分数据再做任何预处理，预处理放在 pipeline 里只在训练集上 fit；按用户做 "
    "GroupKFold，时间序列按时间切；检查每个特征在预测时刻是否真的能拿到。如果效果好得不正常，要先"
    "怀疑是不是泄露了。"
)
BIAS_BASICALLY = (
    "OK so, bias is basically the error you get because your model's assumptions are too simple, "
    "like fitting a straight line to something curvy. It's systematically off no matter how much "
    "data you give it; that's underfitting. Variance is how much the model changes if you "
    "trained it on a different sample of the data: a really deep tree will fit the noise and "
    "look totally different each time; that's overfitting. For squared error you can actually "
    "decompose expected test error into bias squared plus variance plus irreducible noise. As "
    "you make the model more flexible, bias goes down but variance goes up, so test error is "
    "U-shaped and you want the bottom of that U. In practice you move along it with "
    "regularization, model size, more data, or ensembles. Bagging mostly cuts variance, "
    "boosting mostly cuts bias."
)


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # "Doesn't need it:" heads the tree models; "需要缩放的模型：" heads the lines below it.
        ("feature-scaling", HEADED_EN),
        ("feature-scaling", HEADED_ZH),
        # An example of leakage, its harm in the clause after it, is no advice to do it.
        ("data-leakage", LEAK_EXAMPLES_ZH),
        # "bias is basically" is how a right answer begins too.
        ("bias-variance", BIAS_BASICALLY),
    ],
)
def test_right_answers_laid_out_as_people_write_them_are_not_flagged(
    grade_in_library, question_id, answer
):
    result = grade_in_library(question_id, answer)
    assert result.misconceptions == []
    assert result.score >= 80


def test_a_code_switched_clause_that_reverses_a_point_is_a_mistake(grade_in_library):
    wrong = (
        "PCA 选的是 variance 最小的那些 directions。因为 variance 大的方向通常都是 noise，数据在"
        "这些方向上抖动很大，保留 variance 小的 component 能让 data 更 stable。"
    )
    result = grade_in_library("pca", wrong)
    assert result.misconceptions
    assert "PCA 选的是 variance 最小的那些 directions" in result.misconceptions[0].evidence
    assert result.score <= 35
    right = (
        "PCA 选的是 variance 最大的那些 directions，这些 directions 互相正交，就是 principal "
        "components。"
    )
    assert grade_in_library("pca", right).misconceptions == []


def test_very_said_another_way_is_the_same_term():
    # The rubric says 校准得很好; the candidate says 校准得非常好.
    assert mentions_any("它输出的概率校准得非常好", ("校准得很好",))
    assert mentions_any("线性模型方差特别大", ("线性模型方差很大",))
    assert not mentions_any("校准得不好", ("校准得很好",))


def test_a_heading_carries_its_negation_to_the_names_under_it():
    sentence = "Doesn't need it: tree models, so decision trees, random forest, gradient boosting."
    statement = "Random forests and gradient boosting need standardized features to work well."
    assert closest_clause(sentence, statement).startswith("Doesn't need it:")
    # A clause with a claim of its own is read alone.
    claim = "The catch: random forests need standardized features, like every other model."
    assert not closest_clause(claim, statement).startswith("The catch")


def test_a_heading_over_lines_and_the_harm_after_a_comma_are_found():
    text = "需要缩放的模型：\n- KNN"
    assert _heads_list(text, text.index("\n"))
    inline = "The difference is that L2 gives sparse models: it squares the weights."
    assert not _heads_list(inline, inline.index(":") + 1)
    leak = "先用全量数据做标准化，然后再划分，测试集的统计信息就漏进去了；还有别的。"
    end = leak.index("然后再划分，") + len("然后再划分，")
    assert _next_clause(leak, end) == ["测试集的统计信息就漏进去了"]
    # A full stop ends what the harm can be said of.
    done = "先划分再做标准化。测试集的信息就漏进了训练。"
    assert _next_clause(done, done.index("。") + 1) == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_which_heading_the_models_are_listed_under_decides(grade_in_library, language):
    needs, skips = {
        "en": ("Needs it", "Doesn't need it"),
        "zh": ("需要缩放的", "不需要缩放的"),
    }[language]
    trees = {
        "en": "decision trees, random forest, gradient boosting.",
        "zh": "决策树、随机森林、XGBoost。",
    }
    others = {"en": "kNN, k-means, SVM, neural nets.", "zh": "KNN、SVM、神经网络。"}
    opening = {
        "en": "Scaling puts features on the same range.",
        "zh": "特征缩放是把特征放到相近的范围。",
    }
    colon = {"en": ": ", "zh": "："}[language]

    def answer(first, second):
        return (
            f"{opening[language]}\n\n{first}{colon}{trees[language]}\n"
            f"{second}{colon}{others[language]}"
        )

    wrong = grade_in_library("feature-scaling", answer(needs, skips))
    assert wrong.misconceptions and wrong.score <= 35
    right = grade_in_library("feature-scaling", answer(skips, needs))
    assert right.misconceptions == [] and right.score >= 45


LEAKED_INTO_IT = (
    "数据泄露就是训练的时候模型用到了在真实预测时拿不到的信息，特别是测试集的信息混进了训练过程，导致"
    "离线评估效果虚高，一上线就崩。\n\n常见例子：\n"
    "1）先对全量数据做标准化、缺失值填充或者特征选择，再划分训练集和测试集，测试集的均值方差就泄露"
    "进去了；\n"
    "2）同一个用户或同一个病人的多条记录，一部分在训练集、一部分在测试集，模型记住的是这个人，而不是"
    "学到了规律；\n"
    "3）时间序列随机切分，等于用未来预测过去；\n"
    "4）特征里包含了标签的'结果信息'，比如预测用户是否流失，却用了'账户注销日期'这个字段。\n\n"
    "避免方法：先划分数据，所有预处理只在训练集上 fit，用 sklearn 的 Pipeline 放进交叉验证里；"
    "按用户"
    "分组划分、按时间划分；检查每个特征在预测时刻是不是真的能拿到；测试集只在最后用一次。"
)


def test_a_leak_into_training_is_a_harm(grade_in_library):
    # "测试集的均值方差就泄露进去了" says what the step before it does wrong.
    right = grade_in_library("data-leakage", LEAKED_INTO_IT)
    assert right.misconceptions == [] and right.score >= 80


@pytest.mark.parametrize(
    ("question_id", "answer", "listed"),
    [
        # "bias is basically" is no term any more; "basically the training error" is.
        (
            "bias-variance",
            "Bias is basically the training error and variance is the test error.",
            "bias-train-variance-test",
        ),
        # The rubric says 校准得很好; the candidate says 校准得非常好.
        (
            "naive-bayes",
            "“朴素”就是假设各个特征之间相互独立。它效果好的主要原因是朴素贝叶斯输出的概率校准得非常好，"
            "比逻辑回归还准，因为它是直接基于贝叶斯公式算出来的真实后验概率，所以在需要可靠概率的场景，"
            "比如风控打分，特别适合直接用它的概率。",
            "calibrated-probabilities",
        ),
        # A leak "into the model" is how "leakage is overfitting" is said, not a harm named.
        (
            "data-leakage",
            "数据泄露就是模型在训练集上把数据记得太死了，相当于训练数据的信息泄露进了模型参数里，结果"
            "训练集效果很好，测试集效果很差。比如一棵很深的决策树把每个样本都记住了，就是典型的数据泄露。"
            "避免的办法就是加正则化、dropout、早停，或者多收集一些数据。",
            "leakage-is-overfitting",
        ),
    ],
)
def test_mistakes_in_everyday_words_are_still_named(grade_in_library, question_id, answer, listed):
    result = grade_in_library(question_id, answer)
    assert listed in [m.id for m in result.misconceptions]
    assert result.score <= 40


def test_a_right_sentence_before_a_mistake_introduced_by_a_colon_keeps_its_credit(
    grade_in_library,
):
    result = grade_in_library(
        "epoch-batch-iteration",
        "An epoch is one pass over the whole training set. The batch size is the number of "
        "batches: batch size 32 means you cut the data into 32 parts, so one epoch is always 32 "
        "iterations, whatever the dataset size.",
    )
    assert "batch-size-is-number-of-batches" in [m.id for m in result.misconceptions]
    epoch = next(kp for kp in result.key_points if kp.id == "epoch")
    assert epoch.status == "hit"
    assert epoch.evidence == "An epoch is one pass over the whole training set."
