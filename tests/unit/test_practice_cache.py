"""The stored schedule is a cache of the history: kept up to date answer by answer, the same as
a replay of the whole history, rebuilt when the history changes (in this process or another),
and not looked at when nothing changed. Real SQLite files, hand-made grades."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating
from handmade import make_library
from hypothesis import given, settings
from hypothesis import strategies as st
from practice_helpers import START, answer, open_test_store, practice_bank

from mockint import practice
from mockint.replay import Memory, Reference, Replay, agrees
from mockint.store import open_store

DAY = timedelta(days=1)
GAPS = [0, 60, 3600, 20 * 3600, 86400, 2 * 86400, 9 * 86400, 40 * 86400, 300 * 86400]
BANK = practice_bank()
LIBRARY = make_library(BANK)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "history.db"


def _rows(store) -> dict:
    """The stored schedule, row by row (the history digest set aside)."""
    rows = {}
    with store.read() as db:
        for row in db.execute(f"SELECT * FROM {practice.TABLE}"):
            kind, item_id, *rest, card_json = row
            data = json.loads(card_json)
            data.pop("history", None)
            rows[(kind, item_id)] = (*rest, data)
    return rows


def _practise(store, days: int, seed: int = 3) -> list[int]:
    """``days`` days of answers with varied statuses, a few skips; returns the answer ids."""
    rng = random.Random(seed)
    ids = []
    for day in range(days):
        sid = store.start_session(mode="due", bank_id=BANK.id, language="en", client="test")
        for question in rng.sample(BANK.questions, 3):
            now = START + day * DAY + timedelta(minutes=rng.randint(0, 600))
            if rng.random() < 0.1:
                store.clock.now = now
                store.record_skip(store.ask(sid, BANK.id, question))
                practice.sync(store, LIBRARY)
                continue
            statuses = {kp.id: rng.choice(["hit", "partial", "miss"]) for kp in question.key_points}
            ids.append(answer(store, sid, BANK.id, question, now, statuses))
        store.end_session(sid)
    return ids


def _rebuilt(store) -> dict:
    """The schedule a replay of the whole history gives."""
    with store.transaction() as db:
        db.execute(f"DELETE FROM {practice.TABLE}")
    practice.sync(store, LIBRARY)
    return _rows(store)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(GAPS), st.sampled_from(list(Rating))), max_size=60))
def test_a_replay_gives_exactly_what_fsrs_gives(reviews):
    replay, reference = Replay(practice.SCHEDULER), Reference(practice.SCHEDULER)
    card, fast, slow = Card(card_id=7), Memory(), Memory()
    at = int(datetime(2025, 3, 1, 9, tzinfo=UTC).timestamp())
    for gap, rating in reviews:
        at += gap
        moment = datetime.fromtimestamp(at, UTC)
        card, _log = practice.SCHEDULER.review_card(card, rating, review_datetime=moment)
        replay.review(fast, int(rating), at)
        reference.review(slow, int(rating), at)
        assert fast.card(7).to_dict() == card.to_dict() == slow.card(7).to_dict()


def test_the_fast_replay_is_only_used_where_it_agrees_with_fsrs():
    from fsrs import Scheduler

    assert agrees(practice.SCHEDULER)
    assert isinstance(practice._reviewer(), Replay)
    # Learning steps and fuzz are FSRS features the replay does not do: refused, not guessed.
    assert not agrees(Scheduler())
    with pytest.raises(ValueError):
        Replay(Scheduler())


def test_answer_by_answer_updates_end_where_a_full_replay_does(path):
    store = open_test_store(path)
    _practise(store, days=40)
    kept = _rows(store)
    assert kept and kept == _rebuilt(store)


def test_one_more_answer_reviews_only_that_answer(path, monkeypatch):
    store = open_test_store(path)
    _practise(store, days=30)
    reviewed = []
    review_answers = practice._review_answers

    def counting(card, points, answers, *rest):
        reviewed.append(len(answers))
        return review_answers(card, points, answers, *rest)

    monkeypatch.setattr(practice, "_review_answers", counting)
    sid = store.start_session(mode="due", bank_id=BANK.id, language="en", client="test")
    answer(store, sid, BANK.id, BANK.question("q-norm"), START + 31 * DAY, {"scale-shift": "miss"})
    assert reviewed == [1]
    monkeypatch.setattr(practice, "_review_answers", review_answers)
    assert _rows(store) == _rebuilt(store)


def test_an_override_of_an_old_answer_replays_its_question(path):
    store = open_test_store(path)
    ids = _practise(store, days=20)
    before = _rows(store)
    store.set_override(ids[2], 5)
    assert practice.sync(store, LIBRARY) == 1
    after = _rows(store)
    assert after != before and after == _rebuilt(store)


def test_changes_made_by_another_process_are_noticed(path):
    store = open_test_store(path)
    _practise(store, days=5)
    assert practice.sync(store, LIBRARY) == 0
    states = practice.review_states(store, LIBRARY)

    # Another mockint (another connection to the file) records an answer and sets an override.
    other = open_store(path)
    sid = other.start_session(mode="due", bank_id=BANK.id, language="en", client="other")
    question = BANK.question("q-search")
    asked = other.ask(sid, BANK.id, question)
    from handmade import make_grade

    other.record_answer(asked, "late", make_grade(question, {"scale": "miss"}, bank_id=BANK.id))
    other.close()

    assert practice.sync(store, LIBRARY) == 1
    assert practice.review_states(store, LIBRARY)["q-search"].reps == (
        states["q-search"].reps + 1 if "q-search" in states else 1
    )
    assert _rows(store) == _rebuilt(store)


def test_nothing_is_read_again_while_nothing_changes(path, monkeypatch):
    store = open_test_store(path)
    _practise(store, days=3)
    practice.sync(store, LIBRARY)
    first = practice.review_states(store, LIBRARY)

    def unexpected(*args, **kwargs):
        raise AssertionError("the history was read although nothing changed")

    monkeypatch.setattr(practice, "_history", unexpected)
    monkeypatch.setattr(practice, "_load_stored", unexpected)
    assert practice.sync(store, LIBRARY) == 0
    assert practice.review_states(store, LIBRARY) == first
    practice.summary(store, LIBRARY, now=START)
    # An edited question is a change too.
    edited = [dict(q) for q in BANK.model_dump(mode="json")["questions"]]
    edited[0]["prompt"] = {"en": "Edited?"}
    with pytest.raises(AssertionError, match="nothing changed"):
        practice.sync(store, make_library(practice_bank(questions=edited)))


def test_schedules_stored_without_a_digest_are_kept_without_a_replay(path, monkeypatch):
    """A schedule written by an earlier mockint (no history digest) is taken as it is."""
    store = open_test_store(path)
    _practise(store, days=10)
    before = _rows(store)
    with store.transaction() as db:
        db.execute(f"UPDATE {practice.TABLE} SET card_json = json_remove(card_json, '$.history')")

    def unexpected(*args, **kwargs):
        raise AssertionError("replayed")

    monkeypatch.setattr(practice, "_review_answers", unexpected)
    assert practice.sync(store, LIBRARY) > 0
    assert _rows(store) == before
    with store.read() as db:
        digests = db.execute(
            f"SELECT count(*) FROM {practice.TABLE} WHERE kind = 'question' "
            "AND json_extract(card_json, '$.history') IS NOT NULL"
        ).fetchone()[0]
    assert digests == len({q for kind, q in before if kind == "question"})
