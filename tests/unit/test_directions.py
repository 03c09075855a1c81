"""Which way an answer says a quantity moves (grading/directions.py), read against the
directions the built-in banks declare, then graded through the real models.

The wrong sentences are the shapes confident wrong answers take ("raise the threshold and recall
goes up"), in English, Chinese and both mixed; the right ones use the same words the right way
round, or say things this reader must leave alone (a cure for a problem, "vice versa", a
denial)."""

from __future__ import annotations

import pytest
from test_rubric_loader import VALID, line_with, only, problems_of, write

from mockint.grading.directions import reversed_direction
from mockint.grading.grader import CONTRADICTS
from mockint.rubric import RubricError, load_bank


def direction_of(library, question_id: str, point_id: str):
    _, question = library.find_question(question_id)
    (point,) = [kp for kp in question.key_points if kp.id == point_id]
    assert point.direction is not None, f"{question_id}/{point_id} declares no direction"
    return point.direction


WRONG = [
    # (question, key point, sentence, the effect the reader must quote)
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "If you raise the threshold, the model gets stricter, so it finds more of the real "
        "positives: recall goes up, but precision drops.",
        "recall",
    ),
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "Lowering the threshold makes the model more conservative, which improves precision.",
        "precision",
    ),
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "阈值调高，模型预测为正的样本变多，所以召回率上升、精确率下降。",
        "召回率",
    ),
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "threshold 往上调的话 recall 会上升，precision 会下降。",
        "recall",
    ),
    (
        "bias-variance",
        "complexity-tradeoff",
        "A very deep network has high bias, and a simple model has high variance.",
        "bias",
    ),
    ("bias-variance", "complexity-tradeoff", "模型越复杂，bias 越大，variance 越小。", "bias"),
    (
        "learning-rate",
        "too-low-slow",
        "If the learning rate is too high, training gets really slow.",
        "slow",
    ),
    (
        "learning-rate",
        "too-high-diverges",
        "学习率太低的时候模型会震荡、发散，因为每一步更新都不够。",
        "震荡",
    ),
    (
        "cnn-parameters",
        "conv-params-independent",
        "The parameters double, because each conv filter has to cover twice as many pixels.",
        "parameters",
    ),
    (
        "cnn-parameters",
        "conv-params-independent",
        "I think the parameter count goes up 8 倍, 因为 image 的三个维度都 double 了。",
        "parameter",
    ),
    (
        "epoch-batch-iteration",
        "arithmetic",
        "A bigger batch size means more iterations in every epoch.",
        "iterations",
    ),
    (
        "decision-tree-splits",
        "full-tree-overfits",
        "Deeper trees average out noise, so they avoid overfitting.",
        "overfitting",
    ),
    # An effect to be prevented is a goal, and the means said after it is its cause.
    (
        "decision-tree-splits",
        "full-tree-overfits",
        "To stop it from overfitting you make the tree deeper, since a deeper tree averages out "
        "the noise.",
        "overfitting",
    ),
    (
        "decision-tree-splits",
        "full-tree-overfits",
        "防止过拟合的话，我会把 max_depth 调大，让每个叶子都是纯的。",
        "过拟合",
    ),
    (
        "decision-tree-splits",
        "full-tree-overfits",
        "所以要防止 overfit，应该把 max_depth 调大，让树长得更充分。",
        "overfit",
    ),
    (
        "regularization-l1-l2",
        "lambda-tuning",
        "A larger lambda makes the model overfit more.",
        "overfit",
    ),
    (
        "svm-kernels",
        "soft-margin-c",
        "参数 C 越大，对误分类越宽容，间隔越大，模型越简单，越不容易过拟合。",
        "间隔",
    ),
    ("svm-kernels", "soft-margin-c", "A bigger C gives you a wider margin.", "margin"),
    (
        "svm-kernels",
        "kernel-choices",
        "RBF kernel 的 gamma 越大，decision boundary 越平滑，越不容易 overfit。",
        "平滑",
    ),
    (
        "boosting-vs-random-forest",
        "variance-vs-bias",
        "但随机森林主要降低的是 bias，梯度提升主要降低的是 variance。",
        "bias",
    ),
    (
        "cross-validation",
        "k-folds-rotation",
        "k 一般取 5 或者 10，k 越大，每次用来训练的数据越少。",
        "训练的数据",
    ),
    (
        "cross-validation",
        "k-folds-rotation",
        "The larger the k, the less computation.",
        "computation",
    ),
    (
        "activation-functions",
        "saturation-region",
        "Saturation region 指的是 input 很大的时候，所以 derivative 特别大，"
        "会导致 gradient explosion。",
        "derivative",
    ),
    (
        "imbalanced-data",
        "class-weights-focal-loss",
        "Give the majority class a larger weight, since it has more reliable data.",
        "weight",
    ),
    (
        "boosting-vs-random-forest",
        "variance-vs-bias",
        "Random forests mainly lower the bias of the model, while boosting lowers its variance.",
        "bias",
    ),
    # A goal and its means pair them as the relation does.
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "For fraud detection, where you can't afford to miss fraud, you want a high threshold to "
        "maximize recall.",
        "recall",
    ),
    ("precision-recall-tradeoff", "threshold-moves", "如果想要召回率高，就把阈值调高。", "召回率"),
    # "it" for the cause named a sentence before.
    (
        "learning-rate",
        "too-high-diverges",
        "If the learning rate is too high, the model converges quickly. If it's too low, the loss "
        "tends to explode.",
        "explode",
    ),
]

