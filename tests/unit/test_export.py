"""Progress reports built from a real SQLite history: figures, each format's content, escaping.

The history (tests/export_helpers.py) is recorded through the Store with hand-made grades, so
every figure below is computed by hand from the scenario, not copied from the output.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from export_helpers import (
    BANK,
    BANK_ID,
    CHINESE_ANSWER,
    HOSTILE,
    make_library,
    new_store,
    record_history,
)
from handmade import make_grade

from mockint.export import (
    SCHEMA_VERSION,
    ReportData,
    build_report,
    default_filename,
    render,
    write_report,
)
from mockint.export.csv_writer import COLUMNS
from mockint.rubric import Bank, Library

NOW = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def report_library():
    return make_library()


@pytest.fixture
def history(tmp_path, report_library):
    store = new_store(tmp_path / "history.db")
    ids = record_history(store, report_library)
    return store, ids


@pytest.fixture
def report(history, report_library) -> ReportData:
    store, _ = history
    return build_report(store, report_library, now=NOW)


def test_summary_figures(report):
    s = report.summary
    assert (s.sessions, s.answers, s.graded_answers, s.questions, s.spoken_answers) == (
        2,
        6,
        4,
        3,
        1,
    )
    assert s.skipped == 1
    assert (s.practice_days, s.longest_streak) == (2, 1)  # 3 and 10 March
    # Main graded answers: 33.3 (1 of 3 points), 50 (hit, partial, miss), 66.7 - 15 for the
    # misconception, and 100 overridden to 90 (scores have one decimal, as the grader's).
    assert s.mean_score == pytest.approx((33.3 + 50 + 51.7 + 90) / 4)
    assert s.trend is None  # four answers are too few for a trend
    assert s.time_practised_s == pytest.approx(30 * 60)  # two 15-minute sessions, no idle gap
    assert s.first_at == datetime(2025, 3, 3, 9, 2, tzinfo=UTC)
    assert report.language == "en"
    assert report.banks == {BANK_ID: "Report test bank"}


def test_score_over_time_and_topics(report):
    assert [p.score for p in report.overall] == pytest.approx([(33.3 + 50) / 2, (51.7 + 90) / 2])
    assert [p.answers for p in report.overall] == [2, 2]
    topics = {t.topic: t for t in report.topics}
    assert set(topics) == {"training", "fundamentals", "optimization"}
    assert topics["training"].answers == 2
    assert [p.score for p in topics["training"].points] == pytest.approx([33.3, 51.7])
    assert topics["optimization"].mean_score == 90


def test_mastery_and_weakest_points(report):
    rows = {row.question_id: row for row in report.mastery}
    # Session 1's q-norm answer missed scale-shift and its follow-up covered it: the attempt
    # counts the point's best over the two, as the interview does.
    assert {k: c.rate for k, c in ((c.key_point_id, c) for c in rows["q-norm"].cells)} == {
        "normalizes": 1.0,
        "scale-shift": 1.0,
        "running-stats": 0.0,
    }
    assert rows["q-norm"].answers == 2
    weakest = [(w.question_id, w.key_point_id, w.rate, w.attempts) for w in report.weakest]
    assert weakest == [
        ("q-norm", "running-stats", 0.0, 2),
        ("q-bias", "tradeoff", 0.0, 1),
        ("q-bias", "overfit", 0.5, 1),
    ]
    # The model answer's wording comes from the rubric, with the interviewer's follow-up.
    assert report.weakest[0].text == "Inference uses running averages of mean and variance."
    assert report.weakest[0].follow_up == "What happens at test time?"


def test_answers_carry_grades_follow_ups_overrides_and_speech(report, history):
    _, ids = history
    answers = {a.id: a for a in report.answers()}
    follow_up = answers[ids.answers["norm1-fu"]]
    assert follow_up.kind == "follow_up"
    assert follow_up.asked == "How is the scale recovered?"  # what the main answer's grade asked
    lr = answers[ids.answers["lr"]]
    assert (lr.score, lr.graded_score, lr.override_score) == (90, 100, 90)
    norm2 = answers[ids.answers["norm2"]]
    assert norm2.text == CHINESE_ANSWER
    assert norm2.asked == "批量归一化做什么？"  # session 2 was asked in Chinese
    assert [kp.text for kp in norm2.misses] == ["推理时使用均值和方差的滑动平均。"]
    assert norm2.misconceptions[0].correction == "它只有轻微的正则化效果，不能取代 dropout。"
    assert norm2.speech.wpm == pytest.approx(135.7)
    assert norm2.speech.fillers == {"嗯": 2, "那个": 1}
    assert answers[ids.answers["ungraded"]].score is None
    speech = report.speech
    assert (speech.spoken_answers, speech.filler_count, speech.long_pauses) == (1, 3, 1)
    assert speech.fillers_per_minute == pytest.approx(3 / (42 / 60))
    assert speech.top_fillers[0] == ("嗯", 2)


def test_filters(history, report_library):
    store, ids = history
    later = build_report(store, report_library, since="2025-03-05")
    assert later.summary.answers == 3 and [s.id for s in later.sessions] == [ids.sessions[1]]
    earlier = build_report(store, report_library, until="2025-03-05")
    assert earlier.summary.answers == 3 and [s.id for s in earlier.sessions] == [ids.sessions[0]]
    one = build_report(store, report_library, session_id=ids.sessions[0])
    assert one.summary.answers == 3 and one.filters.session_id == ids.sessions[0]
    # A single-session report shows only the questions that session asked.
    assert {row.question_id for row in one.mastery} == {"q-norm", "q-bias"}
    assert build_report(store, report_library, bank_id=BANK_ID).summary.answers == 6
    assert build_report(store, report_library, bank_id="other-bank").empty


def test_language_choice(history, report_library):
    store, _ = history
    zh = build_report(store, report_library, language="zh")
    assert zh.weakest[0].text == "推理时使用均值和方差的滑动平均。"
    assert zh.banks[BANK_ID] == "报告测试题库"


def test_question_removed_from_the_banks_still_reports(history):
    store, _ = history
    from mockint.rubric import Library

    report = build_report(store, Library(banks=[], problems=[]))
    assert report.summary.answers == 6
    norm1 = report.answers()[0]
    assert norm1.question == "q-norm"  # the id stands in for the lost prompt
    assert {kp.id for kp in norm1.key_points} == {"normalizes", "scale-shift", "running-stats"}
    # The key points' wording comes from the grade stored with the answer.
    assert norm1.misses[0].text == "Learned gamma and beta restore the scale."
    assert not report.mastery  # no rubric to lay the grid out against
    page = render(report, "html")
    assert "<code>q-norm</code>" in page and "Learned gamma and beta restore the scale." in page
    assert "Learned gamma and beta restore the scale." in render(report, "md")


# --- HTML -----------------------------------------------------------------------------------


def test_html_is_self_contained_with_every_section(report):
    page = render(report, "html")
    assert page.startswith("<!DOCTYPE html>")
    for section in ('id="progress"', 'id="mastery"', 'id="focus"', 'id="speech"', 'id="sessions"'):
        assert section in page
    # 1 overall chart + 3 topic charts + the mastery grid + the sparkline
    assert page.count("<svg") == 6
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(http" not in page and "<link" not in page
    assert "@media print" in page and "break-before: page" in page
    assert '"Noto Sans CJK SC"' in page
    assert "Inference uses running averages of mean and variance." in page  # weakest wording
    assert "What happens at test time?" in page
    assert "How is the scale recovered?" in page  # the follow-up asked
    assert "30 min" in page  # time practised
    assert CHINESE_ANSWER in page
    assert "135 wpm" in page or "136 wpm" in page


def test_html_escapes_every_user_text(report):
    page = render(report, "html")
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;&lt;/table&gt;" in page
    assert "&lt;img src=x onerror=&quot;document.title=&#x27;pwned-img&#x27;&quot;&gt;" in page
    assert "<img" not in page and "</table>" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_html_escapes_rubric_and_bank_texts(history):
    """Texts from a user's own rubric file are user text too."""
    store, _ = history
    from export_helpers import QUESTIONS

    from mockint.rubric import Bank, Library

    questions = json.loads(json.dumps(QUESTIONS))
    questions[0]["prompt"]["en"] = "What does <u>batch</u> norm do?"
    questions[0]["key_points"][2]["text"]["en"] = "Uses <s>running</s> stats & more"
    bank = Bank.model_validate(
        {"id": BANK_ID, "title": {"en": "<mark>Bank</mark>"}, "questions": questions}
    )
    page = render(build_report(store, Library(banks=[bank], problems=[])), "html")
    assert "<u>" not in page and "<s>" not in page and "<mark>" not in page
    assert "What does &lt;u&gt;batch&lt;/u&gt; norm do?" in page
    assert "Uses &lt;s&gt;running&lt;/s&gt; stats &amp; more" in page
    assert "&lt;mark&gt;Bank&lt;/mark&gt;" in page


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_content(report):
    md = render(report, "md")
    assert md.startswith("# Interview practice report")
    for heading in (
        "## Summary",
        "## Score over time",
        "### By topic",
        "## Mastery of key points",
        "## Focus next: the weakest key points",
        "## Speech",
        "## Sessions",
    ):
        assert f"\n{heading}\n" in md
    assert "| Time practised | 30 min |" in md
    assert "1. **Inference uses running averages of mean and variance.**" in md
    assert "✗ missed: Inference uses running averages of mean and variance." in md
    assert "Follow-up: *How is the scale recovered?*" in md
    assert CHINESE_ANSWER in md


