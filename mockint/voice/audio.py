"""Audio in and out: read a clip, check it is usable speech, bring it to 16 kHz mono, save WAVs.

Every problem with the audio itself is an :class:`AudioError` whose message names the file and
says what to do, so the CLI and the app can show it as one line. Limits are module constants.
"""

from __future__ import annotations

import math
import wave
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from mockint.voice.errors import AudioError, missing_extra

SAMPLE_RATE = 16_000
"""What Whisper wants: 16 kHz mono float32 in [-1, 1]."""
MIN_DURATION_S = 0.5
"""Shorter clips cannot hold an answer; usually a key pressed twice."""
MAX_DURATION_S = 15 * 60.0
"""Longer clips are refused rather than cut: grading the first part of an answer would mislead."""
MIN_SAMPLE_RATE = 8_000
"""Below telephone quality speech is not intelligible any more."""
MAX_CHANNELS = 8
"""More channels than a recording ever has: a damaged or hostile header."""
SILENCE_DBFS = -50.0
"""A clip whose loudest sample is quieter than this holds no speech (microphone muted or off)."""


@dataclass(frozen=True)
class Audio:
    """A clip ready for the speech model."""

    samples: np.ndarray
    """16 kHz mono float32 samples in [-1, 1]."""
    source: str
    """What the clip is called in messages: the file path, or "the recording"."""
    original_rate: int
    """Sample rate before resampling."""
    original_channels: int
    """Channel count before mixing down to mono."""

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def format_duration(seconds: float) -> str:
    """``75.4`` -> ``"1:15"``; short clips keep a decimal (``"0.1 s"``)."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def load_audio(path: str | Path) -> Audio:
    """Read an audio file (WAV; FLAC and OGG work too) and return it checked, 16 kHz mono.

    Raises :class:`AudioError` for a missing, empty, unreadable, silent, too short or too long
    file, and :class:`VoiceUnavailable` when ``soundfile`` (the [voice] extra) is missing.
    Any sample rate from 8 kHz up is resampled; stereo is mixed down.
    """
    try:
        import soundfile
    except (ImportError, OSError):
        raise missing_extra("soundfile (used to read audio files)") from None

    path = Path(path)
    name = str(path)
    if not path.exists():
        raise AudioError(f"{name}: no such file")
    if path.is_dir():
        raise AudioError(f"{name}: is a folder, not an audio file")
    if not path.is_file():
        raise AudioError(f"{name}: not a regular file (a FIFO or device); give a WAV file")
    if path.stat().st_size == 0:
        raise AudioError(f"{name}: the file is empty (0 bytes)")
    _check_container(path, name)
    try:
        info = soundfile.info(str(path))
    except RuntimeError as exc:  # soundfile.LibsndfileError
        raise AudioError(
            f"{name}: not a WAV file mockint can read ({_libsndfile_reason(exc)}); "
            "record or export the answer as WAV"
        ) from None
    if info.frames <= 0 or info.samplerate <= 0:
        raise AudioError(f"{name}: the file holds no audio (a WAV header without samples)")
    if not 1 <= info.channels <= MAX_CHANNELS:
        raise AudioError(
            f"{name}: the header claims {info.channels} channels, which no recording has; "
            "the file is damaged: record or export the answer again as mono or stereo WAV"
        )
    # Checked from the header, before reading: a long file is refused without loading it.
    _check_duration(info.frames / info.samplerate, name)
    _check_rate(info.samplerate, name)
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except RuntimeError as exc:  # soundfile.LibsndfileError
        raise AudioError(f"{name}: the audio data is damaged ({_libsndfile_reason(exc)})") from None
    return prepare(data, rate, source=name)


# How the files load_audio reads begin: WAV (RIFF, RIFX, RF64, or Wave64), FLAC, Ogg.
_CONTAINERS = (b"RIFF", b"RIFX", b"RF64", b"riff", b"fLaC", b"OggS")


def _check_container(path: Path, name: str) -> None:
    """Refuse what is not WAV, FLAC or Ogg before the decoder sees it: an MP3 renamed .wav
    would otherwise get as far as a decoder library, which prints on the terminal."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise AudioError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    if head not in _CONTAINERS:
        raise AudioError(
            f"{name}: not a WAV file mockint can read (it looks like {_looks_like(head)}); "
            "record or export the answer as WAV"
        )


def _looks_like(head: bytes) -> str:
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "an MP3"
    if head[4:8] == b"ftyp" or head[:4] == b"\x00\x00\x00\x20":
        return "an MP4/M4A"
    return "another format"


