"""Reliability of the core at its edges: the crashes, stalls and unbounded growth once found.

Each test reproduces a reported failure (reliability issue, items 1, 2, 8, 9, 10, 12) and
checks the behaviour that replaced it, with numbers.
"""

from __future__ import annotations

import statistics
import tracemalloc

import pytest

from bench.bench_soak import settled_memory
from sim import Simulation, load_scenario

HOUR = 3600.0


def sim_for(scenario: str = "default", overrides: tuple[str, ...] = (), seed: int = 1,
            keep_log: bool = False) -> Simulation:
    return Simulation(load_scenario(f"scenarios/{scenario}.toml", list(overrides)), seed=seed,
                      keep_log=keep_log)


def kinds(sim: Simulation, kind: str) -> list[tuple]:
    return [r for r in sim.log.records if r[1] == kind]


# -- item 1: an asked customer who finishes before answering ----------------------------------
@pytest.mark.parametrize("overrides", [
    ("wait_breaker.answer_after_s=1200",),
    # a minute to answer: with the honest estimate (issue 19) few two-second image orders are
    # asked, so the visit must be given time to end while the question is open
    ("arrivals.rate_per_min=2000", "models.image.mean_task_s=2",
     "wait_breaker.answer_after_s=60"),
])
def test_a_customer_who_finishes_while_asked_gets_no_answer_event(overrides):
    scenario, hours = ("rush-hour", 8.0) if len(overrides) == 1 else ("default", 1.0)
    for seed in range(1, 7):   # the case is rare (a few customers an hour): the first seed
        sim = sim_for(scenario, overrides, seed=seed, keep_log=True)   # that reaches it
        sim.advance_to(hours * HOUR)   # used to raise AttributeError in the answer handler
        done_at = {r[2]: r[0] for r in kinds(sim, "done")}
        asked = {r[2] for r in kinds(sim, "ask")}
        finished_while_asked = [c for c in asked if c in done_at
                                and not any(a[2] == c and a[0] <= done_at[c]
                                            for a in kinds(sim, "answer"))]
        if finished_while_asked:
            break
    assert finished_while_asked, "the scenario must reach the case it guards"
    for cid in finished_while_asked:
        assert not any(a[2] == cid for a in kinds(sim, "answer"))
    s = sim.summary()
    assert s["ledger_balanced"]
    assert s["customers"]["arrived"] == (s["customers"]["rejected"] + s["customers"]["left"]
                                         + s["customers"]["done"]
                                         + s["customers"]["in_building"])


# -- item 2: a cancelled half-open probe ----------------------------------------------------
PROBE = ("models.image.slots=1", "models.image.max_rented=0", "circuit.min_calls=1",
         "circuit.window_calls=1", "circuit.cooldown_s=60", "models.image.fail_rate=0",
         "models.image.throttle_rate=0", "autoscaler.enabled=false",
         "wait_breaker.enabled=false")


def _advance_until_probing(sim: Simulation, model: str, limit_s: float):
    st = sim.stations[model]
    while sim.now < limit_s:
        sim.advance_to(sim.now + 0.5)
        if st.breaker.state == "half_open" and st.breaker.probing:
            return [s.call.orders[0] for s in st.slots.values() if s.call is not None]
    raise AssertionError("no half-open probe reached")


@pytest.mark.parametrize("how", ["cancel_order", "clear_then_cancel"])
def test_a_cancelled_probe_does_not_block_the_model(how):
    sim = sim_for("default", PROBE)
    sim.command("outage", model="image", duration_s=400.0)  # one failed call trips it
    probe_orders = _advance_until_probing(sim, "image", 3 * HOUR)
    assert len(probe_orders) == 1
    if how == "clear_then_cancel":
        sim.command("clear_queue", model="image")
    sim.command("cancel_order", order_id=probe_orders[0].id)
    delivered_before = sim.stations["image"].delivered
    sim.advance_to(sim.now + 6 * HOUR)
    st = sim.stations["image"]
    # one slot of ~5 min tasks serves ~70 orders in 6 h; a stuck breaker served ~2
    assert st.delivered - delivered_before > 40
    assert st.breaker.state == "closed"


def test_a_customer_leaving_during_the_probe_frees_it():
    sim = sim_for("default", PROBE)
    sim.command("outage", model="image", duration_s=400.0)
    probe = _advance_until_probing(sim, "image", 3 * HOUR)[0]
    sim.flow.leave(probe.customer)        # the 3x breaker's answer "leave", directly
    assert probe.state == "refunded_cancel"
    before = sim.stations["image"].delivered
    sim.advance_to(sim.now + 6 * HOUR)
    assert sim.stations["image"].delivered - before > 40


