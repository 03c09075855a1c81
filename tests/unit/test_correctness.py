"""Grading correctness, not vocabulary: confident wrong answers, in the words real candidates
use, against the real models and the built-in banks (issue 16's examples, in English, Chinese
and both mixed)."""

from __future__ import annotations

import pytest

from mockint.grading import calibration as cal
from mockint.grading.grader import CONTRADICTS, _says_words_of, mentions_any

LR_SWAPPED = (
    "If the learning rate is too high, training gets really slow. If it's too low, the loss "
    "diverges and you get NaNs."
)
LR_SWAPPED_LONG = (
    "The learning rate is the step size of gradient descent. A high learning rate makes training "
    "slow, because every update is cautious and the loss creeps down over many epochs. A low "
    "learning rate makes the loss jump around and eventually diverge to NaN. I usually look at "
    "the loss curve and use a schedule with warmup and cosine decay."
)
LR_SWAPPED_ZH = "学习率太大的话训练会很慢，学习率太小的话 loss 会发散。"
LR_SWAPPED_MIXED = "learning rate 太高的话 training 会很慢，太低的话 loss 就会 diverge。"
LR_SWAPPED_MIXED_LONG = (
    "learning rate 太大的话 training 会很慢，因为每一步都 overshoot，"
    "要来回绕很多圈才能走到 minimum。"
    "learning rate 太小的话反而容易 diverge，因为步子太小，loss 会卡住然后往上漂，最后变成 NaN。"
)
# The magnitudes said the other way (大/小, where the rubric says 高/低), in English words.
LR_SWAPPED_MIXED_SIZE = "learning rate 太大的话训练会很慢，太小的话 loss 会 diverge。"
LR_RIGHT_MIXED_SIZE = "learning rate 太小的话训练会很慢，太大的话 loss 会 diverge。"
LR_RIGHT_ZH = "学习率太小的话训练会很慢，学习率太大的话 loss 会发散。"
LR_RIGHT_MIXED = "learning rate 太低的话 training 会很慢，太高的话 loss 就会 diverge。"
LR_RIGHT = (
    "If the learning rate is too low, each update is tiny and training crawls. If it is too "
    "high, the updates overshoot the minimum and the loss oscillates or diverges to NaN."
)
FACE_LINEAR_SCAN = (
    "10 million isn't that much, I'd just compute the cosine similarity against all of them on "
    "a GPU."
)
LOGREG_LOG_TARGET = (
    "Logistic regression is basically linear regression where you take the log of the target first."
)
BN_WEIGHTS_ZH = "批归一化就是对每一层的权重做归一化，让权重的均值为 0、方差为 1，这样权重不会太大。"
BN_WEIGHTS_LR = (
    "Batch norm normalizes the weights of each layer, and since the weights stay normalized you "
    "can use a bigger learning rate."
)
SIGMOID_WRONG = "Sigmoid saturates around zero input, and the derivative there is about 1."


def grade(grader, library, question_id, answer, **kwargs):
    bank, question = library.find_question(question_id)
    return grader.grade(question, answer, bank_id=bank.id, other_questions=bank.questions, **kwargs)


def at_least(library, question_id, answer, score: float) -> float:
    """``score``, or less where the answer is held to the length of the question's model
    answer (calibration.DEPTH_BASE): a right answer of two sentences is not a full one."""
    from mockint.grading.segmenter import word_count

    _, question = library.find_question(question_id)
    expected = word_count(question.model_answer.get("en"))
    depth = cal.DEPTH_BASE + (100 - cal.DEPTH_BASE) * word_count(answer) / expected
    return min(score, depth) - 0.1


def mistakes(result) -> set[str]:
    return {m.id for m in result.misconceptions}


# Known gaps, kept failing on purpose (strict xfail: the day one passes, the mark must go).
NO_OPPOSITE_WORD = (
    "the mistake exchanges no opposite word of a key point, and the judge alone does not find "
    "the listed misconception entailed"
)


@pytest.mark.parametrize(
    "answer",
    [
        LR_SWAPPED,
        LR_SWAPPED_LONG,
        LR_SWAPPED_ZH,
        LR_SWAPPED_MIXED,
        # The same mistake with a reason attached, code-switched as people speak.
        LR_SWAPPED_MIXED_LONG,
        LR_SWAPPED_MIXED_SIZE,
    ],
)
def test_swapped_learning_rate_effects_are_a_mistake_not_a_good_answer(grader, library, answer):
    wrong = grade(grader, library, "learning-rate", answer)
    right = grade(grader, library, "learning-rate", LR_RIGHT)
    assert wrong.misconceptions, wrong.model_dump()
    named = mistakes(wrong)
    assert "swapped-effects" in named or any(m.startswith(CONTRADICTS) for m in named)
    points = {kp.id: kp for kp in wrong.key_points}
    # Neither effect is covered when stated the wrong way round (at most a sliver)...
    assert points["too-low-slow"].credit < 0.2 and points["too-high-diverges"].credit < 0.2
    # ...and the score is far below the same answer the right way round.
    # (The long version also names the loss curve and a schedule, rightly: it scores ~31.)
    assert wrong.score <= 35 and wrong.verdict in ("poor", "weak")
    assert right.score >= wrong.score + 30
    assert not right.misconceptions


@pytest.mark.parametrize(
    ("wrong_answer", "right_answer"),
    [
        (LR_SWAPPED_ZH, LR_RIGHT_ZH),
        (LR_SWAPPED_MIXED, LR_RIGHT_MIXED),
        (LR_SWAPPED_MIXED_SIZE, LR_RIGHT_MIXED_SIZE),
    ],
)
def test_one_sentence_with_both_effects_is_read_clause_by_clause(
    grader, library, wrong_answer, right_answer
):
    """A short sentence holding two opposite claims ("太大…，太小…") is two claims: the right
    way round covers both effects, the wrong way round neither, in Chinese and code-switched."""
    right = grade(grader, library, "learning-rate", right_answer)
    wrong = grade(grader, library, "learning-rate", wrong_answer)
    points = {kp.id: kp for kp in right.key_points}
    assert points["too-low-slow"].status == "hit" and points["too-high-diverges"].status == "hit"
    assert not right.misconceptions, right.model_dump()
    assert right.score >= wrong.score + 40, (right.score, wrong.score)


def test_a_wrong_clause_quoted_as_evidence_is_never_the_swapped_sentence(grader, library):
    result = grade(grader, library, "learning-rate", LR_SWAPPED_LONG)
    for kp in result.key_points:
        if kp.evidence:
            assert "high learning rate makes training slow" not in kp.evidence.lower()


def test_linear_scan_over_ten_million_faces_is_the_listed_misconception(grader, library):
    result = grade(grader, library, "face-search", FACE_LINEAR_SCAN)
    assert "exact-search-is-fine" in mistakes(result)
    assert result.score <= 20


def test_log_of_the_target_is_not_partly_logistic_regression(grader, library):
    result = grade(grader, library, "logistic-vs-linear-regression", LOGREG_LOG_TARGET)
    assert result.misconceptions
    assert sum(kp.status != "miss" for kp in result.key_points) <= 1
    assert result.score <= 20


def test_wrong_chinese_batch_norm_answer_is_on_topic_and_wrong(grader, library):
    # Named since stop 29: it leads everything right by far (MISCONCEPTION_FAR_LEAD).
    result = grade(grader, library, "batch-norm", BN_WEIGHTS_ZH)
    assert result.verdict != "off-topic"
    assert "normalizes-weights" in mistakes(result)
    assert result.score <= 20


@pytest.mark.xfail(strict=True, reason=NO_OPPOSITE_WORD)
def test_a_clause_stating_a_misconception_is_not_evidence_for_a_point(grader, library):
    result = grade(grader, library, "batch-norm", BN_WEIGHTS_LR)
    assert "normalizes-weights" in mistakes(result)
    for kp in result.key_points:
        assert kp.evidence is None or "weights stay normalized" not in kp.evidence


def test_a_wrong_follow_up_earns_nothing_and_covers_nothing_else(grader, library):
    result = grade(
        grader, library, "activation-functions", SIGMOID_WRONG, focus="saturation-region"
    )
    assert result.focus == "saturation-region"
    assert [kp.id for kp in result.key_points] == ["saturation-region"]
    assert result.key_points[0].credit == 0
    assert result.score <= 10
    assert result.follow_up is None


def test_a_right_follow_up_is_graded_on_its_point(grader, library):
    answer = (
        "It's the flat part of sigmoid or tanh: for large positive or negative inputs the output "
        "barely changes, so the derivative is close to zero."
    )
    result = grade(grader, library, "activation-functions", answer, focus="saturation-region")
    assert result.key_points[0].status == "hit"
    assert result.score >= 70
    assert not result.misconceptions


def test_i_dont_know_is_not_called_too_short(grader, library):
    for text in (
        "I don't know.",
        "我不知道。",
        "Sorry, 这个我不知道。",
        "Honestly, no idea.",
        "I am not sure, I don't know.",
        "不太清楚，不知道。",
    ):
        result = grade(grader, library, "batch-norm", text)
        assert result.score == 0
        assert result.follow_up is None
        assert not any("too short" in n or "太短" in n for n in result.notes)
        assert any("know" in n or "不知道" in n for n in result.notes)


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        (
            "batch-norm",
            "I'm not really sure, to be honest. I think batch norm has something to do with "
            "making training better? I can't explain how it works.",
        ),
        ("learning-rate", "学习率这个我记不清了，好像和训练有关系吧，具体的我说不上来。"),
        (
            "bias-variance",
            "bias 和 variance 这个我不太清楚，trade-off 具体是什么意思我也说不上来。",
        ),
    ],
)
def test_admitting_not_knowing_earns_no_on_topic_floor(grader, library, question_id, answer):
    """A hedged non-answer is not "on topic but without specifics": an interviewer hears that
    the candidate cannot answer, and only what they do state earns."""
    result = grade(grader, library, question_id, answer)
    assert not any("On topic" in n or "切题" in n for n in result.notes)
    # What it states earns what its coverage earns, and no more.
    assert result.score == pytest.approx(cal.curve(result.coverage), abs=0.1)
    assert result.score < 25


def test_a_hedged_right_answer_keeps_its_credit(grader, library):
    hedged = (
        "I'm not 100% sure this is the textbook answer, but: if the learning rate is too low, "
        "every update is tiny and training takes forever; if it is too high, the updates "
        "overshoot the minimum and the loss bounces around or blows up to NaN."
    )
    result = grade(grader, library, "learning-rate", hedged)
    assert result.score >= 45
    assert sum(kp.status == "hit" for kp in result.key_points) >= 2


@pytest.mark.parametrize(
    ("question_id", "answer", "garbled"),
    [
        (
            "regularization-l1-l2",
            "L2 is the one that gives you sparse weights, so it's what you use for feature "
            "selection.",
            "l1-sparse",
        ),
        (
            "hyperparameters",
            "You learn the hyperparameters with gradient descent, and the parameters are the "
            "knobs you pick by hand before training starts.",
            "parameters-learned",
        ),
        # "zero" is said by both points ("towards zero"): it does not make the L1 clause about
        # L1's own point.
        (
            "regularization-l1-l2",
            "L2 is the one that drives weights exactly to zero so you get sparse models, while L1 "
            "just shrinks all the weights smoothly toward zero without removing any.",
            "l1-sparse",
        ),
    ],
)
def test_saying_of_one_name_what_is_true_of_its_counterpart_is_a_mistake(
    grader, library, question_id, answer, garbled
):
    """Swapped roles: the words fit the point about L1 (or parameters), the name is the other
    one. No credit for that point, and the mistake is named with what is true."""
    result = grade(grader, library, question_id, answer)
    assert result.misconceptions
    assert all(kp.status == "miss" for kp in result.key_points if kp.id == garbled)
    assert result.score <= 20


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        (
            "regularization-l1-l2",
            "L1 drives many weights to exactly zero, which gives a sparse model; L2 only shrinks "
            "them smoothly towards zero.",
        ),
        (
            "hyperparameters",
            "Parameters are the weights the network learns during training, and hyperparameters "
            "are what you set by hand before training, like the learning rate.",
        ),
    ],
)
def test_each_name_with_its_own_point_is_not_a_swap(grader, library, question_id, answer):
    result = grade(grader, library, question_id, answer)
    assert not result.misconceptions
    assert any(kp.status == "hit" for kp in result.key_points)


