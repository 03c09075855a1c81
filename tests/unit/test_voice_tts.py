"""Reading questions aloud: espeak-ng in the background when installed, silence otherwise."""

from __future__ import annotations

import pytest
from voice_helpers import needs_espeak

from mockint.voice import speak, stop_speaking, tts, tts_available


@needs_espeak
def test_speak_starts_espeak_without_waiting_and_can_be_interrupted():
    assert tts_available()
    long_question = "Explain batch normalization. " * 40
    process = speak(long_question, "en")
    assert process is not None
    assert process.args[:3] == [process.args[0], "-v", "en-us"]
    assert process.args[-1] == long_question  # passed as one argument, after "--"
    assert process.args[-2] == "--"
    stop_speaking()
    assert process.poll() is not None  # ended, not left reading on its own


@needs_espeak
def test_a_new_question_interrupts_the_previous_one():
    first = speak("What is the bias variance trade off? " * 40, "en")
    second = speak("什么是批量归一化？", "zh")
    assert first.poll() is not None
    assert second.args[2] == "cmn-latn-pinyin"
    stop_speaking()


def test_without_espeak_speaking_is_a_no_op(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: no espeak-ng
    assert not tts_available()
    assert speak("Hello", "en") is None
    stop_speaking()  # nothing to stop, nothing raised


@pytest.mark.parametrize("text", ["", "   "])
def test_nothing_to_say_starts_nothing(text):
    assert tts.speak(text) is None
