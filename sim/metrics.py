"""Measurements: totals, bounded sliding windows, percentiles, time averages, sparklines.

Everything here is bounded in memory however long the run: totals are sums and a log-bucket
histogram (2 % relative resolution, a few hundred buckets for waits up to a week); live
percentiles come from a time window capped at ``WINDOW_CAP`` samples; sparklines keep the last
``series_len`` samples.  Gauge names follow the gateways operators already read (vLLM's
``num_requests_waiting`` / ``num_requests_running``, LiteLLM's spend and remaining budget).
"""

from __future__ import annotations

import math
from collections import deque
from itertools import chain

WINDOW_CAP = 4096
LOG_STEP = math.log(1.02)   # a histogram bucket's width above 1 s (2 %)
#: buckets of a Histogram: 100 of 10 ms below 1 s, then 2 % wide up to ~10^8 s (the last
#: bucket takes anything longer; ``max`` stays exact).  A fixed list, allocated once, so a
#: histogram's memory does not creep up as rarer waits appear over a long run.
N_BUCKETS = 100 + int(math.log(1e8) / LOG_STEP) + 1


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 if empty)."""
    n = len(sorted_values)
    if n == 0:
        return 0.0
    k = math.ceil(q * n) - 1
    return sorted_values[0 if k < 0 else (k if k < n else n - 1)]


class Histogram:
    """Counts in buckets: 10 ms wide below 1 s, then 2 % wide; exact count, sum and max."""

    __slots__ = ("buckets", "count", "total", "max")

    def __init__(self) -> None:
        self.buckets: list[int] = [0] * N_BUCKETS
        self.count = 0
        self.total = 0.0
        self.max = 0.0

    def __deepcopy__(self, memo: dict) -> Histogram:
        """A fork's copy (:mod:`sim.twin`): the buckets are ints, a list copy is a deep one
        (and a thousand times cheaper than deepcopy walking them)."""
        new = Histogram.__new__(Histogram)
        memo[id(self)] = new
        new.buckets = list(self.buckets)
        new.count, new.total, new.max = self.count, self.total, self.max
        return new

    def add(self, x: float) -> None:
        idx = int(x * 100.0) if x < 1.0 else 100 + int(math.log(x) / LOG_STEP)
        self.buckets[idx if idx < N_BUCKETS else N_BUCKETS - 1] += 1
        self.count += 1
        self.total += x
        if x > self.max:
            self.max = x

    @staticmethod
    def add_all(hists: tuple[Histogram, ...], x: float) -> None:
        """``h.add(x)`` for every histogram of ``hists``, the bucket found once (a start
        feeds the model's and the factory's histograms with the same wait)."""
        idx = int(x * 100.0) if x < 1.0 else 100 + int(math.log(x) / LOG_STEP)
        if idx >= N_BUCKETS:
            idx = N_BUCKETS - 1
        for h in hists:
            h.buckets[idx] += 1
            h.count += 1
            h.total += x
            if x > h.max:
                h.max = x

    @staticmethod
    def _value(idx: int) -> float:
        if idx < 100:
            return (idx + 0.5) / 100.0
        return math.exp((idx - 100 + 0.5) * LOG_STEP)

    def mean(self) -> float:
        return self.total / self.count if self.count else 0.0

    @classmethod
    def merged(cls, parts) -> Histogram:
        """One histogram of several (per-model ones into the whole factory's)."""
        parts = list(parts)
        out = cls()
        if parts:
            out.buckets = [sum(col) for col in zip(*(h.buckets for h in parts), strict=True)]
        for h in parts:
            out.count += h.count
            out.total += h.total
            out.max = max(out.max, h.max)
        return out

    def quantile(self, q: float) -> float:
        if not self.count:
            return 0.0
        rank = max(1, math.ceil(q * self.count))
        seen = 0
        for idx, k in enumerate(self.buckets):
            seen += k
            if seen >= rank:
                return min(self._value(idx), self.max)
        return self.max

    def summary(self) -> dict[str, float]:
        return {"mean": self.mean(), "p50": self.quantile(0.50), "p95": self.quantile(0.95),
                "p99": self.quantile(0.99), "count": self.count}


class Window:
    """Samples of the last ``span_s`` seconds (at most ``WINDOW_CAP``), for live percentiles.

    Kept as two parallel deques, the samples' times and their values: adding one allocates
    no tuple (a wait is added at every start), and the sort reads the values as they are."""

    __slots__ = ("span_s", "times", "samples", "_sorted", "_dirty")

    def __init__(self, span_s: float) -> None:
        self.span_s = span_s
        self.times: deque[float] = deque(maxlen=WINDOW_CAP)
        self.samples: deque[float] = deque(maxlen=WINDOW_CAP)
        self._sorted: list[float] = []
        self._dirty = False

    def __deepcopy__(self, memo: dict) -> Window:
        """A fork's copy: samples are floats, so copies of the containers do."""
        new = Window.__new__(Window)
        memo[id(self)] = new
        new.span_s = self.span_s
        new.times = deque(self.times, maxlen=WINDOW_CAP)
        new.samples = deque(self.samples, maxlen=WINDOW_CAP)
        new._sorted = list(self._sorted)
        new._dirty = self._dirty
        return new

    def add(self, now: float, x: float) -> None:
        self.times.append(now)
        self.samples.append(x)
        self._dirty = True

    def trim(self, now: float) -> None:
        times = self.times
        cut = now - self.span_s
        if times and times[0] < cut:
            popleft, drop = times.popleft, self.samples.popleft
            while times and times[0] < cut:
                popleft()
                drop()
            self._dirty = True

    def values(self, now: float) -> list[float]:
        self.trim(now)
        if self._dirty:
            self._sorted = sorted(self.samples)
            self._dirty = False
        return self._sorted

    def mean(self, now: float) -> float:
        v = self.values(now)
        return sum(v) / len(v) if v else 0.0

    def count(self, now: float) -> int:
        self.trim(now)
        return len(self.times)

    def quantiles(self, now: float) -> dict[str, float]:
        return quantiles(self.values(now))

    @staticmethod
    def merged_quantiles(windows, now: float) -> dict[str, float]:
        """Quantiles over the union of several windows' samples."""
        return quantiles(sorted(chain.from_iterable(w.values(now) for w in windows)))


def quantiles(v: list[float]) -> dict[str, float]:
    """Nearest-rank p50/p95/p99, mean and count of a sorted list."""
    return {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95),
            "p99": percentile(v, 0.99), "mean": (sum(v) / len(v) if v else 0.0),
            "count": len(v)}


