"""How fast the history is at 10,000, 50,000 and 100,000 graded answers.

    .venv/bin/python benchmarks/store.py                        # 10k, 50k and 100k answers
    .venv/bin/python benchmarks/store.py --answers 50000 --keep /tmp/big.db
    .venv/bin/python benchmarks/store.py --answers 50000 --only next-cold next-warm
    .venv/bin/python benchmarks/store.py --history /tmp/big.db --only next-cold   # no rewrite

Writes the answers through ``Store.record_answer`` (one transaction each, the way the app does)
with realistic hand-made grades on the built-in questions: every key point with a status,
similarity and evidence, some misconceptions, some follow-ups, spoken answers and overrides,
spread over years of sessions. Then times opening the database (with its integrity check),
the history queries and a full progress aggregation in this process, and the commands a person
runs, each as its own ``python -m mockint`` process (wall time and peak memory): ``next`` cold
(a database never scheduled, no cache) and warm, ``history``, and a report in every format.
Every figure is printed as a ratio to its target (issue 15: ``next`` and ``history`` 1 s,
reports 5 s and 500 MiB) and, with several sizes, its cost per answer as a ratio to the
smallest size's (1.00 or less: linear or better); a fixed pure-Python loop timed in the same
run tells a busy machine from slow code. Asserts nothing on time.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # the tests' hand-made grades and clock

from handmade import Clock, make_grade  # noqa: E402

from mockint.grading.models import Grade  # noqa: E402
from mockint.progress import progress  # noqa: E402
from mockint.rubric import load_library  # noqa: E402
from mockint.store import open_store  # noqa: E402

TARGET_S = 1.0
REPORT_TARGET_S = 5.0
REPORT_TARGET_MIB = 500


def fake_grade(bank_id: str, question, rng: random.Random) -> Grade:
    """A grade shaped like the grader's, with random statuses."""
    statuses, credit, evidence, similarity = {}, {}, {}, {}
    for kp in question.key_points:
        status = rng.choices(["hit", "partial", "miss"], weights=[5, 2, 3])[0]
        statuses[kp.id] = status
        partial = rng.uniform(0.3, 0.7)
        credit[kp.id] = round({"hit": 1.0, "partial": partial, "miss": 0.0}[status], 3)
        if status != "miss":
            evidence[kp.id] = kp.text.get("en")[: rng.randint(40, 120)]
        similarity[kp.id] = round(rng.uniform(0.2, 0.9), 3)
    wrong = {mc.id: mc.text.get("en") for mc in question.misconceptions if rng.random() < 0.1}
    return make_grade(
        question,
        statuses,
        bank_id=bank_id,
        evidence=evidence,
        similarity=similarity,
        credit=credit,
        misconceptions=wrong,
        model="benchmark",
        feedback="A benchmark grade. " * 8,
    )


def fill(path: Path, total: int, seed: int = 7) -> tuple[float, int]:
    """Write ``total`` graded answers; returns (seconds, sessions)."""
    rng = random.Random(seed)
    library = load_library()
    questions = list(library.questions())
    clock = Clock(datetime(2025, 1, 1, 8, 0, tzinfo=UTC))
    store = open_store(path, clock=clock)
    # Seeding only: skip the fsync per commit (each answer is still its own transaction).
    # The per-answer cost at the real setting (synchronous=FULL) is measured separately.
    store.db.execute("PRAGMA synchronous = NORMAL")
    written = sessions = 0
    started = time.perf_counter()
    while written < total:
        clock.now += timedelta(hours=rng.randint(6, 30))
        sid = store.start_session(mode="mock", bank_id=None, language="en", client="bench")
        sessions += 1
        for bank, question in rng.sample(questions, k=min(8, len(questions))):
            if written >= total:
                break
            clock.now += timedelta(minutes=3)
            asked = store.ask(sid, bank.id, question)
            grade = fake_grade(bank.id, question, rng)
            spoken = rng.random() < 0.2
            speech = (
                {
                    "duration_s": 60.0,
                    "words": 150,
                    "wpm": 150.0,
                    "filler_count": 4,
                    "fillers_json": '{"um": 3, "like": 1}',
                    "long_pauses": 1,
                    "longest_pause_s": 2.5,
                }
                if spoken
                else None
            )
            answer = store.record_answer(
                asked,
                "An answer of a typical length. " * 12,
                grade,
                source="voice" if spoken else "typed",
                duration_s=rng.uniform(30, 180),
                speech=speech,
            )
            written += 1
            if rng.random() < 0.05:
                store.set_override(answer, rng.choice([40.0, 70.0, 90.0]))
            if grade.follow_up and written < total and rng.random() < 0.3:
                follow = fake_grade(bank.id, question, rng)
                store.record_answer(asked, "A follow-up answer.", follow, kind="follow_up")
                written += 1
        store.end_session(sid)
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed, sessions


