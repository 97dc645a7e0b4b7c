"""A Monte-Carlo reference for the wait estimate: how well could *any* estimator do?

``bench_eta.py --oracle R`` asks, at the instant each order is enqueued, what the order's
start would be in ``R`` futures sampled from the exact model of the station as it stands:
each running call's rest drawn from its Erlang task given how long it has run (the phase it
is in, weighed by its elapsed time), every later call a fresh Erlang task of the model's
**true** mean (which River itself must estimate from calls it has seen), rented slots
joining when they arrive (and those the autoscaler's own rule will rent, as River's
estimate counts them), the lanes played with :class:`sim.lanes.Lanes`' rule (VIP first,
a normal order aged past ``aging_s`` counting as VIP by its submission time) and VIPs
arriving at the rate lately seen.  The median of the ``R`` starts is the best point a
predictor with this information can give, and its 10% / 90% quantiles the sharpest honest
80% range.  So its ``med|e|`` over the same orders is the floor the estimator's ``med|e|``
is held to: the rest is the task times' and the arrivals' own randomness.

What it leaves out, and where it says nothing: failed and throttled calls (1-2 % in the
shipped scenarios), VIP customers' clumping, the uncertainty of a rate seen lately;
orders enqueued while the circuit is not closed or dispatch is paused (when an outage ends
is not in the model: no predictor knows it) or while failed orders back off before their
retry, and models that batch orders into one call.
It draws from its own ``random.Random`` (a bench, not the simulation): the run it watches
is the run the figures describe.
"""

from __future__ import annotations

import heapq
import math
import random

from sim.breaker import CLOSED
from sim.stations import BUSY, DRAINING, IDLE, PROVISIONING


class Oracle:
    """Watches one simulation's stations: ``starts[order_id] = (median, lo, hi)`` seconds
    from the enqueue to the order's start, over ``futures`` sampled futures."""

    def __init__(self, sim, futures: int = 200, seed: int = 7, every: int = 1) -> None:
        self.futures = futures
        self.every = every
        self.rnd = random.Random(seed)
        self.starts: dict[int, tuple[float, float, float]] = {}
        self._seen: set[int] = set()
        self._sim = sim
        for st in sim.stations.values():
            self._watch(st)

    def _watch(self, st) -> None:
        """Shadow the station's ``est_range`` on the instance: the enqueue asks it first
        (the 3x question's later checks ask again; only the first call counts)."""
        est_range = st.est_range

        def watched(order, now):
            est = est_range(order, now)
            oid = order.id
            if oid not in self._seen:
                self._seen.add(oid)
                if est[0] > 0.0 and oid % self.every == 0:
                    got = self.sample(st, order, now)
                    if got is not None:
                        self.starts[oid] = got
            return est

        st.est_range = watched

    def sample(self, st, order, now: float) -> tuple[float, float, float] | None:
        """``(median, lo, hi)`` of the order's wait over the sampled futures, or None where
        the model does not reach (see the module's docstring)."""
        cfg = st.cfg
        if cfg.batch_max > 1 or st.paused or st.breaker.state != CLOSED or st.backoff:
            return None
        k = max(1, cfg.task_shape)
        lam = k / cfg.mean_task_s
        slots = []                    # (kind, value): 0 free at value, 1 busy: phase weights
        for s in st.slots.values():
            state = s.state
            if state is BUSY or state is DRAINING:
                x = lam * (now - s.call.start_s)
                weights = [x ** j / math.factorial(j) for j in range(k)]   # j phases done
                slots.append((1 if state is BUSY else 2, weights))
            elif state is IDLE:
                slots.append((0, 0.0))
            elif state is PROVISIONING:
                slots.append((0, max(0.0, s.arrive_s - now)))
        planner = getattr(st, "planner", None)
        if planner is not None:       # the autoscaler's own rule played forward (River's too)
            slots += [(0, a) for a in planner.planned(st, now)]
        vip, normal = st.lane_lists()
        vip = [(o.submitted_s - now, o is order) for o in vip]
        normal = [(o.submitted_s - now, o is order) for o in normal]
        rate = st.vip_rate_per_s(now)
        aging = st.lanes.aging_s
        rnd = self.rnd
        expo = rnd.expovariate
        phases = range(k)
        waits = []
        for _ in range(self.futures):
            free = []
            for kind, v in slots:
                if kind == 0:
                    free.append((v, True))
                else:
                    done = rnd.choices(phases, weights=v)[0]
                    free.append((sum(expo(lam) for _ in range(k - done)), kind == 1))
            heapq.heapify(free)
            waits.append(_play(free, vip, normal, rate, aging, lam, k, expo))
        waits.sort()
        n = len(waits)
        return waits[n // 2], waits[n // 10], waits[(9 * n) // 10]


def _play(free: list, vip: list, normal: list, rate: float, aging: float, lam: float,
          k: int, expo) -> float:
    """One future: free slots take orders in the lanes' order until the watched one
    starts; its start (seconds from now), or infinity if no slot will ever take it."""
    i = j = 0
    coming = expo(rate) if rate > 0.0 else math.inf
    arrived: list[float] = []          # VIPs come since now, by submission time
    a = 0
    while free:
        t, stays = heapq.heappop(free)
        while coming <= t:
            arrived.append(coming)
            coming += expo(rate)
        # the VIP lane's head: the oldest of the VIPs waiting, the aged normal head, the
        # VIPs come since now
        best, which = math.inf, -1
        if i < len(vip):
            best, which = vip[i][0], 0
        if j < len(normal) and normal[j][0] + aging <= t and normal[j][0] < best:
            best, which = normal[j][0], 1
        if a < len(arrived) and arrived[a] < best:
            best, which = arrived[a], 2
        if which < 0:
            if j >= len(normal):
                return math.inf          # nothing left ahead: the watched order started
            which = 1
        if which == 0:
            mine = vip[i][1]
            i += 1
        elif which == 1:
            mine = normal[j][1]
            j += 1
        else:
            mine = False
            a += 1
        if mine:
            return t
        if stays:
            heapq.heappush(free, (t + sum(expo(lam) for _ in range(k)), True))
    return math.inf
