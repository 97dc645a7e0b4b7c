"""Seeds -> estimates: per grid point the mean and a Student-t confidence interval, with numpy.

Each seed is an independent replication, so over ``n`` seeds the interval is
``mean +- t(1 - alpha/2, n - 1) * s / sqrt(n)`` with ``s`` the sample standard deviation.
The t quantile is computed here (no scipy): the t distribution's CDF has a closed form for
whole degrees of freedom (Abramowitz & Stegun 26.7.3-4), inverted by bisection; past 1000
degrees of freedom a Cornish-Fisher expansion around the normal quantile is exact to 1e-9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


def t_cdf_two_sided(t: float, df: int) -> float:
    """``P(|T| <= t)`` for Student's t with ``df`` (whole) degrees of freedom, ``t >= 0``."""
    theta = math.atan(t / math.sqrt(df))
    s, c2 = math.sin(theta), math.cos(theta) ** 2
    if df % 2 == 1:
        term, total = 1.0, 1.0
        for k in range(1, (df - 1) // 2):  # terms 2/3 c^2, (2*4)/(3*5) c^4, ...
            term *= (2 * k) / (2 * k + 1) * c2
            total += term
        inner = s * math.cos(theta) * total if df > 1 else 0.0
        return 2.0 / math.pi * (theta + inner)
    term, total = 1.0, 1.0
    for k in range(1, df // 2):  # terms 1/2 c^2, (1*3)/(2*4) c^4, ...
        term *= (2 * k - 1) / (2 * k) * c2
        total += term
    return s * total


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile of Student's t with ``df`` >= 1 degrees of freedom (``0 < p < 1``)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be in (0, 1), got {p}")
    if df < 1 or int(df) != df:
        raise ValueError(f"df must be a whole number >= 1, got {df}")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df > 1000:
        z, v = NormalDist().inv_cdf(p), float(df)
        return (z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
                + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3))
    target = 2.0 * p - 1.0
    lo, hi = 0.0, 1.0
    while t_cdf_two_sided(hi, df) < target:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf_two_sided(mid, df) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * hi:
            break
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class Estimates:
    """Per grid point and metric: ``mean``, ``half`` (CI half-width), ``lo``, ``hi``; shape
    ``(points, metrics)``.  ``half`` is NaN with a single seed (no spread to measure)."""

    mean: np.ndarray
    half: np.ndarray
    n_seeds: int
    level: float

    @property
    def lo(self) -> np.ndarray:
        return self.mean - self.half

    @property
    def hi(self) -> np.ndarray:
        return self.mean + self.half


def confidence_intervals(runs: np.ndarray, level: float = 0.95) -> Estimates:
    """Mean and Student-t CI over the seed axis of ``runs`` shaped ``(points, seeds, metrics)``.

    The arithmetic follows the array's order only, so the same runs give bit-identical
    estimates whichever executor produced them.
    """
    runs = np.asarray(runs, dtype=np.float64)
    if runs.ndim != 3:
        raise ValueError(f"runs must be (points, seeds, metrics), got shape {runs.shape}")
    n = runs.shape[1]
    mean = runs.mean(axis=1)
    if n < 2:
        half = np.full_like(mean, np.nan)
    else:
        sd = runs.std(axis=1, ddof=1)
        half = t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)
    return Estimates(mean=mean, half=half, n_seeds=n, level=level)
