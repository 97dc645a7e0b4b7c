"""The start curve's expected starts against the slots they describe, sampled.

A slot's calls end at every ``k``-th phase of a Poisson stream of phases; the curve must
count, at each of its points, the calls the running ones and the fresh tasks after them
are expected to end by then.  A mix of calls just started and calls long running is the
case a renewal approximation got wrong: the slots that end first are the ones that cycle
first (measured against a Monte-Carlo reference, River's median ran ~4 % early for the
4th-8th order in line after a burst)."""

from __future__ import annotations

import random

import pytest

from sim.eta import StartCurve


def sampled_starts(shape: int, mean_s: float, elapsed: list[float], t: float,
                   runs: int, rnd: random.Random) -> tuple[float, float]:
    """Mean and standard error of the calls ended by ``t`` over ``runs`` sampled
    futures: each running call's rest drawn by rejection (a whole task longer than its
    elapsed time), then fresh tasks back to back."""
    rate = shape / mean_s

    def task() -> float:
        return sum(rnd.expovariate(rate) for _ in range(shape))

    counts = []
    for _ in range(runs):
        n = 0
        for e in elapsed:
            d = task()
            while d <= e:
                d = task()
            end = d - e
            while end <= t:
                n += 1
                end += task()
        counts.append(n)
    mean = sum(counts) / runs
    var = sum((c - mean) ** 2 for c in counts) / (runs - 1)
    return mean, (var / runs) ** 0.5


@pytest.mark.parametrize("shape", [2, 3])
def test_expected_starts_match_the_sampled_slots(shape):
    mean_s = 300.0
    elapsed = [0.0] * 8 + [150.0] * 4 + [600.0] * 8     # a burst, some, long runners
    curve = StartCurve(now=0.0, mean_s=mean_s, shape=shape, idle=0, busy_elapsed=elapsed,
                       arrivals=[], down_s=-1.0, cooldown_left_s=0.0, samples=0)
    rnd = random.Random(11)
    for t in (30.0, 90.0, 200.0, 500.0, 900.0):
        i = max(g for g, x in enumerate(curve.t) if x <= t)
        t0, t1 = curve.t[i], curve.t[min(i + 1, len(curve.t) - 1)]
        m0, m1 = curve.mu[i], curve.mu[min(i + 1, len(curve.mu) - 1)]
        got = m0 if t1 == t0 else m0 + (m1 - m0) * (t - t0) / (t1 - t0)
        want, err = sampled_starts(shape, mean_s, elapsed, t, 4000, rnd)
        # the grid is linear between its points: within 1 % of the count, plus noise
        assert abs(got - want) < 4 * err + 0.01 * want + 0.02, (t, got, want, err)


@pytest.mark.parametrize("shape", [3, 50])
def test_a_far_horizon_is_counted_not_looped(shape):
    """Short tasks and a rental far off put the curve's end thousands of phases out, where
    e^-y underflows: the count there is the renewal's asymptote (a run with mean_task_s=0.3
    and a slot arriving in 120 s hung the estimate before)."""
    curve = StartCurve(now=0.0, mean_s=0.3 if shape == 3 else 10.0, shape=shape, idle=1,
                       busy_elapsed=[0.1], arrivals=[120.0], down_s=-1.0,
                       cooldown_left_s=0.0, samples=0)
    horizon = curve.t[-1]
    # three slots (idle, busy, arriving at 120 s) cycling at one call per mean task time
    mean = 0.3 if shape == 3 else 10.0
    expected = (2 * horizon + (horizon - 120.0)) / mean
    assert curve.mu[-1] == pytest.approx(expected, abs=2.0)
