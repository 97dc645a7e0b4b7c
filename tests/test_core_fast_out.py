"""The fused paths of a call's start and end hold to the general ones, record for record.

:class:`sim.dispatch.Dispatcher` takes fused paths where what they leave out is switched off
(chosen once per dispatcher): a one-order model's start (``_dispatch_single``) and the end
of a call that succeeded, with the order flow's delivery, the quota's release and the
customer's walking out fused in (``_on_call_end_fused``).  ``Dispatcher.fused = False``
builds every dispatcher on the general path; each run here is made both ways and must give
the same event log, hash, state, books and figures -- over every packaged scenario and, by
hypothesis, over the switches the fused paths must step aside for: faults and retries,
batching, the circuit breaker, customers who leave, a rental budget, the door, several
orders per customer, and random operator commands (outages, capacity changes that drain
slots, rentals, cancels, pauses).
"""

from __future__ import annotations

import json
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_core_invariants import command_streams

from sim import Simulation, load_scenario, rng
from sim.dispatch import Dispatcher
from sim.metrics import Window
from sim.stations import Call


def run(sc, seed: int, fused: bool, until_s: float, commands=(), step_s: float = 0.0):
    """A run of ``sc`` to ``until_s`` with the fused paths on or off (``step_s``: advanced
    in steps of that many seconds, a snapshot read at each, as the renderer does)."""
    saved = Dispatcher.fused
    Dispatcher.fused = fused
    try:
        sim = Simulation(sc, seed=seed, commands=list(commands), keep_log=True)
    finally:
        Dispatcher.fused = saved
    if step_s:
        t = 0.0
        while t < until_s:
            t = min(until_s, t + step_s)
            sim.advance_to(t)
            sim.snapshot()
    else:
        sim.advance_to(until_s)
    return sim


def the_same(a, b) -> None:
    """Two runs did the same thing: every record, the hash, the state, books and figures."""
    ra, rb = a.log.records, b.log.records
    assert len(ra) == len(rb)
    for x, y in zip(ra, rb, strict=True):
        assert x == y or repr(x) == repr(y), (x, y)   # repr: NaN equals itself there
    assert a.event_log_sha256() == b.event_log_sha256()
    assert a.state_digest() == b.state_digest()
    assert a.engine.processed == b.engine.processed
    assert json.dumps(a.summary(), sort_keys=True) == json.dumps(b.summary(), sort_keys=True)
    assert repr(a.estimate_error()) == repr(b.estimate_error())
    assert a.ledger.balance == b.ledger.balance and a.ledger.totals == b.ledger.totals
    for name, sa in a.stations.items():
        sb = b.stations[name]
        # (not ``version``: a start-curve cache key, bumped more often by the general path's
        # take_idle; every start also counts in ``calls``, which the key holds too)
        assert (sa.sample_done_s, sa.sample_ok, sa.sample_running, sa.sample_start_s,
                sa.calls) == (sb.sample_done_s, sb.sample_ok, sb.sample_running,
                              sb.sample_start_s, sb.calls)
        assert [e[:] for e in sa.sample] == [e[:] for e in sb.sample]
        assert (sa.busy.area, sa.queued.area, sa.lane_sum) == (sb.busy.area, sb.queued.area,
                                                             sb.lane_sum)
        assert list(sa.wait_window.samples) == list(sb.wait_window.samples)
        assert sa.waits.buckets == sb.waits.buckets and sa.waits.total == sb.waits.total


MMC = ["models.job.slots=20", "arrivals.rate_per_min=1080.0", "models.job.mean_task_s=1.0"]


def test_the_fused_paths_are_taken_where_features_are_off_and_the_switch_turns_them_off():
    sc = load_scenario("scenarios/mmc.toml", MMC)
    fused, general = run(sc, 1, True, 30.0), run(sc, 1, False, 30.0)
    (d,) = fused.flow.dispatchers.values()
    assert d.dispatch.__func__ is Dispatcher._dispatch_single
    assert d._on_end.__func__ is Dispatcher._on_call_end_fused
    (g,) = general.flow.dispatchers.values()
    assert g.dispatch.__func__ is Dispatcher.dispatch
    assert g._on_end.__func__ is Dispatcher._on_call_end
    assert fused.counts["delivered"] > 500
    the_same(fused, general)
    # the fused start makes its Call without __init__: every field is set all the same
    running = [s.call for s in fused.stations["job"].slots.values() if s.call is not None]
    assert running
    for call in running:
        for name in Call.__slots__:
            getattr(call, name)
    # a batching model starts calls the general way; its calls still end fused
    dflt = run(load_scenario("scenarios/default.toml"), 1, True, 60.0)
    text = dflt.flow.dispatchers["text"]
    assert text.dispatch.__func__ is Dispatcher.dispatch
    assert text._on_end.__func__ is Dispatcher._on_call_end_fused


@pytest.mark.parametrize("name,hours", [("mmc", 0.2), ("default", 4.0), ("rush-hour", 4.5),
                                        ("outage", 3.0), ("azure-code-2023", 0.15)])
