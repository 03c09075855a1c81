"""A visible per-question timer that counts down to the time limit, then counts time over."""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widgets import Label


def format_clock(seconds: float) -> str:
    """``125`` -> ``2:05``."""
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Countdown(Label):
    """Time left to answer. Reads the app's injectable clock, so tests can freeze it."""

    def __init__(self, clock: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._clock = clock
        self._limit = 0.0
        self._started: float | None = None
        self._stopped_at: float | None = None
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self._timer = self.set_interval(1.0, self._tick, pause=True)

    @property
    def elapsed(self) -> float:
        """Seconds since :meth:`start` (frozen once stopped)."""
        if self._started is None:
            return 0.0
        end = self._stopped_at if self._stopped_at is not None else self._clock()
        return max(0.0, end - self._started)

    def start(self, limit_s: float) -> None:
        """Start counting down from ``limit_s`` seconds."""
        self._limit = float(limit_s)
        self._started = self._clock()
        self._stopped_at = None
        self._tick()
        if self._timer is not None:
            self._timer.resume()

    def stop(self) -> float:
        """Freeze the display and return the seconds used."""
        if self._started is not None and self._stopped_at is None:
            self._stopped_at = self._clock()
        if self._timer is not None:
            self._timer.pause()
        self._tick()
        return self.elapsed

    def _tick(self) -> None:
        if self._started is None:
            self.update("")
            return
        left = self._limit - self.elapsed
        over = left < 0
        self.set_class(over, "-over")
        self.set_class(0 <= left <= 30, "-low")
        self.set_class(self._stopped_at is not None, "-stopped")
        if over:
            self.update(f"◷ +{format_clock(-left)} over")
        else:
            self.update(f"◷ {format_clock(left)}")
