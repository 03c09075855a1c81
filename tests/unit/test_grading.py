"""The grader on real answers with the real models (one grader for the whole session)."""

from __future__ import annotations

import pytest

from mockint.grading import calibration as cal
from mockint.grading.calibration import curve
from mockint.grading.embedder import CachedEncoder, SentenceTransformerEmbedder
from mockint.grading.grader import mentions_any
from mockint.grading.segmenter import word_count

GOOD_BN = (
    "Batch normalization normalizes the activations of each layer over the mini-batch, so they "
    "have zero mean and unit variance. After that it applies a learnable scale gamma and shift "
    "beta so the network can undo it if needed. Because the inputs of each layer stay stable, "
    "training converges faster and we can use a higher learning rate. It also has a small "
    "regularizing effect, and at inference it uses the running mean and variance."
)
PARTIAL_BN = "Batch norm makes each layer's outputs zero mean and unit variance over the batch."
SHALLOW_BN = (
    "BN normalizes each layer's activations over the mini-batch, then gamma and beta rescale "
    "them. It allows higher learning rates, keeps sigmoid out of saturation, regularizes a "
    "little, and uses running averages at inference."
)
WRONG_BN = (
    "Batch normalization normalizes the weights of every layer so that they stay small, "
    "which is why it works like weight decay."
)
KEYWORDS_BN = "mean, variance, gamma, beta, covariate shift, regularization"
VAGUE_BN = (
    "Batch normalization is a very important technique in deep learning. It helps the network "
    "train better in many ways and most modern architectures use it."
)
OFF_TOPIC_BN = (
    "If the learning rate is too high the loss oscillates and can diverge; if it is too low "
    "training is very slow. I would use a learning rate schedule with warmup."
)
ZH_GOOD_BN = (
    "Batch Normalization 是在 mini-batch 上把每一层的激活输出归一化成均值 0、方差 1，"
    "然后再用可学习的 gamma 和 beta 做缩放和平移。这样每层输入分布稳定，梯度更稳定，"
    "可以用更大的学习率，训练收敛更快，还有一定的正则化效果。推理时用训练时累计的均值和方差。"
)


@pytest.fixture(scope="module")
def bn(library):
    return library.find_question("batch-norm")


def grade(grader, bank_question, answer, **kwargs):
    bank, question = bank_question
    return grader.grade(question, answer, bank_id=bank.id, other_questions=bank.questions, **kwargs)


def test_good_answer_hits_the_main_points_with_evidence(grader, bn):
    result = grade(grader, bn, GOOD_BN)
    statuses = {kp.id: kp.status for kp in result.key_points}
    assert statuses["normalizes-activations"] == "hit"
    assert statuses["gamma-beta"] == "hit"
    assert result.score >= 65, result.model_dump()
    for kp in result.key_points:
        if kp.status != "miss":
            start, end = kp.evidence_span
            assert GOOD_BN[start:end] == kp.evidence
    assert result.misconceptions == []
    assert result.language == "en"


def test_partial_answer_scores_between_nothing_and_good(grader, bn):
    partial = grade(grader, bn, PARTIAL_BN)
    good = grade(grader, bn, GOOD_BN)
    assert {kp.status for kp in partial.key_points} >= {"miss"}
    assert 10 <= partial.score < good.score
    # The follow-up asks about the most important point that was missed.
    missed = [kp for kp in partial.key_points if kp.status != "hit"]
    heaviest = max(kp.weight for kp in missed)
    target = next(kp for kp in partial.key_points if kp.id == partial.follow_up_key_point)
    assert target.weight == heaviest and partial.follow_up == target.follow_up


def test_misconception_is_named_and_penalised(grader, bn):
    wrong = grade(grader, bn, WRONG_BN)
    assert [m.id for m in wrong.misconceptions] == ["normalizes-weights"]
    assert "weights" in wrong.misconceptions[0].evidence
    # Penalised below what its coverage earns, down to the floor of an answer that engaged
    # the question with a mistake.
    assert wrong.misconceptions[0].penalty > 0
    assert wrong.score <= max(wrong.coverage, cal.MISTAKE_FLOOR)
    assert wrong.score < grade(grader, bn, PARTIAL_BN).score
    # The sentence that states the mistake is not evidence for the point it imitates.
    activations = next(kp for kp in wrong.key_points if kp.id == "normalizes-activations")
    assert activations.status == "miss"


