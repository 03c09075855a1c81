"""Fit the grader's thresholds (mockint/grading/calibration.py) on data/graded/calibration.jsonl
and SemEval-2013's train split.

    .venv/bin/python benchmarks/calibrate.py            # prints the fitted values
    .venv/bin/python benchmarks/calibrate.py --write    # and writes them into calibration.py

Coordinate descent over a small grid of each threshold, maximising Spearman's rho with the human
scores minus a small penalty on mean absolute error (so the score scale stays meaningful, not
only the order), plus how well the final score separates SemEval's correct from contradictory
answers on its train split (graded as one bank, as `benchmarks/external.py` does; ``--semeval
0`` leaves it out), minus a heavy cost for every model answer or excellent answer in which a
mistake is named. Only these files are used: the measurement sets and SemEval's test splits
stay unseen.
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
sys.path.insert(0, str(ROOT / "benchmarks"))

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
    # 1.05 switches the judge's part off: the fit may decide it does not help.
    ("JUDGE_CONTRADICT", np.append(np.arange(0.4, 0.96, 0.05), 1.05)),
    ("JUDGE_MARGIN", np.arange(0.0, 0.61, 0.1)),
    ("JUDGE_RESTORED", np.arange(0.0, 0.91, 0.1)),
    ("JUDGE_MISCONCEPTION", np.append(np.arange(0.3, 0.96, 0.05), 1.05)),
    ("JUDGE_MC_SLACK", np.arange(0.0, 0.21, 0.025)),
    ("JUDGE_CREDIT_LOW", np.arange(0.1, 0.71, 0.1)),
    ("JUDGE_CREDIT_HIGH", np.arange(0.5, 1.01, 0.05)),
    ("CONTRADICTION_PENALTY", np.arange(0.0, 30.1, 5.0)),
    ("OFF_TOPIC_MAX_COVERAGE", np.arange(0.1, 0.61, 0.1)),
    ("BRIEF_SHARE", np.arange(0.0, 0.81, 0.1)),
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


def objective(grader, library, rows, semeval=()) -> tuple[float, float, float]:
    """Spearman, minus a little for mean absolute error and for every product target missed
    (README: misconception, keyword-list and vague answers below partial ones, Chinese good
    answers above English partial ones, off-topic answers at most 10), plus SemEval's
    correct-vs-contradictory AUC, minus 0.05 per right answer in which a mistake is named and
    0.01 per point by which misconception answers are less than 20 below partial ones."""
    scores, human, kinds = [], [], defaultdict(list)
    false_flags = 0
    for row in rows:
        bank, question = library.find_question(row["question_id"])
        grade = grader.grade(
            question, row["answer"], bank_id=bank.id, other_questions=bank.questions
        )
        scores.append(grade.score)
        human.append(row["score"])
        kinds[row["kind"]].append(grade.score)
        false_flags += row["kind"] in ("excellent", "zh-good") and bool(grade.misconceptions)
    auc = 0.0
    if semeval:
        graded = []
        for row in semeval:
            bank, question = library.find_question(row["question_id"])
            grade = grader.grade(
                question, row["answer"], bank_id=bank.id, other_questions=bank.questions
            )
            graded.append((grade.score, row["label"]))
        right = [s for s, label in graded if label == "correct"]
        wrong = [s for s, label in graded if label == "contradictory"]
        # AUC as the share of (right, wrong) pairs ranked the right way round (ties: half).
        r, w = np.array(right)[:, None], np.array(wrong)[None, :]
        auc = float(((r > w) + 0.5 * (r == w)).mean())
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
            false_flags += bool(grade.misconceptions)
    # Issue 16: confident wrong answers at least 20 points below partial ones.
    shortfall = max(0.0, 20.0 - (partial - mean.get("misconception", 0.0)))
    total = (
        rho
        - mae / 400.0
        - 0.05 * missed
        - 0.01 * weak_models
        - 0.05 * false_flags
        - 0.01 * shortfall
    )
    return total + auc, rho, mae


def semeval_bank(n: int):
    """(the built-in banks plus SemEval's train questions as one bank, ``n`` of its 3-way
    train answers sampled evenly over the three labels)."""
    import tempfile

    from external import build_bank, semeval_rows

    rows = semeval_rows("scientsbank", "3way", "train")
    rng = np.random.default_rng(0)
    picked = []
    for label in ("correct", "incorrect", "contradictory"):
        pool = [r for r in rows if r["label"] == label]
        picked += [pool[i] for i in rng.choice(len(pool), min(n // 3, len(pool)), replace=False)]
    questions = {}
    for r in rows:
        questions.setdefault(r["question_id"], (r["question"], r["reference_answers"]))
    toml, ids = build_bank("semeval-train", questions)
    path = Path(tempfile.mkdtemp(prefix="mockint-calibrate-")) / "semeval-train.toml"
    path.write_text(toml, encoding="utf-8")
    from mockint.locations import builtin_rubrics_dir

    library = load_library([builtin_rubrics_dir(), path])
    return library, [{**r, "question_id": ids[r["question_id"]]} for r in picked]


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
    parser.add_argument(
        "--semeval", type=int, default=1200, help="SemEval train answers in the objective"
    )
    parser.add_argument("--only", nargs="*", help="fit only these thresholds")
    args = parser.parse_args()
    rows = [
        json.loads(line)
        for line in (ROOT / "data" / "graded" / "calibration.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    grader = load_grader()
    grader.remember(len(rows) + args.semeval + 200)
    library, semeval = load_library(), []
    if args.semeval:
        library, semeval = semeval_bank(args.semeval)
    search = [(n, c) for n, c in SEARCH if not args.only or n in args.only]
    best, rho, mae = objective(grader, library, rows, semeval)
    print(f"start: rho {rho:.3f} mae {mae:.1f}")
    for round_ in range(args.rounds):
        for name, candidates in search:
            current = get(name)
            results = []
            for value in candidates:
                put(name, value)
                results.append((objective(grader, library, rows, semeval), value))
            (score, r, m), value = max(results, key=lambda item: item[0][0])
            if score > best + 1e-4:
                best = score
                put(name, value)
                print(f"round {round_ + 1}: {name} = {value:.3f}  rho {r:.3f} mae {m:.1f}")
            else:
                put(name, current)
    fitted = {name: get(name) for name, _ in search}
    print(json.dumps({k: round(v, 3) for k, v in fitted.items()}, indent=1))
    if args.write:
        write_back(fitted)
        print("written to mockint/grading/calibration.py")


if __name__ == "__main__":
    main()
