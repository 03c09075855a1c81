"""Progress aggregations over a real store filled with hand-made grades at chosen times."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from history_helpers import Clock, make_bank, make_grade, make_library

from mockint.progress import most_missed, practice_streak, progress, streak_of, trend_of
from mockint.store import open_store

BANK = make_bank()
LIBRARY = make_library(BANK)
Q_NORM, Q_LR, Q_METRICS = BANK.questions


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    with open_store(tmp_path / "history.db", clock=clock) as store:
        yield store


def _answer(store, sid, question, statuses=None, score=None, **kwargs):
    asked_id = store.ask(sid, BANK.id, question)
    grade = make_grade(question, statuses, score=score)
    return asked_id, store.record_answer(asked_id, "an answer", grade, **kwargs)


def _practise(store, clock) -> None:
    """Three days of practice: q-norm improves, q-lr gets worse, q-metrics is tried once."""
    day1 = store.start_session(mode="mock", bank_id=BANK.id)
    asked, _ = _answer(store, day1, Q_NORM, {"running-stats": "miss"}, score=40, duration_s=60)
    # The follow-up covers the missed point: it still counts as missed (it was prompted).
    store.record_answer(asked, "follow-up", make_grade(Q_NORM), kind="follow_up", duration_s=20)
    _answer(store, day1, Q_LR, score=90, duration_s=50)
    store.record_skip(store.ask(day1, BANK.id, Q_METRICS))
    store.end_session(day1)

    clock.advance(days=1)
    day2 = store.start_session(mode="due", bank_id=BANK.id)
    _answer(store, day2, Q_NORM, {"running-stats": "miss", "scale-shift": "partial"}, score=60)
    _answer(store, day2, Q_LR, {"schedule": "miss"}, score=70, source="voice")
    store.end_session(day2)

    clock.advance(days=1)
    day3 = store.start_session(mode="weak", bank_id=BANK.id)
    _answer(store, day3, Q_NORM, {"running-stats": "partial"}, score=80)
    _, overridden = _answer(store, day3, Q_LR, {"schedule": "miss"}, score=50)
    store.set_override(overridden, 65)  # the candidate's own score wins
    _answer(store, day3, Q_METRICS, {"roc": "miss"}, score=55)


def test_per_question_last_best_mean_and_trend(store, clock):
    _practise(store, clock)
    report = progress(store, LIBRARY, today=clock.now.date())
    by_id = {q.question_id: q for q in report.questions}
    assert [q.question_id for q in report.questions] == ["q-norm", "q-lr", "q-metrics"]

    norm = by_id["q-norm"]
    assert norm.scores == [40, 60, 80]
    assert (norm.attempts, norm.last_score, norm.best_score, norm.mean_score) == (3, 80, 80, 60)
    assert norm.trend == 20.0 and norm.trend_label == "up"
    assert norm.topic == "training" and norm.bank_id == BANK.id

    lr = by_id["q-lr"]
    assert lr.scores == [90, 70, 65] and lr.overridden == 1
    assert lr.trend_label == "down" and lr.best_score == 90

    metrics = by_id["q-metrics"]
    assert metrics.attempts == 1 and metrics.trend_label == "new"


def test_topics_aggregate_their_questions_in_time_order(store, clock):
    _practise(store, clock)
    report = progress(store, LIBRARY, today=clock.now.date())
    topics = {t.topic: t for t in report.topics}
    training = topics["training"]
    assert training.questions == 2 and training.attempts == 6
    assert training.scores == [40, 90, 60, 70, 80, 65]
    assert training.mean_score == round((40 + 90 + 60 + 70 + 80 + 65) / 6, 1)
    # Weakest topic first.
    assert [t.topic for t in report.topics] == ["evaluation", "training"]


def test_most_missed_points_count_unprompted_misses(store, clock):
    _practise(store, clock)
    missed = progress(store, LIBRARY, today=clock.now.date()).most_missed
    top = missed[0]
    assert (top.question_id, top.key_point_id) == ("q-norm", "running-stats")
    assert (top.misses, top.partials, top.attempts) == (2, 1, 3)
    assert top.text == "The answer says running-stats."
    assert top.last_status == "partial"
    second = missed[1]
    assert (second.key_point_id, second.misses, second.miss_rate) == ("schedule", 2, 0.667)
    # The same ranking straight from the store, and a limit.
    assert most_missed(store, LIBRARY, limit=2) == missed[:2]


def test_totals_count_answers_follow_ups_skips_voice_and_time(store, clock):
    _practise(store, clock)
    totals = progress(store, LIBRARY, today=clock.now.date()).totals
    assert (totals.sessions, totals.finished_sessions) == (3, 2)
    assert (totals.answers, totals.follow_ups, totals.skipped, totals.spoken) == (7, 1, 1, 1)
    assert totals.questions == 3
    assert totals.practice_seconds == 130.0
    assert totals.mean_score == round((40 + 90 + 60 + 70 + 80 + 65 + 55) / 7, 1)
    assert totals.first_at < totals.last_at


def test_daily_scores_and_streak(store, clock):
    _practise(store, clock)
    today = clock.now.date()
    report = progress(store, LIBRARY, today=today)
    assert [d.attempts for d in report.daily] == [2, 2, 3]
    assert report.daily[0].mean_score == 65.0
    assert (report.streak.current, report.streak.longest, report.streak.practice_days) == (3, 3, 3)
    assert report.streak.practised_today
    # Tomorrow the streak is still alive (not practised yet); the day after, it is broken.
    assert practice_streak(store, today + timedelta(days=1)).current == 3
    assert practice_streak(store, today + timedelta(days=2)).current == 0


def test_filters_by_bank_and_period(store, clock):
    _practise(store, clock)
    first_day = (clock.now - timedelta(days=2)).date()
    report = progress(store, LIBRARY, until=first_day, today=clock.now.date())
    assert report.totals.answers == 2
    assert {q.question_id: q.scores for q in report.questions} == {"q-norm": [40], "q-lr": [90]}
    later = progress(store, LIBRARY, since=clock.now.date(), today=clock.now.date())
    assert later.totals.answers == 3
    assert progress(store, LIBRARY, bank_id="another-bank").totals.answers == 0


def test_without_a_library_ids_stand_in(store, clock):
    _practise(store, clock)
    report = progress(store, None, today=clock.now.date())
    assert {q.topic for q in report.questions} == {"other"}
    assert report.most_missed[0].text == "running-stats"


def test_an_empty_history_gives_an_empty_report(store):
    report = progress(store, LIBRARY)
    assert report.totals.answers == 0 and report.totals.mean_score is None
    assert report.questions == [] and report.topics == [] and report.most_missed == []
    assert report.streak.current == 0 and report.streak.last_day is None


@pytest.mark.parametrize(
    ("scores", "label"),
    [([50], "new"), ([50, 50, 51], "flat"), ([30, 40, 60], "up"), ([90, 60], "down")],
)
def test_trend_labels(scores, label):
    assert trend_of(scores)[1] == label


def test_the_trend_only_looks_at_recent_attempts():
    # Long decline, then a steady climb over the last five attempts.
    slope, label = trend_of([100, 90, 80, 70, 10, 20, 30, 40, 50])
    assert (slope, label) == (10.0, "up")


def test_streak_counts_runs_of_consecutive_days():
    d = date(2025, 5, 10)
    days = [d, d + timedelta(1), d + timedelta(2), d + timedelta(5), d + timedelta(6)]
    streak = streak_of(days, today=d + timedelta(6))
    assert (streak.current, streak.longest, streak.practice_days) == (2, 3, 5)
    assert streak_of(days, today=d + timedelta(9)).current == 0