def test_the_right_statement_about_the_counterpart_is_not_the_mistake(grader, library):
    """ "Random forest builds its trees one after another" is a listed mistake; the same words
    said of gradient boosting are its key point."""
    result = grade(
        grader,
        library,
        "boosting-vs-random-forest",
        "梯度提升是一棵树接着一棵树训练的，后面的树专门修正前面的错误。",
    )
    assert not result.misconceptions
    assert any(kp.status == "hit" for kp in result.key_points)


@pytest.mark.parametrize(
    ("question_id", "answer", "mistake"),
    [
        (
            "logistic-vs-linear-regression",
            "Logistic regression predicts a continuous value, like a house price.",
            "predicts-continuous",
        ),
        (
            "precision-recall-tradeoff",
            "精确率就是所有真实正样本里被模型找回来的占比。",
            "precision-is-recall",
        ),
        (
            "boosting-vs-random-forest",
            "随机森林是一棵树接着一棵树训练的，后面的树专门修正前面的错误。",
            "forest-is-sequential",
        ),
    ],
)
def test_the_mistake_said_of_its_own_subject_is_still_named(
    grader, library, question_id, answer, mistake
):
    assert mistake in mistakes(grade(grader, library, question_id, answer))


def test_a_clause_named_as_a_mistake_is_evidence_for_no_point(grader, library):
    """The penalty point comes first in the rubric; the swapped sentence after it must not be
    quoted as its evidence (nor the pair of sentences holding both)."""
    result = grade(
        grader,
        library,
        "regularization-l1-l2",
        "Regularization adds a penalty to the loss. L2 is the one that gives you sparse "
        "weights, so it's what you use for feature selection.",
    )
    assert CONTRADICTS + "l1-sparse" in mistakes(result)
    covered = [kp for kp in result.key_points if kp.status != "miss"]
    assert covered
    assert all("sparse weights" not in (kp.evidence or "") for kp in covered)


def test_no_model_answer_is_flagged(grader, library):
    """Every model answer of both banks, in both languages, has no mistake named."""
    flagged = []
    for bank, question in library.questions():
        for lang in question.model_answer.languages():
            result = grader.grade(
                question,
                question.model_answer.get(lang),
                bank_id=bank.id,
                other_questions=bank.questions,
            )
            if result.misconceptions:
                flagged.append((question.id, lang, [m.id for m in result.misconceptions]))
    assert not flagged


def test_the_reverse_of_a_mistake_is_not_that_mistake(grader, library):
    """ "Simple models have high bias and low variance" reads to the judge as the listed
    "a simple model has high variance" (entailment 0.76); its pairing of "low" with
    "variance" says the opposite. Named, it had cut this right answer from 76 to 31."""
    answer = (
        "Bias is when the model is too simple and can't capture the pattern, so it underfits, "
        "training and test error are both high. Variance is when the model is too sensitive to "
        "the training data and overfits, so training error is low but test error is high. "
        "Simple models have high bias and low variance, complex ones have low bias and high "
        "variance, so you need to balance the two by choosing the right model complexity."
    )
    result = grade(grader, library, "bias-variance", answer)
    assert not result.misconceptions
    assert result.score >= 60
    wrong = "Simple models have high variance and complex ones have low variance."
    assert "simple-model-high-variance" in mistakes(grade(grader, library, "bias-variance", wrong))


def flagged_right_answers(grader, library, graded_rows) -> list:
    flagged = []
    for row in graded_rows:
        if row["kind"] in ("excellent", "zh-good"):
            result = grade(grader, library, row["question_id"], row["answer"])
            if result.misconceptions:
                flagged.append((row["question_id"], row["kind"], mistakes(result)))
    return flagged


def test_no_right_answer_of_the_graded_sets_is_flagged(grader, library, graded_rows):
    # None of the 110 excellent and zh-good answers since stop 28. The last two were terms
    # that right answers use too: "one part" ("one part is held out for evaluation", now "on
    # one part") and "precision" ("the roc curve which plots tpr against fpr" next to
    # "precision and recall", now "plots precision").
    assert not flagged_right_answers(grader, library, graded_rows)


def test_off_topic_never_fires_on_an_answer_a_human_found_substantive(grader, library, graded_rows):
    """Every answer our graders scored 35 or more (partial and better, both languages) answers
    its own question, however close a neighbouring question of the bank is."""
    called = []
    for row in graded_rows:
        if row["score"] >= 35:
            result = grade(grader, library, row["question_id"], row["answer"])
            if result.verdict == "off-topic":
                called.append((row["question_id"], row["kind"], result.coverage))
    assert not called


BACKPROP_IS_AN_OPTIMIZER_MIXED = (
    "backprop 其实是一种 optimizer，跟 SGD、Adam 是平级的。一般 network 比较深的时候用 backprop，"
    "比较浅的 model 就直接用 SGD 就够了。"
)
BACKPROP_RIGHT_ZH = (
    "反向传播就是用链式法则，从输出层往回逐层算 loss 对每个参数的梯度，然后交给 SGD 或 Adam "
    "这样的优化器去更新参数。"
)


def test_naming_a_points_words_in_chinese_is_not_stating_it(grader, library):
    """A code-switched answer that puts backprop next to SGD and Adam names the words of "the
    optimizer uses the gradients backprop computes" without saying it: at most partly there,
    and well below a Chinese answer that says it."""
    wrong = grade(grader, library, "backpropagation", BACKPROP_IS_AN_OPTIMIZER_MIXED)
    right = grade(grader, library, "backpropagation", BACKPROP_RIGHT_ZH)
    points = {kp.id: kp for kp in wrong.key_points}
    assert points["optimizer-updates"].status != "hit", points["optimizer-updates"]
    assert wrong.verdict in ("poor", "weak")
    assert right.score >= wrong.score + 30, (right.score, wrong.score)


EPOCH_ITERATION_SWAPPED = (
    "These get mixed up a lot. An iteration is one full pass over the whole training dataset, "
    "every sample goes through the model once. And an epoch is one update step, where you run "
    "a single batch forward and backward and update the weights."
)
EPOCH_ITERATION_RIGHT = (
    "An epoch is one full pass over the whole training dataset, every sample goes through the "
    "model once. An iteration is one update step, where you run a single batch forward and "
    "backward and update the weights."
)


def test_swapped_names_are_not_the_points_they_name(grader, library):
    """Epoch and iteration exchanged: each sentence resembles the other point word for word,
    and neither point is covered by it."""
    wrong = grade(grader, library, "epoch-batch-iteration", EPOCH_ITERATION_SWAPPED)
    right = grade(grader, library, "epoch-batch-iteration", EPOCH_ITERATION_RIGHT)
    points = {kp.id: kp for kp in wrong.key_points}
    assert points["epoch"].credit < 0.2 and points["iteration"].credit < 0.2, wrong.model_dump()
    assert wrong.misconceptions
    assert right.score >= wrong.score + 40, (right.score, wrong.score)
    assert not right.misconceptions


ACTIVATION_FOR_RANGE = (
    "The main purpose of an activation function is to keep the values in a bounded range. If "
    "you just kept multiplying by weights layer after layer, the numbers would blow up, so "
    "something like sigmoid squashes everything into zero to one."
)
ACTIVATION_FOR_NONLINEARITY = (
    "The point of an activation function is to add non-linearity: without it, stacking linear "
    "layers is still one linear map. Sigmoid squashes values into zero to one, and its "
    "saturation region is where the gradient is almost zero."
)


def test_a_listed_mistake_in_everyday_words_is_named(grader, library):
    """ "Keep the values in a bounded range" is the listed purpose-is-normalizing in other words;
    the judge reads it as barely related (entailment 0.15) and must not veto it. Saying sigmoid
    squashes values into 0-1, next to the real purpose, is no such mistake."""
    wrong = grade(grader, library, "activation-functions", ACTIVATION_FOR_RANGE)
    right = grade(grader, library, "activation-functions", ACTIVATION_FOR_NONLINEARITY)
    assert "purpose-is-normalizing" in mistakes(wrong), wrong.model_dump()
    assert not right.misconceptions, right.model_dump()
    assert right.score >= wrong.score + 40


BN_LAYER_INPUTS_ZH = (
    "批归一化就是在每个mini-batch上对每一层的输入减均值除以标准差，把它变成均值为0方差为1的分布，"
    "然后再用可学习的gamma和beta做缩放和平移，这样可以让训练更稳定，可以用更大的学习率，"
    "推理的时候用训练时统计的滑动平均均值和方差。"
)


def test_a_right_chinese_answer_in_textbook_words_covers_the_point(grader, library):
    """Chinese textbooks say BN normalizes 每一层的输入 (each layer's inputs): that is the point
    about activations, not a gap to be told about."""
    result = grade(grader, library, "batch-norm", BN_LAYER_INPUTS_ZH)
    points = {kp.id: kp for kp in result.key_points}
    assert points["normalizes-activations"].status == "hit", points["normalizes-activations"]
    assert result.follow_up_key_point != "normalizes-activations"
    assert result.verdict in ("good", "excellent") and not result.misconceptions


@pytest.mark.parametrize(
    ("answer", "opening"),
    [
        (LR_SWAPPED, "The core of this answer is wrong."),
        (LR_SWAPPED_MIXED, "这个回答的核心内容讲错了。"),
    ],
)
def test_a_confident_wrong_answer_is_told_it_is_wrong_not_unanswered(
    grader, library, answer, opening
):
    result = grade(grader, library, "learning-rate", answer)
    assert result.verdict in ("poor", "weak") and result.misconceptions
    assert result.feedback.startswith(opening), result.feedback


def test_the_judge_reads_only_the_pairs_that_can_change_a_grade(grader, library, monkeypatch):
    # Without paraphrase credit, a key point's clause is read only when it exchanges an opposite
    # of the point's words; the swapped one still is, and is still named. (A clause read is a
    # span of the answer; the judge also reads it put right, which is not.)
    from mockint.grading import calibration as cal
    from mockint.grading.opposites import restored

    assert cal.JUDGE_PARAPHRASE_CREDIT is False
    _, question = library.find_question("learning-rate")
    points = {text for kp in question.key_points for text in kp.text.all_texts()}
    asked: list[tuple[str, str]] = []
    predict = grader.judge.predict
    monkeypatch.setattr(
        grader.judge, "predict", lambda pairs: asked.extend(pairs) or predict(pairs)
    )
    right = grade(grader, library, "learning-rate", LR_RIGHT)
    read_for_right = [(s, c) for s, c in asked if s in points and c in LR_RIGHT]
    assert all(restored(statement, clause) for statement, clause in read_for_right)
    asked.clear()
    swapped = grade(grader, library, "learning-rate", LR_SWAPPED)
    read_for_swapped = [(s, c) for s, c in asked if s in points and c in LR_SWAPPED]
    assert read_for_swapped, "the swapped clauses must be read"
    assert all(restored(statement, clause) for statement, clause in read_for_swapped)
    assert any(m.startswith(CONTRADICTS) or m == "swapped-effects" for m in mistakes(swapped))
    assert right.score >= at_least(library, "learning-rate", LR_RIGHT, 70)
    assert right.score > 40 >= swapped.score