def commit_latency(path: Path, n: int = 100) -> list[float]:
    """Per-answer write time with the store's real durability settings."""
    rng = random.Random(1)
    library = load_library()
    bank, question = next(library.questions())
    store = open_store(path)
    sid = store.start_session(mode="mock", client="bench")
    times = []
    for _ in range(n):
        asked = store.ask(sid, bank.id, question)
        grade = fake_grade(bank.id, question, rng)
        start = time.perf_counter()
        store.record_answer(asked, "A timed answer.", grade)
        times.append(time.perf_counter() - start)
    store.delete_session(sid)
    store.close()
    return times


def timed(label: str, fn, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    flag = "ok" if best < TARGET_S else "SLOW"
    print(f"  {label:<44} {best * 1000:8.1f} ms  {flag}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--keep", type=Path, help="write the database here and keep it (one size)")
    parser.add_argument("--no-commands", action="store_true", help="skip the command timings")
    parser.add_argument(
        "--only", nargs="+", choices=COMMANDS, help="time only these commands (no query timings)"
    )
    parser.add_argument(
        "--history", type=Path, help="time the commands over this database (one kept with --keep)"
    )
    args = parser.parse_args()
    if args.keep and len(args.answers) > 1:
        parser.error("--keep takes one --answers size")
    if args.history:
        with tempfile.TemporaryDirectory(prefix="mockint-bench-") as folder:
            with closing(sqlite3.connect(f"file:{args.history}?mode=ro", uri=True)) as db:
                (answers,) = db.execute("SELECT count(*) FROM answers").fetchone()
            time_commands(args.history, answers, Path(folder), args.only)
        return 0

    reference = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6
    print(f"reference: sum(range(1000)) takes {reference:.1f} us on this machine right now")
    commands: dict[int, dict[str, tuple[float, float]]] = {}
    for answers in args.answers:
        with tempfile.TemporaryDirectory(prefix="mockint-bench-") as folder:
            path = args.keep or Path(folder) / "history.db"
            if path.exists():
                path.unlink()
            if args.only:
                print(f"Writing {answers:,} graded answers ...")
                fill(path, answers)
            else:
                run(path, answers)
            if not args.no_commands:
                commands[answers] = time_commands(path, answers, Path(folder), args.only)
    if len(commands) > 1:
        growth(commands)
    return 0


# Runs mockint's command line, then writes the process's peak resident memory (VmHWM: its own,
# unlike ru_maxrss, which a child inherits from the parent that forked it) to a file.
_MEASURED = """
import atexit, sys
from pathlib import Path

def peak():
    status = Path("/proc/self/status").read_text()
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    Path(sys.argv[1]).write_text(kib)

atexit.register(peak)
from mockint.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _command(argv: list[str], env: dict[str, str], folder: Path) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of one mockint command in a process of its own."""
    peak = folder / "peak"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(peak), *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"mockint {' '.join(argv)} failed ({done.returncode}): {done.stderr}")
    return wall, int(peak.read_text()) / 1024


COMMANDS = ("next-cold", "next-warm", "history", "report")


