"""Speech to text, offline: a WAV file or recorded samples in, a :class:`Transcript` out.

Long answers are cut into pieces of at most :data:`CHUNK_S` seconds at the silences a voice
activity detector finds, and each piece is decoded on its own: the cost grows linearly with the
length, one piece the model gets wrong cannot make it skip the rest (Whisper's own 30-second
windows seek by the timestamps it predicts, and a hallucinated timestamp skipped minutes), and
word times are the clip's own, so pauses between pieces are measured like any other.
"""

from __future__ import annotations

import re
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
CHUNK_S = 28.0
"""Longest piece decoded at once: under Whisper's 30-second window, so each is one window."""
SPLIT_AT_SILENCE_S = 1.0
"""A silence this long between two stretches of speech always starts a new piece."""
ECHO_WORDS = {"en": 5, "zh": 6}
"""A run of this many words (Chinese: characters) of the prompt, in order, in a transcript is
the model repeating its prompt, not the speaker: it is removed."""


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
    with loaded.lock:
        language, probability = _choose_language(loaded, clip, language, languages)
        prompt = PROMPTS.get(language)
        pieces: list[tuple[float, object]] = []
        for start, end in speech_chunks(clip.samples):
            decoded, _ = loaded.model.transcribe(
                clip.samples[start:end],
                language=language,
                word_timestamps=True,
                beam_size=BEAM_SIZE,
                # The pieces hold speech only: the model's own voice detector would only cost.
                vad_filter=False,
                # Feeding a window the previous one's text is what makes Whisper loop on a phrase.
                condition_on_previous_text=False,
                initial_prompt=prompt,
            )
            # Decoding happens lazily, while iterating: keep it under the lock.
            pieces += [(start / SAMPLE_RATE, piece) for piece in decoded]
    words: list[Word] = []
    segments: list[Segment] = []
    for offset, piece in pieces:
        kept = [w for w in piece.words or [] if w.word.strip()]
        kept = drop_prompt_echo(kept, prompt, language)
        if not kept:
            continue
        words += [
            Word(
                word=w.word.strip(),
                start=round(offset + float(w.start), 3),
                end=round(offset + float(w.end), 3),
                probability=round(float(w.probability), 3),
            )
            for w in kept
        ]
        segments.append(
            Segment(
                start=round(offset + float(kept[0].start), 3),
                end=round(offset + float(kept[-1].end), 3),
                text="".join(w.word for w in kept).strip(),
            )
        )
    if not words:
        raise NoSpeechError(
            f"{clip.source}: no speech was recognised in {clip.duration_s:.1f} s of audio; "
            "speak closer to the microphone, or check its input level"
        )
    separator = "" if language == "zh" else " "
    return Transcript(
        text=separator.join(segment.text for segment in segments).strip(),
        language=language,
        language_probability=round(probability, 3),
        duration_s=round(clip.duration_s, 3),
        words=words,
        segments=segments,
        model=loaded.name,
    )


def speech_chunks(samples: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) sample offsets of the pieces to decode: stretches of speech found by the
    voice activity detector, joined while a piece stays under :data:`CHUNK_S` seconds and no
    silence of :data:`SPLIT_AT_SILENCE_S` lies between them. None when the detector hears no
    speech at all."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        min_silence_duration_ms=300, speech_pad_ms=200, max_speech_duration_s=CHUNK_S - 1
    )
    spans = get_speech_timestamps(samples, options)
    if not spans:
        return []
    limit, gap = int(CHUNK_S * SAMPLE_RATE), int(SPLIT_AT_SILENCE_S * SAMPLE_RATE)
    chunks = [(spans[0]["start"], spans[0]["end"])]
    for span in spans[1:]:
        start, end = chunks[-1]
        if span["end"] - start <= limit and span["start"] - end < gap:
            chunks[-1] = (start, span["end"])
        else:
            chunks.append((span["start"], span["end"]))
    return chunks


def drop_prompt_echo(words: list, prompt: str | None, language: str) -> list:
    """``words`` (objects with a ``word`` attribute) without runs that repeat the prompt."""
    if not prompt or not words:
        return words
    least = ECHO_WORDS.get(language, ECHO_WORDS["en"])
    tokens = [_echo_tokens(w.word) for w in words]
    said = [token for group in tokens for token in group]
    owner = [i for i, group in enumerate(tokens) for _ in group]
    echo = _echo_tokens(prompt)
    drop: set[int] = set()
    for i in range(len(said)):
        for j in range(len(echo)):
            run = 0
            while i + run < len(said) and j + run < len(echo) and said[i + run] == echo[j + run]:
                run += 1
            if run >= least:
                drop.update(owner[i : i + run])
    return [w for i, w in enumerate(words) if i not in drop]


def _echo_tokens(text: str) -> list[str]:
    # English words, or single Chinese characters (a Whisper "word" may hold several).
    return re.findall(r"[a-z']+|[\u3400-\u9fff]", text.lower())


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