def test_a_mistake_carried_on_into_the_next_clause_is_named(grader, library):
    # The mistake is "oversample ... before splitting, so the test set is balanced too": the
    # first clause alone is about oversampling, the second alone about a balanced test set.
    answer = (
        "Imbalance isn't a real problem for deep networks: given enough epochs the network "
        "learns every class anyway, and accuracy stays a reliable metric as long as the dataset "
        "is big. If anything, I oversample the minority class on the full dataset before "
        "splitting into train and test, so the test set is balanced too and the accuracy "
        "becomes meaningful."
    )
    result = grade(grader, library, "imbalanced-data", answer)
    assert "resample-test-set" in mistakes(result)
    assert result.score <= 20


def test_two_definitions_in_one_sentence_are_not_one_mistake(grader, library):
    # "precision is ..., recall is ..." joined reads like "precision is recall" to embeddings.
    answer = (
        "Precision is the share of my positive calls that turn out right, recall is the share "
        "of the real positives that I manage to find. Raising the threshold trades recall for "
        "precision."
    )
    result = grade(grader, library, "precision-recall-tradeoff", answer)
    assert not result.misconceptions, mistakes(result)


@pytest.mark.parametrize(
    ("question_id", "answer", "point"),
    [
        (
            "bias-variance",
            "Bias is how much your predictions change from one training set to the next, and "
            "variance is the systematic error you get from a model that is too simple.",
            "high-bias-underfits",
        ),
        (
            "roc-vs-pr-curves",
            "The ROC curve is precision against recall, and the PR curve is the true positive "
            "rate against the false positive rate.",
            "roc-axes",
        ),
    ],
)
def test_two_things_defined_the_wrong_way_round_is_a_mistake(
    grader, library, question_id, answer, point
):
    # No listed misconception says it, and each half alone resembles a right point (names
    # weigh most in an embedding); what each half says belongs to the other name's point.
    result = grade(grader, library, question_id, answer)
    assert f"{CONTRADICTS}{point}" in mistakes(result)
    assert result.score <= 25


@pytest.mark.xfail(
    strict=True,
    reason="the multilingual encoder tells what the Chinese halves say apart by less than the "
    "margin (0.15 and 0.09)",
)
def test_two_things_defined_the_wrong_way_round_in_chinese_is_a_mistake(grader, library):
    answer = "ROC 曲线画的是 precision 对 recall，PR 曲线画的是真正率对假正率。"
    assert f"{CONTRADICTS}roc-axes" in mistakes(grade(grader, library, "roc-vs-pr-curves", answer))


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        (
            "bias-variance",
            "Bias is the systematic error you get from a model that is too simple, and variance "
            "is how much your predictions change from one training set to the next.",
        ),
        (
            "roc-vs-pr-curves",
            "The ROC curve is the true positive rate against the false positive rate, and the PR "
            "curve is precision against recall.",
        ),
        ("roc-vs-pr-curves", "ROC 曲线画的是真正率对假正率，PR 曲线画的是 precision 对 recall。"),
        (
            "precision-recall-tradeoff",
            "Lower the threshold and you flag more, so recall goes up but precision usually "
            "drops; raise it and the reverse happens.",
        ),
    ],
)
def test_two_things_defined_the_right_way_round_is_no_mistake(grader, library, question_id, answer):
    result = grade(grader, library, question_id, answer)
    assert not result.misconceptions, mistakes(result)
    assert result.score >= 40


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # "模型越简单则反过来" alone reads like "a simple model has high variance"; it means the
        # reverse of the clause before it, which is right.
        (
            "bias-variance",
            "bias 是模型平均预测和真实值的差距，bias 高就是欠拟合。"
            "variance 是换一份训练数据后预测变化有多大，variance 高就是过拟合。"
            "模型越复杂，bias 越低、variance 越高；模型越简单则反过来。",
        ),
        # "But if there's a flatten followed by a fully connected layer," alone resembles "the
        # fully connected layers don't change either"; the sentence goes on to say they grow.
        (
            "cnn-parameters",
            "The conv layers stay the same because the kernels are shared. But if there's a "
            "flatten followed by a fully connected layer, its input gets four times bigger and "
            "so do its weights.",
        ),
        # "that layer" is the fully connected layer the sentence before names: its weights do
        # grow fourfold, the conv layers' do not.
        (
            "cnn-parameters",
            "For the conv layers nothing changes, a factor of one, because the kernel is shared "
            "across positions and the image size never enters the count. The catch is a fully "
            "connected layer after a flatten. Its input gets about four times longer, so that "
            "layer's weights grow about fourfold as well.",
        ),
        (
            "cnn-parameters",
            "只看卷积层的话参数量完全不变，因为权重共享。计算量会变成 4 倍左右。但是如果网络最后"
            "是 flatten 再接全连接层，全连接层的输入维度会变成原来的 4 倍，这一层参数也差不多变成 "
            "4 倍，原来训练好的权重就接不上了。",
        ),
    ],
)
def test_a_clause_that_says_nothing_alone_states_no_mistake(grader, library, question_id, answer):
    # A clause that points back, or a condition cut off before its consequence.
    result = grade(grader, library, question_id, answer)
    assert not result.misconceptions, mistakes(result)
    assert result.score >= 60


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # "lowering" the threshold against the mistake's "a higher threshold flags more items":
        # a change towards the other end is the right way round.
        (
            "precision-recall-tradeoff",
            "Since the model outputs a score, lowering the threshold flags more items, so more "
            "false positives sneak in.",
        ),
        (
            "precision-recall-tradeoff",
            "Say the model outputs probabilities: lowering the threshold flags more items, recall "
            "goes up, and precision usually drops.",
        ),
        # "要多加特征或者换更复杂的模型" resembles the mirror image of the mistake ("过拟合的话就换
        # 一个更大更复杂的模型"), but it is said of high bias, where it is the right remedy.
        (
            "bias-variance",
            "诊断的时候看训练误差：训练误差本身就很高，说明 bias 大，要多加特征或者换更复杂的模型；"
            "训练误差低、验证误差高，说明 variance 大，就多加数据、加正则。",
        ),
        # 不保证 denies the mistake's 全局最优 a few characters before it, 不会 its 过拟合.
        ("decision-tree-splits", "分裂是贪心的，每一步是局部最优，不保证整棵树是全局最优。"),
        (
            "boosting-vs-random-forest",
            "GBDT 精度往往更高，但对超参数敏感、容易过拟合；随机森林更稳、几乎不用调，也不会因为"
            "树多而过拟合。",
        ),
        # "阈值调高，" is the condition of what the next clause says, not "a higher threshold
        # flags more items".
        (
            "precision-recall-tradeoff",
            "precision 是预测为正的里面真正为正的比例。模型输出的是一个分数，阈值调高，只有很有"
            "把握的才判成正，误报减少，precision 升高，但漏掉的变多，recall 下降。",
        ),
        ("decision-tree-splits", "它是贪心算法，每一步只找局部最优，不保证最后整棵树全局最优。"),
        # "hard to overfit by adding trees": the clause about adding trees denies the mistake,
        # though its first clause shares "random forest" with it.
        (
            "boosting-vs-random-forest",
            "A random forest averages many deep trees trained independently on bootstrap "
            "samples, which mainly reduces variance. Boosting needs more tuning and can overfit "
            "if you keep adding trees, while a random forest is robust, hard to overfit by "
            "adding trees, and works well almost out of the box.",
        ),
        # Said of linear regression, which the mistake only likens logistic regression to; and
        # the part after a heading opens with its own subject.
        (
            "logistic-vs-linear-regression",
            "最根本的区别是任务不同：线性回归预测连续值，逻辑回归做分类。损失函数也不同：线性回归用"
            "均方误差，有解析解；逻辑回归用极大似然，也就是交叉熵，没有闭式解，要用梯度下降迭代。",
        ),
        # Bagging given variance and boosting bias: the mistake crossed, however alike they read.
        (
            "bias-variance",
            "集成里面也能看出这个权衡：bagging 比如随机森林主要降 variance，boosting 主要是一步步"
            "降 bias。总误差可以拆成 bias²、variance 和不可约噪声。",
        ),
        # Two negations in one Chinese clause ("不是说…无条件独立") deny the mistake.
        (
            "naive-bayes",
            "朴素的意思是假设在给定类别的条件下，各个特征之间相互独立。注意是条件独立，不是说特征"
            "之间无条件独立。虽然这个假设很少成立，分类效果依然不错。",
        ),
        # "stops a model from fitting the training data" denies "fits the training data
        # better".
        (
            "regularization-l1-l2",
            "Regularization is anything that stops a model from fitting the training data too "
            "closely, so it generalizes better. L1 adds lambda times the sum of absolute values "
            "and L2 adds lambda times the sum of squares.",
        ),
        # "是过拟合" is said of variance, against the wording "训练误差和验证误差差距很大，说明是
        # 高偏差".
        (
            "bias-variance",
            "bias 是模型太简单带来的系统性误差，variance 是模型对训练数据太敏感带来的误差。"
            "判断的时候看学习曲线：训练误差本身就高，是欠拟合，高 bias，要加模型容量或者加特征；"
            "训练误差很低、验证误差高很多，是过拟合，高 variance，可以加数据、加正则、做 bagging "
            "或者早停。",
        ),
        # "Parameters" are what the point on hyperparameters denies they are: learned from the
        # training loss; and "keep the test set out of it" does not tune on it.
        (
            "hyperparameters",
            "Parameters come out of minimizing the training loss. Hyperparameters are chosen "
            "before training, by comparing settings on a validation set, and you keep the test "
            "set out of it until the very end.",
        ),
        # 降低 is said of complexity, not of the generalization the point's 提高 raises.
        (
            "regularization-l1-l2",
            "正则化就是给模型加约束、降低复杂度，防止过拟合，最常见的是在损失函数里加一个关于权重的"
            "惩罚项，λ 越大约束越强。L1 是权重绝对值之和，L2 是权重平方和。",
        ),
        # "limits how closely it can fit" denies "fits the training data better".
        (
            "regularization-l1-l2",
            "Regularization limits how closely a model can fit the training data, so it "
            "generalizes better. L1 adds the absolute values of the weights to the loss, L2 adds "
            "their squares.",
        ),
        # What the answer last said something of is the random forest, which the mistake only
        # likens gradient boosting to: in the sentence before, and in the clause's own first
        # part.
        (
            "boosting-vs-random-forest",
            "A random forest is bagging: deep trees grown independently on bootstrap samples, "
            "then averaged. That makes it robust; adding more trees doesn't overfit. Gradient "
            "boosting is sequential, each tree fits the residuals, and it can overfit with too "
            "many rounds.",
        ),
        (
            "boosting-vs-random-forest",
            "随机森林是 bagging，树之间独立训练，最后平均，主要降方差。调参上，随机森林基本开箱"
            "即用，树加多了也不会过拟合；GBDT 是串行拟合残差，轮数太多会过拟合，要配合 early "
            "stopping。",
        ),
        # A list of names runs into the clause that says something of them: "don't need it".
        (
            "feature-scaling",
            "Distance-based models like kNN need scaling, and so does gradient descent. "
            "Tree-based models, decision trees, random forests, gradient boosting, don't need "
            "it: a split is a threshold on one feature at a time.",
        ),
        # "What changes" is the opposite of the mistake's "stays the same".
        (
            "cnn-parameters",
            "The conv layers' parameters don't change at all, because the kernels are shared "
            "across positions. What changes is the first fully connected layer after the "
            "flatten: its input grows four times, and so do its weights.",
        ),
        # The clause with the mistake's words, or the one it runs into, says what harm doing
        # it does.
        (
            "cross-validation",
            "Caveats: stratify folds for classification, group them when one user has many "
            "rows, and for time series use forward-in-time splits, since random folds let you "
            "peek at the future.",
        ),
        (
            "data-leakage",
            "过采样要在划分之后、只在训练集上做。先过采样再划分，测试样本的“复制品”跑进了训练集，"
            "评估就虚高了。",
        ),
        # A mistake about time series, or about ReLU, said where the answer names neither.
        (
            "cross-validation",
            "You shuffle the data, cut it into k roughly equal folds, and each round trains on k "
            "minus 1 folds and scores on the held-out one, so every example is validated "
            "exactly once.",
        ),
        (
            "activation-functions",
            "Without an activation function, stacking layers buys you nothing: a composition of "
            "linear maps is still linear, so the network is no more expressive than logistic "
            "regression.",
        ),
        # What would happen is the reason for the denial before it, not a claim of its own.
        (
            "hyperparameters",
            "Parameters are fit by optimizing the training loss. Hyperparameters can't be picked "
            "that way, since minimizing training loss would just pick the most overfit setting, "
            "so you tune them on a validation set.",
        ),
    ],
)
def test_a_right_answer_near_a_mistakes_words_is_no_mistake(grader, library, question_id, answer):
    result = grade(grader, library, question_id, answer)
    assert not result.misconceptions, mistakes(result)
    assert result.score >= 20


