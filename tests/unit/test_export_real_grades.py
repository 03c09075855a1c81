"""A report over answers graded by the real grader and the built-in bank, end to end."""

from __future__ import annotations

import csv
import html
import io

from mockint.export import build_report, render
from mockint.store import open_store

GOOD = (
    "Batch normalization normalizes each layer's inputs over the mini-batch to zero mean and "
    "unit variance, then learned gamma and beta parameters scale and shift the result. It lets "
    "you train with higher learning rates, and at inference it uses running averages."
)
WEAK = "It makes training faster, I think."


def test_report_over_real_grades(tmp_path, grader, library):
    bank, question = library.find_question("batch-norm")
    store = open_store(tmp_path / "history.db")
    session = store.start_session(mode="mock", bank_id=bank.id, language="en", client="plain")
    grades = {}
    for text in (WEAK, GOOD):
        grade = grader.grade(question, text, bank_id=bank.id)
        grades[text] = grade
        store.record_answer(store.ask(session, bank.id, question), text, grade)
    store.end_session(session)

    report = build_report(store, library)
    assert report.summary.graded_answers == 2
    assert report.summary.mean_score == (grades[WEAK].score + grades[GOOD].score) / 2
    weak, good = report.answers()
    assert good.score == grades[GOOD].score > weak.score == grades[WEAK].score
    # Each key point as graded, worded as in the rubric.
    assert [(kp.id, kp.status) for kp in good.key_points] == [
        (kp.id, kp.status) for kp in grades[GOOD].key_points
    ]
    assert [kp.text for kp in good.key_points] == [kp.text.get("en") for kp in question.key_points]
    row = next(r for r in report.mastery if r.question_id == "batch-norm")
    assert [c.key_point_id for c in row.cells] == [kp.id for kp in question.key_points]
    # Any point the weak answer missed and the good one did not fully cover is weak (< 75%),
    # and the report quotes the rubric's wording for it.
    assert grades[WEAK].misses() and report.weakest
    weakest = report.weakest[0]
    assert weakest.text == question.key_point(weakest.key_point_id).text.get("en")
    assert html.escape(question.prompt.get("en")) in render(report, "html")
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert [r["verdict"] for r in rows] == [grades[WEAK].verdict, grades[GOOD].verdict]
    assert rows[1]["key_points_hit"] == ";".join(kp.id for kp in grades[GOOD].hits())
