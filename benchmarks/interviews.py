"""The final score a user sees on our graded interview answers, through the CLI with every
built-in bank loaded.

    .venv/bin/python benchmarks/interviews.py                        # data/graded + data/blind
    .venv/bin/python benchmarks/interviews.py data/blind/interview-blind14.jsonl

All the answers go through one `mockint grade --batch --json` run (a fresh process, a temporary
history; `external.grade_batch`), as a user would grade them. Per file: Spearman and Pearson
against the human scores, and the mean score per kind of answer next to the human mean. Over all
files: how many wrong answers (kinds "wrong" and "misconception") have a mistake named, how many
right ones (kinds "good", "excellent", "zh-good") do, and whether any model answer of the banks
does. Prints, never asserts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from scipy.stats import pearsonr, spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from external import grade_batch  # noqa: E402  (benchmarks/, the script's own folder)

from mockint.rubric import load_library  # noqa: E402

WRONG = {"wrong", "misconception"}
RIGHT = {"good", "excellent", "zh-good"}


def model_answers() -> list[dict]:
    """Every model answer of the built-in banks, in each of its languages."""
    return [
        {"question_id": q.id, "kind": "model", "answer": text, "score": 100, "file": "(model)"}
        for _, q in load_library().questions()
        for text in q.model_answer.all_texts()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="JSONL files of graded answers")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "data" / "graded").glob("*.jsonl")) + sorted(
        (ROOT / "data" / "blind").glob("*.jsonl")
    )
    rows = [
        dict(json.loads(line), file=path.name)
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ] + model_answers()
    for row, grade in zip(rows, grade_batch(rows)):
        row["mockint"] = grade["score"]
        row["named"] = bool(grade["misconceptions"])
    by_file = defaultdict(list)
    for row in rows:
        by_file[row["file"]].append(row)
    for name, group in by_file.items():
        if name == "(model)":
            continue
        human = [r["score"] for r in group]
        ours = [r["mockint"] for r in group]
        kinds = defaultdict(list)
        for r in group:
            kinds[r["kind"]].append(r)
        means = "  ".join(
            f"{kind} {sum(r['mockint'] for r in rs) / len(rs):.0f}/"
            f"{sum(r['score'] for r in rs) / len(rs):.0f}"
            for kind, rs in sorted(kinds.items())
        )
        print(
            f"{name:28s} n={len(group):3d}  Spearman {spearmanr(human, ours).statistic:.3f}"
            f"  Pearson {pearsonr(human, ours).statistic:.3f}  (mockint/human) {means}"
        )
    wrong = [r for r in rows if r["kind"] in WRONG]
    right = [r for r in rows if r["kind"] in RIGHT]
    model = by_file["(model)"]
    print(
        f"wrong answers with a mistake named: {sum(r['named'] for r in wrong)} of {len(wrong)}; "
        f"right answers with one: {sum(r['named'] for r in right)} of {len(right)}; "
        f"model answers with one: {sum(r['named'] for r in model)} of {len(model)}"
    )


if __name__ == "__main__":
    main()