@pytest.mark.parametrize(
    ("question_id", "answer", "listed"),
    [
        (
            "precision-recall-tradeoff",
            "A higher threshold flags more items as positive, so you get more recall.",
            "threshold-direction-swapped",
        ),
        (
            "bias-variance",
            "过拟合的话就换一个更大更复杂的模型，欠拟合就多加数据。",
            "swapped-remedies",
        ),
        (
            "bias-variance",
            "If the gap to validation is large, that's high variance, so I'd add features or use "
            "a bigger model; if the training error itself is high, that's bias, so more data and "
            "regularization.",
            "swapped-remedies",
        ),
        (
            "decision-tree-splits",
            "决策树会把所有可能的树都试一遍，所以最后得到的就是全局最优的树。",
            "finds-optimal-tree",
        ),
        (
            "boosting-vs-random-forest",
            "随机森林的树越多越容易过拟合，所以树的数量要严格控制。",
            "forest-more-trees-overfit",
        ),
        (
            "precision-recall-tradeoff",
            "想少漏报就把阈值调高，这样 recall 会提升。",
            "threshold-direction-swapped",
        ),
        # The rubric's term "更多的数据" said with "训练" inside it.
        (
            "bias-variance",
            "bias 高是欠拟合，variance 高是过拟合。如果模型 bias 很高，最有效的办法就是加更多的"
            "训练数据，数据多了模型就能学到真实的规律，bias 自然下降。",
            "swapped-remedies",
        ),
        # Names the thing the mistake is about, compared with the other: still the mistake.
        (
            "logistic-vs-linear-regression",
            "Interpretation 上两者是一样的：logistic regression 的 coefficient 就是 x 增加一个 "
            "unit 时 predicted probability 增加多少。",
            "coefficient-is-probability",
        ),
        (
            "logistic-vs-linear-regression",
            "逻辑回归就是线性回归套了一个 sigmoid。它的损失函数一般用均方误差，和线性回归一样。",
            "trained-with-mse",
        ),
        (
            "bias-variance",
            "训练误差很低但验证误差很高，这说明 bias 太高了，模型过拟合了。",
            "high-bias-overfits",
        ),
        (
            "boosting-vs-random-forest",
            "A random forest overfits as you add more trees, so keep the number of trees small.",
            "forest-more-trees-overfit",
        ),
        # "keep the model from the fold" is no "keeps ... from doing".
        (
            "cross-validation",
            "Then you look at the k validation scores and keep the model from the fold that "
            "scored best, that's your final model.",
            "report-best-fold",
        ),
        # The wording it matches best says "so no information is missing": a negation of its
        # own, no part of the claim, which the mistake's statement does not have.
        (
            "data-leakage",
            "Fitting a StandardScaler or an imputer on the full dataset before splitting is "
            "totally fine, since those steps never see the labels.",
            "scaling-all-is-fine",
        ),
        (
            "boosting-vs-random-forest",
            "Gradient boosting is just like a random forest: adding more trees never overfits.",
            "boosting-never-overfits",
        ),
        (
            "boosting-vs-random-forest",
            "梯度提升跟随机森林一样，树越多越好，不会过拟合。",
            "boosting-never-overfits",
        ),
        (
            "regularization-l1-l2",
            "Regularization makes the model fit the training data more closely, so the training "
            "error goes down.",
            "lowers-training-error",
        ),
        # L1 given what the point on L2 says, in words of its own ("keeps all of them").
        (
            "regularization-l1-l2",
            "L1 just shrinks every weight by roughly the same amount, so nothing really hits zero.",
            "contradicts:l2-shrinks",
        ),
        # The names run into "need it the most", and the clauses after them say it of the
        # trees, which the mistake names both of.
        (
            "feature-scaling",
            "The models that need scaling most are tree-based ones, decision trees, random "
            "forests, XGBoost, because a feature with a huge range gets far more candidate "
            "thresholds, so the tree is biased toward it.",
            "trees-need-scaling",
        ),
        (
            "cnn-parameters",
            "When the image doubles, the parameter count of the whole network stays the same, "
            "the fully connected layers included.",
            "fc-unchanged",
        ),
        (
            "hyperparameters",
            "You train with each setting and pick the hyperparameters that score best on the "
            "test set.",
            "tune-on-test-set",
        ),
        # Said of L1, which the sentence opened with; the L2 after it comes later.
        (
            "regularization-l1-l2",
            "Regularization 就是防止 overfitting。L1 和 L2 的区别是，L1 是 differentiable "
            "everywhere 的，所以更好 optimize，而 L2 在 0 点不可导。L1 对应 Gaussian prior，"
            "L2 对应 Laplace prior。",
            "l1-easier-to-optimize",
        ),
        # "Both" is said of the two, the one the mistake is about included.
        (
            "logistic-vs-linear-regression",
            "Logistic regression fits an S-shaped curve to continuous targets, and linear "
            "regression a straight line. Both are trained with mean squared error; the only "
            "difference is the shape of the fitted curve.",
            "trained-with-mse",
        ),
        # A harm denied is no harm: "can't cheat", "不会进到训练里".
        (
            "cross-validation",
            "For time series you can just shuffle the rows and run ordinary k-fold, the model "
            "can't cheat that way.",
            "shuffle-time-series",
        ),
        (
            "data-leakage",
            "先过采样再划分训练集和测试集完全没问题，测试集的信息不会进到训练里。",
            "oversample-before-split",
        ),
        # Named in the sentence before, or by what it goes by.
        ("activation-functions", "ReLU 很简单。它就是一个线性函数，所以计算快。", "relu-is-linear"),
        (
            "cross-validation",
            "预测销量这种数据也可以随机划分 fold，没什么区别。",
            "shuffle-time-series",
        ),
        # A new random split each round is no k-fold: some rows are validated twice, some
        # never.
        (
            "cross-validation",
            "In k-fold you randomly pick 20% of the data as validation each round, train on the "
            "rest, and repeat k times, so some rows get validated more than once and some never.",
            "random-resplits",
        ),
        (
            "cross-validation",
            "k-fold 就是把数据随机划分 k 次，每次随机抽 80% 做 training、20% 做 validation，跑 k 次"
            "取平均，所以有的样本可能好几次都在 validation 里，有的一次都没被 validate 到。",
            "random-resplits",
        ),
        (
            "hyperparameters",
            "Pick the hyperparameters with the lowest training loss, since that would give the "
            "model that fits the data best.",
            "tune-on-training-set",
        ),
    ],
)
def test_the_mistakes_those_right_answers_resemble_are_still_named(
    grader, library, question_id, answer, listed
):
    result = grade(grader, library, question_id, answer)
    assert listed in mistakes(result)


@pytest.mark.parametrize(
    "answer",
    [
        "Linear regression predicts numbers while logistic regression predicts labels. Both are "
        "linear models underneath.",
        "线性回归是用来预测连续数值的，逻辑回归是用来分类的。",
    ],
)
def test_each_name_with_its_own_predicate_in_one_sentence_is_no_mistake(grader, library, answer):
    result = grade(grader, library, "logistic-vs-linear-regression", answer)
    assert "predicts-continuous" not in mistakes(result)
    assert result.score >= cal.ON_TOPIC_FLOOR  # no mistake: not below an on-topic answer


@pytest.mark.parametrize(
    "answer",
    [
        "bias 和 variance 是两种误差来源。high bias 的意思是 overfitting，model 把 training set "
        "记得太死；high variance 反而是 underfitting。",
        "我理解 high bias 就等于 overfitting，模型把 training set 背下来了；high variance 则是 "
        "underfitting。",
    ],
)
def test_a_code_switched_mistake_is_read_against_the_english_statement(grader, library, answer):
    result = grade(grader, library, "bias-variance", answer)
    assert "high-bias-overfits" in mistakes(result)
    assert result.score <= 25


def test_a_clause_about_the_counterpart_is_no_evidence_for_a_point_the_mistake_denies(
    grader, library
):
    # "high variance 则是 underfitting" resembles "bias 高就是欠拟合" closely; said next to "high
    # bias 就等于 overfitting" it is the same swap again, not the point about bias stated.
    answer = (
        "我理解 high bias 就等于 overfitting，模型把 training set 背下来了；high variance 则是 "
        "underfitting。"
    )
    result = grade(grader, library, "bias-variance", answer)
    assert "high-bias-overfits" in mistakes(result)
    bias_point = next(k for k in result.key_points if k.id == "high-bias-underfits")
    assert bias_point.credit == 0 and bias_point.evidence is None


