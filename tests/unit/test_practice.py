"""Adaptive practice over a real Store in a temp SQLite file, with an injected clock."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
from fsrs import Rating
from handmade import make_grade, make_library
from practice_helpers import START, answer, open_test_store, practice_bank

from mockint import practice

DAY = timedelta(days=1)


@pytest.fixture
def store(tmp_path):
    return open_test_store(tmp_path / "history.db")


@pytest.fixture
def bank():
    return practice_bank()


@pytest.fixture
def library(bank):
    return make_library(bank)


def _practise_all(store, bank, statuses_for, now):
    """One session answering every question of the bank (the first day of practice)."""
    sid = store.start_session(mode="new", bank_id=bank.id, language="en", client="test")
    for question in bank.questions:
        answer(store, sid, bank.id, question, now, statuses_for(question.id))
    store.end_session(sid)


def test_score_to_rating_follows_the_verdict_bands():
    assert practice.rating_for_score(100) == Rating.Easy
    assert practice.rating_for_score(85) == Rating.Easy
    assert practice.rating_for_score(84.9) == Rating.Good
    assert practice.rating_for_score(65) == Rating.Good
    assert practice.rating_for_score(64) == Rating.Hard
    assert practice.rating_for_score(40) == Rating.Hard
    assert practice.rating_for_score(39) == Rating.Again
    assert practice.rating_for_score(0) == Rating.Again
    # A missed key point keeps an excellent score from counting as easy...
    assert practice.rating_for_score(90, missed_points=1) == Rating.Good
    # ...unless the candidate overrode the score: the override wins.
    assert practice.rating_for_score(90, missed_points=1, overridden=True) == Rating.Easy
    assert [practice.rating_for_status(s) for s in ("hit", "partial", "miss")] == [
        Rating.Good,
        Rating.Hard,
        Rating.Again,
    ]


def test_a_month_of_daily_practice_brings_the_always_missed_point_to_the_front(
    store, bank, library
):
    """The scripted candidate answers whatever is due every day and always misses one point of
    q-metrics; that question is asked far more often, and first far more often, than any other."""
    weak_question = "q-metrics"

    def statuses_for(qid):
        return {"precision": "miss"} if qid == weak_question else {}

    _practise_all(store, bank, statuses_for, START)
    asked, first = Counter(), Counter()
    for day in range(1, 31):
        now = START + day * DAY
        due = practice.select_questions(store, library, "due", 10, now=now)
        if not due:
            continue
        first[due[0].question_id] += 1
        sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
        for selection in due:
            asked[selection.question_id] += 1
            question = bank.question(selection.question_id)
            answer(store, sid, bank.id, question, now, statuses_for(question.id))
        store.end_session(sid)

    others = [qid for qid in (q.id for q in bank.questions) if qid != weak_question]
    assert asked[weak_question] >= 25, asked
    assert asked[weak_question] > 3 * max(asked[qid] for qid in others), asked
    assert first[weak_question] > max(first[qid] for qid in others), first
    # Every other question was seen again during the month, just less often.
    assert all(asked[qid] >= 1 for qid in others), asked

    state = practice.review_states(store, library)[weak_question]
    assert state.missed_points == ["precision"]
    assert state.weak_points == ["precision"]
    weak = practice.select_questions(store, library, "weak", 3, now=START + 31 * DAY)
    assert [s.question_id for s in weak] == [weak_question]
    assert "precision: missed 5 of the last 5 answers" in weak[0].reason


def test_a_perfectly_answered_question_moves_to_longer_and_longer_intervals(store, bank):
    question = bank.question("q-norm")
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    now, intervals = START, []
    for _ in range(5):
        state = practice.update_after_grade(
            store, bank.id, question, _record(store, sid, bank, question), now=now
        )
        assert state.last_rating == "easy"
        assert state.due_at > now
        intervals.append(state.interval_days)
        now = state.due_at  # answered perfectly on the day it comes due
    assert intervals == sorted(intervals) and len(set(intervals)) == len(intervals), intervals
    assert intervals[0] >= 2
    assert intervals[-1] == practice.MAX_INTERVAL_DAYS  # capped: never put away for good


def _record(store, sid, bank, question, statuses=None, score=None):
    asked_id = store.ask(sid, bank.id, question)
    return store.record_answer(
        asked_id, "an answer", make_grade(question, statuses, bank_id=bank.id, score=score)
    )


def test_a_missed_point_brings_the_question_back_the_next_day(store, bank):
    question = bank.question("q-bias")
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    answer_id = _record(store, sid, bank, question, {"tradeoff": "miss"})
    state = practice.update_after_grade(store, bank.id, question, answer_id, now=START)
    # 67 is a good score, but the missed point is due tomorrow, and with it the question.
    assert state.last_rating == "good"
    assert state.missed_points == ["tradeoff"]
    assert state.due_at == START + DAY
    rows = {
        r["item_id"]: r for r in store.db["review_state"].rows_where("question_id = ?", ["q-bias"])
    }
    assert set(rows) == {"q-bias", "q-bias/underfit", "q-bias/overfit", "q-bias/tradeoff"}
    assert rows["q-bias/tradeoff"]["lapses"] == 1
    assert rows["q-bias/underfit"]["lapses"] == 0
    assert rows["q-bias"]["due_at"] == rows["q-bias/tradeoff"]["due_at"]


def test_a_changed_question_starts_fresh_and_the_history_keeps_old_answers(store, bank, library):
    sid = store.start_session(mode="new", bank_id=bank.id, language="en", client="test")
    for day in range(3):
        answer(store, sid, bank.id, bank.question("q-lr"), START + day * DAY, {"warmup": "miss"})
    assert practice.review_states(store, library)["q-lr"].reps == 3

    edited = [dict(q) for q in practice_bank().model_dump(mode="json")["questions"]]
    for q in edited:
        if q["id"] == "q-lr":
            q["prompt"] = {"en": "How do you choose and schedule the learning rate?"}
    new_bank = practice_bank(questions=edited)
    new_library = make_library(new_bank)
    assert new_bank.question("q-lr").content_hash() != bank.question("q-lr").content_hash()

    now = START + 5 * DAY
    assert "q-lr" not in practice.review_states(store, new_library)
    new = practice.select_questions(store, new_library, "new", 10, now=now)
    assert [s.question_id for s in new if s.question_id == "q-lr"] == ["q-lr"]
    assert "q-lr" not in [
        s.question_id for s in practice.select_questions(store, new_library, "due", 10, now=now)
    ]
    assert len(store.answers(session_id=sid)) == 3  # the old answers are still history

    answer(store, sid, new_bank.id, new_bank.question("q-lr"), now)
    state = practice.review_states(store, new_library)["q-lr"]
    assert state.reps == 1 and state.lapses == 0 and state.scores == [100.0]


def test_due_mode_lists_due_questions_most_overdue_first(store, bank, library):
    sid = store.start_session(mode="new", bank_id=bank.id, language="en", client="test")
    # q-norm all missed 5 days ago, q-bias all missed 3 days ago: both due (overdue).
    answer(
        store,
        sid,
        bank.id,
        bank.question("q-bias"),
        START - 3 * DAY,
        {"underfit": "miss", "overfit": "miss", "tradeoff": "miss"},
    )
    answer(
        store,
        sid,
        bank.id,
        bank.question("q-norm"),
        START - 5 * DAY,
        {"normalizes": "miss", "scale-shift": "miss", "running-stats": "miss"},
    )
    answer(store, sid, bank.id, bank.question("q-metrics"), START)  # perfect today: not due
    due = practice.select_questions(store, library, "due", 10, now=START)
    assert [s.question_id for s in due] == ["q-norm", "q-bias"]
    assert due[0].overdue_days == 4 and due[1].overdue_days == 2
    assert due[0].last_score == 0
    assert due[0].missed_points == ["normalizes", "scale-shift", "running-stats"]
    assert "4 days overdue" in due[0].reason and "last score 0 (again)" in due[0].reason
    assert all(s.mode == "due" for s in due)
    assert practice.select_questions(store, library, "due", 1, now=START)[0].question_id == "q-norm"


def test_weak_mode_ranks_most_missed_points_and_lowest_scores_first(store, bank, library):
    sid = store.start_session(mode="new", bank_id=bank.id, language="en", client="test")
    for day in range(3):
        now = START + day * DAY
        answer(
            store,
            sid,
            bank.id,
            bank.question("q-search"),
            now,
            {"ann-index": "miss", "scale": "miss"},
        )
        answer(store, sid, bank.id, bank.question("q-norm"), now, {"running-stats": "partial"})
        answer(store, sid, bank.id, bank.question("q-bias"), now)  # always perfect
    weak = practice.select_questions(store, library, "weak", 10, now=START + 3 * DAY)
    assert [s.question_id for s in weak] == ["q-search", "q-norm"]
    assert weak[0].weak_points == ["ann-index", "scale"]
    assert weak[0].weakness > weak[1].weakness
    assert "ann-index: missed 3 of the last 3 answers" in weak[0].reason
    assert "running-stats: partly covered 3 of the last 3 answers" in weak[1].reason
    # Recent scores count too: a low override with every point "hit" is still a weak spot.
    answer_id = answer(store, sid, bank.id, bank.question("q-lr"), START, score=100)
    store.set_override(answer_id, 20)
    weak = practice.select_questions(store, library, "weak", 10, now=START + 3 * DAY)
    assert "q-lr" in [s.question_id for s in weak]
    # The override rates every point "again", but the grader covered them all: the reason
    # names the candidate's own rating, never a point "missed last time".
    (lr,) = [s for s in weak if s.question_id == "q-lr"]
    assert lr.reason == "you rated your last answer 20; recent scores 20"


def test_new_mode_lists_never_answered_questions_in_bank_order(store, bank, library):
    second = practice_bank(
        "second-bank",
        [
            {**q, "id": q["id"] + "-2"}
            for q in practice_bank().model_dump(mode="json")["questions"][:2]
        ],
    )
    library = make_library(bank, second)
    sid = store.start_session(mode="new", bank_id=bank.id, language="en", client="test")
    answer(store, sid, bank.id, bank.question("q-bias"), START)
    new = practice.select_questions(store, library, "new", 20, now=START)
    assert [s.question_id for s in new] == [
        "q-norm",
        "q-metrics",
        "q-search",
        "q-lr",
        "q-backprop",
        "q-norm-2",
        "q-bias-2",
    ]
    assert all(s.reason == "never asked" and s.due_at is None for s in new)
    only_second = practice.select_questions(store, library, "new", 20, "second-bank", now=START)
    assert [s.question_id for s in only_second] == ["q-norm-2", "q-bias-2"]
    assert [
        s.question_id for s in practice.select_questions(store, library, "new", 2, now=START)
    ] == ["q-norm", "q-metrics"]


def test_mock_mode_mixes_topics_and_avoids_the_last_session(store, bank, library):
    last = store.start_session(mode="mock", bank_id=bank.id, language="en", client="test")
    answer(store, last, bank.id, bank.question("q-norm"), START - DAY)
    answer(store, last, bank.id, bank.question("q-bias"), START - DAY)
    store.end_session(last)

    mock = practice.select_questions(store, library, "mock", 4, now=START)
    ids = [s.question_id for s in mock]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert not {"q-norm", "q-bias"} & set(ids)
    # Four questions, four topics: the interview covers the ground.
    assert len({s.topic for s in mock}) == 4
    # Warm up first: easy, then medium, then hard.
    ranks = [{"easy": 0, "medium": 1, "hard": 2}[s.difficulty] for s in mock]
    assert ranks == sorted(ranks)
    assert all(s.mode == "mock" and s.reason.startswith(f"topic {s.topic}: ") for s in mock)

    # Asking for more than the others leaves fills in from the last session, and says so.
    everything = practice.select_questions(store, library, "mock", 10, now=START)
    assert sorted(s.question_id for s in everything) == sorted(q.id for q in bank.questions)
    refills = [s for s in everything if s.question_id in {"q-norm", "q-bias"}]
    assert all("also asked last session" in s.reason for s in refills)


def test_mock_mode_prefers_due_questions_within_a_topic(store, bank, library):
    first = store.start_session(mode="mock", bank_id=bank.id, language="en", client="test")
    for question in bank.questions:
        statuses = {"warmup": "miss"} if question.id == "q-lr" else None
        answer(store, first, bank.id, question, START - 10 * DAY, statuses)
    store.end_session(first)
    other = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    answer(store, other, bank.id, bank.question("q-search"), START - DAY)
    answer(store, other, bank.id, bank.question("q-norm"), START - DAY)
    # Every question was asked once, q-search and q-norm again since: the other four are this
    # round's. q-lr (training, overdue) is the training question, not q-norm (asked yesterday).
    mock = practice.select_questions(store, library, "mock", 3, now=START)
    assert sorted(s.topic for s in mock) == ["evaluation", "fundamentals", "training"]
    training = [s for s in mock if s.topic == "training"]
    assert [s.question_id for s in training] == ["q-lr"]
    assert "days overdue" in training[0].reason


def test_mock_interviews_go_through_the_bank_before_repeating(store, bank, library):
    """Weak answers make every asked question due the next day; mock interviews still ask the
    questions not asked yet first, then the ones asked longest ago."""
    weak = {kp: "miss" for q in bank.questions for kp in ("normalizes", "underfit", "confusion")}
    sessions, reasons = [], []
    for day in range(6):
        now = START + day * DAY
        chosen = practice.select_questions(store, library, "mock", 2, now=now)
        sid = store.start_session(mode="mock", bank_id=bank.id, language="en", client="test")
        for selection in chosen:
            question = bank.question(selection.question_id)
            answer(store, sid, bank.id, question, now, weak, score=20)
        store.end_session(sid)
        sessions.append({s.question_id for s in chosen})
        reasons.append([s.reason for s in chosen])
    assert all(len(asked) == 2 for asked in sessions)
    # Three sessions of two questions: the whole six-question bank, nothing twice.
    assert set().union(*sessions[:3]) == {q.id for q in bank.questions}
    # Then a new round, in the same order: the questions asked longest ago come first.
    assert sessions[3:] == sessions[:3]
    assert not any("ago" in r for r in reasons[0] + reasons[1] + reasons[2])
    # Three questions when only two were not asked this round: the third is the one asked
    # longest ago, and the reason says so.
    three = practice.select_questions(store, library, "mock", 3, now=START + 6 * DAY)
    assert {s.question_id for s in three} > sessions[3]
    (repeat,) = [s for s in three if s.question_id not in sessions[3]]
    assert repeat.question_id in sessions[4]
    assert "asked 2 sessions ago" in repeat.reason


def test_the_override_wins_even_when_set_after_the_review(store, bank, library):
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    question = bank.question("q-backprop")
    answer_id = answer(
        store,
        sid,
        bank.id,
        question,
        START,
        {"chain-rule": "miss", "gradients": "miss", "cache": "miss"},
    )
    assert practice.review_states(store, library)["q-backprop"].due_at == START + DAY

    store.set_override(answer_id, 95)  # "I did explain the chain rule"
    due = practice.select_questions(store, library, "due", 10, now=START + DAY)
    assert "q-backprop" not in [s.question_id for s in due]
    state = practice.review_states(store, library)["q-backprop"]
    assert state.last_score == 95 and state.last_rating == "easy"
    assert state.missed_points == []
    assert state.last_review == START  # the review keeps its original time
    assert state.due_at >= START + 8 * DAY


def test_follow_ups_repeats_and_deleted_sessions(store, bank, library):
    question = bank.question("q-metrics")
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    asked_id = store.ask(sid, bank.id, question)
    main_id = store.record_answer(
        asked_id, "main", make_grade(question, {"roc": "miss"}, bank_id=bank.id)
    )
    state = practice.update_after_grade(store, bank.id, question, main_id, now=START)
    assert state.missed_points == ["roc"] and state.weak_points == ["roc"]
    # A follow-up is not a review of the question, but the point it covered counts for the
    # answer it followed up on (as on the progress screen); a repeated call changes nothing.
    follow_id = store.record_answer(
        asked_id, "follow-up", make_grade(question, bank_id=bank.id), kind="follow_up"
    )
    practice.update_after_grade(store, bank.id, question, follow_id, now=START + DAY)
    state = practice.update_after_grade(store, bank.id, question, main_id, now=START + DAY)
    assert state.reps == 1 and state.last_review == START
    assert state.missed_points == [] and state.weak_points == []

    store.delete_session(sid)
    assert practice.sync(store, library) == 1
    assert "q-metrics" not in practice.review_states(store, library)
    assert store.db["review_state"].count == 0


@pytest.mark.parametrize("follow_up", ["hit", "partial", "miss"])
@pytest.mark.parametrize("scheduled_first", [True, False])
def test_a_point_covered_in_a_follow_up_is_not_a_weak_spot(
    store, bank, library, follow_up, scheduled_first
):
    """As on the progress screen: each key point's best over the answer and its follow-up,
    whether the follow-up comes after the answer was scheduled (a sync catches up, with no
    update for the follow-up) or before its first schedule."""
    question = bank.question("q-metrics")
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    store.clock.now = START
    asked_id = store.ask(sid, bank.id, question)
    main = make_grade(question, {"roc": "miss"}, bank_id=bank.id, score=90)
    main_id = store.record_answer(asked_id, "main", main)
    if scheduled_first:
        practice.update_after_grade(store, bank.id, question, main_id, now=START)
        assert practice.review_states(store, library)["q-metrics"].missed_points == ["roc"]
    # Graded on the point it asked about: one key point row, as the grader stores it.
    grade = make_grade(question, {"roc": follow_up}, bank_id=bank.id)
    grade.key_points = [kp for kp in grade.key_points if kp.id == "roc"]
    store.record_answer(asked_id, "follow-up", grade, kind="follow_up")

    assert practice.sync(store, library) == 1
    state = practice.review_states(store, library)["q-metrics"]
    assert state.reps == 1 and state.last_review == START
    # The question's own rating stays capped by the answer's miss: the interviewer had to ask.
    assert state.last_rating == "good"
    assert state.missed_points == (["roc"] if follow_up == "miss" else [])
    assert state.partial_points == (["roc"] if follow_up == "partial" else [])
    assert state.weak_points == ([] if follow_up == "hit" else ["roc"])
    assert practice.sync(store, library) == 0  # nothing left to do


def test_answers_recorded_without_an_update_are_caught_up(store, bank, library):
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    answer(store, sid, bank.id, bank.question("q-search"), START, update=False)
    assert practice.review_states(store, library) == {}
    summary = practice.summary(store, library)  # syncs: replays the answer at its recorded time
    assert summary.new == len(bank.questions) - 1
    state = practice.review_states(store, library)["q-search"]
    assert state.reps == 1 and state.last_rating == "easy"
    assert state.last_review == START  # the time the store recorded the answer
    assert practice.sync(store, library) == 0  # nothing left to do


def test_a_skipped_question_counts_as_forgotten(store, bank, library):
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    answer(store, sid, bank.id, bank.question("q-lr"), START - 20 * DAY)
    store.clock.now = START
    store.record_skip(store.ask(sid, bank.id, bank.question("q-lr")))
    due = practice.select_questions(store, library, "due", 5, now=START + DAY)
    assert [s.question_id for s in due] == ["q-lr"]
    assert due[0].last_score == 0 and due[0].lapses == 1
    assert "skipped last time" in due[0].reason


def test_summary_counts_and_next_due(store, bank, library):
    sid = store.start_session(mode="new", bank_id=bank.id, language="en", client="test")
    answer(store, sid, bank.id, bank.question("q-norm"), START, {"scale-shift": "miss"})
    answer(store, sid, bank.id, bank.question("q-bias"), START)
    today = practice.summary(store, library, now=START)
    assert (today.total, today.due, today.new, today.weak) == (6, 0, 4, 1)
    assert today.next_due_question == "q-norm" and today.next_due_at == START + DAY
    tomorrow = practice.summary(store, library, now=START + DAY)
    assert tomorrow.due == 1 and tomorrow.next_due_question == "q-bias"


def test_review_state_table_is_created_once_and_unknown_modes_are_refused(store, library):
    practice.ensure_table(store)
    practice.ensure_table(store)
    assert "review_state" in store.db.table_names()
    with pytest.raises(ValueError, match="unknown mode"):
        practice.select_questions(store, library, "random", 3)
    with pytest.raises(ValueError, match="unknown bank"):
        practice.select_questions(store, library, "due", 3, bank_id="nope")


def test_practice_never_imports_textual():
    code = "import sys, mockint.practice; assert 'textual' not in sys.modules, 'textual imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_safe_to_call_from_worker_threads_sharing_the_store(store, bank, library):
    """The TUI schedules in one worker while another reads: the store's one connection is
    shared, so practice must hold the store's lock (no "transaction within a transaction")."""
    import threading

    errors: list[BaseException] = []

    def read():
        try:
            for _ in range(20):
                practice.summary(store, library, now=START)
                practice.select_questions(store, library, "mock", 3, now=START)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    for day in range(4):
        for question in bank.questions:
            answer(store, sid, bank.id, question, START + day * DAY, {"scale-shift": "miss"})
    reader.join()
    assert errors == []
    assert practice.summary(store, library, now=START).new == 0


