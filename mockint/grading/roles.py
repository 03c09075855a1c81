"""Which of two quantities a clause gives which of two roles.

"Train on one fold and validate on the other k-1" and "one fold is held out for validation and
the other k-1 are used for training" read alike to sentence embeddings and to the judge: the
same words, the roles exchanged. What tells them apart is which quantity each role goes with,
part by part. A mistake stated that way (`train-on-one-fold`) is stated by a clause that binds
its quantities the same way, and reversed by one that binds them the other way round.
"""

from __future__ import annotations

import re
from functools import lru_cache

# The quantity a part is about: the remaining k-1 folds (explicitly, or as "the rest") or the
# one fold. An explicit count wins over "the rest": "剩下的 1 份用来训练" is the one fold.
_K_MINUS_ONE = re.compile(r"\bk\s*(?:[-−–]|minus)\s*(?:1|one)\b", re.IGNORECASE)
_ONE = re.compile(
    r"\b(?:one|a single|1)\s+(?:of the\s+)?(?:folds?|parts?|chunks?|subsets?|pieces?|splits?)\b"
    r"|\b(?:remaining|other|last|left[- ]out|held[- ]out|single)\s+one\b"
    r"|(?<![A-Za-z0-9-])(?:其中\s*)?(?:一|1)\s*(?:份|折|块|部分|个\s*(?:fold|子集))",
    re.IGNORECASE,
)
_THE_REST = re.compile(
    r"\bthe\s+(?:other|remaining|rest)\b|\bremaining\b|其余|剩下|剩余|其他|其它", re.IGNORECASE
)
_ROLES = {
    "train": re.compile(r"\btrain|\bfit\b|\bfits\b|\bfitted\b|训练", re.IGNORECASE),
    "evaluate": re.compile(
        r"validat|\btest|evaluat|\bscor|held[- ]out|hold[- ]out|\bhold(?:s|ing)?\b.{0,12}\bout\b"
        r"|验证|测试|评估",
        re.IGNORECASE,
    ),
}
# Where one part of a clause ends: punctuation, and the conjunctions that join two bindings.
_PARTS = re.compile(r"[，,；;、。.!?！？:：()（）]|\b(?:and|while|whereas|then)\b|然后|而|并且|再")


def _quantity(part: str) -> str | None:
    if _K_MINUS_ONE.search(part):
        return "rest"
    if _ONE.search(part):
        return "one"
    if _THE_REST.search(part):
        return "rest"
    return None


@lru_cache(maxsize=2048)
def binding(text: str) -> dict[str, str]:
    """Quantity ("one", "rest") -> role ("train", "evaluate") for each part of ``text`` that
    names exactly one of each; a quantity given both roles in different parts is left out."""
    found: dict[str, set[str]] = {}
    for part in _PARTS.split(text):
        quantity = _quantity(part)
        roles = [role for role, pattern in _ROLES.items() if pattern.search(part)]
        if quantity is not None and len(roles) == 1:
            found.setdefault(quantity, set()).add(roles[0])
    return {q: next(iter(roles)) for q, roles in found.items() if len(roles) == 1}


def _compare(statement: str, clause: str) -> tuple[bool, bool]:
    """(some quantity bound alike, some bound otherwise) in ``clause`` and ``statement``."""
    said, told = binding(statement), binding(clause)
    shared = said.keys() & told.keys()
    return any(said[q] == told[q] for q in shared), any(said[q] != told[q] for q in shared)


def binds_alike(statements, clause: str) -> bool:
    """Whether ``clause`` gives the quantities of one of ``statements`` the same roles, and
    none another."""
    return any(_compare(s, clause) == (True, False) for s in statements)


def binds_otherwise(statements, clause: str) -> bool:
    """Whether ``clause`` gives the quantities of one of ``statements`` the other roles, and
    none the same."""
    return any(_compare(s, clause) == (False, True) for s in statements)