@pytest.mark.parametrize(
    ("question_id", "answer", "listed"),
    [
        # Each a classic mistake of its own, with its correction in the rubric: stated in the
        # words a candidate uses, in English, Chinese and both mixed.
        (
            "precision-recall-tradeoff",
            "Precision and recall always add up to one, so if precision is 0.8 recall has to be "
            "0.2.",
            "sum-to-one",
        ),
        (
            "precision-recall-tradeoff",
            "精确率和召回率加起来等于 1，所以一个高另一个就一定低。",
            "sum-to-one",
        ),
        (
            "svm-kernels",
            "The support vectors are the points farthest away from the hyperplane, and they pin "
            "down the margin.",
            "support-vectors-farthest",
        ),
        (
            "decision-tree-splits",
            "At each node the tree picks the split where the children's entropy is highest, since "
            "higher entropy means more information.",
            "maximize-entropy",
        ),
        (
            "regularization-l1-l2",
            "lambda 越大 model 越复杂，越容易 overfit，所以 overfit 的时候要把 lambda 调小。",
            "larger-lambda-overfits",
        ),
        (
            "pca",
            "PCA keeps the eigenvectors with the smallest eigenvalues, because low-variance "
            "directions carry less noise.",
            "smallest-eigenvalues",
        ),
        (
            "epoch-batch-iteration",
            "batch size 越大，每个 epoch 里的 iteration 就越多。",
            "bigger-batch-more-iterations",
        ),
        (
            "activation-functions",
            "tanh 两端不会饱和，所以换成 tanh 就解决了梯度消失。",
            "tanh-no-saturation",
        ),
        (
            "cross-validation",
            "我们用 k 折交叉验证主要是因为它比单次划分训练更快，每次只用 k-1 份数据，更省计算。",
            "faster-than-split",
        ),
        (
            "face-search",
            "I'd crop the face, resize it to the same size as the stored photos, and compare its "
            "pixel values with each of them; the closest image tells you who it is.",
            "compare-raw-pixels",
        ),
        (
            "face-search",
            "Put the embeddings in sorted order once, then each lookup is just a binary search, "
            "so even ten million is fast.",
            "sort-and-binary-search",
        ),
        # Resembles "tiny learning rates make gradients explode" only moderately, but no right
        # point nearly as much.
        (
            "learning-rate",
            "A tiny learning rate is what blows training up: the small steps let the gradients "
            "pile up until you get NaN. A large learning rate just gets you to the minimum faster.",
            "swapped-effects",
        ),
        # Said without the listed mistake's own words ("test set", "all the data").
        (
            "imbalanced-data",
            "Oversample the minority class before you split, so the data you evaluate on is "
            "balanced too.",
            "resample-test-set",
        ),
        (
            "imbalanced-data",
            "I'd run SMOTE on everything up front so the classes are even, and then split into "
            "train and test, which keeps the evaluation balanced as well.",
            "resample-test-set",
        ),
        # As near the correction ("only a local optimum") as the mistake: "global" for
        # "local" tells them apart.
        (
            "k-means",
            "K-means always converges to the global optimum, so the initialization doesn't "
            "matter at all.",
            "global-optimum",
        ),
        # The judge reads this as contradicting the listed mistake it states.
        (
            "k-means",
            "K-means keeps lowering the same objective at every step, which is why it always "
            "lands on the global optimum.",
            "global-optimum",
        ),
    ],
)
def test_a_classic_mistake_is_named(grader, library, question_id, answer, listed):
    result = grade(grader, library, question_id, answer)
    assert listed in mistakes(result)
    assert result.score <= 25


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # The right statements next to those mistakes: the same words, the other way round.
        (
            "svm-kernels",
            "The support vectors are the training points closest to the hyperplane; only they "
            "decide where the boundary goes.",
        ),
        (
            "decision-tree-splits",
            "At each node the tree picks the split with the largest information gain, so the "
            "children's entropy is as low as possible.",
        ),
        (
            "regularization-l1-l2",
            "lambda 越大 weight 被压得越小，model 越简单；overfit 的时候要把 lambda 调大。",
        ),
        (
            "pca",
            "PCA keeps the eigenvectors with the largest eigenvalues, the directions where the "
            "data varies most.",
        ),
        (
            "epoch-batch-iteration",
            "The smaller the batch, the more iterations per epoch, since iterations are samples "
            "divided by batch size.",
        ),
        ("activation-functions", "tanh 和 sigmoid 一样两端都会饱和，ReLU 在正半轴不饱和。"),
        ("cross-validation", "k 折比单次划分更慢，要训练 k 次，但估计更稳定。"),
        (
            "imbalanced-data",
            "Split first, then oversample the minority class in the training set only; the test "
            "set keeps its natural imbalance.",
        ),
        (
            "k-means",
            "K-means only converges to a local optimum, so the initialization matters; people "
            "run it several times or use k-means++.",
        ),
        # "FN" is recall's own term: this says of recall what is true of it.
        (
            "precision-recall-tradeoff",
            "Precision is TP over TP plus FP. Recall is TP over TP plus FN. Raising the "
            "threshold trades recall for precision.",
        ),
        # A list of terms is read by its terms: TP+FP is not the mistake's TP+FN.
        (
            "precision-recall-tradeoff",
            "precision = TP/(TP+FP), recall = TP/(TP+FN), threshold, F1, PR curve, cost of errors",
        ),
    ],
)
def test_the_right_statement_next_to_a_classic_mistake_is_not_it(
    grader, library, question_id, answer
):
    assert not mistakes(grade(grader, library, question_id, answer))


def test_a_clause_that_names_neither_subject_is_about_the_one_named_last(grader, library):
    # "can overfit if you keep adding trees" follows gradient boosting: it is not the random
    # forest's mistake; the same clause after the forest is.
    boosting_last = (
        "Random forests average deep trees grown independently, which mostly cuts variance. "
        "Gradient boosting is sequential: each shallow tree fits the errors left so far, so it "
        "mostly cuts bias and usually wins on tabular data, but it is touchy about its "
        "settings, can overfit if you keep adding trees, and can't build the trees in parallel."
    )
    forest_last = (
        "Random forests average deep trees grown independently. Gradient boosting builds "
        "shallow trees in sequence on the residuals. The catch with the forest is that it "
        "overfits once you keep adding trees."
    )
    assert "forest-more-trees-overfit" not in mistakes(
        grade(grader, library, "boosting-vs-random-forest", boosting_last)
    )
    assert "forest-more-trees-overfit" in mistakes(
        grade(grader, library, "boosting-vs-random-forest", forest_last)
    )


def test_a_part_of_a_sentence_belongs_to_the_subject_that_opened_it(grader, library):
    # "of all the real positives" is said of recall, which opened that part of the sentence.
    answer = (
        "Precision is, of everything the model flags, how much is really positive; recall is, of "
        "all the real positives, how many it finds. Raising the threshold trades recall for "
        "precision."
    )
    assert "precision-is-recall" not in mistakes(
        grade(grader, library, "precision-recall-tradeoff", answer)
    )


def test_a_part_opened_by_then_and_a_name_belongs_to_that_name(grader, library):
    # "然后 L1 会得到…" opens with L1 once past "然后" (then): sparsity is said of L1, not of the
    # L2 of the part before it. The same sentence saying it of L2 is the mistake.
    right = "L1 是加权重的绝对值，L2 是加平方，然后 L1 会得到比较 sparse 的结果。"
    wrong = "L1 是加权重的绝对值，L2 是加平方，然后 L2 会得到比较 sparse 的结果。"
    assert not mistakes(grade(grader, library, "regularization-l1-l2", right))
    assert "l2-makes-zeros" in mistakes(grade(grader, library, "regularization-l1-l2", wrong))


def test_a_rubric_term_matches_in_either_language_of_a_code_switched_answer(grader, library):
    # The rubric says "不会过拟合"; a candidate says "不会 overfit".
    answer = (
        "Random forest 是 bagging，gradient boosting 是 sequential 的，每棵树拟合残差。另外 "
        "gradient boosting 跟 random forest 一样，多加 trees 不会 overfit。"
    )
    assert "boosting-never-overfits" in mistakes(
        grade(grader, library, "boosting-vs-random-forest", answer)
    )


def test_a_verdict_of_no_problem_is_read_as_fine_and_of_a_problem_as_not(grader, library):
    wrong = (
        "Leakage 就是 test 的信息混进了 training，评估会虚高。不过 StandardScaler 这种 "
        "preprocessing，在 split 之前用全部数据 fit 是没有问题的，因为没用到 label。"
    )
    right = (
        "Leakage 就是 test 的信息混进了 training，评估会虚高。StandardScaler 这种 preprocessing "
        "一定要在 split 之后只用 training data 来 fit，用全部数据 fit 就有问题了。"
    )
    assert "scaling-all-is-fine" in mistakes(grade(grader, library, "data-leakage", wrong))
    assert "scaling-all-is-fine" not in mistakes(grade(grader, library, "data-leakage", right))


@pytest.mark.parametrize(
    ("question_id", "answer", "not_named"),
    [
        # The consequence of a condition stated just before it: "收敛很慢" is said of features
        # on very different scales, which is the point, not the point reversed.
        (
            "feature-scaling",
            "需要缩放的主要是 KNN、SVM 这类基于距离的模型。另外用梯度下降的模型，当特征的尺度差别"
            "很大时，损失曲面又扁又长，收敛很慢；缩放以后就快得多。",
            "contradicts:gradient-descent-converges",
        ),
        # The key point says "Iterations per epoch": "iteration" is its own word, not an
        # exchange for "epoch".
        (
            "epoch-batch-iteration",
            "batch size 越小，每个 epoch 里的 iteration 就越多，因为 iteration 数等于样本数除以 "
            "batch size。",
            "contradicts:arithmetic",
        ),
        # "instead of" denies what follows it.
        (
            "data-generators",
            "A generator hands the model one batch at a time instead of loading the whole dataset "
            "into memory first, so it works when the data doesn't fit in RAM.",
            "loads-everything-first",
        ),
        # Gini for a classification tree is right; the mistake is Gini for regression trees.
        (
            "decision-tree-splits",
            "It tries candidate thresholds on each feature and takes the split that reduces "
            "impurity the most, with Gini or entropy as the measure.",
            "regression-uses-gini",
        ),
    ],
)
def test_a_right_answer_in_a_common_shape_is_not_a_mistake(
    grader, library, question_id, answer, not_named
):
    assert not_named not in mistakes(grade(grader, library, question_id, answer))


def test_gini_said_of_regression_trees_is_still_named(grader, library):
    answer = (
        "Regression trees pick their splits with Gini impurity too, the same as classification "
        "trees."
    )
    assert "regression-uses-gini" in mistakes(
        grade(grader, library, "decision-tree-splits", answer)
    )


def test_the_reverse_of_a_mistake_anywhere_in_its_wording_is_not_it(grader, library):
    # "a small C allows a wider margin" against "the larger C is, ..., the wider the margin":
    # the clause of the mistake's wording nearest it says nothing of "larger".
    answer = (
        "SVM finds the separating hyperplane with the widest margin, and the support vectors "
        "are the points closest to it. A large C punishes every training error, so the margin "
        "gets narrow and it can overfit; a small C allows a wider, softer margin. Kernels like "
        "RBF let it separate data that is not linearly separable without computing the mapping "
        "explicitly."
    )
    result = grade(grader, library, "svm-kernels", answer)
    assert not mistakes(result), mistakes(result)
    assert result.score >= at_least(library, "svm-kernels", answer, 80)


def test_a_point_named_only_to_be_denied_earns_nothing(grader, library):
    answer = (
        "Batch norm normalizes the weights of every layer, not the activations, so that the "
        "weights never grow too large."
    )
    result = grade(grader, library, "batch-norm", answer)
    point = next(k for k in result.key_points if k.id == "normalizes-activations")
    assert point.credit == 0, (point.credit, point.evidence)
    assert result.score <= 30


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # "Hard to overfit" denies overfitting; it is not "more trees overfit".
        (
            "boosting-vs-random-forest",
            "Random forest trains deep trees independently on bootstrap samples and averages "
            "them, which reduces variance, so it is hard to overfit by adding trees. Gradient "
            "boosting adds shallow trees one after another, each fit to the residual errors of "
            "the ones before, which mainly reduces bias, and it can overfit without early "
            "stopping.",
        ),
        # Saying why pixels and sorting do not work is not either mistake.
        (
            "face-search",
            "You can't compare raw pixels, because lighting and pose change them. A CNN maps "
            "each face to an embedding and you look for the nearest one; sorting the vectors "
            "does not help in 512 dimensions, so for ten million you use an approximate index "
            "like HNSW or IVF-PQ, with a threshold to reject strangers.",
        ),
        # An example of leakage is not the claim that it is harmless.
        (
            "data-leakage",
            "Leakage is when information from the test set gets into training, so the test "
            "score looks better than it will be in production. A typical example is "
            "standardizing the whole dataset before the split. Split first, then fit the "
            "scaler on the training part only.",
        ),
    ],
)
def test_a_right_answer_that_speaks_of_the_mistake_is_not_it(grader, library, question_id, answer):
    result = grade(grader, library, question_id, answer)
    assert not mistakes(result), mistakes(result)


