"""Alerts: named thresholds that light a lamp on the dashboard and log when they flip.

Checked on the metrics tick, not per event: an alert is a state with a start time, so the
ticker shows one line when it fires and one when it clears, never a flood.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Alert:
    name: str
    threshold: float
    active: bool = False
    since_s: float = 0.0
    value: float = 0.0


class Alerts:
    def __init__(self, cfg) -> None:
        self.items = {
            "mean_wait": Alert("mean_wait", cfg.mean_wait_s),
            "abandon_rate": Alert("abandon_rate", cfg.abandon_rate),
            "queue_len": Alert("queue_len", float(cfg.queue_len)),
            "breaker_open": Alert("breaker_open", 0.5),
        }
        self.fired = 0

    def update(self, now: float, values: dict[str, float]) -> list[Alert]:
        """Set current values; return the alerts whose state flipped."""
        flipped = []
        for name, value in values.items():
            a = self.items[name]
            a.value = value
            on = value > a.threshold
            if on != a.active:
                a.active = on
                a.since_s = now
                flipped.append(a)
                self.fired += on
        return flipped
