"""The wait estimate (issue 19): each of the five causes of a dishonest ETA, pinned.

Customers are walked in by hand into an otherwise empty factory (no arrivals, no
autoscaler), so each test sets up exactly the queue it is about.  Every estimate read here
is what the ``enqueue`` and ``ask`` records carry.
"""

from __future__ import annotations

import pytest

from sim import Simulation, load_scenario
from sim.commands import make_command
from sim.customers import Customer
from sim.eventlog import fields
from sim.orders import Order

WEEK_S = 7 * 24 * 3600.0
QUIET = ["arrivals.rate_per_min=0", "autoscaler.enabled=false",
         "arrivals.patience_min_s=604800", "arrivals.patience_max_s=604800"]


def factory(*overrides: str, seed: int = 1) -> Simulation:
    return Simulation(load_scenario("scenarios/default.toml", [*QUIET, *overrides]), seed=seed,
                      keep_log=True)


def walk_in(sim: Simulation, vip: bool = False, orders: int = 1, model: str = "image",
            concurrency: int = 1) -> Customer:
    """A patient, rich customer with ``orders`` orders of ``model``, admitted now."""
    arrivals = sim.arrivals
    now = sim.now
    cid = arrivals._next_customer_id
    arrivals._next_customer_id += 1
    cust = Customer(cid, "L4", concurrency, vip, 10**7, WEEK_S, now)
    sim.accounts.fund(cust)
    sim.visitors.inside[cust.id] = cust
    if vip:
        arrivals._buy_vip(cust, now)
    for _ in range(orders):
        o = Order(arrivals._next_order_id, cust, model, arrivals.crowd.prices[model], now)
        arrivals._next_order_id += 1
        cust.orders.append(o)
        cust.pending.append(o)
        sim.log.add((now, "place", o.id, cust.id, model))
    sim.counts["submitted"] += orders
    arrivals.admitted(cust)
    return cust


def records(sim: Simulation, kind: str) -> list[dict]:
    return [fields(r) for r in sim.log.records if r[1] == kind]


def enqueue_of(sim: Simulation, cust: Customer) -> dict:
    return next(f for f in records(sim, "enqueue") if f["customer"] == cust.id)


# -- cause 1: an open circuit leaves idle slots; they are not free ---------------------------
def test_an_order_enqueued_while_the_circuit_is_open_is_not_told_zero():
    """Before: "idle slots => 0 s" fired before the open circuit was looked at."""
    sim = factory()
    sim.command("outage", model="image", duration_s=1200.0)
    sim.advance_to(1.0)
    for _ in range(12):                       # their calls fail fast: the circuit opens
        walk_in(sim)
    sim.advance_to(40.0)
    st = sim.stations["image"]
    assert st.breaker.state == "open" and st.n_idle > len(st.lanes)
    cust = walk_in(sim)
    f = enqueue_of(sim, cust)
    left = st.breaker.open_until_s - sim.now
    assert f["est_wait_s"] >= left > 0
    assert f["est_wait_lo_s"] <= f["est_wait_s"] <= f["est_wait_hi_s"]


def test_a_circuit_down_longer_is_predicted_to_stay_down_longer():
    """Before: an open circuit added one cool-down, never the failed probes that follow.
    Honestly (the outage's end is unknown): the longer it has been down, the longer."""
    from sim.eta import StartCurve

    early = StartCurve(now=0.0, mean_s=300.0, shape=2, idle=20, busy_elapsed=[], arrivals=[],
                       down_s=60.0, cooldown_left_s=50.0, samples=50)
    late = StartCurve(now=0.0, mean_s=300.0, shape=2, idle=20, busy_elapsed=[], arrivals=[],
                      down_s=600.0, cooldown_left_s=50.0, samples=50)
    assert early.range(1, 0.0)[0] >= 50.0
    assert late.range(1, 0.0)[0] >= 599.0 > early.range(1, 0.0)[0]
    assert late.range(1, 0.0)[2] > late.range(1, 0.0)[0] > late.range(1, 0.0)[1]


@pytest.mark.parametrize("during", [False, True])
def test_the_eta_does_not_know_when_the_outage_ends(during):
    """Enqueued before an outage begins or while it lasts, an order's ETA is the same
    whatever the outage's ``duration_s`` (the gateway does not know it)."""
    def etas(duration_s: float) -> list[tuple]:
        sc = load_scenario("scenarios/default.toml", ["arrivals.patience_min_s=604800",
                                                      "arrivals.patience_max_s=604800"])
        outage = make_command(3600.0, "outage", {"model": "image", "duration_s": duration_s},
                              "test", tuple(sc.models))
        sim = Simulation(sc, seed=3, keep_log=True, commands=[outage])
        sim.advance_to(3600.0 + 1200.0)
        lo, hi = (3600.0, 3600.0 + 1200.0) if during else (0.0, 3600.0)
        return [(f["order"], f["est_wait_s"], f["est_wait_lo_s"], f["est_wait_hi_s"])
                for f in records(sim, "enqueue") if lo <= f["t_s"] < hi]

    short, long_ = etas(1800.0), etas(5400.0)
    assert len(short) > 20
    assert short == long_