@pytest.mark.parametrize("seed", [7, 2024])
def test_every_packaged_scenario_runs_the_same_fused_or_not(name, hours, seed):
    sc = load_scenario(f"scenarios/{name}.toml", MMC if name == "mmc" else ())
    the_same(run(sc, seed, True, hours * 3600), run(sc, seed, False, hours * 3600))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    rate=st.floats(1.0, 25.0),
    slots=st.integers(0, 12),
    fail=st.sampled_from([0.0, 0.05, 0.4]),
    throttle=st.sampled_from([0.0, 0.1]),
    attempts=st.integers(1, 4),
    batch=st.integers(1, 8),
    window=st.sampled_from([0.0, 5.0]),
    circuit=st.booleans(),
    leaving=st.sampled_from([None, 0.5, 3.0]),
    budget=st.sampled_from([0, 300]),
    door=st.booleans(),
    autoscaler=st.booleans(),
    vip=st.sampled_from([0.0, 0.3]),
    commands=command_streams(),
)
def test_fused_paths_hold_to_the_general_ones_whatever_is_switched_on(
        seed, rate, slots, fail, throttle, attempts, batch, window, circuit, leaving, budget,
        door, autoscaler, vip, commands):
    sc = load_scenario("scenarios/default.toml", [
        f"arrivals.rate_per_min={rate}", f"models.image.slots={slots}",
        f"models.image.fail_rate={fail}", f"models.audio.fail_rate={fail}",
        f"models.video.throttle_rate={throttle}", f"models.image.throttle_rate={throttle}",
        f"retry.max_attempts={attempts}", f"models.text.batch_max={batch}",
        f"models.text.batch_window_s={window}", f"circuit.enabled={str(circuit).lower()}",
        f"wait_breaker.enabled={str(leaving is not None).lower()}",
        f"wait_breaker.multiplier={leaving or 3.0}",
        f"autoscaler.budget_cents={budget}", f"door.enabled={str(door).lower()}",
        f"autoscaler.enabled={str(autoscaler).lower()}", f"arrivals.vip_share={vip}",
        "models.image.mean_task_s=120", "models.video.mean_task_s=200",
    ])
    a = run(sc, seed, True, 2 * 3600, commands, step_s=937.0)
    b = run(sc, seed, False, 2 * 3600, commands, step_s=937.0)
    the_same(a, b)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32), servers=st.integers(1, 30), rho=st.floats(0.3, 1.2),
       shape=st.sampled_from([1, 2]), leaving=st.booleans())
def test_textbook_queues_run_the_same_fused_or_not(seed, servers, rho, shape, leaving):
    """M/M/c (and M/E2/c) as the benchmark runs it, where every fused path is taken, under
    and over capacity, with customers leaving at the breaker or not."""
    sc = load_scenario("scenarios/mmc.toml", [
        f"models.job.slots={servers}", f"arrivals.rate_per_min={60.0 * rho * servers}",
        f"models.job.task_shape={shape}", f"wait_breaker.enabled={str(leaving).lower()}",
        "wait_breaker.multiplier=2.0"])
    the_same(run(sc, seed, True, 300.0), run(sc, seed, False, 300.0))


def test_a_station_keys_its_draw_as_the_rng_does():
    """Station.draw computes the keyed state and the task's draw in place: the numbers
    rng.entity and rng.draw give, for every model kind of the default scenario."""
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=3)
    r = random.Random(5)
    for st_ in sim.stations.values():
        cfg = st_.cfg
        for _ in range(3000):
            oid, attempt = r.randrange(1 << 40), r.randrange(1, 100)
            duration, outcome = st_.draw(oid, attempt, 0.0)
            state = rng.entity(st_.key, oid, attempt)
            u = rng.draw(state, 0)
            if u < cfg.throttle_rate:
                assert (duration, outcome) == (cfg.throttle_delay_s, "throttle")
                continue
            k = cfg.task_shape
            prod = 1.0
            for i in range(2, 2 + k):
                prod *= 1.0 - rng.draw(state, i)
            task = (-st_.mean_task_s * math.log(1.0 - rng.draw(state, 2)) if k == 1
                    else -(st_.mean_task_s / k) * math.log(prod))
            failed = u < cfg.throttle_rate + cfg.fail_rate
            want = (task * rng.draw(state, 1), "error") if failed else (task, "ok")
            assert (duration, outcome) == want
    sc = load_scenario("scenarios/mmc.toml", MMC)
    job = Simulation(sc, seed=9).stations["job"]
    for oid in range(1, 2000):
        state = rng.entity(job.key, oid, 1)
        assert job.draw(oid, 1, 0.0) == (-job.mean_task_s * math.log(1.0 - rng.draw(state, 2)),
                                         "ok")


def test_a_window_of_two_deques_trims_and_sorts_as_one_of_pairs():
    r = random.Random(2)
    w = Window(60.0)
    pairs = []
    t = 0.0
    for _ in range(6000):
        t += r.expovariate(2.0)
        x = r.expovariate(0.1)
        w.add(t, x)
        pairs.append((t, x))
        pairs = pairs[-4096:]
        if r.random() < 0.05:
            kept = [v for s, v in pairs if s >= t - 60.0]
            pairs = [(s, v) for s, v in pairs if s >= t - 60.0]
            assert w.values(t) == sorted(kept)
            assert w.count(t) == len(kept)