def test_a_real_grade_schedules_what_the_grader_found(tmp_path, grader):
    """End to end with the real grader: the points it marks missed are the ones the review
    state reports, and the rating follows the documented mapping."""
    from mockint.locations import builtin_rubrics_dir
    from mockint.rubric import load_library

    library = load_library([builtin_rubrics_dir()])
    bank, question = library.find_question("batch-norm")
    store = open_test_store(tmp_path / "history.db")
    sid = store.start_session(mode="due", bank_id=bank.id, language="en", client="test")
    text = "Batch norm normalizes the activations of each layer over the mini-batch."
    grade = grader.grade(question, text, bank_id=bank.id)
    answer_id = store.record_answer(store.ask(sid, bank.id, question), text, grade)
    state = practice.update_after_grade(store, bank.id, question, answer_id, now=START)

    missed = [kp.id for kp in grade.key_points if kp.status == "miss"]
    assert missed, "an answer this short must miss something"
    assert state.missed_points == missed
    assert state.last_score == round(grade.score, 2)
    assert state.last_rating == practice.rating_for_score(grade.score, len(missed)).name.lower()
    assert state.due_at == START + DAY  # a missed point comes back tomorrow
    assert practice.select_questions(store, library, "due", 5, now=START + DAY)[0].question_id == (
        "batch-norm"
    )
