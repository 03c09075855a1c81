"""A belief the candidate reports of others in order to correct it ("many people think L2 also
gives sparse weights, but it doesn't", "很多人以为 L2 也能做特征选择，其实不行") is neither a stated
mistake nor credit; what they claim instead is graded as their own. Real models, the built-in
banks."""

from __future__ import annotations

import pytest

from mockint.grading.reported import set_aside


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("很多人以为 L2 也能做特征选择，其实不行。", "其实不行。"),
        (
            "A common misconception is that BN normalizes weights; it normalizes activations.",
            "; it normalizes activations.",
        ),
        (
            "People sometimes treat batch and epoch as the same thing — they coincide only in "
            "full-batch GD.",
            "— they coincide only in full-batch GD.",
        ),
        ("我以前以为 BN 是归一化权重，后来才知道是激活。", "后来才知道是激活。"),
        ("很多人第一反应是再训练一个分类器，其实不用。", "其实不用。"),
        ("People say L1 gives sparse weights, but actually it's L2.", "but actually it's L2."),
    ],
)
def test_a_reported_belief_is_blanked_up_to_where_the_candidate_turns_against_it(text, kept):
    out = set_aside(text)
    assert len(out) == len(text)
    assert out.strip() == kept


@pytest.mark.parametrize(
    "text",
    [
        "L1 gives sparse weights; L2 only shrinks them.",
        "A common mistake is to fit the scaler before splitting: the test statistics leak in.",
        "大家一般先划分数据，再只在训练集上 fit 标准化。",
        # What follows a colon is the candidate's own explanation of the confusion.
        "The other two people mix up: an iteration is one full pass over the data.",
        # The belief is fine after all: the candidate's claim is read with it.
        "很多人觉得 time series 不能用普通 k-fold，其实没问题，只要先 shuffle 一下。",
        "",
    ],
)
def test_an_answer_that_reports_no_belief_is_left_as_it_is(text):
    assert set_aside(text) is text


# Right answers that name a myth to reject it, in English, Chinese and Traditional characters.
MYTHS_REJECTED = [
    (
        "regularization-l1-l2",
        "L1 adds absolute values and gives sparse weights; L2 adds squares and shrinks weights. "
        "A common misconception is that L2 also zeroes weights out; it doesn't, it only shrinks "
        "them.",
    ),
    (
        "regularization-l1-l2",
        "L1 加绝对值，会产生稀疏解；L2 加平方，让权重整体变小。很多人以为 L2 也能做特征选择，"
        "其实不行，它只是压缩。",
    ),
    (
        "regularization-l1-l2",
        "L1 加絕對值，會產生稀疏解；L2 加平方，讓權重整體變小。很多人以為 L2 也能做特徵選擇，"
        "其實不行，它只是壓縮。",
    ),
    (
        "epoch-batch-iteration",
        "An epoch is one full pass over the training set; a batch is the group of samples used "
        "for one gradient step, and an iteration is one such update. So iterations per epoch = "
        "N / batch size. People sometimes treat batch and epoch as the same thing — they only "
        "coincide in full-batch gradient descent.",
    ),
    (
        "face-search",
        "很多人第一反应是再训练一个分类器，其实不用，向量已经有了，这就是个向量检索问题：新来的人脸用"
        "同一个模型提 embedding，算 cosine 相似度找最近的；1000 万条暴力算太慢，用 Faiss 的 "
        "IVF-PQ 或 HNSW 做近似最近邻，最后设一个相似度阈值。",
    ),
]


@pytest.mark.parametrize(("question_id", "answer"), MYTHS_REJECTED)
def test_a_myth_named_to_reject_it_is_not_the_candidates_mistake(
    grade_in_library, question_id, answer
):
    result = grade_in_library(question_id, answer)
    assert result.misconceptions == [], result.model_dump()
    assert result.score >= 40, result.model_dump()
    for kp in result.key_points:
        if kp.evidence:
            assert kp.evidence in answer


def test_what_the_candidate_claims_after_the_myth_is_still_graded(grade_in_library):
    # "Debunking" a truth: the claim that follows is theirs, and it is wrong.
    result = grade_in_library(
        "regularization-l1-l2",
        "People say L1 gives sparse weights, but actually it's L2 that zeroes them out.",
    )
    assert result.misconceptions, result.model_dump()
    assert result.score <= 15


def test_a_truth_reported_of_others_and_rejected_earns_no_credit(grade_in_library):
    # On stop 43's main the reported "L1 会产生稀疏解" was credited: 48.6 for a wrong answer.
    result = grade_in_library(
        "regularization-l1-l2",
        "很多人以为 L1 会产生稀疏解，其实是 L2 会让权重变成 0，L1 只是让权重变小。",
    )
    assert {kp.id: kp.status for kp in result.key_points}["l1-sparse"] == "miss"
    assert result.score <= 15, result.model_dump()