# -- item 8: the rental budget is a cap -------------------------------------------------------
@pytest.mark.parametrize("budget", [1, 200, 500, 2000, 5000])
def test_rental_spend_never_passes_the_budget_and_rentals_still_happen(budget):
    sim = sim_for("rush-hour", (f"autoscaler.budget_cents={budget}",), seed=2, keep_log=True)
    sim.advance_to(6 * HOUR)
    s = sim.summary()
    spent = s["money_cents"]["rental_cost"]
    assert spent <= budget
    rents = kinds(sim, "rent")
    cfg = sim.scenario.models["image"]
    min_stay_cents = cfg.rented_cost_cents_per_h * (
        sim.scenario.autoscaler.provision_s + cfg.mean_task_s) / HOUR
    if budget >= 2 * min_stay_cents:
        assert rents, f"a budget of {budget} cents pays for rentals: some must happen"
        assert spent > 0
    if budget < min_stay_cents:
        assert not rents
    assert s["ledger_balanced"]


def test_without_a_budget_rentals_are_uncapped():
    sim = sim_for("rush-hour", (), seed=2)   # the seed of the budget test above
    sim.advance_to(6 * HOUR)
    assert sim.summary()["money_cents"]["rental_cost"] > 5000   # more than any budget tried


# -- item 9: the retry backoff has a ceiling --------------------------------------------------
def test_backoff_delays_stay_under_the_ceiling():
    sim = sim_for("default", ("retry.factor=10", "retry.max_attempts=8", "retry.base_s=30",
                              "models.image.fail_rate=0.5", "retry.max_backoff_s=120"),
                  keep_log=True)
    sim.advance_to(4 * HOUR)
    delays = [r[3] for r in kinds(sim, "backoff")]
    assert len(delays) > 100
    assert max(delays) <= 120.0
    assert max(delays) > 60.0          # full jitter under the cap, not a tiny cap


def test_default_backoff_ceiling_is_five_minutes():
    sc = load_scenario("scenarios/default.toml")
    assert sc.retry.max_backoff_s == 300.0


# -- item 10: memory is flat at the largest breaker multiplier --------------------------------
def test_memory_flat_over_a_week_at_multiplier_1000():
    """Traced memory on day 7 stays within 5 % of day 1's (the median of samples taken over
    the last 12 hours of each, each with an empty log buffer)."""
    sim = sim_for("default", ("wait_breaker.multiplier=1000",))

    def median_over(first_h: int, last_h: int) -> float:
        samples = []
        for h in range(first_h, last_h + 1):
            sim.advance_to(h * HOUR)
            samples.append(settled_memory(sim))
        return statistics.median(samples)

    tracemalloc.start()
    try:
        sim.advance_to(12 * HOUR)
        day1 = median_over(12, 24)
        sim.advance_to(156 * HOUR)
        day7 = median_over(156, 168)
    finally:
        tracemalloc.stop()
    assert sim.counts["arrived"] > 30000
    assert day7 <= day1 * 1.05, (day1, day7)


# -- item 12: a reader gets every record exactly once -----------------------------------------
def test_records_since_returns_each_record_once_across_frames():
    sim = sim_for("outage", (), keep_log=True)
    seen: list[tuple] = []
    seq = 0
    t = 0.0
    skipped = 0
    while t < 3 * HOUR:
        t += 10.0            # x600 at 60 fps: 10 simulated seconds a frame
        sim.advance_to(t)
        records, seq, gap = sim.log.since(seq)
        seen.extend(records)
        skipped += gap
    assert seq == sim.log.total()
    assert skipped == 0
    assert seen == sim.log.records      # every record read once, in order
    refunds = [r for r in seen if r[1] == "refund"]
    assert len(refunds) > 10
    assert len(refunds) == len({r[2] for r in refunds})


def test_a_reader_far_behind_is_told_how_many_records_it_missed():
    sim = sim_for("outage", ())
    sim.advance_to(3 * HOUR)
    total = sim.log.total()
    records, seq, skipped = sim.log.since(0)
    assert seq == total
    assert skipped == total - len(records) > 0
    assert len(records) >= 256
    again, seq2, gap2 = sim.log.since(seq)
    assert (again, seq2, gap2) == ([], seq, 0)
