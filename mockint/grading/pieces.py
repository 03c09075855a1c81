"""A compact piece -> id lookup for the SentencePiece vocabularies the judge and the
multilingual encoder segment text with.

A dict of str keys held each vocabulary: 53 MiB for the judge's 250,000 XLM-R pieces (the
pieces list and the dict), 44 MiB for the encoder's 128,000 pieces and their prefixes, the
largest parts of a grading process after torch. Here a vocabulary is its UTF-8 text in one
bytes object, its pieces' hashes sorted in one int64 array and their ids in another (about
12 bytes a piece); a lookup hashes the candidate substrings of a text together, finds them
with one binary search, and compares the few hits with the pieces' text, so a hash collision
can never turn a substring into the wrong piece.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_CHUNK = 8192


class PieceIndex(Sequence):
    """Piece ``i`` is ``blob[starts[i]:ends[i]]`` (UTF-8); ``index[i]`` is its text."""

    def __init__(self, blob: bytes, starts: Sequence[int], ends: Sequence[int]):
        self._blob = bytes(blob)
        self._starts, self._ends = np.asarray(starts), np.asarray(ends)
        hashes = np.empty(len(self._starts), np.int64)
        self.longest = 0  # the most characters in one piece
        # A few thousand pieces at a time: all of them as str objects would be 17 MiB.
        for at in range(0, len(hashes), _CHUNK):
            spans = zip(
                self._starts[at : at + _CHUNK].tolist(), self._ends[at : at + _CHUNK].tolist()
            )
            pieces = [self._blob[a:b].decode("utf-8") for a, b in spans]
            hashes[at : at + len(pieces)] = list(map(hash, pieces))
            self.longest = max(self.longest, *map(len, pieces))
        # Stable: among equal hashes the higher id comes last, and a lookup keeps the last
        # match (a dict built in id order keeps the last id of a repeated piece too).
        self._order = np.argsort(hashes, kind="stable").astype(np.int32)
        self._hashes = hashes[self._order]

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._blob[self._starts[i] : self._ends[i]].decode("utf-8")

    def ids(self, texts: Sequence[str]) -> list[int]:
        """The id of each text that is a piece, -1 for the others."""
        out = [-1] * len(texts)
        if not texts or not len(self):
            return out
        keys = np.fromiter(map(hash, texts), np.int64, len(texts))
        at = np.searchsorted(self._hashes, keys)
        hit = np.nonzero(self._hashes[np.minimum(at, len(self) - 1)] == keys)[0]
        for i in hit.tolist():
            j = int(at[i])
            while j < len(self) and self._hashes[j] == keys[i]:
                piece = int(self._order[j])
                if self[piece] == texts[i]:
                    out[i] = piece
                j += 1
        return out
