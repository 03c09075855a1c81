"""Line breaking for English, Chinese and both mixed: Chinese breaks between characters, no line
starts with closing punctuation or ends with opening punctuation, words stay whole, list items
hang under their text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from mockint.tui.linebreak import CLOSING, OPENING, layout, section_breaks, wrap

ZH = (
    "批归一化对每一层的激活值做标准化，使均值为零、方差为一，然后再用可学习的缩放和平移恢复表达能力。"
    "比如 99% 的情况下，它都能让训练更稳定（也允许更大的学习率），并减轻对初始化的依赖。"
)


def test_chinese_fills_lines_instead_of_breaking_at_the_only_space():
    lines = wrap(ZH, 30)
    # Every line but the last is (nearly) full: no half-empty line before "99%".
    for line in lines[:-1]:
        assert cell_len(line) >= 28, lines
    assert "".join(lines).replace(" ", "") == ZH.replace(" ", "")


@pytest.mark.parametrize("width", range(6, 41))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width):
    lines = wrap(ZH, width)
    for line in lines:
        assert cell_len(line) <= width, (width, line)
        assert line[0] not in CLOSING, (width, lines)
        assert line[-1] not in OPENING, (width, lines)


def test_a_comma_that_would_start_a_line_takes_its_character_with_it():
    # Width 10 holds five characters: "，" would start line 2, so "五" moves down with it.
    assert wrap("一二三四五，六七", 10) == ["一二三四", "五，六七"]


def test_a_stray_space_before_a_comma_does_not_let_it_start_a_line():
    assert wrap("一二三四 ，五六", 9) == ["一二三", "四 ，五六"]
    assert section_breaks("一二三四 ，五六", 9) == [3]


def test_opening_quote_and_bracket_stay_with_what_follows():
    lines = wrap("他说：“这是（重要的）观点。”然后继续", 9)
    for line in lines:
        assert not line.endswith(("“", "（")), lines
        assert not line.startswith(("”", "）", "。", "：")), lines


def test_latin_words_and_numbers_inside_chinese_stay_whole():
    lines = wrap("用BatchNorm以后，learning rate可以调到0.01以上。", 12)
    joined = " ".join(lines)
    for word in ("BatchNorm", "learning", "0.01"):
        assert any(word in line for line in lines), (word, joined)


def test_ellipsis_and_dash_pairs_are_never_split():
    for width in range(4, 12):
        lines = wrap("然后……继续——最后", width)
        assert not any(line.startswith("…") for line in lines), lines
        assert any("……" in line for line in lines) and any("——" in line for line in lines)


def test_english_wraps_at_spaces_like_a_terminal():
    text = "Batch normalization normalizes each layer's activations over the mini-batch."
    assert wrap(text, 30) == [
        "Batch normalization normalizes",
        "each layer's activations over",
        "the mini-batch.",
    ]


def test_a_word_longer_than_the_line_is_folded():
    assert wrap("abcdefghijklmnopqrstuvwxyz", 10) == ["abcdefghij", "klmnopqrst", "uvwxyz"]


def test_list_items_hang_under_their_text():
    text = " ◐ BN keeps pre-activations out of the saturated regions of sigmoid (barely)"
    lines = wrap(text, 30)
    assert lines[0].startswith(" ◐ BN")
    assert all(line.startswith("   ") and line[3] != " " for line in lines[1:]), lines
    quote = "   “It stabilises training, allows higher learning rates.”"
    assert all(line.startswith("   ") for line in wrap(quote, 24))


def test_explicit_line_breaks_are_kept():
    assert wrap("62/100 · partial\nYou covered:", 80) == ["62/100 · partial", "You covered:"]
    assert [line.start for line in layout("a\n\nb", 10)] == [0, 2, 3]


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
punct = st.sampled_from(list("，。、；：？！（）「」“”…— "))
latin = st.sampled_from(list("abcXYZ019 %"))


@given(st.text(st.one_of(cjk, punct, latin), max_size=120), st.integers(4, 50))
def test_any_text_fits_and_loses_nothing(text, width):
    lines = wrap(text, width)
    for line in lines:
        assert cell_len(line) <= width
    # Only spaces at line breaks are dropped.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_editor_sections_fill_and_keep_their_spaces():
    """An editor's sections (the answer box): Chinese after one English word fills the first
    section, spaces stay at the end of the section they close, nothing is lost."""
    text = (
        "accuracy 就是预测对的样本数除以总样本数，只有在类别大致均衡、各种错误代价差不多的时候"
        "才靠谱。"
    )
    breaks = section_breaks(text, 40)
    sections = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
    assert sections[0].startswith("accuracy 就是预测")
    assert "".join(sections) == text
    assert section_breaks("hello world foo", 6) == [6, 12]


def _widest_closing_run(text: str) -> int:
    """Cells of the widest character together with the closing punctuation right after it:
    a section narrower than that has to start with some of it ("0、、" in 4 cells)."""
    widest, i = 0, 0
    while i < len(text):
        j = i + 1
        while j < len(text) and text[j] in CLOSING:
            j += 1
        widest, i = max(widest, cell_len(text[i:j])), j
    return widest


@given(st.text(st.one_of(cjk, punct, latin), max_size=120), st.integers(4, 50))
def test_editor_sections_fit_and_never_start_with_closing_punctuation(text, width):
    breaks = section_breaks(text, width)
    assert breaks == sorted(set(breaks))
    sections = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
    assert "".join(sections) == text
    for section in sections:
        assert cell_len(section.rstrip()) <= width
    if _widest_closing_run(text) <= width:
        for section in sections[1:]:
            assert section[0] not in CLOSING, sections


def test_closing_punctuation_wider_than_a_section_is_folded_without_losing_any():
    # Found by the property above: no break can keep "、、" off a section's start in 4 cells.
    text = "0、、"
    breaks = section_breaks(text, 4)
    sections = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
    assert "".join(sections) == text
    assert all(cell_len(section) <= 4 for section in sections)
