"""Closed-form queueing results the simulation core is checked against (``python -m sim validate``).

Pure standard library, small and exact: Erlang C for the M/M/c queue, the mean wait it implies,
Little's law, and Cobham's mean waits for an M/M/c queue whose classes are served with
non-preemptive priority at a common service rate (River's VIP lane with aging switched off).

Notation: ``c`` servers (slots), ``lam`` arrivals per second, ``mu`` services per second per
server, offered load ``a = lam / mu`` Erlangs, utilisation ``rho = a / c`` (must be < 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in an M/M/c queue with offered load ``a`` Erlangs.

    Computed through the Erlang B recursion (stable for large ``c``):
    ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``, then ``C = B / (1 - rho (1 - B))``.
    """
    if c < 1:
        raise ValueError(f"c must be >= 1, got {c}")
    if not 0.0 <= a < c:
        raise ValueError(f"offered load must be in [0, c) for a stable queue, got a={a}, c={c}")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1.0 - rho * (1.0 - b))


def mmc_mean_wait(c: int, lam: float, mu: float) -> float:
    """Mean time in queue (before service starts) of an M/M/c queue: ``C(c, a) / (c mu - lam)``."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mmc_mean_queue_length(c: int, lam: float, mu: float) -> float:
    """Time-average number waiting, by Little's law ``Lq = lam Wq``."""
    return lam * mmc_mean_wait(c, lam, mu)


def priority_mean_waits(c: int, lams: Sequence[float], mu: float) -> list[float]:
    """Mean queue wait of each class of an M/M/c queue with non-preemptive priority.

    ``lams`` are the classes' arrival rates, highest priority first; every class is served at
    the same rate ``mu``.  Cobham (1954), as in Kleinrock vol. 2 / Gross & Harris:

        W_k = W0 / ((1 - sigma_{k-1}) (1 - sigma_k)),   sigma_k = sum_{i<=k} lam_i / (c mu),
        W0  = C(c, a) / (c mu)                         (= C / (c mu - lam) * (1 - rho)),

    ``W0`` being the mean residual time until some server frees, seen by an arrival that must
    wait, times the probability it must wait.  The rate-weighted average of ``W_k`` equals the
    FIFO Erlang C wait (work conservation), which :func:`mmc_mean_wait` checks in the tests.
    """
    lam = float(sum(lams))
    w0 = erlang_c(c, lam / mu) / (c * mu)
    waits = []
    sigma_prev = 0.0
    for lam_k in lams:
        sigma = sigma_prev + lam_k / (c * mu)
        waits.append(w0 / ((1.0 - sigma_prev) * (1.0 - sigma)))
        sigma_prev = sigma
    return waits


def littles_law_queue_length(arrival_rate_per_s: float, mean_wait_s: float) -> float:
    """Little's law for the waiting room: ``L = lambda W``."""
    return arrival_rate_per_s * mean_wait_s


def relative_error(model: float, theory: float) -> float:
    """``(model - theory) / theory`` (0 when both are 0, infinite when only theory is)."""
    if theory == 0.0:
        return 0.0 if model == 0.0 else math.inf
    return (model - theory) / theory
