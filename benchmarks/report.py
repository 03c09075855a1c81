"""Report speed: time to write a progress report over 10,000 answers, in each format.

    .venv/bin/python benchmarks/report.py                 # 10,000 answers, every format
    .venv/bin/python benchmarks/report.py --answers 2000 --formats html

Records the answers through the real Store (hand-made grades over the built-in bank, ~8 answers
a session over four months, 10% spoken, some follow-ups and overrides) into a temp SQLite
file, then times ``write_report`` end to end: the queries, building the report, rendering,
writing the file. Prints the best of three runs (wall and CPU seconds) against the 1 s target.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import timeit
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # the tests' hand-made grades

from handmade import make_grade  # noqa: E402

from mockint.export import write_report  # noqa: E402
from mockint.grading.models import Grade  # noqa: E402
from mockint.locations import builtin_rubrics_dir  # noqa: E402
from mockint.rubric import load_library  # noqa: E402
from mockint.store import open_store  # noqa: E402

TARGET_S = 1.0
ANSWER_TEXTS = [
    "Batch normalization normalizes each layer's inputs over the mini-batch, then a learned "
    "scale and shift restore what the layer can express. It allows higher learning rates.",
    "I think it is about making training faster and more stable, mostly.",
    "先把每层的输入在小批量上归一化为零均值和单位方差，再用可学习的 gamma 和 beta 缩放平移。",
    "Precision is TP / (TP + FP); recall is TP / (TP + FN); the F1 score is their harmonic mean, "
    "and the ROC curve plots the true positive rate against the false positive rate.",
]


def _grade(rng: random.Random, bank_id: str, question, skill: float) -> Grade:
    statuses, similarity = {}, {}
    for kp in question.key_points:
        roll = rng.random()
        statuses[kp.id] = "hit" if roll < skill else "partial" if roll < skill + 0.2 else "miss"
        similarity[kp.id] = round(rng.uniform(0.1, 0.9), 3)
    return make_grade(
        question,
        statuses,
        bank_id=bank_id,
        evidence=dict.fromkeys(statuses, "the candidate's words for it"),
        similarity=similarity,
        model="benchmark",
        feedback="Benchmark feedback.",
    )


def populate(store, library, n_answers: int, seed: int = 7) -> int:
    """Record ``n_answers`` answers through the Store; returns how many sessions it took."""
    rng = random.Random(seed)
    questions = list(library.questions())
    start = datetime(2025, 1, 6, 9, tzinfo=UTC)
    written = sessions = 0
    while written < n_answers:
        moment = start + timedelta(hours=2.3 * sessions)
        store.clock = lambda: moment  # noqa: B023 (read at each write: it follows `moment`)
        bank_id = questions[0][0].id
        session = store.start_session(mode="mock", bank_id=bank_id, language="en", client="tui")
        skill = min(0.25 + written / n_answers * 0.6, 0.9)
        for bank, question in rng.sample(questions, min(6, len(questions))):
            if written >= n_answers:
                break
            asked = store.ask(session, bank.id, question)
            moment += timedelta(minutes=rng.randint(2, 5))
            spoken = rng.random() < 0.1
            answer_id = store.record_answer(
                asked,
                rng.choice(ANSWER_TEXTS),
                _grade(rng, bank.id, question, skill),
                source="voice" if spoken else "typed",
                duration_s=rng.uniform(30, 200),
                speech={
                    "duration_s": 60.0,
                    "words": 140,
                    "wpm": rng.uniform(110, 170),
                    "filler_count": rng.randint(0, 6),
                    "fillers": {"um": 2, "like": 1},
                    "long_pauses": rng.randint(0, 2),
                    "longest_pause_s": 2.4,
                }
                if spoken
                else None,
            )
            written += 1
            if rng.random() < 0.02:
                store.set_override(answer_id, 80.0)
            if rng.random() < 0.3 and written < n_answers:
                moment += timedelta(minutes=2)
                store.record_answer(
                    asked,
                    "A follow-up answer.",
                    _grade(rng, bank.id, question, skill),
                    kind="follow_up",
                )
                written += 1
        moment += timedelta(minutes=3)
        store.end_session(session)
        sessions += 1
    store.clock = None
    return sessions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--formats", nargs="+", default=["html", "md", "csv", "json"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    library = load_library([builtin_rubrics_dir()])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(folder / "history.db")
        # Only for populating: 10,000 fsyncs would time the disk, not the report.
        store.db.execute("PRAGMA synchronous = OFF")
        began = time.perf_counter()
        sessions = populate(store, library, args.answers)
        print(
            f"recorded {args.answers:,} answers in {sessions:,} sessions through the Store "
            f"in {time.perf_counter() - began:.1f} s"
        )
        store.db.execute("PRAGMA synchronous = FULL")
        # A fixed pure-Python loop, timed here and now: when other processes share the cores it
        # slows down about as much as the report does, so comparing it across runs and machines
        # tells a busy machine from slow code.
        reference = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6
        print(f"reference: sum(range(1000)) takes {reference:.1f} us on this machine right now")
        print(f"{'format':<7}{'wall s':>8}{'cpu s':>8}{'size':>10}   vs target {TARGET_S:.0f} s")
        for fmt in args.formats:
            walls, cpus = [], []
            for _ in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                path = write_report(store, library, fmt=fmt, path=folder / f"report.{fmt}")
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            size = path.stat().st_size / 1e6
            verdict = "under" if min(walls) < TARGET_S else "OVER"
            print(
                f"{fmt:<7}{min(walls):>8.3f}{min(cpus):>8.3f}{size:>8.1f} MB   "
                f"{verdict} ({min(walls) / TARGET_S:.2f}x)"
            )
        store.close()


if __name__ == "__main__":
    main()
