"""The key figures (service level, wait p95 against the target, what was lost, margin,
rentals) have one definition: the snapshot's equal the summary's, and each is checked
against the event log it summarises."""

from __future__ import annotations

import pytest

from sim import Simulation, load_scenario
from sim.eventlog import field

HOUR = 3600.0


@pytest.fixture(scope="module")
def rush():
    sim = Simulation(load_scenario("scenarios/rush-hour.toml"), seed=4, keep_log=True)
    sim.advance_to(3.4 * HOUR)      # the flash crowd
    return sim


def test_snapshot_and_summary_show_the_same_figures(rush):
    assert rush.snapshot().kpi == rush.summary()["kpi"]


def test_service_level_counts_starts_within_the_target_and_gave_ups_as_misses(rush):
    k = rush.summary()["kpi"]
    starts = {}
    submitted = {}
    for r in rush.log.records:
        if r[1] == "enqueue":
            submitted[field(r, "order")] = r[0]
        elif r[1] == "start" and field(r, "order") not in starts:
            starts[field(r, "order")] = r[0]
    refunded_before_start = sum(
        1 for r in rush.log.records if r[1] == "refund" and field(r, "order") in submitted
        and field(r, "order") not in starts)
    within = sum(1 for o, t in starts.items() if t - submitted[o] <= k["target_wait_s"])
    ended = {field(r, "order") for r in rush.log.records if r[1] in ("refund", "deliver")}
    overdue = sum(1 for o, t in submitted.items() if o not in starts and o not in ended
                  and rush.now - t > k["target_wait_s"])
    judged = len(starts) + refunded_before_start + overdue
    assert k["orders_waiting_past_target"] == overdue
    assert k["orders_judged"] == judged
    assert k["service_level"] == pytest.approx(within / judged)
    assert 0.5 < k["service_level"] < 1.0
    assert k["service_level_met"] is (k["service_level"] >= k["target_share"])


def test_revenue_lost_adds_up_from_the_log(rush):
    k = rush.summary()["kpi"]
    prices = {m.name: m.price_cents for m in rush.scenario.models.values()}
    model_of = {field(r, "order"): field(r, "model") for r in rush.log.records
                if r[1] == "place"}
    refunded_cents = sum(prices[model_of[field(r, "order")]] for r in rush.log.records
                         if r[1] == "refund")
    lost = k["revenue_lost_by_cause_cents"]
    assert k["customers_turned_away"] == sum(1 for r in rush.log.records if r[1] == "reject")
    assert k["customers_turned_away"] > 0 and lost["turned_away"] > 0
    assert lost["failed"] + lost["left"] + lost["cancelled"] == refunded_cents > 0
    assert k["revenue_lost_cents"] == sum(lost.values())


def test_margin_and_rentals(rush):
    s = rush.summary()
    k, m = s["kpi"], s["money_cents"]
    assert k["margin"] == pytest.approx(m["profit"] / m["revenue"])
    assert k["rental_cost_cents"] == m["rental_cost"] > 0
    last_slot = {field(r, "order"): field(r, "slot") for r in rush.log.records
                 if r[1] == "start"}
    delivered_on_rented = sum(field(r, "cents") for r in rush.log.records
                              if r[1] == "deliver" and last_slot[field(r, "order")][0] == 1)
    assert k["rental_revenue_cents"] == delivered_on_rented > 0



def test_an_outage_lowers_the_service_level_while_it_lasts():
    """Orders stuck behind a down model count as misses once past the target, before any
    of them starts or gives up."""
    sim = Simulation(load_scenario("scenarios/default.toml", ["wait_breaker.enabled=false"]),
                     seed=2)
    sim.advance_to(2 * HOUR)
    before = sim.snapshot().kpi
    sim.command("outage", model="image", duration_s=HOUR)
    sim.advance_to(2.9 * HOUR)
    during = sim.snapshot().kpi
    assert during["orders_waiting_past_target"] > 10
    assert during["service_level"] < before["service_level"] - 0.02
    assert not during["service_level_met"]


def test_the_rental_budget_and_what_is_left_of_it():
    sim = Simulation(load_scenario("scenarios/rush-hour.toml", ["autoscaler.budget_cents=2000"]),
                     seed=1)
    sim.advance_to(3.3 * HOUR)
    k = sim.snapshot().kpi
    assert k["rental_budget_cents"] == 2000
    assert k["rental_budget_left_cents"] == 2000 - k["rental_cost_cents"] >= 0
    assert k["rental_cost_cents"] > 1000            # the cap let rentals happen
    unlimited = Simulation(load_scenario("scenarios/rush-hour.toml"), seed=1)
    unlimited.advance_to(HOUR)
    assert unlimited.summary()["kpi"]["rental_budget_left_cents"] is None
