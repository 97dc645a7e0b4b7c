"""The arrival side's fast paths, held to the general code they replace (issue 18).

A customer's arrival and order submission are written out for speed: :meth:`Crowd.make`
computes its keyed draws inline instead of calling :func:`sim.rng.entity` and
:func:`sim.rng.draw`; :meth:`OrderFlow.feed` and :meth:`OrderFlow._submit` do the hold, the
lanes' push and the queue's time average in place; :meth:`Arrivals.arrive` takes the door's
path chosen once.  The event log must not move by a bit.  Here the written-out code is held to
the plain code it replaces (kept below as the reference: the calls the fast paths inline),
over random crowds and over runs with random switches (door, VIP share, the 3x breaker,
wallets too small for the shopping list, concurrency, the autoscaler, a trace): the same
values, the same log hash, the same model state.  A divergence in any inlined step fails.
"""

from __future__ import annotations

import bisect
from types import MethodType, SimpleNamespace

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sim import Simulation, load_scenario, rng
from sim.customers import Crowd, Customer, CustomerState
from sim.orderflow import OrderFlow
from sim.orders import Order, OrderState
from sim.visits import Arrivals

INSIDE, ASKED, DONE, REJECTED = (CustomerState.INSIDE, CustomerState.ASKED, CustomerState.DONE,
                                 CustomerState.REJECTED)
QUEUED, DECLINED = OrderState.QUEUED, OrderState.DECLINED
NOT_ESTIMATED = float("nan")


# -- the reference: the plain code (what the fast paths inline) ------------------------------
def reference_make(self: Crowd, cid: int, now: float) -> tuple[Customer, list[str]]:
    """Crowd.make drawing through rng.entity / rng.draw, one call per draw."""
    state = rng.entity(self.key, cid)
    draw = rng.draw
    k = 0
    if self.tier_cum:
        cum = self.tier_cum
        tier = self.tiers[min(bisect.bisect_right(cum, draw(state, 0)), len(cum) - 1)]
        k = 1
    else:
        tier = self.tiers[0]
    share = self.vip_share
    vip = share > 0.0 and draw(state, k) < share
    lo, hi = tier.wallet_min_cents, tier.wallet_max_cents
    wallet = _between(lo, hi, draw(state, k + 1)) if hi != lo else lo
    lo, hi = self.patience
    patience = lo + (hi - lo) * draw(state, k + 2) if hi != lo else lo + 0.0
    lo, hi = tier.orders_min, tier.orders_max
    n = _between(lo, hi, draw(state, k + 3)) if hi != lo else lo
    models, cum = self.models, self.model_cum
    if cum:
        wants = [models[min(bisect.bisect_right(cum, draw(state, k + 4 + j)), len(cum) - 1)]
                 for j in range(n)]
    else:
        wants = [models[0]] * n
    return Customer(cid, tier.name, tier.concurrency, vip, wallet, patience, now), wants


def _between(lo: int, hi: int, u: float) -> int:
    return min(lo + int((hi - lo + 1) * u), hi)


def reference_arrive(self: Arrivals, cust: Customer, wants: list[str], now: float,
                     task_s: float = -1.0) -> None:
    """Arrivals.arrive asking the door every time and placing orders one call at a time."""
    first_oid = self._next_order_id
    self._next_order_id += len(wants)
    counts = self.counts
    counts["arrived"] += 1
    self.accounts.fund(cust)
    log = self.log.add
    log((now, "arrive", cust.id, cust.tier, cust.vip, cust.wallet_cents))
    reason = self.door.admit(now, self.lobby_orders()) if self.door.enabled else None
    if reason is not None:
        cust.state = REJECTED
        cust.reason = reason
        prices = self.crowd.prices
        self.turned_away_cents += sum(prices[m] for m in wants)
        self.turned_away_orders += len(wants)
        counts["rejected"] += 1
        counts[reason] += 1
        self.visitors.depart(cust)
        log((now, "reject", cust.id, reason, len(wants)))
        return
    self.visitors.inside[cust.id] = cust
    log((now, "admit", cust.id, len(wants)))
    if cust.vip:
        fee = self.vip_fee_cents
        if self.accounts.hold_vip_fee(cust, fee):
            log((now, "vip", cust.id, "hold", fee))
        else:
            cust.vip = False
            counts["vip_declined"] += 1
            log((now, "vip", cust.id, "decline", fee))
    prices = self.crowd.prices
    for i, model in enumerate(wants):
        order = Order(first_oid + i, cust, model, prices[model], now)
        order.task_s = task_s
        cust.orders.append(order)
        cust.pending.append(order)
        log((now, "place", order.id, cust.id, model))
    counts["submitted"] += len(wants)
    self.admitted(cust)