def test_the_clause_introducing_a_stated_mistake_is_no_evidence(grader, library):
    # The part before the colon claims what the part after it says; the mistake is named
    # after the colon, so "A tiny learning rate is what blows training up:" covers nothing.
    answer = (
        "A tiny learning rate is what blows training up: the small steps let the gradients "
        "pile up until you get NaN. A large learning rate just gets you to the minimum faster."
    )
    result = grade(grader, library, "learning-rate", answer)
    assert "swapped-effects" in mistakes(result)
    slow = next(k for k in result.key_points if k.id == "too-low-slow")
    assert slow.credit == 0, (slow.credit, slow.evidence)


def test_a_listed_mistake_said_nearly_word_for_word_needs_none_of_its_terms(grader, library):
    # From data/graded/everyday.jsonl: "weights and biases under another name" has none of the
    # terms of same-as-parameters, and reads as nothing right.
    answer = "超参数就是模型的权重和偏置，换了个名字而已，反向传播的时候会和权重一起学出来。"
    result = grade(grader, library, "hyperparameters", answer)
    assert "same-as-parameters" in mistakes(result)
    assert result.score <= 25


def test_two_points_swapped_with_each_other_are_both_named(grader, library):
    # The judge reads each clause as contradicting its point at about 0.9: not enough for one
    # clause alone, enough for two points swapped with each other.
    answer = (
        "If the learning rate is high, training is slow but stable. If the learning rate is "
        "low, the loss jumps around and can diverge to NaN."
    )
    result = grade(grader, library, "learning-rate", answer)
    assert {f"{CONTRADICTS}too-low-slow", f"{CONTRADICTS}too-high-diverges"} <= mistakes(result)
    assert result.score <= 10


def test_one_clause_the_judge_doubts_is_not_a_swap(grader, library):
    # "compute the loss, and in the backward pass ..." reads to the judge as contradicting
    # "the forward pass computes the loss" at about 0.9; alone, that is no mistake.
    answer = (
        "You compute the loss after the forward pass, and in the backward pass you go from the "
        "output toward the input with the chain rule, getting each weight's gradient, which the "
        "optimizer then uses to update the weights."
    )
    result = grade(grader, library, "backpropagation", answer)
    assert not mistakes(result), mistakes(result)
    assert result.score >= at_least(library, "backpropagation", answer, 75)


def test_a_magnitude_said_the_other_way_earns_nothing(grader, library):
    # "big" where the point says "too low", "small" where it says "too high": the words of both
    # points, each said of the other's learning rate.
    answer = (
        "With a big learning rate training is slow but steady, and with a small one the loss "
        "bounces around and ends up as NaN."
    )
    result = grade(grader, library, "learning-rate", answer)
    for point in ("too-low-slow", "too-high-diverges"):
        kp = next(k for k in result.key_points if k.id == point)
        assert kp.credit == 0, (point, kp.credit, kp.evidence)
    assert result.score <= 25


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # 多 says how much it is used, not how much data it needs.
        (
            "naive-bayes",
            "naive 的意思是假设 feature 之间条件独立。实际效果还行，计算快，垃圾邮件分类里用得多。",
        ),
        # 小 says which datasets, not that a large one needs no generator.
        (
            "data-generators",
            "数据生成器按 batch 从磁盘读数据，边训练边读，省内存，数据集大到内存放不下时必须用。"
            "小数据集能全放进内存的话其实没必要。",
        ),
    ],
)
def test_a_lone_one_character_opposite_said_of_something_else_is_no_contradiction(
    grader, library, question_id, answer
):
    result = grade(grader, library, question_id, answer)
    assert not mistakes(result), mistakes(result)


def test_a_one_character_opposite_after_the_same_degree_word_is_still_one(grader, library):
    # 太高 against the point's 太低: the same 太 before each.
    result = grade(grader, library, "learning-rate", LR_SWAPPED_MIXED)
    assert mistakes(result), result.score
    assert result.score <= 25


def test_a_right_chinese_follow_up_in_everyday_words_is_what_was_asked(grader, library):
    # Seen in tmux at stop 27: "看业务代价…阈值调低…召回率" was "not quite what I was after".
    answer = (
        "看业务代价：漏掉一次攻击代价很大，所以阈值调低一点，优先保证召回率，再看 PR 曲线选点。"
    )
    result = grade(grader, library, "classification-metrics", answer, focus="threshold-by-cost")
    assert result.key_points[0].status == "hit", result.key_points[0]


def test_a_right_answer_saying_both_ends_in_its_own_words_is_no_swap(grader, library):
    # "太高" is the rubric's "太大" in other words: the "太低" next to it is the other half of
    # a right answer, not the opposite of the point about a learning rate too large.
    result = grade(grader, library, "learning-rate", "太高会震荡甚至不收敛，太低收敛很慢。")
    assert not result.misconceptions, result.model_dump()
    assert result.score >= 40


@pytest.mark.parametrize(
    ("question_id", "answer", "listed"),
    [
        # Code-switched mistakes whose English words put them as far from the Chinese
        # statement of the mistake as from anything right, until read in Chinese.
        (
            "svm-kernels",
            "C 越大 margin 越宽，regularization 越强，model 越不容易 overfit。",
            "large-c-wide-margin",
        ),
        (
            "decision-tree-splits",
            "decision tree 会选 split 之后 entropy 最大的那个 feature，因为 entropy 越大 "
            "information 越多。",
            "maximize-entropy",
        ),
    ],
)
def test_a_code_switched_mistake_is_read_as_chinese_too(
    grader, library, question_id, answer, listed
):
    result = grade(grader, library, question_id, answer)
    assert listed in mistakes(result), result.model_dump()
    assert result.score <= 25


@pytest.mark.parametrize(
    "answer",
    [
        "linear regression 预测连续值，loss 用 MSE；logistic regression 做二分类，在线性结果外面"
        "套一个 sigmoid 输出概率，loss 用 cross entropy。",
        # The MSE in a clause of the sentence that opened with linear regression.
        "Linear regression predicts a continuous value, y-hat equals w transpose x plus b, and "
        "it's fit by minimizing mean squared error, which has a closed-form solution. Logistic "
        "regression is for classification: it passes the same linear score through a sigmoid "
        "to get a probability, and it's trained by minimizing cross-entropy, with no closed "
        "form, so you use gradient descent.",
    ],
)
def test_the_counterpart_opening_a_clause_is_not_the_mistake_that_names_both(
    grader, library, answer
):
    # "Logistic regression is trained with MSE, just like linear regression" names both; a
    # clause about linear regression and its MSE is right, and so is the answer.
    result = grade(grader, library, "logistic-vs-linear-regression", answer)
    assert "trained-with-mse" not in mistakes(result), result.model_dump()
    assert result.score >= 60


def test_the_mistake_that_names_both_is_still_named_of_its_own_subject(grader, library):
    answer = (
        "Logistic regression is basically linear regression with a sigmoid on top, and it's "
        "also trained with mean squared error."
    )
    assert "trained-with-mse" in mistakes(
        grade(grader, library, "logistic-vs-linear-regression", answer)
    )


def test_a_true_fact_the_mistake_reasons_from_is_not_the_mistake(grader, library):
    # "ROC is insensitive to the class ratio" is true; the mistake is concluding that ROC is
    # then the best choice for rare positives, and this answer concludes the opposite.
    answer = (
        "ROC plots TPR versus FPR over thresholds; PR plots precision versus recall. ROC is "
        "insensitive to class ratio, so with very rare positives a small FPR can still mean many "
        "false positives and ROC looks too good. Prefer PR when positives are rare and you care "
        "about the positive class; ROC when classes are balanced."
    )
    result = grade(grader, library, "roc-vs-pr-curves", answer)
    assert not result.misconceptions, result.model_dump()
    assert result.score >= 70


@pytest.mark.parametrize(
    ("question_id", "answer", "mistake"),
    [
        # The wording nearest the denial ("each boosting tree is built without looking at the
        # others") has none of the mistake's terms, and its "without" reads as a denial too.
        (
            "boosting-vs-random-forest",
            "A random forest trains many deep trees independently and in parallel, each on a "
            "bootstrap sample, and averages them, which mainly reduces variance. Gradient "
            "boosting adds shallow trees one at a time, each fitting the errors of the ensemble "
            "so far, which mainly reduces bias. Boosting can't be parallelized across trees.",
            "boosting-independent-trees",
        ),
        (
            "naive-bayes",
            "朴素指的是条件独立假设：给定类别时各个特征相互独立，所以似然可以拆成连乘。它效果不错是因为"
            "分类只要后验的排序对。另外它输出的概率通常校准很差，不能直接当置信度用。",
            "calibrated-probabilities",
        ),
    ],
)
def test_denying_a_mistake_in_its_own_terms_is_not_stating_it(
    grader, library, question_id, answer, mistake
):
    result = grade(grader, library, question_id, answer)
    assert mistake not in mistakes(result), result.model_dump()
    assert result.score >= 60


@pytest.mark.parametrize(
    ("question_id", "answer", "mistake"),
    [
        # Mistakes candidates make often, listed in both banks in stop 29, said in the words
        # candidates use: a right opening and then the one wrong claim.
        (
            "k-means",
            "K-means 就是 assign 和 update 两步交替，minimize within-cluster sum of squares。"
            "选 k 的话就选让 inertia 最小的那个 k，inertia 越小说明 cluster 越好。",
            "lowest-inertia-k",
        ),
        (
            "cross-validation",
            "K-fold 就是把 data 分 k 份，轮流做 validation，然后 average 结果。"
            "一般我会先在全部数据上做 standardization 和 feature selection，"
            "选好 feature 以后再做 k-fold。",
            "preprocess-before-cv",
        ),
        (
            "feature-scaling",
            "Scaling matters for k-NN and for gradient descent, and trees don't need it. I fit "
            "one scaler on the training set and a separate one on the test set, so each set is "
            "standardized with its own mean and std.",
            "fit-test-separately",
        ),
        (
            "epoch-batch-iteration",
            "Epoch 就是整个 dataset 过一遍，iteration 是更新一次参数。然后 batch size 越大越好，"
            "因为 gradient 更准，generalization 也一定更好，显存够就开到最大。",
            "bigger-batch-always-better",
        ),
        (
            "bias-variance",
            "Bias 和 variance 的权衡是说，总误差等于 bias 加 variance，而这两者的和是一个常数，"
            "所以降低一个必然让另一个等量增加。",
            "constant-sum",
        ),
    ],
)
def test_a_common_mistake_after_a_right_opening_is_named(
    grader, library, question_id, answer, mistake
):
    result = grade(grader, library, question_id, answer)
    assert mistake in mistakes(result), result.model_dump()
    assert result.score <= 40


