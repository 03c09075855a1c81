"""Soft word alignment: does an answer say the words a key point adds to its question?

A sentence embedding scores "the paperclip is harder than the penny" and "the paperclip is
easier to scratch than the penny" almost alike: both are about paperclips, pennies and
scratching, which the question already said. What tells them apart is the one word the key
point adds ("harder"). This module measures that directly:

* the key point's **novel words** are its content words (not stop words) whose stem the question
  prompt does not contain: what an answer must say beyond echoing the question;
* every word of the answer and of the key point gets a *contextual* vector from the same
  sentence-transformers forward pass that embeds the text (wordpieces averaged into words), so
  "harder" matches "more hard" or "tougher" partly, and "easier" less;
* the **soft recall** of a key point in an answer unit is the mean, over the key point's novel
  words, of each word's best cosine against the unit's words (BERTScore-style recall, with the
  question's words discounted).

Measured on SemEval-2013 (``benchmarks/semeval_features.py``), soft recall generalises to
unseen questions far better than sentence similarity: one threshold fitted on SciEntsBank train
reaches ~0.74 accuracy on unseen questions, where the sentence similarity reaches ~0.67.

Costs: answer word vectors come from the forward pass that already embeds the answer's segments
(:func:`encode_with_words`); key-point word vectors are computed once per text
(:class:`WordVectorCache`); scoring is one small matrix product per key point
(:func:`unit_recalls`). Only meaningful for English text with an English wordpiece model: the
multilingual encoder gives no word vectors, so Chinese answers keep sentence similarity alone.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Stop words never count as a key point's content (the segmenter's set, plus what a tokenizer
# leaves of negative contractions).
STOPWORDS = frozenset(
    "the a an and or but of to in on at for with by from as is are was were be been being it its "
    "this that these those you your we our they their he she i me my so if then than when which "
    "who what how why can could will would should may might must do does did done have has had "
    "not no just only also very more most less much many some any all each every one two into "
    "out over about after before up down because there here them us".split()
    # "isn't" -> "isn", "'", "t"
    + "isn aren wasn weren don doesn didn won wouldn shouldn couldn haven hasn hadn".split()
)

_WORD = re.compile(r"[a-z]+")
# Suffixes stripped by :func:`stem`: (suffix, replacement, minimum word length).
_SUFFIXES = (
    ("ies", "y", 5),
    ("sses", "ss", 5),
    ("ing", "", 6),
    ("ed", "", 5),
    ("es", "", 5),
    ("s", "", 4),
)
# Tokenizer markers: BERT continues a word with "##"; SentencePiece/BPE start one with these.
_CONTINUATION = "##"
_WORD_START = ("\u2581", "\u0120")


def stem(word: str) -> str:
    """A crude, deterministic stem: plural and -ing/-ed endings off ("scratches" -> "scratch").

    Comparative endings are kept on purpose: "harder" must not collapse into a question's
    "hardness" and be discounted as an echo of it.
    """
    word = word.lower()
    for suffix, replacement, minimum in _SUFFIXES:
        if word.endswith(suffix) and len(word) >= minimum:
            if suffix == "s" and word.endswith("ss"):
                continue
            return word[: len(word) - len(suffix)] + replacement
    return word


def is_content(word: str) -> bool:
    """Whether ``word`` can carry a claim: alphabetic, 3+ letters, not a stop word."""
    word = word.lower()
    return len(word) > 2 and word.isalpha() and word not in STOPWORDS


def content_stems(text: str) -> frozenset[str]:
    """Stems of the content words of ``text`` (English letters only; no model needed)."""
    return frozenset(stem(w) for w in _WORD.findall(text.lower()) if is_content(w))


@dataclass(frozen=True)
class WordVectors:
    """The words of one text with their contextual vectors (one L2-normalised row per word)."""

    words: tuple[str, ...]
    vectors: np.ndarray

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(stem(w) for w in self.words)

    def content_mask(self) -> np.ndarray:
        """Booleans: which words are content words."""
        return np.array([is_content(w) for w in self.words], dtype=bool)

    def novel_mask(self, question_stems: Iterable[str] = ()) -> np.ndarray:
        """Content words whose stem the question does not contain.

        When every content word is in the question (a key point that restates it), all content
        words count; when there are none, every word does: the recall stays defined.
        """
        asked = frozenset(question_stems)
        content = self.content_mask()
        novel = content & np.array([s not in asked for s in self.stems], dtype=bool)
        if novel.any():
            return novel
        if content.any():
            return content
        return np.ones(len(self.words), dtype=bool)

    @staticmethod
    def join(parts: Sequence[WordVectors]) -> WordVectors:
        """The words of several texts together (e.g. two neighbouring segments)."""
        dims = next((p.vectors.shape[1] for p in parts if p.vectors.ndim == 2), 0)
        words = tuple(w for p in parts for w in p.words)
        vectors = [p.vectors for p in parts if len(p.words)]
        return WordVectors(
            words, np.vstack(vectors) if vectors else np.zeros((0, dims), dtype=np.float32)
        )


def words_from_pieces(pieces: Sequence[str], vectors: np.ndarray) -> WordVectors:
    """Merge a tokenizer's pieces into words, each word's vector the mean of its pieces'.

    Understands BERT wordpieces ("paper", "##cl", "##ip") and SentencePiece/BPE pieces
    ("\u2581paper", "clip"); special tokens ("[CLS]", "<s>", ...) are dropped.
    """
    marker_style = any(p.startswith(_WORD_START) for p in pieces)
    words: list[str] = []
    groups: list[list[np.ndarray]] = []
    for piece, vector in zip(pieces, np.asarray(vectors, dtype=np.float32)):
        if _is_special(piece):
            continue
        if marker_style:
            starts = piece.startswith(_WORD_START) or not words
            text = piece.lstrip("".join(_WORD_START))
        else:
            starts = not piece.startswith(_CONTINUATION) or not words
            text = piece if starts else piece[len(_CONTINUATION) :]
        if not text and starts:
            continue  # a bare word-start marker
        if starts:
            words.append(text.lower())
            groups.append([vector])
        else:
            words[-1] += text.lower()
            groups[-1].append(vector)
    dims = np.asarray(vectors).shape[-1] if np.asarray(vectors).ndim == 2 else 0
    if not words:
        return WordVectors((), np.zeros((0, dims), dtype=np.float32))
    merged = np.stack([np.mean(g, axis=0) for g in groups]).astype(np.float32)
    merged /= np.maximum(np.linalg.norm(merged, axis=1, keepdims=True), 1e-12)
    return WordVectors(tuple(words), merged)


def _is_special(piece: str) -> bool:
    return (piece.startswith("[") and piece.endswith("]")) or (
        piece.startswith("<") and piece.endswith(">")
    )


def supports_words(embedder: Any) -> bool:
    """Whether ``embedder`` gives word vectors (a sentence-transformers model with a tokenizer)."""
    model = getattr(embedder, "_model", None)
    return model is not None and hasattr(model, "tokenizer") and hasattr(model, "encode")


def encode_with_words(
    embedder: Any, texts: Sequence[str], batch_size: int = 64
) -> tuple[np.ndarray, list[WordVectors]]:
    """Sentence vectors and word vectors of ``texts`` from one forward pass.

    ``embedder`` is a :class:`~mockint.grading.embedder.SentenceTransformerEmbedder`; the
    sentence vectors are the ones its ``encode`` returns (L2-normalised), so a grader can use
    this call in place of ``encode`` for an answer's segments and get the words for free.
    """
    if not supports_words(embedder):
        raise TypeError(f"{getattr(embedder, 'name', embedder)!r} gives no word vectors")
    model = embedder._model
    if not texts:
        # (renamed in sentence-transformers 6; the old name warns)
        getter = getattr(model, "get_embedding_dimension", None)
        getter = getter or model.get_sentence_embedding_dimension
        return np.zeros((0, int(getter() or 0)), dtype=np.float32), []
    lock = getattr(embedder, "_lock", None) or threading.Lock()
    with lock:
        outputs = model.encode(
            list(texts),
            output_value=None,
            batch_size=batch_size,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
    tokenizer = model.tokenizer
    sentences, words = [], []
    for out in outputs:
        sentences.append(_numpy(out["sentence_embedding"]))
        ids = _numpy(out["input_ids"]).astype(int).tolist()
        pieces = tokenizer.convert_ids_to_tokens(ids)
        tokens = _numpy(out["token_embeddings"])[: len(pieces)]
        words.append(words_from_pieces(pieces, tokens))
    matrix = np.stack(sentences).astype(np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return matrix, words


def _numpy(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


class WordVectorCache:
    """Word vectors of rubric texts, computed once per text (thread-safe, in memory)."""

    def __init__(self, embedder: Any):
        self.embedder = embedder
        self._memory: dict[str, WordVectors] = {}
        self._lock = threading.Lock()

    def get(self, texts: Sequence[str]) -> list[WordVectors]:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._memory))
        if missing:
            _, words = encode_with_words(self.embedder, missing)
            with self._lock:
                self._memory.update(zip(missing, words))
        with self._lock:
            return [self._memory[t] for t in texts]

    def __len__(self) -> int:
        return len(self._memory)


def soft_recall(
    reference: WordVectors, answer: WordVectors, question_stems: Iterable[str] = ()
) -> float:
    """Mean over the reference's novel words of their best cosine against the answer's words.

    0 for an answer without words; about 0.1-0.3 for an unrelated answer, 0.4-0.6 for one on
    the topic that misses the point, 0.8+ for one that says every novel word.
    """
    if not len(answer.words) or not len(reference.words):
        return 0.0
    novel = reference.vectors[reference.novel_mask(question_stems)]
    return float((novel @ answer.vectors.T).max(axis=1).mean())


def unit_recalls(
    reference: WordVectors,
    segments: Sequence[WordVectors],
    question_stems: Iterable[str] = (),
    *,
    pairs: bool = True,
    extra: Sequence[WordVectors] = (),
) -> np.ndarray:
    """Soft recall of ``reference`` in every unit of an answer, in the grader's unit order.

    Units are the segments, then (``pairs``) each pair of neighbouring segments, whose words are
    the union of both, then the ``extra`` units (e.g. whole sentences embedded on their own):
    one matrix product for the whole answer, then maxima per unit.
    """
    groups = list(segments) + list(extra)
    n, n_extra = len(segments), len(extra)
    n_pairs = max(n - 1, 0) if pairs else 0
    if not groups or not len(reference.words):
        return np.zeros(n + n_pairs + n_extra)
    novel = reference.vectors[reference.novel_mask(question_stems)]
    lengths = np.array([len(g.words) for g in groups])
    joined = WordVectors.join(groups)
    best = np.full((len(novel), len(groups)), -1.0)  # (novel words, groups): best cosine
    if len(joined.words):
        sims = novel @ joined.vectors.T
        filled = np.flatnonzero(lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[filled]
        best[:, filled] = np.maximum.reduceat(sims, starts, axis=1)
    best = best.clip(min=0.0)  # a unit without words recalls nothing
    parts = [best[:, :n].mean(axis=0)]
    if n_pairs:
        parts.append(np.maximum(best[:, : n - 1], best[:, 1:n]).mean(axis=0))
    parts.append(best[:, n:].mean(axis=0))
    return np.concatenate(parts)


def lexical_recall(reference: str, answer: str, question: str = "") -> float:
    """Share of the reference's content stems beyond the question's that the answer contains
    verbatim (the exact-word counterpart of :func:`soft_recall`, shown for comparison)."""
    ref = content_stems(reference)
    novel = ref - content_stems(question) or ref
    if not novel:
        return 0.0
    return len(novel & content_stems(answer)) / len(novel)


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def alignable(texts: Sequence[str]) -> list[str]:
    """The texts without Chinese characters: the wordings an English wordpiece model can align
    (a key point's Chinese statement would only match as unknown tokens)."""
    return [t for t in texts if not _CJK.search(t)]


def key_point_recalls(
    references: Sequence[WordVectors],
    segments: Sequence[WordVectors],
    question_stems: Iterable[str] = (),
    *,
    extra: Sequence[WordVectors] = (),
) -> np.ndarray:
    """Per unit (segments, neighbouring pairs, then ``extra``), the best soft recall over a key
    point's wordings (statement and paraphrases); zeros when it has none."""
    if not references:
        return np.zeros(len(segments) + max(len(segments) - 1, 0) + len(extra))
    asked = frozenset(question_stems)
    return np.max([unit_recalls(r, segments, asked, extra=extra) for r in references], axis=0)


def aligned_similarity(similarity: np.ndarray, recall: np.ndarray, weight: float) -> np.ndarray:
    """``(1 - weight) * similarity + weight * recall`` per unit: what a key point's credit ramps.

    Units marked unusable with a negative similarity (the grader's -1 for a unit that states a
    misconception) stay as they are.
    """
    similarity = np.asarray(similarity, dtype=float)
    mixed = (1.0 - weight) * similarity + weight * np.asarray(recall, dtype=float)
    return np.where(similarity < 0, similarity, mixed)
