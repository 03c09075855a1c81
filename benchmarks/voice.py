"""Speech-to-text speed: transcription time as a share of the audio's length, and the time from
"stop recording" to a grade on screen.

    .venv/bin/python benchmarks/voice.py              # espeak-ng clips of about 5, 15 and 45 s
    .venv/bin/python benchmarks/voice.py --repeat 3   # best of three runs per clip

Target: real-time factor (transcription seconds / audio seconds) <= 0.3 on two CPU cores.
Figures depend on what else the machine is doing; the load average is printed with them.
Needs the [voice] extra and espeak-ng. Prints, never asserts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCES = [
    "Batch normalization normalizes the activations of each layer using the mean and variance "
    "of the mini batch.",
    "It speeds up training and allows higher learning rates.",
    "Um, so, the learning rate controls the step size of gradient descent.",
    "A rate that is too high makes training diverge, and one that is too low is slow.",
    "Dropout randomly removes neurons during training, which reduces overfitting.",
    "Basically, we evaluate the model on a validation set, you know, to pick hyperparameters.",
]
CLIPS = {"short": 1, "medium": 3, "long": 9}  # how many sentences (cycled) per clip


def espeak_clip(folder: Path, name: str, sentences: int) -> Path:
    text = " ".join(SENTENCES[i % len(SENTENCES)] for i in range(sentences))
    path = folder / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(path), "--", text], check=True)
    return path


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as clip:
        return clip.getnframes() / clip.getframerate()


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def cpu_timed(function, *args, **kwargs) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): on a busy machine the wall time grows with
    the other jobs, the CPU time does not."""
    wall, cpu = time.perf_counter(), time.process_time()
    function(*args, **kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu


def transformers_logging_off() -> None:
    # The grader's model loading prints progress bars that would split the table.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per clip; the best is shown")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mockint-voice-bench-"))
    os.environ.setdefault("MOCKINT_HOME", str(work / "home"))
    from mockint.voice import load_audio, save_wav, speech_metrics, transcribe, transcribe_clip
    from mockint.voice.whisper import load_model

    print(f"cores: {len(os.sched_getaffinity(0))}, load average: {os.getloadavg()[0]:.1f}")
    transformers_logging_off()
    _, load_s = timed(load_model)
    print(f"model load (first run joins model.bin into the cache): {load_s:.2f} s\n")

    cores = len(os.sched_getaffinity(0))
    print("RTF = transcription wall time / audio time; CPU RTF = CPU time / cores / audio time,")
    print("what the wall RTF would be on an otherwise idle machine.\n")
    header = f"{'clip':<8}{'audio s':>8}  {'language detected':>26}  {'language given (en)':>26}"
    print(header)
    columns = f"{'wall s':>8}{'RTF':>9}{'CPU RTF':>9}"
    print(f"{'':<16}  {columns}  {columns}")
    ratios, cpu_ratios = [], []
    for name, count in CLIPS.items():
        clip = load_audio(espeak_clip(work, name, count))
        seconds = clip.duration_s
        row = f"{name:<8}{seconds:>8.1f}"
        for language in (None, "en"):
            wall, cpu = min(cpu_timed(transcribe_clip, clip, language) for _ in range(args.repeat))
            row += f"  {wall:>8.2f}{wall / seconds:>9.2f}{cpu / cores / seconds:>9.2f}"
            if language is None:
                ratios.append(wall / seconds)
                cpu_ratios.append(cpu / cores / seconds)
        print(row)
    print(
        f"\nmean RTF with the language detected: {np.mean(ratios):.2f} wall, "
        f"{np.mean(cpu_ratios):.2f} CPU (target <= 0.3); load average now "
        f"{os.getloadavg()[0]:.1f}"
    )

    try:
        from mockint.grading import load_grader
        from mockint.rubric import load_library
    except ImportError as exc:
        print(f"\nstop-to-grade: skipped, the grader cannot be imported ({exc})")
        return 0
    library = load_library()
    bank, question = library.find_question("batch-norm")
    grader, grader_s = timed(load_grader)
    grader.grade(question, "warm-up", bank_id=bank.id)  # as the app would have by now
    print(f"\ngrader load: {grader_s:.2f} s (done while the question is shown, not after stop)")

    # What the app does when the user stops recording: samples are in memory already.
    samples = load_audio(espeak_clip(work, "answer", 2)).samples
    start = time.perf_counter()
    save_wav(samples)
    saved = time.perf_counter()
    transcript = transcribe(samples)
    transcribed = time.perf_counter()
    metrics = speech_metrics(transcript, time_limit_s=question.time_limit)
    grade = grader.grade(question, transcript.text, bank_id=bank.id)
    graded = time.perf_counter()
    print(
        f"stop-to-grade for {len(samples) / 16000:.1f} s of speech: {graded - start:.2f} s "
        f"(save {saved - start:.2f}, transcribe {transcribed - saved:.2f}, "
        f"metrics + grade {graded - transcribed:.2f}); score {grade.score:.0f}, "
        f"{metrics.wpm:.0f} wpm, {metrics.filler_count} fillers"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
