"""Grading quality: agreement with human scores on graded answers nobody tuned the grader on.

    .venv/bin/python benchmarks/quality.py                 # everything
    .venv/bin/python benchmarks/quality.py --only graded   # our data/graded/*.jsonl
    .venv/bin/python benchmarks/quality.py --only semeval  # SemEval-2013 (from ../shared)
    .venv/bin/python benchmarks/quality.py --only graded --files data/blind/interview-blind2.jsonl

Prints Spearman/Pearson against the human scores, the mean score per answer kind, and the
SemEval-2013 2-way accuracy, next to baselines measured in the same run (whole-answer cosine and
per-key-point max cosine with the primary model).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockint.grading import load_grader  # noqa: E402
from mockint.rubric import KeyPoint, Localized, Question, load_library  # noqa: E402

SEMEVAL = ROOT.parent / "shared" / "benchmarks" / "semeval2013"


def read_graded(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def baselines(grader, question: Question, answer: str) -> tuple[float, float]:
    """Whole-answer cosine to the model answer, and the mean per-key-point max cosine
    (primary model)."""
    enc = grader.primary.embedder
    a = enc.encode([answer or " "])[0]
    whole = float(enc.encode([question.model_answer.get("en")])[0] @ a)
    per_kp = np.mean(
        [float((enc.encode(kp.text.all_texts()) @ a).max()) for kp in question.key_points]
    )
    return whole, float(per_kp)


def graded_report(grader, library, files: list[Path]) -> None:
    rows = read_graded(files)
    by_bank = defaultdict(list)
    for bank, q in library.questions():
        by_bank[bank.id].append(q)
    human, ours, whole, perkp = [], [], [], []
    kinds = defaultdict(list)
    lang_kind = defaultdict(list)
    started = time.perf_counter()
    for row in rows:
        bank, question = library.find_question(row["question_id"])
        grade = grader.grade(
            question, row["answer"], bank_id=bank.id, other_questions=by_bank[bank.id]
        )
        human.append(row["score"])
        ours.append(grade.score)
        w, p = baselines(grader, question, row["answer"])
        whole.append(w)
        perkp.append(p)
        kinds[row["kind"]].append(grade.score)
        lang_kind[(row.get("language", "en"), row["kind"])].append(grade.score)
    elapsed = time.perf_counter() - started
    print(
        f"\n== graded answers: {len(rows)} from {', '.join(f.name for f in files)} "
        f"({elapsed:.1f} s)"
    )
    for name, values in (
        ("mockint", ours),
        ("baseline whole-answer cosine", whole),
        ("baseline per-key-point max cosine", perkp),
    ):
        print(
            f"{name:36s} Spearman {spearmanr(human, values).statistic:.3f}  "
            f"Pearson {pearsonr(human, values).statistic:.3f}"
        )
    print("mean score per kind (human mean in brackets):")
    human_by_kind = defaultdict(list)
    for row in rows:
        human_by_kind[row["kind"]].append(row["score"])
    for kind in sorted(kinds, key=lambda k: -np.mean(kinds[k])):
        print(
            f"  {kind:14s} n={len(kinds[kind]):3d}  mockint {np.mean(kinds[kind]):5.1f}"
            f"  (human {np.mean(human_by_kind[kind]):5.1f})"
        )
    partial = np.mean(kinds.get("partial", [np.nan]))
    # interview-blind2.jsonl calls its confident wrong answers "wrong".
    wrong = kinds.get("misconception", []) + kinds.get("wrong", [])
    checks = {
        "wrong <= partial - 20": np.mean(wrong or [np.nan]) <= partial - 20,
        "keyword-list < partial": np.mean(kinds.get("keyword-list", [np.nan])) < partial,
        "vague < partial": np.mean(kinds.get("vague", [np.nan])) < partial,
        "zh-good > en partial": np.mean(kinds.get("zh-good", [np.nan])) > partial,
        "off-topic mean <= 10": np.mean(kinds.get("off-topic", [np.nan])) <= 10,
    }
    for name, ok in checks.items():
        print(f"  target {name:26s} {'met' if ok else 'NOT met'}")


def semeval_question(qid: str, prompt: str, refs: list[str]) -> Question:
    """A one-key-point rubric from SemEval's reference answers (any of them is correct)."""
    kp = KeyPoint(
        id="reference",
        text=Localized(en=refs[0]),
        paraphrases=refs[1:],
        follow_up=Localized(en="Can you explain further?"),
    )
    return Question(
        id=qid.lower().replace(".", "-").replace("_", "-"),
        topic="science",
        prompt=Localized(en=prompt),
        model_answer=Localized(en=refs[0]),
        key_points=[kp],
    )


