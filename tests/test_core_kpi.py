"""The key figures (service level, wait p95 against the target, what was lost, margin,
rentals) have one definition: the snapshot's equal the summary's, and each is checked
against the event log it summarises."""

from __future__ import annotations

import math

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


def test_service_level_counts_everyone_who_came(rush):
    """Starts within the target over every order asked for: those that started, gave up,
    still wait past the target, the shopping lists of customers turned away at the door and
    the orders of customers who left before those orders reached a queue -- from the log."""
    k = rush.summary()["kpi"]
    starts = {}
    submitted = {}
    for r in rush.log.records:
        if r[1] == "enqueue":
            submitted.setdefault(field(r, "order"), r[0])
        elif r[1] == "start" and field(r, "order") not in starts:
            starts[field(r, "order")] = r[0]
    refunded_before_start = sum(
        1 for r in rush.log.records if r[1] == "refund" and field(r, "order") in submitted
        and field(r, "order") not in starts)
    within = sum(1 for o, t in starts.items() if t - submitted[o] <= k["target_wait_s"])
    ended = {field(r, "order") for r in rush.log.records if r[1] in ("refund", "deliver")}
    overdue = sum(1 for o, t in submitted.items() if o not in starts and o not in ended
                  and rush.now - t > k["target_wait_s"])
    turned_away = sum(field(r, "orders") for r in rush.log.records if r[1] == "reject")
    left = {field(r, "customer") for r in rush.log.records if r[1] == "leave"}
    left_unqueued = sum(1 for r in rush.log.records if r[1] == "refund"
                        and field(r, "customer") in left and field(r, "order") not in submitted
                        and field(r, "state") == "refunded_abandon")
    judged = len(starts) + refunded_before_start + overdue + turned_away + left_unqueued
    assert turned_away > k["customers_turned_away"] > 0 and left_unqueued > 0
    assert k["orders_waiting_past_target"] == overdue
    assert (k["orders_turned_away"], k["orders_left_unqueued"]) == (turned_away, left_unqueued)
    assert k["orders_judged"] == judged
    assert k["service_level_run"] == k["service_level"] == pytest.approx(within / judged)
    assert 0.5 < k["service_level"] < 1.0
    assert k["service_level_met"] is (within >= k["target_share"] * judged)


def test_turning_everyone_away_is_no_service():
    """A door that lets almost nobody in must not read as a perfect service level."""
    sim = Simulation(load_scenario("scenarios/default.toml",
                                   ["door.admit_per_min=0.05", "door.burst=1"]), seed=2)
    sim.advance_to(2 * HOUR)
    k = sim.summary()["kpi"]
    assert k["customers_turned_away"] > 0.9 * sim.counts["arrived"]
    assert k["service_level"] < 0.2 and not k["service_level_met"]


def test_headline_wait_counts_those_who_gave_up_over_the_window(rush):
    """wait p95 of the live window: started and gave-up orders whose wait ended in the last
    ``window_s``, the gave-ups with the time they had waited; rebuilt from the log."""
    k = rush.summary()["kpi"]
    submitted, started, waits = {}, set(), []
    cut = rush.now - k["window_s"]
    for r in rush.log.records:
        o = field(r, "order") if r[1] in ("enqueue", "start", "refund") else None
        if r[1] == "enqueue":
            submitted.setdefault(o, r[0])
        elif r[1] == "start" and o not in started:
            started.add(o)
            if r[0] >= cut:
                waits.append(r[0] - submitted[o])
        elif r[1] == "refund" and o in submitted and o not in started and r[0] >= cut:
            waits.append(r[0] - submitted[o])
    waits.sort()
    p95 = waits[math.ceil(0.95 * len(waits)) - 1]
    assert k["wait_p95_last_window_s"] == k["wait_p95_s"] == pytest.approx(p95)
    assert k["wait_p95_last_window_count"] == len(waits)
    assert k["window_s"] == k["wait_p95_window_s"] == rush.scenario.metrics.window_s
    assert rush.alerts.items["wait_p95"].value == pytest.approx(
        rush.series["wait_p95"].points[-1][1])    # the lamp reads the sparkline's figure


def test_margin_is_none_without_revenue():
    sim = Simulation(load_scenario("scenarios/default.toml", ["arrivals.rate_per_min=0"]),
                     seed=1)
    sim.advance_to(600)
    k = sim.summary()["kpi"]
    assert k["margin"] is None and sim.summary()["money_cents"]["profit"] < 0


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


def test_aliases_and_planning_columns_name_what_they_cover(rush):
    """Old keys are aliases of the named figures; a sweep's columns take the run's."""
    from planning.metrics import PLATFORM, extract, metric_names
    from sim import KPI_ALIASES

    s = rush.summary()
    k = s["kpi"]
    assert all(k[old] == k[new] for old, new in KPI_ALIASES.items())
    assert k["wait_p95_s"] == k["wait_p95_last_window_s"] != k["wait_p95_run_s"]
    row = dict(zip(metric_names(list(rush.stations)), extract(s, list(rush.stations)),
                   strict=True))
    assert row["service_level_run"] == k["service_level_run"]
    assert row["wait_p95_run_s"] == k["wait_p95_run_s"]
    assert all("run" in PLATFORM[name] for name in ("wait_p95_s", "service_level_run"))
