"""Key-point semantic grading of free-text answers (no UI, no SQL).

from mockint.grading import load_grader
grader = load_grader()                       # slow: loads the embedding models
grade = grader.grade(question, "Batch norm...", bank_id="deep-learning")
"""

from mockint.grading.embedder import DEFAULT_MODEL, GraderLoadError
from mockint.grading.grader import Grader, load_grader
from mockint.grading.models import Grade, KeyPointResult, MisconceptionResult

__all__ = [
    "DEFAULT_MODEL",
    "Grade",
    "Grader",
    "GraderLoadError",
    "KeyPointResult",
    "MisconceptionResult",
    "load_grader",
]
