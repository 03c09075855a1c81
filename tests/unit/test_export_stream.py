"""Reports are written a page of sessions at a time, and say what their grades come from.

The history is tests/export_helpers.py's: two sessions, six answers (five graded by the
hand-made grader, one ungraded) and a skip, recorded through the Store in a real SQLite file.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from export_helpers import BANK_ID, make_bank, make_library, new_store, record_history

from mockint.export import EXTENSIONS, build_report, plan_report, render, write_report
from mockint.export import build as export_build
from mockint.export import query as export_query
from mockint.provenance import bank_hash
from mockint.rubric import Library

NOW = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def history(tmp_path):
    store = new_store(tmp_path / "history.db")
    return store, record_history(store, make_library())


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_a_report_written_page_by_page_is_the_report_rendered_at_once(
    history, tmp_path, monkeypatch, fmt
):
    store, _ids = history
    expected = render(build_report(store, make_library(), now=NOW), fmt)
    pages = []
    read_rows = export_query.read_rows

    def reading(store, scope, *, session_ids=None, answer_ids=None):
        if session_ids is not None:
            pages.append(list(session_ids))
        return read_rows(store, scope, session_ids=session_ids, answer_ids=answer_ids)

    # One session a page: the second page is read after the first is written.
    monkeypatch.setattr(export_build, "PAGE_ANSWERS", 1)
    monkeypatch.setattr(export_build, "read_rows", reading)
    path = write_report(store, make_library(), fmt, tmp_path / f"report{EXTENSIONS[fmt]}", now=NOW)
    assert path.read_bytes().decode("utf-8") == expected
    assert len(pages) == 2 and all(len(page) == 1 for page in pages)


def test_sessions_are_read_only_as_they_are_written(history):
    store, ids = history
    with store.read():
        stream = plan_report(store, make_library(), now=NOW)
        assert stream.report.sessions == [] and stream.report.summary.sessions == 2
        newest = next(iter(stream.sessions(newest_first=True)))
        oldest = next(iter(stream.sessions()))
    assert (newest.id, oldest.id) == (ids.sessions[1], ids.sessions[0])


def test_the_report_names_the_banks_and_models_its_grades_come_from(history):
    store, _ids = history
    library = make_library()
    report = build_report(store, library, now=NOW)
    [bank] = report.provenance.banks
    assert (bank.id, bank.version, bank.content_hash) == (
        BANK_ID,
        library.bank(BANK_ID).version,
        bank_hash(library.bank(BANK_ID)),
    )
    assert (bank.answers, bank.earlier_versions) == (6, 0)  # the skip is not an answer
    [model] = report.provenance.models
    assert (model.model, model.answers) == ("hand-made", 5)  # the ungraded answer has none
    assert model.first_at == report.summary.first_at

    line = f"Question banks: {BANK_ID} v{bank.version} ({bank.content_hash})."
    assert line in render(report, "html") and line in render(report, "md")
    assert "Graded by hand-made (5 answers, " in render(report, "html")
    assert json.loads(render(report, "json"))["provenance"]["models"][0]["answers"] == 5
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert sorted(r["model"] for r in rows) == [""] * 2 + ["hand-made"] * 5
    assert all(len(r["question_version"]) == 16 for r in rows)


def test_answers_to_an_edited_question_are_counted_apart(history):
    store, _ids = history
    data = make_bank().model_dump(mode="json")
    for question in data["questions"]:
        if question["id"] == "q-lr":
            question["prompt"]["en"] = "How do you pick and schedule a learning rate?"
    edited = Library(banks=[type(make_bank()).model_validate(data)], problems=[])
    report = build_report(store, edited, now=NOW)
    [bank] = report.provenance.banks
    # One graded q-lr answer was given to the old wording (the q-lr skip is no answer).
    assert bank.earlier_versions == 1
    assert "1 answer to questions edited since" in render(report, "md")


def test_a_bank_no_longer_loaded_is_named_as_such(history):
    store, _ids = history
    report = build_report(store, Library(banks=[], problems=[]), now=NOW)
    [bank] = report.provenance.banks
    assert (bank.id, bank.version, bank.content_hash) == (BANK_ID, None, None)
    assert f"{BANK_ID} (no longer loaded)" in render(report, "html")