def reference_feed(self: OrderFlow, cust: Customer) -> None:
    """OrderFlow.feed as a loop of _submit, releasing quotas every time."""
    while cust.active < cust.concurrency and cust.pending:
        self._submit(cust.pending[0])
    if cust.active == 0 and not cust.pending and cust.state in (INSIDE, ASKED):
        self.visitors.finish(cust, DONE)
    self._release_quotas()


def reference_submit(self: OrderFlow, o: Order) -> None:
    """OrderFlow._submit through accounts.hold, note_submitted, lanes.push, queued.add."""
    now = self.engine.now
    cust = o.customer
    if not self.accounts.hold(o):
        self.end(o, DECLINED, "insufficient_funds")
        return
    cust.pending.popleft()
    cust.active += 1
    st = self.stations[o.model]
    vip = o.vip = cust.vip
    o.submitted_s = now
    st.note_submitted(now, vip, cust.id)
    o.state = QUEUED
    o.since_s = now
    o.queued_s = now
    st.lanes.push(o)
    st.queued.add(now, 1)
    if self.estimating:
        est, lo, hi = st.est_range(o, now)
        o.est_wait_s, o.est_wait_lo_s, o.est_wait_hi_s = est, lo, hi
    else:
        est = lo = hi = NOT_ESTIMATED
    self.counts["enqueued"] += 1
    self.log.add((now, "enqueue", o.id, cust.id, o.model, "vip" if vip else "normal",
                  o.price_cents, est, lo, hi))
    self.breaker.watch(o, st, (est, lo, hi))
    self.dispatchers[o.model].dispatch()


def with_reference_paths(sim: Simulation) -> Simulation:
    """``sim`` (not yet run) with every fast path of its arrival side replaced by the
    reference (on its own parts: a run beside it keeps the fast paths)."""
    arrivals, flow = sim.arrivals, sim.flow
    arrivals.crowd.make = MethodType(reference_make, arrivals.crowd)
    arrivals.arrive = MethodType(reference_arrive, arrivals)
    flow.feed = MethodType(reference_feed, flow)
    flow._submit = MethodType(reference_submit, flow)
    arrivals.admitted = flow.feed
    return sim


# -- the draws ------------------------------------------------------------------------------
def _crowd(data, key: int) -> Crowd:
    n_tiers = data.draw(st.integers(1, 4))
    tiers = {}
    for i in range(n_tiers):
        w_lo = data.draw(st.integers(0, 10**6))
        o_lo = data.draw(st.integers(1, 12))
        tiers[f"T{i}"] = SimpleNamespace(
            name=f"T{i}", concurrency=data.draw(st.integers(1, 8)),
            share=data.draw(st.floats(0.01, 1.0)),
            wallet_min_cents=w_lo, wallet_max_cents=w_lo + data.draw(st.sampled_from(
                [0, 1, 7, 1500, 10**6])),
            orders_min=o_lo, orders_max=o_lo + data.draw(st.sampled_from([0, 1, 5, 40])))
    models = {f"m{i}": SimpleNamespace(name=f"m{i}", mix=data.draw(st.floats(0.01, 1.0)),
                                       price_cents=data.draw(st.integers(0, 500)))
              for i in range(data.draw(st.integers(1, 4)))}
    p_lo = data.draw(st.floats(0.0, 1000.0))
    arrivals = SimpleNamespace(vip_share=data.draw(st.sampled_from([0.0, 0.2, 1.0])),
                               patience_min_s=p_lo,
                               patience_max_s=p_lo + data.draw(st.sampled_from([0.0, 300.0])))
    return Crowd(SimpleNamespace(tiers=tiers, models=models, arrivals=arrivals), key)


@settings(max_examples=200, deadline=None)
@given(st.data(), st.integers(0, 2**64 - 1))
def test_make_draws_the_same_customer_as_the_keyed_draw_functions(data, key):
    crowd = _crowd(data, key)
    ids = data.draw(st.lists(st.one_of(st.integers(0, 10**6), st.integers(1 << 40, 1 << 50)),
                             min_size=1, max_size=30))
    for cid in ids:
        fast, wants = crowd.make(cid, 12.5)
        ref, ref_wants = reference_make(crowd, cid, 12.5)
        assert wants == ref_wants
        for name in Customer.__slots__:
            a, b = getattr(fast, name), getattr(ref, name)
            if name not in ("orders", "pending"):
                assert a == b and type(a) is type(b), (cid, name, a, b)