class TimeAverage:
    """The time integral of a piecewise-constant level (queue length, busy slots...)."""

    __slots__ = ("level", "area", "last_s")

    def __init__(self) -> None:
        self.level = 0
        self.area = 0.0
        self.last_s = 0.0

    def set(self, now: float, level: int) -> None:
        self.area += self.level * (now - self.last_s)
        self.last_s = now
        self.level = level

    def add(self, now: float, delta: int) -> None:
        self.area += self.level * (now - self.last_s)
        self.last_s = now
        self.level += delta

    def integral(self, now: float) -> float:
        return self.area + self.level * (now - self.last_s)


class Series:
    """A bounded sparkline: ``(time_s, value)`` samples."""

    __slots__ = ("points",)

    def __init__(self, length: int) -> None:
        self.points: deque[tuple[float, float]] = deque(maxlen=length)

    def __deepcopy__(self, memo: dict) -> Series:
        """A fork's copy: the points are tuples of numbers."""
        new = Series.__new__(Series)
        memo[id(self)] = new
        new.points = deque(self.points, maxlen=self.points.maxlen)
        return new

    def add(self, now: float, value: float) -> None:
        self.points.append((now, value))


COVERAGE_MIN_WAIT_S = 60.0   # the 80% range is judged on waits longer than this


class Unmeasured:
    """What a lean run feeds instead of :class:`EstimateErrors`: it made no estimates, so
    there is nothing to measure (and no figure to report)."""

    __slots__ = ()

    def add(self, wait_s: float, estimate_s: float, lo_s: float = 0.0,
            hi_s: float = 0.0) -> None:
        pass


class EstimateErrors:
    """How good the wait estimate was: each started order's real wait against the wait
    estimated when it was submitted (DOMAIN section 6: the estimate must be honest), and
    how often the 80% range given with it held the real wait (on waits over a minute: a
    range of "0 s" around an order that started at once says nothing)."""

    __slots__ = ("abs_sum_s", "signed_sum_s", "count", "ranged", "covered", "width_sum_s",
                 "ranged_wait_sum_s")

    def __init__(self) -> None:
        self.abs_sum_s = 0.0
        self.signed_sum_s = 0.0
        self.count = 0
        self.ranged = 0               # waits over COVERAGE_MIN_WAIT_S
        self.covered = 0              # ... inside their 80% range
        self.width_sum_s = 0.0
        self.ranged_wait_sum_s = 0.0

    def add(self, wait_s: float, estimate_s: float, lo_s: float = 0.0,
            hi_s: float = 0.0) -> None:
        if wait_s > 0 or estimate_s > 0:
            self.abs_sum_s += abs(wait_s - estimate_s)
            self.signed_sum_s += wait_s - estimate_s
            self.count += 1
        if wait_s > COVERAGE_MIN_WAIT_S:
            self.ranged += 1
            self.covered += lo_s <= wait_s <= hi_s
            self.width_sum_s += hi_s - lo_s
            self.ranged_wait_sum_s += wait_s

    def summary(self) -> dict[str, float]:
        k = self.count
        r = self.ranged
        return {"mean_abs_error_s": self.abs_sum_s / k if k else 0.0,
                "mean_error_s": self.signed_sum_s / k if k else 0.0, "count": k,
                "coverage_80": self.covered / r if r else 0.0, "ranged": r,
                "sharpness": (self.width_sum_s / self.ranged_wait_sum_s
                              if self.ranged_wait_sum_s > 0 else 0.0)}