RIGHT = [
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "Raising the decision threshold usually increases precision and lowers recall, and "
        "lowering it does the opposite.",
    ),
    ("precision-recall-tradeoff", "threshold-moves", "阈值越高，精确率越高，召回率越低。"),
    ("precision-recall-tradeoff", "threshold-moves", "提高阈值会提升精确率，但会降低召回率。"),
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "precision 和 recall 是 trade-off，threshold 高 precision 高 recall 低，反过来一样。",
    ),
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "Recall goes up if you lower the threshold, and precision goes up if you raise it.",
    ),
    # A cure for a problem pairs them the other way round from the relation: left alone.
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "If recall is too low for the business, fix it by lowering the threshold.",
    ),
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "Raising the threshold doesn't increase recall.",
    ),
    (
        "bias-variance",
        "complexity-tradeoff",
        "Making the model more complex generally lowers bias while raising variance, so you pick "
        "the complexity that minimizes the sum.",
    ),
    ("bias-variance", "complexity-tradeoff", "随着模型复杂度增加，bias 下降而 variance 上升。"),
    (
        "bias-variance",
        "complexity-tradeoff",
        "训练误差本身就高，说明 bias 大，要加特征或换更复杂的模型。",
    ),
    (
        "learning-rate",
        "too-high-diverges",
        "学习率太低会导致训练很慢，太高会导致 loss 震荡甚至发散。",
    ),
    (
        "cnn-parameters",
        "conv-params-independent",
        "输入尺寸变 2 倍的话，卷积层的 parameter 不变，因为 weight sharing。",
    ),
    (
        "cnn-parameters",
        "conv-params-independent",
        "Only the fully connected layer's parameters grow, about four times.",
    ),
    (
        "decision-tree-splits",
        "full-tree-overfits",
        "Reducing the max depth prevents overfitting.",
    ),
    (
        "decision-tree-splits",
        "full-tree-overfits",
        # The prevented overfitting is not said of the deeper trees before it.
        "Deeper trees overfit, so to avoid overfitting we prune them.",
    ),
    ("decision-tree-splits", "full-tree-overfits", "To prevent overfitting, reduce the max_depth."),
    ("decision-tree-splits", "full-tree-overfits", "要防止过拟合，应该把 max_depth 调小。"),
    ("learning-rate", "too-high-diverges", "To avoid divergence, use a smaller learning rate."),
    (
        "svm-kernels",
        "soft-margin-c",
        "用参数 C 控制对误分类的惩罚，C 大间隔窄、容易过拟合，C 小间隔宽、更平滑。",
    ),
    (
        "svm-kernels",
        "kernel-choices",
        "A large gamma makes each point's influence very local, so the boundary gets wiggly.",
    ),
    # Of the single trees inside a forest, not of the forest.
    (
        "boosting-vs-random-forest",
        "variance-vs-bias",
        "随机森林的树通常长得很深，单棵树偏差低方差高，最后取平均，主要作用是降低方差。",
    ),
    # A quantity that only describes a model ("low bias trees"), or names a verb on an object
    # ("down weights the easy examples"), is not an effect of the cause.
    (
        "boosting-vs-random-forest",
        "variance-vs-bias",
        "A random forest averages many deep, low bias trees grown on bootstrap samples, and that "
        "averaging mainly cuts variance.",
    ),
    (
        "imbalanced-data",
        "class-weights-focal-loss",
        "For the minority class, focal loss down weights the easy examples.",
    ),
    (
        "learning-rate",
        "too-low-slow",
        "In practice I watch the loss: spiky or exploding means lower it, a flat, slow decline "
        "means raise it.",
    ),
    (
        "learning-rate",
        "too-high-diverges",
        "If the learning rate is too high, the loss explodes. If it's too low, training is slow.",
    ),
    ("cross-validation", "k-folds-rotation", "k-fold 就是把 data 分成 k 份，轮流做 validation。"),
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "If you want higher recall, lower the threshold.",
    ),
    ("precision-recall-tradeoff", "threshold-moves", "如果想要召回率高，就把阈值调低。"),
    ("imbalanced-data", "class-weights-focal-loss", "少数类的权重更大，多数类的权重小。"),
    (
        "imbalanced-data",
        "class-weights-focal-loss",
        "Give the minority class a higher weight, inversely proportional to its frequency.",
    ),
    # A problem and its cure pair them the other way round: left alone, even with a goal word.
    (
        "precision-recall-tradeoff",
        "threshold-moves",
        "Recall is too low, so to get more of it, lower the threshold.",
    ),
    (
        "bias-variance",
        "complexity-tradeoff",
        "Simple models have high bias and low variance, complex ones have low bias and high "
        "variance, so you need to balance the two by choosing the right model complexity.",
    ),
    (
        "cross-validation",
        "k-folds-rotation",
        "A larger k means each model trains on more data, but it costs more computation.",
    ),
    (
        "activation-functions",
        "saturation-region",
        "ReLU does not saturate for positive inputs, so the gradient stays large there.",
    ),
    (
        "activation-functions",
        "saturation-region",
        "饱和区就是 sigmoid 两端比较平的地方，这里 gradient 很小，训练会慢。",
    ),
]


