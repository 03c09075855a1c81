"""Microphone capture with sounddevice (PortAudio), for answering out loud.

ok, message = microphone_status()        # never raises; say `message` once if not ok
recorder = Recorder()
recorder.start()                         # VoiceError if the microphone cannot be opened
... recorder.elapsed_s, recorder.level   # poll for the timer and the level meter
samples = recorder.stop()                # 16 kHz mono float32
path = save_wav(samples)                 # under locations.recordings_dir()
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

import numpy as np

from mockint.errors import Reasoned
from mockint.voice.audio import MAX_DURATION_S, SAMPLE_RATE, resample
from mockint.voice.errors import VoiceError, VoiceUnavailable, missing_extra

NO_PORTAUDIO = (
    "the PortAudio library is missing, so the microphone cannot be used "
    "(Debian/Ubuntu: sudo apt install libportaudio2)"
)
NO_MICROPHONE = Reasoned("no microphone found; type your answers instead", reason="no_microphone")


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence C-level stderr: ALSA and JACK print pages of warnings when PortAudio starts,
    which would scribble over the terminal UI."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _sounddevice():
    """The sounddevice module, or VoiceUnavailable saying what is missing."""
    try:
        with _quiet_stderr():
            import sounddevice
    except ImportError:
        raise missing_extra("sounddevice (used to record from the microphone)") from None
    except OSError:  # sounddevice raises OSError when libportaudio cannot be found
        raise VoiceUnavailable(NO_PORTAUDIO, reason="no_portaudio") from None
    return sounddevice


def microphone_status() -> tuple[bool, str]:
    """Whether recording can work here, and a sentence saying why not (or which device).

    Never raises: any failure (no sounddevice, no PortAudio, no input device) becomes
    ``(False, message)`` so the app can say it once and keep typing available.
    """
    try:
        sd = _sounddevice()
        with _quiet_stderr():
            info = sd.query_devices(kind="input")
    except VoiceUnavailable as exc:
        return False, Reasoned(str(exc), reason=exc.reason or "voice", **exc.details)
    except Exception:  # PortAudioError for "no default input device", and anything else
        return False, NO_MICROPHONE
    if not info or int(info.get("max_input_channels", 0)) < 1:
        return False, NO_MICROPHONE
    return True, f"microphone: {info.get('name', 'default input')}"


class Recorder:
    """Records one answer at a time from the default (or a chosen) input device.

    ``start()`` opens the microphone and returns at once; PortAudio calls back on its own
    thread with each block of samples. ``elapsed_s`` and ``level`` can be polled from any
    thread (a timer and a level meter); ``stop()`` returns the clip as 16 kHz mono. Recording
    stops by itself at ``max_seconds`` (then ``limit_reached`` is true).
    """

    def __init__(self, device: int | str | None = None, max_seconds: float = MAX_DURATION_S):
        self.device = device
        self.max_seconds = max_seconds
        self._lock = threading.Lock()
        self._blocks: list[np.ndarray] = []
        self._frames = 0
        self._level = 0.0
        self._rate = SAMPLE_RATE
        self._stream = None
        self.limit_reached = False

    @property
    def is_recording(self) -> bool:
        return self._stream is not None

    @property
    def elapsed_s(self) -> float:
        """Seconds of audio captured so far."""
        with self._lock:
            return self._frames / self._rate

    @property
    def level(self) -> float:
        """Loudness of the latest block, 0 (silence) to 1 (full scale): RMS, for a meter."""
        with self._lock:
            return self._level

    def start(self) -> None:
        """Open the microphone and start capturing (VoiceError if it cannot be opened)."""
        if self._stream is not None:
            raise VoiceError("already recording")
        sd = _sounddevice()
        with self._lock:
            self._blocks, self._frames, self._level = [], 0, 0.0
            self.limit_reached = False
        stream = None
        last_error: Exception | None = None
        # 16 kHz mono first (no resampling later); many devices only offer their native rate.
        for rate, channels in self._formats(sd):
            try:
                with _quiet_stderr():
                    stream = sd.InputStream(
                        samplerate=rate,
                        channels=channels,
                        dtype="float32",
                        device=self.device,
                        callback=self._callback,
                    )
                    stream.start()
                self._rate = rate
                break
            except Exception as exc:  # PortAudioError, ValueError for an unknown device
                last_error = exc
                if stream is not None:
                    stream.close()
                stream = None
        if stream is None:
            raise VoiceError(
                f"could not open the microphone ({last_error}); type your answer instead",
                reason="microphone_failed",
                detail=last_error,
            )
        self._stream = stream

    def stop(self) -> np.ndarray:
        """Stop capturing and return the clip: 16 kHz mono float32 (empty if nothing came)."""
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):  # a device unplugged mid-answer
                stream.stop()
                stream.close()
        with self._lock:
            blocks, rate = self._blocks, self._rate
            self._blocks = []
        samples = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
        return resample(samples, rate, SAMPLE_RATE) if len(samples) else samples

    def _formats(self, sd) -> list[tuple[int, int]]:
        formats = [(SAMPLE_RATE, 1)]
        try:
            info = sd.query_devices(self.device, kind="input")
            native = int(info["default_samplerate"])
            formats += [(native, 1), (native, min(2, int(info["max_input_channels"])) or 1)]
        except Exception:
            pass
        return list(dict.fromkeys(formats))

    def _callback(self, indata: np.ndarray, frames: int, time, status) -> None:
        """PortAudio's audio thread: keep the block, update the meter. Must stay fast."""
        block = indata.mean(axis=1) if indata.ndim == 2 else indata
        block = np.array(block, dtype=np.float32)  # indata is reused by PortAudio: copy it
        with self._lock:
            room = int(self.max_seconds * self._rate) - self._frames
            if room <= 0:
                self.limit_reached = True
                return
            block = block[:room]
            self._blocks.append(block)
            self._frames += len(block)
            self._level = float(np.sqrt(np.mean(block**2))) if len(block) else 0.0