def test_markdown_escapes_user_text(report):
    md = render(report, "md")
    assert "<script" not in md and "<img" not in md and "</table>" not in md
    assert (
        "&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;/table&gt; \\| not a cell \\|" in md
    )
    assert "\\*\\*bold?\\*\\* \\[link\\](http://x)" in md
    # Every table row keeps its column count: no stray pipe from user text.
    for block in re.findall(r"(?:^\|.*\|$\n?)+", md, flags=re.M):
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in block.strip().splitlines()}
        assert len(counts) == 1, block


# --- CSV ------------------------------------------------------------------------------------


def test_csv_rows(report, history):
    _, ids = history
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert list(rows[0].keys()) == COLUMNS
    assert len(rows) == 7  # six answers and a skip
    by_id = {int(r["answer_id"]): r for r in rows}
    norm1 = by_id[ids.answers["norm1"]]
    assert norm1["key_points_hit"] == "normalizes"
    assert norm1["key_points_missed"] == "scale-shift;running-stats"
    assert (norm1["bank"], norm1["question"], norm1["kind"], norm1["source"]) == (
        BANK_ID,
        "q-norm",
        "main",
        "typed",
    )
    assert norm1["time"] == "2025-03-03T09:02:00+00:00"
    lr = by_id[ids.answers["lr"]]
    assert (lr["score"], lr["graded_score"], lr["override"]) == ("90.0", "100.0", "90.0")
    norm2 = by_id[ids.answers["norm2"]]
    assert (norm2["language"], norm2["source"], norm2["wpm"]) == ("zh", "voice", "135.7")
    assert norm2["misconceptions"] == "no-regularization"
    assert norm2["answer"] == CHINESE_ANSWER
    assert by_id[ids.answers["norm1-fu"]]["kind"] == "follow_up"
    ungraded = by_id[ids.answers["ungraded"]]
    assert ungraded["score"] == "" and ungraded["verdict"] == ""
    assert by_id[ids.answers["hostile"]]["answer"] == HOSTILE  # verbatim: CSV quoting protects it
    skipped = by_id[ids.answers["skipped"]]
    assert (skipped["skipped"], skipped["answer"], skipped["score"]) == ("1", "", "")
    assert norm1["skipped"] == "0"


