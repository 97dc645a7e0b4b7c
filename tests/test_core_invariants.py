"""Nothing is lost: customers, orders and cents each end in exactly one terminal state, under
load, faults and random operator commands (hypothesis), checked against the summary, the
ledger and an independent reading of the event log (tests/logcheck.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from logcheck import check_log

from sim import Simulation, load_scenario
from sim.commands import COMMANDS, OPTIONAL_MODEL, make_command
from sim.orders import TERMINAL


def check_books(sim, with_log: bool = True) -> None:
    s = sim.summary()
    c, o, m = s["customers"], s["orders"], s["money_cents"]
    assert c["arrived"] == c["rejected"] + c["left"] + c["done"] + c["in_building"]
    assert o["submitted"] == (o["delivered"] + o["declined"] + o["refunded_failure"]
                              + o["refunded_abandon"] + o["refunded_cancel"] + o["in_flight"])
    assert m["wallets_initial"] == m["wallets_final"] + m["held_open"] + m["revenue"]
    assert s["ledger_balanced"]
    # per-customer books agree with the ledger's totals
    inside = list(sim.customers.values())
    assert sum(cu.held_cents for cu in inside) == m["held_open"]
    for cu in inside:
        assert cu.held_cents == cu.vip_fee_cents + sum(x.held_cents for x in cu.orders)
        assert cu.held_cents >= 0 and cu.wallet_cents >= 0
        assert 0 <= cu.active <= cu.concurrency
        assert cu.active == sum(1 for x in cu.orders if x.state.value in
                                ("queued", "running", "backoff"))
    for cu in sim.departures:
        assert cu.held_cents == 0
        assert all(x.state in TERMINAL for x in cu.orders)
    # slots: never more busy than exist, never a call on two slots
    for station in sim.stations.values():
        calls = [sl.call for sl in station.slots.values() if sl.call is not None]
        assert len({id(x) for x in calls}) == len(calls)
        assert station.n_idle == sum(1 for sl in station.slots.values()
                                     if sl.state.value == "idle")
    # rentals are paid for every leased second (within a cent per model)
    for name, b in s["by_model"].items():
        rate = sim.scenario.models[name].rented_cost_cents_per_h
        owed = b["rented_slot_hours"] * rate
        paid = sim.stations[name].accrued_cents.rental
        assert abs(paid + sim.stations[name].accrue(sim.now, commit=False)[1] - owed) <= 1.0 + 1e-6
    if with_log:
        problems = check_log(sim.log.records, sim.scenario)
        assert not problems, problems[:5]


def test_default_day_keeps_books():
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=3, keep_log=True)
    sim.advance_to(6 * 3600)
    check_books(sim)
    assert sim.counts["delivered"] > 1000


def test_rush_hour_and_outage_keep_books():
    for name in ("rush-hour", "outage"):
        sim = Simulation(load_scenario(f"scenarios/{name}.toml"), seed=11, keep_log=True)
        sim.advance_to(sim.scenario.run.hours * 3600)
        check_books(sim)


MODELS = ("image", "video", "audio", "text")


#: upper ends for drawn arguments, where the schema's would make runs meaninglessly long
DRAW_CAPS = {"rate_per_min": 30.0, "slots": 40, "multiplier": 6.0, "duration_s": 3600.0,
             "order_id": 500, "price_cents": 1000}


def argument(spec, name: str):
    """A strategy for one command argument, from the same Spec the validator uses."""
    if name == "model":
        return st.sampled_from(("", *MODELS) if spec is OPTIONAL_MODEL else MODELS)
    if spec.kind is bool:
        return st.booleans()
    hi = min(spec.hi, DRAW_CAPS.get(name, spec.hi))
    if spec.kind is int:
        return st.integers(int(spec.lo), int(min(hi, 10**6)))
    return st.floats(spec.lo, hi, allow_nan=False)


@st.composite
def command_streams(draw):
    """Random operator sessions over every command in the table (a new command is drawn
    from its schema with no change here)."""
    cmds = []
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.floats(0, 3 * 3600, allow_nan=False))
        name = draw(st.sampled_from(sorted(COMMANDS)))
        args = {arg: draw(argument(spec, arg)) for arg, spec in COMMANDS[name].items()}
        cmds.append(make_command(at, name, args, "test", MODELS))
    return cmds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    rate=st.floats(0.5, 25),
    slots=st.integers(0, 12),
    fail=st.floats(0, 0.4),
    throttle=st.floats(0, 0.2),
    aging=st.floats(0, 3600),
    vip=st.floats(0, 1),
    lobby=st.integers(0, 200),
    batch=st.integers(1, 10),
    commands=command_streams(),
)
def test_random_scenarios_lose_nothing(seed, rate, slots, fail, throttle, aging, vip, lobby,
                                       batch, commands):
    sc = load_scenario("scenarios/default.toml", [
        f"arrivals.rate_per_min={rate}", f"models.image.slots={slots}",
        f"models.image.fail_rate={fail}", f"models.video.throttle_rate={throttle}",
        f"queue.aging_s={aging}", f"arrivals.vip_share={vip}",
        f"door.lobby_max_orders={lobby}", f"models.text.batch_max={batch}",
        "models.image.mean_task_s=120", "models.video.mean_task_s=200",
    ])
    sim = Simulation(sc, seed=seed, commands=commands, keep_log=True)
    # advance in uneven steps, reading snapshots in between like the renderer does
    t = 0.0
    while t < 3 * 3600:
        t += 937.0
        sim.advance_to(t)
        sim.snapshot()
    check_books(sim)
