"""Cutting answers into matchable segments: punctuation, lists, Chinese, run-on speech."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mockint.grading.segmenter import detect_language, negated, segment


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