def semeval_scores(grader, path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mockint credit, baseline cosine, gold correct?) for every answer in a CSV."""
    questions: dict[str, Question] = {}
    ours, base, gold = [], [], []
    enc = grader.primary.embedder
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            q = questions.get(row["question_id"])
            if q is None:
                refs = [r.strip() for r in row["all_reference_answers"].split("|||") if r.strip()]
                q = questions[row["question_id"]] = semeval_question(
                    row["question_id"], row["question"], refs
                )
            grade = grader.grade(q, row["student_answer"])
            ours.append(grade.key_points[0].credit)
            a = enc.encode([row["student_answer"] or " "])[0]
            base.append(float(enc.encode([row["reference_answer"]])[0] @ a))
            gold.append(row["label"] == "correct")
    return np.array(ours), np.array(base), np.array(gold)


def best_threshold(values: np.ndarray, gold: np.ndarray) -> float:
    candidates = np.unique(np.round(values, 3))
    accs = [((values >= t) == gold).mean() for t in candidates]
    return float(candidates[int(np.argmax(accs))])


def semeval_report(grader, corpus: str, max_train: int | None) -> None:
    train = SEMEVAL / f"semeval2013_{corpus}_2way_train.csv"
    if not train.exists():
        print(f"(SemEval files not found under {SEMEVAL})")
        return
    started = time.perf_counter()
    ours, base, gold = semeval_scores(grader, train)
    if max_train:
        ours, base, gold = ours[:max_train], base[:max_train], gold[:max_train]
    t_ours, t_base = best_threshold(ours, gold), best_threshold(base, gold)
    print(
        f"\n== SemEval-2013 {corpus} 2-way (thresholds fitted on train: mockint credit "
        f"{t_ours:.3f}, baseline cosine {t_base:.3f})"
    )
    for split in ("test_unseen_answers", "test_unseen_questions", "test_unseen_domains"):
        path = SEMEVAL / f"semeval2013_{corpus}_2way_{split}.csv"
        if not path.exists():
            continue
        o, b, g = semeval_scores(grader, path)
        print(
            f"  {split:24s} n={len(g):4d}  mockint acc {((o >= t_ours) == g).mean():.3f}"
            f"   baseline acc {((b >= t_base) == g).mean():.3f}"
            f"   majority {max(g.mean(), 1 - g.mean()):.3f}"
        )
    print(f"  ({time.perf_counter() - started:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["graded", "semeval"])
    parser.add_argument(
        "--files",
        nargs="*",
        type=Path,
        help="graded JSONL files (default: data/graded/*.jsonl minus calibration)",
    )
    parser.add_argument(
        "--corpus", default="scientsbank", choices=["scientsbank", "beetle", "both"]
    )
    args = parser.parse_args()
    grader = load_grader()
    library = load_library()
    if args.only in (None, "graded"):
        files = args.files or sorted(
            p for p in (ROOT / "data" / "graded").glob("*.jsonl") if p.stem != "calibration"
        )
        graded_report(grader, library, files)
    if args.only in (None, "semeval"):
        corpora = ["scientsbank", "beetle"] if args.corpus == "both" else [args.corpus]
        for corpus in corpora:
            semeval_report(grader, corpus, None)
    grader.save_cache()


if __name__ == "__main__":
    main()
