"""Typed notes write directions as arrows ("lr ↑ → diverges", "complexity ↑ ⇒ bias ↓ var ↑"):
an arrow the wrong way round is a mistake, and the quotes show what the candidate typed. Real
models, the built-in banks."""

from __future__ import annotations

import pytest

from mockint.grading.notation import spell_out


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("lr ↑ → loss diverges; lr ↓ → slow", "lr higher → loss diverges; lr lower → slow"),
        # A direction word between two quantities would bind to both.
        (
            "threshold ↑ → precision ↑ recall ↓",
            "threshold higher → precision higher and recall lower",
        ),
        ("complexity↑ ⇒ bias↓var↑", "complexity higher ⇒ bias lower and var higher"),
        ("↑ complexity → ↓ bias", "higher complexity → lower bias"),
        ("学习率↑ → 发散", "学习率增大 → 发散"),
        ("↑学习率 → loss 震荡", "提高学习率 → loss 震荡"),
        ("模型复杂度↑ → bias↓ variance↑", "模型复杂度增大 → bias减小， variance增大"),
        ("more data → var ↓↓", "more data → var lower"),
        ("precision ⬆️ recall ⬇️", "precision higher and recall lower"),
    ],
)
def test_arrows_are_read_as_direction_words(typed, read):
    assert spell_out(typed).text == read


def test_an_answer_without_arrows_is_graded_as_typed():
    text = "w/o BN -> slower; L2: sum of w^2 => small weights"
    spelled = spell_out(text)
    assert spelled.text is text and spelled.edits == ()


def test_offsets_in_the_spelled_out_text_map_back_to_the_typed_answer():
    typed = "bias ↓, var ↑ when complexity ↑"
    spelled = spell_out(typed)
    for word in ("var", "when complexity"):
        start = spelled.text.index(word)
        span = spelled.typed_span(start, len(spelled.text))
        assert typed[span[0] : span[1]] == typed[typed.index(word) :]
    # A range ending inside a spelled-out word covers the whole arrow.
    start = spelled.text.index("var")
    assert typed[slice(*spelled.typed_span(start, start + len("var u")))] == "var ↑"


# Each right note, and the same note with one arrow turned round: what an interviewer reads.
ARROW_NOTES = [
    (
        "learning-rate",
        "- lr ↑ → updates overshoot, loss oscillates or diverges (NaN)\n"
        "- lr ↓ → tiny steps, slow convergence, can stall on plateaus\n"
        "- fix: lr range test, warmup, cosine decay",
        ("lr ↑ → updates", "lr ↓ → updates", "lr ↓ → tiny", "lr ↑ → tiny"),
    ),
    (
        "learning-rate",
        "学习率↑ → 步子太大，loss 震荡甚至发散成 NaN；学习率↓ → 收敛很慢，容易卡在平台区。"
        "一般用 warmup + decay",
        ("学习率↑ → 步子", "学习率↓ → 步子", "学习率↓ → 收敛", "学习率↑ → 收敛"),
    ),
    (
        "bias-variance",
        "bias: error from too-simple assumptions → underfit\n"
        "variance: sensitivity to the particular training set → overfit\n"
        "complexity ↑ ⇒ bias ↓, variance ↑; total err = bias² + var + noise",
        ("bias ↓, variance ↑", "bias ↑, variance ↓"),
    ),
    (
        "bias-variance",
        "bias = 模型假设太简单带来的系统误差（欠拟合）；variance = 对训练集扰动太敏感（过拟合）。"
        "模型复杂度↑ → bias↓ variance↑，要在两者之间 trade-off",
        ("bias↓ variance↑", "bias↑ variance↓"),
    ),
    (
        "precision-recall-tradeoff",
        "precision = TP/(TP+FP), recall = TP/(TP+FN)\n"
        "threshold ↑ → precision ↑ recall ↓\n"
        "pick it on the val set from the PR curve + cost of FP vs FN",
        ("precision ↑ recall ↓", "precision ↓ recall ↑"),
    ),
    (
        "precision-recall-tradeoff",
        "阈值↑ → precision↑ recall↓；阈值↓ → recall↑ precision↓。具体看业务代价，比如癌症筛查漏诊"
        "代价大，就把阈值调低保 recall，在验证集 PR 曲线上选点",
        (
            "precision↑ recall↓；阈值↓ → recall↑ precision↓",
            "precision↓ recall↑；阈值↓ → recall↓ precision↑",
        ),
    ),
    (
        "svm-kernels",
        "soft margin: C ↑ -> violations punished more -> narrower margin, overfit risk; "
        "C ↓ -> wider margin, more regularized",
        ("C ↑ -> violations", "C ↓ -> violations", "C ↓ -> wider", "C ↑ -> wider"),
    ),
]


def turned(answer: str, swaps: tuple[str, ...]) -> str:
    for i in range(0, len(swaps), 2):
        assert swaps[i] in answer
        answer = answer.replace(swaps[i], swaps[i + 1])
    return answer


@pytest.mark.parametrize(("question_id", "right", "swaps"), ARROW_NOTES)
def test_an_arrow_the_wrong_way_round_is_a_mistake(grade_in_library, question_id, right, swaps):
    wrong = turned(right, swaps)
    good = grade_in_library(question_id, right)
    bad = grade_in_library(question_id, wrong)
    assert good.misconceptions == [], good.model_dump()
    assert bad.misconceptions, bad.model_dump()
    assert bad.score <= good.score - 25, (bad.score, good.score)
    # The mistake is quoted as typed, arrows and all.
    quoted = " ".join(m.evidence for m in bad.misconceptions)
    assert any(arrow in quoted for arrow in "↑↓"), quoted
    for m in bad.misconceptions:
        assert m.evidence in wrong


def test_credited_arrows_are_highlighted_where_they_were_typed(grade_in_library):
    answer = ARROW_NOTES[0][1]
    result = grade_in_library("learning-rate", answer)
    credited = [kp for kp in result.key_points if kp.evidence]
    assert credited
    for kp in credited:
        start, end = kp.evidence_span
        assert answer[start:end] == kp.evidence
    assert any("↑" in kp.evidence or "↓" in kp.evidence for kp in credited)
