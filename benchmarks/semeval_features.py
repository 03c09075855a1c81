"""Which signal says "this answer states this key point" on questions never seen in training?

    .venv/bin/python benchmarks/semeval_features.py                  # SciEntsBank
    .venv/bin/python benchmarks/semeval_features.py --corpus both    # and Beetle
    .venv/bin/python benchmarks/semeval_features.py --fresh          # ignore the /tmp cache
    .venv/bin/python benchmarks/semeval_features.py --emulate 0.75 0.30 0.70  # preview in grader

SemEval-2013 Task 7, 2-way, read from ../shared/benchmarks/semeval2013 at run time. As in
``benchmarks/quality.py``, each question is a one-key-point rubric whose statement and
paraphrases are the reference answers, and every threshold or weight is fitted on the *train*
split only, then applied unchanged to the unseen-answers / unseen-questions / unseen-domains test
splits (accuracy; the majority class is shown for scale).

Signals compared (per answer unit, i.e. segment or pair of neighbouring segments, as the grader
matches; the answer's best unit counts):

* ``mockint credit``: the grader's key-point credit today (``Grader.grade``), the "before";
* ``sentence similarity``: the blended MiniLM/USE cosine the credit is computed from;
* ``soft recall``: :func:`mockint.grading.alignment.unit_recalls` -- contextual word vectors
  of the key point's words that the question does not already contain, matched against the
  unit's words; also without the question discount, and over the whole answer;
* ``lexical recall``: the same with exact (stemmed) words;
* ``aligned``: (1 - lambda) * similarity + lambda * soft recall per unit, threshold fitted on
  train: the proposed replacement for the raw similarity that ``calibration.credit`` ramps;
* a logistic regression over the answer-level features, to see what a richer model would add.

Features are cached in /tmp (keyed by the code and data they depend on), so re-runs are quick.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import semeval_question  # noqa: E402

from mockint.grading import alignment as al  # noqa: E402
from mockint.grading import calibration as cal  # noqa: E402
from mockint.grading import load_grader  # noqa: E402
from mockint.grading.grader import MAX_ANSWER_CHARS  # noqa: E402
from mockint.grading.segmenter import negated, segment  # noqa: E402

SEMEVAL = ROOT.parent / "shared" / "benchmarks" / "semeval2013"
CACHE = Path("/tmp/mockint-semeval-features")
SPLITS = ("train", "test_unseen_answers", "test_unseen_questions", "test_unseen_domains")
SHORT = {"train": "train", "test_unseen_answers": "UA", "test_unseen_questions": "UQ"}
SHORT["test_unseen_domains"] = "UD"
# Files whose change invalidates the cached features (after editing compute_split: --fresh).
DEPENDS = [
    ROOT / "mockint" / "grading" / name
    for name in ("alignment.py", "grader.py", "calibration.py", "segmenter.py", "embedder.py")
]


@dataclass
class Split:
    """Per-answer features of one CSV; per-unit arrays are flat with ``offsets``."""

    gold: np.ndarray
    credit: np.ndarray  # the grader's key-point credit (before)
    offsets: np.ndarray  # unit rows of answer i: offsets[i]:offsets[i + 1]
    unit_sim: np.ndarray  # blended sentence similarity per unit (best reference)
    unit_recall: np.ndarray  # soft recall per unit, question words discounted (best reference)
    unit_recall_all: np.ndarray  # soft recall per unit, no discount
    whole_recall: np.ndarray  # soft recall over all the answer's words
    lexical: np.ndarray  # exact-stem recall of novel words
    length_ratio: np.ndarray  # log(answer content words / reference content words)
    negation: np.ndarray  # polarity of answer differs from the best reference

    def best(self, values: np.ndarray) -> np.ndarray:
        """Each answer's best unit value (0 for an answer without units)."""
        out = np.zeros(len(self.gold))
        for i in range(len(self.gold)):
            a, b = self.offsets[i], self.offsets[i + 1]
            if b > a:
                out[i] = values[a:b].max()
        return out