def test_denying_a_misconception_is_not_stating_it(grader, library):
    bank, question = library.find_question("classification-metrics")
    answer = (
        "Accuracy is not enough on imbalanced data: predicting everything as normal gives "
        "99.999% accuracy. I look at precision, recall, F1 and the PR curve instead."
    )
    result = grader.grade(question, answer, bank_id=bank.id, other_questions=bank.questions)
    assert result.misconceptions == []
    assert result.score >= 40


def test_keyword_list_and_vague_answers_score_below_a_partial_answer(grader, bn):
    partial = grade(grader, bn, PARTIAL_BN).score
    keywords = grade(grader, bn, KEYWORDS_BN)
    vague = grade(grader, bn, VAGUE_BN)
    assert keywords.score < partial and vague.score < partial
    assert any("list of terms" in note for note in keywords.notes)


def test_answer_to_another_question_is_off_topic(grader, bn):
    result = grade(grader, bn, OFF_TOPIC_BN)
    assert result.score <= 10
    assert result.verdict in ("off-topic", "poor")


def test_chinese_answer_is_graded_like_an_english_one(grader, bn):
    zh = grade(grader, bn, ZH_GOOD_BN)
    assert zh.language == "zh"
    assert zh.score > grade(grader, bn, PARTIAL_BN).score
    assert any(kp.status == "hit" for kp in zh.key_points)
    # Feedback follows the answer's language unless asked otherwise.
    assert zh.follow_up is None or any("\u4e00" <= ch <= "\u9fff" for ch in zh.follow_up)
    english_feedback = grade(grader, bn, ZH_GOOD_BN, language="en")
    assert english_feedback.model_answer.startswith("Batch Normalization normalizes")


@pytest.mark.parametrize("answer", ["", "   ", "\n\n"])
def test_empty_answer_scores_zero(grader, bn, answer):
    result = grade(grader, bn, answer)
    assert result.score == 0 and result.verdict == "empty"
    assert all(kp.status == "miss" for kp in result.key_points)


def test_one_word_answer_scores_low(grader, bn):
    assert grade(grader, bn, "normalization").score < 15


def test_huge_answer_is_graded_on_its_beginning(grader, bn):
    answer = GOOD_BN + " " + ("filler words without meaning " * 40_000)
    assert len(answer) > 1_000_000
    result = grade(grader, bn, answer)
    assert any("first" in note for note in result.notes)
    assert result.score > 0


def test_run_on_spoken_answer_without_punctuation(grader, bn):
    spoken = (
        "so basically batch norm takes the output of each layer and normalizes it to zero "
        "mean and unit variance over the mini batch and then it has a learnable scale and "
        "shift gamma and beta which lets the network undo it and this makes training more "
        "stable so you can use higher learning rates"
    )
    result = grade(grader, bn, spoken)
    status = {kp.id: kp for kp in result.key_points}
    assert status["normalizes-activations"].status == "hit"
    assert status["gamma-beta"].status != "miss" and "gamma" in status["gamma-beta"].evidence
    # Windows of a run-on stream are quoted from the candidate's own words.
    assert status["normalizes-activations"].evidence in spoken
    assert result.score >= 40


def test_hints_cost_points(grader, bn):
    plain = grade(grader, bn, PARTIAL_BN)
    hinted = grade(grader, bn, PARTIAL_BN, hints_used=1)
    assert hinted.score < plain.score
    assert any(n.startswith("1 hint used: -") for n in hinted.notes), hinted.notes
    twice = grade(grader, bn, PARTIAL_BN, hints_used=2)
    assert any(n.startswith("2 hints used: -") for n in twice.notes), twice.notes


def test_every_number_is_traceable(grader, bn):
    result = grade(grader, bn, GOOD_BN)
    _, question = bn
    expected = 100 * sum(kp.weight * kp.credit for kp in result.key_points) / question.total_weight
    assert result.coverage == pytest.approx(expected, abs=0.2)
    # The score is the documented curve of coverage, minus the penalties.
    assert result.score == pytest.approx(max(0.0, curve(result.coverage) - result.penalty), abs=0.3)


