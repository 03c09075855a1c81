"""Voice errors: each is a :class:`~mockint.errors.UserError`, so the CLI shows one clear line."""

from __future__ import annotations

from mockint.errors import UserError

INSTALL_HINT = "pip install 'mockint[voice]'"


class VoiceError(UserError):
    """A spoken answer could not be used: bad audio, no speech, no model, no microphone."""


class VoiceUnavailable(VoiceError):
    """The [voice] extra, the speech model or the audio library is missing.

    Callers that offer voice as an option (the TUI's record key) catch this one to say so once
    and carry on with typing.
    """


class AudioError(VoiceError):
    """The audio itself is unusable: not a WAV, empty, silent, too short or too long."""


class NoSpeechError(VoiceError):
    """The audio is fine but the model heard no words in it."""


def missing_extra(what: str) -> VoiceUnavailable:
    """The error for an uninstalled optional package, naming the command that fixes it."""
    return VoiceUnavailable(
        f"{what} is not installed; spoken answers need: {INSTALL_HINT}",
        reason="voice_missing",
        package=what.split()[0],
        install=INSTALL_HINT,
    )
