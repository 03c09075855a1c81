"""Helpers of the grading tests."""


def assert_named(grade, question_id: str, answer: str, mistake: str) -> None:
    """The answer is graded wrong, with ``mistake`` named."""
    result = grade(question_id, answer)
    assert mistake in [m.id for m in result.misconceptions]
    assert result.score <= 25
