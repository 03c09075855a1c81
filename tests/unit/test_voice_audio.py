"""Loading audio for the speech model: every kind of bad file gets a clear message, and
what can be converted (other sample rates, stereo, 8/24-bit, float) is converted faithfully.

The files are real WAVs written with soundfile, the standard library or sox.
"""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
from voice_helpers import needs_soundfile, needs_sox, read_wav, write_wav

from mockint import locations
from mockint.errors import UserError
from mockint.voice import (
    MAX_DURATION_S,
    SAMPLE_RATE,
    AudioError,
    VoiceError,
    VoiceUnavailable,
    load_audio,
    prepare,
    save_wav,
)

pytestmark = needs_soundfile


def _tone(freq: float, seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _peak_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


def _error(path) -> str:
    with pytest.raises(AudioError) as caught:
        load_audio(path)
    assert isinstance(caught.value, UserError)  # the CLI prints it as one line
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_not_a_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("These are my notes, not audio.\n")
    assert "not a WAV file mockint can read" in _error(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.touch()
    assert "empty (0 bytes)" in _error(path)


def test_wav_header_without_samples(tmp_path):
    path = write_wav(tmp_path / "header.wav", np.zeros(0, np.float32), 16000)
    assert "holds no audio" in _error(path)


def test_silent_recording(tmp_path):
    path = write_wav(tmp_path / "silent.wav", np.zeros(16000 * 3, np.float32), 16000)
    assert "silent (digital silence)" in _error(path)
    hum = write_wav(tmp_path / "hum.wav", _tone(50, 3, 16000, amplitude=0.001), 16000)
    assert "silent (loudest sample -60 dBFS)" in _error(hum)


def test_a_tenth_of_a_second_is_too_short(tmp_path):
    path = write_wav(tmp_path / "blip.wav", _tone(440, 0.1, 16000), 16000)
    assert "only 0.1 s long" in _error(path)


def test_thirty_minutes_is_refused_without_reading_it(tmp_path):
    # 30 minutes at 8 kHz, 8-bit: a real 14 MB file; the header alone decides.
    path = tmp_path / "lecture.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(bytes([128]) * (8000 * 30 * 60))
    message = _error(path)
    assert "30:00 long" in message and "15:00 limit" in message and "trim" in message


def test_sample_rate_too_low_for_speech(tmp_path):
    path = write_wav(tmp_path / "low.wav", _tone(300, 2, 4000), 4000)
    assert "sample rate 4000 Hz is too low" in _error(path)


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in _error(tmp_path / "nope.wav")
    assert "is a folder" in _error(tmp_path)


def test_stereo_44k_is_mixed_down_and_resampled(tmp_path):
    import soundfile

    left, right = _tone(440, 2.0, 44100), _tone(440, 2.0, 44100)
    path = tmp_path / "stereo.wav"
    soundfile.write(path, np.stack([left, right], axis=1), 44100, subtype="PCM_16")
    audio = load_audio(path)
    assert (audio.original_rate, audio.original_channels) == (44100, 2)
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert abs(audio.duration_s - 2.0) < 1e-3
    assert abs(_peak_frequency(audio.samples, SAMPLE_RATE) - 440) < 2
    rms = float(np.sqrt(np.mean(audio.samples[1000:-1000] ** 2)))
    assert abs(rms - 0.5 / np.sqrt(2)) < 0.01  # the level survives resampling


def test_downsampling_filters_out_what_16k_cannot_hold():
    # A 12 kHz tone cannot exist at 16 kHz; without the low-pass it would fold to 4 kHz.
    rate = 48000
    mixed = _tone(1000, 1.0, rate, 0.3) + _tone(12000, 1.0, rate, 0.3)
    out = prepare(mixed, rate).samples
    spectrum = np.abs(np.fft.rfft(out * np.hanning(len(out))))
    freqs = np.fft.rfftfreq(len(out), 1 / SAMPLE_RATE)
    at = lambda hz: spectrum[np.argmin(np.abs(freqs - hz))]  # noqa: E731
    assert at(4000) < at(1000) / 100  # the alias is at least 40 dB down


@needs_sox
@pytest.mark.parametrize(
    ("options", "label"),
    [
        (["-b", "8"], "8-bit"),
        (["-b", "24"], "24-bit"),
        (["-e", "floating-point", "-b", "32"], "float"),
    ],
)
def test_other_sample_formats_load(tmp_path, options, label):
    source = write_wav(tmp_path / "tone.wav", _tone(440, 1.0, 22050), 22050)
    converted = tmp_path / f"{label}.wav"
    subprocess.run(["sox", str(source), *options, str(converted)], check=True)
    audio = load_audio(converted)
    assert abs(audio.duration_s - 1.0) < 1e-3
    assert abs(float(np.max(np.abs(audio.samples))) - 0.5) < 0.02


def test_prepare_scales_integer_samples_and_refuses_nan():
    pcm = (_tone(440, 1.0, 16000) * 32767).astype(np.int16)
    assert abs(float(np.max(prepare(pcm, 16000).samples)) - 0.5) < 0.01
    broken = _tone(440, 1.0, 16000)
    broken[100] = np.nan
    with pytest.raises(AudioError, match="NaN"):
        prepare(broken, 16000)
    with pytest.raises(AudioError, match="the recording: the audio is empty"):
        prepare(np.zeros(0, np.float32), 16000)


def test_limits_are_sane():
    assert MAX_DURATION_S < 30 * 60  # the "30 minutes" case is refused


def test_save_wav_goes_to_the_recordings_dir_and_reads_back():
    samples = _tone(440, 1.5, SAMPLE_RATE)
    path = save_wav(samples)
    assert path.parent == locations.recordings_dir() and path.suffix == ".wav"
    data, rate = read_wav(path)
    assert rate == SAMPLE_RATE and len(data) == len(samples)
    assert np.max(np.abs(data - samples)) < 1e-3


def test_missing_soundfile_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "soundfile", None)  # import soundfile -> ImportError
    with pytest.raises(VoiceUnavailable) as caught:
        load_audio(tmp_path / "answer.wav")
    assert isinstance(caught.value, VoiceError)
    assert "pip install 'mockint[voice]'" in str(caught.value)


def test_importing_voice_is_light_and_textual_free():
    code = (
        "import sys, mockint.voice, mockint.commands.transcribe\n"
        "heavy = {'textual', 'faster_whisper', 'ctranslate2', 'sounddevice', 'soundfile'}\n"
        "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n"
    )
    repository = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repository
    )
    assert out.stdout.strip() == "[]"
