"""Technical words in both languages, for code-switched answers (glossary.py)."""

from __future__ import annotations

import pytest

from mockint.grading.glossary import in_chinese, with_translations


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("learning rate 太小的话 loss 会 diverge。", "学习率太小的话损失会发散。"),
        # Any inflection of a glossary word, and the longest name first.
        ("model 在 training set 上 overfitting 了", "模型在训练集上过拟合了"),
        ("做 PCA 之前要 standardize features", "做PCA之前要标准化特征"),
    ],
)
def test_a_code_switched_text_is_read_with_its_glossary_words_in_chinese(text, chinese):
    assert in_chinese(text) == chinese


@pytest.mark.parametrize(
    "text",
    [
        # English alone stays English: the glossary is for Chinese sentences.
        "The learning rate is too high, so the loss diverges.",
        # Chinese with no glossary word keeps its own spacing, word for word.
        "饱和区是导数接近 0 的区域，比如 sigmoid 和 tanh。",
        # A word that only starts like a glossary word is another word.
        "hyperparameter 是训练前定的",
    ],
)
def test_a_text_with_nothing_to_translate_is_left_as_it_is(text):
    assert in_chinese(text) == text


def test_a_term_matches_in_either_language():
    assert "不会overfit" in with_translations(("不会过拟合",))
