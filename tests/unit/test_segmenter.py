"""Cutting answers into matchable segments: punctuation, lists, Chinese, run-on speech."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockint.grading.segmenter import (
    bare_claim,
    clauses_sharing,
    closest_clause,
    continues,
    detect_language,
    negated,
    only_condition,
    refers_back,
    segment,
    sentence_ends,
    split_sentences,
)


def texts(answer: str) -> list[str]:
    return [s.text for s in segment(answer)]


def test_sentences_and_bullets():
    answer = (
        "BN normalizes activations. It has gamma and beta!\n- it regularizes\n- allows higher LR"
    )
    assert texts(answer) == [
        "BN normalizes activations.",
        "It has gamma and beta!",
        "it regularizes",
        "allows higher LR",
    ]


def test_an_abbreviation_does_not_end_a_sentence():
    answer = (
        "Use a metric for the rare class, e.g. PR-AUC or F1. Then tune the threshold, i.e. pick "
        "it on validation data. RF vs. GBDT is another story."
    )
    assert texts(answer) == [
        "Use a metric for the rare class, e.g. PR-AUC or F1.",
        "Then tune the threshold, i.e. pick it on validation data.",
        "RF vs. GBDT is another story.",
    ]


def test_chinese_punctuation():
    answer = "BN 把激活值归一化。它有可学习的 gamma 和 beta！还能用更大的学习率；"
    assert texts(answer) == [
        "BN 把激活值归一化。",
        "它有可学习的 gamma 和 beta！",
        "还能用更大的学习率；",
    ]


def test_run_on_speech_becomes_overlapping_windows():
    words = (
        "so basically batch norm takes the output of each layer and normalizes it to zero "
        "mean and unit variance over the mini batch and then it also has a learnable scale "
        "and shift parameter which lets the network undo it if needed"
    ).split()
    pieces = texts(" ".join(words))
    assert len(pieces) >= 3
    assert all(len(p.split()) <= 20 for p in pieces)
    # Overlap: consecutive windows share words, so no point is cut in half unseen.
    assert set(pieces[0].split()) & set(pieces[1].split())
    assert "scale and shift" in " ".join(pieces)


def test_spans_point_into_the_answer():
    answer = "  1. First point here.\n2) Second, with a clause; and more.\n\n* third"
    for seg in segment(answer):
        assert answer[seg.start : seg.end] == seg.text


@given(st.text(max_size=400))
def test_any_text_segments_without_error_and_spans_hold(answer):
    for seg in segment(answer):
        assert seg.text.strip()
        assert answer[seg.start : seg.end] == seg.text


def test_language_detection():
    assert detect_language("Batch norm normalizes activations") == "en"
    assert detect_language("BN 把每一层的激活输出归一化成均值 0、方差 1") == "zh"
    assert detect_language("用 ReLU 和 batch norm") == "zh"


def test_negation():
    assert not negated("Accuracy is enough")
    assert negated("Accuracy isn't enough")
    assert negated("准确率不够可靠")
    assert not negated("不同的激活函数")  # 不同 means "different", not a negation
    assert not negated("逻辑回归和线性回归差不多")  # 差不多: "about the same"
    assert not negated("要分批读数据，不然会爆内存")  # 不然: "otherwise"
    assert not negated("GBDT 的每棵树互不依赖")  # 互不依赖: "independent of each other"
    assert negated("it is hard to overfit by adding trees")  # "hard to": does not easily
    assert negated("反向传播不需要计算梯度")
    # "stops / prevents / keeps ... from" denies what follows.
    assert negated("it stops a model from fitting the training data too closely")
    assert negated("weight decay prevents the weights from growing")
    assert not negated("we keep the test set separate")
    assert not negated("keep the model from the fold that scored best")
    # "limits how freely" denies doing it freely; "keep ... out of" denies using it.
    assert negated("it limits how freely a model can fit the training data")
    assert negated("and you keep the test set out of it")
    assert not negated("it limits the number of trees")
    # A harm says doing it is wrong; a harm denied says it is fine.
    assert negated("since random folds let you peek at the future")
    assert negated("测试集的统计信息就进了训练")
    assert not negated("nothing peeks at the test set")
    assert not negated("data leakage is when private data leaks out")


def test_chinese_sentences_of_several_claims_are_cut_into_clauses():
    answer = "精确率和召回率都是越高越好，把阈值调高就可以让两个都提高，F1 是它们的平均值。"
    texts = [s.text for s in segment(answer)]
    assert len(texts) >= 2 and texts[0] == "精确率和召回率都是越高越好，"
    # The whole sentence is kept as well, for claims whose subject is in another clause.
    assert [s.text for s in split_sentences(answer)] == [answer]
    # English sentences of that length stay whole, and are never listed.
    english = "Precision and recall both get better when you raise the threshold, F1 is the mean."
    assert [s.text for s in segment(english)] == [english]
    assert split_sentences(english) == []


@pytest.mark.parametrize(
    ("answer", "first", "second"),
    [
        (
            "学习率太大的话训练会很慢，学习率太小的话 loss 会发散。",
            "学习率太大的话训练会很慢，",
            "学习率太小",
        ),
        (
            "learning rate 太高的话 training 会很慢，太低的话 loss 就会 diverge。",
            "learning rate 太高的话 training 会很慢，",
            "太低的话",
        ),
        (
            "If the learning rate is too low, training is slow, and if too high, it diverges.",
            "If the learning rate is too low, training is slow,",
            "and if too high",
        ),
    ],
)
def test_a_short_sentence_of_two_opposite_claims_is_cut_between_them(answer, first, second):
    texts = [s.text for s in segment(answer)]
    assert len(texts) == 2, texts
    assert texts[0] == first and texts[1].startswith(second)


def test_a_short_sentence_without_opposite_claims_stays_whole():
    answer = "学习率太小的话训练很慢，还可能卡在平台区。"
    assert [s.text for s in segment(answer)] == [answer]


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("the kernel maps every point, and", False),
        ("It maps every point. And", True),
        ("先把样本映射到高维空间，然后", False),
        ("先把样本映射到高维空间。然后", True),
        ("first line\nsecond", True),
    ],
)
def test_a_sentence_end_is_found_between_two_clauses(text, ends):
    assert sentence_ends(text) is ends


@pytest.mark.parametrize(
    ("clause", "carries_on"),
    [
        ("and then you train a linear SVM on them", True),
        ("so the test set is balanced too", True),
        ("然后再训练一个线性 SVM", True),
        ("recall is the share of real positives I find", False),
        ("召回率是真实正样本里被找出来的比例", False),
        ("andrew ng's course says so", False),
    ],
)
def test_a_clause_that_carries_on_the_one_before_is_told_apart(clause, carries_on):
    assert continues(clause) is carries_on


@pytest.mark.parametrize(
    ("clause", "points_back"),
    [
        ("模型越简单则反过来。", True),
        ("and vice versa for a simple model", True),
        ("it's the other way round for recall", True),
        ("a simple model has high bias", False),
        ("反向传播从输出层往回算梯度", False),
    ],
)
def test_a_clause_that_takes_its_meaning_from_the_one_before_is_told_apart(clause, points_back):
    assert refers_back(clause) is points_back


@pytest.mark.parametrize(
    ("clause", "cut_off"),
    [
        ("The catch is if the network ends in fully connected layers after a flatten:", True),
        ("要注意的是如果后面接了 flatten 加全连接层，", True),
        ("If the image is twice as big, the parameter count goes up four times,", False),
        ("High variance is when the model is too simple,", False),
        ("if you add more trees it overfits.", False),
        ("例外是后面接了 fully connected 层并且是直接 flatten 的情况：", True),
        ("except when the dataset is tiny,", True),
        # A bare adjustment at the end is the condition of the next clause.
        ("模型输出的是一个分数，阈值调高，", True),
        ("把 threshold 调低一点，", True),
        ("阈值调高会让 precision 上升，", False),
        ("precision 提高，", False),
    ],
)
def test_a_condition_cut_off_before_its_consequence_is_told_apart(clause, cut_off):
    assert only_condition(clause) is cut_off


def test_a_verdict_that_something_is_or_is_not_a_problem_carries_the_polarity():
    # "No problem" says a thing is fine (as "harmless" does), "有问题" that it is not.
    assert not negated("在 split 之前用全部数据 fit 是没有问题的")
    assert not negated("there is no problem with fitting it on all the data")
    assert negated("用全部数据 fit 就有问题了")
    assert negated("that is a problem")
    assert negated("one batch at a time, instead of loading the whole dataset")


def test_examples_keep_the_polarity_of_the_clause_they_illustrate():
    unit = "不需要的主要是树模型，比如决策树、随机森林、XGBoost"
    closest = closest_clause(unit, "随机森林和 XGBoost 需要先把特征标准化")
    assert closest.startswith("不需要") and negated(closest)


def test_a_bare_list_of_names_keeps_the_polarity_of_the_clause_it_illustrates():
    # No 比如: the list alone ("决策树、随机森林、XGBoost 这些") makes no claim of its own.
    unit = "不需要的主要是树模型，决策树、随机森林、XGBoost 这些，"
    closest = closest_clause(unit, "随机森林这种树模型也必须先做特征标准化")
    assert closest.startswith("不需要") and negated(closest)
    # A listed item that says something is a claim, read on its own.
    claim = "需要的是距离模型，随机森林也需要、XGBoost 也要"
    assert not closest_clause(claim, "随机森林这种树模型也必须先做特征标准化").startswith("需要的")


def test_a_name_in_a_list_cut_by_commas_runs_into_the_clause_that_says_something_of_it():
    unit = "Tree-based models, decision trees, random forests, gradient boosting, don't need it:"
    closest = closest_clause(
        unit, "Random forests and gradient boosting need standardized features."
    )
    assert closest.endswith("don't need it") and negated(closest)
    # A clause that says something is read on its own.
    claim = "Distance-based models need it, random forests do not"
    assert (
        closest_clause(claim, "distance-based models need scaling")
        == "Distance-based models need it"
    )


def test_a_reason_of_what_would_happen_takes_the_polarity_of_the_clause_it_explains():
    unit = (
        "Hyperparameters can't be picked that way, since minimizing training loss would just "
        "pick the most overfit setting"
    )
    closest = closest_clause(unit, "You choose the hyperparameters with the lowest training loss.")
    assert closest.startswith("Hyperparameters can't") and negated(closest)
    # A reason that says what does happen is read on its own.
    fact = "It is not slow, since minimizing the training loss picks the best setting"
    assert closest_clause(fact, "minimizing the training loss picks the setting").startswith(
        " since"
    )


def test_only_the_clauses_that_share_a_word_with_the_statement_are_read():
    unit = "不过 PCA 之前不用做 standardization，因为 PCA 本身是 scale-invariant 的，"
    shared = clauses_sharing(unit, "PCA does not need standardized features.")
    assert any(negated(c) for c in shared) and all("PCA" in c for c in shared)
    assert clauses_sharing("完全无关的一句话", "PCA does not need standardized features.") == []


def test_a_hesitation_is_not_the_end_of_a_sentence():
    # "is..." is a speaker searching for words: cut there, "I think one batch" would lose the
    # subject it is said of.
    texts = [
        s.text for s in segment("Iteration is... I think one batch being processed. Then the next.")
    ]
    assert any(t.startswith("Iteration is... I think one batch") for t in texts), texts
    # A sentence that ends in an ellipsis still ends.
    texts = [s.text for s in segment("It depends on the data... Then you tune it.")]
    assert texts == ["It depends on the data...", "Then you tune it."], texts


@pytest.mark.parametrize(
    ("clause", "bare"),
    [
        ("局限：第一，k 要事先指定", "k 要事先指定"),
        ("第二，对初始化敏感。", "对初始化敏感。"),
        ("Second, it has low variance.", "it has low variance."),
        ("2) fit the scaler on the training set", "fit the scaler on the training set"),
        # A heading that names the claim's subject stays, and so does a step's "then".
        ("计算量和显存：都变成 4 倍", "计算量和显存：都变成 4 倍"),
        ("L1：会产生稀疏解", "L1：会产生稀疏解"),
        ("然后用梯度下降更新权重", "然后用梯度下降更新权重"),
        ("另外它不需要 smoothing", "另外它不需要 smoothing"),
        # Nothing left: the clause as it is.
        ("首先", "首先"),
    ],
)
def test_what_orders_or_heads_a_claim_is_not_embedded(clause, bare):
    assert bare_claim(clause) == bare
