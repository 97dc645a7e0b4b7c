"""Snapshots: the one door through which the renderer (or any observer) reads a running model.

Why a door: the view must keep working while the core is rebuilt underneath it.  Everything
the renderer shows is declared here, with types: frozen records for what is computed per
snapshot (:class:`Snapshot`, :class:`StationView`, :class:`ControlsView`, :class:`AlertView`)
and read-only :class:`typing.Protocol` shapes for the live objects a snapshot hands out
without copying (:class:`PersonView`, :class:`OrderView`, :class:`SlotView`, :class:`CallView`
-- copying 500 customers and their orders 20 times a second would cost more than the frame).
The core's classes satisfy these Protocols; the renderer must read no attribute that is not
declared here, and drives the model only through :class:`SimulationPort`.

Every person, order and slot has ``since_s``, the simulated time of its last state change, so
the renderer can animate transitions at any playback speed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol


class CallView(Protocol):
    """One upstream call on a busy slot: ``size`` orders from ``start_s`` to ``end_s``."""

    @property
    def start_s(self) -> float: ...
    @property
    def end_s(self) -> float: ...
    @property
    def size(self) -> int: ...
    @property
    def outcome(self) -> str: ...      # ok | fail | throttle
    @property
    def orders(self) -> Sequence[OrderView]: ...


class SlotView(Protocol):
    """A workstation: ``index`` within its kind (base or ``rented``), numbered from 0."""

    @property
    def index(self) -> int: ...
    @property
    def rented(self) -> bool: ...
    @property
    def state(self) -> str: ...        # provisioning | idle | busy | draining
    @property
    def since_s(self) -> float: ...
    @property
    def call(self) -> CallView | None: ...
    @property
    def last_fail_s(self) -> float: ...   # -1: never failed
    @property
    def arrive_s(self) -> float: ...   # when a rented slot arrives (or arrived)
    @property
    def rented_by(self) -> str: ...    # operator | autoscaler ("" for a base slot)


class OrderView(Protocol):
    """One piece of content a customer ordered (states: :class:`sim.orders.OrderState`)."""

    @property
    def id(self) -> int: ...
    @property
    def model(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def since_s(self) -> float: ...
    @property
    def vip(self) -> bool: ...         # in the VIP lane
    @property
    def queued_s(self) -> float: ...   # entry into the current lane (-1: not queued yet)
    @property
    def customer(self) -> PersonView | None: ...   # None once forgotten


class PersonView(Protocol):
    """A customer (states: :class:`sim.customers.CustomerState`)."""

    @property
    def id(self) -> int: ...
    @property
    def tier(self) -> str: ...
    @property
    def vip(self) -> bool: ...
    @property
    def wallet_cents(self) -> int: ...
    @property
    def held_cents(self) -> int: ...
    @property
    def patience_s(self) -> float: ...
    @property
    def arrived_s(self) -> float: ...
    @property
    def state(self) -> str: ...
    @property
    def since_s(self) -> float: ...
    @property
    def orders(self) -> Sequence[OrderView]: ...
    @property
    def pending(self) -> Collection[OrderView]: ...   # placed, waiting with the customer
    @property
    def active(self) -> int: ...       # orders queued, running or backing off
    @property
    def delivered(self) -> int: ...


@dataclass(frozen=True, slots=True)
class StationView:
    """One model's workstations and lanes at the snapshot's instant."""

    name: str
    label: str
    content: str
    mean_task_s: float
    price_cents: int
    batch_max: int
    max_rented: int
    provision_s: float      # a rented slot arrives this long after the rent (slot.arrive_s)
    slots: tuple[SlotView, ...]      # base first then rented, by index
    queue: tuple[OrderView, ...]     # waiting orders in effective order (position = index)
    est_start_s: tuple[float, ...]   # estimated start time for each queue position (median)
    est_start_lo_s: tuple[float, ...]  # ... and its 80% range
    est_start_hi_s: tuple[float, ...]
    basket_deadline_s: float | None  # batching window closes at (None: no open basket)
    paused: bool
    circuit: str            # closed | open | half_open
    circuit_since_s: float
    outage_until_s: float
    num_requests_waiting: int
    num_requests_waiting_vip: int
    num_requests_running: int
    rented_slots: int
    provisioning_slots: int          # rented slots on their way (machines to draw arriving)
    provisioning_arrive_s: tuple[float, ...]   # when each of them arrives, soonest first
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
class ControlsView:
    """What the operator's knobs are set to now (the desk shows these, never its own copy)."""

    rate_per_min: float
    vip_share: float
    multiplier: float
    autoscaler: bool
    capacity: Mapping[str, int]     # model -> base slots wanted
    rent_slots: int                 # the rent/return commands' default block
    #: on a trace without the Poisson spawner, the spawn rate that plays it at its own
    #: speed (the slider is a speed multiplier: twice this is x2); 0 otherwise
    trace_rate_per_min: float = 0.0


