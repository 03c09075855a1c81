"""Texts a tokenizer is checked on against a reference (the judge's against `tokenizers`, the
multilingual encoder's against its package): awkward scripts and spacing, then every line of the
built-in banks and the answers of the graded files."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

AWKWARD = [
    "Привет мир",
    "naïve café",
    "emoji 😀 test",
    "a\tb\nc",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ⅫⅣ ①②",
    "learning rate 太大的话 training 会很慢",
]


def tokenizer_texts(*extra: str, graded_files: int | None = None) -> list[str]:
    """The awkward texts and ``extra``, every line of rubrics/*.toml, and the answers of the
    first ``graded_files`` files of data/graded (all of them by default)."""
    found = [*AWKWARD, *extra]
    for path in sorted((ROOT / "rubrics").glob("*.toml")):
        found += path.read_text(encoding="utf-8").splitlines()
    for path in sorted((ROOT / "data" / "graded").glob("*.jsonl"))[:graded_files]:
        found += [json.loads(line)["answer"] for line in path.read_text("utf-8").splitlines()]
    return found