def read_rows(corpus: str, split: str) -> list[dict] | None:
    path = SEMEVAL / f"semeval2013_{corpus}_2way_{split}.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def cache_key(corpus: str, split: str, model: str) -> str:
    digest = hashlib.sha256(f"{corpus}/{split}/{model}".encode())
    for path in DEPENDS:
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def compute_split(grader, rows: list[dict]) -> Split:
    """Every feature of every answer of one split (the slow part: two models, ~1 ms/answer)."""
    primary, multilingual = grader.primary, grader.multilingual
    weight = cal.PRIMARY_WEIGHT if multilingual is not None else 1.0
    words_cache = al.WordVectorCache(primary.embedder)
    questions = {}
    credit, gold = [], []
    offsets = [0]
    unit_sim, unit_rec, unit_rec_all = [], [], []
    whole, lexical, ratio, neg = [], [], [], []
    for start in range(0, len(rows), 256):
        chunk = rows[start : start + 256]
        grader.prepare([r["student_answer"] for r in chunk])
        texts = [(r["student_answer"] or "").strip()[:MAX_ANSWER_CHARS] for r in chunk]
        segs = [segment(t) for t in texts]
        flat = [s.text for ss in segs for s in ss]
        st_vecs, st_words = al.encode_with_words(primary.embedder, flat)
        use_vecs = multilingual.embedder.encode(flat) if multilingual is not None else None
        cursor = 0
        for row, text, ss in zip(chunk, texts, segs):
            q = questions.get(row["question_id"])
            refs = [r.strip() for r in row["all_reference_answers"].split("|||") if r.strip()]
            if q is None:
                q = questions[row["question_id"]] = semeval_question(
                    row["question_id"], row["question"], refs
                )
            credit.append(grader.grade(q, row["student_answer"]).key_points[0].credit)
            gold.append(row["label"] == "correct")
            n = len(ss)
            seg_st, seg_words = st_vecs[cursor : cursor + n], st_words[cursor : cursor + n]
            seg_use = use_vecs[cursor : cursor + n] if use_vecs is not None else None
            cursor += n
            asked = al.content_stems(row["question"])
            ref_words = words_cache.get(refs)
            answer_words = al.WordVectors.join(seg_words)
            whole.append(max(al.soft_recall(r, answer_words, asked) for r in ref_words))
            lexical.append(max(al.lexical_recall(r, text, row["question"]) for r in refs))
            a_content = len(al.content_stems(text))
            ratio.append(np.log((a_content + 1) / (len(al.content_stems(refs[0])) + 1)))
            neg.append(float(negated(text) != negated(refs[0])))
            if n == 0:
                offsets.append(offsets[-1])
                continue
            sims = _units(seg_st) @ primary.encode(refs).T * weight
            if seg_use is not None:
                sims += _units(seg_use) @ multilingual.encode(refs).T * (1 - weight)
            recs = np.stack([al.unit_recalls(r, seg_words, asked) for r in ref_words], axis=1)
            recs_all = np.stack([al.unit_recalls(r, seg_words) for r in ref_words], axis=1)
            unit_sim.append(sims.max(axis=1))
            unit_rec.append(recs.max(axis=1))
            unit_rec_all.append(recs_all.max(axis=1))
            offsets.append(offsets[-1] + len(sims))
    flat_or_empty = lambda parts: np.concatenate(parts) if parts else np.zeros(0)  # noqa: E731
    return Split(
        gold=np.array(gold),
        credit=np.array(credit),
        offsets=np.array(offsets),
        unit_sim=flat_or_empty(unit_sim),
        unit_recall=flat_or_empty(unit_rec),
        unit_recall_all=flat_or_empty(unit_rec_all),
        whole_recall=np.array(whole),
        lexical=np.array(lexical),
        length_ratio=np.array(ratio),
        negation=np.array(neg),
    )


