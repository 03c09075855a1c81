"""How long `mockint` (no command) takes to show its first screen, and how long the grading
model then takes to be ready in the background. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/tui_startup.py [--runs 5]

Each run is a fresh process: interpreter start, imports, library load, first paint (headless).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time
start = time.perf_counter()
from mockint.cli import build_parser
from mockint.tui import app as tui_app

marks = {}

class Timed(tui_app.MockintApp):
    CSS_PATH = str(__import__("pathlib").Path(tui_app.__file__).parent / "app.tcss")

    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self._first_paint)

    def _first_paint(self):
        marks["first_screen_s"] = time.perf_counter() - start
        self.watch(self, "grader_status", self._status, init=True)

    def _status(self, status):
        if status in ("ready", "failed"):
            marks["model_" + status + "_s"] = time.perf_counter() - start
            self.exit()

args = build_parser().parse_args([])
from mockint.commands._common import load_library_from_args
library = load_library_from_args(args, quiet=True)
Timed(library=library).run(headless=True, size=(80, 24))
print(json.dumps(marks))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    results = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MOCKINT_HOME": home}
        for _ in range(runs):
            proc = subprocess.run(
                [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True
            )
            if proc.returncode:
                sys.exit(proc.stderr[-3000:])
            out = proc.stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
    first = [r["first_screen_s"] for r in results]
    ready = [r.get("model_ready_s", float("nan")) for r in results]
    print(f"first screen: median {statistics.median(first):.3f} s (min {min(first):.3f}, "
          f"max {max(first):.3f}) over {runs} runs")
    print(f"model ready in the background: median {statistics.median(ready):.2f} s")
    print(f"ratio model-ready / first-screen: {statistics.median(ready) / statistics.median(first):.1f}x")


if __name__ == "__main__":
    main()
