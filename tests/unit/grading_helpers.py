"""Helpers of the grading tests."""


def assert_named(grade, question_id: str, answer: str, mistake: str) -> None:
    """The answer is graded wrong, with ``mistake`` named."""
    result = grade(question_id, answer)
    assert mistake in [m.id for m in result.misconceptions]
    assert result.score <= 25


def assert_clean(grade, question_id: str, answer: str, at_least: float):
    """The answer is graded with no mistake named and at least ``at_least``; its grade."""
    result = grade(question_id, answer)
    assert result.misconceptions == []
    assert result.score >= at_least
    return result