def test_rubric_embeddings_are_cached_on_disk_and_invalidated_by_text(tmp_path, grader):
    cache = CachedEncoder(grader.multilingual.embedder, tmp_path)
    first = cache.encode(["Batch norm normalizes activations."])
    cache.save()
    files = list(tmp_path.glob("*.npz"))
    assert len(files) == 1
    reloaded = CachedEncoder(grader.multilingual.embedder, tmp_path)
    assert reloaded.cached_count == 1
    calls = []
    original = reloaded.embedder.encode

    def spy(texts):
        calls.append(list(texts))
        return original(texts)

    reloaded.embedder = type("Spy", (), {"encode": staticmethod(spy), "name": cache.name})()
    again = reloaded.encode(["Batch norm normalizes activations."])
    assert calls == [] and (again == first).all()
    reloaded.encode(["Batch norm normalizes the activations."])  # edited text: re-embedded
    assert calls == [["Batch norm normalizes the activations."]]


def test_cache_is_per_model(tmp_path, grader):
    a = CachedEncoder(grader.primary.embedder, tmp_path)
    b = CachedEncoder(grader.multilingual.embedder, tmp_path)
    a.encode(["same text"])
    a.save()
    b.encode(["same text"])
    b.save()
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_chinese_misconception_is_named(grader, bn):
    wrong = grade(grader, bn, "BN 就是对每层的权重做归一化，让权重保持在比较小的范围。")
    right = grade(grader, bn, "BN 在 mini-batch 上把每一层的激活输出归一化成均值 0、方差 1。")
    assert [m.id for m in wrong.misconceptions] == ["normalizes-weights"]
    assert right.misconceptions == [] and wrong.score < right.score


@pytest.mark.parametrize(
    "answer",
    [
        "normalization - mini-batch - zero mean - unit variance - gamma - beta - faster training",
        "activations: normalized. gamma, beta. higher learning rate. regularization",
        "mean / variance / gamma / beta / running statistics / out of memory",
    ],
)
def test_dashed_and_telegraphic_lists_are_keyword_lists(grader, bn, answer):
    result = grade(grader, bn, answer)
    assert any("list of terms" in note for note in result.notes), result.notes
    assert result.score <= cal.KEYWORD_LIST_CAP
    assert result.score < grade(grader, bn, PARTIAL_BN).score


def test_terse_answer_that_relates_its_terms_is_not_a_keyword_list(grader, bn):
    terse = (
        "- normalizes activations over the mini-batch -> zero mean, unit variance\n"
        "- then gamma and beta scale and shift, so the layer can undo it\n"
        "- at inference it uses running averages"
    )
    result = grade(grader, bn, terse)
    assert not any("list of terms" in note for note in result.notes)
    assert result.score > grade(grader, bn, KEYWORDS_BN).score


def test_a_poor_answer_that_states_nothing_of_another_question_is_not_off_topic(grader, library):
    """Off-topic means it answers another question: states one of its key points. This poor
    answer to the face-search question ("just use a deep model, tune the database, buy a faster
    server") resembles the epoch/batch/iteration question more (0.41 against 0.28), as vague
    answers about training do, but says nothing that question asks for."""
    bank, question = library.find_question("face-search")
    poor = "用深度学习模型直接识别就行，数据库做好优化，服务器性能好一点，速度就快了。"
    result = grader.grade(question, poor, bank_id=bank.id, other_questions=bank.questions)
    assert result.verdict != "off-topic"
    assert not any("另一个问题" in n or "different question" in n for n in result.notes)
    assert result.score <= 30
    # An answer stating another question's points is still off-topic.
    _, lr = library.find_question("learning-rate")
    bn = library.find_question("batch-norm")[1]
    lr_answer = lr.model_answer.get("en")
    other = grader.grade(bn, lr_answer, bank_id=bank.id, other_questions=bank.questions)
    assert other.verdict == "off-topic"


