"""Speech to text, offline: a WAV file or recorded samples in, a :class:`Transcript` out."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mockint.voice.audio import SAMPLE_RATE, Audio, load_audio, prepare
from mockint.voice.errors import NoSpeechError, VoiceError
from mockint.voice.transcript import Segment, Transcript, Word
from mockint.voice.whisper import LoadedModel, load_model

LANGUAGES = ("en", "zh")
"""Languages auto-detection chooses between: the languages mockint's question banks use.

Restricting the choice matters for short or accented clips, which Whisper otherwise files under
a neighbouring language (a Mandarin answer detected as Cantonese or Thai)."""

# Whisper was trained on cleaned-up transcripts and drops "um" and "uh" unless the text before
# the clip contains some; a disfluent prompt makes it keep them, so fillers can be counted.
# The Chinese prompt also steers it to simplified characters, as the question banks use.
PROMPTS = {
    "en": "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking.",
    "zh": "嗯，那个，以下是普通话的句子。",
}
BEAM_SIZE = 5


def transcribe(
    audio: str | Path | np.ndarray,
    language: str | None = None,
    *,
    sample_rate: int = SAMPLE_RATE,
    model: str | None = None,
    languages: tuple[str, ...] = LANGUAGES,
) -> Transcript:
    """Transcribe a spoken answer with word timestamps.

    ``audio`` is a file path or samples (mono or frames x channels) at ``sample_rate``.
    ``language`` forces the language (``"en"``, ``"zh"``...); by default it is detected among
    ``languages``. ``model`` overrides ``MOCKINT_WHISPER_MODEL`` (see :mod:`mockint.voice.whisper`).

    Slow (about a quarter of the clip's length on two cores, plus a second to load the model the
    first time): call it from a worker thread. Safe to call from several threads.

    Raises :class:`AudioError` for unusable audio, :class:`NoSpeechError` when no word was
    heard, :class:`VoiceUnavailable` when the [voice] extra or the model is missing.
    """
    clip = load_audio(audio) if isinstance(audio, (str, Path)) else prepare(audio, sample_rate)
    return transcribe_clip(clip, language, model=model, languages=languages)


def transcribe_clip(
    clip: Audio,
    language: str | None = None,
    *,
    model: str | None = None,
    languages: tuple[str, ...] = LANGUAGES,
) -> Transcript:
    """:func:`transcribe` for audio already loaded and checked (see :mod:`mockint.voice.audio`)."""
    loaded = load_model(model)
    whisper = loaded.model
    with loaded.lock:
        language, probability = _choose_language(loaded, clip, language, languages)
        pieces, info = whisper.transcribe(
            clip.samples,
            language=language,
            word_timestamps=True,
            beam_size=BEAM_SIZE,
            # Skips long silences (and the text Whisper invents for them); timestamps still
            # refer to the original clip, so pauses stay measurable.
            vad_filter=True,
            # Feeding each window the previous one's text is what makes Whisper loop on a phrase.
            condition_on_previous_text=False,
            initial_prompt=PROMPTS.get(language),
        )
        pieces = list(pieces)  # decoding happens lazily, while iterating: keep it under the lock
    words = [
        Word(
            word=w.word.strip(),
            start=round(float(w.start), 3),
            end=round(float(w.end), 3),
            probability=round(float(w.probability), 3),
        )
        for piece in pieces
        for w in piece.words or []
        if w.word.strip()
    ]
    if not words:
        raise NoSpeechError(
            f"{clip.source}: no speech was recognised in {clip.duration_s:.1f} s of audio; "
            "speak closer to the microphone, or check its input level"
        )
    segments = [
        Segment(start=round(float(p.start), 3), end=round(float(p.end), 3), text=p.text.strip())
        for p in pieces
    ]
    return Transcript(
        text="".join(p.text for p in pieces).strip(),
        language=info.language,
        language_probability=round(probability, 3),
        duration_s=round(clip.duration_s, 3),
        words=words,
        segments=segments,
        model=loaded.name,
    )


def _choose_language(
    loaded: LoadedModel, clip: Audio, language: str | None, languages: tuple[str, ...]
) -> tuple[str, float]:
    """The language to decode in, and how sure we are of it."""
    supported = loaded.model.supported_languages
    if language is not None:
        code = language.lower().split("-")[0]  # "zh-CN" and "en-US" as the banks may say
        if code not in supported:
            raise VoiceError(f"the speech model does not know the language {language!r}")
        return code, 1.0
    if supported == ["en"]:
        return "en", 1.0
    _, _, ranked = loaded.model.detect_language(audio=clip.samples, vad_filter=True)
    allowed = [(code, prob) for code, prob in ranked if code in languages] or ranked
    code, prob = max(allowed, key=lambda pair: pair[1])
    total = sum(prob for _, prob in allowed)
    # Report the probability among the allowed languages: 0.9 "en" vs 0.1 "zh" is what the
    # choice rested on, whatever share the model gave to languages we do not consider.
    return code, (prob / total if total else prob)
