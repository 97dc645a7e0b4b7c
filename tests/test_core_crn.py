"""Common random numbers: two runs that differ in one knob meet the same customers with the
same luck (issue 17).

Each test runs a scenario twice, changing only one thing (capacity, the 3x breaker's
multiplier, the autoscaler, a rental budget, an injected outage), and reads from the event
logs, for every order served in both runs:

* per (order, attempt), the call's length and outcome (``start`` to its ``deliver`` /
  ``fail``; calls cut short by a cancel are not read), for models that do not batch;
* per (order, attempt), the retry delay (``backoff``): the same share of the same ceiling;
* arrivals (time, tier, VIP, wallet) and shopping lists (``place``) of everyone.

They must be equal, and there must be many of them (and the runs must differ, or the test
would prove nothing).  Before keyed draws they were not: task times came from one stream per
model in dispatch order, retry jitter from one stream in retry order.
"""

from __future__ import annotations

import pytest

from sim import Simulation, load_scenario
from sim.commands import make_command

HOUR = 3600.0
# failures common enough that retries (and their jitter) happen often
FLAKY = ["models.image.fail_rate=0.08", "models.audio.fail_rate=0.05",
         "models.video.fail_rate=0.06"]


def run(overrides=(), commands=(), scenario="rush-hour", seed=11, hours=4.0) -> Simulation:
    sim = Simulation(load_scenario(f"scenarios/{scenario}.toml", [*FLAKY, *overrides]),
                     seed=seed, commands=commands, keep_log=True)
    sim.advance_to(hours * HOUR)
    return sim


def luck(sim: Simulation) -> tuple[dict, dict, list, dict]:
    """(calls, jitters, arrivals, places) read from the log (see the module docstring)."""
    batching = {n for n, m in sim.scenario.models.items() if m.batch_max > 1}
    calls: dict[tuple[int, int], tuple[float, str]] = {}
    jitters: dict[tuple[int, int], float] = {}
    running: dict[int, tuple[float, int]] = {}
    failed_attempt: dict[int, int] = {}
    arrivals, places = [], {}
    for r in sim.log.records:
        t, kind = r[0], r[1]
        if kind == "start":
            if r[3] not in batching:
                running[r[2]] = (t, r[5])
        elif kind == "deliver":
            if r[2] in running:
                t0, attempt = running.pop(r[2])
                calls[(r[2], attempt)] = (t - t0, "ok")
        elif kind == "fail":
            failed_attempt[r[2]] = r[5]
            if r[2] in running:
                t0, attempt = running.pop(r[2])
                calls[(r[2], attempt)] = (t - t0, r[4])
        elif kind == "refund":
            running.pop(r[2], None)
        elif kind == "backoff":
            jitters[(r[2], failed_attempt[r[2]])] = r[3]
        elif kind == "arrive":
            arrivals.append(r)
        elif kind == "place":
            places[r[2]] = (r[3], r[4])
    return calls, jitters, arrivals, places


def assert_same_luck(a: Simulation, b: Simulation, skip_outcome: str | None = None) -> None:
    assert a.event_log_sha256() != b.event_log_sha256(), "the knob must change the run"
    calls_a, jit_a, arr_a, places_a = luck(a)
    calls_b, jit_b, arr_b, places_b = luck(b)
    assert arr_a == arr_b
    common_orders = places_a.keys() & places_b.keys()
    assert len(common_orders) > 500
    assert all(places_a[o] == places_b[o] for o in common_orders)
    common = [k for k in calls_a.keys() & calls_b.keys()
              if skip_outcome not in (calls_a[k][1], calls_b[k][1])]
    assert len(common) > 500
    assert {calls_a[k][1] for k in common} >= {"ok", "error", "throttle"}
    assert any(k[1] > 1 for k in common), "retried attempts must be compared too"
    for k in common:
        (da, oa), (db, ob) = calls_a[k], calls_b[k]
        assert oa == ob, f"order {k[0]} attempt {k[1]}: {oa} vs {ob}"
        assert da == pytest.approx(db, rel=1e-9, abs=1e-6), f"order {k[0]} attempt {k[1]}"
    common_jit = jit_a.keys() & jit_b.keys()
    assert len(common_jit) > 50
    for k in common_jit:
        assert jit_a[k] == pytest.approx(jit_b[k], rel=1e-12), f"retry of {k}"


def test_capacity_change_keeps_every_orders_luck():
    assert_same_luck(run(), run(["models.image.slots=26"]))


def test_breaker_multiplier_keeps_every_orders_luck():
    assert_same_luck(run(), run(["wait_breaker.multiplier=1.5"]))


def test_autoscaler_off_keeps_every_orders_luck():
    assert_same_luck(run(), run(["autoscaler.enabled=false"]))


def test_rental_budget_keeps_every_orders_luck():
    assert_same_luck(run(), run(["autoscaler.budget_cents=1500"]))


def test_outage_keeps_every_orders_luck_outside_it():
    """Calls during the outage fail as ``outage``; every other attempt keeps its luck."""
    outage = make_command(5400.0, "outage", {"model": "image", "duration_s": 900.0})
    assert_same_luck(run(), run(commands=[outage]), skip_outcome="outage")


def test_a_batch_is_keyed_by_its_first_order():
    """The LLM station batches: a call lasts its first order's draw (that order's attempt)
    and shares its outcome, so a batch headed by the same order on the same attempt is the
    same call in both runs -- whatever else was in the basket."""
    a, b = run(), run(["models.image.slots=26"])

    def heads(sim):
        batch_model = next(n for n, m in sim.scenario.models.items() if m.batch_max > 1)
        out, pending, call = {}, {}, None
        for r in sim.log.records:
            if r[1] == "start" and r[3] == batch_model:
                if (r[0], r[4]) != call:      # a call's orders start together, head first
                    call = (r[0], r[4])
                    pending[r[2]] = (r[0], r[5])
            elif r[1] in ("deliver", "fail", "refund") and r[2] in pending:
                t0, attempt = pending.pop(r[2])
                if r[1] != "refund":
                    out[(r[2], attempt)] = (r[0] - t0, "ok" if r[1] == "deliver" else r[4])
        return out

    ha, hb = heads(a), heads(b)
    common = ha.keys() & hb.keys()
    assert len(common) > 100
    for k in common:
        assert ha[k][1] == hb[k][1]
        assert ha[k][0] == pytest.approx(hb[k][0], rel=1e-9, abs=1e-6)
