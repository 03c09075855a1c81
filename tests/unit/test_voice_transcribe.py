"""Transcription of real speech: WAVs synthesised by espeak-ng, transcribed by the real Whisper
base model (loaded once for the session), then measured.

espeak's voice is robotic, so assertions look for the key words a grader needs, never for an
exact transcript. Chinese is covered by the transcript-level tests in test_voice_metrics.py:
Debian's espeak-ng Mandarin is not intelligible enough for Whisper base to transcribe.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from voice_helpers import espeak, needs_espeak, needs_model, needs_sox, read_wav, write_wav

from mockint.voice import (
    LONG_PAUSE_S,
    NoSpeechError,
    VoiceError,
    speech_metrics,
    transcribe,
)

pytestmark = [pytest.mark.voice, needs_espeak, needs_model]

ANSWER = (
    "Batch normalization normalizes the activations of each layer using the mean and "
    "variance of the mini batch. It speeds up training and allows higher learning rates."
)
FIRST = "The learning rate controls the step size."
SECOND = "A rate that is too high makes the training diverge."
HESITANT = (
    "Um, so, I think, uh, batch normalization is, like, you know, basically a way to "
    "normalize each layer. Uh, it helps training."
)
PAUSE_S = 2.0


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """espeak-ng recordings: an answer, a hesitant answer, and two sentences with exactly
    ``PAUSE_S`` seconds of silence inserted between them."""
    folder = tmp_path_factory.mktemp("speech")
    first, rate = read_wav(espeak(folder / "first.wav", FIRST))
    second, _ = read_wav(espeak(folder / "second.wav", SECOND))
    silence = np.zeros(int(PAUSE_S * rate), dtype=np.float32)
    return {
        "answer": espeak(folder / "answer.wav", ANSWER),
        "hesitant": espeak(folder / "hesitant.wav", HESITANT),
        "pause": write_wav(folder / "pause.wav", np.concatenate([first, silence, second]), rate),
        "pause_at": len(first) / rate,
        "folder": folder,
    }


def _key_words_in(text: str) -> None:
    lowered = text.lower()
    for word in ("normaliz", "layer", "variance", "learning rate"):
        assert word in lowered, f"{word!r} not in {text!r}"


def test_answer_is_transcribed_with_key_words_and_word_timings(speech_model, clips):
    transcript = transcribe(clips["answer"])
    _key_words_in(transcript.text)
    assert transcript.language == "en"
    assert transcript.model == "whisper-base"
    samples, rate = read_wav(clips["answer"])
    assert abs(transcript.duration_s - len(samples) / rate) < 0.01  # silences included
    assert len(transcript.words) >= 20
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= transcript.duration_s + 0.1 for w in transcript.words)
    assert " ".join(w.word for w in transcript.words).lower().count("normaliz") >= 2


def test_inserted_silence_is_one_long_pause(speech_model, clips):
    metrics = speech_metrics(transcribe(clips["pause"], language="en"))
    assert metrics.long_pauses == 1
    (pause,) = metrics.pauses
    assert pause.duration_s > LONG_PAUSE_S
    # Between the end of the first sentence and the start of the second (espeak ends each
    # clip with 0.4 s of silence, and word timings are good to about 0.3 s).
    assert clips["pause_at"] - 0.8 < pause.start < clips["pause_at"] + 0.3
    assert clips["pause_at"] + PAUSE_S - 0.3 < pause.end < clips["pause_at"] + PAUSE_S + 0.5


def test_fillers_are_heard_and_counted(speech_model, clips):
    transcript = transcribe(clips["hesitant"], language="en")
    metrics = speech_metrics(transcript)
    # Whisper keeps "uh" and "um" thanks to the disfluent prompt; "like", "you know" and
    # "basically" are ordinary words to it.
    assert metrics.fillers.get("basically") == 1
    assert metrics.fillers.get("you know") == 1
    assert metrics.filler_count >= 4, transcript.text
    assert 60 < metrics.wpm < 250


@needs_sox
def test_stereo_44k_recording_gives_the_same_words(speech_model, clips):
    import subprocess

    stereo = clips["folder"] / "answer-44k-stereo.wav"
    subprocess.run(["sox", str(clips["answer"]), "-r", "44100", "-c", "2", str(stereo)], check=True)
    _key_words_in(transcribe(stereo).text)


def test_samples_from_a_recorder_are_transcribed(speech_model, clips):
    # What the app does after Recorder.stop(): samples in memory, at the device's rate.
    samples, rate = read_wav(clips["answer"])
    transcript = transcribe(samples, sample_rate=rate)
    _key_words_in(transcript.text)


def test_noise_without_speech_says_so(speech_model):
    noise = (np.random.default_rng(7).standard_normal(16000 * 3) * 0.02).astype(np.float32)
    with pytest.raises(NoSpeechError, match="no speech was recognised"):
        transcribe(noise)


def test_unknown_language_is_a_clear_error(speech_model, clips):
    with pytest.raises(VoiceError, match="does not know the language 'klingon'"):
        transcribe(clips["answer"], language="klingon")


def test_two_threads_share_the_model_safely(speech_model, clips):
    results: list[str] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(transcribe(clips["pause"], language="en").text)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 2 and results[0] == results[1]
    assert "learning rate" in results[0].lower()
