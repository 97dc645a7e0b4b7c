"""The benchmark's timed path, pinned without timing: ``bench/bench_core.py`` runs the real
River M/M/c (event log and hash, ledger, metrics all on) on the arrival times SimPy reads,
and the work per customer may only go down.

Nothing here reads a clock: engine events per customer are counted by the engine
(:attr:`sim.engine.Engine.processed`), and the log's hash pins what the timed run does.
"""

from __future__ import annotations

import pathlib
import sys

import pytest

from sim import Simulation, load_scenario

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "bench"))
import bench_core  # noqa: E402

#: River's event-log hash of bench_core's timed M/M/20 at rho 0.9 over its first ~2,000
#: customers (the same path the benchmark times, cut short).  A change to the event log on
#: purpose regenerates it (print ``bench_core.river_mmc(20, 18.0, T_SMALL)[3]``).
MMC20_SHA256 = "775350740483de852e12221e8f1e8f82760bbd74bc719a77ffd376c3c0c861c9"
T_SMALL = 2000 / 18.0


def test_the_timed_mmc_run_writes_the_pinned_log():
    wall, arrived, wait, sha, per_customer = bench_core.river_mmc(20, 18.0, T_SMALL)
    assert sha == MMC20_SHA256
    assert 1900 < arrived < 2100


def test_mmc_takes_two_engine_events_a_customer():
    """An arrival and a call's end: nothing else is scheduled per customer when every feature
    is off (no timer per order, no tick between customers).  May only go down."""
    sim = bench_core.mmc_simulation(20, 18.0)
    sim.advance_to(5000 / 18.0)
    arrived = sim.counts["arrived"]
    assert arrived > 4500
    assert sim.engine.processed <= 2 * arrived + 2


DEFAULT_EVENTS_PER_CUSTOMER = 5.0   # measured 4.98 at 5,000 customers (6.83 before a served order
#                                  stopped costing a wait-breaker deadline event): down only


def test_default_model_engine_events_per_customer_only_go_down():
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=1)
    sim.advance_to(5000 / (sim.scenario.arrivals.rate_per_min / 60.0))
    per_customer = sim.engine.processed / sim.counts["arrived"]
    assert 3.0 < per_customer <= DEFAULT_EVENTS_PER_CUSTOMER


def test_simpy_heapq_and_river_see_the_same_arrivals():
    pytest.importorskip("simpy")
    t_end = 1000 / 18.0
    _, river_n, _, _, _ = bench_core.river_mmc(20, 18.0, t_end)
    _, simpy_n, _ = bench_core.simpy_mmc(20, 18.0, t_end)
    _, heapq_n, _, per_customer = bench_core.heapq_mmc(20, 18.0, t_end)
    assert river_n == simpy_n == heapq_n > 900
    assert 1.9 < per_customer <= 2.0   # customers still in service at the end: < 2



def test_the_books_floor_plays_rivers_queue():
    """bench/books_floor.py's fused books play the M/M/20 River times -- its arrival stream
    and its keyed task times -- so the floor it prints is for the same work on the same
    queue: the same arrivals and the same waits, to the last bit of their mean."""
    import books_floor
    t_end = 1000 / 18.0
    _, river_n, river_wait, _, _ = bench_core.river_mmc(20, 18.0, t_end)
    _, floor_n, floor_wait = books_floor.floor_mmc(20, 18.0, t_end)
    assert floor_n == river_n > 900
    assert floor_wait == river_wait > 0.0
    # left-out books change the cost, not the queue
    _, n, wait = books_floor.floor_mmc(20, 18.0, t_end, frozenset(books_floor.BOOKS))
    assert (n, wait) == (river_n, river_wait)


def test_the_flash_parts_nest_and_leave_the_core_as_it_was():
    """bench/flash_parts.py's parts are inside the time they are shares of (the walk, the
    curve and the lanes inside the estimate, the estimate inside advance_to: each counted
    once however its calls nest), and the core's functions are its own again afterwards."""
    import flash_parts

    from sim import stations
    before = [getattr(owner, name) for _, owner, name in flash_parts.PARTS]
    lo = flash_parts.bb.MEASURE_S[0]
    total, spent = flash_parts.measure((lo, lo + 120.0))
    assert [getattr(owner, name) for _, owner, name in flash_parts.PARTS] == before
    assert stations.walk is before[3]
    inner = spent["  the walk"] + spent["  the start curve"] + spent["  the lanes listed"]
    assert 0.0 < spent["  the walk"] and inner <= spent[flash_parts.ESTIMATE] < total


# -- pay only for what is switched on ------------------------------------------------------

#: each feature on, set so that it never acts on this M/M/20 (no failures for the circuit, a
#: door that always has room, a breaker bound of 1000 task times, nothing the autoscaler may rent)
ON_IDLE = {
    "door": ["door.enabled=true", "door.admit_per_min=100000", "door.burst=100000",
             "door.lobby_max_orders=10000000"],
    "circuit": ["circuit.enabled=true"],
    "wait_breaker": ["wait_breaker.enabled=true", "wait_breaker.multiplier=1000"],
    "autoscaler": ["autoscaler.enabled=true"],
}
OFF = {name: [f"{name}.enabled=false"] for name in ON_IDLE}


def _records(overrides: list[str]) -> list[tuple]:
    sc = load_scenario("scenarios/mmc.toml", ["models.job.slots=20",
                                              "arrivals.rate_per_min=1080.0", *overrides])
    sim = Simulation(sc, seed=3, keep_log=True)
    sim.advance_to(600.0)
    return sim.log.records


def test_features_switched_on_but_never_triggered_write_what_off_writes():
    off = _records([o for v in OFF.values() for o in v])
    on = _records([o for v in ON_IDLE.values() for o in v])
    assert len(off) > 10_000
    assert on == off


@pytest.mark.parametrize("feature", sorted(ON_IDLE))
def test_each_feature_on_but_idle_writes_what_off_writes(feature):
    others = [o for name, v in OFF.items() if name != feature for o in v]
    assert _records(others + ON_IDLE[feature]) == _records(others + OFF[feature])


# -- the fused paths write what the parts write ----------------------------------------------

def _run(path: str, fused: bool, overrides: tuple[str, ...] = (), seed: int = 5,
         t_end: float = 3600.0) -> tuple[list[tuple], dict]:
    sim = Simulation(load_scenario(path, list(overrides)), seed=seed, keep_log=True)
    fused_models = [name for name, d in sim.flow.dispatchers.items() if "dispatch" in vars(d)]
    if not fused:
        for d in sim.flow.dispatchers.values():
            vars(d).pop("dispatch", None)      # back to the general Dispatcher.dispatch
    sim.advance_to(t_end)
    return sim.log.records, {"fused": fused_models, "summary": sim.summary()}


@pytest.mark.parametrize("path,overrides,t_end", [
    ("scenarios/mmc.toml", ("models.job.slots=20", "arrivals.rate_per_min=1080.0"), 300.0),
    # every feature on: door, circuit (failures, 429s), 3x breaker, autoscaler, batching
    ("scenarios/default.toml", (), 4 * 3600.0),
])
def test_the_fused_dispatch_writes_what_the_general_path_writes(path, overrides, t_end):
    """A model that calls one order at a time with no rental budget takes the fused path
    (chosen at construction); the general path must write the same log and the same
    summary, every feature of the default model on."""
    fused, info = _run(path, True, overrides, t_end=t_end)
    general, general_info = _run(path, False, overrides, t_end=t_end)
    assert info["fused"], "no model took the fused path"
    assert len(fused) > 2000
    assert fused == general
    assert info["summary"] == general_info["summary"]
