"""Fit the grader's thresholds (mockint/grading/calibration.py) on data/graded/calibration.jsonl.

    .venv/bin/python benchmarks/calibrate.py            # prints the fitted values
    .venv/bin/python benchmarks/calibrate.py --write    # and writes them into calibration.py

Coordinate descent over a small grid of each threshold, maximising Spearman's rho with the human
scores minus a small penalty on mean absolute error (so the score scale stays meaningful, not
only the order). Only the calibration file is used: the measurement sets stay unseen.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockint.grading import calibration as cal  # noqa: E402
from mockint.grading import load_grader  # noqa: E402
from mockint.rubric import load_library  # noqa: E402

# (name, getter/setter path, candidate values)
SEARCH = [
    # Ranges are kept to values that mean something: below ~0.4 any on-topic sentence would
    # earn credit, and a score curve flatter than 0.6 would hide the difference between answers.
    ("LOW.en", np.arange(0.20, 0.66, 0.025)),
    ("HIGH.en", np.arange(0.50, 0.91, 0.025)),
    ("LOW.zh", np.arange(0.40, 0.66, 0.025)),
    ("HIGH.zh", np.arange(0.50, 0.91, 0.025)),
    ("BASELINE_SLOPE.en", np.arange(0.0, 1.01, 0.1)),
    ("BASELINE_SLOPE.zh", np.arange(0.0, 1.01, 0.1)),
    ("SCORE_EXPONENT", np.arange(0.6, 1.01, 0.1)),
    ("PENALTY_SCALE", np.arange(0.5, 3.01, 0.25)),
    ("MISCONCEPTION_CAP", np.arange(20, 101, 10)),
    ("PRIMARY_WEIGHT", np.arange(0.0, 1.01, 0.1)),
    ("MISCONCEPTION_MIN.en", np.arange(0.40, 0.81, 0.05)),
    ("MISCONCEPTION_MIN.zh", np.arange(0.40, 0.81, 0.05)),
    ("MISCONCEPTION_MARGIN", np.arange(-0.04, 0.09, 0.02)),
    ("LEXICAL_WEIGHT", np.arange(0.0, 0.16, 0.025)),
    ("HIT_CREDIT", np.arange(0.5, 1.01, 0.05)),
    ("NO_TERM_CREDIT_CAP", np.arange(0.0, 1.01, 0.1)),
    ("TERM_TRUST_SIM", np.arange(0.65, 1.01, 0.05)),
    ("OFF_TOPIC_MARGIN", np.arange(0.0, 0.16, 0.025)),
    ("OFF_TOPIC_RIVAL_MIN", np.arange(0.2, 0.61, 0.05)),
    ("KEYWORD_LIST_CAP", np.arange(5, 41, 5)),
    ("ON_TOPIC_FLOOR", np.arange(0.0, 25.1, 5.0)),
]


def get(name: str) -> float:
    base, _, key = name.partition(".")
    value = getattr(cal, base)
    return value[key] if key else value


def put(name: str, value: float) -> None:
    base, _, key = name.partition(".")
    if key:
        getattr(cal, base)[key] = float(value)
    else:
        setattr(cal, base, float(value))


def objective(grader, library, rows) -> tuple[float, float, float]:
    """Spearman, minus a little for mean absolute error and for every product target missed
    (README: misconception, keyword-list and vague answers below partial ones, Chinese good
    answers above English partial ones, off-topic answers at most 10)."""
    scores, human, kinds = [], [], defaultdict(list)
    for row in rows:
        bank, question = library.find_question(row["question_id"])
        grade = grader.grade(
            question, row["answer"], bank_id=bank.id, other_questions=bank.questions
        )
        scores.append(grade.score)
        human.append(row["score"])
        kinds[row["kind"]].append(grade.score)
    rho = spearmanr(human, scores).statistic
    mae = float(np.mean(np.abs(np.array(scores) - np.array(human))))
    mean = {kind: float(np.mean(values)) for kind, values in kinds.items()}
    partial = mean.get("partial", 50.0)
    missed = sum(
        [
            mean.get("misconception", 0) >= partial,
            mean.get("keyword-list", 0) >= partial,
            mean.get("vague", 0) >= partial,
            mean.get("zh-good", 100) <= partial,
            mean.get("off-topic", 0) > 10,
        ]
    )
    # Issue 9: a rubric grading its own model answer should score near 100; a threshold that
    # flags false misconceptions in model answers is wrong whatever it does to the ranking.
    weak_models = 0
    for bank, question in library.questions():
        for lang in question.model_answer.languages():
            grade = grader.grade(
                question,
                question.model_answer.get(lang),
                bank_id=bank.id,
                other_questions=bank.questions,
            )
            weak_models += grade.score < 90
    return rho - mae / 400.0 - 0.05 * missed - 0.01 * weak_models, rho, mae


def write_back(values: dict[str, float]) -> None:
    path = ROOT / "mockint" / "grading" / "calibration.py"
    text = path.read_text(encoding="utf-8")
    for name, value in values.items():
        base, _, key = name.partition(".")
        if key:
            text = re.sub(
                rf'(^{base} = \{{[^}}]*"{key}": )[-0-9.]+', rf"\g<1>{value:.3f}", text, flags=re.M
            )
        else:
            text = re.sub(rf"^({base} = )[-0-9.]+", rf"\g<1>{value:.3f}", text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the fitted values back")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    rows = [
        json.loads(line)
        for line in (ROOT / "data" / "graded" / "calibration.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    grader = load_grader()
    library = load_library()
    best, rho, mae = objective(grader, library, rows)
    print(f"start: rho {rho:.3f} mae {mae:.1f}")
    for round_ in range(args.rounds):
        for name, candidates in SEARCH:
            current = get(name)
            results = []
            for value in candidates:
                put(name, value)
                results.append((objective(grader, library, rows), value))
            (score, r, m), value = max(results, key=lambda item: item[0][0])
            if score > best + 1e-4:
                best = score
                put(name, value)
                print(f"round {round_ + 1}: {name} = {value:.3f}  rho {r:.3f} mae {m:.1f}")
            else:
                put(name, current)
    fitted = {name: get(name) for name, _ in SEARCH}
    print(json.dumps({k: round(v, 3) for k, v in fitted.items()}, indent=1))
    if args.write:
        write_back(fitted)
        print("written to mockint/grading/calibration.py")


if __name__ == "__main__":
    main()
