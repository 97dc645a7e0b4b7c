"""Core speed and memory: River against SimPy on the same M/M/c, and a 7-day memory profile.

    python bench/bench_core.py [--customers N] [--days D]

Prints figures, asserts nothing (timings vary by machine; the ratio is what to read):
* customers per second for a plain M/M/c in SimPy and in River (``scenarios/mmc.toml``),
  run in this process one after the other, and River / SimPy;
* customers per second of the complete default model, against SimPy's plain M/M/c;
* traced memory after each simulated day of the default scenario: it must stay flat
  (bounded windows, logs and departures; no per-event growth);
* the cost per customer: microseconds of the complete default model per customer, and of
  its keyed draws alone (issue 17: a customer's attributes, then each order's task time and
  outcome on its first attempt, from keys of their ids; retries, a few percent, not counted).
Goals (issue 2): River >= 3x SimPy on M/M/c; the complete default model >= 1.5x SimPy.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import sys
import time
import tracemalloc

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from sim import Simulation, load_scenario  # noqa: E402

C, LAM, MU = 10, 9.0, 1.0


def simpy_mmc(customers: int, seed: int = 1) -> tuple[float, float]:
    """SimPy's textbook M/M/c (Resource + one process per customer)."""
    import simpy

    rnd = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=C)
    waits = []

    def customer(env):
        t0 = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - t0)
            yield env.timeout(rnd.expovariate(MU))

    def source(env):
        for _ in range(customers):
            yield env.timeout(rnd.expovariate(LAM))
            env.process(customer(env))

    env.process(source(env))
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0
    return customers / wall, sum(waits) / len(waits)


def river(scenario_name: str, customers: int, overrides=()) -> tuple[float, float]:
    sc = load_scenario(f"scenarios/{scenario_name}.toml", list(overrides))
    sim = Simulation(sc, seed=1)
    rate_per_s = sc.arrivals.rate_per_min / 60.0
    t0 = time.perf_counter()
    sim.advance_to(customers / rate_per_s)
    wall = time.perf_counter() - t0
    s = sim.summary()
    return s["customers"]["arrived"] / wall, s["wait_seconds"]["mean"]


def draw_cost(customers: int) -> float:
    """Microseconds per customer of the keyed draws alone: ``Crowd.make``, then for each of
    their orders the draw of its first call (``Station.draw``)."""
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=1)
    crowd = sim.arrivals.crowd
    stations = sim.stations
    oid = 1
    t0 = time.perf_counter()
    for cid in range(1, customers + 1):
        _, wants = crowd.make(cid, 0.0)
        for model in wants:
            stations[model].draw(oid, 1, 0.0)
            oid += 1
    return (time.perf_counter() - t0) / customers * 1e6


def memory_days(days: int) -> list[tuple[int, float, int]]:
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=1)
    tracemalloc.start()
    out = []
    for day in range(1, days + 1):
        sim.advance_to(day * 86400.0)
        current, peak = tracemalloc.get_traced_memory()
        out.append((day, current / 1e6, sim.events))
    tracemalloc.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--days", type=int, default=7)
    a = ap.parse_args()
    n = a.customers
    sp_rate, sp_wait = simpy_mmc(n)
    rv_rate, rv_wait = river("mmc", n, [f"models.job.slots={C}",
                                        f"arrivals.rate_per_min={LAM * 60}"])
    full_n = max(2000, n // 50)
    full_rate, _ = river("default", full_n)
    print(f"M/M/c c={C} lambda={LAM}/s mu={MU}/s, {n:,} customers each")
    print(f"  SimPy        {sp_rate:>10,.0f} customers/s   mean wait {sp_wait:.3f} s")
    print(f"  River        {rv_rate:>10,.0f} customers/s   mean wait {rv_wait:.3f} s")
    print(f"  ratio River/SimPy = {rv_rate / sp_rate:.2f}x   (goal >= 3x)")
    print(f"complete default model ({full_n:,} customers): {full_rate:,.0f} customers/s, "
          f"ratio to SimPy's plain M/M/c = {full_rate / sp_rate:.2f}x   (goal >= 1.5x)")
    print(f"cost per customer: {1e6 / full_rate:.1f} us in the complete default model, "
          f"of which keyed draws {draw_cost(full_n):.1f} us")
    mem = memory_days(a.days)
    print(f"memory of a {a.days}-day default run (tracemalloc, current after each day):")
    for day, mb, events in mem:
        print(f"  day {day}: {mb:6.2f} MB   events so far {events:,}")
    first, last = mem[0][1], mem[-1][1]
    print(f"  growth day 1 -> day {a.days}: {last - first:+.2f} MB "
          f"({(last / first - 1) * 100 if first else 0:+.1f}%) while events grew "
          f"{mem[-1][2] / max(1, mem[0][2]):.1f}x")


if __name__ == "__main__":
    main()
