"""Long spoken answers: cut at silences into pieces decoded one by one, so all of an answer is
transcribed, its pauses measured and the recogniser's prompt never taken for speech.

Shown on short espeak-ng answers with the piece length lowered to a few seconds: the same code
path a 10-minute answer takes (benchmarks/long_audio.py measures those).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from voice_helpers import needs_espeak, needs_model

from mockint.voice import load_audio, speech_metrics, transcribe, transcriber
from mockint.voice.audio import SAMPLE_RATE

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from spoken import spoken_answer, words_of  # noqa: E402

PIECE_S = 8.0


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    """About 25 s: two paragraphs of continuous speech with 3 s of silence between them."""
    return spoken_answer(tmp_path_factory.mktemp("long"), 0.3, paragraph=3, pause_s=3.0)


@needs_espeak
def test_pieces_cover_the_speech_and_are_never_longer_than_the_limit(answer, monkeypatch):
    monkeypatch.setattr(transcriber, "CHUNK_S", PIECE_S)
    samples = load_audio(answer.path).samples
    pieces = transcriber.speech_chunks(samples)
    assert len(pieces) >= 3  # each paragraph is longer than a piece
    assert all(0 < end - start <= PIECE_S * SAMPLE_RATE for start, end in pieces)
    assert all(a[1] <= b[0] for a, b in zip(pieces, pieces[1:]))  # in order, no overlap
    # The inserted silence lies between two pieces, never inside one.
    [(pause_start, pause_end)] = answer.pauses
    inside = [
        (s, e)
        for s, e in pieces
        if s < (pause_start + 0.5) * SAMPLE_RATE and e > (pause_end - 0.5) * SAMPLE_RATE
    ]
    assert inside == []


@pytest.mark.voice
@needs_espeak
@needs_model
def test_an_answer_longer_than_a_piece_is_transcribed_in_full(answer, speech_model, monkeypatch):
    monkeypatch.setattr(transcriber, "CHUNK_S", PIECE_S)
    transcript = transcribe(answer.path, language="en")
    said = set(words_of(transcript.text))
    # Words from the first and the last sentence: nothing at either end was dropped.
    assert {"normalization", "normalizes", "activations"} & said
    assert {"higher", "possible", "rates"} & said
    known = words_of(answer.text)
    assert len(words_of(transcript.text)) >= 0.85 * len(known)
    assert [w.start for w in transcript.words] == sorted(w.start for w in transcript.words)
    # Pauses and pace come from the clip's own times, across pieces.
    metrics = speech_metrics(transcript)
    [(pause_start, pause_end)] = answer.pauses
    assert metrics.long_pauses == 1
    [pause] = metrics.pauses
    assert pause.start == pytest.approx(pause_start, abs=0.8)
    assert pause.end == pytest.approx(pause_end, abs=0.8)
    known_wpm = len(known) / (answer.speaking_s / 60)
    assert metrics.wpm == pytest.approx(known_wpm, rel=0.2)
    # The recogniser's prompt is not the speaker's.
    assert "here's what i'm" not in transcript.text.lower()


def _words(*texts: str) -> list:
    return [SimpleNamespace(word=f" {text}") for text in texts]


def test_a_prompt_repeated_by_the_recogniser_is_removed():
    prompt = transcriber.PROMPTS["en"]
    echoed = _words("Okay,", "here's", "what", "I'm,", "like,", "thinking.", "Dropout", "helps.")
    kept = transcriber.drop_prompt_echo(echoed, prompt, "en")
    assert [w.word.strip() for w in kept] == ["Dropout", "helps."]


def test_a_speaker_who_says_a_few_of_the_prompt_words_keeps_them():
    prompt = transcriber.PROMPTS["en"]
    said = _words("Um,", "let", "me", "think.", "Dropout", "removes", "neurons.")
    assert transcriber.drop_prompt_echo(said, prompt, "en") == said


def test_a_chinese_prompt_echo_is_removed_character_by_character():
    prompt = transcriber.PROMPTS["zh"]
    pieces = ["以下", "是", "普通话", "的", "句子", "。", "归一化"]
    echoed = [SimpleNamespace(word=w) for w in pieces]
    kept = transcriber.drop_prompt_echo(echoed, prompt, "zh")
    assert [w.word for w in kept] == ["。", "归一化"]
