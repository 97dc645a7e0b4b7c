"""The greeter at the door: a token bucket (R per minute, burst B) and a lobby cap.

The lobby is checked first so a full lobby does not burn a token; both refusals are counted
by reason (``lobby_full``, ``rate_limited``).
"""

from __future__ import annotations


class Door:
    __slots__ = ("enabled", "rate_per_s", "burst", "lobby_max", "tokens", "last_s")

    def __init__(self, enabled: bool, admit_per_min: float, burst: int, lobby_max: int) -> None:
        self.enabled = enabled
        self.rate_per_s = admit_per_min / 60.0
        self.burst = float(burst)
        self.lobby_max = lobby_max
        self.tokens = float(burst)
        self.last_s = 0.0

    def admit(self, now: float, waiting_orders: int) -> str | None:
        """``None`` to admit, else the reason for turning the person away."""
        if not self.enabled:
            return None
        if waiting_orders >= self.lobby_max:
            return "lobby_full"
        tokens = self.tokens + (now - self.last_s) * self.rate_per_s
        self.tokens = tokens if tokens < self.burst else self.burst
        self.last_s = now
        if self.tokens < 1.0:
            return "rate_limited"
        self.tokens -= 1.0
        return None
