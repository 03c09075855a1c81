"""Progress figures over a real store filled with hand-made grades at chosen times."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from handmade import START, Clock, make_bank, make_grade, make_library

from mockint.progress import (
    RECENT,
    KeyPointMastery,
    practice_streak,
    progress,
    streak_of,
    trend_label,
    trend_of,
    weakest,
)
from mockint.rubric import Localized, Topic
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


def _answer(store, clock, sid, question, statuses=None, score=None, *, after=2, **kwargs):
    """Answer ``after`` minutes after the session's previous event, with a hand-made grade."""
    clock.advance(minutes=after)
    asked_id = store.ask(sid, BANK.id, question)
    grade = make_grade(question, statuses, score=score)
    return asked_id, store.record_answer(asked_id, "an answer", grade, **kwargs)


def _practise(store, clock) -> None:
    """Three days of practice: q-norm improves, q-lr gets worse, q-metrics is tried once.

    Time practised: 7 minutes on day 1, 5 on day 2, and 2 + 2 + 10 on day 3 (its last answer
    comes 30 minutes after the one before: only 10 count).
    """
    day1 = store.start_session(mode="mock", bank_id=BANK.id)
    asked, _ = _answer(store, clock, day1, Q_NORM, {"running-stats": "miss"}, 40, duration_s=60)
    # The follow-up covers the missed point: the attempt counts it covered, as the interview
    # does (each point's best over the answer and its follow-up).
    clock.advance(minutes=1)
    store.record_answer(asked, "follow-up", make_grade(Q_NORM), kind="follow_up", duration_s=20)
    _answer(store, clock, day1, Q_LR, score=90, duration_s=50)
    clock.advance(minutes=1)
    store.record_skip(store.ask(day1, BANK.id, Q_METRICS))
    clock.advance(minutes=1)
    store.end_session(day1)

    clock.now = START + timedelta(days=1)
    day2 = store.start_session(mode="due", bank_id=BANK.id)
    _answer(store, clock, day2, Q_NORM, {"running-stats": "miss", "scale-shift": "partial"}, 60)
    _answer(store, clock, day2, Q_LR, {"schedule": "miss"}, 70, source="voice")
    clock.advance(minutes=1)
    store.end_session(day2)

    clock.now = START + timedelta(days=2)
    day3 = store.start_session(mode="weak", bank_id=BANK.id)
    _answer(store, clock, day3, Q_NORM, {"running-stats": "partial"}, 80)
    _, overridden = _answer(store, clock, day3, Q_LR, {"schedule": "miss"}, 50)
    store.set_override(overridden, 65)  # the candidate's own score wins
    _answer(store, clock, day3, Q_METRICS, {"roc": "miss"}, 55, after=30)


def test_per_question_last_best_mean_and_trend(store, clock):
    _practise(store, clock)
    report = progress(store, LIBRARY, today=clock.now.date())
    by_id = {q.question_id: q for q in report.questions}
    assert [q.question_id for q in report.questions] == ["q-norm", "q-lr", "q-metrics"]

    norm = by_id["q-norm"]
    assert norm.scores == [40, 60, 80]
    assert (norm.attempts, norm.last_score, norm.best_score, norm.mean_score) == (3, 80, 80, 60)
    # Three attempts are too few for a trend (see test_trend_labels).
    assert norm.trend is None and norm.trend_label == "new"
    assert norm.topic == "training" and norm.bank_id == BANK.id

    lr = by_id["q-lr"]
    assert lr.scores == [90, 70, 65] and lr.overridden == 1 and lr.best_score == 90

    metrics = by_id["q-metrics"]
    assert metrics.attempts == 1 and metrics.trend_label == "new"


def test_topics_aggregate_their_questions_in_time_order(store, clock):
    _practise(store, clock)
    report = progress(store, LIBRARY, today=clock.now.date())
    topics = {t.topic: t for t in report.topics}
    training = topics["training"]
    assert training.questions == 2 and training.attempts == 6
    assert training.scores == [40, 90, 60, 70, 80, 65]
    assert training.mean_score == pytest.approx((40 + 90 + 60 + 70 + 80 + 65) / 6)
    # Six attempts: the last two (80, 65) against the first two (40, 90).
    assert training.trend == pytest.approx(72.5 - 65) and training.trend_label == "up"
    # Weakest topic first.
    assert [t.topic for t in report.topics] == ["evaluation", "training"]


def test_weakest_points_are_the_least_covered_in_recent_attempts(store, clock):
    _practise(store, clock)
    weakest = progress(store, LIBRARY, today=clock.now.date()).weakest
    # Mean credit over the attempts (hit 1, partial 0.5, miss 0); the follow-up that covered
    # running-stats on day 1 makes that attempt's credit 1: (1 + 0 + 0.5) / 3.
    assert [(p.question_id, p.key_point_id, round(p.rate, 3), p.attempts) for p in weakest] == [
        ("q-metrics", "roc", 0.0, 1),
        ("q-lr", "schedule", 0.333, 3),
        ("q-norm", "running-stats", 0.5, 3),
    ]
    assert weakest[0].text == "The answer says roc."

    # Only the latest five attempts count: five good answers put an old miss behind.
    sid = store.start_session()
    for _ in range(RECENT):
        _answer(store, clock, sid, Q_LR)
    weakest = progress(store, LIBRARY, today=clock.now.date(), weakest_limit=2).weakest
    assert [p.key_point_id for p in weakest] == ["roc", "running-stats"]


