"""Soft word alignment (mockint.grading.alignment) with the real all-MiniLM-L6-v2 model."""

from __future__ import annotations

import numpy as np
import pytest

from mockint.grading import alignment as al

PAPERCLIP_Q = (
    "If a mineral can be scratched by a penny, you can be sure that a paperclip will also "
    "scratch it. Explain how you know that the paperclip would scratch the mineral."
)
PAPERCLIP_REF = (
    "A paperclip is harder than a penny, so if a penny can scratch a mineral, a paperclip can "
    "also scratch the mineral."
)
BN_Q = "What does batch normalization do, and why does it help training?"
BN_REF = "It allows a higher learning rate and makes training less sensitive to initialization."


@pytest.fixture(scope="module")
def st(grader):
    """The sentence-transformers embedder (the one with word vectors)."""
    return grader.primary.embedder


@pytest.fixture(scope="module")
def refs(st):
    return al.WordVectorCache(st)


def words_of(st, text: str) -> al.WordVectors:
    return al.encode_with_words(st, [text])[1][0]


def test_stem_and_content_words():
    assert al.stem("scratches") == "scratch"
    assert al.stem("batteries") == "battery"
    assert al.stem("initialized") == al.stem("initializes") == "initializ"
    assert al.stem("class") == "class"
    # Comparatives keep their ending: "harder" is not the question's "hard".
    assert al.stem("harder") == "harder"
    assert al.is_content("Normalization") and not al.is_content("the") and not al.is_content("go")
    assert al.content_stems("The penny scratches minerals, isn't it?") == {
        "penny",
        "scratch",
        "mineral",
    }


def test_words_from_wordpieces_and_sentencepieces():
    vectors = np.eye(6, dtype=np.float32) * 3
    bert = al.words_from_pieces(["[CLS]", "paper", "##cl", "##ip", "is", "[SEP]"], vectors)
    assert bert.words == ("paperclip", "is")
    # The word's vector is the normalised mean of its pieces.
    np.testing.assert_allclose(bert.vectors[0], np.array([0, 1, 1, 1, 0, 0]) / np.sqrt(3))
    assert np.allclose(np.linalg.norm(bert.vectors, axis=1), 1.0)
    sp = al.words_from_pieces(["<s>", "\u2581Paper", "clip", "\u2581is", "</s>"], vectors[:5])
    assert sp.words == ("paperclip", "is")
    empty = al.words_from_pieces(["[CLS]", "[SEP]"], vectors[:2])
    assert empty.words == () and empty.vectors.shape == (0, 6)


def test_one_forward_pass_gives_sentence_and_word_vectors(st):
    texts = ["A paperclip is harder than a penny.", "Batch norm allows higher learning rates."]
    sentences, words = al.encode_with_words(st, texts)
    # Same sentence vectors as the embedder's own encode (int8 kernels may differ by a hair).
    cosines = np.sum(sentences * st.encode(texts), axis=1)
    assert np.all(cosines > 0.99)
    assert words[0].words == ("a", "paperclip", "is", "harder", "than", "a", "penny", ".")
    assert words[1].vectors.shape == (len(words[1].words), sentences.shape[1])
    assert np.allclose(np.linalg.norm(words[1].vectors, axis=1), 1.0, atol=1e-4)
    assert al.encode_with_words(st, [])[1] == []


def test_multilingual_encoder_gives_no_words(grader):
    assert al.supports_words(grader.primary.embedder)
    assert not al.supports_words(grader.multilingual.embedder)
    with pytest.raises(TypeError):
        al.encode_with_words(grader.multilingual.embedder, ["x"])


def test_novel_words_discount_the_question(refs):
    ref = refs.get([PAPERCLIP_REF])[0]
    asked = al.content_stems(PAPERCLIP_Q)
    novel = [w for w, m in zip(ref.words, ref.novel_mask(asked)) if m]
    assert novel == ["harder"]
    # A key point that only restates the question keeps all its content words.
    echo = refs.get(["The paperclip would scratch the mineral."])[0]
    assert [w for w, m in zip(echo.words, echo.novel_mask(asked)) if m] == [
        "paperclip",
        "scratch",
        "mineral",
    ]


def test_recall_separates_the_right_claim_from_an_echo_of_the_question(st, refs):
    ref = refs.get([PAPERCLIP_REF])[0]
    asked = al.content_stems(PAPERCLIP_Q)

    def recall(answer: str, question=asked) -> float:
        return al.soft_recall(ref, words_of(st, answer), question)

    right = recall("I know it would scratch it because a paperclip is harder than a penny.")
    wrong = recall("Because the paperclip is an easier item to scratch a mineral than a penny.")
    echo = recall("The paperclip would scratch the mineral.")
    off = recall("I like turtles.")
    assert right > 0.8
    assert right > wrong + 0.1
    assert right > echo + 0.4 and right > off + 0.4
    # Without the discount the echo looks like most of the reference: that is the point.
    assert recall("The paperclip would scratch the mineral.", ()) > echo + 0.3


