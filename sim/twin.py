"""The live twin: the same session, the same customers, without the operator's changes since T.

A comparison opens at instant ``T`` when the operator turns a knob.  The **twin** is the
recorded session with every operator command issued at or after ``T`` removed; the card and
``python -m sim twin`` compare the live run and the twin over ``[T, now]`` with the figures of
:func:`figures`, defined here once for both.

Why a fork and not a replay from t = 0: the state of a run at ``T`` does not depend on
commands issued at or after ``T``, so the twin *is* a copy of the live run at ``T`` whose
pending operator commands are dropped.  A fork costs one ``copy.deepcopy`` (tens of
milliseconds for a busy lobby, measured in ``bench``), where a replay would rerun the whole
day so far.  The parts of the state that a plain deepcopy would share or refuse (the log's
hasher and its bound ``append``, the arrival stream's bound ``random``, the engine's counter)
copy themselves correctly (``__deepcopy__`` in :mod:`sim.eventlog`, :mod:`sim.visits`,
:mod:`sim.engine`); ``tests/test_core_twin.py`` walks both object graphs and fails on any
mutable object they share.

Which orders count over ``[T, now]``: an order counts for the wait and the service level
when its wait *ended* in the interval -- it started production, or gave up before starting
(the headline definition of :mod:`sim.kpi`, restricted to the interval) -- plus the orders
still waiting at ``now``: in the wait p95 with the wait they have had so far, in the
service level those already past the target; and the shopping-list items of customers
turned away or gone at the breaker in the interval.  Why the waits not ended yet: without
them the arm with the longer queue looked better -- its longest waits had not ended (ten
more slots through a flash crowd read "+41 s" on the wait p95, the twin's worst waits
still in its queue).  Money counts what moved in the interval:
revenue settled, base slot fees and rentals as they accrue (billed per slot-second, posted
every ``billing.accrue_every_s``; the part accrued but not yet posted included, as in the
summary), profit = revenue - both.  Customers lost: turned away at the door or gone at the
3x breaker in the interval.
"""

from __future__ import annotations

import copy
import math
import shlex
from dataclasses import dataclass, field
from typing import Any

from sim.commands import Command
from sim.metrics import Histogram

#: the figures of a card, in the order shown: (key, better when higher)
FIGURES: tuple[tuple[str, bool], ...] = (
    ("wait_p95_s", False), ("service_level", True), ("customers_lost", False),
    ("revenue_cents", True), ("slot_fees_cents", False), ("rental_cents", False),
    ("profit_cents", True))


def stand_before(sim, t_s: float) -> None:
    """Advance ``sim`` through every ordinary event before the operator commands of instant
    ``t_s``: all events at times < ``t_s`` and those at ``t_s`` that come before a command
    there (the engine's priorities).  The state is then the state at ``t_s`` of every session
    that differs only in commands issued at or after ``t_s``."""
    from sim.simulation import COMMAND_PRIORITY

    engine = sim.engine
    heap = engine._heap
    if t_s > engine.now:
        sim.advance_to(math.nextafter(t_s, -math.inf))
    while heap and heap[0][0] <= t_s and heap[0][1] < COMMAND_PRIORITY:
        engine.run_until(heap[0][0], 1)
    sim.log.settle()
    if t_s > engine.now:
        engine.now = t_s


def pending(sim, cmd: Command) -> bool:
    """Whether the operator command ``cmd`` waits in ``sim``'s engine (not applied yet)."""
    return any(e[4] is cmd for e in sim.engine._heap)


def fork(sim):
    """The twin of ``sim`` from now on: a deep copy sharing no mutable object with it, whose
    pending operator commands (recorded or replayed, not the scenario's own ``[[commands]]``)
    are dropped.  Advancing either never changes the other."""
    import heapq

    from sim.simulation import Simulation

    twin = copy.deepcopy(sim)
    heap = twin.engine._heap
    recorded = Simulation._apply_recorded
    dropped = {id(e[4]) for e in heap if getattr(e[3], "__func__", None) is recorded}
    if dropped:
        keep = [e for e in heap if getattr(e[3], "__func__", None) is not recorded]
        heapq.heapify(keep)
        heap[:] = keep
        twin.recorded[:] = [c for c in twin.recorded if id(c) not in dropped]
    return twin


# ------------------------------------------------------------------------------ the figures
@dataclass(slots=True)
class Mark:
    """The cumulative counters of a run at ``T``: figures over ``[T, now]`` are differences."""

    t_s: float
    buckets: list[int]
    count: int
    within: int
    started: int
    gave_up: int
    turned_away_orders: int
    left_unqueued: int
    lost: int
    revenue: int
    slot_fees: int
    rental: int


def mark(sim) -> Mark:
    from sim.kpi import money

    stations = list(sim.stations.values())
    h = sim.factory_waits.with_gave_up
    m = money(sim)
    return Mark(sim.now, list(h.buckets), h.count,
                sum(st.started_within_target for st in stations),
                sum(st.waits.count for st in stations),
                sum(st.gave_up.count for st in stations),
                sim.arrivals.turned_away_orders, sim.flow.left_unqueued,
                sim.counts["rejected"] + sim.counts["left"],
                m["revenue"], m["upstream_cost"], m["rental_cost"])


