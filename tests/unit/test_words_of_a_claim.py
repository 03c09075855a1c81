"""Which words make a claim: the alternative an answer sets its claim against, a term written
with a hyphen, a list of terms whose terms hold a relating character. Real grader, real answers
(written by interviewers from the prompts alone, and graded wrongly before these rules).
"""

from grading_helpers import assert_clean, assert_named

from mockint.grading.grader import _looks_like_keyword_list, _set_against, mentions_any

# Right (graded 93 by its writer); "finite-differences" was named for its last comparison.
BACKPROP_VS_FINITE_DIFFERENCES = (
    "Backprop = chain rule applied efficiently on the compute graph. Forward pass: compute and "
    "cache each op's outputs. Backward: start from dL/dL = 1 and walk the graph in reverse; at "
    "each node multiply the upstream gradient by the local derivative to get grads wrt its "
    "inputs and its params. For a linear layer y = Wx: dL/dW = dL/dy · xᵀ, dL/dx = Wᵀ · dL/dy. "
    "Because intermediate grads are reused, all parameter gradients cost about one extra "
    "forward pass (~2x) -- vs finite differences, which would be one pass per parameter. The "
    "optimizer then does the update; backprop itself only computes grads. Practical bits: "
    "memory goes into cached activations -> gradient checkpointing on big models; long "
    "products of small Jacobians -> vanishing gradients."
)


def test_the_alternative_an_answer_compares_against_is_not_its_claim(grade_in_library):
    assert_clean(grade_in_library, "backpropagation", BACKPROP_VS_FINITE_DIFFERENCES, 80)
    # The same method, claimed, is the mistake.
    wrong = (
        "Backprop nudges each weight by a small epsilon, runs the forward pass again and sees "
        "how much the loss changes: finite differences, one pass per parameter."
    )
    assert "finite-differences" in [
        m.id for m in grade_in_library("backpropagation", wrong).misconceptions
    ]


def test_a_unit_cut_after_a_contrast_word_starts_with_the_alternative():
    text = "one extra forward pass -- vs finite differences, which would be one pass per weight"
    start = text.index("finite")
    assert _set_against(text, start) == "vs "
    assert not mentions_any(_set_against(text, start) + text[start:], ("finite difference",))
    assert mentions_any(text[start:], ("finite difference",))
    assert _set_against("不像 sigmoid，ReLU 在正半轴不饱和", 3) == "不像 "
    assert _set_against("ReLU does not saturate", 5) == ""


def test_a_hyphenated_term_is_the_term(grade_in_library):
    assert mentions_any("ridge is the standard feature-selection tool", ("feature selection",))
    assert not mentions_any("select the features by hand", ("feature selection",))
    wrong = (
        "L2 is the one that gives you sparsity -- squaring punishes large weights so hard that "
        "the optimizer just zeroes them out, which is why ridge is the standard "
        "feature-selection tool. L1 is linear, so it's gentler and keeps all features with "
        "small weights. In my last team we switched from L1 to L2 specifically to prune "
        "features down, and the model got much smaller."
    )
    assert_named(grade_in_library, "regularization-l1-l2", wrong, "l2-makes-zeros")


def test_lists_of_terms_are_lists_whatever_characters_their_terms_hold(grade_in_library):
    chinese = (
        "偏差，方差，欠拟合，过拟合，模型复杂度，正则化，交叉验证，不可约噪声，bagging，boosting。"
    )
    english = (
        "Epoch, full pass over the data, mini-batch, batch size, iteration, gradient update, "
        "steps per epoch, dataset size divided by batch size."
    )
    assert _looks_like_keyword_list(chinese)
    assert _looks_like_keyword_list(english)
    assert grade_in_library("bias-variance", chinese).score <= 10
    assert grade_in_library("epoch-batch-iteration", english).score <= 10
    # Short clauses that relate things are an answer, not a list.
    clauses = "学习率太高，loss 会震荡，甚至不收敛；太低的话，训练会很慢。"
    assert not _looks_like_keyword_list(clauses)
    assert grade_in_library("learning-rate", clauses).score >= 30
    # A sentence among a few terms is not a formula said in words.
    sentence = (
        "<variable type> <variable name>; or, if you want to initialize a variable to a "
        "certain value, <variable type> <variable name> = <value>;"
    )
    assert not _looks_like_keyword_list(sentence)


def test_batch_norm_said_per_channel_covers_what_it_normalizes(grade_in_library):
    for answer in (
        "BN normalizes each channel over the mini-batch: subtract the batch mean, divide by batch "
        "std, then scale and shift with learnable gamma/beta.",
        "BN 做的事其实很简单：对每个 channel，在当前 mini-batch 上算均值和方差，做标准化，然后再乘"
        "一个可学习的 γ、加一个 β。",
    ):
        point = grade_in_library("batch-norm", answer).key_points[0]
        assert point.id == "normalizes-activations"
        assert point.credit >= 0.5


def test_names_swapped_in_textbook_answers_are_read_as_swapped(grade_in_library):
    # Written in the style of a Chinese textbook answer (blind38): F1 as the arithmetic mean.
    wrong = (
        "精确率与召回率存在此消彼长的关系，阈值的选择方法如下：\n"
        "第一，F1 值是精确率与召回率的算术平均，即 F1 = (P + R)/2，选择 F1 最大的阈值即可；\n"
        "第二，也可以借助 ROC 曲线，选择 TPR（真正率）最大的点对应的阈值作为最终阈值。"
    )
    assert_named(grade_in_library, "precision-recall-tradeoff", wrong, "f1-arithmetic-mean")
    # Both names said the right way round, one of them denied, is right.
    for right in (
        "Raising the threshold raises precision and lowers recall. F1 is the harmonic mean of "
        "precision and recall, not the arithmetic mean, so it is pulled toward the smaller one.",
        "阈值调高，精确率上升、召回率下降。F1 是精确率和召回率的调和平均，"
        "不是算术平均，所以会偏向较小的那个。",
    ):
        assert grade_in_library("precision-recall-tradeoff", right).misconceptions == []
    sampling = (
        "可以对少数类过采样，或者对多数类欠采样，SMOTE 是在少数类样本之间插值生成新样本；"
        "也可以在损失函数里给少数类更大的权重，评估用 PR-AUC 而不是 accuracy。"
    )
    assert grade_in_library("imbalanced-data", sampling).misconceptions == []
