"""Core speed and memory: River against SimPy, Ciw and a bare ``heapq`` loop on one M/M/c.

    python bench/bench_core.py [--servers C] [--rho R] [--customers N] [--days D]
                               [--repeat K]

Prints figures, asserts nothing (timings vary by machine; the ratios, measured in the same
run, the simulators taken in turn ``--repeat`` times and the medians kept, are what to read;
times are this process's CPU seconds, so a shared machine's other jobs do not count):
* customers per second of the textbook M/M/c (c servers, mu = 1/s, lambda = rho x c x mu)
  in SimPy (its idiomatic ``Resource`` model), Ciw, River (``scenarios/mmc.toml``, the real
  path: event log and its hash, ledger, metrics all on) and a bare ``heapq`` loop (the
  ceiling of pure Python), each with its ratio to SimPy; and River's books fused into two
  handlers (``bench/books_floor.py``: not River, the floor under what its books cost).
  SimPy, River, the books fused and the ``heapq`` loop read the same arrival times (River's
  ``arrivals`` stream) up to the same simulated time, and the run checks that they saw the
  same number of arrivals; River's event-log hash of the timed run is printed
  (``tests/test_core_bench.py`` pins it at small N);
* River again without the wait estimate (issue 19's ETA replaced by 0 s; its log differs, so
  it is not pinned): what the rest of the core costs, beside what the estimate costs;
* engine events per customer (River and the ``heapq`` loop);
* customers per second of the complete default model, against SimPy's M/M/c;
* the cost per customer: microseconds of the complete default model per customer, and of
  its keyed draws alone;
* traced memory after each simulated day of the default scenario: it must stay flat.
Goals (issue 18): River on M/M/20 at rho 0.9 >= 1.5x SimPy; the complete default model
>= 0.4x SimPy's M/M/20.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import sys
import time
import tracemalloc
from collections import deque
from heapq import heappop, heappush

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from sim import Simulation, load_scenario, rng  # noqa: E402

SEED = 1
MU = 1.0
#: CPU seconds of this process: on a shared machine the time spent descheduled is not the
#: simulator's (wall clocks moved +-50 % run to run here; CPU time a few %)
clock = time.process_time


def arrival_stream(seed: int = SEED) -> random.Random:
    """A copy of River's arrival-time stream of ``seed`` (``Streams(seed)["arrivals"]``)."""
    r = random.Random()
    r.setstate(rng.Streams(seed)["arrivals"].getstate())
    return r


def rate_per_s(lam: float) -> float:
    """Lambda as River reads it back from ``arrivals.rate_per_min`` (same float)."""
    return (lam * 60.0) / 60.0


def simpy_mmc(c: int, lam: float, t_end: float) -> tuple[float, int, float]:
    """SimPy's textbook M/M/c (Resource + one process per customer) up to ``t_end``.
    Returns (wall seconds, arrivals, mean wait of those served)."""
    import simpy

    arr = arrival_stream()
    svc = random.Random(SEED)
    rate = rate_per_s(lam)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    waits = []
    arrived = [0]

    def customer(env):
        t0 = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - t0)
            yield env.timeout(svc.expovariate(MU))

    def source(env):
        while True:
            yield env.timeout(-__import__("math").log(1.0 - arr.random()) / rate)
            arrived[0] += 1
            env.process(customer(env))

    env.process(source(env))
    t0 = clock()
    env.run(until=t_end)
    wall = clock() - t0
    return wall, arrived[0], sum(waits) / max(1, len(waits))


def ciw_mmc(c: int, lam: float, t_end: float) -> tuple[float, int, float]:
    """Ciw's M/M/c (one node, exponential arrivals and services) up to ``t_end`` (its own
    random numbers: the arrival count is Poisson-close, not equal)."""
    import ciw

    net = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(rate=lam)],
                             service_distributions=[ciw.dists.Exponential(rate=MU)],
                             number_of_servers=[c])
    ciw.seed(SEED)
    q = ciw.Simulation(net)
    t0 = clock()
    q.simulate_until_max_time(t_end)
    wall = clock() - t0
    recs = q.get_all_records()
    arrived = len(recs) + sum(len(n.all_individuals) for n in q.transitive_nodes)
    waits = [r.waiting_time for r in recs]
    return wall, arrived, sum(waits) / max(1, len(waits))


