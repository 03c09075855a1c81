"""Long spoken answers: transcription cost, memory and completeness for 2-, 5- and 10-minute
answers made with espeak-ng (paragraphs of known sentences with 3-second pauses between them).

    .venv/bin/python benchmarks/long_audio.py                  # 2, 5 and 10 minutes
    .venv/bin/python benchmarks/long_audio.py --minutes 10     # one length

For each answer, in a fresh process (so peak memory is that answer's): the real-time factor
(transcription seconds / audio seconds; target <= 0.3 on two cores), the peak resident memory
(target <= 1.2 GB), the word error rate against the known text and the share of the spoken words
found in order (word recall; target >= 95%), the long pauses found against those put in, and the
words per minute measured against the known figure. Figures depend on what else the machine is
doing; the load average is printed with them. Needs the [voice] extra and espeak-ng. Prints,
never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # the spoken-answer helper shared with the tests

from spoken import spoken_answer, word_error_rate, words_of  # noqa: E402


def word_recall(reference: str, hypothesis: str) -> float:
    """The share of the reference's words that the transcript has, in order (longest common
    subsequence): what was lost, whatever was misheard or added."""
    ref, hyp = words_of(reference), words_of(hypothesis)
    previous = [0] * (len(hyp) + 1)
    for word in ref:
        current = [0]
        for j, other in enumerate(hyp, start=1):
            current.append(previous[j - 1] + 1 if word == other else max(previous[j], current[-1]))
        previous = current
    return previous[-1] / max(len(ref), 1)


def measure(wav: str) -> dict:
    """Transcribe one file in this process; the figures as a dict (run in a child process)."""
    from mockint.voice import load_model, speech_metrics, transcribe

    load_model()  # the model load is not the answer's cost
    started = time.perf_counter()
    cpu = time.process_time()
    transcript = transcribe(wav, language="en")
    wall = time.perf_counter() - started
    metrics = speech_metrics(transcript)
    return {
        "wall_s": wall,
        "cpu_s": time.process_time() - cpu,
        "duration_s": transcript.duration_s,
        "text": transcript.text,
        "long_pauses": metrics.long_pauses,
        "pauses": [(p.start, p.end) for p in metrics.pauses],
        "wpm": metrics.wpm,
        "fillers": metrics.filler_count,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(wav: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(wav)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "TQDM_DISABLE": "1"},
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[2, 5, 10])
    parser.add_argument("--measure", metavar="WAV", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(
        f"{'answer':>8} {'audio':>7} {'RTF':>5} {'CPU RTF':>7} {'peak RSS':>9} {'WER':>6} "
        f"{'recall':>6} {'pauses':>7} {'wpm':>11} {'fillers':>7}"
    )
    with tempfile.TemporaryDirectory(prefix="mockint-long-audio-") as folder:
        for minutes in args.minutes:
            answer = spoken_answer(Path(folder), minutes)
            got = run_child(answer.path)
            words = len(words_of(answer.text))
            expected_wpm = words / (answer.speaking_s / 60)
            pauses = f"{got['long_pauses']}/{len(answer.pauses)}"
            rtf, cpu_rtf = (got[key] / got["duration_s"] for key in ("wall_s", "cpu_s"))
            print(
                f"{minutes:>6g} m {got['duration_s']:>6.0f}s "
                f"{rtf:>5.2f} {cpu_rtf:>7.2f} "
                f"{got['peak_rss_mb']:>6.0f} MB {word_error_rate(answer.text, got['text']):>6.1%} "
                f"{word_recall(answer.text, got['text']):>6.1%} {pauses:>7} "
                f"{got['wpm']:>5.0f}/{expected_wpm:<5.0f} {got['fillers']:>7}",
                flush=True,
            )
            answer.path.unlink()
    print("targets: RTF <= 0.3, peak RSS <= 1200 MB, recall >= 95%; pauses found/put in; ")
    print("wpm measured/known (known: the text's words over the clip's length, pauses included)")


if __name__ == "__main__":
    main()
