"""Delivery metrics from transcripts: filler words (English and Chinese), pace, pauses, length.

These run on known transcripts, written by hand, so each rule is pinned to an example; the
real-speech tests in test_voice_transcribe.py check the same figures on model output.
"""

from __future__ import annotations

import json

import pytest

from mockint.voice import SpeechMetrics, Transcript, Word, count_fillers, speech_metrics


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Um, so, I think, uh, batch normalization is like, you know, basically a way "
            "to normalize each layer. Uh, it helps training.",
            {"um": 1, "so": 1, "uh": 2, "like": 1, "you know": 1, "basically": 1},
        ),
        # "like" as a verb or a preposition, "you know" as a question: grammar, not fillers.
        ("I like dropout. It looks like a curve. Do you know what it is? You know the answer.", {}),
        ("Like-minded people like it.", {}),
        # "so" only counts at the start of a sentence, and not as "so far" / "so much".
        ("So far so good. It is so fast. So the gradient flows back.", {"so": 1}),
        (
            "It is fast, you know. Like, umm, whatever. Erm, hmm.",
            {"you know": 1, "like": 1, "um": 1, "er": 1, "hmm": 1},
        ),
        ("Basically, BASICALLY basically.", {"basically": 3}),
        ("", {}),
    ],
)
def test_english_fillers(text, expected):
    assert count_fillers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Standalone 那个 and 然后 between commas are fillers; 就是 joining two phrases is not.
        (
            "嗯，那个，我觉得批量归一化就是把每一层的输入标准化。然后，它可以加快训练。",
            {"嗯": 1, "那个": 1, "然后": 1},
        ),
        # Before content they are grammar: "and then we", "that model", "this is the reason";
        # 啊 ending a clause is a particle.
        ("然后我们计算梯度，那个模型很好，这就是原因。是啊，好啊。", {}),
        # A run of 嗯 is one hesitation; 那个那个 is one repetition; 那个 before 嗯 hesitates;
        # clause-initial 啊 is a filler; 然后就是 piles two up, and 就是 before content is grammar.
        (
            "啊，这个问题嗯嗯我想想，那个那个优化器，用那个嗯学习率。然后就是我们把它归一化",
            {"啊": 1, "嗯": 2, "那个": 2, "然后": 1},
        ),
        # Whisper sometimes writes traditional characters; fillers are reported in simplified.
        ("那個，然後我們就好了", {"那个": 1}),
        # 就是说 alone is a filler; spaces between Chinese words separate them like commas.
        (
            "就是说，呃 那个 我们用 batch normalization 就是把输入归一化",
            {"就是": 1, "呃": 1, "那个": 1},
        ),
    ],
)
def test_chinese_fillers(text, expected):
    assert count_fillers(text) == expected


def test_mixed_language_answer_counts_both():
    # 就是 between two terms is "is"; "so" after "Um," still starts the sentence.
    assert count_fillers("嗯，dropout 就是 basically 随机丢弃神经元。Um, so 这样。") == {
        "嗯": 1,
        "basically": 1,
        "um": 1,
        "so": 1,
    }


def _words(*timed: tuple[str, float, float]) -> list[Word]:
    return [Word(word=w, start=s, end=e) for w, s, e in timed]


def _transcript(words: list[Word], duration: float, language: str = "en") -> Transcript:
    text = "".join(w.word for w in words) if language == "zh" else " ".join(w.word for w in words)
    return Transcript(text=text, language=language, duration_s=duration, words=words)


def test_long_pauses_are_gaps_over_two_seconds_between_words():
    # 3 s of silence before the first word (recording started early), gaps of 1.9 s, 2.5 s and
    # exactly 2.0 s between words, 4 s of silence after the last word.
    words = _words(
        ("Gradients", 3.0, 3.5),
        ("flow", 3.5, 3.8),
        ("back.", 5.7, 6.0),
        ("Then", 8.5, 8.8),
        ("weights", 10.8, 11.2),
        ("update.", 11.2, 12.0),
    )
    metrics = speech_metrics(_transcript(words, duration=16.0))
    assert metrics.long_pauses == 1
    assert [(p.start, p.end) for p in metrics.pauses] == [(6.0, 8.5)]
    assert metrics.longest_pause_s == 2.5
    assert metrics.leading_silence_s == 3.0
    assert metrics.duration_s == 16.0
    assert metrics.speaking_s == 9.0
    # 6 words in 9 s of speaking time; the silences around the speech do not slow the pace.
    assert metrics.wpm == 40.0


def test_time_limit_reports_overtime_only_when_exceeded():
    words = _words(("Yes.", 0.2, 0.6))
    assert speech_metrics(_transcript(words, 95.0), time_limit_s=90).over_time_s == 5.0
    assert speech_metrics(_transcript(words, 60.0), time_limit_s=90).over_time_s == 0.0
    assert speech_metrics(_transcript(words, 60.0)).over_time_s is None


def test_chinese_pace_is_in_characters_and_a_pause_sets_off_a_filler():
    # Whisper often leaves Chinese unpunctuated: the 0.8 s gap after 那个 marks it as a
    # hesitation, the same words said without a gap are "that model".
    hesitant = _words(("那个", 0.0, 0.4), ("模型", 1.2, 1.6), ("很好", 1.6, 2.0))
    fluent = _words(("那个", 0.0, 0.4), ("模型", 0.45, 0.8), ("很好", 0.8, 1.2))
    slow = speech_metrics(_transcript(hesitant, 2.0, language="zh"))
    assert slow.fillers == {"那个": 1}
    assert slow.words == 6  # characters
    assert slow.wpm == 180.0  # 6 characters in 2 s
    assert speech_metrics(_transcript(fluent, 2.0, language="zh")).fillers == {}


def test_typed_text_without_timings_still_counts_words_and_fillers():
    typed = Transcript(text="Um, basically it works.", language="en", duration_s=0.0)
    metrics = speech_metrics(typed)
    assert (metrics.words, metrics.filler_count, metrics.wpm, metrics.long_pauses) == (4, 2, 0.0, 0)


def test_as_dict_has_exactly_the_store_columns():
    words = _words(("Um,", 0.0, 0.3), ("like,", 0.4, 0.7), ("嗯", 3.0, 3.2))
    row = speech_metrics(_transcript(words, 4.0)).as_dict()
    assert set(row) == {
        "duration_s", "words", "wpm", "filler_count", "fillers_json", "long_pauses",
        "longest_pause_s",
    }  # fmt: skip
    assert json.loads(row["fillers_json"]) == {"um": 1, "嗯": 1}
    assert "嗯" in row["fillers_json"]  # stored readable, not as \\u escapes
    assert row["long_pauses"] == 1 and row["longest_pause_s"] == 2.3


def test_notes_coach_in_the_requested_language():
    metrics = SpeechMetrics(
        duration_s=200, speaking_s=190, words=600, wpm=189.5, filler_count=4,
        fillers={"um": 3, "like": 1}, long_pauses=2, pauses=[], longest_pause_s=3.1,
        leading_silence_s=0.5, time_limit_s=180, over_time_s=20, language="en",
    )  # fmt: skip
    english = " ".join(metrics.notes("en"))
    assert "Fast pace: 190 words per minute" in english
    assert "4 filler words (um ×3, like ×1)" in english
    assert "2 pauses over 2 s (longest 3.1 s)" in english
    assert "20 s over the suggested 180 s" in english
    chinese = " ".join(metrics.notes("zh"))
    assert "语速偏快" in chinese and "口头禅 4 次" in chinese and "超时 20 秒" in chinese
