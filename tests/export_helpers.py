"""A small bilingual bank and a history recorded through the real Store, for the report tests.

Grades are built by hand (tests/handmade.py: chosen key-point statuses) so every figure of the
report is known in advance; they go through ``Store.record_answer`` into a real SQLite file,
exactly as the interview records them. Only the timestamps are then moved to fixed dates (test
set-up), so the charts have a time axis and the date filters something to filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from handmade import make_grade, write_bank_toml

from mockint.grading.models import Grade
from mockint.rubric import Bank, Library, Question

BANK_ID = "report-test"
HOSTILE = "<script>document.title='pwned'</script></table> | not a cell | =HYPERLINK(\"x\")"
HOSTILE_IMG = "<img src=x onerror=\"document.title='pwned-img'\">**bold?** [link](http://x)"
CHINESE_ANSWER = "批量归一化在小批量上归一化每层的输入，然后用 gamma 和 beta 缩放和平移。"
S1 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
S2 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def _kp(kp_id: str, en: str, zh: str, follow_en: str, follow_zh: str) -> dict:
    return {
        "id": kp_id,
        "text": {"en": en, "zh": zh},
        "follow_up": {"en": follow_en, "zh": follow_zh},
    }


QUESTIONS = [
    {
        "id": "q-norm",
        "topic": "training",
        "prompt": {"en": "What does batch normalization do?", "zh": "批量归一化做什么？"},
        "model_answer": {"en": "It normalizes layer inputs.", "zh": "它归一化每层的输入。"},
        "key_points": [
            _kp(
                "normalizes",
                "It normalizes layer inputs over the mini-batch.",
                "它在小批量上归一化每层的输入。",
                "Over what is it normalized?",
                "在什么范围上归一化？",
            ),
            _kp(
                "scale-shift",
                "Learned gamma and beta restore the scale.",
                "可学习的 gamma 和 beta 恢复尺度。",
                "How is the scale recovered?",
                "尺度如何恢复？",
            ),
            _kp(
                "running-stats",
                "Inference uses running averages of mean and variance.",
                "推理时使用均值和方差的滑动平均。",
                "What happens at test time?",
                "测试时会怎样？",
            ),
        ],
        "misconceptions": [
            {
                "id": "no-regularization",
                "text": {
                    "en": "Batch norm removes the need for regularization.",
                    "zh": "批量归一化不需要正则化。",
                },
                "correction": {
                    "en": "It regularizes a little; it does not replace dropout.",
                    "zh": "它只有轻微的正则化效果，不能取代 dropout。",
                },
            }
        ],
    },
    {
        "id": "q-bias",
        "topic": "fundamentals",
        "prompt": {"en": "Explain the bias-variance trade-off.", "zh": "解释偏差-方差权衡。"},
        "model_answer": {
            "en": "Bias underfits, variance overfits.",
            "zh": "偏差欠拟合，方差过拟合。",
        },
        "key_points": [
            _kp(
                "underfit",
                "High bias means the model underfits.",
                "高偏差意味着欠拟合。",
                "What does high bias look like?",
                "高偏差是什么样子？",
            ),
            _kp(
                "overfit",
                "High variance means the model overfits.",
                "高方差意味着过拟合。",
                "And high variance?",
                "那高方差呢？",
            ),
            _kp(
                "tradeoff",
                "Reducing one usually increases the other.",
                "降低一个通常会增加另一个。",
                "How do they trade off as complexity grows?",
                "随复杂度增加两者如何权衡？",
            ),
        ],
    },
    {
        "id": "q-lr",
        "topic": "optimization",
        "prompt": {"en": "How do you choose a learning rate?", "zh": "如何选择学习率？"},
        "model_answer": {"en": "Try a range test.", "zh": "做范围测试。"},
        "key_points": [
            _kp(
                "diverge",
                "Too high a rate diverges.",
                "学习率太高会发散。",
                "What if it is too high?",
                "太高会怎样？",
            ),
            _kp(
                "slow", "Too low a rate is slow.", "学习率太低会很慢。", "And too low?", "太低呢？"
            ),
            _kp(
                "schedule",
                "Schedules change the rate during training.",
                "调度在训练中改变学习率。",
                "Should it stay constant?",
                "应该保持不变吗？",
            ),
        ],
    },
]


BANK = {
    "id": BANK_ID,
    "title": {"en": "Report test bank", "zh": "报告测试题库"},
    "languages": ["en", "zh"],
    "questions": QUESTIONS,
}


def make_bank() -> Bank:
    return Bank.model_validate(BANK)


def make_library() -> Library:
    return Library(banks=[make_bank()], problems=[])


def _grade(question: Question, statuses: dict[str, str], **kwargs) -> Grade:
    return make_grade(question, statuses, bank_id=BANK_ID, **kwargs)


@dataclass
class History:
    """Ids of what :func:`record_history` wrote."""

    sessions: list[int]
    answers: dict[str, int]


def _at(store, moment: datetime) -> None:
    """Make the store's next writes happen at ``moment`` (the store's injectable clock)."""
    store.clock = lambda: moment


def record_history(store, library: Library | None = None) -> History:
    """Two sessions a week apart; every figure of the report is known (see the tests).

    Session 1 (3 Mar 2025, English): q-norm answered (1 of 3 points) then its follow-up
    answered; q-bias answered with a hostile text. Session 2 (10 Mar, Chinese prompts):
    q-norm answered by voice in Chinese with a misconception; q-lr answered fully, score
    overridden to 90; a typed image-tag answer to q-bias left ungraded; q-lr asked again and
    skipped. Each session lasts 15 minutes.
    """
    library = library or make_library()
    bank = library.bank(BANK_ID)
    norm, bias, lr = (bank.question(q) for q in ("q-norm", "q-bias", "q-lr"))
    answers: dict[str, int] = {}
    minute = timedelta(minutes=1)

    _at(store, S1)
    s1 = store.start_session(mode="mock", bank_id=BANK_ID, language="en", client="plain")
    asked = store.ask(s1, BANK_ID, norm)
    _at(store, S1 + 2 * minute)
    answers["norm1"] = store.record_answer(
        asked,
        "Batch norm normalizes the activations.",
        _grade(norm, {"scale-shift": "miss", "running-stats": "miss"}),
        duration_s=75.0,
    )
    _at(store, S1 + 5 * minute)
    answers["norm1-fu"] = store.record_answer(
        asked,
        "Gamma and beta rescale the output.",
        _grade(norm, {"normalizes": "miss", "running-stats": "miss"}),
        kind="follow_up",
        duration_s=30.0,
    )
    asked = store.ask(s1, BANK_ID, bias)
    _at(store, S1 + 9 * minute)
    answers["hostile"] = store.record_answer(
        asked,
        HOSTILE,
        _grade(bias, {"overfit": "partial", "tradeoff": "miss"}),
        duration_s=50.0,
        hints_used=1,
    )
    _at(store, S1 + 15 * minute)
    store.end_session(s1)

    _at(store, S2)
    s2 = store.start_session(mode="mock", bank_id=BANK_ID, language="zh", client="tui")
    asked = store.ask(s2, BANK_ID, norm)
    _at(store, S2 + 3 * minute)
    answers["norm2"] = store.record_answer(
        asked,
        CHINESE_ANSWER,
        _grade(
            norm,
            {"running-stats": "miss"},
            language="zh",
            misconceptions={"no-regularization": "所以不需要正则化"},
        ),
        source="voice",
        duration_s=42.0,
        speech={
            "duration_s": 42.0,
            "words": 95,
            "wpm": 135.7,
            "filler_count": 3,
            "fillers": {"嗯": 2, "那个": 1},
            "long_pauses": 1,
            "longest_pause_s": 2.6,
        },
    )
    asked = store.ask(s2, BANK_ID, lr)
    _at(store, S2 + 8 * minute)
    answers["lr"] = store.record_answer(
        asked,
        "Too high diverges, too low is slow, and schedules decay it.",
        _grade(lr, {}),
        duration_s=60.0,
    )
    store.set_override(answers["lr"], 90.0)
    asked = store.ask(s2, BANK_ID, bias)
    _at(store, S2 + 12 * minute)
    answers["ungraded"] = store.record_answer(asked, HOSTILE_IMG, None, duration_s=20.0)
    asked = store.ask(s2, BANK_ID, lr)
    _at(store, S2 + 13 * minute)
    answers["skipped"] = store.record_skip(asked)
    _at(store, S2 + 15 * minute)
    store.end_session(s2)
    store.clock = None
    return History(sessions=[s1, s2], answers=answers)


def new_store(path: Path):
    """A fresh store in a real SQLite file at ``path``."""
    from mockint.store import open_store

    return open_store(path)


def write_report_bank(path: Path) -> Path:
    """The test bank as a rubric file, for commands that load banks from disk (``--rubrics``)."""
    return write_bank_toml(path, BANK)