def heapq_mmc(c: int, lam: float, t_end: float) -> tuple[float, int, float, float]:
    """The ceiling: a bare event loop on a heap, FIFO queue, nothing recorded but the waits.
    Returns (wall seconds, arrivals, mean wait, engine events per customer)."""
    arr = arrival_stream()
    svc = random.Random(SEED)
    rate = rate_per_s(lam)
    rnd, srnd = arr.random, svc.random
    from math import log

    t0 = clock()
    heap = [(-log(1.0 - rnd()) / rate, 0, 0)]   # (time, seq, kind 0 arrive / 1 depart)
    seq = 1
    free = c
    queue: deque[float] = deque()
    arrived = served = events = 0
    wait_sum = 0.0
    while heap and heap[0][0] <= t_end:
        now, _, kind = heappop(heap)
        events += 1
        if kind == 0:
            arrived += 1
            heappush(heap, (now - log(1.0 - rnd()) / rate, seq, 0))
            seq += 1
            if free:
                free -= 1
                served += 1
                heappush(heap, (now - log(1.0 - srnd()) / MU, seq, 1))
                seq += 1
            else:
                queue.append(now)
        elif queue:
            wait_sum += now - queue[0]
            queue.popleft()
            served += 1
            heappush(heap, (now - log(1.0 - srnd()) / MU, seq, 1))
            seq += 1
        else:
            free += 1
    wall = clock() - t0
    return wall, arrived, wait_sum / max(1, served), events / max(1, arrived)


def without_estimate(sim: Simulation) -> Simulation:
    """``sim`` with the honest wait estimate (issue 19) replaced by 0 s: what the rest of the
    core costs.  Its log differs (enqueue records carry the estimate): never pinned, printed
    beside the real figure only to tell the two costs apart."""
    for st in sim.stations.values():
        st.est_range = lambda order, now: (0.0, 0.0, 0.0)
        st.newcomer_wait = lambda now: 0.0
    return sim


def river_mmc(c: int, lam: float, t_end: float,
              estimate: bool = True) -> tuple[float, int, float, str, float]:
    """River on ``scenarios/mmc.toml`` as M/M/c up to ``t_end``: (wall seconds, arrivals,
    mean wait, event-log SHA-256, engine events per customer).  ``estimate=False``: without
    the wait estimate's cost (:func:`without_estimate`)."""
    sim = mmc_simulation(c, lam)
    if not estimate:
        without_estimate(sim)
    t0 = clock()
    sim.advance_to(t_end)
    wall = clock() - t0
    s = sim.summary()
    arrived = s["customers"]["arrived"]
    return (wall, arrived, s["wait_seconds"]["mean"], sim.event_log_sha256(),
            sim.engine.processed / max(1, arrived))


def median_run(runs: list[tuple]) -> tuple:
    """The run of median speed (runs are ``(seconds, arrivals, ...)``)."""
    return sorted(runs, key=lambda r: r[1] / r[0])[len(runs) // 2]


def mmc_simulation(c: int, lam: float) -> Simulation:
    sc = load_scenario("scenarios/mmc.toml", [f"models.job.slots={c}",
                                              f"arrivals.rate_per_min={lam * 60.0!r}",
                                              f"models.job.mean_task_s={1.0 / MU!r}"])
    return Simulation(sc, seed=SEED)


def river_default(customers: int, estimate: bool = True) -> tuple[float, float]:
    """The complete default model for about ``customers`` arrivals: (customers/s, engine
    events per customer); ``estimate=False``: without the wait estimate's cost."""
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=SEED)
    if not estimate:
        without_estimate(sim)
    t0 = clock()
    sim.advance_to(customers / (sim.scenario.arrivals.rate_per_min / 60.0))
    wall = clock() - t0
    arrived = sim.counts["arrived"]
    return arrived / wall, sim.engine.processed / max(1, arrived)


def draw_cost(customers: int) -> float:
    """Microseconds per customer of the keyed draws alone: ``Crowd.make``, then for each of
    their orders the draw of its first call (``Station.draw``)."""
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=SEED)
    crowd = sim.arrivals.crowd
    stations = sim.stations
    oid = 1
    t0 = clock()
    for cid in range(1, customers + 1):
        _, wants = crowd.make(cid, 0.0)
        for model in wants:
            stations[model].draw(oid, 1, 0.0)
            oid += 1
    return (clock() - t0) / customers * 1e6


