"""The interviewer's voice: read a question aloud with espeak-ng when it is installed.

Optional and best-effort: without espeak-ng (or without a sound device) nothing happens and
nothing fails. Speaking never blocks; a new question interrupts the one still being read.
"""

from __future__ import annotations

import shutil
import subprocess
import threading

# espeak-ng voices per question language. Debian's "cmn" voice reads Chinese characters as
# English-spelled pinyin ("ni three"); "cmn-latn-pinyin" pronounces them as Mandarin.
VOICES = {"en": "en-us", "zh": "cmn-latn-pinyin"}
WORDS_PER_MINUTE = 160

_lock = threading.Lock()
_current: subprocess.Popen | None = None


def tts_available() -> bool:
    """Whether :func:`speak` can make a sound (espeak-ng is on the PATH)."""
    return shutil.which("espeak-ng") is not None


def speak(text: str, language: str = "en") -> subprocess.Popen | None:
    """Start reading ``text`` aloud and return at once; None when espeak-ng is not installed.

    Stops whatever is still being read first. The returned process can be waited on or
    stopped with :func:`stop_speaking`.
    """
    global _current
    program = shutil.which("espeak-ng")
    if program is None or not text.strip():
        return None
    voice = VOICES.get(language.split("-")[0].lower(), VOICES["en"])
    stop_speaking()
    try:
        process = subprocess.Popen(
            # "--" so a question starting with "-" is not read as an option.
            [program, "-v", voice, "-s", str(WORDS_PER_MINUTE), "--", text],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # ALSA complaints when there is no sound card
        )
    except OSError:
        return None
    with _lock:
        _current = process
    return process


def stop_speaking() -> None:
    """Interrupt the question being read, if any."""
    global _current
    with _lock:
        process, _current = _current, None
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