def figures(sim, base: Mark) -> dict[str, Any]:
    """The card's figures of ``sim`` over ``[base.t_s, now]`` (see the module docstring)."""
    now = mark(sim)
    h = Histogram()
    h.buckets = [a - b for a, b in zip(now.buckets, base.buckets, strict=True)]
    h.count = now.count - base.count
    h.max = sim.factory_waits.with_gave_up.max
    waiting = 0
    for age in waiting_ages(sim):   # a wait not ended yet counts as long as it has lasted
        h.add(age)
        waiting += 1
    target = sim.scenario.service.target_wait_s
    overdue = sum(st.lanes.waiting_since(sim.now - target) for st in sim.stations.values())
    judged = ((now.started - base.started) + (now.gave_up - base.gave_up) + overdue
              + (now.turned_away_orders - base.turned_away_orders)
              + (now.left_unqueued - base.left_unqueued))
    within = now.within - base.within
    revenue = now.revenue - base.revenue
    slot_fees = now.slot_fees - base.slot_fees
    rental = now.rental - base.rental
    return {
        "since_s": base.t_s, "now_s": sim.now,
        "wait_p95_s": h.quantile(0.95), "waits_counted": h.count, "still_waiting": waiting,
        "service_level": within / judged if judged else 1.0, "orders_judged": judged,
        "customers_lost": now.lost - base.lost,
        "revenue_cents": revenue, "slot_fees_cents": slot_fees, "rental_cents": rental,
        "profit_cents": revenue - slot_fees - rental,
    }


def waiting_ages(sim):
    """How long each order waiting for its first start at ``now`` has waited so far."""
    now = sim.now
    for st in sim.stations.values():
        for lane in (st.lanes.vip, st.lanes.normal):
            for token, o in lane:
                if o.qtoken == token and o.started_s < 0:
                    yield now - o.submitted_s


def difference(live: dict[str, Any], twin: dict[str, Any]) -> dict[str, Any]:
    """live - twin per figure, and whether the change made it better (None: no change)."""
    out: dict[str, Any] = {}
    for key, higher in FIGURES:
        d = live[key] - twin[key]
        out[key] = d
        out[key + "_better"] = None if abs(d) < 1e-12 else (d > 0) == higher
    return out


# ------------------------------------------------------------------------------ a comparison
@dataclass(slots=True)
class Comparison:
    """One open comparison: since ``t_s``, the twin, and the changes stacked into it."""

    t_s: float
    twin: Any
    base: Mark
    changes: list[Command] = field(default_factory=list)

    @classmethod
    def open(cls, live) -> Comparison:
        """Fork ``live`` where it stands (before any command of this instant)."""
        return cls(live.now, fork(live), mark(live))

    def lag_s(self, live) -> float:
        return max(0.0, live.now - self.twin.now)

    def card(self, live) -> dict[str, Any]:
        """Live, twin and the difference over ``[T, t]``, ``t`` the twin's time (the live
        figures are read at the same instant only when the twin has caught up: until then
        the card says it is behind, and shows nothing)."""
        a, b = figures(live, self.base), figures(self.twin, self.base)
        return {"since_s": self.t_s, "now_s": live.now, "live": a, "twin": b,
                "difference": difference(a, b), "changes": [c.to_json() for c in self.changes]}


def twin_card(scenario, seed: int, commands: list[Command], at_s: float,
              seconds: float) -> dict[str, Any]:
    """The card of ``python -m sim twin``: the session ``commands`` (all of them, live) and
    its twin without those at or after ``at_s``, compared over ``[at_s, at_s + seconds]``."""
    from sim.simulation import Simulation

    live = Simulation(scenario, seed=seed, commands=commands)
    stand_before(live, at_s)
    cmp = Comparison.open(live)
    cmp.changes = [c for c in live.recorded if c.at_s >= at_s]
    end = at_s + seconds
    live.advance_to(end)
    cmp.twin.advance_to(end)
    return cmp.card(live)


#: knob -> the scenario key ``sim compare --change`` sets for it (None: no key; the command
#: then replays in both arms and only a scenario key can be compared with a CI)
COMPARE_KEYS = {
    "capacity": lambda a: f"models.{a['model']}.slots={a['slots']}",
    "spawn_rate": lambda a: f"arrivals.rate_per_min={a['rate_per_min']}",
    "vip_share": lambda a: f"arrivals.vip_share={a['share']}",
    "breaker_multiplier": lambda a: f"wait_breaker.multiplier={a['multiplier']}",
    "autoscaler": lambda a: f"autoscaler.enabled={'true' if a['on'] else 'false'}",
    "set_price": lambda a: f"models.{a['model']}.price_cents={a['price_cents']}",
}


def compare_line(scenario: str, seconds: float, changes: list[Command],
                 overrides: tuple[str, ...] | list[str] = ()) -> str | None:
    """The ``python -m sim compare`` command line that gives a confidence interval for these
    changes made from the start (the last value of each key), or None when no change has a
    scenario key (an outage, a pause, a rental: one-off actions, not settings).  The run's
    own ``--set`` ``overrides`` go with it: both arms start from the scenario as it was run,
    not from the file alone."""
    keys: dict[str, str] = {}
    for c in changes:
        make = COMPARE_KEYS.get(c.name)
        if make is not None:
            k, v = make(c.args).split("=", 1)
            keys[k] = v
    if not keys:
        return None
    sets = "".join(f" --set {shlex.quote(o)}" for o in overrides)
    ch = " ".join(f"--change {shlex.quote(f'{k}={v}')}" for k, v in keys.items())
    return (f"python -m sim compare --scenario {shlex.quote(str(scenario))}{sets} "
            f"--seconds {seconds:.0f} {ch}")
