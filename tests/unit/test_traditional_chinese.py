"""Candidates from Taiwan and Hong Kong write Traditional characters and their own words (資料 for
data, 變異數 for variance, 過度配適 for overfitting): their answers are graded as the same answer
in Simplified characters and Mainland words is, and quoted as typed. Real models, the built-in
banks."""

from __future__ import annotations

import pytest

from mockint.grading.notation import spell_out
from mockint.grading.traditional import simplified


def test_traditional_characters_are_read_as_simplified_at_the_same_offsets():
    typed = "學習率太大的話，loss 會發散"
    read = simplified(typed)
    assert read == "学习率太大的话，loss 会发散"
    assert len(read) == len(typed)


@pytest.mark.parametrize("text", ["学习率太大的话，loss 会发散", "lr too high -> diverges", ""])
def test_an_answer_without_traditional_characters_is_left_as_it_is(text):
    assert simplified(text) is text
    spelled = spell_out(text)
    assert spelled.text is text and spelled.edits == ()


def test_taiwan_words_are_read_as_the_mainland_words_and_mapped_back():
    typed = "資料集太小，模型容易過度配適，變異數很大 ↑"
    spelled = spell_out(typed)
    assert spelled.text == "数据集太小，模型容易过拟合，方差很大 增大"
    start = spelled.text.index("过拟合")
    span = spelled.typed_span(start, start + len("过拟合"))
    assert typed[span[0] : span[1]] == "過度配適"
    start = spelled.text.index("方差很大")
    assert typed[slice(*spelled.typed_span(start, len(spelled.text)))] == "變異數很大 ↑"


def test_a_mainland_word_in_simplified_characters_is_not_rewritten():
    # 资料 is "materials" in Mainland usage: only an answer typed in Traditional reads it as data.
    text = "我看过一些资料，学习率太大会发散"
    assert spell_out(text).text == text


# (question, an answer in Traditional characters with Taiwan words, the same answer as a
# Mainland candidate writes it.)
RIGHT_PAIRS = [
    (
        "learning-rate",
        "學習率太大，每次更新步伐太大，loss 會震盪甚至發散變成 NaN；學習率太小，收斂非常慢，"
        "訓練很久都降不下來，還可能卡在平坦區。實務上會用 warmup 加上 cosine 衰減。",
        "学习率太大，每次更新步子太大，loss 会震荡甚至发散变成 NaN；学习率太小，收敛非常慢，"
        "训练很久都降不下来，还可能卡在平坦区。实际中会用 warmup 加上 cosine 衰减。",
    ),
    (
        "bias-variance",
        "偏誤（bias）是模型假設太簡單造成的系統性誤差，會擬合不足；變異數（variance）是模型對"
        "訓練資料的小擾動太敏感，會過度配適。模型越複雜，偏誤越低、變異數越高，所以要取捨，"
        "總誤差 = 偏誤² + 變異數 + 雜訊。",
        "偏差（bias）是模型假设太简单造成的系统性误差，会欠拟合；方差（variance）是模型对"
        "训练数据的小扰动太敏感，会过拟合。模型越复杂，偏差越低、方差越高，所以要权衡，"
        "总误差 = 偏差² + 方差 + 噪声。",
    ),
    (
        "data-generators",
        "資料產生器就是用 Python 的 generator 或 PyTorch 的 DataLoader，一次只從硬碟載入一個 "
        "batch 的資料進記憶體，用 yield 逐批產生，而不是把整個資料集一次讀進記憶體。這樣資料集"
        "比記憶體大也能訓練，還可以在載入時做資料增強，用多個 worker 平行讀取。",
        "数据生成器就是用 Python 的 generator 或 PyTorch 的 DataLoader，一次只从硬盘加载一个 "
        "batch 的数据进内存，用 yield 逐批生成，而不是把整个数据集一次读进内存。这样数据集"
        "比内存大也能训练，还可以在加载时做数据增强，用多个 worker 并行读取。",
    ),
]


@pytest.mark.parametrize(("question_id", "traditional", "mainland"), RIGHT_PAIRS)
def test_a_right_answer_in_traditional_characters_grades_as_in_simplified(
    grade_in_library, question_id, traditional, mainland
):
    typed = grade_in_library(question_id, traditional)
    reference = grade_in_library(question_id, mainland)
    assert typed.misconceptions == [], typed.model_dump()
    assert reference.misconceptions == []
    assert typed.score >= reference.score - 8, (typed.score, reference.score)
    assert typed.score >= 50, typed.model_dump()
    # What is quoted is what the candidate typed, in Traditional characters.
    credited = [kp for kp in typed.key_points if kp.evidence]
    assert credited
    for kp in credited:
        start, end = kp.evidence_span
        assert traditional[start:end] == kp.evidence


@pytest.mark.parametrize(
    ("question_id", "answer", "mistake"),
    [
        (
            "learning-rate",
            "學習率太大的話訓練會很慢，學習率太小的話 loss 會發散。",
            "swapped-effects",
        ),
        (
            "bias-variance",
            "高變異數代表模型太簡單、擬合不足；高偏誤代表模型太複雜、過度配適。",
            "high-bias-overfits",
        ),
        (
            "data-generators",
            "資料產生器就是 GAN 裡面的生成器，用來產生新的假資料來擴充訓練集。",
            "creates-new-data",
        ),
    ],
)
def test_a_wrong_answer_in_traditional_characters_is_named(
    grade_in_library, question_id, answer, mistake
):
    result = grade_in_library(question_id, answer)
    assert mistake in [m.id for m in result.misconceptions], result.model_dump()
    assert result.score <= 15
    for m in result.misconceptions:
        assert m.evidence in answer


def test_a_self_correction_in_traditional_characters_is_taken_back(grade_in_library):
    answer = (
        "L2 會讓權重變成 0、產生稀疏解……不對不對，說反了，是 L1 會產生稀疏解，"
        "L2 只是讓權重整體變小，不會剛好變成 0。"
    )
    result = grade_in_library("regularization-l1-l2", answer)
    assert result.misconceptions == [], result.model_dump()
    assert any("更正" in note or "改口" in note or "corrected" in note for note in result.notes), (
        result.notes
    )