# -- whole runs ------------------------------------------------------------------------------
def _outcome(sim: Simulation) -> tuple:
    return ("" if sim.lean else sim.event_log_sha256(), sim.state_digest(), dict(sim.counts),
            dict(sim.ledger.balance), dict(sim.ledger.totals), sim.ledger.postings,
            sim.arrivals.turned_away_cents, sim.arrivals.turned_away_orders)


def _both(path: str, overrides: list[str], seed: int, t_end: float,
          lean: bool = False) -> tuple[tuple, dict]:
    """Run ``path`` with the fast paths and with the reference in lockstep, one event at a
    time: after every event the clock, the records written, the orders whose quota is still
    to release and the counts agree; at the end the log hash, the model state, the ledger."""
    fast = Simulation(load_scenario(path, overrides), seed=seed, lean=lean)
    ref = with_reference_paths(Simulation(load_scenario(path, overrides), seed=seed, lean=lean))
    steps = 0
    while True:
        done_fast = fast.engine.run_until(t_end, 1)
        done_ref = ref.engine.run_until(t_end, 1)
        assert done_fast == done_ref
        assert _step(fast) == _step(ref), f"diverged at event {steps}"
        if done_fast:
            break
        steps += 1
        if steps % 2048 == 0:
            fast.log.settle()
            ref.log.settle()
    fast.log.settle()
    ref.log.settle()
    assert _outcome(fast) == _outcome(ref)
    return _outcome(fast), fast.counts


def _step(sim: Simulation) -> tuple:
    return (sim.engine.now, sim.log.total(), len(sim.flow._ended), *sim.counts.values())


SWITCHES = st.fixed_dictionaries({
    "door.enabled": st.sampled_from(["true", "false"]),
    "arrivals.vip_share": st.sampled_from(["0.0", "0.3", "1.0"]),
    "arrivals.rate_per_min": st.sampled_from(["6.0", "30.0"]),
    "wait_breaker.enabled": st.sampled_from(["true", "false"]),
    "wait_breaker.multiplier": st.sampled_from(["0.0", "1.0", "3.0"]),
    "autoscaler.enabled": st.sampled_from(["true", "false"]),
    "billing.vip_fee_cents": st.sampled_from(["0", "200", "5000"]),
    # wallets that cannot cover the list: declines (and a VIP fee that cannot be held)
    "tiers.L1.wallet_min_cents": st.sampled_from(["0", "500"]),
    "tiers.L2.concurrency": st.sampled_from(["1", "2", "6"]),
    "tiers.L3.wallet_max_cents": st.sampled_from(["6000", "20000"]),
})


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["default", "rush-hour", "outage"]), SWITCHES, st.integers(0, 10**6))
def test_runs_with_random_switches_write_the_reference_log(name, switches, seed):
    overrides = [f"{k}={v}" for k, v in switches.items()]
    _both(f"scenarios/{name}.toml", overrides, seed, 1800.0)


def test_the_compared_runs_take_every_arrival_path():
    """The property above is not vacuous: across these runs the door turns people away,
    VIPs are held and declined, orders are declined for want of money, customers submit
    several orders at once and later ones after a delivery, the breaker asks."""
    seen = {k: 0 for k in ("rejected", "vip_declined", "declined", "asked", "left")}
    for i, extra in enumerate([["arrivals.rate_per_min=40.0", "door.admit_per_min=10.0"],
                               ["tiers.L1.wallet_min_cents=0", "billing.vip_fee_cents=900",
                                "arrivals.vip_share=0.5", "arrivals.rate_per_min=20.0"]]):
        _, counts = _both("scenarios/default.toml", extra, 100 + i, 2400.0)
        for k in seen:
            seen[k] += counts[k]
    assert all(v > 0 for v in seen.values()), seen


def test_mmc_and_a_trace_write_the_reference_log():
    """Every feature off (the benchmark's M/M/20, full and lean) and a trace replay (rows
    arrive one order at a time; a row of a visit in progress adds an order)."""
    _both("scenarios/mmc.toml", ["models.job.slots=20", "arrivals.rate_per_min=1080.0"],
          1, 120.0)
    _both("scenarios/azure-code-2023.toml", [], 3, 600.0)
    _both("scenarios/mmc.toml", [], 2, 200.0, lean=True)