def _units(vectors: np.ndarray) -> np.ndarray:
    """Segment vectors plus each neighbouring pair's normalised mean (the grader's units)."""
    pairs = vectors[:-1] + vectors[1:]
    if len(pairs):
        pairs = pairs / np.maximum(np.linalg.norm(pairs, axis=1, keepdims=True), 1e-12)
        return np.vstack([vectors, pairs])
    return vectors


def load_split(grader, corpus: str, split: str, fresh: bool) -> Split | None:
    rows = read_rows(corpus, split)
    if rows is None:
        return None
    path = CACHE / f"{corpus}_{split}_{cache_key(corpus, split, grader.model_name)}.npz"
    if path.exists() and not fresh:
        with np.load(path) as data:
            return Split(**{k: data[k] for k in data.files})
    started = time.perf_counter()
    result = compute_split(grader, rows)
    print(f"  ({corpus} {split}: {len(rows)} answers in {time.perf_counter() - started:.0f} s)")
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, **vars(result))
    return result


def best_threshold(values: np.ndarray, gold: np.ndarray) -> float:
    """The train threshold with the best accuracy (as in benchmarks/quality.py)."""
    candidates = np.unique(np.round(values, 3))
    accs = [((values >= t) == gold).mean() for t in candidates]
    return float(candidates[int(np.argmax(accs))])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 30):
    """L2-regularised logistic regression by Newton's method (numpy only).

    Returns (weights on the standardised features, bias, mean, std)."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = l2 * np.r_[np.ones(z.shape[1] - 1), 0.0]
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg)
        w -= np.linalg.solve(hess, grad)
    return w[:-1], w[-1], mean, std


# The mixing weight proposed for the grader (the best on SciEntsBank train; 0.75 is the best on
# both train sets together), and the others shown.
LAMBDA = 1.0
LAMBDAS = (0.5, 0.75, LAMBDA)


def aligned(split: Split, lam: float) -> np.ndarray:
    """Best unit of (1 - lam) * sentence similarity + lam * soft recall."""
    return split.best((1 - lam) * split.unit_sim + lam * split.unit_recall)


def report(grader, corpus: str, fresh: bool) -> None:
    splits = {s: load_split(grader, corpus, s, fresh) for s in SPLITS}
    splits = {s: v for s, v in splits.items() if v is not None}
    if "train" not in splits:
        print(f"(SemEval files not found under {SEMEVAL})")
        return
    train = splits["train"]
    names = [SHORT[s] for s in splits]
    print(f"\n== SemEval-2013 {corpus} 2-way: accuracy, fitted on train ({grader.model_name})")
    print(f"{'signal':52s} {'fitted':>8s}  " + "  ".join(f"{n:>5s}" for n in names))

    def line(label: str, fitted: str, values: dict[str, np.ndarray], t: float = 0.5) -> None:
        accs = [((values[s] >= t) == splits[s].gold).mean() for s in splits]
        print(f"{label:52s} {fitted:>8s}  " + "  ".join(f"{a:5.3f}" for a in accs))

    majority = {s: np.full(len(v.gold), float(v.gold.mean() >= 0.5)) for s, v in splits.items()}
    line("majority class", "", majority)
    single = {
        "mockint credit (before)": lambda s: s.credit,
        "sentence similarity (best unit)": lambda s: s.best(s.unit_sim),
        "soft recall, question words discounted": lambda s: s.best(s.unit_recall),
        "soft recall, no discount": lambda s: s.best(s.unit_recall_all),
        "soft recall over the whole answer": lambda s: s.whole_recall,
        "lexical recall (stems), discounted": lambda s: s.lexical,
    }
    for label, feature in single.items():
        values = {s: feature(v) for s, v in splits.items()}
        t = best_threshold(values["train"], train.gold)
        line(label, f"t={t:.3f}", values, t)
    fitted = {}
    for lam in LAMBDAS:
        values = {s: aligned(v, lam) for s, v in splits.items()}
        t = fitted[lam] = best_threshold(values["train"], train.gold)
        line(f"aligned: {1 - lam:.2f} * similarity + {lam:.2f} * recall", f"t={t:.3f}", values, t)

    def answer_features(s: Split, which: list[str]) -> np.ndarray:
        table = {
            "credit": s.credit,
            "sim": s.best(s.unit_sim),
            "recall": s.best(s.unit_recall),
            "whole": s.whole_recall,
            "lexical": s.lexical,
            "length": s.length_ratio,
            "negation": s.negation,
        }
        return np.stack([table[n] for n in which], axis=1)

    for which in (
        ["sim", "recall"],
        ["credit", "recall"],
        ["sim", "recall", "lexical"],
        ["sim", "recall", "whole", "lexical", "length", "negation"],
    ):
        w, b, mean, std = fit_logistic(answer_features(train, which), train.gold.astype(float))

        def prob(s: Split, w=w, b=b, mean=mean, std=std, which=which) -> np.ndarray:
            return 1 / (1 + np.exp(-(((answer_features(s, which) - mean) / std) @ w + b)))

        line("logistic: " + " + ".join(which), "p=0.5", {s: prob(v) for s, v in splits.items()})
    if "test_unseen_questions" in splits:
        before_t = best_threshold(train.credit, train.gold)
        per_question(corpus, splits["test_unseen_questions"], LAMBDA, fitted[LAMBDA], before_t)


def per_question(corpus: str, split: Split, lam: float, t: float, before_t: float) -> None:
    """Accuracy per unseen question, before and after: is the gain broad or a few questions?"""
    rows = read_rows(corpus, "test_unseen_questions") or []
    qids = np.array([r["question_id"] for r in rows])
    after = aligned(split, lam) >= t
    before = split.credit >= before_t
    print(f"  per unseen question: n, share correct, accuracy before -> aligned (lambda {lam})")
    for qid in dict.fromkeys(qids):
        mask = qids == qid
        gold = split.gold[mask]
        acc_before, acc_after = (before[mask] == gold).mean(), (after[mask] == gold).mean()
        print(
            f"    {qid[:34]:34s} n={mask.sum():3d}  correct {gold.mean():.2f}"
            f"  {acc_before:.3f} -> {acc_after:.3f}"
        )


def timing(grader) -> None:
    """What the words cost: encode vs encode_with_words, and one key point's unit recalls."""
    answer = (
        "Batch normalization standardizes each layer's activations over the mini-batch, then "
        "applies a learned scale and shift. This keeps the inputs of later layers in a stable "
        "range while earlier weights change, so training converges faster and tolerates a "
        "larger learning rate. It also depends less on initialization, and the noise of the "
        "batch statistics regularizes a little. At inference it uses running averages."
    )
    texts = [s.text for s in segment(answer)]
    embedder = grader.primary.embedder
    reference = al.WordVectorCache(embedder).get(["It allows a higher learning rate."])[0]

    def median_ms(fn, repeat: int = 30) -> float:
        fn()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return 1000 * float(np.median(times))

    plain = median_ms(lambda: embedder.encode(texts))
    both = median_ms(lambda: al.encode_with_words(embedder, texts))
    _, words = al.encode_with_words(embedder, texts)
    asked = al.content_stems("What does batch normalization do and why does it help?")
    recall = median_ms(lambda: al.unit_recalls(reference, words, asked), repeat=200)
    print(
        f"\n== cost ({len(texts)} segments, ~{len(answer.split())} words): encode {plain:.1f} ms,"
        f" encode_with_words {both:.1f} ms, unit_recalls per key point {recall:.3f} ms"
    )


