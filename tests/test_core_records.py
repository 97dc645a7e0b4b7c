"""Every record the core emits matches its declared kind (``sim.eventlog.KINDS``): field
count and types, in runs that reach every kind -- operator commands, outages, retries, the
3x breaker, rentals, a rental budget, batching, alerts."""

from __future__ import annotations

from test_core_golden_commands import SESSION

from sim import Simulation, load_scenario
from sim.commands import make_command
from sim.eventlog import FAIL_REASONS, KINDS, field, fields, problem


def _records(name: str, overrides=(), hours: float = 3.0, commands=()) -> list[tuple]:
    sim = Simulation(load_scenario(f"scenarios/{name}.toml", list(overrides)), seed=5,
                     commands=commands, keep_log=True)
    sim.advance_to(hours * 3600)
    return sim.log.records


def test_every_emitted_record_matches_its_kind():
    cmds = [make_command(t, n, a, "test") for t, n, a in SESSION]
    records = (_records("rush-hour", hours=6.0) + _records("outage")
               + _records("default", ["autoscaler.budget_cents=300",
                                      "models.image.fail_rate=0.3"], commands=cmds)
               + _records("default", ["door.lobby_max_orders=5", "arrivals.rate_per_min=30",
                                      "arrivals.vip_share=0.9", "tiers.L1.wallet_min_cents=10",
                                      "tiers.L1.wallet_max_cents=40"], hours=1.0))
    bad = [p for p in map(problem, records) if p]
    assert not bad, bad[:5]
    seen = {r[1] for r in records}
    assert seen == set(KINDS), set(KINDS) - seen       # every kind was reached
    assert {field(r, "why") for r in records if r[1] == "fail"} <= set(FAIL_REASONS)


def test_a_wrong_record_is_caught():
    assert problem((1.0, "deliver", 5, 7, 100)) is None
    assert "fields" in problem((1.0, "deliver", 5, 7))
    assert "declared int" in problem((1.0, "deliver", 5, 7, 1.5))
    assert "declared int" in problem((1.0, "deliver", True, 7, 100))   # bool is not int
    assert "unknown kind" in problem((1.0, "teleport", 5))
    assert "pair" in problem((1.0, "start", 5, "image", (0,), 1))


def test_fields_by_name():
    rec = (12.5, "enqueue", 3, 9, "image", "vip", 50, 0.0, 0.0, 0.0)
    assert fields(rec) == {"t_s": 12.5, "kind": "enqueue", "order": 3, "customer": 9,
                           "model": "image", "lane": "vip", "price_cents": 50,
                           "est_wait_s": 0.0, "est_wait_lo_s": 0.0, "est_wait_hi_s": 0.0}
    assert field(rec, "lane") == "vip"
