"""kill -9 at random instants while answers are being sent: answers sent against answers stored,
for the line-based interview and for the app under a real pseudo-terminal.

    .venv/bin/python benchmarks/kill_trials.py                    # 120 plain + 100 app sends
    .venv/bin/python benchmarks/kill_trials.py --plain 40 --tui 20 --seed 7

Plain mode: each trial answers questions and follow-ups as they come, and kills the process
0-1.5 s after a randomly chosen answer (often while it is being graded). "Acknowledged" answers
are those the process printed "Saved." for; every one of them must be stored.

The app: each trial starts it on a pty, types an answer, presses ctrl+s and kills it 0-1 s
later (the model is usually still loading, so the answer is stored ungraded and graded on
resume). An answer counts as kept when it is stored, or, when the key press had not been read
yet, when it is still the saved draft that comes back in the box.

Prints, never asserts. Each plain trial loads the grading model (seconds), so this takes a
quarter of an hour on two cores.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))
sys.path.insert(2, str(ROOT / "tests" / "tui"))

from plain_app import ANSWERS, drafts, kill_trial, stored  # noqa: E402
from pty_app import send_and_kill  # noqa: E402


def plain_trials(folder: Path, sends: int, rng: random.Random) -> dict[str, int]:
    ids = list(ANSWERS)[:3]
    totals = dict(trials=0, sent=0, acknowledged=0, stored=0, ungraded=0, draft=0, lost_ack=0)
    while totals["sent"] < sends:
        trial = totals["trials"]
        db = folder / f"plain-{trial}.db"
        with open(folder / f"plain-{trial}.log", "w") as log:
            written, acked = kill_trial(db, log, rng, ids)
        rows = stored(db) if db.exists() else []
        kept = [text for _, text, _ in rows]
        totals["trials"] += 1
        totals["sent"] += len(written)
        totals["acknowledged"] += len(acked)
        totals["stored"] += len(kept)
        totals["ungraded"] += sum(not graded for _, _, graded in rows)
        totals["draft"] += sum(1 for text in drafts(db) if text and text not in kept)
        totals["lost_ack"] += sum(1 for text in acked if text not in kept)
    return totals


def tui_trials(folder: Path, sends: int, rng: random.Random) -> dict[str, int]:
    totals = dict(trials=0, sent=0, stored=0, draft=0, lost=0)
    for trial in range(sends):
        text = f"Dropout zeroes random units during training, trial {trial}."
        answers, kept_drafts = send_and_kill(
            folder / f"app-{trial}.db", folder / f"home-{trial}", text, rng.uniform(0.0, 1.0)
        )
        totals["trials"] += 1
        totals["sent"] += 1
        totals["stored"] += answers == [text]
        totals["draft"] += answers == [] and kept_drafts == [text]
        totals["lost"] += text not in answers + kept_drafts
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plain", type=int, default=120, help="answers to send in plain mode")
    parser.add_argument("--tui", type=int, default=100, help="answers to send in the app")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="mockint-kill-") as folder:
        if args.plain:
            p = plain_trials(Path(folder), args.plain, rng)
            print(
                f"plain: {p['trials']} processes killed, {p['sent']} answers sent, "
                f"{p['acknowledged']} acknowledged, {p['stored']} stored ({p['ungraded']} of "
                f"them ungraded at the kill), {p['draft']} kept only as a draft, "
                f"{p['lost_ack']} acknowledged but lost",
                flush=True,
            )
        if args.tui:
            t = tui_trials(Path(folder), args.tui, rng)
            print(
                f"app (pty): {t['trials']} processes killed, {t['sent']} answers sent, "
                f"{t['stored']} stored, {t['draft']} kept as the draft (ctrl+s not read yet), "
                f"{t['lost']} lost",
                flush=True,
            )


if __name__ == "__main__":
    main()
