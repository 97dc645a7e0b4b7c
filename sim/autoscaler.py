"""The autoscaler: rent a step of slots when waits stay high, return them when load stays low.

Shaped like the autoscalers operators already trust: a look-back window of waits (Ray Serve),
an upscale delay (30 s) and a longer downscale stabilisation window (600 s, Kubernetes HPA),
queue-per-slot awareness (KEDA).  Every ``check_every_s`` each model is judged *high* (recent
mean wait, or the wait a newcomer would face, above ``wait_threshold_s``; or breaker asks in
the window at ``asks_threshold``) or *low* (no queue and utilization under
``low_utilization``).  A state must hold for its delay before anything is rented or returned,
and nothing more is rented while a previous rental is still provisioning, nor while the
model's circuit breaker is open or probing (the upstream is failing: more of it won't help).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.breaker import CLOSED
from sim.stations import SlotState

PROVISIONING = SlotState.PROVISIONING


@dataclass(slots=True)
class ScaleState:
    high_since_s: float | None = None
    low_since_s: float | None = None


class Autoscaler:
    def __init__(self, cfg) -> None:
        self.cfg = cfg
        self.enabled = cfg.enabled
        self.state: dict[str, ScaleState] = {}
        #: the models whose newcomer wait is estimated (None: every model).  A lean run
        #: (:class:`sim.simulation.Simulation`) names only those it can rent for: elsewhere
        #: the signal changes nothing but ``ScaleState``, which no one reads there
        self.signal_from: frozenset[str] | None = None

    def decide(self, st, now: float, provisioning: int | None = None) -> tuple[str, int] | None:
        """``("rent", n)``, ``("return", n)`` or None for station ``st`` at ``now``
        (``provisioning``: the model's rented slots on their way, counted here if None).

        The model is *high* when its circuit is closed and the recent mean wait, or the
        wait a newcomer would face, passes ``wait_threshold_s`` -- or the breaker asked
        ``asks_threshold`` times in the window.  The newcomer's wait is a whole estimate
        (a walk of the queue), so it is asked for only when its answer can tip that: not
        while the circuit is open (never high), nor once the mean wait or the asks have
        made the model high already (``max(waited, newcomer) > threshold`` is ``waited >
        threshold or newcomer > threshold``).  Asking it has no effect on anything else
        (the start curve it makes is a cache keyed by what it reads), so skipping it
        leaves every decision, and every later estimate, the same bit for bit
        (tests/test_core_fast_default.py holds this to the rule that always asks)."""
        cfg = self.cfg
        s = self.state.get(st.name)
        if s is None:
            s = self.state[st.name] = ScaleState()
        queued = len(st.lanes)
        # more slots of an upstream that is failing (breaker not closed) buy nothing
        high = False
        if st.breaker.state == CLOSED:
            threshold = cfg.wait_threshold_s
            if st.wait_window.mean(now) > threshold:       # 0.0 for an empty window
                high = True
            elif cfg.asks_threshold > 0 and st.asks_window.count(now) >= cfg.asks_threshold:
                high = True
            elif queued and (self.signal_from is None or st.name in self.signal_from):
                high = st.newcomer_wait(now) > threshold
        low = queued == 0 and st.utilization_now() < cfg.low_utilization
        if high:
            if s.high_since_s is None:
                s.high_since_s = now
        else:
            s.high_since_s = None
        if low:
            if s.low_since_s is None:
                s.low_since_s = now
        else:
            s.low_since_s = None
        if not self.enabled:
            return None
        if high and now - s.high_since_s >= cfg.upscale_delay_s:
            if provisioning is None:
                # nothing can be on its way while no rented slot is under lease
                provisioning = (st.count(True, PROVISIONING) if st.rented_slots else 0)
            if provisioning == 0:
                room = st.max_rented - st.rented_slots   # the rental budget caps it further
                if room > 0:
                    s.high_since_s = now
                    return ("rent", min(cfg.step, room))
        # only what the autoscaler rented: the operator's rentals stay until the operator
        # returns them (or the rental budget runs out)
        if low and now - s.low_since_s >= cfg.downscale_delay_s and st.rented_slots:
            own = st.leased_by("autoscaler")
            if own > 0:
                s.low_since_s = now
                return ("return", min(cfg.step, own))
        return None

    def planned(self, st, now: float) -> list[float]:
        """Seconds from ``now`` until each slot this autoscaler will rent for ``st`` arrives,
        if the wait it judges high stays high: its own rule played forward (a step at the
        first check once the high wait has held the upscale delay and nothing is on its
        way, until ``max_rented``).  What the gateway knows of its own policy -- the wait
        estimate counts these slots as it counts slots already on their way.  None planned
        while the wait is not judged high, the circuit is not closed (nothing is rented
        then), or a rental budget may refuse."""
        cfg = self.cfg
        if not self.enabled or cfg.budget_cents or cfg.step <= 0:
            return []
        s = self.state.get(st.name)
        if s is None or s.high_since_s is None or st.breaker.state != CLOSED:
            return []
        room = st.max_rented - st.rented_slots
        if room <= 0:
            return []
        every = cfg.check_every_s
        t = max(now, s.high_since_s + cfg.upscale_delay_s)
        for slot in st.slots.values():
            if slot.state is PROVISIONING and slot.arrive_s > t:
                t = slot.arrive_s
        out: list[float] = []
        while room > 0:
            if every > 0:
                t = math.ceil(t / every - 1e-9) * every   # the check that rents
            n = min(cfg.step, room)
            arrive = t + cfg.provision_s
            out.extend([arrive - now] * n)
            room -= n
            t = max(arrive, t + cfg.upscale_delay_s)
        return out
