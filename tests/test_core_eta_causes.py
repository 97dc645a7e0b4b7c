"""The wait estimate's inputs, each a cause the bench data showed (issue 19, second pass).

Found by splitting the errors of ``bench/bench_eta.py`` (seeds 1-3) by circuit state, slot
state, the mean task time told and the orders that took a start ahead: orders backing off
were invisible though they come back to the front; a half-open circuit whose probe already
answered like a working model was predicted to stay down as long again; VIPs to come were
spread as single Poisson arrivals though they come in clumps; a 50-call mean task time was
off by 10%; the rentals the autoscaler was about to make were not counted; the time a turn
costs left out the failed calls.  Each test fails on the code before (717b5e7).
"""

from __future__ import annotations

import pytest
from test_core_eta import enqueue_of, factory, walk_in

from sim.eta import erlang_residual, fifo_range, overtaker_variance
from sim.orders import OrderState


def test_an_order_backing_off_counts_ahead_of_a_new_one():
    """A failed call's order comes back to the front of its lane: an order enqueued
    meanwhile starts after it.  Two slots busy with long calls, one order backing off:
    the newcomer's turn is the second start, not the first."""
    sim = factory("models.image.slots=2", "retry.base_s=300")
    sim.command("outage", model="image", duration_s=1.0)
    sim.advance_to(0.5)
    failing = walk_in(sim).orders[0]             # fails fast (the outage), then backs off
    sim.advance_to(2.0)
    walk_in(sim)
    walk_in(sim)                                 # both run full calls once a slot is free
    sim.advance_to(6.0)
    st = sim.stations["image"]
    assert failing.state is OrderState.BACKOFF and st.n_idle == 0 and len(st.lanes) == 0
    cust = walk_in(sim)
    f = enqueue_of(sim, cust)
    curve = st.start_curve(sim.now)
    assert f["est_wait_s"] == pytest.approx(fifo_range(curve, 1, 1)[0])
    assert f["est_wait_s"] > fifo_range(curve, 0, 1)[0]


def test_a_probe_answering_like_a_working_model_ends_the_down_time():
    """Half-open, the probe has run longer than the failure that opened the circuit took:
    the circuit closes when the probe ends -- its residual -- not after as long again as
    the circuit has been down (the prior for a model that is still failing)."""
    sim = factory()
    sim.command("outage", model="image", duration_s=30.0)
    sim.advance_to(1.0)
    for _ in range(12):
        walk_in(sim)
    sim.advance_to(80.0)
    st = sim.stations["image"]
    assert st.breaker.state == "half_open"
    probe = next(s.call for s in st.slots.values() if s.call is not None and s.call.probe)
    ran = sim.now - probe.start_s
    assert ran > st.trip_fail_s
    med, lo, hi = erlang_residual(ran, st.call_time_s(sim.now), st.cfg.task_shape)
    cust = walk_in(sim)
    f = enqueue_of(sim, cust)
    assert f["est_wait_s"] == pytest.approx(med, abs=1.0)   # before: the time down (74 s)
    assert f["est_wait_lo_s"] <= lo + 1.0 and f["est_wait_hi_s"] >= hi - 1.0


def test_the_probe_residual_is_the_task_given_its_elapsed_time():
    med, lo, hi = erlang_residual(0.0, 300.0, 1)
    assert med == pytest.approx(300.0 * 0.6931472, abs=0.01)     # memoryless: ln 2 x mean
    assert erlang_residual(500.0, 300.0, 1) == (med, lo, hi)
    assert lo < med < hi
    fresh, old = erlang_residual(0.0, 300.0, 2), erlang_residual(600.0, 300.0, 2)
    assert old[0] < fresh[0]                                     # Erlang: it wears out


def test_vips_in_clumps_widen_the_range_of_the_orders_they_pass():
    """The count of VIPs to come that pass a normal order varies more when they come in
    clumps (one customer, several orders) than one by one at the same rate: the same queue
    and the same VIP rate seen, told apart only by who submitted the VIP orders."""
    sim = factory("models.image.slots=6", "queue.aging_s=86400")
    sim.advance_to(700.0)
    for _ in range(12):
        walk_in(sim)
    st = sim.stations["image"]
    last = st.lanes.ordered(sim.now)[-1]
    seen = [100.0 + 60.0 * k for k in range(8)]          # 8 VIP orders in the window

    def told(who: list[int]) -> tuple[float, float, float]:
        st.vip_arrivals.clear()
        st.vip_who.clear()
        st._vip_per.clear()                              # the counts kept beside them
        st._vip_sq = 0
        for t, w in zip(seen, who, strict=True):
            st.note_submitted(t, True, w)
        return st.est_range(last, sim.now)

    single = told(list(range(8)))
    clumped = told([1, 1, 1, 1, 2, 2, 2, 2])
    assert clumped[2] - clumped[1] > single[2] - single[1] > 0.0
    assert overtaker_variance(4.0, 1.0, 0) == 4.0                # Poisson, rate known
    assert overtaker_variance(4.0, 2.0, 8) == 4.0 * 2.0 * 1.5    # clumped, rate from 8


def test_the_rentals_the_autoscaler_will_make_count_but_not_in_its_own_signal():
    """Thirty orders on one slot: the autoscaler judges the wait high and will rent a step
    of slots at each check once the last step arrived.  A deep order's ETA counts them;
    the autoscaler's own signal (a newcomer's wait with what is rented so far) does not."""
    sim = factory("models.image.slots=1", "autoscaler.enabled=true")
    for _ in range(30):
        walk_in(sim)
    sim.advance_to(61.0)
    st = sim.stations["image"]
    assert sim.autoscaler.state["image"].high_since_s is not None
    plan = sim.autoscaler.planned(st, sim.now)
    assert len(plan) == st.max_rented - st.rented_slots > 0
    assert min(plan) >= sim.scenario.autoscaler.provision_s - 1.0
    cust = walk_in(sim)
    f = enqueue_of(sim, cust)
    planner, st.planner = st.planner, None
    unplanned = st.est_range(cust.orders[0], sim.now)[0]
    st.planner = planner
    assert f["est_wait_s"] < 0.8 * unplanned
    assert st.newcomer_wait(sim.now) >= unplanned - 1e-6


def test_the_clumping_kept_as_vips_come_and_go_is_the_recount():
    """The clumping is kept as counts by customer as VIP orders enter and leave the rate's
    window (no pass over the window per estimate): it equals a recount of the window."""
    import random

    st = factory().stations["image"]
    pick = random.Random(3)
    now = 0.0
    for _ in range(600):
        now += pick.expovariate(1 / 20.0)
        st.note_submitted(now, pick.random() < 0.5, pick.randrange(12))
        st.vip_rate_per_s(now)                           # the window moves on
        per: dict[int, int] = {}
        for w in st.vip_who:
            per[w] = per.get(w, 0) + 1
        want = sum(x * x for x in per.values()) / len(st.vip_who) if st.vip_who else 1.0
        assert st.vip_clumping() == want
    assert len(st.vip_who) < 300                          # the window did let orders go