@dataclass(frozen=True, slots=True)
class AlertView:
    name: str
    threshold: float
    active: bool
    since_s: float
    value: float


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The whole model at one instant, as the renderer may read it."""

    now_s: float
    seed: int
    events: int                     # records logged so far (the last record's sequence number)
    tiers: tuple[str, ...]          # tier names, in the scenario's order
    people: tuple[PersonView, ...]  # customers in the building
    departures: tuple[PersonView, ...]  # recent terminal customers, oldest first
    stations: tuple[StationView, ...]
    gauges: Mapping[str, float]
    money_cents: Mapping[str, int]
    counts: Mapping[str, int]
    series: Mapping[str, tuple]
    alerts: tuple[AlertView, ...]
    ticker: tuple[tuple, ...]       # the newest event records (time_s, kind, *fields)
    kpi: Mapping[str, Any]          # key figures (sim.kpi.kpis: one definition with the summary)
    controls: ControlsView
    plan: Mapping[str, Any]         # the day as scripted (see :func:`plan`), for a timeline
    #: the followed customer's card (:func:`customer_card`), only when a snapshot is asked
    #: for one (``sim.snapshot(follow=id)``): None otherwise, or when nobody has that id
    follow: CustomerCard | None = None

    def records_since(self, seq: int) -> tuple[tuple, ...]:
        """The records logged after record number ``seq`` up to this snapshot, oldest first.

        Why by number: a reader that remembers ``events`` of the last snapshot it read never
        sees a record twice, however the frames and snapshots interleave.  Records older than
        the kept tail are gone (a ticker shows the newest ones anyway).
        """
        first = self.events - len(self.ticker)      # number of the record before ticker[0]
        return self.ticker[max(0, seq - first):]

    def station(self, name: str) -> StationView:
        """The station of a model (the first one for an unknown name)."""
        return next((st for st in self.stations if st.name == name), self.stations[0])

    def alert(self, name: str) -> AlertView | None:
        return next((a for a in self.alerts if a.name == name), None)


@dataclass(frozen=True, slots=True)
class OrderCard:
    """One order as its customer is told about it (times in seconds from the snapshot)."""

    id: int
    model: str
    label: str                  # the model's display name
    state: str                  # sim.orders.OrderState values
    lane: str                   # vip | normal
    position: int               # place in line, effective lane order, from 1 (0: not queued)
    vips_may_pass: int          # VIPs to come the ETA lets pass it (normal lane; VIP lane 0)
    eta_lo_s: float             # starts in eta_lo_s..eta_hi_s (80% range), median eta_s; -1: n/a
    eta_s: float
    eta_hi_s: float
    progress: float             # share of the production call done (running), else 0
    held_cents: int             # money held for it now
    price_cents: int
    ended_cents: int            # settled (delivered) or given back (refunded); 0 otherwise


@dataclass(frozen=True, slots=True)
class CustomerCard:
    """The followed customer at the snapshot's instant: who they are, every order, the 3x
    question and its answer, and how the visit ended."""

    id: int
    tier: str
    concurrency: int
    vip: bool
    vip_fee_cents: int
    wallet_cents: int           # spendable now
    initial_wallet_cents: int
    held_cents: int
    state: str                  # inside | asked | rejected | left | done
    reason: str                 # why turned away (rejected)
    arrived_s: float
    since_s: float
    asked_wait_s: float         # the wait the 3x question named (-1: never asked)
    answer: str                 # stay | leave ("": not answered)
    orders: tuple[OrderCard, ...]

    @property
    def gone(self) -> bool:
        return self.state in ("rejected", "left", "done")


class SimulationPort(Protocol):
    """All the view may call on a simulation: read, command, advance, record the session."""

    @property
    def now(self) -> float: ...
    def snapshot(self, follow: int | None = None) -> Snapshot: ...
    def command(self, name: str, **args: Any) -> Any: ...
    def advance_to(self, t_s: float) -> None: ...
    def recorded_commands(self) -> list: ...
    def event_log_sha256(self) -> str: ...


# the log keeps this many; a ticker at 600x needs all of them (a flash crowd at 600x, every
# long wait asked: more than 256 records between two snapshots)
TICKER_RECORDS = 512


def plan(sim) -> Mapping[str, Any]:
    """The day as scripted, for a timeline: ``day_s`` (its length), ``rate_per_min`` (the
    base arrival rate), ``profile`` (``(start_s, factor)`` pairs), ``scripted`` (the
    scenario's commands) and ``recorded`` (the operator's).  Immutable records only, so the
    renderer may keep it."""
    sc = sim.scenario
    return MappingProxyType({"day_s": sc.run.hours * 3600.0,
                             "rate_per_min": sc.arrivals.rate_per_min,
                             "profile": tuple(sc.profile), "scripted": tuple(sc.commands),
                             "recorded": tuple(sim.recorded_commands()),
                             "trace": _trace_curve(sc), "poisson": sim.arrivals.poisson})


_CURVES: dict[int, tuple] = {}


def _trace_curve(sc) -> tuple:
    """The trace's own arrivals per minute as ``(start_s, rate)`` steps over the day (its
    loops repeated), or ``()`` without a trace.  Kept per scenario: a snapshot asks often."""
    if sc.trace is None:
        return ()
    key = id(sc.trace)
    hit = _CURVES.get(key)
    if hit is not None and hit[0] is sc.trace:
        return hit[1]
    from sim.replay import rate_curve

    one = rate_curve(sc.trace)
    day = sc.run.hours * 3600.0
    period = sc.trace.period_s / sc.trace.speed
    steps: list[tuple[float, float]] = []
    k = 0
    while one and k * period < day and k < 10_000:
        steps += [(k * period + t, r) for t, r in one if k * period + t < day]
        if not sc.trace.loop:
            break
        k += 1
    steps.append((steps[-1][0] + 60.0 / sc.trace.speed if steps else 0.0, 0.0))
    if len(_CURVES) > 8:
        _CURVES.clear()
    _CURVES[key] = (sc.trace, tuple(steps))
    return _CURVES[key][1]


def station_view(sim, st) -> StationView:
    from sim.stations import SlotState

    now = sim.engine.now
    queue = st.lanes.ordered(now)
    # an empty queue has no estimates to show: no start curve is made for it
    ests = st.estimates(now) if queue else {}
    rows = [ests[o] for o in queue]
    est = tuple([now + r[0] for r in rows])
    est_lo = tuple([now + r[1] for r in rows])
    est_hi = tuple([now + r[2] for r in rows])
    running = 0
    arriving = []
    for s in st.slots.values():
        if s.state in (SlotState.BUSY, SlotState.DRAINING):
            running += s.call.size if s.call is not None else 0
        elif s.state == SlotState.PROVISIONING:
            arriving.append(s.arrive_s)
    q = st.wait_window.quantiles(now)
    return StationView(
        name=st.name, label=st.label, content=st.content, mean_task_s=st.mean_task_s,
        price_cents=sim.arrivals.crowd.prices[st.name], batch_max=st.batch_max,
        max_rented=st.max_rented,
        provision_s=sim.scenario.autoscaler.provision_s,
        slots=tuple(st.slots[k] for k in sorted(st.slots)), queue=tuple(queue),
        est_start_s=est, est_start_lo_s=est_lo, est_start_hi_s=est_hi,
        basket_deadline_s=st.batch_deadline_s, paused=st.paused,
        circuit=st.breaker.state, circuit_since_s=st.breaker.since_s,
        outage_until_s=st.outage_until_s, num_requests_waiting=len(st.lanes),
        num_requests_waiting_vip=st.lanes.n_vip, num_requests_running=running,
        rented_slots=st.rented_slots, provisioning_slots=len(arriving),
        provisioning_arrive_s=tuple(sorted(arriving)),
        utilization=st.utilization_now(), utilization_total=st.utilization(now),
        delivered=st.delivered, failed=st.failed, retries=st.retries,
        queue_time_p50_s=q["p50"], queue_time_p95_s=q["p95"],
        series_queue=tuple(st.series_queue.points), series_wait_p95=tuple(st.series_wait.points))


def _gauges(sim, stations: tuple[StationView, ...], m: dict[str, int],
            k: dict[str, Any]) -> dict[str, float]:
    q = sim.window_quantiles()
    n = sim.counts
    arrived = n["arrived"]
    return {
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
        "remaining_budget_cents": (-1.0 if k["rental_budget_left_cents"] is None
                                   else float(k["rental_budget_left_cents"])),
        # -1: a lean run made no estimates to measure (see Simulation's ``lean``)
        "estimate_mean_abs_error_s": (-1.0 if (errors := sim.estimate_error()) is None
                                      else errors["mean_abs_error_s"]),
    }


def _controls(sim) -> ControlsView:
    from sim.commands import COMMANDS

    return ControlsView(
        rate_per_min=sim.rate_per_min, vip_share=sim.arrivals.crowd.vip_share,
        multiplier=sim.multiplier, autoscaler=sim.autoscaler.enabled,
        capacity=MappingProxyType({st.name: st.base_target for st in sim.stations.values()}),
        rent_slots=COMMANDS["rent"]["slots"].default,
        trace_rate_per_min=(0.0 if sim.arrivals.poisson else sim.arrivals.base_rate_per_min))


_FOLLOWED: dict[int, Any] = {}     # id(sim) -> the customer last followed (kept when gone)
_REFUNDED = ("refunded_failure", "refunded_abandon", "refunded_cancel")


def _find(sim, cid: int):
    """The customer ``cid``: inside, recently gone, or the one followed before."""
    cust = sim.customers.get(cid)
    if cust is None:
        cust = next((c for c in sim.departures if c.id == cid), None)
    if cust is None:
        last = _FOLLOWED.get(id(sim))
        cust = last if last is not None and last.id == cid else None
    if cust is not None:
        _FOLLOWED.clear()       # one run followed at a time: nothing else kept alive
        _FOLLOWED[id(sim)] = cust
    return cust


class _Overtakers:
    """A start curve that remembers how many VIPs to come the walk let pass (the
    ``overtakers`` of :meth:`sim.eta.StartCurve.range`) -- so the card says the number the
    estimate itself assumed, without a second estimator."""

    def __init__(self, curve) -> None:
        self.curve = curve
        self.seen = 0.0

    def __getattr__(self, name: str):
        return getattr(self.curve, name)

    def range(self, n: int, overtakers: float):
        self.seen = overtakers
        return self.curve.range(n, overtakers)


def _vips_passing(st, order, now: float) -> int:
    """How many VIP orders not yet arrived the honest ETA expects to go ahead of ``order``
    (a normal-lane order) before it starts."""
    from sim.eta import walk

    lanes = st.lanes
    vip, normal = st.lane_lists()
    curve = _Overtakers(st.start_curve(now))
    walk(vip, normal, now, lanes.aging_s, st.batch_max, st.vip_rate_per_s(now), curve,
         want=order)
    return round(curve.seen)


def customer_card(sim, stations: tuple[StationView, ...], cid: int) -> CustomerCard | None:
    """The card of customer ``cid`` (None: no such customer in sight).  Worked out for the
    followed customer only, so the snapshot stays cheap: a lane scan per queued order."""
    cust = _find(sim, cid)
    if cust is None:
        return None
    now = sim.engine.now
    by_name = {st.name: st for st in stations}
    orders = []
    for o in cust.orders:
        st = by_name.get(o.model)
        state = str(o.state)
        pos, may_pass, eta = 0, 0, (-1.0, -1.0, -1.0)
        if st is not None and state == "queued":
            pos = next((i for i, q in enumerate(st.queue) if q is o), -1) + 1
            if pos:
                med = st.est_start_s[pos - 1] if pos <= len(st.est_start_s) else now
                lo_t, hi_t = st.est_start_lo_s, st.est_start_hi_s
                lo = lo_t[pos - 1] if pos <= len(lo_t) else med
                hi = hi_t[pos - 1] if pos <= len(hi_t) else med
                eta = (max(0.0, lo - now), max(0.0, med - now), max(0.0, hi - now))
            if not o.vip and pos:
                may_pass = _vips_passing(sim.stations[o.model], o, now)
        progress = 0.0
        slot = o.slot
        if state == "running" and slot is not None and slot.call is not None:
            call = slot.call
            span = call.end_s - call.start_s
            progress = min(1.0, max(0.0, (now - call.start_s) / span)) if span > 0 else 1.0
        held = o.submitted_s >= 0.0       # its price was held when it went in
        ended = o.price_cents if held and (state == "delivered" or state in _REFUNDED) else 0
        orders.append(OrderCard(
            o.id, o.model, st.label if st is not None else o.model, state, o.lane, pos,
            may_pass, *eta, progress, o.held_cents, o.price_cents, ended))
    return CustomerCard(
        cust.id, cust.tier, cust.concurrency, cust.vip, cust.vip_fee_cents, cust.wallet_cents,
        cust.initial_wallet_cents, cust.held_cents, str(cust.state), cust.reason,
        cust.arrived_s, cust.since_s, cust.asked_wait_s, cust.answer, tuple(orders))


def take(sim, follow: int | None = None) -> Snapshot:
    from sim.kpi import kpis, money

    stations = tuple(station_view(sim, st) for st in sim.stations.values())
    m = money(sim)
    k = kpis(sim, m)
    return Snapshot(
        now_s=sim.engine.now, seed=sim.seed, events=sim.log.total(),
        tiers=tuple(sim.scenario.tiers), people=tuple(sim.customers.values()),
        departures=tuple(sim.departures), stations=stations,
        gauges=MappingProxyType(_gauges(sim, stations, m, k)), money_cents=MappingProxyType(m),
        counts=MappingProxyType(dict(sim.counts)),
        series=MappingProxyType({k: tuple(v.points) for k, v in sim.series.items()}),
        alerts=tuple(AlertView(a.name, a.threshold, a.active, a.since_s, a.value)
                     for a in sim.alerts.items.values()),
        ticker=tuple(sim.log.recent(TICKER_RECORDS)), kpi=MappingProxyType(k),
        controls=_controls(sim), plan=plan(sim),
        follow=None if follow is None else customer_card(sim, stations, follow))
