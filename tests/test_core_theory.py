"""The core against queueing theory: M/M/c mean wait (Erlang C) and Little's law."""

from __future__ import annotations

import math

from sim import load_scenario, run


def erlang_c_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue of M/M/c (Erlang C)."""
    a = lam / mu
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) / (1 - a / c)
    return tail / (head + tail) / (c * mu - lam)


def test_erlang_c_reference_values():
    # M/M/1: Wq = rho / (mu - lam)
    assert math.isclose(erlang_c_wait(1, 0.5, 1.0), 1.0)
    # textbook: c=2, lam=1, mu=1 -> P(wait) = 1/3, Wq = 1/3
    assert math.isclose(erlang_c_wait(2, 1.0, 1.0), 1 / 3)


def test_mmc_mean_wait_matches_erlang_c_and_littles_law():
    c, lam, mu = 10, 8.0, 1.0
    waits, counts = 0.0, 0
    for seed in (1, 2, 3):
        sc = load_scenario("scenarios/mmc.toml", [
            f"models.job.slots={c}", f"arrivals.rate_per_min={lam * 60}",
            f"models.job.mean_task_s={1 / mu}"])
        s = run(sc, seed=seed, hours=4)
        n = s["by_model"]["job"]["wait_seconds"]
        w = s["wait_seconds"]["mean"]
        # Little's law on every run: time-average queue = arrival rate x mean wait
        little = s["arrival_rate_per_s"] * w
        assert abs(s["queue_length_time_avg"] / little - 1) < 0.03
        # the arrival rate itself is the lambda we asked for
        assert abs(s["arrival_rate_per_s"] / lam - 1) < 0.02
        count = s["orders"]["delivered"]
        waits += w * count
        counts += count
        assert n["p50"] <= n["p95"] <= n["p99"]
    theory = erlang_c_wait(c, lam, mu)
    assert abs(waits / counts / theory - 1) < 0.05, (waits / counts, theory)


def test_mm1_utilization_is_rho():
    sc = load_scenario("scenarios/mmc.toml", ["models.job.slots=1", "arrivals.rate_per_min=30"])
    s = run(sc, seed=4, hours=6)
    assert abs(s["by_model"]["job"]["utilization"] - 0.5) < 0.02
