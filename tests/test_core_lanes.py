"""The two-lane queue: ``ordered`` lists orders exactly as repeated ``pop`` would take them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sim.lanes import Lanes
from sim.orders import Order, OrderState


@given(st.lists(st.tuples(st.booleans(), st.floats(0, 1000), st.booleans(), st.booleans()),
                max_size=40),
       st.floats(0, 500), st.floats(0, 2000))
def test_ordered_matches_pops(spec, aging, now):
    lanes = Lanes(aging)
    orders = []
    for i, (vip, submitted, front, removed) in enumerate(spec):
        o = Order(i, None, "m", 1, 0.0)
        o.vip, o.submitted_s, o.state = vip, submitted, OrderState.QUEUED
        lanes.push(o, front)
        orders.append((o, removed))
    for o, removed in orders:
        if removed:
            lanes.discard(o)
    expected = lanes.ordered(now)
    for k, o in enumerate(expected):
        assert lanes.position(o, now) == k
    popped = []
    while (o := lanes.pop(now)) is not None:
        popped.append(o)
    assert [o.id for o in popped] == [o.id for o in expected]
    assert len(lanes) == 0


def test_a_runs_state_does_not_depend_on_the_runs_before_it():
    """Queue tokens belong to the queue: two equal runs in one process have equal digests
    even when a third run pushed orders in between (a process-wide counter broke this)."""
    from sim import Simulation, load_scenario

    sc = load_scenario("rush-hour")
    first = Simulation(sc, seed=4)
    first.advance_to(7200.0)
    Simulation(sc, seed=9).advance_to(3600.0)
    second = Simulation(sc, seed=4)
    second.advance_to(7200.0)
    assert second.event_log_sha256() == first.event_log_sha256()
    assert second.state_digest() == first.state_digest()
