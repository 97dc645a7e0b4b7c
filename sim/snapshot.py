"""Snapshots: what the renderer (or any observer) reads of a running simulation.

A snapshot is cheap: people, orders and slots are the live objects (treat them as
read-only), gathered into tuples; only per-station queue order and wait estimates are
computed.  Every person, order and slot has ``since_s``, the simulated time of its last state
change, so the renderer can animate transitions at any playback speed.

Person fields: ``id tier vip wallet_cents held_cents patience_s arrived_s state since_s
orders active delivered``.  Order fields: ``id model state lane since_s submitted_s
started_s est_wait_s attempts price_cents held_cents slot``.  Slot fields: ``key index rented
state since_s call last_fail_s arrive_s`` (``arrive_s``: when a rented slot arrives or
arrived; a busy slot's ``call`` has ``start_s end_s size outcome``).  ``plan`` is the
day as scripted (:func:`plan`), what a timeline draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class StationView:
    name: str
    label: str
    content: str
    mean_task_s: float
    price_cents: int
    batch_max: int
    max_rented: int
    provision_s: float      # a rented slot arrives this long after the rent (slot.arrive_s)
    slots: tuple            # live Slot objects, base first then rented, by index
    queue: tuple            # waiting orders in effective order (position = index)
    est_start_s: tuple      # estimated start time for each queue position
    basket_deadline_s: float | None  # batching window closes at (None: no open basket)
    paused: bool
    circuit: str            # closed | open | half_open
    circuit_since_s: float
    outage_until_s: float
    num_requests_waiting: int
    num_requests_waiting_vip: int
    num_requests_running: int
    rented_slots: int
    provisioning_slots: int
    utilization: float      # busy / working slots now
    utilization_total: float
    delivered: int
    failed: int
    retries: int
    queue_time_p50_s: float  # sliding window
    queue_time_p95_s: float
    series_queue: tuple
    series_wait_p95: tuple


@dataclass(frozen=True, slots=True)
class Snapshot:
    now_s: float
    events: int
    people: tuple           # customers in the building
    departures: tuple       # recent terminal customers (rejected, left, done), oldest first
    stations: tuple[StationView, ...]
    gauges: dict[str, float]
    money_cents: dict[str, int]
    counts: dict[str, int]
    series: dict[str, tuple]
    alerts: tuple
    ticker: tuple           # recent event records (time_s, kind, *fields)
    kpi: dict[str, Any]     # the key figures (sim.kpi.kpis: one definition with the summary)
    controls: dict[str, Any]
    plan: dict[str, Any] = field(default_factory=dict)   # the scripted day, see plan()


def plan(sim) -> dict[str, Any]:
    """The day as scripted, for a timeline: its length, the base arrival rate and profile
    (``(start_s, factor)`` pairs), the scenario's commands and the operator's recorded ones.
    Immutable records only, so the renderer may keep it."""
    sc = sim.scenario
    return {"day_s": sc.run.hours * 3600.0, "rate_per_min": sc.arrivals.rate_per_min,
            "profile": tuple(sc.profile), "scripted": tuple(sc.commands),
            "recorded": tuple(sim.recorded)}


def station_view(sim, st) -> StationView:
    from sim.stations import SlotState

    now = sim.engine.now
    queue = st.lanes.ordered(now)
    est = tuple(now + w for w in st.est_waits(len(queue), now))
    running = provisioning = 0
    for s in st.slots.values():
        if s.state in (SlotState.BUSY, SlotState.DRAINING):
            running += s.call.size if s.call is not None else 0
        elif s.state == SlotState.PROVISIONING:
            provisioning += 1
    q = st.wait_window.quantiles(now)
    return StationView(
        name=st.name, label=st.label, content=st.content, mean_task_s=st.mean_task_s,
        price_cents=st.cfg.price_cents, batch_max=st.batch_max, max_rented=st.max_rented,
        provision_s=sim.scenario.autoscaler.provision_s,
        slots=tuple(st.slots[k] for k in sorted(st.slots)), queue=tuple(queue),
        est_start_s=est, basket_deadline_s=st.batch_deadline_s, paused=st.paused,
        circuit=st.breaker.state, circuit_since_s=st.breaker.since_s,
        outage_until_s=st.outage_until_s, num_requests_waiting=len(st.lanes),
        num_requests_waiting_vip=st.lanes.n_vip, num_requests_running=running,
        rented_slots=st.rented_slots, provisioning_slots=provisioning,
        utilization=st.utilization_now(), utilization_total=st.utilization(now),
        delivered=st.delivered, failed=st.failed, retries=st.retries,
        queue_time_p50_s=q["p50"], queue_time_p95_s=q["p95"],
        series_queue=tuple(st.series_queue.points), series_wait_p95=tuple(st.series_wait.points))


def take(sim) -> Snapshot:
    from sim.kpi import kpis
    from sim.summary import money

    now = sim.engine.now
    stations = tuple(station_view(sim, st) for st in sim.stations.values())
    q = sim.window_quantiles()
    m = money(sim)
    n = sim.counts
    arrived = n["arrived"]
    budget = sim.scenario.autoscaler.budget_cents
    gauges = {
        "num_requests_waiting": float(sum(s.num_requests_waiting for s in stations)),
        "num_requests_running": float(sum(s.num_requests_running for s in stations)),
        "queue_time_p50_s": q["p50"], "queue_time_p95_s": q["p95"], "queue_time_p99_s": q["p99"],
        "queue_time_mean_s": q["mean"],
        "time_to_start_p95_total_s": sim.waits().quantile(0.95),
        "customers_in_building": float(len(sim.customers)),
        "dropout_rate": (n["rejected"] + n["left"]) / arrived if arrived else 0.0,
        "throughput_per_min": q["count"] / (sim.scenario.metrics.window_s / 60.0),
        "rented_slots": float(sum(s.rented_slots for s in stations)),
        "spend_cents": float(m["upstream_cost"] + m["rental_cost"]),
        "remaining_budget_cents": float(budget - m["rental_cost"]) if budget else -1.0,
        "estimate_mean_abs_error_s": sim.estimate_error()["mean_abs_error_s"],
    }
    return Snapshot(
        now_s=now, events=sim.log.total(), people=tuple(sim.customers.values()),
        departures=tuple(sim.departures), stations=stations, gauges=gauges, money_cents=m,
        counts=dict(n), series={k: tuple(v.points) for k, v in sim.series.items()},
        alerts=tuple(sim.alerts.items.values()), ticker=tuple(sim.log.recent(16)), kpi=kpis(sim),
        controls={"rate_per_min": sim.rate_per_min, "vip_share": sim.arrivals.crowd.vip_share,
                  "multiplier": sim.multiplier, "autoscaler": sim.autoscaler.enabled,
                  "capacity": {st.name: st.base_target for st in sim.stations.values()}},
        plan=plan(sim))
