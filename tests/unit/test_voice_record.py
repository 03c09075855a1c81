"""Microphone capture: the status check never raises, and the Recorder records through a real
PortAudio stream.

The machines that run these tests have no sound card, so the stream test gives ALSA a
"microphone" that plays a file (the ``file`` plugin reading a raw tone, over the ``null``
device), in a subprocess whose HOME holds that ALSA configuration.
"""

from __future__ import annotations

import builtins
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from voice_helpers import ON_CI

from mockint.voice import Recorder, VoiceError, VoiceUnavailable, microphone_status
from mockint.voice.record import NO_PORTAUDIO

needs_sounddevice = pytest.mark.skipif(
    importlib.util.find_spec("sounddevice") is None and not ON_CI,
    reason="sounddevice is not installed (pip install 'mockint[voice]')",
)


def _refuse_import(monkeypatch, name: str, error: Exception) -> None:
    real_import = builtins.__import__

    def fake_import(module, *args, **kwargs):
        if module == name:
            raise error
        return real_import(module, *args, **kwargs)

    monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_status_is_a_pair_and_never_raises():
    ok, message = microphone_status()
    assert isinstance(ok, bool) and message
    if not ok:
        assert "microphone" in message or "PortAudio" in message or "pip install" in message


def test_status_without_portaudio_says_which_package(monkeypatch):
    # sounddevice raises OSError at import when libportaudio is not on the system.
    _refuse_import(monkeypatch, "sounddevice", OSError("PortAudio library not found"))
    assert microphone_status() == (False, NO_PORTAUDIO)
    assert "libportaudio2" in NO_PORTAUDIO
    with pytest.raises(VoiceUnavailable, match="libportaudio2"):
        Recorder().start()


def test_status_without_the_extra_names_it(monkeypatch):
    _refuse_import(monkeypatch, "sounddevice", ImportError("No module named 'sounddevice'"))
    ok, message = microphone_status()
    assert not ok and "pip install 'mockint[voice]'" in message


@needs_sounddevice
def test_unknown_device_is_a_clear_error():
    with pytest.raises(VoiceError, match="could not open the microphone"):
        Recorder(device="no such microphone").start()


def test_callback_keeps_blocks_meters_level_and_stops_at_the_limit():
    # PortAudio's callback, called as PortAudio calls it: frames x channels float32 blocks.
    recorder = Recorder(max_seconds=1.0)
    block = np.full((4000, 2), 0.25, dtype=np.float32)
    for _ in range(3):
        recorder._callback(block, 4000, None, None)
    assert recorder.elapsed_s == 0.75
    assert recorder.level == pytest.approx(0.25)
    assert not recorder.limit_reached
    recorder._callback(block * 0, 4000, None, None)
    recorder._callback(block, 4000, None, None)  # past one second: dropped
    assert recorder.limit_reached and recorder.elapsed_s == 1.0
    assert recorder.level == 0.0
    samples = recorder.stop()
    assert samples.shape == (16000,) and samples.dtype == np.float32
    assert samples[:12000].mean() == pytest.approx(0.25) and not samples[12000:].any()


RECORD_SCRIPT = textwrap.dedent(
    """
    import json, time
    import numpy as np
    from mockint.voice import Recorder, microphone_status

    ok, message = microphone_status()
    recorder = Recorder(max_seconds=1.5)
    recorder.start()
    deadline = time.monotonic() + 20
    while not recorder.limit_reached and time.monotonic() < deadline:
        time.sleep(0.01)
    level = recorder.level  # the meter's reading of the last block
    samples = recorder.stop()
    print(json.dumps({
        "ok": ok, "message": message, "elapsed": recorder.elapsed_s,
        "limit": recorder.limit_reached, "length": len(samples),
        "rms": float(np.sqrt(np.mean(samples[1000:] ** 2))), "level": level,
    }))
    """
)


@needs_sounddevice
def test_recorder_captures_through_a_real_portaudio_stream(tmp_path):
    if not os.path.exists("/usr/share/alsa/alsa.conf"):
        pytest.skip("no ALSA configuration on this system")
    rate = 16000
    t = np.arange(rate * 30) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")  # 30 s, RMS 0.354
    (tmp_path / "tone.raw").write_bytes(tone.tobytes())
    (tmp_path / ".asoundrc").write_text(
        textwrap.dedent(
            f"""
            pcm.answerfile {{
                type file
                slave.pcm "null"
                file "/dev/null"
                infile "{tmp_path / "tone.raw"}"
                format "raw"
            }}
            pcm.!default {{
                type plug
                slave {{ pcm "answerfile"; format S16_LE; rate {rate}; channels 1 }}
            }}
            """
        )
    )
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("ALSA_CONFIG_PATH", None)
    result = subprocess.run(
        [sys.executable, "-c", RECORD_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],  # the repository, so mockint imports
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"], report["message"]
    assert report["limit"] and report["elapsed"] == 1.5
    assert report["length"] == int(1.5 * rate)
    # The null device has no clock, so ALSA may skip ahead in the file, but every sample is
    # the tone: the level is the tone's.
    assert report["rms"] == pytest.approx(0.5 / np.sqrt(2), abs=0.02)
    assert report["level"] == pytest.approx(0.5 / np.sqrt(2), abs=0.05)
