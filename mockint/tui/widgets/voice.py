"""Speaking an answer: a record toggle with elapsed time and a level meter, offline transcription
in a worker, and the transcript handed to the screen to edit before sending.

Voice is optional (``mockint[voice]`` and a microphone). When it cannot work, the widget says so
once and typing carries on.
"""

from __future__ import annotations

import contextlib
from typing import Any

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label
from textual.worker import Worker

from mockint.tui import words
from mockint.tui.widgets.countdown import format_clock

_METER = " ▁▂▃▄▅▆▇█"


class VoiceInput(Label):
    """The recording indicator next to the question timer (empty when idle)."""

    class Transcribed(Message):
        """A recording was transcribed; ``text`` goes into the answer box."""

        def __init__(self, voice: VoiceInput, text: str) -> None:
            super().__init__()
            self.voice = voice
            self.text = text

        @property
        def control(self) -> VoiceInput:
            return self.voice

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._recorder: Any = None
        self._timer: Timer | None = None
        self._unavailable: object | None = None
        self._told = False
        self._last_text: str | None = None
        self._last_speech: dict | None = None
        self.time_limit: float | None = None
        self.language: str | None = None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker_state(event)

    def on_unmount(self) -> None:
        # Leaving the screen mid-recording must not leave the microphone open.
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            with contextlib.suppress(Exception):
                recorder.stop()

    @property
    def recording(self) -> bool:
        return self._recorder is not None

    def toggle(self) -> None:
        """Start recording, or stop and transcribe."""
        if self.recording:
            self._stop()
        elif self._unavailable is not None:
            self._say_unavailable(self._unavailable)
        else:
            self.update(self._say("voice_starting"))
            self._start()

    @work(thread=True, exclusive=True, exit_on_error=False, group="voice", name="record")
    def _start(self) -> None:
        try:
            from mockint.voice import Recorder, VoiceError, microphone_status, preload
        except ImportError as exc:
            message = self._say("voice_not_installed", error=exc)
            self.app.call_from_thread(self._mark_unavailable, message)
            return
        ok, message = microphone_status()
        if not ok:
            self.app.call_from_thread(self._mark_unavailable, message)
            return
        recorder = Recorder()
        try:
            recorder.start()
        except VoiceError as exc:
            self.app.call_from_thread(self._mark_unavailable, exc)
            return
        # The speech model loads while the candidate talks, not after.
        preload()
        self.app.call_from_thread(self._started, recorder)

    def _started(self, recorder: Any) -> None:
        self._recorder = recorder
        self.add_class("-recording")
        self._timer = self.set_interval(0.2, self._tick)
        self._tick()

    def _tick(self) -> None:
        recorder = self._recorder
        if recorder is None:
            return
        level = max(0.0, min(1.0, float(recorder.level) * 4))
        meter = _METER[int(level * (len(_METER) - 1))]
        self.update(
            self._say("voice_recording", clock=format_clock(recorder.elapsed_s), meter=meter)
        )

    def _stop(self) -> None:
        recorder, self._recorder = self._recorder, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.remove_class("-recording")
        self.update(self._say("voice_transcribing"))
        self._transcribe(recorder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="voice", name="transcribe")
    def _transcribe(self, recorder: Any) -> None:
        from mockint.voice import save_wav, speech_metrics, transcribe

        try:
            samples = recorder.stop()
            save_wav(samples)
            transcript = transcribe(samples, language=self.language)
        except Exception:
            self.app.call_from_thread(self.update, "")
            raise
        metrics = speech_metrics(transcript, time_limit_s=self.time_limit)
        self.app.call_from_thread(self._transcribed, transcript.text, metrics.as_dict())

    def _transcribed(self, text: str, speech: dict) -> None:
        self.update("")
        self._last_text = text.strip()
        self._last_speech = speech
        self.post_message(self.Transcribed(self, text.strip()))

    def _mark_unavailable(self, message: object) -> None:
        self._unavailable = message
        self.update("")
        self._say_unavailable(message)

    def _say_unavailable(self, message: object) -> None:
        """Say once why voice cannot work (an error or notice of :mod:`mockint.voice`, in the
        screen's language), and that typing does."""
        if not self._told:
            self._told = True
            text = words.explained(self._language, message)
            # The English of the voice module may say so already; its translations never do.
            if "typ" not in text:
                text += self._say("voice_typing")
            title = self._say("voice_unavailable")
            self.notify(text, title=title, severity="warning", timeout=8)

    @property
    def _language(self) -> str:
        """The language of the screen's own words (the widget's ``language`` is the one
        spoken, for the transcriber)."""
        return getattr(self.screen, "language", "en")

    def _say(self, key: str, **values: object) -> str:
        return words.line(self._language, key, **values)

    def source_for(self, text: str) -> str:
        """``voice`` when ``text`` is (an edit of) the last transcript, else ``typed``."""
        if self._last_text and self._last_text[:40] in text:
            return "voice"
        return "typed"

    def speech_for(self, text: str) -> dict | None:
        """The delivery metrics of the last recording, when ``text`` came from it."""
        return self._last_speech if self.source_for(text) == "voice" else None

    def forget(self) -> None:
        """The answer was sent: the next one starts with no recording."""
        self._last_text = None
        self._last_speech = None