@pytest.mark.parametrize(
    ("question_id", "answer", "least"),
    [
        # The 4 倍 is said of the feature maps and the compute, not of the parameters.
        (
            "cnn-parameters",
            "卷积层的参数量是不变的，卷积核的参数只跟核的大小、输入通道数、输出通道数有关，因为权值"
            "共享。图像变大以后变的是特征图的大小和计算量，长宽都翻倍的话大概是 4 倍。不过如果后面"
            "直接 flatten 接全连接层，全连接层的参数就会变多。",
            60,
        ),
        # The list of tree models illustrates the clause before it, whose 不需要 is the claim.
        (
            "feature-scaling",
            "需要缩放的主要是基于距离的模型，比如 KNN、k-means，还有用梯度下降训练的模型。"
            "不需要的主要是树模型，决策树、随机森林、XGBoost 这些，因为分裂只看特征值的大小顺序。",
            60,
        ),
        # Both named, each with its own loss.
        (
            "logistic-vs-linear-regression",
            "线性回归是预测连续值的；逻辑回归是做分类的，在线性的结果后面加一个 sigmoid，"
            "输出 0 到 1 之间的概率。损失函数也不一样，线性回归是均方误差，逻辑回归是交叉熵。",
            60,
        ),
        # Right answers that speak of the mistakes listed in stop 29.
        (
            "k-means",
            "K-means alternates assigning points to the nearest centroid and moving each "
            "centroid to the mean. Inertia always drops as k grows, so you pick k at the elbow, "
            "not the k with the lowest inertia. It is sensitive to outliers and to feature scale, "
            "so standardize first.",
            60,
        ),
        (
            "pca",
            "PCA finds orthogonal directions of maximum variance, the eigenvectors of the "
            "covariance matrix, and projects onto the top k. The components are uncorrelated, so "
            "PCA is a way to remove multicollinearity. Standardize first, since it is sensitive "
            "to scale.",
            60,
        ),
        # The next three need only 50: the first leaves much of the question out (58.8).
        # 不一定 denies the mistake's 一定; the clause says to tune the threshold.
        (
            "imbalanced-data",
            "不平衡的时候不能只看 accuracy，要看 precision、recall、F1 或者 PR-AUC。数据层面可以对"
            "少数类过采样或者用 SMOTE；算法层面在 loss 里加类别权重；决策层面：调整分类阈值，"
            "不一定非得用 0.5。要注意采样只能在训练集上做，验证集和测试集要保持真实分布。",
            50,
        ),
        # The batch's statistics said of training, the running ones of inference.
        (
            "batch-norm",
            "BN 在每一层对一个 mini-batch 里每个通道算均值和方差，把激活值拉到均值 0、方差 1，"
            "再乘可学习的 gamma、加 beta。训练的时候用当前 batch 的统计量，推理的时候用训练过程中"
            "滑动平均下来的均值和方差。它让每层输入的分布更稳定，可以用更大的学习率。",
            50,
        ),
        # The compute grows 4x: the opposite of "the compute stays the same".
        (
            "cnn-parameters",
            "For the convolutional layers the number of parameters doesn't change, since a kernel "
            "is k by k by C_in by C_out whatever the image size. What changes is the activations: "
            "doubling height and width gives four times as many spatial positions, so roughly 4x "
            "the FLOPs and activation memory. A dense layer after a flatten would get 4x the "
            "weights, unless you use global average pooling.",
            50,
        ),
    ],
)
def test_a_right_answer_near_a_listed_mistake_is_not_it(
    grader, library, question_id, answer, least
):
    result = grade(grader, library, question_id, answer)
    assert not result.misconceptions, result.model_dump()
    assert result.score >= least


def test_oversampling_the_whole_dataset_before_the_split_is_named(grader, library):
    answer = (
        "The standard approach is to balance the dataset first. I'd take the full data, apply "
        "SMOTE so both classes are 50/50, and then do the train/test split, so the test set is "
        "balanced too and accuracy becomes a fair metric again."
    )
    result = grade(grader, library, "imbalanced-data", answer)
    assert "resample-test-set" in mistakes(result), result.model_dump()


def test_a_guaranteed_global_optimum_is_named_though_it_resembles_the_correction(grader, library):
    # "全局" against the correction's "局部": the correction is no rival, and the clause leads
    # everything else right by far, though it matches the mistake only moderately.
    answer = (
        "k-means 先随机选 k 个中心，把每个点分到最近的中心，再用均值更新中心。它的好处是一定能"
        "收敛到全局最优解，所以结果跟初始化没关系，跑一次就行。"
    )
    result = grade(grader, library, "k-means", answer)
    assert "global-optimum" in mistakes(result), result.model_dump()


@pytest.mark.parametrize(
    "answer",
    [
        "正则化其实就是对输入数据做归一化，把每个特征缩放到同一个量纲，L1 和 L2 只是两种不同的"
        "归一化方式。",
        "Regularization basically means normalizing the input features so they're on the same "
        "scale; L1 and L2 are just two ways of normalizing them.",
    ],
)
def test_a_mistake_that_resembles_nothing_right_is_named(grader, library, answer):
    result = grade(grader, library, "regularization-l1-l2", answer)
    assert "normalizes-data" in mistakes(result), result.model_dump()
    assert result.score <= 25


# Everyday wordings of mistakes added to the banks in stop 31, written for these tests (not
# taken from data/): each is named, and the score is capped.
EVERYDAY_MISTAKES = [
    (
        "epoch-batch-iteration",
        "One iteration means one training sample goes through the network and the weights get "
        "updated, so an epoch has as many iterations as there are samples.",
        "iteration-is-one-sample",
    ),
    (
        "epoch-batch-iteration",
        "batch 就是整个训练集，epoch 是把它切成的一小块一小块。",
        "batch-is-whole-dataset",
    ),
    (
        "naive-bayes",
        "朴素贝叶斯是判别模型，跟逻辑回归一样直接建模 P(y|x)。",
        "discriminative-model",
    ),
    (
        "imbalanced-data",
        "Focal loss 会给 easy examples 更大的 weight，hard examples 的 weight 变小。",
        "focal-loss-upweights-easy",
    ),
    (
        "k-means",
        "K-means starts with every point in its own cluster and keeps merging the two closest "
        "clusters until there are k left.",
        "hierarchical-merging",
    ),
    (
        "cross-validation",
        "After the k folds you average the weights of the k models and that averaged model is "
        "your final model.",
        "average-fold-weights",
    ),
    (
        "learning-rate",
        "学习率太小会导致梯度消失，太大会导致梯度爆炸。",
        "lr-causes-vanishing-exploding",
    ),
    (
        "svm-kernels",
        "An SVM gives you calibrated class probabilities straight out of the box, it's a "
        "probabilistic model.",
        "svm-outputs-probabilities",
    ),
    (
        "logistic-vs-linear-regression",
        "逻辑回归只能做二分类，多分类的问题它就用不了了。",
        "binary-only",
    ),
    (
        "decision-tree-splits",
        "Information gain prefers features with only a few distinct values, like binary features.",
        "ig-favours-few-values",
    ),
    (
        "roc-vs-pr-curves",
        "ROC 曲线会随着正负样本比例变化很大，PR 曲线就不受类别比例影响。",
        "roc-sensitive-pr-insensitive",
    ),
    (
        "data-leakage",
        "Data leakage is basically just overfitting: the model memorizes the training set and "
        "then does badly on the test set.",
        "leakage-is-overfitting",
    ),
    (
        "boosting-vs-random-forest",
        "GBDT 是串行的。另外 gradient boosting 和 random forest 一样，加更多的 trees 永远不会 "
        "overfit，所以 n_estimators 越大越好。",
        "boosting-never-overfits",
    ),
    # Stop 32: mistakes the banks list since then, in words no paraphrase uses.
    (
        "data-leakage",
        "Leakage is when part of your training data goes missing or gets corrupted during the "
        "pipeline, so the model ends up learning from less than it should.",
        "leakage-is-data-loss",
    ),
    ("k-means", "每一轮把簇中心更新成簇里所有点的中位数，然后重新分配。", "median-update"),
    (
        "decision-tree-splits",
        "Pre-pruning means you let the tree grow fully and then cut it back; post-pruning is "
        "setting max depth before you train.",
        "pre-post-pruning-swapped",
    ),
    (
        "naive-bayes",
        "Laplace 平滑的作用是把高频词的权重压低，免得它们主导预测结果。",
        "smoothing-downweights-frequent",
    ),
    (
        "face-search",
        "IVF 里 nprobe 调小的话召回率反而更高，调大的话每次查询会更快。",
        "nprobe-reversed",
    ),
    (
        "roc-vs-pr-curves",
        "A coin-flip classifier gets a ROC-AUC of zero, and 0.5 means the model is perfect.",
        "auc-scale-misread",
    ),
    (
        "backpropagation",
        "每一层的梯度只要知道这一层自己的输入输出就能单独算，不用等后面的层，所以所有层可以并行算梯度。",
        "layer-gradients-independent",
    ),
    (
        "precision-recall-tradeoff",
        "For cancer screening I'd go for precision, since false alarms scare patients, and for a "
        "spam filter I'd push recall so nothing gets through.",
        "priorities-swapped",
    ),
    (
        "imbalanced-data",
        "Random oversampling can't overfit, it's just copies of samples you already have, no "
        "new information.",
        "oversampling-cannot-overfit",
    ),
    (
        "activation-functions",
        "tanh 的输出范围更宽，所以它比 sigmoid 更容易饱和，梯度消失更严重。",
        "tanh-worse-than-sigmoid",
    ),
    (
        "classification-metrics",
        "AUC 就是 precision 和 recall 的调和平均，跟 F1 基本是一个东西。",
        "auc-is-f1",
    ),
    (
        "epoch-batch-iteration",
        "Each epoch is a fresh training run from newly initialized weights, so ten epochs give "
        "you ten separate models.",
        "epoch-is-training-run",
    ),
    (
        "logistic-vs-linear-regression",
        "Logistic regression 的 log loss 是 non-convex 的，所以 gradient descent 可能卡在 local "
        "minimum。",
        "nonconvex-loss",
    ),
    # Stop 33: misconceptions listed from the third round of everyday wordings, in words of
    # our own (each of these was graded without a mistake on stop 32's main).
    (
        "face-search",
        "I'd first squash the 512-d embeddings down to about three dimensions with PCA, since "
        "almost all of a face's identity sits in the top components, and then a simple index is "
        "instant.",
        "pca-to-few-dims",
    ),
    (
        "imbalanced-data",
        "过采样就是把多数类删掉一些，欠采样就是把少数类复制几份，让两类数量差不多。",
        "swapped-over-under-sampling",
    ),
    (
        "imbalanced-data",
        "调 threshold 没什么用，model 没变的话 precision 和 recall 也不会变，想提高少数类 recall "
        "只能重新训练。",
        "threshold-tuning-useless",
    ),
    (
        "decision-tree-splits",
        "决策树的分裂阈值是用梯度下降学出来的，跟神经网络一样，防止过拟合就加 dropout。",
        "gradient-descent-splits",
    ),
    (
        "naive-bayes",
        "Naive Bayes actually works better when the features are highly correlated, because "
        "they back each other up, so I'd throw in lots of correlated features.",
        "correlated-features-help",
    ),
    (
        "feature-scaling",
        "PCA 之前不用做 scaling，因为 PCA 只是把数据旋转一下，尺度不影响结果。",
        "pca-no-scaling",
    ),
    (
        "boosting-vs-random-forest",
        "Gradient boosting handles noisy labels and outliers better than a random forest does, "
        "so on messy data I'd go with boosting.",
        "boosting-robust-to-noise",
    ),
]

EVERYDAY_MISSED = "the wording is far from every listed paraphrase, or lacks the mistake's terms"


@pytest.mark.parametrize(("question_id", "answer", "mistake"), EVERYDAY_MISTAKES)
def test_a_mistake_in_everyday_words_is_named(grader, library, question_id, answer, mistake):
    result = grade(grader, library, question_id, answer)
    assert mistake in mistakes(result)
    assert result.score <= cal.MISCONCEPTION_CAP