def time_commands(
    path: Path, answers: int, folder: Path, only: list[str] | None = None
) -> dict[str, tuple[float, float]]:
    """Time the commands over a copy of the database never scheduled, with a fresh data and
    cache dir (cold), then again (warm); returns (seconds, MiB) by label. ``only``: these
    of :data:`COMMANDS` (next-warm runs after an untimed cold one if next-cold is not timed)."""
    db = folder / "commands.db"
    shutil.copyfile(path, db)
    # The copy sits in the page cache, unwritten: the first fsync of the file (the checkpoint
    # at the end of the cold run) would write all of it, 0.14 s at 50,000 answers, which a
    # history written answer by answer never costs. Written out here, untimed.
    with db.open("rb") as copy:
        os.fsync(copy.fileno())
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "MOCKINT_HOME": str(folder / "home"),
        "MOCKINT_CACHE_DIR": str(folder / "cache"),
    }
    out = folder / "report"
    runs = [
        ("next-cold", "next (cold: first schedule, no cache)", ["next", "--db", str(db)], 1),
        ("next-warm", "next (warm, best of 3)", ["next", "--db", str(db)], 3),
        ("history", "history (best of 3)", ["history", "--db", str(db)], 3),
    ] + [
        (
            "report",
            f"report --format {fmt}",
            ["report", "--db", str(db), "-f", fmt, "-o", f"{out}.{fmt}"],
            1,
        )
        for fmt in ("html", "md", "csv", "json")
    ]
    if only:
        if "next-cold" not in only:
            _command(runs[0][2], env, folder)  # the first schedule, not timed
        runs = [entry for entry in runs if entry[0] in only]
    print(f"Commands over {answers:,} answers, each its own process (time and peak memory):")
    results = {}
    for _name, label, argv, repeat in runs:
        wall, mib = min(_command(argv, env, folder) for _ in range(repeat))
        report = label.startswith("report")
        target = REPORT_TARGET_S if report else TARGET_S
        memory = f"{mib:6.0f} MiB" + (f" ({mib / REPORT_TARGET_MIB:.2f}x)" if report else "")
        flag = "ok" if wall <= target and (not report or mib <= REPORT_TARGET_MIB) else "OVER"
        ratio = f"({wall / target:.2f}x of {target:.0f} s)"
        print(f"  {label:<40} {wall:6.2f} s {ratio} {memory} {flag}")
        results[label] = (wall, mib)
    return results


def growth(commands: dict[int, dict[str, tuple[float, float]]]) -> None:
    """Each command's time per answer, as a ratio to the smallest size's."""
    sizes = sorted(commands)
    base = sizes[0]
    print(f"Growth: time per answer relative to {base:,} answers (1.00 = linear, below: better)")
    print(f"  {'':<40}" + "".join(f"{size:>10,}" for size in sizes[1:]))
    for label in commands[base]:
        ratios = [
            (commands[size][label][0] / size) / (commands[base][label][0] / base)
            for size in sizes[1:]
        ]
        print(f"  {label:<40}" + "".join(f"{ratio:>10.2f}" for ratio in ratios))


def run(path: Path, answers: int) -> None:
    """Fill a database at ``path`` with ``answers`` answers, then time the queries."""
    print(f"Writing {answers:,} graded answers to {path} ...")
    seconds, sessions = fill(path, answers)
    size_mb = path.stat().st_size / 1e6
    print(
        f"  written in {seconds:.1f} s ({seconds / answers * 1000:.2f} ms per answer, "
        f"synchronous=NORMAL); {sessions:,} sessions; file {size_mb:.1f} MB"
    )
    latency = commit_latency(path)
    print(
        f"  one answer at synchronous=FULL (the app's setting): median "
        f"{statistics.median(latency) * 1000:.1f} ms, max {max(latency) * 1000:.1f} ms"
    )

    library = load_library()
    print(f"Queries over {answers:,} answers (best of 3, target < {TARGET_S:.0f} s):")
    store = timed("open_store (its integrity check remembered)", lambda: open_store(path))
    sessions_rows = timed("store.sessions()  (mockint history)", store.sessions)
    latest = max(sessions_rows[:5], key=lambda s: s["n_answers"] + s["n_follow_ups"])["id"]
    timed("store.session_answers(id)  (history ID)", lambda: store.session_answers(latest))
    rows = timed("store.answers()  (every answer, flat)", store.answers)
    timed(
        "store.answers(since=...)  (last 30 days)",
        lambda: store.answers(
            since=datetime.fromisoformat(rows[-1]["created_at"]) - timedelta(days=30)
        ),
    )
    timed("store.unfinished_sessions()", store.unfinished_sessions)
    report = timed("progress(store, library)  (full aggregation)", lambda: progress(store, library))
    print(
        f"  -> {report.totals.answers:,} attempts, {report.totals.follow_ups:,} follow-ups, "
        f"{len(report.questions)} questions, {len(report.topics)} topics, "
        f"mean {report.totals.mean_score:.1f}, {len(report.weakest)} weak key points"
    )
    store.close()


if __name__ == "__main__":
    raise SystemExit(main())
