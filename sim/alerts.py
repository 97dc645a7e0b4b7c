"""Alerts: named thresholds that light a lamp on the dashboard and log when they flip.

Checked on the metrics tick, not per event: an alert is a state with a start time, so the
ticker shows one line when it fires and one when it clears, never a flood.  The alerts are
a table (:data:`ALERT_KINDS`): each reads one figure of the metrics tick and compares it
with a scenario threshold.  The wait alert reads the live p95 wait against the service
target (``service.target_wait_s``): the statistic the KPI strip judges, so the lamp and the
strip never tell two stories.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: alert name -> (the metrics-tick reading it compares, its threshold from the scenario)
ALERT_KINDS: dict[str, tuple[str, Callable[[object], float]]] = {
    "wait_p95": ("wait_p95_s", lambda sc: sc.service.target_wait_s),
    "abandon_rate": ("abandon_rate", lambda sc: sc.alerts.abandon_rate),
    "queue_len": ("queue_len", lambda sc: float(sc.alerts.queue_len)),
    "breaker_open": ("breaker_open", lambda sc: 0.5),
}


@dataclass(slots=True)
class Alert:
    name: str
    threshold: float
    reading: str = ""
    active: bool = False
    since_s: float = 0.0
    value: float = 0.0


class Alerts:
    def __init__(self, scenario) -> None:
        self.items = {name: Alert(name, threshold(scenario), reading)
                      for name, (reading, threshold) in ALERT_KINDS.items()}
        self.fired = 0

    def update(self, now: float, readings: dict[str, float]) -> list[Alert]:
        """Compare this tick's readings with the thresholds; return the alerts that flipped."""
        flipped = []
        for a in self.items.values():
            value = readings[a.reading]
            a.value = value
            on = value > a.threshold
            if on != a.active:
                a.active = on
                a.since_s = now
                flipped.append(a)
                self.fired += on
        return flipped