def test_equally_weak_points_rank_the_surest_and_heaviest_first():
    def point(kp_id, rate, attempts, weight=1.0):
        return KeyPointMastery(
            question_id="q", key_point_id=kp_id, text=kp_id, weight=weight, rate=rate,
            attempts=attempts,
        )  # fmt: skip

    points = [
        point("covered", 0.75, 5),
        point("untried", None, 0),
        point("once", 0.5, 1),
        point("heavy", 0.5, 3, weight=2.0),
        point("often", 0.5, 3),
        point("never", 0.0, 1),
    ]
    assert [p.key_point_id for p in weakest(points)] == ["never", "heavy", "often", "once"]


def test_totals_count_answers_follow_ups_skips_voice_and_time(store, clock):
    _practise(store, clock)
    totals = progress(store, LIBRARY, today=clock.now.date()).totals
    assert (totals.sessions, totals.finished_sessions) == (3, 2)
    assert (totals.answers, totals.follow_ups, totals.skipped, totals.spoken) == (7, 1, 1, 1)
    assert totals.answers_given == 8 and totals.questions == 3
    assert totals.practice_seconds == (7 + 5 + 14) * 60
    assert totals.mean_score == pytest.approx((40 + 90 + 60 + 70 + 80 + 65 + 55) / 7)
    assert totals.first_at < totals.last_at


def test_sessions_without_an_answer_do_not_count(store, clock):
    _practise(store, clock)
    store.end_session(store.start_session())  # opened and left without answering
    assert progress(store, LIBRARY, today=clock.now.date()).totals.sessions == 3


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


def test_a_skip_alone_is_not_a_day_of_practice(store, clock):
    _practise(store, clock)
    clock.advance(days=1)
    store.record_skip(store.ask(store.start_session(), BANK.id, Q_LR))
    report = progress(store, LIBRARY, today=clock.now.date())
    assert (report.streak.practice_days, report.streak.practised_today) == (3, False)
    assert report.totals.skipped == 2


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
    assert report.weakest[0].text == "roc"


def test_an_empty_history_gives_an_empty_report(store):
    report = progress(store, LIBRARY)
    assert report.totals.answers == 0 and report.totals.mean_score is None
    assert report.questions == [] and report.topics == [] and report.weakest == []
    assert report.streak.current == 0 and report.streak.last_day is None


@pytest.mark.parametrize(
    ("scores", "label"),
    [
        ([50, 60, 70, 80, 90], "new"),  # five attempts: no trend yet
        ([50, 60, 50, 60, 50, 60], "flat"),
        ([50, 50.2, 50, 50, 50, 50.4], "flat"),  # under a point either way
        ([30, 40, 60, 50, 60, 70], "up"),
        ([90, 80, 90, 60, 70, 60], "down"),
    ],
)
def test_trend_labels(scores, label):
    assert trend_label(trend_of(scores)[0]) == label


def test_the_trend_compares_the_latest_third_with_the_earliest():
    assert trend_of([40] * 10 + [90] * 10 + [60] * 10) == (20.0, 10)
    # At most ten at each end: a long history compares its first and last ten.
    assert trend_of([40] * 10 + [0] * 30 + [60] * 10) == (20.0, 10)
    assert trend_of([40, 40, 0, 0, 50, 60]) == (15.0, 2)


def test_streak_counts_runs_of_consecutive_days():
    d = date(2025, 5, 10)
    days = [d, d + timedelta(1), d + timedelta(2), d + timedelta(5), d + timedelta(6)]
    streak = streak_of(days, today=d + timedelta(6))
    assert (streak.current, streak.longest, streak.practice_days) == (2, 3, 5)
    assert streak_of(days, today=d + timedelta(9)).current == 0


def test_topics_are_titled_in_the_reports_language_and_grouped_by_id(store, clock):
    """The bank's topic titles name the topics (ids without one stand as they are); the
    grouping and the ids stay the history's."""
    _practise(store, clock)
    titled = BANK.model_copy(
        update={"topics": {"training": Topic(title=Localized(en="Model training", zh="模型训练"))}}
    )
    report = progress(store, make_library(titled), today=clock.now.date(), language="zh")
    assert [(t.topic, t.title) for t in report.topics] == [
        ("evaluation", "evaluation"),
        ("training", "模型训练"),
    ]
    norm = next(q for q in report.questions if q.question_id == "q-norm")
    assert (norm.topic, norm.topic_title) == ("training", "模型训练")
    english = progress(store, make_library(titled), today=clock.now.date(), language="en")
    assert {t.title for t in english.topics} == {"evaluation", "Model training"}
    # No bank titles the topic of answers to questions no bank has: the app names it.
    untitled = progress(store, None, today=clock.now.date(), language="zh")
    assert {(t.topic, t.title) for t in untitled.topics} == {("other", "其他")}
    assert {q.topic_title for q in untitled.questions} == {"其他"}
