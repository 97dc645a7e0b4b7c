"""The one-order walk (:func:`sim.eta._walk1`, the estimate's cost in a crowd) is the
batched walk at ``batch == 1``: the same start, the same VIPs to come and the same range for
every order, for a wanted order alone and for the newcomer alone -- on random lanes, curves
and VIP rates, aged orders and dead or down circuits included, lanes in submission order
and out of it (an order come back to the front), VIP and normal orders submitted at the
same instant."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.eta import NO_ESTIMATE_S, SpreadCurve, StartCurve, _walk1, _walk_batched, walk

NOW = 5000.0


class _Waiting:
    """An order as the walk reads it (hashed by identity, as orders are)."""

    __slots__ = ("submitted_s", "vip")

    def __init__(self, submitted_s: float, vip: bool) -> None:
        self.submitted_s = submitted_s
        self.vip = vip


def _orders(ages: list[float], vip: bool) -> list:
    return [_Waiting(NOW - a, vip) for a in sorted(ages, reverse=True)]


curves = st.builds(
    lambda mean_s, shape, idle, busy, arrivals, down, samples: StartCurve(
        now=NOW, mean_s=mean_s, shape=shape, idle=idle, busy_elapsed=busy,
        arrivals=arrivals, down_s=down, cooldown_left_s=min(30.0, max(0.0, down)),
        samples=samples),
    st.floats(5.0, 900.0), st.integers(1, 4), st.integers(0, 4),
    st.lists(st.floats(0.0, 2000.0), max_size=12), st.lists(st.floats(0.0, 600.0), max_size=3),
    st.sampled_from([-1.0, 0.0, 45.0, 400.0]), st.integers(0, 40))


# ages from a few values too: a VIP and a normal order submitted at the same instant
ages = st.one_of(st.floats(0.0, 3000.0), st.sampled_from([0.0, 450.0, 950.0, 2000.0]))


@settings(max_examples=300, deadline=None)
@given(curve=curves, vip_ages=st.lists(ages, max_size=15),
       normal_ages=st.lists(ages, max_size=60),
       aging_s=st.sampled_from([0.0, 300.0, 900.0, 1e9]),
       rate=st.sampled_from([0.0, 0.001, 0.01, 0.05, 0.3]), pick=st.integers(0, 200),
       clumps=st.sampled_from([None, (1.0, 3), (2.5, 40)]),
       back=st.sampled_from([None, (0, True), (3, False), (11, False)]))
def test_the_one_order_walk_is_the_batched_walk_at_batch_one(curve, vip_ages, normal_ages,
                                                             aging_s, rate, pick, clumps,
                                                             back):
    if clumps is not None:                 # VIPs in clumps: the spread curve the walk reads
        curve = SpreadCurve(curve, *clumps)
    vip, normal = _orders(vip_ages, True), _orders(normal_ages, False)
    if back is not None:       # an order come back to the front of its lane, out of order
        lane = vip if back[1] else normal
        if lane:
            lane.insert(0, lane.pop(back[0] % len(lane)))
    args = (vip, normal, NOW, aging_s)
    full = _walk1(*args, rate, curve, None, True, False, {})
    assert full == _walk_batched(*args, 1, rate, curve, None, True, False, {})
    assert set(full) == {*vip, *normal, None}            # every order, and the newcomer
    assert _walk1(*args, rate, curve, None, True, True, {})[None] == full[None]
    everyone = vip + normal
    if everyone:
        want = everyone[pick % len(everyone)]
        assert walk(*args, 1, rate, curve, want)[want] == full[want]
        assert _walk_batched(*args, 1, rate, curve, want, False, False, {})[want] == full[want]


def test_the_floor_ages_no_head_that_a_close_start_leaves_unaged():
    """A circuit down for half a second: its three slots all start when it is back,
    the curve's first three starts within a nanosecond of 0.5 s.  A normal order a hair
    short of aging (900 s) then is not aged at any of them, so the two VIPs submitted after
    it go first -- the floor kept from the first start must not age it at the second (a
    floor a nanosecond above the start, a margin the wrong way, does)."""
    curve = StartCurve(now=NOW, mean_s=60.0, shape=2, idle=3, busy_elapsed=[],
                       arrivals=[], down_s=0.5, cooldown_left_s=0.0, samples=10)
    start_at = curve.median_time
    head = _Waiting(NOW - 900.0 + 0.5, False)
    assert NOW + start_at(3) - head.submitted_s < 900.0
    assert NOW + start_at(1) + 1e-9 - head.submitted_s >= 900.0
    vip = [_Waiting(NOW - 10.0, True), _Waiting(NOW - 5.0, True)]
    args = (vip, [head], NOW, 900.0, 0.01, curve)
    full = _walk_batched(*args[:4], 1, *args[4:], None, False, False, {})
    assert _walk1(*args, None, False, False, {}) == full
    assert _walk1(*args, head, False, False, {})[head] == full[head]
    # the head's start is the third, after both VIPs: the range of n = 3, not of n = 2
    assert full[head] == curve.range(3, 0.0) != curve.range(2, 0.0)


def test_past_the_start_that_never_comes_every_order_is_endless():
    """One slot, calls of ~33 hours (a start every 120,000 s): starts pass 30 days
    (NO_ESTIMATE_S) twenty-odd orders down the lane.  VIPs to come pass the orders not yet
    aged, so a range counting them would put an order past that point a little short of
    30 days -- but its start never comes, and the walk says so, as the start-by-start walk
    does (``_endless_from`` finds the first such start; without it the orders there got
    ranges just under 30 days)."""
    mean = 120000.0
    curve = StartCurve(now=NOW, mean_s=mean, shape=1, idle=0, busy_elapsed=[10.0],
                       arrivals=[], down_s=-1.0, cooldown_left_s=0.0, samples=40)
    normal = [_Waiting(NOW - k, False) for k in range(60, 0, -1)]
    args = ([], normal, NOW, 20 * mean, 0.8 / mean, curve)
    full = _walk_batched(*args[:4], 1, *args[4:], None, False, False, {})
    assert _walk1(*args, None, False, False, {}) == full
    never = (NO_ESTIMATE_S,) * 3
    endless = [o for o in normal if full[o] == never]
    assert 0 < len(endless) < len(normal)          # the point falls inside the lane
    first = endless[0]
    assert _walk1(*args, first, False, False, {})[first] == never
