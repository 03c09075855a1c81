"""Which key points a stated mistake takes away: those its rubric entry says it denies
(``contradicts``), not the one it happens to read most like. Real grader, real answers (written
by interviewers from the prompts alone; the score each gave is in the comment).
"""

from grading_helpers import assert_named

from mockint.rubric import load_library

# Graded 15: right about what each model predicts, wrong about how logistic regression is
# trained. Its sigmoid sentence was listed under "You missed": `trained-with-mse` reads most
# like the point about the sigmoid, and took it away.
SIGMOID_RIGHT_TRAINING_WRONG = (
    "Linear regression predicts a continuous value, and logistic regression predicts a "
    "probability for classification by applying a sigmoid to the linear combination. In terms "
    "of training they're actually the same: both minimize the mean squared error between "
    "prediction and target, and both have a closed-form normal-equation solution, so logistic "
    "regression is just as cheap to fit as ordinary least squares. The only practical "
    "difference is that you threshold the logistic output at 0.5 to get a class."
)

# Graded 5: both effects swapped, the second in advice ("increase the learning rate").
SWAPPED_EFFECTS = (
    "When the learning rate is too high, training becomes very slow and tends to get stuck, "
    "because the large steps make the optimizer settle into the first local minimum it finds. "
    "When the learning rate is too low, updates become unstable — lots of tiny steps "
    "accumulate numerical error, and the loss starts oscillating and can even diverge to NaN. "
    "So if you see your loss exploding, the fix is usually to increase the learning rate. A "
    "good default is something like 0.01 and then adjust from there."
)


def test_every_builtin_misconception_says_which_points_it_denies():
    for bank in load_library().banks:
        for question in bank.questions:
            points = {kp.id for kp in question.key_points}
            for mistake in question.misconceptions:
                assert mistake.contradicts is not None, (question.id, mistake.id)
                assert set(mistake.contradicts) <= points


def test_a_mistake_about_training_leaves_the_point_said_right(grade_in_library):
    assert_named(
        grade_in_library,
        "logistic-vs-linear-regression",
        SIGMOID_RIGHT_TRAINING_WRONG,
        "trained-with-mse",
    )
    result = grade_in_library("logistic-vs-linear-regression", SIGMOID_RIGHT_TRAINING_WRONG)
    sigmoid = next(kp for kp in result.key_points if kp.id == "sigmoid-probability")
    assert sigmoid.status == "hit"
    assert "sigmoid" in sigmoid.evidence
    # The point the mistake does deny earns nothing.
    assert next(kp for kp in result.key_points if kp.id == "log-loss").credit == 0


def test_a_swap_partly_stated_as_advice_earns_no_point(grade_in_library):
    assert_named(grade_in_library, "learning-rate", SWAPPED_EFFECTS, "swapped-effects")
    result = grade_in_library("learning-rate", SWAPPED_EFFECTS)
    # Neither effect, nor reading the loss curve from the clause that gets it backwards.
    assert [kp.id for kp in result.key_points if kp.credit > 0] == []
