"""The final score a user sees, on human-graded answers nobody on the team wrote.

    .venv/bin/python benchmarks/external.py                      # SemEval-2013 (../shared)
    .venv/bin/python benchmarks/external.py --corpus saf --data /path/to/ext-data
    .venv/bin/python benchmarks/external.py --corpus all --data /path/to/ext-data

Every set is graded the way a user would grade it: its questions become one question bank (a
TOML file, each reference answer cut into draft key points by the same code as `mockint rubrics
import`; a question with one key point gets its other reference answers as paraphrases), and
the answers go through `mockint grade --batch --json --rubrics BANK` in a subprocess, with the
whole bank loaded (so the off-topic rule sees every neighbouring question). Nothing is fitted
on these sets, except where said: SemEval's 2-way accuracy uses one score threshold fitted on
its train split.

Baseline in the same run: plain whole-answer cosine between the answer and the closest
reference answer (all-MiniLM-L6-v2, float32).

SemEval-2013 Task 7 (../shared/benchmarks/semeval2013): correct vs contradictory AUC of the
final score (3-way), 2-way accuracy with a threshold fitted on train. Other corpora (JSONL
`{"question_id", "question", "reference_answers", "answer", "score", "score_max"}`, see the
README's Development section for their sources): Pearson and Spearman of the final score with
the human score.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockint.authoring import draft_question, name_slug, toml_string  # noqa: E402

SEMEVAL = ROOT.parent / "shared" / "benchmarks" / "semeval2013"
CORPORA = {
    # name: (files under --data, score scale note)
    "saf": ["saf/saf_en_test_unseen_answers.jsonl", "saf/saf_en_test_unseen_questions.jsonl"],
    "powergrading": ["powergrading/powergrading_698_graded.jsonl"],
    "ads-zh": ["sas_zh/ads_zh.jsonl"],
    "le-zh": ["sas_zh/le_zh.jsonl"],
    # Mohler et al. 2011 (UNT CS short answers v2.0): 2,273 answers to 81 questions, 0-5.
    "mohler": ["mohler/mohler.jsonl"],
}


def build_bank(bank_id: str, questions: dict[str, tuple[str, list[str]]]) -> tuple[str, dict]:
    """(bank TOML, corpus question id -> bank question id): per question, draft key points
    from its first reference answer."""
    langs = set()
    blocks = []
    taken: set[str] = set()
    for qid, (prompt, refs) in questions.items():
        draft = draft_question(prompt, refs[0], taken, question_id=f"{bank_id}-{qid}")
        lang = draft.language
        langs.add(lang)
        lines = [
            "[[questions]]",
            f'id = "{draft.id}"',
            f"topic = {toml_string(bank_id)}",
            f"prompt.{lang} = {toml_string(prompt)}",
            f"model_answer.{lang} = {toml_string(refs[0])}",
        ]
        points = draft.key_points or []
        if not points:  # a reference of a few words ("the Bill of Rights"): one point, verbatim
            lines += [
                "[[questions.key_points]]",
                'id = "answer"',
                f"text.{lang} = {toml_string(refs[0])}",
                f"follow_up.{lang} = {toml_string(prompt)}",
            ]
            if len(refs) > 1:
                lines.append(f"paraphrases = [{', '.join(toml_string(r) for r in refs[1:8])}]")
        for kp in points:
            lines += [
                "[[questions.key_points]]",
                f'id = "{kp.id}"',
                f"text.{lang} = {toml_string(kp.text)}",
                f"follow_up.{lang} = {toml_string(kp.follow_up)}",
            ]
            if len(points) == 1 and len(refs) > 1:
                lines.append(f"paraphrases = [{', '.join(toml_string(r) for r in refs[1:8])}]")
        blocks.append((qid, draft.id, "\n".join(lines)))
    head = [f'id = "{bank_id}"', f"title.en = {toml_string(bank_id)}"]
    head.append("languages = [" + ", ".join(f'"{lang}"' for lang in sorted(langs)) + "]")
    # Titles are required for every language of the bank.
    head += [f"title.{lang} = {toml_string(bank_id)}" for lang in sorted(langs) if lang != "en"]
    return "\n".join(head) + "\n\n" + "\n\n".join(b for _, _, b in blocks) + "\n", {
        qid: did for qid, did, _ in blocks
    }


def grade_batch(rows: list[dict], rubrics: Path | None = None) -> list[dict]:
    """Grades of ``rows`` ({"question_id", "answer"}) by one `mockint grade --batch --json` run
    in a fresh process with an empty history: the built-in banks, plus ``rubrics`` if given."""
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "answers.jsonl"
        with batch.open("w", encoding="utf-8") as handle:
            for row in rows:
                line = {"question_id": row["question_id"], "answer": row["answer"]}
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        env = dict(os.environ, MOCKINT_HOME=str(Path(tmp) / "home"))
        extra = ["--rubrics", str(rubrics)] if rubrics is not None else []
        done = subprocess.run(
            [sys.executable, "-m", "mockint", "grade", "--batch", str(batch), "--json", *extra],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
    if done.returncode not in (0, 1):
        raise SystemExit(f"mockint grade failed ({done.returncode}): {done.stderr[-2000:]}")
    grades = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(grades) != len(rows):
        raise SystemExit(f"{len(grades)} grades for {len(rows)} answers: {done.stderr[-2000:]}")
    return grades


def grade_through_cli(bank_toml: str, bank_id: str, rows: list[dict], ids: dict) -> list[dict]:
    """Grades of ``rows`` against the bank ``bank_toml``, whose question ids ``ids`` maps."""
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / f"{bank_id}.toml"
        bank.write_text(bank_toml, encoding="utf-8")
        mapped = [{"question_id": ids[r["question_id"]], "answer": r["answer"]} for r in rows]
        return grade_batch(mapped, bank)


class Baseline:
    """Whole-answer cosine to the closest reference answer (all-MiniLM-L6-v2, float32)."""

    def __init__(self):
        from mockint.grading.embedder import SentenceTransformerEmbedder

        self.model = SentenceTransformerEmbedder(quantize=False)

    def scores(self, rows: list[dict]) -> np.ndarray:
        answers = self.model.encode([r["answer"] or " " for r in rows])
        refs = sorted({ref for r in rows for ref in r["reference_answers"]})
        index = {ref: i for i, ref in enumerate(refs)}
        ref_vecs = self.model.encode(refs)
        return np.array(
            [
                max(float(ref_vecs[index[ref]] @ a) for ref in r["reference_answers"])
                for r, a in zip(rows, answers)
            ]
        )


def semeval_rows(corpus: str, ways: str, split: str) -> list[dict]:
    path = SEMEVAL / f"semeval2013_{corpus}_{ways}_{split}.csv"
    with path.open(encoding="utf-8") as handle:
        return [
            {
                "question_id": r["question_id"],
                "question": r["question"],
                "reference_answers": [
                    x.strip() for x in r["all_reference_answers"].split("|||") if x.strip()
                ],
                "answer": r["student_answer"],
                "label": r["label"],
            }
            for r in csv.DictReader(handle)
        ]


def graded(name: str, rows: list[dict]) -> list[dict]:
    """Grade rows as one bank; each row gains "mockint" (its final score) and "grade"."""
    questions: dict[str, tuple[str, list[str]]] = {}
    for r in rows:
        questions.setdefault(r["question_id"], (r["question"], r["reference_answers"]))
    bank_id = name_slug(name)
    toml, ids = build_bank(bank_id, questions)
    started = time.perf_counter()
    grades = grade_through_cli(toml, bank_id, rows, ids)
    elapsed = time.perf_counter() - started
    for r, g in zip(rows, grades):
        r["mockint"] = g.get("score", 0.0)
        r["grade"] = g
    print(f"  ({name}: {len(rows)} answers graded through the CLI in {elapsed:.0f} s)")
    return rows


def describe(rows: list[dict]) -> str:
    verdicts = defaultdict(int)
    for r in rows:
        verdicts[r["grade"].get("verdict", "?")] += 1
    flagged = sum(1 for r in rows if r["grade"].get("misconceptions"))
    return f"verdicts {dict(verdicts)}, with a mistake named: {flagged}"


def semeval_report(baseline: Baseline, corpus: str, splits: list[str]) -> None:
    print(
        f"\n== SemEval-2013 {corpus}: final score through `mockint grade --batch`, "
        "one bank per split"
    )
    train = graded(f"semeval-{corpus}-train", semeval_rows(corpus, "2way", "train"))
    ours_t = np.array([r["mockint"] for r in train])
    gold_t = np.array([r["label"] == "correct" for r in train])
    base_t = baseline.scores(train)
    t_ours, t_base = best_threshold(ours_t, gold_t), best_threshold(base_t, gold_t)
    print(f"  2-way thresholds fitted on train: mockint {t_ours:.1f}, baseline cosine {t_base:.3f}")
    for split in splits:
        three = graded(f"semeval-{corpus}-{split}", semeval_rows(corpus, "3way", split))
        ours = np.array([r["mockint"] for r in three])
        base = baseline.scores(three)
        labels = np.array([r["label"] for r in three])
        keep = labels != "incorrect"
        auc = roc_auc_score(labels[keep] == "correct", ours[keep])
        auc_b = roc_auc_score(labels[keep] == "correct", base[keep])
        gold = labels == "correct"  # 2-way: contradictory and incorrect are both incorrect
        acc = ((ours >= t_ours) == gold).mean()
        acc_b = ((base >= t_base) == gold).mean()
        means = {
            lab: ours[labels == lab].mean() for lab in ("correct", "incorrect", "contradictory")
        }
        print(
            f"  {split:22s} n={len(three):4d}  correct-vs-contradictory AUC {auc:.3f} "
            f"(baseline {auc_b:.3f})   2-way acc {acc:.3f} (baseline {acc_b:.3f}, majority "
            f"{max(gold.mean(), 1 - gold.mean()):.3f})"
        )
        print(
            "    mean score: "
            + ", ".join(f"{k} {v:.1f}" for k, v in means.items())
            + f"; {describe(three)}"
        )


def best_threshold(values: np.ndarray, gold: np.ndarray) -> float:
    candidates = np.unique(np.round(values, 1))
    accs = [((values >= t) == gold).mean() for t in candidates]
    return float(candidates[int(np.argmax(accs))])


def corpus_report(baseline: Baseline, name: str, data: Path, limit: int) -> None:
    for file in CORPORA[name]:
        path = data / file
        if not path.exists():
            print(f"\n== {name}: {path} not found")
            continue
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        if limit and len(rows) > limit:
            rows = [
                rows[i] for i in np.random.default_rng(0).choice(len(rows), limit, replace=False)
            ]
        print(
            f"\n== {name}: {file} ({len(rows)} answers, "
            f"{len({r['question_id'] for r in rows})} questions)"
        )
        rows = graded(f"{name}-{Path(file).stem}", rows)
        human = np.array([r["score"] / (r.get("score_max") or 1) for r in rows])
        ours = np.array([r["mockint"] for r in rows])
        base = baseline.scores(rows)
        p, p_base = pearsonr(human, ours)[0], pearsonr(human, base)[0]
        r, r_base = spearmanr(human, ours)[0], spearmanr(human, base)[0]
        print(
            f"  Pearson {p:.3f} (baseline cosine {p_base:.3f})   "
            f"Spearman {r:.3f} (baseline {r_base:.3f})"
        )
        print(f"  {describe(rows)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", default="semeval", help="semeval, saf, powergrading, ads-zh, le-zh, mohler, all"
    )
    parser.add_argument("--data", type=Path, help="folder of the other corpora's JSONL files")
    parser.add_argument("--semeval", default="scientsbank", choices=["scientsbank", "beetle"])
    parser.add_argument("--limit", type=int, default=2000, help="answers per file at most")
    args = parser.parse_args()
    baseline = Baseline()
    names = ["semeval", *CORPORA] if args.corpus == "all" else [args.corpus]
    for name in names:
        if name == "semeval":
            splits = ["test_unseen_answers", "test_unseen_questions"]
            if args.semeval == "scientsbank":
                splits.append("test_unseen_domains")
            semeval_report(baseline, args.semeval, splits)
        elif args.data:
            corpus_report(baseline, name, args.data, args.limit)
        else:
            print(f"\n== {name}: give --data")


if __name__ == "__main__":
    main()
