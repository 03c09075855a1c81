"""FSRS reviews replayed on plain numbers, for rebuilding long schedules quickly.

Rebuilding the practice schedule replays every answer through FSRS: one card per question and one
per key point, some 240,000 reviews for a history of 50,000 answers. ``Scheduler.review_card``
copies the card and computes in datetimes, about 8 µs a review; :class:`Replay` does the same
arithmetic on floats and whole seconds, about 1 µs, for the scheduler mockint uses (no learning or
relearning steps, no fuzz: every review of a reviewed card is a Review-state review).

Each formula is the ``fsrs`` package's own, term for term and in its order of operations, so the
results are the same floats; the parts that depend only on the rating or the parameters are
computed once, with the package's own methods. :func:`agrees` checks a replay against
``review_card`` on varied reviews, and :mod:`mockint.practice` uses ``review_card`` instead
whenever it does not agree (another ``fsrs`` version, another scheduler). Never imports Textual.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

DAY_S = 86400


@dataclass(slots=True)
class Memory:
    """One card's FSRS state; times are whole seconds since the epoch (None: never reviewed)."""

    stability: float | None = None
    difficulty: float | None = None
    last: int | None = None
    due: int | None = None

    @classmethod
    def of(cls, card: Card) -> Memory:
        if card.stability is None or card.last_review is None:
            return cls()
        return cls(
            card.stability,
            card.difficulty,
            int(card.last_review.timestamp()),
            int(card.due.timestamp()),
        )

    def card(self, card_id: int) -> Card:
        """The ``fsrs.Card`` in this state (a new card before the first review)."""
        if self.last is None:
            return Card(card_id=card_id)
        return Card(
            card_id=card_id,
            state=State.Review,
            step=None,
            stability=self.stability,
            difficulty=self.difficulty,
            due=datetime.fromtimestamp(self.due, UTC),
            last_review=datetime.fromtimestamp(self.last, UTC),
        )


class _Reviewer:
    def run(self, memory: Memory, ratings: Sequence[int], times: Sequence[int]) -> None:
        raise NotImplementedError

    def review(self, memory: Memory, rating: int, at: int) -> None:
        """Review ``memory`` with ``rating`` (1-4) at ``at`` (seconds), in place."""
        self.run(memory, (rating,), (at,))