def test_recall_on_an_interview_key_point(st, refs):
    ref = refs.get([BN_REF])[0]
    asked = al.content_stems(BN_Q)

    def recall(answer: str) -> float:
        return al.soft_recall(ref, words_of(st, answer), asked)

    paraphrase = recall("You can use larger learning rates and initialization matters less.")
    vague = recall("Batch normalization helps training by normalizing.")
    wrong = recall("It normalizes the weights of each layer.")
    assert paraphrase > vague + 0.15 and paraphrase > wrong + 0.15
    assert al.soft_recall(ref, al.WordVectors.join([]), asked) == 0.0


def test_unit_recalls_follow_the_graders_unit_order(st, refs):
    ref = refs.get(["It allows a higher learning rate."])[0]
    asked = al.content_stems(BN_Q)
    segments = al.encode_with_words(
        st, ["Batch norm standardizes activations.", "", "So you can use a larger learning rate."]
    )[1]
    recalls = al.unit_recalls(ref, segments, asked)
    assert recalls.shape == (5,)  # 3 segments, then 2 neighbouring pairs
    assert recalls[1] == 0.0  # a segment without words
    for i, seg in enumerate(segments):
        if seg.words:
            assert recalls[i] == pytest.approx(al.soft_recall(ref, seg, asked), abs=1e-6)
    pair = al.soft_recall(ref, al.WordVectors.join(segments[1:]), asked)
    assert recalls[4] == pytest.approx(pair, abs=1e-6)
    assert recalls[2] > recalls[0] + 0.3
    assert al.unit_recalls(ref, segments, asked, pairs=False).shape == (3,)
    assert al.unit_recalls(ref, [], asked).shape == (0,)


def test_lexical_recall_counts_novel_stems():
    assert al.lexical_recall(PAPERCLIP_REF, "It is harder than a penny.", PAPERCLIP_Q) == 1.0
    assert al.lexical_recall(PAPERCLIP_REF, "The paperclip scratches.", PAPERCLIP_Q) == 0.0
    assert al.lexical_recall("Gradients vanish.", "gradient vanishes") == 1.0
    assert al.lexical_recall("", "anything") == 0.0


def test_word_vector_cache_reuses_vectors(st):
    cache = al.WordVectorCache(st)
    first = cache.get([BN_REF, PAPERCLIP_REF])
    again = cache.get([PAPERCLIP_REF])
    assert len(cache) == 2 and again[0] is first[1]


def test_key_point_recalls_take_the_best_wording(st, refs):
    wordings = refs.get(["It allows a higher learning rate.", "Initialization matters less."])
    asked = al.content_stems(BN_Q)
    segments = al.encode_with_words(
        st, ["You can use a larger learning rate.", "And initialization matters less."]
    )[1]
    best = al.key_point_recalls(wordings, segments, asked)
    each = [al.unit_recalls(w, segments, asked) for w in wordings]
    np.testing.assert_allclose(best, np.maximum(*each))
    assert best[0] == pytest.approx(each[0][0]) and best[1] == pytest.approx(each[1][1])
    assert np.all(al.key_point_recalls([], segments, asked) == 0.0)


def test_aligned_similarity_mixes_and_keeps_blocked_units():
    mixed = al.aligned_similarity(np.array([0.6, -1.0, 0.2]), np.array([0.8, 0.9, 0.4]), 0.75)
    np.testing.assert_allclose(mixed, [0.75, -1.0, 0.35])
    assert al.alignable(["It helps.", "它有帮助。", "BN 有帮助"]) == ["It helps."]


def test_extra_units_come_after_the_pairs(st, refs):
    ref = refs.get(["It allows a higher learning rate."])[0]
    parts = ["It standardizes activations.", "Higher learning rates."]
    segments = al.encode_with_words(st, parts)[1]
    whole = al.encode_with_words(st, ["It standardizes activations, so higher learning rates."])[1]
    recalls = al.unit_recalls(ref, segments, extra=whole)
    assert recalls.shape == (4,)
    np.testing.assert_allclose(recalls[:3], al.unit_recalls(ref, segments))
    assert recalls[3] == pytest.approx(al.soft_recall(ref, whole[0]), abs=1e-6)
    assert al.key_point_recalls([ref], segments, extra=whole).shape == (4,)
    assert al.unit_recalls(ref, [], extra=whole).shape == (1,)
