"""Long spoken answers made with espeak-ng, whose words and pauses are known, and the word error
rate of a transcript against them. Shared by the long-audio tests and ``benchmarks/long_audio.py``.

    answer = spoken_answer(folder, minutes=2)          # a WAV, its text, its pauses
    word_error_rate(answer.text, transcript.text)     # 0.03
"""

from __future__ import annotations

import re
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Plain interview English: no digits, symbols or abbreviations, whose written form a recogniser
# may legitimately choose differently from the reference.
SENTENCES = [
    "Batch normalization normalizes the activations of each layer over the mini batch.",
    "It subtracts the batch mean and divides by the batch standard deviation.",
    "Then a learned scale and shift let the network undo the normalization when it helps.",
    "Training becomes faster and more stable, and higher learning rates become possible.",
    "The learning rate controls how large a step gradient descent takes.",
    "When the rate is too high the loss oscillates or diverges.",
    "When the rate is too low training is slow and can stall on a plateau.",
    "A common remedy is a schedule that lowers the rate as training goes on.",
    "Overfitting means the model learns the noise of the training data.",
    "It then does well on the training set and badly on new examples.",
    "We reduce it with more data, simpler models, regularization and early stopping.",
    "Dropout switches off random neurons during training.",
    "That keeps neurons from relying on each other too much.",
    "At test time every neuron is used and the outputs are scaled to match.",
    "The bias and variance trade off describes two ways a model can fail.",
    "High bias means the model is too simple and underfits.",
    "High variance means the model is too flexible and overfits.",
    "A validation set tells us which of the two problems we have.",
    "An epoch is one full pass over the training data.",
    "An iteration is one update of the weights on a single batch.",
    "Smaller batches give noisier gradients but often generalize better.",
    "Activation functions make the network able to represent curved decision boundaries.",
    "The rectified linear unit is cheap and does not saturate for positive inputs.",
    "The sigmoid squashes values and its gradient vanishes for large inputs.",
    "Hyperparameters are chosen before training rather than learned from the data.",
    "We search them on the validation set and report the final score on the test set.",
    "Feature scaling puts every input on a similar range.",
    "Gradient descent then converges faster because the loss surface is less stretched.",
    "Precision is the share of predicted positives that are really positive.",
    "Recall is the share of real positives that the model finds.",
]
RATE = 22_050
"""espeak-ng writes 22.05 kHz mono 16-bit WAVs."""
WORDS_PER_MINUTE = 150


@dataclass(frozen=True)
class SpokenAnswer:
    path: Path
    text: str
    """Every word said, in order."""
    duration_s: float
    pauses: list[tuple[float, float]]
    """The silences of ``pause_s`` put between paragraphs: (start, end) in seconds."""
    speaking_s: float
    """From the first word's start to the last word's end (approximately: espeak's own
    leading and trailing silence is a few tens of milliseconds)."""


def _say(text: str, path: Path) -> np.ndarray:
    subprocess.run(
        ["espeak-ng", "-v", "en", "-s", str(WORDS_PER_MINUTE), "-w", str(path), "--", text],
        check=True,
        capture_output=True,
    )
    with wave.open(str(path)) as clip:
        data = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2")
    return data


def spoken_answer(
    folder: Path,
    minutes: float,
    *,
    paragraph: int = 6,
    pause_s: float = 3.0,
    name: str | None = None,
) -> SpokenAnswer:
    """An answer about ``minutes`` long: the sentences above in turn, ``paragraph`` sentences
    per paragraph, with ``pause_s`` of silence between paragraphs."""
    folder.mkdir(parents=True, exist_ok=True)
    pieces: list[np.ndarray] = []
    said: list[str] = []
    pauses: list[tuple[float, float]] = []
    total = 0
    index = 0
    silence = np.zeros(int(pause_s * RATE), dtype="<i2")
    scratch = folder / "_paragraph.wav"
    while total < minutes * 60 * RATE:
        if pieces:
            pauses.append((total / RATE, (total + len(silence)) / RATE))
            pieces.append(silence)
            total += len(silence)
        text = " ".join(SENTENCES[(index + i) % len(SENTENCES)] for i in range(paragraph))
        index += paragraph
        audio = _say(text, scratch)
        pieces.append(audio)
        said.append(text)
        total += len(audio)
    scratch.unlink(missing_ok=True)
    path = folder / (name or f"answer-{minutes:g}min.wav")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(np.concatenate(pieces).tobytes())
    duration = total / RATE
    return SpokenAnswer(path, " ".join(said), duration, pauses, duration)


def words_of(text: str) -> list[str]:
    """Lower-case words, punctuation and hyphens dropped ("mini-batch" is "mini batch")."""
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower().replace("-", " "))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by edit distance."""
    ref, hyp = words_of(reference), words_of(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, other in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        previous = current
    return previous[-1] / max(len(ref), 1)