def prepare(samples: np.ndarray, sample_rate: int, source: str = "the recording") -> Audio:
    """Check raw samples (1-D, or 2-D frames x channels) and return them as 16 kHz mono.

    The same checks as :func:`load_audio`, for audio that never was a file (the microphone).
    Integer samples are scaled to [-1, 1].
    """
    array = np.asarray(samples)
    if array.ndim not in (1, 2):
        raise AudioError(f"{source}: expected mono or multi-channel samples, not {array.shape}")
    channels = 1 if array.ndim == 1 else array.shape[1]
    if array.size == 0 or (array.ndim == 2 and channels == 0):
        raise AudioError(f"{source}: the audio is empty")
    if not sample_rate or sample_rate <= 0:
        raise AudioError(f"{source}: invalid sample rate {sample_rate}")
    _check_duration(array.shape[0] / sample_rate, source)
    _check_rate(sample_rate, source)
    mono = _to_float(array)
    if mono.ndim == 2:
        mono = mono.mean(axis=1, dtype=np.float32)
    if not np.all(np.isfinite(mono)):
        raise AudioError(f"{source}: the audio holds invalid samples (NaN or infinity)")
    peak = float(np.max(np.abs(mono)))
    if peak <= 10 ** (SILENCE_DBFS / 20):
        level = f"loudest sample {20 * math.log10(peak):.0f} dBFS" if peak else "digital silence"
        raise AudioError(
            f"{source}: the audio is silent ({level}); check that the microphone is on, not muted"
        )
    mono = resample(mono, sample_rate, SAMPLE_RATE)
    return Audio(
        samples=np.ascontiguousarray(mono, dtype=np.float32),
        source=source,
        original_rate=int(sample_rate),
        original_channels=int(channels),
    )


def resample(samples: np.ndarray, from_rate: int, to_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Change the sample rate of mono float samples with numpy only.

    Downsampling first removes what the lower rate cannot hold (a windowed-sinc low-pass), so
    hiss above 8 kHz does not fold back into the speech band; then samples are interpolated.
    """
    if from_rate == to_rate:
        return samples.astype(np.float32, copy=False)
    samples = samples.astype(np.float32, copy=False)
    if to_rate < from_rate:
        samples = np.convolve(samples, _lowpass_taps(to_rate / from_rate), mode="same")
    count = max(1, round(len(samples) * to_rate / from_rate))
    step = from_rate / to_rate
    out = np.empty(count, dtype=np.float32)
    # A block at a time: positions and indices of a whole 10-minute answer as float64 arrays
    # would cost half a gigabyte; each output sample depends only on its two neighbours.
    for first in range(0, count, _RESAMPLE_BLOCK):
        positions = np.arange(first, min(count, first + _RESAMPLE_BLOCK), dtype=np.float64) * step
        low = int(positions[0])
        high = min(len(samples), int(positions[-1]) + 2)
        out[first : first + len(positions)] = np.interp(
            positions, np.arange(low, high, dtype=np.float64), samples[low:high]
        )
    return out


_RESAMPLE_BLOCK = 1 << 18


def _lowpass_taps(ratio: float, taps: int = 63) -> np.ndarray:
    # Cut a little below the new Nyquist frequency (ratio / 2 of the old rate) so the
    # transition band falls where the new rate cannot represent anything anyway.
    cutoff = 0.5 * ratio * 0.92
    n = np.arange(taps) - (taps - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hanning(taps)
    return (kernel / kernel.sum()).astype(np.float32)


def _to_float(array: np.ndarray) -> np.ndarray:
    if np.issubdtype(array.dtype, np.floating):
        return array.astype(np.float32, copy=False)
    if array.dtype == np.uint8:  # 8-bit WAV is unsigned, centred on 128
        return (array.astype(np.float32) - 128.0) / 128.0
    if np.issubdtype(array.dtype, np.integer):
        return array.astype(np.float32) / float(np.iinfo(array.dtype).max + 1)
    raise AudioError(f"unsupported sample type {array.dtype}")


def _check_duration(seconds: float, source: str) -> None:
    if seconds < MIN_DURATION_S:
        raise AudioError(
            f"{source}: the audio is only {format_duration(seconds)} long; "
            f"an answer needs at least {MIN_DURATION_S:g} s of speech"
        )
    if seconds > MAX_DURATION_S:
        raise AudioError(
            f"{source}: the audio is {format_duration(seconds)} long, over the "
            f"{format_duration(MAX_DURATION_S)} limit for one answer; trim it first "
            f"(e.g. sox IN.wav OUT.wav trim 0 {int(MAX_DURATION_S // 60)}:00)"
        )


def _check_rate(rate: int, source: str) -> None:
    if rate < MIN_SAMPLE_RATE:
        raise AudioError(
            f"{source}: sample rate {rate} Hz is too low for speech; "
            f"record at {SAMPLE_RATE // 1000} kHz or more"
        )


def _libsndfile_reason(exc: Exception) -> str:
    # libsndfile messages end with the path we already print; keep only the reason.
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    text = text.split(": ", 1)[-1] if text.startswith("Error opening") else text
    return text.rstrip(".")[:1].lower() + text.rstrip(".")[1:]


def save_wav(samples: np.ndarray, path: str | Path | None = None) -> Path:
    """Write 16 kHz mono float samples as a 16-bit PCM WAV and return its path.

    Without a path the clip goes to ``locations.recordings_dir()`` under a timestamped name.
    Uses the standard library only, so recordings can be saved without the [voice] extra.
    """
    if path is None:
        from mockint import locations

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = locations.recordings_dir() / f"answer-{stamp}.wav"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return path