def test_vague_on_topic_answer_is_not_off_topic_and_earns_the_floor(grader, bn):
    vague = grade(grader, bn, VAGUE_BN)
    assert not any("different question" in note for note in vague.notes)
    assert vague.misconceptions == []
    assert cal.ON_TOPIC_FLOOR > 0  # the calibrated floor is in use...
    assert vague.score >= cal.ON_TOPIC_FLOOR  # ...and this answer gets at least that
    # It still ranks below a partial answer, and a wrong answer does not get the floor.
    assert vague.score < grade(grader, bn, PARTIAL_BN).score
    assert grade(grader, bn, WRONG_BN).score < vague.score


def test_brief_answer_is_graded_on_what_it_covers(grader, bn):
    brief = "BN normalizes activations, then gamma and beta rescale."
    result = grade(grader, bn, brief)
    assert result.coverage > 0  # the words are right...
    # ...but one line covers few of the six key points: below a complete answer.
    assert result.score < grade(grader, bn, GOOD_BN).score


def test_a_line_per_point_is_held_below_an_answer_that_explains_them(grader, bn):
    # Every point of batch norm named, none explained: the whole question's answer is held to
    # the length of its model answer.
    result = grade(grader, bn, SHALLOW_BN)
    _, question = bn
    share = word_count(SHALLOW_BN) / word_count(question.model_answer.get("en"))
    assert share < 0.5 and result.coverage >= 70  # most points named, in a third of the words
    assert result.score <= cal.DEPTH_BASE + (100 - cal.DEPTH_BASE) * share + 0.1
    assert any("explain how and why" in note for note in result.notes)
    # The model answer itself is not held back, nor a follow-up, which asks for one point.
    assert grade(grader, bn, question.model_answer.get("en")).score >= 95
    focus = grade(
        grader, bn, "BN normalizes each layer's activations.", focus="normalizes-activations"
    )
    assert not any("explain how and why" in note for note in focus.notes)


def test_a_term_or_two_is_not_an_answer(grader, bn):
    """Held down by the question's own length expectation: a few words against what its key
    points take to say."""
    answer = "normalizes layer activations"
    result = grade(grader, bn, answer)
    _, question = bn
    asked = sum(word_count(kp.text.get("en")) for kp in question.key_points)
    assert word_count(answer) < cal.MIN_ANSWER_WORDS
    assert result.coverage >= 20  # it does name the first point...
    assert result.score <= 100 * word_count(answer) / (asked * cal.BRIEF_SHARE) + 0.1
    assert result.score <= 25  # ...but is no answer to a question of five points
    assert any("too short" in note for note in result.notes)


SHORT_POINT_BANK = """
id = "search"
title.en = "Search"
[[questions]]
id = "bst-lookup"
topic = "trees"
prompt.en = "How many comparisons does a lookup in a balanced binary search tree take?"
model_answer.en = "About the height of the tree, the logarithm of the number of nodes: O(log n)."
[[questions.key_points]]
id = "height"
text.en = "About the height of the tree, which is the logarithm of the number of nodes."
follow_up.en = "Why the height?"
[topics.trees]
title.en = "Trees"
"""


def test_a_few_words_can_answer_a_question_of_a_few_words(grader, tmp_path):
    """Where the one key point is a short sentence, a short right answer is not cut to a fixed
    "too short" cap (10 until stop 42): graders gave "O(log n)" full marks for the comparisons
    a binary-search-tree lookup takes (Mohler et al. 2011). Wrong short answers still earn
    nothing."""
    from mockint.rubric import load_bank

    path = tmp_path / "search.toml"
    path.write_text(SHORT_POINT_BANK, encoding="utf-8")
    bank = load_bank(path)
    question = bank.questions[0]

    def score(answer: str):
        return grader.grade(question, answer, bank_id=bank.id)

    right = score("O(log n)")
    assert word_count("O(log n)") < cal.MIN_ANSWER_WORDS
    assert right.coverage > 0 and not any("too short" in note for note in right.notes)
    assert right.score > 20, right.model_dump()
    for wrong in ("n squared", "a learning rate", "it is a linked list"):
        assert score(wrong).score <= right.score - 20


