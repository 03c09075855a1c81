"""mockint installed the way Python command-line tools are: an sdist, a wheel built from it, and
the wheel installed into a folder far from the source tree, run through its own console script.

Dependencies are the copies already installed in the test's virtualenv (``--no-deps``, no build
isolation, no index), so the test works offline. The installed copy must find its built-in
question banks without the repository next to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import mockint
from mockint.locations import builtin_rubrics_dir

ROOT = Path(__file__).resolve().parents[2]
# What an sdist is built from; anything else the build needs is missing from the sdist too.
SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "mockint", "rubrics"]
BANKS = sorted(p.name for p in builtin_rubrics_dir().glob("*.toml"))
ANSWER = (
    "Batch normalization normalizes each layer's activations over the mini-batch to zero mean "
    "and unit variance, then a learned scale gamma and shift beta restore what the layer needs."
)


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{argv}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """An sdist built from a copy of the source tree, and a wheel built from that sdist."""
    work = tmp_path_factory.mktemp("build")
    source = work / "src"
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(origin, source / name, ignore=ignore)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / name)
    dist = work / "dist"
    build_sdist = "import sys; from setuptools import build_meta as b; b.build_sdist(sys.argv[1])"
    _run([sys.executable, "-c", build_sdist, str(dist)], cwd=source)
    [sdist] = dist.glob("mockint-*.tar.gz")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist),
          str(sdist)])  # fmt: skip
    [wheel] = dist.glob("mockint-*.whl")
    return {"sdist": sdist, "wheel": wheel, "pip": pip}


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory) -> dict[str, object]:
    """The wheel installed into a fresh folder, and how to run its console script."""
    target = tmp_path_factory.mktemp("installed") / "site"
    _run([*built["pip"], "install", "--no-deps", "--no-index", "--target", str(target),
          str(built["wheel"])])  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "MOCKINT_BUILTIN_RUBRICS"}
    env["PYTHONPATH"] = str(target)  # ahead of the virtualenv's editable mockint
    return {"target": target, "script": str(target / "bin" / "mockint"), "env": env}


def test_the_sdist_carries_the_banks_and_the_build_hook(built):
    with tarfile.open(built["sdist"]) as sdist:
        # Members sit in a mockint-<version>/ folder.
        names = {Path(*Path(name).parts[1:]).as_posix() for name in sdist.getnames()}
    assert {f"rubrics/{bank}" for bank in BANKS} <= names
    assert {"setup.py", "MANIFEST.in", "mockint/export/report.css"} <= names


def test_the_wheel_carries_the_banks_and_every_file_read_at_run_time(built):
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    assert {f"mockint/rubrics/{bank}" for bank in BANKS} <= names
    package = Path(mockint.__file__).parent
    data = [p for p in package.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert data, "the package's own data files (styles) were not found"
    for path in data:
        assert f"mockint/{path.relative_to(package).as_posix()}" in names


def test_the_installed_copy_runs_from_outside_the_source_tree(installed, tmp_path):
    """`--version`, `rubrics list`, `grade` and a piped plain interview, all from the install."""
    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    script, env = installed["script"], installed["env"]
    where = _run(
        [sys.executable, "-c", "import mockint.locations as l; print(l.builtin_rubrics_dir())"],
        cwd=run_dir,
        env=env,
    ).stdout.strip()
    assert Path(where) == installed["target"] / "mockint" / "rubrics"

    version = _run([script, "--version"], cwd=run_dir, env=env).stdout
    assert version.startswith(f"mockint {mockint.__version__}")
    assert "deep-learning" in version and "ml-fundamentals" in version

    listing = _run([script, "rubrics", "list"], cwd=run_dir, env=env)
    assert "skipped" not in listing.stderr
    assert "deep-learning: Deep learning fundamentals" in listing.stdout
    assert "ml-fundamentals: Machine learning fundamentals" in listing.stdout
    assert str(installed["target"]) in listing.stdout

    graded = _run([script, "grade", "batch-norm", "--answer", ANSWER], cwd=run_dir, env=env)
    assert "Score " in graded.stdout and "Covered:" in graded.stdout

    db = tmp_path / "history.db"
    argv = [script, "interview", "--plain", "--db", str(db), "--questions", "batch-norm"]
    interview = _run(argv, cwd=run_dir, env=env, input=ANSWER + "\n\n\n")
    assert "What is Batch Normalization" in interview.stdout
    assert "Score: " in interview.stdout
    assert "finished: 1 answered" in interview.stdout