def test_csv_neutralises_formulas(history, report_library):
    store, _ = history
    asked = store.ask(
        store.start_session(mode="mock", bank_id=BANK_ID, language="en", client="plain"),
        BANK_ID,
        report_library.bank(BANK_ID).question("q-lr"),
    )
    store.record_answer(asked, "=cmd|'/c calc'!A1", None)
    rows = list(csv.DictReader(io.StringIO(render(build_report(store, report_library), "csv"))))
    assert rows[-1]["answer"] == "'=cmd|'/c calc'!A1"


def test_csv_columns_are_documented():
    from mockint.export import csv_writer

    for column in COLUMNS:
        assert re.search(rf"^{column}\s", csv_writer.__doc__, flags=re.M), column


# --- JSON -----------------------------------------------------------------------------------


def test_json_has_everything(report, history):
    _, ids = history
    text = render(report, "json")
    data = json.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["summary"]["answers"] == 6
    assert len(data["sessions"]) == 2 and len(data["mastery"]) == 3
    answers = [a for s in data["sessions"] for a in s["answers"]]
    assert {a["id"] for a in answers} == set(ids.answers.values())
    hostile = next(a for a in answers if a["id"] == ids.answers["hostile"])
    assert hostile["text"] == HOSTILE
    assert CHINESE_ANSWER in text  # UTF-8, not \u escapes
    assert ReportData.model_validate_json(text) == report


# --- empty history, files -------------------------------------------------------------------


def test_empty_history_is_a_friendly_report(tmp_path, report_library):
    store = new_store(tmp_path / "empty.db")
    report = build_report(store, report_library)
    assert report.empty
    page = render(report, "html")
    assert "No answers yet" in page and "mockint interview --plain" in page
    assert "<svg" not in page
    md = render(report, "md")
    assert "No answers yet" in md and "`mockint interview --plain`" in md
    assert render(report, "csv").strip() == ",".join(COLUMNS)
    assert json.loads(render(report, "json"))["sessions"] == []


def test_empty_because_of_filters_says_so(history, report_library):
    store, _ = history
    page = render(build_report(store, report_library, since="2030-01-01"), "html")
    assert "No answers match these filters" in page and "since 1 Jan 2030" in page


