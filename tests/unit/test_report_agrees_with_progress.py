"""The report (mockint.export) and the progress screen's figures (mockint.progress) agree on the
same recorded history, including the cases where they used to differ: a session left without an
answer, a day with only a skip, an idle gap, follow-ups, ungraded and spoken answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from handmade import START, Clock, make_bank, make_grade, make_library

from mockint.export import build_report
from mockint.progress import progress
from mockint.store import open_store

BANK = make_bank()
LIBRARY = make_library(BANK)
Q_NORM, Q_LR, Q_METRICS = BANK.questions
NOW = datetime(2025, 3, 12, 18, 0, tzinfo=UTC)

# Each day's answers: (question, statuses, minutes after the previous event). The candidate
# gets better at q-norm and q-lr and keeps missing q-metrics' roc.
DAYS = {
    0: [(Q_NORM, {"running-stats": "miss", "scale-shift": "miss"}, 2), (Q_LR, {}, 3)],
    1: [(Q_METRICS, {"roc": "miss"}, 2), (Q_NORM, {"running-stats": "miss"}, 4)],
    3: [(Q_LR, {"schedule": "miss"}, 2), (Q_NORM, {"running-stats": "partial"}, 30)],
    5: [(Q_METRICS, {"roc": "miss", "recall": "partial"}, 2), (Q_NORM, {}, 3), (Q_LR, {}, 3)],
    7: [(Q_NORM, {}, 2), (Q_METRICS, {"roc": "partial"}, 2)],
}


@pytest.fixture
def store(tmp_path):
    clock = Clock(START)
    with open_store(tmp_path / "history.db", clock=clock) as store:
        for day, answers in DAYS.items():
            clock.now = START + timedelta(days=day)
            sid = store.start_session(mode="mock", bank_id=BANK.id)
            for question, statuses, after in answers:
                clock.advance(minutes=after)
                asked = store.ask(sid, BANK.id, question)
                answer_id = store.record_answer(asked, "an answer", make_grade(question, statuses))
            if day == 1:  # a follow-up, then an answer the grader never got to
                clock.advance(minutes=1)
                store.record_answer(asked, "more", make_grade(question), kind="follow_up")
                clock.advance(minutes=1)
                store.record_answer(store.ask(sid, BANK.id, Q_LR), "ungraded", None)
            if day == 5:  # the candidate's own score, and a spoken answer
                store.set_override(answer_id, 70)
                clock.advance(minutes=2)
                store.record_answer(
                    store.ask(sid, BANK.id, Q_LR), "spoken", make_grade(Q_LR), source="voice"
                )
            if day != 7:  # the last session was interrupted
                clock.advance(minutes=1)
                store.end_session(sid)
        # A session opened and left without an answer, and a day with only a skip.
        clock.now = START + timedelta(days=2)
        store.end_session(store.start_session())
        clock.now = START + timedelta(days=6)
        store.record_skip(store.ask(store.start_session(), BANK.id, Q_LR))
        yield store


def test_the_report_shows_the_progress_figures(store):
    report = build_report(store, LIBRARY, now=NOW)
    figures = progress(store, LIBRARY, today=NOW.astimezone().date())
    summary, totals, streak = report.summary, figures.totals, figures.streak

    # The scenario's figures, so that agreeing is not agreeing on nothing.
    assert (totals.sessions, totals.answers, totals.answers_given, totals.skipped) == (6, 12, 14, 1)
    assert (streak.practice_days, streak.longest, streak.current) == (5, 2, 0)
    assert totals.spoken == 1 and totals.questions == 3

    assert (
        summary.sessions,
        summary.answers,
        summary.graded_answers,
        summary.skipped,
        summary.questions,
        summary.spoken_answers,
    ) == (
        totals.sessions,
        totals.answers_given,
        totals.answers,
        totals.skipped,
        totals.questions,
        totals.spoken,
    )
    assert summary.time_practised_s == totals.practice_seconds
    assert summary.mean_score == totals.mean_score
    assert (summary.first_at, summary.last_at) == (totals.first_at, totals.last_at)
    assert (summary.practice_days, summary.longest_streak, summary.current_streak) == (
        streak.practice_days,
        streak.longest,
        streak.current,
    )


def test_topics_questions_and_weakest_points_agree(store):
    report = build_report(store, LIBRARY, now=NOW)
    figures = progress(store, LIBRARY, today=NOW.astimezone().date())

    topics = {t.topic: (t.answers, t.mean_score, t.trend) for t in report.topics}
    assert topics == {t.topic: (t.attempts, t.mean_score, t.trend) for t in figures.topics}
    assert topics["training"][2] is not None  # nine attempts: the trend is there to compare

    attempted = {row.question_id: row.answers for row in report.mastery if row.answers}
    assert attempted == {q.question_id: q.attempts for q in figures.questions}

    weakest = [(w.question_id, w.key_point_id, w.rate, w.attempts) for w in report.weakest]
    assert weakest == [(p.question_id, p.key_point_id, p.rate, p.attempts) for p in figures.weakest]
    assert weakest[0][:2] == ("q-metrics", "roc")