class Replay(_Reviewer):
    """``Scheduler.review_card`` for one scheduler, on :class:`Memory` states."""

    def __init__(self, scheduler: Scheduler):
        if scheduler.learning_steps or scheduler.relearning_steps or scheduler.enable_fuzzing:
            raise ValueError("only schedulers without steps or fuzz can be replayed")
        s, w = scheduler, scheduler.parameters
        ratings = list(Rating)
        self._maximum = s.maximum_interval
        self._factor, self._decay = s._FACTOR, s._DECAY
        self._initial = {int(r): s._initial_stability(rating=r) for r in ratings}
        self._initial_d = {int(r): s._initial_difficulty(rating=r, clamp=True) for r in ratings}
        # _next_interval: round((stability / FACTOR) * this), clamped.
        self._retention = (s.desired_retention ** (1 / s._DECAY)) - 1
        # _short_term_stability: this * stability ** -w[19].
        self._short = {int(r): math.e ** (w[17] * (r - 3 + w[18])) for r in ratings}
        self._w19 = w[19]
        # _next_difficulty: mean reversion towards the initial difficulty of Easy.
        self._easy_d = s._initial_difficulty(rating=Rating.Easy, clamp=False)
        self._delta = {int(r): -(w[6] * (r - 3)) for r in ratings}
        self._w7 = w[7]
        # _next_forget_stability and _next_recall_stability.
        self._w11, self._w12, self._w13, self._w14 = w[11], w[12], w[13], w[14]
        self._forget_short = math.e ** (w[17] * w[18])
        self._e8, self._w9, self._w10 = math.e ** (w[8]), w[9], w[10]
        self._hard, self._easy = w[15], w[16]

    def run(self, memory: Memory, ratings: Sequence[int], times: Sequence[int]) -> None:
        """Review ``memory`` with each rating at its time (seconds, in order), in place.

        One loop over local names: this is where a rebuild spends its time.
        """
        factor, decay, retention, maximum = (
            self._factor,
            self._decay,
            self._retention,
            self._maximum,
        )
        short, w19, delta, easy_d, w7 = self._short, self._w19, self._delta, self._easy_d, self._w7
        w11, w12, w13, w14, forget = self._w11, self._w12, self._w13, self._w14, self._forget_short
        e8, w9, w10, hard, easy, e = self._e8, self._w9, self._w10, self._hard, self._easy, math.e
        stability, difficulty, last = memory.stability, memory.difficulty, memory.last
        due = memory.due
        # Conditionals rather than min() and max(): the same values, in half the time.
        for rating, at in zip(ratings, times, strict=True):
            if stability is None:
                stability = self._initial[rating]
                difficulty = self._initial_d[rating]
            else:
                if at < last:  # reviews replayed out of order would confuse FSRS
                    at = last
                days = (at - last) // DAY_S
                if days < 1:
                    increase = short[rating] * (stability**-w19)
                    if rating > 1 and increase < 1.0:
                        increase = 1.0
                    stability = stability * increase
                else:
                    r = (1 + factor * days / stability) ** decay
                    if rating == 1:
                        long_term = (
                            w11 * (difficulty**-w12) * (((stability + 1) ** (w13)) - 1)
                        ) * (e ** ((1 - r) * w14))
                        short_term = stability / forget
                        stability = short_term if short_term < long_term else long_term
                    else:
                        growth = (
                            e8 * (11 - difficulty) * (stability**-w9) * ((e ** ((1 - r) * w10)) - 1)
                        )
                        if rating == 2:
                            growth *= hard
                        elif rating == 4:
                            growth *= easy
                        stability = stability * (1 + growth)
                if stability < 0.001:
                    stability = 0.001
                damped = difficulty + (10.0 - difficulty) * delta[rating] / 9.0
                difficulty = w7 * easy_d + (1 - w7) * damped
                if difficulty < 1.0:
                    difficulty = 1.0
                elif difficulty > 10.0:
                    difficulty = 10.0
            interval = round((stability / factor) * retention)
            if interval < 1:
                interval = 1
            elif interval > maximum:
                interval = maximum
            last, due = at, at + interval * DAY_S
        memory.stability, memory.difficulty, memory.last, memory.due = (
            stability,
            difficulty,
            last,
            due,
        )


class Reference(_Reviewer):
    """``Scheduler.review_card`` itself behind :class:`Replay`'s interface (the slow, sure way)."""

    def __init__(self, scheduler: Scheduler):
        self._scheduler = scheduler

    def run(self, memory: Memory, ratings: Sequence[int], times: Sequence[int]) -> None:
        card = memory.card(0)
        for rating, at in zip(ratings, times, strict=True):
            moment = datetime.fromtimestamp(max(at, memory.last or at), UTC)
            card, _log = self._scheduler.review_card(card, Rating(rating), review_datetime=moment)
            reviewed = Memory.of(card)
            memory.stability, memory.difficulty = reviewed.stability, reviewed.difficulty
            memory.last, memory.due = reviewed.last, reviewed.due


def agrees(scheduler: Scheduler, reviews: int = 400, seed: int = 15) -> bool:
    """Whether :class:`Replay` gives exactly what ``review_card`` gives, on reviews minutes to
    months apart with every rating."""
    try:
        replay = Replay(scheduler)
    except ValueError:
        return False
    rng = random.Random(seed)
    at = int(datetime(2025, 1, 1, 9, tzinfo=UTC).timestamp())
    card, memory = Card(card_id=1), Memory()
    for _ in range(reviews):
        at += rng.choice(
            [60, 3600, 20 * 3600, DAY_S, 3 * DAY_S, 11 * DAY_S, 90 * DAY_S, 400 * DAY_S]
        )
        rating = rng.choice(list(Rating))
        card, _log = scheduler.review_card(
            card, rating, review_datetime=datetime.fromtimestamp(at, UTC)
        )
        replay.review(memory, int(rating), at)
        if card.to_dict() != memory.card(1).to_dict():
            return False
    return True
