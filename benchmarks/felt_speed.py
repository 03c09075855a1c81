"""The speed a candidate feels, as ratios against baselines measured in the same run.

    .venv/bin/python benchmarks/felt_speed.py [--runs 3]

1. First screen: `mockint` started on a pseudo-terminal (80x24) until its home screen shows,
   against a trivial Textual app timed the same way (target: at most 1.5x).
2. Model ready: the same runs until the status bar says "model ready" (the app is usable
   meanwhile), against a bare Python process that loads the same models and calls each once
   (target: at most 1.2x).
3. In-app grade: in those runs, with the model ready, a five-question mock interview answered
   with typical answers from data/graded, each timed from ctrl+s until its score is on
   screen (that answer's score, as stored: not an earlier one redrawn), against grading the
   same answers right after each run, in a fresh process whose grader is as warm as the
   app's when it says "model ready" (each model called once, every rubric text embedded;
   the warm grade benchmark's measure; target: at most 2x).
4. Cold `mockint grade` in a fresh process against the bare load (target: at most 1.15x), and
   its peak memory (target: at most 600 MiB).

Each app run has its own empty history; all share one embedding cache, filled first (as any
launch after the first finds it); both are removed at the end. Prints figures; asserts
nothing. The machine may be busy:
the ratios, measured side by side, are what to read.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRIVIAL_APP = """
from textual.app import App
from textual.widgets import Footer, Label
class Trivial(App):
    def compose(self):
        yield Label("Start")
        yield Footer()
