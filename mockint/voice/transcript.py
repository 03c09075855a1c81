"""What transcription returns: the text, its language and when each word was said."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class Word(_Model):
    """One recognised word (for Chinese: one or a few characters) with its timing."""

    word: str
    """The word as written, without surrounding spaces; punctuation stays attached ("size.")."""
    start: float
    """Seconds from the start of the clip."""
    end: float
    """Seconds from the start of the clip."""
    probability: float = 1.0
    """The model's confidence in this word (0-1)."""


class Segment(_Model):
    """A stretch of speech the model transcribed in one go (roughly a sentence)."""

    start: float
    end: float
    text: str


class Transcript(_Model):
    """A spoken answer turned into text, ready for grading and delivery metrics."""

    text: str
    """The whole transcript, as the answer text to grade or edit."""
    language: str
    """ISO 639-1 code of the spoken language (``en`` or ``zh``)."""
    language_probability: float = 1.0
    """How sure the model was of the language (1.0 when the caller chose it)."""
    duration_s: float
    """Length of the audio in seconds, silences included."""
    words: list[Word] = []
    """Every word with start and end times, in order."""
    segments: list[Segment] = []
    """The model's sentence-like pieces, in order."""
    model: str = ""
    """Which speech model produced it (``whisper-base``, or a model directory name)."""

    @property
    def speech_start_s(self) -> float:
        """When the first word starts (0 when there are no words)."""
        return self.words[0].start if self.words else 0.0

    @property
    def speech_end_s(self) -> float:
        """When the last word ends (0 when there are no words)."""
        return self.words[-1].end if self.words else 0.0
