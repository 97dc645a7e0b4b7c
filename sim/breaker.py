"""The upstream circuit breaker of one model: closed, open, half-open.

When the failure ratio over the last ``window_calls`` outcomes (at least ``min_calls``) passes
``failure_ratio``, River stops dispatching to that model for ``cooldown_s``; then one probe
call is let through (half-open): success closes the breaker, failure opens it again.  This is
the classic shape (Nygard's *Release It!*, resilience4j's count-based window).
"""

from __future__ import annotations

from collections import deque

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    __slots__ = ("enabled", "window", "min_calls", "ratio", "cooldown_s", "state", "since_s",
                 "open_until_s", "down_since_s", "outcomes", "failures", "probing", "trips")

    def __init__(self, cfg) -> None:
        self.enabled = cfg.enabled
        self.window = cfg.window_calls
        self.min_calls = cfg.min_calls
        self.ratio = cfg.failure_ratio
        self.cooldown_s = cfg.cooldown_s
        self.state = CLOSED
        self.since_s = 0.0
        self.open_until_s = 0.0
        self.down_since_s = 0.0   # when it last left closed (how long the model is down)
        self.outcomes: deque[bool] = deque()
        self.failures = 0
        self.probing = False
        self.trips = 0

    def allows(self) -> bool:
        """May a call start now?  (Half-open lets exactly one probe through.)"""
        state = self.state
        if state == CLOSED:
            return True
        return state == HALF_OPEN and not self.probing

    def on_start(self) -> bool:
        """A call starts; True if it is the half-open probe."""
        if self.state == HALF_OPEN:
            self.probing = True
            return True
        return False

    def on_cancel(self, probe: bool) -> None:
        """A call was cancelled before it answered.  If it was the half-open probe, give
        the probe up so the next call can probe: an unanswered probe must not keep the
        model half-open for ever."""
        if probe and self.state == HALF_OPEN:
            self.probing = False

    def half_open(self, now: float) -> bool:
        """Cool-down over: move to half-open.  False if it was not open."""
        if self.state != OPEN:
            return False
        self.state = HALF_OPEN
        self.since_s = now
        self.probing = False
        return True

    def record(self, ok: bool, now: float) -> str | None:
        """Count an outcome; return the new state if it changed."""
        if not self.enabled:
            return None
        if self.state == HALF_OPEN:
            self.probing = False
            if ok:
                self._reset(CLOSED, now)
                return CLOSED
            return self._trip(now)
        if self.state == OPEN:
            return None  # a late answer from a call started before the trip
        out = self.outcomes
        out.append(ok)
        if not ok:
            self.failures += 1
        if len(out) > self.window and not out.popleft():
            self.failures -= 1
        if len(out) >= self.min_calls and self.failures > self.ratio * len(out):
            return self._trip(now)
        return None

    def _trip(self, now: float) -> str:
        if self.state == CLOSED:
            self.down_since_s = now
        self._reset(OPEN, now)
        self.open_until_s = now + self.cooldown_s
        self.trips += 1
        return OPEN

    def _reset(self, state: str, now: float) -> None:
        self.state = state
        self.since_s = now
        self.outcomes.clear()
        self.failures = 0
