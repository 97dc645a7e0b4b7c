"""The estimate's fast paths are the general curve and walk, bit for bit.

:func:`sim.eta.line_fifo_range` (the M/M/c enqueue's range, no curve made) against
:func:`sim.eta.fifo_range` on the :class:`sim.eta.StartCurve` it stands for, over random
states -- dead stations, far places and odd means included -- and, in whole runs, every
enqueue that takes it against :meth:`sim.stations.Station.estimates`.  Equal as floats is
not enough (``-0.0 == 0.0``): the bits are compared."""

from __future__ import annotations

import contextlib
import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.eta as eta
import sim.stations as stations
from sim import Simulation, load_scenario
from sim.eta import (
    NO_ESTIMATE_S,
    Z80,
    StartCurve,
    _completions,
    _cube,
    _curve,
    _points,
    _residuals,
    censored_mean,
    fifo_range,
    line_fifo_range,
)


def _bits(triple: tuple) -> tuple:
    return tuple(struct.pack("<d", x) for x in triple)


_round = round


@contextlib.contextmanager
def _unrounded():
    """The estimates before their rounding to the millisecond (``round`` in sim.eta and
    here made the identity): a last-bit difference shows, which the rounding would hide
    but for the rare value on a millisecond's edge."""
    global _round
    eta.round = lambda x, _digits: x
    _round = eta.round
    try:
        yield
    finally:
        del eta.round
        _round = round


def _general(idle: int, busy: int, mean_s: float, samples: int, place: int,
             batch: int) -> tuple:
    curve = StartCurve(now=1234.5, mean_s=mean_s, shape=1, idle=idle,
                       busy_elapsed=[0.0] * busy, arrivals=[], down_s=-1.0,
                       cooldown_left_s=0.0, samples=samples)
    return fifo_range(curve, place, batch)


means = st.one_of(st.floats(0.001, 5000.0), st.sampled_from([0.0, -1.0, 1e-300, 1e300, 1.0]))


@settings(max_examples=3000, deadline=None)
@given(idle=st.integers(0, 60), busy=st.integers(0, 60), mean_s=means,
       samples=st.sampled_from([0, 5, 6, 17, 200]) | st.integers(0, 400),
       place=st.integers(0, 3000) | st.sampled_from([0, 1, 19, 20, 21]),
       batch=st.integers(1, 8))
