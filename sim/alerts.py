"""Alerts: named thresholds that light a lamp on the dashboard and log when they flip.

Checked on the metrics tick, not per event: an alert is a state with a start time, so the
ticker shows one line when it fires and one when it clears, never a flood.  The alerts are
a table (:data:`ALERT_KINDS`): each reads one figure of the metrics tick and compares it
with a scenario threshold.  The wait alert reads the live p95 wait -- orders that started
and orders that gave up, with the time they had waited -- against the service target
(``service.target_wait_s``): the strip's wait p95 (:mod:`sim.kpi`), so the lamp and the strip
never tell two stories; ``sim.kpi.CONTRADICTED_BY`` says which lamps hold which tile back
from green.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Tick:
    """What the metrics tick hands the alerts: the live figures they may compare."""

    wait: dict[str, float]      # live wait quantiles over metrics.window_s, gave-ups included
    abandon_rate: float         # left at the breaker / admitted, over the same window
    waiting: int                # orders in every lane
    circuits: tuple[str, ...]   # each model's circuit-breaker state


#: alert name -> (its reading of the tick, its threshold from the scenario).  Adding an
#: alert: a row here, its threshold key in sim/schema.py, its lamp label in render/i18n.py.
ALERT_KINDS: dict[str, tuple[Callable[[Tick], float], Callable[[Any], float]]] = {
    "wait_p95": (lambda t: t.wait["p95"], lambda sc: sc.service.target_wait_s),
    "abandon_rate": (lambda t: t.abandon_rate, lambda sc: sc.alerts.abandon_rate),
    "queue_len": (lambda t: float(t.waiting), lambda sc: float(sc.alerts.queue_len)),
    "breaker_open": (lambda t: float("open" in t.circuits), lambda sc: 0.5),
}


@dataclass(slots=True)
class Alert:
    name: str
    threshold: float
    active: bool = False
    since_s: float = 0.0
    value: float = 0.0


class Alerts:
    def __init__(self, scenario) -> None:
        self.items = {name: Alert(name, threshold(scenario))
                      for name, (_, threshold) in ALERT_KINDS.items()}
        self.fired = 0

    def update(self, now: float, tick: Tick) -> list[Alert]:
        """Compare this tick's readings with the thresholds; return the alerts that flipped."""
        flipped = []
        for a in self.items.values():
            value = ALERT_KINDS[a.name][0](tick)
            a.value = value
            on = value > a.threshold
            if on != a.active:
                a.active = on
                a.since_s = now
                flipped.append(a)
                self.fired += on
        return flipped