@pytest.mark.parametrize(("question_id", "point_id", "sentence", "effect"), WRONG)
def test_a_direction_said_the_wrong_way_round_is_read_as_such(
    library, question_id, point_id, sentence, effect
):
    found = reversed_direction(direction_of(library, question_id, point_id), sentence)
    assert found, sentence
    quoted = [sentence[start:end].lower() for _, (start, end) in found]
    assert any(effect in words for words in quoted), quoted


@pytest.mark.parametrize(("question_id", "point_id", "sentence"), RIGHT)
def test_a_direction_said_the_right_way_round_or_left_unread_is_not_a_mistake(
    library, question_id, point_id, sentence
):
    assert reversed_direction(direction_of(library, question_id, point_id), sentence) == []


def grade(grader, library, question_id, answer, **kwargs):
    bank, question = library.find_question(question_id)
    return grader.grade(question, answer, bank_id=bank.id, other_questions=bank.questions, **kwargs)


THRESHOLD_SWAPPED = [
    # blind answers the grader called "good" (90/100) before directions were read
    "Precision is how many of your predicted positives are correct, and recall is how many "
    "actual positives you find. The trade-off comes from the threshold. If you raise the "
    "threshold, the model gets stricter and more careful, so it finds more of the real positives "
    "— recall goes up — but being stricter also means it rejects some borderline cases it "
    "should have kept, so precision drops.",
    "精确率和召回率的权衡，主要通过调阈值来控制。阈值调高，模型预测为正的样本变多，所以召回率"
    "上升、精确率下降；阈值调低，预测为正的变少，精确率上升。",
    "precision 和 recall 是 trade-off，threshold 往上调的话 recall 上升，precision 下降，"
    "往下调就反过来。",
]