def test_write_report_writes_each_format(history, report_library, tmp_path, monkeypatch):
    store, _ = history
    monkeypatch.chdir(tmp_path)
    path = write_report(store, report_library)
    assert path == tmp_path / default_filename("html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    folder = tmp_path / "out"
    folder.mkdir()
    for fmt in ("md", "csv", "json"):
        written = write_report(store, report_library, fmt=fmt, path=folder)
        assert written.parent == folder and written.suffix == f".{fmt}"
        assert written.stat().st_size > 200
    named = write_report(store, report_library, fmt="json", path=tmp_path / "r.json", session_id=1)
    assert json.loads(named.read_text(encoding="utf-8"))["filters"]["session_id"] == 1
    assert not list(tmp_path.glob(".*.tmp"))
    with pytest.raises(ValueError):
        write_report(store, report_library, fmt="pdf")


def test_export_never_imports_textual():
    code = "import sys, mockint.export, mockint.commands.report; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_barely_touched_points_and_a_follow_up_on_its_point(tmp_path, report_library):
    """A point with a sliver of credit is listed with the missed ones in both HTML and
    Markdown ("barely touched on", no quote); a follow-up graded on the one point it asked
    about (``focus`` in its stored grade) shows whether it covered it, not a score."""
    store = new_store(tmp_path / "history.db")
    bank = report_library.bank(BANK_ID)
    norm = bank.question("q-norm")
    session = store.start_session(mode="mock", bank_id=BANK_ID, language="en", client="tui")
    asked = store.ask(session, BANK_ID, norm)
    main = make_grade(
        norm,
        {"scale-shift": "partial", "running-stats": "miss"},
        bank_id=BANK_ID,
        evidence={"scale-shift": "a hint of scaling"},
        credit={"scale-shift": 0.1},
    )
    store.record_answer(asked, "Batch norm normalizes. A hint of scaling.", main)
    follow = make_grade(norm, {"running-stats": "hit"}, bank_id=BANK_ID)
    follow.key_points = [kp for kp in follow.key_points if kp.id == "running-stats"]
    answer_id = store.record_answer(asked, "Running averages.", follow, kind="follow_up")
    # The grade as the grader stores a follow-up it graded on its point.
    with store.transaction() as db:
        db.execute(
            "UPDATE grades SET grade_json = json_set(grade_json, '$.focus', 'running-stats')"
            " WHERE answer_id = ?",
            [answer_id],
        )
    store.end_session(session)
    report = build_report(store, report_library, now=NOW)
    answers = {a.id: a for a in report.answers()}
    assert answers[answer_id].focus == "running-stats"

    md = render(report, "md")
    assert "◌ barely touched on: Learned gamma and beta restore the scale." in md
    assert "a hint of scaling" not in md
    assert "Follow-up: *What happens at test time?* — **✓ covered**" in md

    html = render(report, "html")
    assert re.search(r'<li class="barely"><span>Learned gamma and beta restore the scale\.', html)
    assert "a hint of scaling" not in html
    assert "<b>✓</b><span>covered</span>" in html


def test_topics_are_named_by_their_titles_in_the_reports_language(history):
    """A bank's topic titles name the topics of every report format in the report's
    language (an untitled topic keeps its id); the data formats keep the id beside them."""
    store, _ = history
    titles = {
        "training": {"title": {"en": "Model training", "zh": "模型训练"}},
        "optimization": {"title": {"en": "Optimization", "zh": "优化方法"}},
    }
    library = Library(banks=[Bank.model_validate({**BANK, "topics": titles})], problems=[])
    zh = build_report(store, library, language="zh", now=NOW)
    assert zh.topic_titles == {
        "fundamentals": "fundamentals",
        "optimization": "优化方法",
        "training": "模型训练",
    }
    assert {t.topic for t in zh.topics} <= set(zh.topic_titles)  # ids, as stored
    markdown = render(zh, "md")
    assert "| 模型训练 |" in markdown and "`q-norm` · 模型训练" in markdown
    assert "| training |" not in markdown and "· training" not in markdown
    html = render(zh, "html")
    assert "<h4>模型训练</h4>" in html and "Score over time: 模型训练" in html
    assert "模型训练 · " in html  # the mastery grid's row label
    assert not re.search(r">\s*training\b|· training<", html)
    rows = list(csv.DictReader(io.StringIO(render(zh, "csv"))))
    norm = next(r for r in rows if r["question"] == "q-norm")
    assert (norm["topic"], norm["topic_title"]) == ("training", "模型训练")
    data = json.loads(render(zh, "json"))
    assert data["topic_titles"]["training"] == "模型训练"
    english = render(build_report(store, library, language="en", now=NOW), "md")
    assert "| Model training |" in english and "模型训练" not in english
