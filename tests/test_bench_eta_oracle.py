"""The bench's Monte-Carlo reference (``bench/eta_oracle.py``) against closed forms it must
reproduce.  A reference that is off would misstate the floor ``bench_eta.py --oracle`` holds
River's estimate to.

* exponential tasks, ``c`` busy slots, ``p`` orders ahead: the order starts after ``p + 1``
  departures at rate ``c mu`` (memoryless) -- a Gamma(p + 1) wait;
* one Erlang-2 call ``e`` seconds in, the order first in line: the call's rest -- one phase
  left with probability ``x / (1 + x)`` (``x = lam e``), two otherwise.
"""

from __future__ import annotations

import math
import pathlib
import sys
from types import SimpleNamespace

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "bench"))
from eta_oracle import Oracle  # noqa: E402

from sim.breaker import CLOSED
from sim.stations import BUSY


def quantile(cdf, q: float, top: float) -> float:
    lo, hi = 0.0, top
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < q else (lo, mid)
    return (lo + hi) / 2


def station(shape: int, mean_s: float, elapsed: list[float], ahead: int, me):
    """What the reference reads of a station: every slot busy, ``ahead`` normal orders
    before ``me``, no VIP, nothing aged."""
    slots = {i: SimpleNamespace(state=BUSY, call=SimpleNamespace(start_s=-e))
             for i, e in enumerate(elapsed)}
    normal = [SimpleNamespace(submitted_s=-1.0 - i) for i in range(ahead)][::-1] + [me]
    return SimpleNamespace(
        cfg=SimpleNamespace(batch_max=1, task_shape=shape, mean_task_s=mean_s),
        paused=False, breaker=SimpleNamespace(state=CLOSED), slots=slots,
        lane_lists=lambda: ([], normal), vip_rate_per_s=lambda now: 0.0,
        lanes=SimpleNamespace(aging_s=1e9), backoff={})


def reference(futures: int, seed: int = 1) -> Oracle:
    return Oracle(SimpleNamespace(stations={}), futures=futures, seed=seed)


def test_exponential_tasks_give_the_gamma_wait():
    c, mean = 10, 10.0
    rate = c / mean
    oracle = reference(40000)   # quantiles to ~2 % (1 sd) at the 10 % tail
    for ahead in (0, 3, 12, 40):
        me = SimpleNamespace(submitted_s=0.0)
        med, lo, hi = oracle.sample(station(1, mean, [5.0] * c, ahead, me), me, 0.0)
        n = ahead + 1

        def cdf(t: float, n: int = n) -> float:
            x, term, below = rate * t, math.exp(-rate * t), 0.0
            for j in range(n):
                below += term
                term *= x / (j + 1)
            return 1.0 - below

        for q, got in ((0.5, med), (0.1, lo), (0.9, hi)):
            want = quantile(cdf, q, 20.0 * n / rate)
            assert abs(got / want - 1.0) < 0.06, (ahead, q, got, want)


def test_a_running_erlang_call_ends_by_its_phase():
    mean, e = 300.0, 450.0
    lam = 2 / mean
    x = lam * e
    one_left = x / (1 + x)

    def cdf(t: float) -> float:     # P(rest <= t)
        two = 1.0 - math.exp(-lam * t) * (1.0 + lam * t)
        return one_left * (1.0 - math.exp(-lam * t)) + (1.0 - one_left) * two

    me = SimpleNamespace(submitted_s=0.0)
    med, lo, hi = reference(20000).sample(station(2, mean, [e], 0, me), me, 0.0)
    for q, got in ((0.5, med), (0.1, lo), (0.9, hi)):
        want = quantile(cdf, q, 10 * mean)
        assert abs(got / want - 1.0) < 0.08, (q, got, want)
    # a call just started has both phases to go: its rest is a whole task, later
    med0 = reference(20000).sample(station(2, mean, [0.0], 0, me), me, 0.0)[0]
    assert med0 > med * 1.3