Trivial().run()
"""

ANSWER = (
    "I would start from what the question asks and explain the main idea first, then why it "
    "matters in training, and finally what changes at inference time, with an example."
)
SCORE = re.compile(rb"\d+/100 \xc2\xb7 ")


class PtyRun:
    """A process on a pseudo-terminal whose output is read as it comes."""

    def __init__(self, argv: list[str], env: dict, size: tuple[int, int] = (80, 24)):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
            start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.output = b""

    def wait_for(self, pattern: bytes | re.Pattern, after: int = 0, timeout: float = 180.0):
        """Seconds since the spawn when ``pattern`` first shows past offset ``after`` (nan on
        timeout), and the offset just past it."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if isinstance(pattern, bytes):
                found = self.output.find(pattern, after)
                end = found + len(pattern) if found >= 0 else -1
            else:
                match = pattern.search(self.output, after)
                found, end = (match.start(), match.end()) if match else (-1, -1)
            if found >= 0:
                return time.perf_counter() - self.started, end
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break
        return float("nan"), after

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def drain(self, seconds: float) -> None:
        self.wait_for(b"\x00never\x00", len(self.output), timeout=seconds)

    def close(self) -> None:
        """SIGTERM, then read what the process still writes until it ends: a process that
        writes more than the pty buffers (a traceback) would otherwise block, and this wait
        with it, for ever. A run that ends other than by the signal is reported."""
        mark = len(self.output)
        os.killpg(self.proc.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 30
        reading = True
        while reading and self.proc.poll() is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # the terminal side is closed: nothing more to read
                    reading = False
        try:
            code = self.proc.wait(max(0.0, deadline - time.perf_counter()))
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            code = self.proc.wait()
        os.close(self.master)
        if code not in (0, 128 + signal.SIGTERM, -signal.SIGTERM):
            said = re.sub(rb"\x1b\[[0-9;?<>=]*[a-zA-Z]", b"", self.output[mark:])
            print(f"{self.proc.args[0]} ended with {code}:", file=sys.stderr)
            print(said.decode("utf-8", "replace")[-4000:], file=sys.stderr)


def asked_question(home: Path) -> str | None:
    with sqlite3.connect(home / "history.db") as db:
        row = db.execute("SELECT question_id FROM asked ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def newest_grade(home: Path) -> tuple[int, bytes] | None:
    """The newest graded answer's id and its score as the app shows it (``57/100 · ``)."""
    with sqlite3.connect(home / "history.db") as db:
        row = db.execute(
            "SELECT answer_id, score FROM grades ORDER BY answer_id DESC LIMIT 1"
        ).fetchone()
    return (row[0], f"{row[1]:.0f}/100 \u00b7 ".encode()) if row else None


def wait_for_score(run: PtyRun, home: Path, before, at: int) -> tuple[float, int]:
    """Seconds since the spawn when the score of the answer just sent shows, and the offset
    past it. A score already on screen (an earlier reply, redrawn as the conversation
    scrolls) matches the pattern too: a match counts only if it is the score of an answer
    graded since ``before`` (:func:`newest_grade` when it was sent; the app stores a grade
    before it shows it)."""
    while True:
        seen, end = run.wait_for(SCORE, at)
        if seen != seen:  # nan: timed out
            return seen, at
        newest = newest_grade(home)
        if newest is not None and newest != before:
            start = SCORE.search(run.output, at).start()
            if run.output.startswith(newest[1], start):
                return seen, end
        at = end


def app_run(mockint: str, env: dict, answers: dict[str, str], questions: int = 5) -> dict:
    """One launch of the app: first screen, model ready, then a mock interview of
    ``questions`` answered one after another, each timed from ctrl+s to its score."""
    home = Path(tempfile.mkdtemp(prefix="mockint-felt-"))
    run = PtyRun([mockint], {**env, "MOCKINT_HOME": str(home)})
    grades, graded = [], []
    try:
        first, at = run.wait_for(b"Start")
        ready, at = run.wait_for(b"model ready", at)
        run.send(b"s")  # a mock interview, from the home screen
        for number in range(1, questions + 1):
            _, at = run.wait_for(f"Q{number}/{questions}".encode(), at)
            run.drain(1.0)
            question_id = asked_question(home) or "batch-norm"
            answer = answers.get(question_id, ANSWER)
            graded.append((question_id, answer))
            run.send(answer.encode())
            # Until the answer's last word shows (every key typed is handled), then a moment
            # for the draft kept after a pause.
            last_word = re.findall(r"\w+", answer)[-1].encode()
            _, at = run.wait_for(last_word, at)
            run.drain(1.0)
            at = len(run.output)
            before = newest_grade(home)
            sent = time.perf_counter() - run.started
            run.send(b"\x13")  # ctrl+s
            scored, at = wait_for_score(run, home, before, at)
            grades.append(scored - sent)
            run.drain(0.5)
            run.send(b"\x0e")  # ctrl+n: on to the next question (past any follow-up)
        return {"first": first, "ready": ready, "grades": grades, "graded": graded}
    finally:
        run.close()
        shutil.rmtree(home, ignore_errors=True)


def trivial_run(env: dict) -> float:
    run = PtyRun([sys.executable, "-c", TRIVIAL_APP], env)
    try:
        return run.wait_for(b"Start")[0]
    finally:
        run.close()


def timed(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of a process run to its end."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *argv], capture_output=True, text=True, env=env, cwd=ROOT
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv[:4]} failed:\n{done.stderr}")
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def typical_answers() -> dict[str, list[str]]:
    """English answers of 60-110 words from our graded examples, by question (what the warm
    grade benchmark grades)."""
    answers: dict[str, list[str]] = {}
    for path in sorted((ROOT / "data" / "graded").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and row.get("language") == "en" and 60 <= len(row["answer"].split()) <= 110:
                answers.setdefault(row["question_id"], []).append(row["answer"])
    return answers


def floor_run(env: dict, graded: list[tuple[str, str]]) -> list[float]:
    """:func:`warm_grade_seconds` of one app run's answers, in a fresh process started right
    after that run: its grader is in the state of the app's (each question's first grade
    builds what the app's built at its first grade too), and the machine is as busy as it was
    during the run."""
    done = subprocess.run(
        [sys.executable, __file__, "--floor"], input=json.dumps(graded), capture_output=True,
        text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"the floor run failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def warm_grade_seconds(graded: list[tuple[str, str]]) -> list[float]:
    """For each distinct (question id, answer) the app graded: the wall time of grading it
    once in this process with a loaded, warm grader, as the warm grade benchmark of
    benchmarks/speed.py does (an answer graded a second time is partly cached, so each is
    graded once): the in-app floor, answer for answer."""
    from mockint.grading import load_grader
    from mockint.rubric import load_library

    library = load_library()
    grader = load_grader()
    # As warm as the app's grader when its status bar says "model ready": every model called
    # once (the app's loader does this) and every rubric text embedded (the app warms them
    # while the candidate reads). Without the first, the floor's first grade paid the
    # multilingual encoder's one-off build (0.7 s), which the app had paid before ctrl+s.
    grader.wake()
    grader.warm([q for _, q in library.questions()])
    floors = []
    for question_id, text in dict.fromkeys(map(tuple, graded)):
        bank, question = library.find_question(question_id)
        others = [q for q in bank.questions if q.id != question.id]
        started = time.perf_counter()
        grader.grade(question, text, bank_id=bank.id, other_questions=others)
        floors.append(time.perf_counter() - started)
    return floors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:  # one floor_run: (question id, answer) pairs in, seconds out, as JSON
        print(json.dumps(warm_grade_seconds(json.load(sys.stdin))))
        return
    # Killed (SIGTERM), it still removes its temporary homes and cache on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    cache = Path(tempfile.mkdtemp(prefix="mockint-felt-cache-"))
    try:
        measure(args.runs, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def measure(runs: int, cache: Path) -> None:
    """Every measure, with ``cache`` as the embedding cache of every process; prints them."""
    mockint = str(Path(sys.executable).parent / "mockint")
    env = {**os.environ, "TERM": "xterm-256color", "MOCKINT_CACHE_DIR": str(cache)}
    os.environ["MOCKINT_CACHE_DIR"] = str(cache)
    # speed.py's bare load: the models load_grader() loads, the ordinary way, each called once.
    from speed import BARE as bare

    grade_cmd = [mockint, "grade", "batch-norm", "--answer", ANSWER]

    # Fill the embedding cache (every bank's rubric texts) and the OS file cache once.
    subprocess.run(
        [sys.executable, "-c", "from mockint.grading import load_grader; "
         "from mockint.rubric import load_library; "
         "load_grader().warm([q for _, q in load_library().questions()])"],
        check=True, env=env, cwd=ROOT,
    )  # fmt: skip
    timed(grade_cmd, env)

    answers = typical_answers()
    one_each = {qid: texts[0] for qid, texts in answers.items()}
    apps, floors, trivials, bares, colds, rss = [], [], [], [], [], []
    for _ in range(runs):
        trivials.append(trivial_run(env))
        apps.append(app_run(mockint, env, one_each))
        floors.append(floor_run(env, apps[-1]["graded"]))
        bare_s, _ = timed([sys.executable, "-c", bare], env)
        bares.append(bare_s)
        cold_s, cold_rss = timed(grade_cmd, env)
        colds.append(cold_s)
        rss.append(cold_rss)

    med = statistics.median
    first, trivial = med(a["first"] for a in apps), med(trivials)
    ready, bare_s = med(a["ready"] for a in apps), med(bares)
    in_app = med(g for a in apps for g in a["grades"])
    first_grade = med(a["grades"][0] for a in apps)
    floor = med(f for run in floors for f in run)
    by_run = ", ".join(f"{med(a['grades']) / med(f):.2f}x" for a, f in zip(apps, floors))
    cold_s = med(colds)
    print(f"over {runs} runs (medians):")
    print(
        f"1. first screen {first:.3f} s vs trivial Textual app {trivial:.3f} s: "
        f"{first / trivial:.2f}x (target <= 1.5x)"
    )
    print(
        f"2. model ready {ready:.2f} s after start vs bare load of the same models "
        f"{bare_s:.2f} s: {ready / bare_s:.2f}x (target <= 1.2x)"
    )
    print(
        f"3. in-app grade, ctrl+s to score on screen {in_app * 1000:.0f} ms (the session's "
        f"first {first_grade * 1000:.0f} ms) vs warm grade {floor * 1000:.0f} ms: "
        f"{in_app / floor:.2f}x (target <= 2x; run by run {by_run})"
    )
    print(
        f"4. cold `mockint grade` {cold_s:.2f} s vs bare load {bare_s:.2f} s: "
        f"{cold_s / bare_s:.2f}x (target <= 1.15x); peak RSS {max(rss):.0f} MiB "
        "(target <= 600 MiB)"
    )


if __name__ == "__main__":
    main()