@pytest.mark.xfail(strict=True, reason=EVERYDAY_MISSED)
@pytest.mark.parametrize(
    ("question_id", "answer", "mistake"),
    [
        (
            "imbalanced-data",
            "If one class only has a few hundred examples, the simplest fix is to drop it, since "
            "the model can't learn anything from so few samples.",
            "drop-minority",
        ),
        (
            "batch-norm",
            "With batch norm the gradients get bigger, so you have to turn the learning rate "
            "down and training is slower.",
            "bn-needs-lower-lr",
        ),
        (
            "regularization-l1-l2",
            "L1 和 L2 正则其实效果差不多，只是惩罚的大小不一样而已。",
            "l1-l2-same-effect",
        ),
        # Stop 32: listed since then, still missed in these words.
        (
            "cross-validation",
            "k 折的 k 取得越大，每一折用来训练的数据反而越少，所以我一般就用 3 折。",
            "larger-k-smaller-train",
        ),
        (
            "feature-scaling",
            "If your data has outliers, go with min-max scaling, because squashing everything "
            "into zero to one takes care of them.",
            "minmax-robust-to-outliers",
        ),
        (
            "learning-rate",
            "我的习惯是学习率从小往大一直涨，到训练最后步子最大，这样收敛最快。",
            "lr-increase-over-training",
        ),
        (
            "bias-variance",
            "Bias is just your training error and variance is your test error, and together they "
            "add up to the total.",
            "bias-train-variance-test",
        ),
        # Stop 33: listed in the third round, still missed in these words of our own.
        (
            "cross-validation",
            "I'd pick a big k like 20, since with more folds each fold is smaller and the whole "
            "thing runs faster.",
            "larger-k-faster",
        ),
        (
            "data-leakage",
            "Picking the threshold or the early-stopping epoch on the test set is fine, it's not "
            "leakage, since the weights never train on the test data.",
            "test-set-tuning-ok",
        ),
    ],
)
def test_known_gaps_in_everyday_words(grader, library, question_id, answer, mistake):
    assert mistake in mistakes(grade(grader, library, question_id, answer))


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [
        # A right clause next to a new paraphrase that adds one wrong reason to it.
        (
            "regularization-l1-l2",
            "Regularization adds a penalty to the loss. L1 uses absolute values and L2 uses "
            "squares, and L1 gives sparse weights, some become exactly zero.",
        ),
        (
            "data-generators",
            "Data generator 就是不把所有 data 一次 load 进 memory，而是每次 yield 一个 batch。",
        ),
        (
            "roc-vs-pr-curves",
            "I'd use ROC for fairly balanced problems or when both classes matter equally, and PR "
            "or average precision under heavy imbalance.",
        ),
        (
            "backpropagation",
            "The forward pass stores the activations, and that is why training uses much more "
            "memory than inference.",
        ),
        (
            "face-search",
            "With 10 million vectors you could brute-force it, but comparing against every vector "
            "per query is slow, so I'd use an approximate nearest neighbour index.",
        ),
        (
            "pca",
            "PCA is a dimensionality reduction method. It finds the directions of maximum "
            "variance and projects the data onto them.",
        ),
        # Stop 32: a right code-switched clause whose nearest wording is English ("a too-low
        # learning rate makes the loss diverge"): the opposite words are found in Chinese.
        (
            "learning-rate",
            "Learning rate 太高的话 loss 会 diverge，一直震荡不收敛；太低的话 training 会非常慢。",
        ),
        # ...and a denied saturation, not a wording with an incidental negation.
        ("activation-functions", "ReLU 在正半轴不饱和，梯度恒为 1，所以训练快，但负半轴梯度为 0。"),
        # Said of the counterpart: the mistake is about boosting.
        (
            "boosting-vs-random-forest",
            "GBDT 对超参更敏感，树太多会过拟合，要配合 early stopping；随机森林调参简单、比较稳健，"
            "加树一般不会过拟合。",
        ),
    ],
)
def test_a_right_statement_near_an_everyday_mistake_is_not_named(
    grader, library, question_id, answer
):
    assert not mistakes(grade(grader, library, question_id, answer))


@pytest.mark.parametrize(
    "answer",
    [
        "Batch norm normalizes the inputs to each layer using the mini-batch mean and variance, "
        "which makes training faster.",
        "Batch norm takes the inputs of a layer and normalizes them with the mini-batch mean and "
        "variance, which makes training faster.",
    ],
)
def test_a_points_term_counts_in_any_word_order(grader, library, answer):
    # The point's terms say "layer input" and "inputs of each layer"; a candidate says "the
    # inputs to each layer". Without the term the point earned nothing (the on-topic floor).
    result = grade(grader, library, "batch-norm", answer)
    credit = {kp.id: kp.credit for kp in result.key_points}
    assert credit["normalizes-activations"] > 0.5


def test_a_term_counts_with_a_hyphen_inside_it(grade_in_library):
    assert mentions_any("samples it gets wrong are up-weighted", ["upweight"])
    assert mentions_any("the standard feature-selection tool", ["feature selection"])
    assert not mentions_any("reweighted data, not up-weighted", ["upweight"])
    # "upweight" is a term of the mistake that gradient boosting reweights samples as AdaBoost
    # does: said with a hyphen, it was not named.
    result = grade_in_library(
        "boosting-vs-random-forest",
        "Random forest: bagging, independent deep trees on bootstrap samples, averaged, which "
        "lowers variance. In gradient boosting, after each round the samples the current model "
        "gets wrong are up-weighted, and the next tree is trained on the re-weighted data.",
    )
    assert "gbdt-is-adaboost-reweighting" in mistakes(result), mistakes(result)
    assert result.score <= 35


def test_words_of_a_term_set_aside_are_not_said():
    assert _says_words_of("it normalizes the inputs to each layer", ["layer input"])
    assert not _says_words_of("it normalizes the weights, not the layer inputs", ["layer input"])
    assert not _says_words_of("it normalizes the weights", ["layer input"])


@pytest.mark.parametrize(
    ("question_id", "point", "answer"),
    [
        # How candidates say a right point, in words the rubric's wordings and terms lacked:
        # each earned nothing for the point before (the rubric said "approximate", "LSH",
        # "slow", "k-1"; candidates say "ANN", "HNSW", "crawls", "k minus 1").
        ("face-search", "ann-index", "线上一般用 ANN 检索，比如 HNSW，不用和全部向量比。"),
        (
            "face-search",
            "brute-force-too-slow",
            "一千万条向量每来一个 query 都挨个算相似度，线上延迟根本扛不住。",
        ),
        (
            "classification-metrics",
            "accuracy-misleading",
            "如果 99% 是正常交易，模型全预测正常也有 99% 准确率，但完全没用。",
        ),
        (
            "bias-variance",
            "high-variance-overfits",
            "方差大就是模型对训练集太敏感，拟合噪声，到了没见过的数据上就不行。",
        ),
        (
            "learning-rate",
            "too-low-slow",
            "When the learning rate is too small, each step barely changes the weights and "
            "training crawls.",
        ),
        (
            "cross-validation",
            "k-folds-rotation",
            "Each of the k parts gets held out once while we train on the other k minus 1 parts.",
        ),
        (
            "hyperparameters",
            "hyperparameters-set-beforehand",
            "超参数是在训练开始前由工程师人为指定的，比如 learning rate，"
            "训练过程中不会被梯度更新。",
        ),
        # A heading and an ordinal before the claim: "局限：第一，k 要事先指定" read 0.45 to the
        # point, its bare claim 0.68.
        (
            "k-means",
            "choose-k",
            "局限：第一，k 要事先指定，只能用肘部法、轮廓系数去估；第二，对初始化敏感。",
        ),
        (
            "k-means",
            "choose-k",
            "Limitations: first, k must be chosen up front, via the elbow method or the "
            "silhouette score; second, it is sensitive to initialization.",
        ),
    ],
)
def test_a_right_point_in_a_candidates_words_earns_credit(
    grader, library, question_id, point, answer
):
    result = grade(grader, library, question_id, answer)
    assert not result.misconceptions, mistakes(result)
    credit = {kp.id: kp.credit for kp in result.key_points}
    assert credit[point] >= 0.5, credit


def test_a_confident_wrong_answer_ranks_between_another_questions_answer_and_a_vague_one(
    grader, library
):
    # Graders give a confident wrong answer 11-16 on average, an answer to another question 2-3
    # and a vague on-topic one 5-10: a wrong answer at 0 tied with "I don't know".
    wrong = grade(
        grader,
        library,
        "learning-rate",
        "If the learning rate is too high, training gets really slow. If it's too low, the loss "
        "diverges and you get NaNs.",
    )
    assert wrong.misconceptions
    _, bn = library.find_question("batch-norm")
    off_topic = grade(grader, library, "learning-rate", bn.model_answer.get("en"))
    assert off_topic.verdict == "off-topic"
    vague = grade(
        grader,
        library,
        "learning-rate",
        "The learning rate is one of the most important settings in training, and getting it "
        "right really matters. You have to tune it carefully for each problem.",
    )
    assert not vague.misconceptions
    assert off_topic.score < wrong.score < vague.score
    assert wrong.score <= 10


@pytest.mark.parametrize(
    "reason",
    [
        "Training logistic regression with MSE makes the loss non-convex.",
        "If you train logistic regression with MSE, you get a non-convex loss with bad gradients.",
        "如果逻辑回归硬用 MSE，loss 会变成非凸。",
        "如果邏輯迴歸硬用 MSE，loss 會變成非凸。",
    ],
)
def test_the_reason_not_to_take_a_step_is_not_the_mistake_of_taking_it(grade_in_library, reason):
    # Why logistic regression is not trained with MSE is what an interviewer hopes to hear: it
    # was read as the mistake `trained-with-mse` (blind34, blind47: right answers scored 37.5).
    lead = (
        "Linear regression is trained with MSE; logistic regression with log loss (cross-entropy). "
        if reason.isascii()
        else "线性回归用 MSE，逻辑回归用交叉熵（log loss）。"
    )
    result = grade_in_library("logistic-vs-linear-regression", lead + reason)
    assert "trained-with-mse" not in mistakes(result), result.model_dump()


@pytest.mark.parametrize(
    "claim",
    [
        "Logistic regression is trained with MSE like linear regression; cross-entropy would "
        "make the loss non-convex.",
        "逻辑回归也是用 MSE 训练的，和线性回归一样，交叉熵的 loss 是非凸的。",
        "An RBF kernel makes the SVM optimization non-convex, so it only finds a local optimum.",
    ],
)
def test_a_mistake_that_gives_non_convexity_as_its_reason_is_still_named(grade_in_library, claim):
    question_id = "svm-kernels" if "SVM" in claim else "logistic-vs-linear-regression"
    result = grade_in_library(question_id, claim)
    assert mistakes(result), result.model_dump()


def test_how_many_samples_a_batch_holds_is_not_the_number_of_batches(grade_in_library):
    # "一批有多少个" (how many in a batch) carried the term 多少个 of the mistake "batch size is how
    # many batches there are": a right blind46 answer scored 37.5 (graders 80).
    right = grade_in_library(
        "epoch-batch-iteration",
        "Epoch 是把整个训练集完整过一遍。Batch 是每次送进模型、用来算一次梯度的那一小批样本，"
        "batch size 就是一批有多少个。Iteration 是参数更新一次。比如 1000 个样本，batch size 是 "
        "100，那一个 epoch 就是 10 个 iteration。",
    )
    assert "batch-size-is-number-of-batches" not in mistakes(right), right.model_dump()
    wrong = grade_in_library(
        "epoch-batch-iteration", "数据集过一遍是 epoch，batch size 是一个 epoch 里有多少个 batch。"
    )
    assert "batch-size-is-number-of-batches" in mistakes(wrong), wrong.model_dump()


def test_many_and_few_are_opposites(grade_in_library):
    # "many distinct values" against the mistake's "few distinct values": the embeddings read
    # them alike, and a right blind46 answer scored 37.5 (graders 92) before the pair was listed.
    lead = "Splits pick the feature that most reduces Gini impurity. One caveat: information gain "
    right = grade_in_library(
        "decision-tree-splits", lead + "is biased toward features with many distinct values."
    )
    assert "ig-favours-few-values" not in mistakes(right), right.model_dump()
    wrong = grade_in_library(
        "decision-tree-splits", lead + "is biased toward features with few distinct values."
    )
    assert "ig-favours-few-values" in mistakes(wrong), wrong.model_dump()