def test_primary_model_runs_quantised_with_its_own_cache(tmp_path, grader, monkeypatch):
    assert grader.primary.name == "all-MiniLM-L6-v2:int8"
    monkeypatch.setenv("MOCKINT_QUANTIZE", "0")
    exact = SentenceTransformerEmbedder()
    assert exact.name == "all-MiniLM-L6-v2"
    texts = ["Batch norm normalizes the activations.", "Backprop applies the chain rule."]
    quantised, float32 = grader.primary.embedder.encode(texts), exact.encode(texts)
    # Close to the published model's vectors, but not the same: they must not share a cache.
    agreement = (quantised * float32).sum(axis=1)
    assert (agreement > 0.9).all() and (agreement < 0.99999).any()
    for embedder in (exact, grader.primary.embedder):
        cache = CachedEncoder(embedder, tmp_path)
        cache.encode(texts)
        cache.save()
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_a_segment_embeds_the_same_alone_or_beside_others(grader):
    # With torch's per-batch int8 activation scales a segment embedded beside a long one came
    # out at cosine 0.88 of itself embedded alone: a grade depended on the answer's other text.
    embedder = grader.primary.embedder
    segment = "Batch norm normalizes the activations."
    beside = ["Backprop applies the chain rule " * 12, "OK.", segment]
    alone, batched = embedder.encode([segment])[0], embedder.encode(beside)[2]
    assert float(alone @ batched) > 0.995


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        ("the actual positive cases", ["actual positives"], True),  # inflected, words apart
        ("with regularization", ["regulariz"], True),  # a stem matches at a word start
        ("i asked madam", ["adam"], False),  # ...never inside a word
        ("precision = tp / (tp + fp)", ["tp + fn"], False),
        ("l2 会把权重压成零", ["零"], True),
        # One word may come between a term's words, never a negation.
        ("one full pass over the whole training dataset", ["whole dataset"], True),
        ("a batch never finishes", ["a batch finishes"], False),
        ("the whole of the training dataset", ["whole dataset"], False),
        # A term named only to be set aside is not said; a term that holds the denial is.
        ("it normalizes the weights of each layer, not the activations", ["activation"], False),
        ("it normalizes the activations, not the weights", ["activation"], True),
        ("one batch at a time instead of loading the whole dataset", ["whole dataset"], False),
        ("bn 归一化的是激活值而不是权重", ["权重"], False),
        ("the gradients of the layers add up rather than multiply", ["rather than multipl"], True),
        ("it is not only the activations, it is also the gradients", ["activation"], True),
        # A Chinese term through the filler words candidates put inside it, never 的, which
        # turns a noun into a clause ("预测为正的样本里" is not "正样本里")...
        ("最有效的办法就是加更多的训练数据", ["更多的数据"], True),
        ("先加一些训练数据试试", ["加数据"], True),
        ("预测为正的样本里真正为正的比例", ["正样本里"], False),
        ("加不了数据", ["加数据"], False),
        # ...and with any copula.
        ("l2 等价于拉普拉斯先验", ["l2 相当于拉普拉斯"], True),
        ("l2 就是拉普拉斯先验", ["l2 对应拉普拉斯"], True),
    ],
)
def test_critical_terms_match_inflections_but_not_inside_words(text, terms, expected):
    assert mentions_any(text, terms) is expected


def test_chinese_misconception_in_one_clause_of_a_long_sentence(grader, library):
    bank, question = library.find_question("classification-metrics")
    answer = "准确率一般都可以用，precision 就是真实正样本里被模型找出来的比例，recall 也差不多。"
    result = grader.grade(question, answer, bank_id=bank.id, other_questions=bank.questions)
    assert "precision-is-recall" in [m.id for m in result.misconceptions]
    assert result.score < 30


def test_notes_are_written_in_the_feedback_language(grader, bn):
    listed = "均值、方差、gamma、beta、正则化、学习率"
    zh = grade(grader, bn, listed)
    assert any("术语" in n for n in zh.notes) and "术语" in zh.feedback
    en = grade(grader, bn, listed, language="en")
    assert any("list of terms" in n for n in en.notes) and "list of terms" in en.feedback
    assert zh.score == en.score  # the language of the words changes nothing else