def test_the_straight_line_range_is_the_curves(idle, busy, mean_s, samples, place, batch):
    fast = line_fifo_range(idle, idle + busy, mean_s, samples, place // batch + 1)
    assert _bits(fast) == _bits(_general(idle, busy, mean_s, samples, place, batch))
    with _unrounded():
        fast = line_fifo_range(idle, idle + busy, mean_s, samples, place // batch + 1)
        assert _bits(fast) == _bits(_general(idle, busy, mean_s, samples, place, batch))


def test_a_wrong_fast_path_would_show():
    """The comparison above can fail: a range off by one start, or the rate's error
    left out, differs from the curve's."""
    right = _general(3, 17, 1.0, 50, 40, 1)
    assert _bits(line_fifo_range(3, 20, 1.0, 50, 41)) == _bits(right)
    assert line_fifo_range(3, 20, 1.0, 50, 42) != right
    assert line_fifo_range(3, 20, 1.0, 0, 41) != right


def _mmc(seed: int, extra: list[str]) -> Simulation:
    sc = load_scenario("scenarios/mmc.toml", ["models.job.slots=20",
                                              "arrivals.rate_per_min=1080.0", *extra])
    return Simulation(sc, seed=seed)


@pytest.mark.parametrize("seed, extra, least", [
    (1, [], 2000),
    (7, ["models.job.mean_task_s=3.0", "arrivals.rate_per_min=380.0"], 500),
    (3, ["models.job.batch_max=4", "arrivals.rate_per_min=4000.0"], 2000),
    # the autoscaler plans and rents (slots on their way: the general path between)
    (2, ["arrivals.rate_per_min=1500.0", "autoscaler.enabled=true", "models.job.max_rented=10",
         "autoscaler.check_every_s=10.0", "autoscaler.wait_threshold_s=0.5",
         "autoscaler.provision_s=20.0", "autoscaler.step=2"], 200),
    (5, ["arrivals.vip_share=0.2", "queue.aging_s=30.0"], 0),   # VIPs: the walk alone
])
def test_every_fast_enqueue_estimate_is_the_walks(monkeypatch, seed, extra, least):
    """Whole runs: each range the fast path gives is what the general estimate gives for
    the same order at the same instant (and the fast path is taken)."""
    taken = []
    line = stations.line_fifo_range

    def watched(*args):
        out = line(*args)
        taken.append(out)
        return out

    monkeypatch.setattr(stations, "line_fifo_range", watched)
    est_range = stations.Station.est_range
    checked = [0]

    def both(self, order, now):
        before = len(taken)
        fast = est_range(self, order, now)
        if len(taken) > before:
            general = self.estimates(now, want=order).get(order, (0.0, 0.0, 0.0))
            assert _bits(fast) == _bits(general)
            checked[0] += 1
        return fast

    monkeypatch.setattr(stations.Station, "est_range", both)
    sim = _mmc(seed, extra)
    sim.advance_to(300.0)
    assert checked[0] >= least
    assert sim.counts["enqueued"] > checked[0] + (0 if least else 1000)


def _curve_before(steps, running, mu0, mean_s, k):
    """:func:`sim.eta._curve` as it was before its fast paths (6bbfa70): the points as
    :func:`sim.eta._points` makes them (6bbfa70's own code, moved: a set of the grid and
    both sides of every step, sorted) and ``_completions`` at every point."""
    lam = k / mean_s
    t_sorted, mu = _points(steps, max(steps, default=0.0) + 3.0 * mean_s, mu0)
    for start, (weights, _calls) in running.items():
        to_go = [weights[j] - (weights[j + 1] if j + 1 < k else 0.0) for j in range(k)]
        for g, t in enumerate(t_sorted):
            s = t - start
            if s > 0.0:
                mu[g] += _completions(lam * s, to_go, k)
    return t_sorted, mu


offsets = st.sampled_from([0.0, 0.0, 0.5, 30.0, 120.0]) | st.floats(0.0, 5000.0)


@st.composite
def curve_inputs(draw):
    k = draw(st.sampled_from([2, 2, 1, 3, 4]))
    steps = draw(st.dictionaries(offsets, st.integers(0, 6), max_size=4))
    running = {}
    for start in draw(st.lists(offsets, max_size=4)):
        weights = sorted(draw(st.lists(st.floats(0.0, 40.0), min_size=k, max_size=k)),
                         reverse=True)
        running[start] = [weights, draw(st.integers(1, 40))]
    mean_s = draw(st.floats(0.01, 5000.0) | st.sampled_from([1e-250, 1e-199, 1e199, 1e250]))
    return steps, running, float(draw(st.integers(0, 30))), mean_s, k


def _float_bits(xs: list) -> list:
    return [struct.pack("<d", x) for x in xs]


@settings(max_examples=1500, deadline=None)
@given(args=curve_inputs())
def test_the_curve_is_the_curve_it_was(args):
    """Grid made once, a sorted list where no step is, the points before a start skipped,
    ``_completions`` written out for one and two phases: the same points and counts."""
    t_new, mu_new = _curve(*args)
    t_old, mu_old = _curve_before(*args)
    assert _float_bits(t_new) == _float_bits(t_old)
    assert _float_bits(mu_new) == _float_bits(mu_old)


def test_the_busy_station_curve_is_the_curve_it_was():
    """The common case (two phases, every call counted from now, no step) and the cases
    around it, by name."""
    for k in (1, 2, 3):
        weights = [14.3, 6.2, 1.1][:k]
        for steps in ({}, {0.0: 3}, {45.0: 2, 0.0: 1}):
            for running in ({0.0: [weights, 20]}, {0.0: [weights, 20], 120.0: [[2.0] * k, 2]}):
                args = (steps, running, 3.0, 80.0, k)
                assert _float_bits(_curve(*args)[1]) == _float_bits(_curve_before(*args)[1])
    assert _curve({}, {0.0: [[14.3, 6.2], 20]}, 3.0, 80.0, 2)[1][-1] > 3.0


def _range_before(curve, n, overtakers):
    """:meth:`sim.eta.StartCurve.range` as it was (6bbfa70), word for word."""
    if curve.dead:
        return NO_ESTIMATE_S, NO_ESTIMATE_S, NO_ESTIMATE_S
    extra = n - curve.mu0
    if extra <= 0.0:
        med = curve.shift
        return _round(med, 3), _round(med - curve.down_lo, 3), _round(med + curve.down_hi, 3)
    var = curve._dispersion(extra) * extra + overtakers
    shape = extra * extra / var
    scale = var / extra
    root = math.sqrt(shape)
    c = 1.0 - 1.0 / (9.0 * shape)
    d = Z80 / (3.0 * root)
    q_med = shape * scale * _cube(max(0.0, c))
    q_lo = shape * scale * _cube(max(0.0, c - d))
    q_hi = shape * scale * _cube(max(0.0, c + d))
    inv = curve.inverse
    med = inv(curve.mu0 + q_med)
    if med >= NO_ESTIMATE_S:
        return NO_ESTIMATE_S, NO_ESTIMATE_S, NO_ESTIMATE_S
    lo = inv(curve.mu0 + q_lo)
    hi = inv(curve.mu0 + q_hi)
    rate = Z80 * curve.rate_cv * max(0.0, med - curve.shift)
    below, above = med - lo, hi - med
    lo = med - math.sqrt(below * below + rate * rate + curve.down_lo * curve.down_lo)
    hi = med + math.sqrt(above * above + rate * rate + curve.down_hi * curve.down_hi)
    return (_round(min(med, NO_ESTIMATE_S), 3), _round(max(0.0, min(lo, NO_ESTIMATE_S)), 3),
            _round(min(hi, NO_ESTIMATE_S), 3))


any_curves = st.builds(
    lambda mean_s, shape, idle, busy, arrivals, down, cool, samples: StartCurve(
        now=500.0, mean_s=mean_s, shape=shape, idle=idle, busy_elapsed=busy,
        arrivals=arrivals, down_s=down, cooldown_left_s=cool, samples=samples),
    st.floats(0.5, 900.0) | st.sampled_from([0.0, 1e-3, 1e6]), st.integers(1, 4),
    st.integers(0, 6), st.lists(st.floats(0.0, 2000.0), max_size=25),
    st.lists(st.floats(0.0, 600.0), max_size=4),
    st.sampled_from([-1.0, 0.0, 3.0, 45.0, 400.0]), st.sampled_from([0.0, 12.0, 30.0]),
    st.integers(0, 250))


@settings(max_examples=1500, deadline=None)
@given(curve=any_curves, ns=st.lists(st.integers(1, 400), min_size=1, max_size=8),
       overtakers=st.sampled_from([0.0, 0.0, 1.0, 3.5]) | st.floats(0.0, 5000.0))
def test_the_range_is_the_range_it_was(curve, ns, overtakers):
    """max, min and _cube written out, the dispersion inlined: the same ranges, for live,
    dead and down curves, with and without VIPs to come."""
    for n in ns:
        assert _bits(curve.range(n, overtakers)) == _bits(_range_before(curve, n, overtakers))
        with _unrounded():
            assert (_bits(curve.range(n, overtakers))
                    == _bits(_range_before(curve, n, overtakers)))


def _censored_mean_before(done_s, n_ok, elapsed, shape):
    """:func:`sim.eta.censored_mean` as it was (6bbfa70), word for word."""
    k = max(1, shape)
    r = len(elapsed)
    ran = 0.0
    for e in elapsed:
        ran += e
    total = done_s + ran
    hi = total / n_ok
    if k == 1 or r == 0 or hi <= 0.0:
        return hi
    lo = total / (n_ok + r - r / k)
    theta = hi
    for _ in range(12):
        left, slope = _residuals(theta, k, elapsed)
        step = (theta * (n_ok + r) - total - left) / (n_ok + r - slope)
        nxt = min(hi, max(lo, theta - step))
        if abs(nxt - theta) <= 1e-9 * theta:
            return nxt
        theta = nxt
    return theta


@settings(max_examples=1500, deadline=None)
@given(done_s=st.floats(0.0, 1e6), n_ok=st.integers(1, 200),
       elapsed=st.lists(st.floats(0.0, 5000.0) | st.sampled_from([0.0, 1e-9, 3.0]),
                        max_size=40),
       shape=st.sampled_from([2, 2, 1, 3, 4]))
def test_the_censored_mean_is_the_mean_it_was(done_s, n_ok, elapsed, shape):
    """Newton's step with the two-phase residuals written in and min/max written out."""
    assert (struct.pack("<d", censored_mean(done_s, n_ok, elapsed, shape))
            == struct.pack("<d", _censored_mean_before(done_s, n_ok, elapsed, shape)))