@pytest.mark.parametrize("answer", THRESHOLD_SWAPPED)
def test_the_threshold_said_the_wrong_way_round_is_named_and_earns_nothing(grader, library, answer):
    result = grade(grader, library, "precision-recall-tradeoff", answer)
    named = {m.id: m for m in result.misconceptions}
    assert f"{CONTRADICTS}threshold-moves" in named, result.misconceptions
    point = {kp.id: kp for kp in result.key_points}["threshold-moves"]
    assert point.credit == 0.0 and point.evidence is None
    # The candidate is told what is true, and the score says the answer is wrong.
    assert "precision" in named[f"{CONTRADICTS}threshold-moves"].correction.lower() or (
        "精确率" in named[f"{CONTRADICTS}threshold-moves"].correction
    )
    assert result.score <= 35, result.score


@pytest.mark.parametrize(
    "answer",
    [
        "Precision is the share of predicted positives that are right, recall the share of actual "
        "positives found. If you raise the threshold, the model gets stricter, so precision goes "
        "up and recall goes down; for fraud, where missing a case is costly, lower it.",
        "阈值调高，模型预测为正的样本变少，所以精确率上升、召回率下降；阈值调低就反过来。",
    ],
)
def test_the_threshold_said_the_right_way_round_keeps_its_credit(grader, library, answer):
    result = grade(grader, library, "precision-recall-tradeoff", answer)
    assert not result.misconceptions, result.misconceptions
    point = {kp.id: kp for kp in result.key_points}["threshold-moves"]
    assert point.credit >= 0.5, point


def test_a_direction_without_effects_names_its_field(tmp_path):
    text = VALID.replace(
        'follow_up = { en = "How many dimensions can it have?", zh = "它可以有几个维度?" }',
        'follow_up = { en = "How many dimensions can it have?", zh = "它可以有几个维度?" }\n'
        'direction.cause = ["rank"]',
    )
    path = write(tmp_path, text)
    problem = only(problems_of(path))
    assert problem.question_id == "first"
    assert problem.field == "questions[0].key_points[0].direction"
    assert "needs something the cause moves" in problem.message
    assert problem.line == line_with(text, 'direction.cause = ["rank"]')


def test_a_misspelt_direction_field_is_an_error_not_ignored(tmp_path):
    text = VALID.replace(
        'follow_up = { en = "How many dimensions can it have?", zh = "它可以有几个维度?" }',
        'follow_up = { en = "How many dimensions can it have?", zh = "它可以有几个维度?" }\n'
        'direction.cause = ["rank"]\ndirection.upp = ["size"]',
    )
    with pytest.raises(RubricError) as info:
        load_bank(write(tmp_path, text))
    assert any(p.field.endswith("direction.upp") for p in info.value.problems)


def test_the_readme_example_direction_reads_a_wrong_answer(tmp_path):
    from test_rubric_authoring import readme_example

    bank = load_bank(write(tmp_path, readme_example()))
    (point,) = [kp for kp in bank.questions[0].key_points if kp.direction is not None]
    assert reversed_direction(point.direction, "More training data makes the model overfit more.")
    assert not reversed_direction(point.direction, "更多的训练数据让方差变小，不容易过拟合。")


def test_a_follow_up_said_the_wrong_way_round_earns_nothing(grader, library):
    def follow_up(answer):
        return grade(grader, library, "precision-recall-tradeoff", answer, focus="threshold-moves")

    wrong = follow_up("If you raise the threshold, recall goes up and precision goes down.")
    assert f"{CONTRADICTS}threshold-moves" in {m.id for m in wrong.misconceptions}
    assert wrong.coverage == 0.0 and wrong.score == 0.0
    right = follow_up("If you raise the threshold, precision goes up and recall goes down.")
    assert not right.misconceptions and right.score >= 50, right.score