# -- cause 2: a VIP counts the normal orders aged into its lane --------------------------------
def test_a_vip_counts_the_normal_orders_aged_ahead_of_it():
    """Before: a VIP's ETA counted only VIPs ahead.  Four normal orders older than the aging
    bound are ahead of it (DOMAIN section 6), on one slot of five-minute tasks."""
    sim = factory("models.image.slots=1", "queue.aging_s=60")
    for _ in range(5):
        walk_in(sim)
    sim.advance_to(120.0)
    st = sim.stations["image"]
    assert st.lanes.n_normal == 4
    vip = walk_in(sim, vip=True)
    assert st.lanes.position(vip.orders[0], sim.now) == 4
    f = enqueue_of(sim, vip)
    assert f["est_wait_s"] > 3 * st.mean_task_s


# -- cause 3: a normal order counts the VIPs that will pass it --------------------------------
def test_a_normal_order_counts_the_vips_that_will_pass_it():
    """Before: only the VIPs waiting now.  VIPs have been arriving every two minutes on one
    slot of five-minute tasks; a normal order (aging far off) waits behind those to come."""
    sim = factory("models.image.slots=1", "queue.aging_s=86400")
    for k in range(10):
        sim.advance_to(120.0 * k)
        walk_in(sim, vip=True)
    st = sim.stations["image"]
    ahead = len(st.lanes)
    cust = walk_in(sim)
    f = enqueue_of(sim, cust)
    assert f["est_wait_s"] > 2 * (ahead + 1) * st.call_time_s(sim.now)


# -- cause 4: rented slots on their way count ----------------------------------------------------
def test_rented_slots_on_their_way_shorten_the_wait():
    """Before: provisioning slots were ignored (``working_slots`` excludes them).  Ten slots
    arrive in two minutes; ten orders wait for one slot."""
    sim = factory("models.image.slots=1", "autoscaler.provision_s=120")
    for _ in range(11):
        walk_in(sim)
    sim.command("rent", model="image", slots=10)
    sim.advance_to(1.0)
    st = sim.stations["image"]
    cust = walk_in(sim)
    f = enqueue_of(sim, cust)
    assert 119.0 - 1.0 <= f["est_wait_s"] < 2 * st.mean_task_s
    assert f["est_wait_lo_s"] >= 119.0 - 1.0


# -- cause 5: asked about one order, the next one is asked after the answer -----------------------
def test_an_order_crossing_the_bound_during_a_question_is_asked_after_the_answer():
    """Before: an order whose estimate passed the bound while its customer was being asked
    about another order was never checked again."""
    sim = factory("models.image.slots=1")
    for _ in range(5):
        walk_in(sim)
    both = walk_in(sim, orders=2, concurrency=2)
    first, second = both.orders
    asks = [a for a in records(sim, "ask") if a["customer"] == both.id]
    assert [a["order"] for a in asks] == [first.id]
    sim.advance_to(sim.now + sim.scenario.wait_breaker.answer_after_s + 1.0)
    asks = [a for a in records(sim, "ask") if a["customer"] == both.id]
    assert [a["order"] for a in asks] == [first.id, second.id]
    assert [a["trigger"] for a in asks] == ["enqueue", "recheck"]
    assert asks[1]["est_wait_lo_s"] <= asks[1]["est_wait_s"] <= asks[1]["est_wait_hi_s"]


def test_every_long_wait_is_asked_in_a_rush():
    """Every order that waited past the bound in a patient rush hour was asked about."""
    sc = load_scenario("scenarios/rush-hour.toml", ["arrivals.patience_min_s=604800",
                                                     "arrivals.patience_max_s=604800"])
    sim = Simulation(sc, seed=2, keep_log=True)
    sim.advance_to(4.5 * 3600)
    enq = {f["order"]: f for f in records(sim, "enqueue")}
    asked = {f["order"] for f in records(sim, "ask")}
    bound = {n: sc.wait_breaker.multiplier * st.mean_task_s for n, st in sim.stations.items()}
    long_ = [f["order"] for f in records(sim, "start")
             if f["attempt"] == 1 and f["order"] in enq
             and f["t_s"] - enq[f["order"]]["t_s"] > bound[f["model"]] + 60.0]
    assert len(long_) > 50
    assert [o for o in long_ if o not in asked] == []


# -- the range and the summary ------------------------------------------------------------------
def test_the_range_brackets_the_median_and_the_summary_reports_coverage():
    sc = load_scenario("scenarios/rush-hour.toml", ["arrivals.patience_min_s=604800",
                                                     "arrivals.patience_max_s=604800"])
    sim = Simulation(sc, seed=1, keep_log=True)
    sim.advance_to(4 * 3600)
    for f in records(sim, "enqueue"):
        assert 0.0 <= f["est_wait_lo_s"] <= f["est_wait_s"] <= f["est_wait_hi_s"]
    est = sim.summary()["breaker"]
    assert est["estimates_ranged"] > 100
    assert 0.5 < est["estimate_coverage_80"] <= 1.0
    snap = sim.snapshot()
    for st in snap.stations:
        assert len(st.est_start_lo_s) == len(st.est_start_hi_s) == len(st.queue)
        for lo, med, hi in zip(st.est_start_lo_s, st.est_start_s, st.est_start_hi_s,
                               strict=True):
            assert snap.now_s <= lo <= med <= hi