def emulate_integration(grader, lam: float, low: float, high: float) -> None:
    """Patch the loaded grader *in memory* as the report's recipe says (nothing is written):
    English key-point credit ramps the aligned similarity from ``low`` to ``high``.

    It wraps the private ``Grader._best_unit`` (the one place a key point's unit similarities
    become credit), so it breaks loudly if that method changes: it is a preview of the
    integration, not the integration.
    """
    from collections import OrderedDict

    from mockint.grading.grader import Grader

    if not hasattr(Grader, "_best_unit"):
        raise SystemExit("--emulate: Grader._best_unit is gone; integrate for real instead")
    embedder = grader.primary.embedder
    words: OrderedDict[str, al.WordVectors] = OrderedDict()
    plain_encode = embedder.encode

    def encode(texts):  # the answer's segments: sentence vectors and, kept aside, word vectors
        if not texts:
            return plain_encode(texts)
        vectors, found = al.encode_with_words(embedder, texts)
        words.update(zip(texts, found))
        while len(words) > 8192:  # the grader keeps 512 answers' units; this is plenty
            words.popitem(last=False)
        return vectors

    embedder.encode = encode
    references = al.WordVectorCache(embedder)
    asked: dict[str, frozenset[str]] = {"stems": frozenset()}
    plain_best, plain_grade = Grader._best_unit, Grader.grade

    def word_vectors(texts: list[str]) -> list[al.WordVectors]:
        if any(t not in words for t in texts):  # embedded before the patch
            return al.encode_with_words(embedder, texts)[1]
        return [words[t] for t in texts]

    def best_unit(kp, column, baseline, units, text, language):
        if language == "en" and units.segments:
            n = len(units.segments)
            segs = word_vectors([seg.text for seg in units.segments])
            # Units after the segments and their pairs (whole sentences) are texts of their own.
            extra = word_vectors([text[a:b] for a, b in units.spans[2 * n - 1 :]])
            wordings = al.alignable(list(dict.fromkeys(kp.text.all_texts() + kp.paraphrases)))
            recall = al.key_point_recalls(
                references.get(wordings), segs, asked["stems"], extra=extra
            )
            column = al.aligned_similarity(column, recall, lam)
        return plain_best(kp, column, baseline, units, text, language)

    def grade(self, question, answer, **kwargs):
        prompt = " ".join(al.alignable(question.prompt.all_texts()))
        asked["stems"] = al.content_stems(prompt)
        return plain_grade(self, question, answer, **kwargs)

    Grader._best_unit = staticmethod(best_unit)
    Grader.grade = grade
    cal.LOW["en"], cal.HIGH["en"] = low, high
    grader._recent.clear()  # answers embedded before the patch have no word vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", default="scientsbank", choices=["scientsbank", "beetle", "both"]
    )
    parser.add_argument("--fresh", action="store_true", help="recompute the cached features")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument(
        "--emulate",
        nargs=3,
        type=float,
        metavar=("LAMBDA", "LOW", "HIGH"),
        help="instead: patch the grader in memory with the recipe and run benchmarks/quality.py's"
        " SemEval and graded-answer reports on it (e.g. --emulate 0.75 0.30 0.70)",
    )
    args = parser.parse_args()
    grader = load_grader()
    corpora = ["scientsbank", "beetle"] if args.corpus == "both" else [args.corpus]
    if args.emulate:
        import quality

        from mockint.rubric import load_library

        lam, low, high = args.emulate
        print(f"before: LOW.en {cal.LOW['en']:.3f}, HIGH.en {cal.HIGH['en']:.3f}")
        files = sorted(
            p for p in (ROOT / "data" / "graded").glob("*.jsonl") if p.stem != "calibration"
        )
        for label in ("before", f"after (lambda {lam}, LOW.en {low}, HIGH.en {high})"):
            if label != "before":
                emulate_integration(grader, lam, low, high)
            print(f"\n######## {label}")
            quality.graded_report(grader, load_library(), files)
            for corpus in corpora:
                quality.semeval_report(grader, corpus, None)
        return
    for corpus in corpora:
        report(grader, corpus, args.fresh)
    if not args.no_timing:
        timing(grader)


if __name__ == "__main__":
    main()