def test_the_template_bank_direction_reads_a_wrong_answer(tmp_path):
    from mockint.authoring import template_bank

    bank = load_bank(write(tmp_path, template_bank("my-bank", ["en", "zh"])))
    (point,) = [kp for kp in bank.questions[0].key_points if kp.direction is not None]
    assert reversed_direction(point.direction, "More data makes a model overfit.")
    assert not reversed_direction(point.direction, "More data makes a model overfit less.")
    assert reversed_direction(point.direction, "数据越多越容易过拟合。")


def test_a_bank_without_directions_keeps_the_content_hashes_its_history_was_stored_under(
    tmp_path,
):
    """The hashes mockint computed for this bank before directions existed: an upgrade must not
    make every question look edited."""
    from mockint.provenance import bank_hash

    bank = load_bank(write(tmp_path, VALID))
    assert [q.content_hash() for q in bank.questions] == ["21c95ab4846e3878", "692545ae7d7157ca"]
    assert bank_hash(bank) == "e2d9cb3ef59709e8"

    def first_hash(after: str, added: str) -> str:
        edited = VALID.replace(after, f"{after}\n{added}")
        return load_bank(write(tmp_path, edited, name="edited.toml")).questions[0].content_hash()

    # A direction set is an edit; so is a misconception's ``about`` (unset, it leaves the hash
    # alone, as the hashes above show).
    paraphrases = 'paraphrases = ["an n-dimensional array"]'
    direction = 'direction.cause = ["rank"]\ndirection.up = ["dimensions"]'
    assert first_hash(paraphrases, direction) != "21c95ab4846e3878"
    mistake = 'text = { en = "A tensor is always a matrix.", zh = "张量总是矩阵。" }'
    assert first_hash(mistake, 'about = ["tensor", "张量"]') != "21c95ab4846e3878"
    # ...and so is saying which points a mistake denies, even none.
    assert first_hash(mistake, 'contradicts = ["array"]') != "21c95ab4846e3878"
    assert first_hash(mistake, "contradicts = []") != "21c95ab4846e3878"


def test_a_direction_with_its_sign_the_wrong_way_round_is_a_lint_warning(tmp_path):
    """An author who writes ``more_of`` for ``less_of`` would have every right answer called
    wrong: the linter reads the question's own texts with the direction and says so."""
    from mockint.authoring import static_warnings, template_bank

    good = template_bank("my-bank", ["en", "zh"])
    assert not [
        w for w in static_warnings(load_bank(write(tmp_path, good))) if "direction" in w.field
    ]
    flipped = good.replace("direction.less_of", "direction.more_of")
    path = write(tmp_path, flipped, name="flipped.toml")
    (warning,) = [w for w in static_warnings(load_bank(path)) if "direction" in w.field]
    assert warning.severity == "warning" and warning.question_id == "overfitting"
    assert warning.field == "questions[0].key_points[2].direction"
    assert warning.line == line_with(flipped, "direction.cause")  # where the direction starts
    assert "wrong way round" in warning.message


def test_no_built_in_direction_reads_its_own_question_as_wrong(library):
    from mockint.authoring import static_warnings

    for bank in library.banks:
        assert not [w for w in static_warnings(bank) if "direction" in w.field]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('direction.down = ["  "]', "direction.down"),
        ('paraphrases = ["  "]', "paraphrases"),
    ],
)
def test_a_blank_term_is_an_error_naming_its_field(tmp_path, line, field):
    text = VALID.replace(
        'paraphrases = ["an n-dimensional array"]',
        f'direction.cause = ["rank"]\ndirection.up = ["size"]\n{line}',
    )
    problem = only(problems_of(write(tmp_path, text)))
    assert problem.message == "has an empty entry"
    assert problem.field == f"questions[0].key_points[0].{field}"