# Names one word of a point ("scale") and nothing it says about it.
SLIVER_BN = "Batch normalization helps the network train, and it has a scale."


def test_a_sliver_of_credit_is_shown_as_barely_without_a_quote(grader, bn):
    from mockint.commands.grade import render_report
    from mockint.tui.render import grade_turn

    result = grade(grader, bn, SLIVER_BN)
    slivers = [kp for kp in result.key_points if kp.barely]
    assert slivers, [(kp.id, kp.status, kp.credit) for kp in result.key_points]
    assert all(kp.status == "partial" and 0 < kp.credit < 0.25 for kp in slivers)
    report = render_report(bn[1], SLIVER_BN, result)
    assert "barely" in report and f"“{slivers[0].evidence}" not in report
    shown = grade_turn(result, "en").plain
    assert "(barely touched on)" in shown.split("You missed:")[1]
    assert f"“{slivers[0].evidence}" not in shown


def test_resembling_a_point_without_any_of_its_terms_earns_nothing(grader, bn):
    """A vague answer sounds like several points; it names none of their critical terms, so it
    covers none of them, not a tenth of each (issue 16: slivers added up to 38/100 for an
    answer about dropout)."""
    result = grade(grader, bn, VAGUE_BN)
    assert all(kp.credit == 0 for kp in result.key_points), [
        (kp.id, kp.credit) for kp in result.key_points
    ]
    assert result.coverage == 0


def test_english_key_points_are_matched_on_the_words_they_add_to_the_question(grader, bn):
    _, question = bn
    refs = grader._question_refs(question)
    point = [kp.id for kp in question.key_points].index("normalizes-activations")

    def best_recall(answer):
        units = grader._embed_units(answer, "en")
        assert units.words is not None and len(units.words) == len(units.segments)
        return float(grader._recalls(refs, units, "en")[point].max())

    # Saying what is normalised, and over what, recalls the point's words; talking about
    # batch norm in general does not, however on-topic it sounds.
    assert best_recall(PARTIAL_BN) > best_recall(VAGUE_BN) + 0.1
    # Chinese answers are judged by the multilingual encoder alone: no word vectors there.
    zh_units = grader._embed_units(ZH_GOOD_BN, "zh")
    assert grader._recalls(refs, zh_units, "zh") is None


def one_point_bank(lang: str, questions: list[tuple[str, str, str]]) -> str:
    """A bank TOML in one language: per question (id, prompt, model answer), whose one key
    point is its model answer."""
    lines = ['id = "lists"', f'title.{lang} = "Lists"', f'languages = ["{lang}"]']
    for qid, prompt, answer in questions:
        lines += [
            "[[questions]]",
            f'id = "{qid}"',
            'topic = "lists"',
            f'prompt.{lang} = "{prompt}"',
            f'model_answer.{lang} = "{answer}"',
            "[[questions.key_points]]",
            'id = "point"',
            f'text.{lang} = "{answer}"',
            f'follow_up.{lang} = "{prompt}"',
        ]
    return "\n".join(lines) + "\n"


LIST_BANK = one_point_bank(
    "en",
    [
        (
            "stack-operations",
            "What are the main operations associated with a stack?",
            "push and pop",
        ),
        (
            "linked-list",
            "What is the advantage of linked lists over arrays?",
            "A linked list can grow and shrink at run time, while an array has a fixed size.",
        ),
    ],
)


def test_a_list_answers_a_question_that_asks_for_a_list(grader, tmp_path):
    """The keyword-list cap is for terms given where the question wants them related; "push,
    pop, peek, isEmpty" to "the main operations of a stack" (model answer "push and pop") is the
    answer itself. Before, such answers scored 5/100 (28 of Mohler et al.'s real students'
    answers, graded 4.2 of 5 on average by their teachers)."""
    from mockint.rubric import load_bank

    path = tmp_path / "lists.toml"
    path.write_text(LIST_BANK, encoding="utf-8")
    bank = load_bank(path)
    stack, linked = bank.questions
    answer = "push, pop, peek, isEmpty"
    result = grader.grade(stack, answer, bank_id=bank.id, other_questions=bank.questions)
    assert not any("list of terms" in note for note in result.notes), result.notes
    assert result.score >= 70
    # The same kind of list where the model answer relates its ideas is still capped.
    terms = "linked list, dynamic, grow, shrink, fixed size array"
    capped = grader.grade(linked, terms, bank_id=bank.id, other_questions=bank.questions)
    assert any("list of terms" in note for note in capped.notes), capped.notes
    assert capped.score <= cal.KEYWORD_LIST_CAP


