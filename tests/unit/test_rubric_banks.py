"""The built-in question banks and their graded examples meet the project's standard."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")

DEEP_LEARNING_IDS = [
    "batch-norm", "bias-variance", "face-search", "classification-metrics", "backpropagation",
    "activation-functions", "hyperparameters", "learning-rate", "cnn-parameters",
    "imbalanced-data", "epoch-batch-iteration", "data-generators",
]  # fmt: skip
KIND_BANDS = {
    "excellent": (85, 100), "good": (65, 85), "partial": (35, 60), "vague": (10, 30),
    "misconception": (5, 30), "keyword-list": (5, 20), "off-topic": (0, 5),
    "zh-good": (70, 95), "zh-poor": (5, 35),
}  # fmt: skip


def test_builtin_banks_load_with_distinct_ids(library):
    assert [b.id for b in library.banks] == ["deep-learning", "ml-fundamentals"]
    assert [q.id for q in library.bank("deep-learning").questions] == DEEP_LEARNING_IDS
    ids = [q.id for _, q in library.questions()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("bank_id", ["deep-learning", "ml-fundamentals"])
def test_every_question_is_complete_in_both_languages(library, bank_id):
    bank = library.bank(bank_id)
    assert bank.languages == ["en", "zh"] and len(bank.questions) >= 12
    for q in bank.questions:
        where = f"{bank_id}/{q.id}"
        assert 3 <= len(q.key_points) <= 6, where
        assert q.misconceptions, where
        assert q.time_limit >= 60 and q.topic and q.difficulty in ("easy", "medium", "hard")
        for text in [q.prompt, q.model_answer] + [kp.text for kp in q.key_points]:
            assert text.get("en", fallback=False) and CJK.search(text.get("zh", fallback=False))
        for kp in q.key_points:
            assert kp.follow_up.get("en", fallback=False) and kp.follow_up.get("zh", fallback=False)
            assert kp.weight > 0


def test_ml_bank_is_written_to_the_full_standard(library):
    bank = library.bank("ml-fundamentals")
    topics = Counter(q.topic for q in bank.questions)
    assert len(topics) >= 5
    for q in bank.questions:
        assert len(q.misconceptions) >= 2, q.id
        for kp in q.key_points:
            where = f"{q.id}/{kp.id}"
            assert any(CJK.search(p) for p in kp.paraphrases), f"{where}: no Chinese paraphrase"
            assert any(not CJK.search(p) for p in kp.paraphrases), f"{where}: no English one"
            assert kp.terms, where
        for mc in q.misconceptions:
            assert mc.correction.get("en", fallback=False) and mc.correction.get("zh")
            assert 0 < mc.penalty <= 25


def _graded(name: str) -> list[dict]:
    path = ROOT / "data" / "graded" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_ml_graded_examples_cover_every_question_and_kind(library):
    rows = _graded("ml-fundamentals.jsonl")
    bank = library.bank("ml-fundamentals")
    pairs = Counter((r["question_id"], r["kind"]) for r in rows)
    for q in bank.questions:
        for kind in KIND_BANDS:
            assert pairs[(q.id, kind)] >= 1, f"{q.id} has no {kind} example"
    for r in rows:
        assert set(r) == {"question_id", "kind", "language", "answer", "score"}
        low, high = KIND_BANDS[r["kind"]]
        assert low <= r["score"] <= high, r
        assert r["language"] == ("zh" if CJK.search(r["answer"]) else "en"), r
    answers = [r["answer"] for r in rows + _graded("deep-learning.jsonl")]
    assert len(answers) == len(set(answers)), "an answer appears twice"


@pytest.mark.parametrize("bank_id", ["deep-learning", "ml-fundamentals"])
def test_every_topic_has_a_title_in_both_languages(library, bank_id):
    """A Chinese screen never shows a built-in topic's English id."""
    bank = library.bank(bank_id)
    assert set(bank.topics) == set(bank.topic_ids())
    for topic, entry in bank.topics.items():
        assert entry.title.get("en", fallback=False), topic
        assert CJK.search(entry.title.get("zh", fallback=False)), topic
    # A topic the two banks share is called the same in both.
    other = library.bank("ml-fundamentals" if bank_id == "deep-learning" else "deep-learning")
    for topic in set(bank.topics) & set(other.topics):
        assert bank.topics[topic] == other.topics[topic], topic
