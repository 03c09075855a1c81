"""A compact piece -> id lookup for the SentencePiece vocabularies the judge and the
multilingual encoder segment text with.

A dict of str keys held each vocabulary: 53 MiB for the judge's 250,000 XLM-R pieces (the
pieces list and the dict), 44 MiB for the encoder's 128,000 pieces and their prefixes, the
largest parts of a grading process after torch. Here a vocabulary is its UTF-8 text in one
bytes object, its pieces' hashes sorted in one int64 array, their ids and offsets in others
(about 30 bytes a piece besides its text); a lookup hashes the candidate substrings of a text
together, finds them with one binary search, and compares each hit with the piece's text, so
a hash collision can never turn a substring into the wrong piece.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np

_CHUNK = 8192


class PieceIndex(Sequence):
    """Piece ``i`` is ``blob[starts[i]:ends[i]]`` (UTF-8); ``index[i]`` is its text."""

    def __init__(
        self, blob: bytes, starts: Sequence[int], ends: Sequence[int], prefixes: bool = False
    ):
        self._blob = bytes(blob)
        # array, not numpy: reading one item is 3x faster, and lookups read one per hit.
        self._starts, self._ends = array("q", starts), array("q", ends)
        hashes = np.empty(len(self._starts), np.int64)
        starting: set[int] = set()
        self.longest = 0  # the most characters in one piece
        # A few thousand pieces at a time: all of them as str objects would be 17 MiB.
        for at in range(0, len(hashes), _CHUNK):
            spans = zip(self._starts[at : at + _CHUNK], self._ends[at : at + _CHUNK])
            pieces = [self._blob[a:b].decode("utf-8") for a, b in spans]
            hashes[at : at + len(pieces)] = list(map(hash, pieces))
            self.longest = max(self.longest, *map(len, pieces))
            if prefixes:
                starting.update(hash(p[:k]) for p in pieces for k in range(1, len(p)))
        # Stable: among equal hashes the higher id comes last, and a lookup keeps the last
        # match (a dict built in id order keeps the last id of a repeated piece too).
        self._order = np.argsort(hashes, kind="stable").astype(np.int32)
        self._hashes = hashes[self._order]
        # Runs of equal hashes (rare: a collision, or a piece listed twice): where one
        # starts -> the ids in it.
        changes = (np.flatnonzero(np.diff(self._hashes)) + 1).tolist()
        bounds = [0, *changes, len(self._hashes)]
        self._runs = {a: self._order[a:b].tolist() for a, b in zip(bounds, bounds[1:]) if b - a > 1}
        # Hashes of the pieces' shorter beginnings (with ``prefixes``): a text not among them
        # and not a piece begins no piece. Unchecked: a collision only costs a longer search.
        self._starting = np.array(sorted(starting), np.int64)

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self._blob[self._starts[i] : self._ends[i]].decode("utf-8")

    def ids(self, texts: Sequence[str]) -> list[int]:
        """The id of each text that is a piece, -1 for the others."""
        out = [-1] * len(texts)
        if not texts or not len(self._hashes):
            return out
        keys = np.fromiter(map(hash, texts), np.int64, len(texts))
        at = np.minimum(np.searchsorted(self._hashes, keys), len(self._hashes) - 1)
        hit = np.nonzero(self._hashes[at] == keys)[0]
        places = at[hit]
        for i, place, piece in zip(hit.tolist(), places.tolist(), self._order[places].tolist()):
            for candidate in self._runs.get(place, (piece,)):
                if self._blob[self._starts[candidate] : self._ends[candidate]] == texts[i].encode():
                    out[i] = candidate
        return out

    def begin_pieces(self, texts: Sequence[str]) -> list[bool]:
        """Whether each text is the beginning of a longer piece, as far as the hashes tell
        (needs ``prefixes``)."""
        if not texts or not len(self._starting):
            return [False] * len(texts)
        keys = np.fromiter(map(hash, texts), np.int64, len(texts))
        at = np.minimum(np.searchsorted(self._starting, keys), len(self._starting) - 1)
        return (self._starting[at] == keys).tolist()