def memory_days(days: int) -> list[tuple[int, float, int]]:
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=SEED)
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
    ap.add_argument("--servers", type=int, default=20, help="c (default 20)")
    ap.add_argument("--rho", type=float, default=0.9, help="utilisation lambda/(c mu), < 1")
    ap.add_argument("--customers", type=int, default=100_000,
                    help="expected arrivals of the M/M/c runs (default 100,000)")
    ap.add_argument("--days", type=int, default=7, help="days of the memory profile (0: none)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each simulator (median)")
    a = ap.parse_args()
    if (a.servers < 1 or not 0 < a.rho < 1 or a.customers < 1 or a.days < 0
            or a.repeat < 1):
        ap.exit(2, "bench_core: --servers >= 1, 0 < --rho < 1, --customers >= 1, "
                   "--days >= 0, --repeat >= 1\n")
    c, lam = a.servers, a.rho * a.servers * MU
    t_end = a.customers / lam
    import books_floor  # it imports this module: here, not at the top
    runs = {"River": [], "River-noETA": [], "SimPy": [], "Ciw": [], "heapq": [], "floor": []}
    for _ in range(a.repeat):   # in turn, so a slow minute of the machine hits them all
        runs["River"].append(river_mmc(c, lam, t_end))
        runs["River-noETA"].append(river_mmc(c, lam, t_end, estimate=False))
        runs["SimPy"].append(simpy_mmc(c, lam, t_end))
        runs["Ciw"].append(ciw_mmc(c, lam, t_end))
        runs["heapq"].append(heapq_mmc(c, lam, t_end))
        runs["floor"].append(books_floor.floor_mmc(c, lam, t_end))
    rv_wall, rv_n, rv_wait, rv_hash, rv_epc = median_run(runs["River"])
    ne_wall, ne_n, ne_wait, _, ne_epc = median_run(runs["River-noETA"])
    sp_wall, sp_n, sp_wait = median_run(runs["SimPy"])
    ci_wall, ci_n, ci_wait = median_run(runs["Ciw"])
    hq_wall, hq_n, hq_wait, hq_epc = median_run(runs["heapq"])
    fl_wall, fl_n, fl_wait = median_run(runs["floor"])
    assert len({r[3] for r in runs["River"]}) == 1, "River's log differs between repeats"
    sp_rate = sp_n / sp_wall
    print(f"M/M/{c} rho={a.rho} lambda={lam:g}/s mu={MU:g}/s, up to t={t_end:,.0f} s "
          f"(~{a.customers:,} customers), seed {SEED}; CPU time of this process, median of "
          f"{a.repeat} run{'s' if a.repeat > 1 else ''} each, taken in turn")
    rows = [("SimPy", sp_n, sp_wall, sp_wait, ""),
            ("Ciw", ci_n, ci_wall, ci_wait, "  (its own random numbers)"),
            ("River", rv_n, rv_wall, rv_wait, f"  {rv_epc:.2f} engine events/customer"),
            ("River-noETA", ne_n, ne_wall, ne_wait,
             "  without the wait estimate (its log differs: not pinned)"),
            ("bare heapq", hq_n, hq_wall, hq_wait, f"  {hq_epc:.2f} engine events/customer"),
            ("books fused", fl_n, fl_wall, fl_wait,
             "  River's books in two handlers, not River: their floor (books_floor.py)")]
    for name, n, wall, wait, note in rows:
        print(f"  {name:<11}{n / wall:>10,.0f} customers/s  {n / sp_rate / wall:5.2f}x SimPy"
              f"   {n:,} arrivals  mean wait {wait:.3f} s{note}")
    same = rv_n == sp_n == hq_n == fl_n
    print(f"  same arrivals (SimPy, River, heapq, books fused): {'yes' if same else 'NO'} "
          f"({sp_n:,}, {rv_n:,}, {hq_n:,}, {fl_n:,})")
    print(f"  River event-log sha256 of the timed run: {rv_hash}")
    print(f"  ratio River/SimPy = {rv_n / rv_wall / sp_rate:.2f}x   (goal >= 1.5x)")
    full_n = max(2000, a.customers // 20)
    full_rate, full_epc = sorted(river_default(full_n) for _ in range(a.repeat))[
        a.repeat // 2]
    print(f"complete default model (~{full_n:,} customers): {full_rate:,.0f} customers/s, "
          f"{full_epc:.2f} engine events/customer, ratio to SimPy's M/M/{c} = "
          f"{full_rate / sp_rate:.2f}x   (goal >= 0.4x)")
    bare_rate = sorted(river_default(full_n, estimate=False)[0] for _ in range(a.repeat))[
        a.repeat // 2]
    print(f"  without the wait estimate: {bare_rate:,.0f} customers/s, "
          f"{bare_rate / sp_rate:.2f}x SimPy's M/M/{c}")
    print(f"cost per customer: {1e6 / full_rate:.1f} us in the complete default model "
          f"({1e6 / bare_rate:.1f} us without the wait estimate), "
          f"of which keyed draws {draw_cost(full_n):.1f} us")
    if not same:
        sys.exit(1)
    if a.days == 0:
        return
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
