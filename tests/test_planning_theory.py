"""planning.theory and planning.aggregate against known values (no simulation)."""

import math

import numpy as np
import pytest

from planning.aggregate import confidence_intervals, t_quantile
from planning.theory import (
    erlang_c,
    littles_law_queue_length,
    mmc_mean_queue_length,
    mmc_mean_wait,
    priority_mean_waits,
    relative_error,
)


def test_erlang_c_known_values():
    assert erlang_c(1, 0.7) == pytest.approx(0.7)  # M/M/1: P(wait) = rho
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)  # by hand: P0 = 1/3, C = P0
    assert erlang_c(10, 9.0) == pytest.approx(0.6687, abs=5e-5)  # textbook table value
    assert erlang_c(5, 0.0) == 0.0
    assert erlang_c(200, 180.0) < 1.0  # stable for many servers


def test_mmc_mean_wait_and_little():
    assert mmc_mean_wait(1, 0.5, 1.0) == pytest.approx(1.0)  # rho / (mu - lam)
    assert mmc_mean_wait(2, 1.0, 1.0) == pytest.approx(1 / 3)  # C / (c mu - lam) = (1/3)/1
    assert mmc_mean_queue_length(2, 1.0, 1.0) == pytest.approx(1 / 3)
    assert littles_law_queue_length(2.0, 1.5) == 3.0


def test_unstable_queue_rejected():
    with pytest.raises(ValueError):
        erlang_c(2, 2.0)
    with pytest.raises(ValueError):
        erlang_c(0, 0.5)


def test_priority_mm1_by_hand():
    # M/M/1, mu = 1, two classes of 0.25/s: W0 = rho/mu = 0.5,
    # W1 = W0 / (1 - 0.25) = 2/3,  W2 = W0 / ((1 - 0.25)(1 - 0.5)) = 4/3.
    w1, w2 = priority_mean_waits(1, [0.25, 0.25], 1.0)
    assert w1 == pytest.approx(2 / 3)
    assert w2 == pytest.approx(4 / 3)


@pytest.mark.parametrize("c,lams", [(2, [0.3, 0.9]), (10, [2.0, 6.5]), (4, [1.0, 1.0, 1.0])])
def test_priority_conserves_work(c, lams):
    """Kleinrock's conservation law: the rate-weighted mean equals the FIFO Erlang C wait."""
    waits = priority_mean_waits(c, lams, 1.0)
    fifo = mmc_mean_wait(c, sum(lams), 1.0)
    assert sum(lam * w for lam, w in zip(lams, waits, strict=True)) / sum(lams) == \
        pytest.approx(fifo)
    assert waits == sorted(waits)  # lower priority never waits less
    assert priority_mean_waits(c, [sum(lams)], 1.0)[0] == pytest.approx(fifo)  # one class


def test_relative_error():
    assert relative_error(1.05, 1.0) == pytest.approx(0.05)
    assert relative_error(0.0, 0.0) == 0.0
    assert math.isinf(relative_error(1.0, 0.0))


@pytest.mark.parametrize("df,expected", [(1, 12.7062), (2, 4.3027), (3, 3.1824), (4, 2.7764),
                                         (7, 2.3646), (9, 2.2622), (29, 2.0452),
                                         (120, 1.9799), (5000, 1.9604)])
def test_t_quantile_table(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-4)


def test_t_quantile_other_levels():
    assert t_quantile(0.995, 7) == pytest.approx(3.4995, abs=1e-4)
    assert t_quantile(0.9, 3) == pytest.approx(1.6377, abs=1e-4)
    assert t_quantile(0.025, 5) == pytest.approx(-2.5706, abs=1e-4)


def test_confidence_interval_matches_hand_computation():
    runs = np.array([[[1.0, 10.0], [2.0, 10.0], [3.0, 10.0]]])  # one point, 3 seeds, 2 metrics
    est = confidence_intervals(runs)
    assert est.mean[0].tolist() == [2.0, 10.0]
    assert est.half[0, 0] == pytest.approx(4.3027 * 1.0 / math.sqrt(3), abs=1e-4)
    assert est.half[0, 1] == 0.0
    single = confidence_intervals(runs[:, :1, :])
    assert np.isnan(single.half).all()
