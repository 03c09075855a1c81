"""Spoken answers correct themselves ("no wait, the other way round", 不对不对，说反了): what the
candidate took back is not graded, what they settled on is. Real models, the built-in banks."""

from __future__ import annotations

import re

import pytest
from voice_helpers import espeak, needs_espeak, needs_model

from mockint.grading.retractions import retract

LR_CORRECTED = (
    "So the learning rate is the step size. If it's too high, training is really slow, no wait, "
    "the other way round: if it's too low the updates are tiny and training crawls, and if it's "
    "too high the steps overshoot and the loss diverges to NaN."
)
LR_CORRECTED_MIXED = (
    "learning rate 太高的话 training 会很慢，嗯不对，说反了，太低的话 training 很慢，"
    "太高的话 loss 会 diverge，甚至 NaN。"
)
L1_CORRECTED_ZH = (
    "嗯，正则化就是在 loss 后面加一个惩罚项，防止过拟合。L1 是权重绝对值之和，L2 是平方和。"
    "L2 会让权重变得稀疏……不对不对，说反了，是 L1 会产生稀疏解，很多权重直接是 0，"
    "相当于做特征选择；L2 是把权重整体往 0 压，但很少正好等于 0。"
)


def without_marker(answer: str) -> str:
    """The same words with the correction marker left out: the retracted clause kept as a
    claim, as a grader that does not hear corrections reads it."""
    for marker, joint in (
        ("no wait, the other way round: ", ""),
        ("嗯不对，说反了，", ""),
        ("……不对不对，说反了，", "，"),
    ):
        answer = answer.replace(marker, joint)
    return answer


def take_back(text: str) -> str:
    return " ".join(retract(text).split())


@pytest.mark.parametrize(
    ("said", "gone", "kept"),
    [
        (L1_CORRECTED_ZH, "L2 会让权重变得稀疏", "平方和。 是 L1 会产生稀疏解"),
        ("C 大就间隔宽……哦不是，说反了，C 大的话间隔窄。", "间隔宽", "C 大的话间隔窄。"),
        ("嗯 bias 高就是过拟合 不对 反了 bias 高是欠拟合", "过拟合", "bias 高是欠拟合"),
        (
            "If you raise it recall goes up, no wait, the other way round, recall drops.",
            "goes up",
            "recall drops.",
        ),
        ("Precision goes up, sorry, I meant recall goes up.", "Precision", "recall goes up."),
        ("ReLU saturates for large inputs, I got that backwards, sigmoid does.", "ReLU", "sigmoid"),
        # Whisper's spelling of a spoken "no wait" (heard on espeak-ng's voice).
        (
            "If it is too high, training is slow. No weight, I got that backwards. If it is too "
            "low, training is slow.",
            "slow. No weight",
            "If it is too low, training is slow.",
        ),
    ],
)
def test_the_clause_before_a_correction_is_taken_back(said, gone, kept):
    out = retract(said)
    assert len(out) == len(said)  # the grader's offsets still point into the answer as typed
    assert gone not in out
    assert kept in take_back(said)


@pytest.mark.parametrize(
    "text",
    [
        "Because his experiment took action right away with no waiting.",
        "The kernel matrix is not 不对称, 这样不对，因为 L2 不稀疏。",
        "No wait, let me start over: batch norm normalizes activations.",  # nothing to take back
        "For recall it is the other way round: it falls as the threshold rises.",
        "I mean, the learning rate is just the step size.",
        "Padding tokens get no weight.",
        "We train with Adam, no weight decay, and a cosine schedule.",
        "You have to wait, no one knows how long.",
        "I do not know whether there is no no-free-lunch theorem here.",
    ],
)
def test_words_that_only_look_like_a_correction_take_nothing_back(text):
    assert retract(text) is text


def test_a_long_run_on_transcript_loses_one_clause_at_most():
    run_on = (
        "so the learning rate controls how big each update is and if you set it too high the "
        "loss just goes down really slowly and you wait forever no wait I mean too low is slow "
        "and too high diverges"
    )
    kept = take_back(run_on)
    assert kept.startswith("so the learning rate controls how big each update is")
    assert kept.endswith("too low is slow and too high diverges")


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        ("learning-rate", LR_CORRECTED),
        ("learning-rate", LR_CORRECTED_MIXED),
        ("regularization-l1-l2", L1_CORRECTED_ZH),
    ],
)
def test_a_corrected_slip_is_not_a_mistake(grade_in_library, question_id, answer):
    corrected = grade_in_library(question_id, answer)
    slipped = grade_in_library(question_id, without_marker(answer))
    # Heard without the correction, the slip is a stated mistake...
    assert slipped.misconceptions, slipped.model_dump()
    # ...heard with it, the answer is graded on what the candidate settled on, and says so.
    assert corrected.misconceptions == [], corrected.model_dump()
    assert corrected.score >= slipped.score + 25, (corrected.score, slipped.score)
    assert any(("corrected yourself" in n) or ("改口" in n) for n in corrected.notes)
    for kp in corrected.key_points:
        if kp.evidence:
            assert "  " not in kp.evidence  # no gap where the slip was


def test_a_correction_to_the_wrong_way_round_is_still_named(grade_in_library):
    result = grade_in_library(
        "learning-rate",
        "If the learning rate is too low, training is slow, no wait, I got that backwards: if "
        "it's too low the loss diverges, and if it's too high training gets slow.",
    )
    assert "swapped-effects" in {m.id for m in result.misconceptions}
    assert result.score <= 25


SPOKEN_CORRECTED = (
    "A learning rate that is too high makes training slow. Sorry, I meant too low. A learning "
    "rate that is too low makes training slow, and one that is too high makes the loss diverge."
)


@pytest.mark.voice
@needs_espeak
@needs_model
def test_a_spoken_correction_is_heard_and_taken_back(speech_model, grade_in_library, tmp_path):
    """Real speech (espeak-ng), transcribed by the real Whisper model, graded as the app does:
    the slip the speaker took back is not named, and the same transcript without the
    correction is."""
    from mockint.voice import transcribe

    said = transcribe(espeak(tmp_path / "corrected.wav", SPOKEN_CORRECTED)).text
    assert retract(said) != said, said
    heard = grade_in_library("learning-rate", said)
    assert heard.misconceptions == [], (said, heard.model_dump())
    assert any("corrected yourself" in note for note in heard.notes)
    slip = re.sub(r"sorry,?\s+i\s+meant[^.]*\.", "", said, flags=re.IGNORECASE)
    assert slip != said
    assert grade_in_library("learning-rate", slip).misconceptions, slip
