"""`mockint transcribe FILE.wav [--json]`, run in-process through mockint.cli.main on real
speech synthesised by espeak-ng and the real Whisper model."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess

import pytest

from mockint.cli import main

ON_CI = bool(os.environ.get("CI"))
needs_speech = [
    pytest.mark.voice,
    pytest.mark.skipif(
        not shutil.which("espeak-ng") and not ON_CI, reason="espeak-ng is not installed"
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("faster_whisper") is None and not ON_CI,
        reason="the [voice] extra is not installed (pip install 'mockint[voice]')",
    ),
]

ANSWER = "The learning rate controls the step size. A rate that is too high makes training diverge."


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory):
    path = tmp_path_factory.mktemp("speech") / "answer.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en", "-s", "150", "-w", str(path), "--", ANSWER],
        check=True,
        capture_output=True,
    )
    return path


class TestWithSpeech:
    pytestmark = needs_speech

    def test_prints_the_transcript(self, answer_wav, capsys):
        assert main(["transcribe", str(answer_wav)]) == 0
        out = capsys.readouterr().out
        assert "learning rate" in out.lower() and "step size" in out.lower()
        assert len(out.strip().splitlines()) == 1  # just the text, ready to pipe

    def test_json_has_words_with_timestamps_and_metrics(self, answer_wav, capsys):
        assert main(["transcribe", str(answer_wav), "--json", "--language", "en"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["language"] == "en" and data["model"] == "whisper-base"
        words = data["words"]
        assert [w["word"].strip(".,").lower() for w in words[:3]] == ["the", "learning", "rate"]
        assert all(w["start"] <= w["end"] for w in words)
        assert words[-1]["end"] <= data["duration_s"] + 0.1
        metrics = data["metrics"]
        # Whisper may split or merge a word of espeak's robotic voice ("drop out"), no more.
        assert abs(metrics["words"] - len(ANSWER.split())) <= 2
        assert metrics["long_pauses"] == 0
        assert metrics["wpm"] > 0


def test_bad_audio_is_one_line_and_exit_code_2(tmp_path, capsys):
    notes = tmp_path / "notes.wav"
    notes.write_text("not audio")
    assert main(["transcribe", str(notes)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mockint: error: ") and "not a WAV file" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_file(tmp_path, capsys):
    assert main(["transcribe", str(tmp_path / "gone.wav")]) == 2
    assert "gone.wav: no such file" in capsys.readouterr().err


def test_help_describes_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["transcribe", "--help"])
    out = capsys.readouterr().out
    assert "--json" in out and "timestamps" in out and "mockint[voice]" in out
