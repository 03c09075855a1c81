"""Every path mockint reads or writes, in one place.

User data lives in the platform's user data dir (``platformdirs``) unless ``MOCKINT_HOME`` points
elsewhere; tests always set ``MOCKINT_HOME`` to a temporary directory.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "mockint"


def home() -> Path:
    """The root of everything mockint writes for this user (created on first use)."""
    override = os.environ.get("MOCKINT_HOME")
    path = Path(override).expanduser() if override else user_data_path(APP_NAME, appauthor=False)
    _make(path)
    return path


def _subdir(name: str) -> Path:
    path = home() / name
    _make(path)
    return path


def _make(path: Path) -> None:
    # A data dir on a read-only disk is still readable: what needs to write there says so
    # (the history database with a one-line error), the rest carries on.
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)


def database_path() -> Path:
    """The default SQLite history file (``--db`` overrides it per command)."""
    return home() / "history.db"


def user_rubrics_dir() -> Path:
    """Question banks the user added; searched after the built-in ones."""
    return _subdir("rubrics")


def cache_dir() -> Path:
    """Disposable caches: rubric embeddings, joined speech-model files (``MOCKINT_CACHE_DIR``
    overrides, so tests can share one cache while each has its own home)."""
    override = os.environ.get("MOCKINT_CACHE_DIR")
    if override:
        path = Path(override).expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path
    return _subdir("cache")


def embeddings_cache_dir() -> Path:
    """Embeddings of rubric texts, one file per (model, text set)."""
    path = cache_dir() / "embeddings"
    path.mkdir(parents=True, exist_ok=True)
    return path


def recordings_dir() -> Path:
    """Spoken answers recorded in the app (kept so a transcript can be re-checked)."""
    return _subdir("recordings")


def config_path() -> Path:
    """Optional user settings (TOML): model name, prompt language, theme."""
    return home() / "config.toml"


def builtin_rubrics_dir() -> Path:
    """The question banks shipped with mockint: package data in an installed mockint (wheel,
    ``pip install .``, pipx; setup.py copies them in), the repository's top-level ``rubrics/``
    in a checkout or an editable install."""
    override = os.environ.get("MOCKINT_BUILTIN_RUBRICS")
    if override:
        return Path(override)
    package = Path(__file__).resolve().parent
    installed = package / "rubrics"
    return installed if installed.is_dir() else package.parent / "rubrics"
