"""The screens' own words: every English line has its Chinese one, and every problem the core
names by a reason (errors and notices of the store, the voice input and the interview) has a
Chinese sentence for the TUI."""

from __future__ import annotations

import re
import string
from pathlib import Path

import mockint
from mockint.store import StoreError
from mockint.tui.words import LINES, explained

CORE = Path(mockint.__file__).parent


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_english_line_has_a_chinese_one_that_uses_only_its_values():
    """Chinese needs fewer values (no plural ``{s}``), never one the English is not given."""
    missing = sorted(set(LINES["en"]) - set(LINES["zh"]))
    assert not missing
    unknown = [k for k, text in LINES["en"].items() if not fields(LINES["zh"][k]) <= fields(text)]
    assert not unknown


def core_reasons() -> dict[str, str]:
    """Each reason the core gives (``reason="..."`` of an error or a ``Reasoned`` notice), with
    the file that gives it."""
    found = {}
    for path in CORE.rglob("*.py"):
        if "tui" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for reason in re.findall(r'reason="(\w+)"', source):
            found[reason] = path.name
    return found


def test_every_reason_the_core_gives_has_a_chinese_sentence():
    reasons = core_reasons()
    assert {"locked", "damaged", "busy", "emptied", "no_microphone", "no_portaudio"} <= set(reasons)
    untranslated = {r: f for r, f in reasons.items() if f"why_{r}" not in LINES["zh"]}
    assert not untranslated


def test_explained_says_a_reason_in_chinese_and_leaves_english_as_the_core_wrote_it():
    error = StoreError("h.db is locked: ...", reason="locked", path="h.db")
    assert explained("zh", error) == LINES["zh"]["why_locked"].format(path="h.db")
    assert explained("en", error) == "h.db is locked: ..."
    assert explained("zh", StoreError("something new")) == "something new"


def test_durations_and_days_read_naturally_in_each_language():
    """English keeps the report's forms (``3 h 05 min``, ISO days); Chinese says 小时 and 分钟
    and writes a day as 2025年3月8日, leaving out the year a range already named."""
    from datetime import date

    from mockint.export.text import fmt_duration
    from mockint.tui.render import day_text, duration

    for seconds in (None, 45, 720, 11_100, 40_000):
        assert duration(seconds, "en") == fmt_duration(seconds)
    assert [duration(s, "zh") for s in (45, 720, 11_100, 40_000)] == [
        "45 秒",
        "12 分钟",
        "3 小时 5 分钟",
        "11 小时",
    ]
    first, last = date(2025, 3, 8), date(2025, 12, 10)
    assert day_text(last, "en", after=first) == "2025-12-10"
    assert day_text(first, "zh") == "2025年3月8日"
    assert day_text(last, "zh", after=first) == "12月10日"
    assert day_text(date(2026, 1, 2), "zh", after=first) == "2026年1月2日"


def test_counted_things_have_the_plural_english_wants_and_the_measure_word_chinese_wants():
    from mockint.tui.words import counted

    assert counted("en", "count_answers", 1) == "1 answer"
    assert counted("en", "count_answers", 1024) == "1,024 answers"
    assert counted("zh", "count_answers", 1024) == "1,024 个回答"
    assert counted("zh", "count_questions", 2) == "2 道题"


def test_sqlites_and_the_systems_words_in_an_error_are_said_in_chinese_too():
    """The detail of a store error is SQLite's (or the system's) English; a Chinese sentence
    around it is not enough."""
    import sqlite3

    error = StoreError(
        "h.db: database error: disk I/O error",
        reason="error",
        path="h.db",
        detail=sqlite3.OperationalError("disk I/O error"),
    )
    assert explained("zh", error) == "h.db：数据库出错：磁盘读写错误"
    assert explained("en", error) == "h.db: database error: disk I/O error"
    unknown = StoreError("h.db: x", reason="error", path="h.db", detail="something new")
    assert explained("zh", unknown) == "h.db：数据库出错：something new"


def test_every_reason_a_bank_problem_can_have_has_a_chinese_sentence():
    """The validators' own reasons, the duplicates of each kind, an unused topic title, each
    kind of TOML syntax error, and the pydantic errors a hand-written bank runs into."""
    from mockint.rubric import _VALUE_REASONS, TOML_SYNTAX_REASONS

    reasons = [f"rubric_{r}" for r in _VALUE_REASONS.values()]
    for kind in ("question", "key_point", "misconception"):
        reasons += [f"rubric_duplicate_{kind}", f"rubric_duplicate_{kind}_here"]
    reasons += [
        f"rubric_{kind}"
        for kind in (
            "extra_forbidden",
            "missing",
            "string_pattern_mismatch",
            "literal_error",
            "greater_than",
            "less_than_equal",
            "too_short",
            "string_too_short",
            "string_type",
            "int_parsing",
            "float_parsing",
            "list_type",
            "model_type",
        )
    ]
    reasons += ["rubric_unused_topic", "rubric_unknown_key_point", *TOML_SYNTAX_REASONS]
    assert [r for r in reasons if f"why_{r}" not in LINES["zh"]] == []


def test_hints_are_counted_in_each_languages_own_way():
    """The feedback detail said "1 hint(s)"."""
    from mockint.tui.words import counted

    assert counted("en", "feedback_hints", 1).strip() == "· 1 hint"
    assert counted("en", "feedback_hints", 2).strip() == "· 2 hints"
    assert counted("zh", "feedback_hints", 2).strip() == "· 用了 2 次提示"