@pytest.mark.parametrize(
    ("text", "is_list"),
    [
        ("均值，方差，gamma，beta，协变量偏移，正则化", True),
        ("L1, L2, dropout, early stopping", True),
        # Prose: a terse Chinese answer joins its clauses with commas and a conjunction (但).
        ("错误，大小无序，但出栈遵循，先进后出", False),
        # An example walked through: numbers are not terms.
        ("错误。例如 1/2/3 进栈，3 出栈，4/5 进栈，5/4/2 出栈，出栈顺序为 354261。", False),
        # Code: semicolons cut it into short items, and it is still not a list of terms.
        ("int Empty(Stack &s1, Stack &s2) { if (s1.empty() && s2.empty()) return 1; }", False),
        ("Push(S, x); // x 入栈\nPop(S, x); // 出栈\nStackEmpty(S); // 判断是否为空", False),
        # A sentence that gives examples of what it says (a real student's right answer).
        (
            "A way to store different values into the program, such as numbers, words, "
            "letters, etc.",
            False,
        ),
        (
            "A prototype only declares name, return type, and input type. A definition also "
            "defines the scope, variables, process, and return function",
            False,
        ),
    ],
)
def test_what_reads_as_a_list_of_terms(text, is_list):
    from mockint.grading.grader import _looks_like_keyword_list

    assert _looks_like_keyword_list(text) is is_list


ZH_LIST_BANK = one_point_bank(
    "zh",
    [
        ("count-check", "数量检验分为哪些形式？", "数量检验分为三种形式：计件、检斤、检尺求积。"),
        (
            "why-check",
            "为什么要做数量检验？",
            "因为到货数量可能和订单不符，检验可以及时发现短缺并明确责任。",
        ),
    ],
)


def test_a_model_answer_that_lists_after_a_colon_wants_a_list(grader, tmp_path):
    """Real Chinese students' answers to "数量检验分为哪些形式？" (model answer "数量检验分为
    三种形式：计件、检斤、检尺求积。") are the three terms; graded 1.0 of 1 by their teachers
    (SAS-zh LE), they were capped at 5."""
    from mockint.grading.grader import _wants_terms
    from mockint.rubric import load_bank

    path = tmp_path / "zh-lists.toml"
    path.write_text(ZH_LIST_BANK, encoding="utf-8")
    bank = load_bank(path)
    forms, why = bank.questions
    assert _wants_terms(forms)
    assert not _wants_terms(why)
    result = grader.grade(
        forms, "计件、检斤、检尺求积。", bank_id=bank.id, other_questions=bank.questions
    )
    assert not any("术语" in note for note in result.notes), result.notes
    assert result.score >= 70


def test_wake_calls_every_model_once(grader, monkeypatch):
    """``wake`` (the app calls it before saying "model ready") runs each model the grader has
    once, rubric cache or not: the multilingual encoder builds itself on its first call, which
    the first answer would otherwise wait for."""
    calls: list[str] = []
    models = [e.embedder for e in (grader.primary, grader.multilingual) if e is not None]
    for model in models:
        original = model.encode
        monkeypatch.setattr(
            model, "encode", lambda texts, _o=original, _m=model: calls.append(_m.name) or _o(texts)
        )
    if grader.judge is not None:
        original_predict = grader.judge.predict
        monkeypatch.setattr(
            grader.judge, "predict", lambda pairs: calls.append("judge") or original_predict(pairs)
        )
    grader.wake()
    expected = [m.name for m in models] + (["judge"] if grader.judge is not None else [])
    assert calls == expected
    assert grader.multilingual is not None  # both encoders are there to wake
