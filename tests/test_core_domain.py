"""DOMAIN.md behaviour by behaviour, with numbers: lanes, tiers, door, billing, retries,
breakers, batching, autoscaling and the operator's commands."""

from __future__ import annotations

import pytest

from sim import Simulation, load_scenario, record_field
from sim.orders import OrderState

ONE_MODEL = [
    "models.image.mix=1", "models.video.mix=0", "models.audio.mix=0", "models.text.mix=0",
    "models.image.fail_rate=0", "models.image.throttle_rate=0", "autoscaler.enabled=false",
    "wait_breaker.enabled=false", "door.enabled=false",
]


def sim_for(name="default", overrides=(), seed=1, keep_log=True, commands=()):
    return Simulation(load_scenario(f"scenarios/{name}.toml", list(overrides)), seed=seed,
                      keep_log=keep_log, commands=commands)


def records(sim, kind):
    return [r for r in sim.log.records if r[1] == kind]


def test_vip_lane_is_served_first_and_aging_bounds_normal_waits():
    lane_sums = {"vip": [0.0, 0], "normal": [0.0, 0]}
    for seed in (1, 2, 3):   # pooled: one seed's few hundred orders are too noisy a mean
        sim = sim_for(seed=seed, overrides=ONE_MODEL + [
            "models.image.slots=4", "arrivals.rate_per_min=0.3", "arrivals.vip_share=0.4",
            "queue.aging_s=1800"])
        sim.advance_to(8 * 3600)
        for name, lane in sim.summary()["by_model"]["image"]["lanes"].items():
            lane_sums[name][0] += lane["mean"] * lane["count"]
            lane_sums[name][1] += lane["count"]
    vip, normal = lane_sums["vip"], lane_sums["normal"]
    assert vip[1] > 300 and normal[1] > 300
    assert vip[0] / vip[1] < 0.5 * normal[0] / normal[1]
    # aging bounds starvation: the same crowd without aging leaves normal orders waiting longer
    sim = sim_for(overrides=ONE_MODEL + ["models.image.slots=4", "arrivals.rate_per_min=0.3",
                                         "arrivals.vip_share=0.4", "queue.aging_s=1800"])
    sim.advance_to(8 * 3600)
    aged = max(r[0] - sub for r, sub in _starts_with_submission(sim))
    no_aging = sim_for(overrides=ONE_MODEL + [
        "models.image.slots=4", "arrivals.rate_per_min=0.3", "arrivals.vip_share=0.4",
        "queue.aging_s=604800"])
    no_aging.advance_to(8 * 3600)
    assert aged < max(r[0] - sub for r, sub in _starts_with_submission(no_aging))


def _starts_with_submission(sim):
    submitted, lane = {}, {}
    for r in sim.log.records:
        if r[1] == "enqueue":
            submitted[r[2]] = r[0]
            lane[r[2]] = r[5]
        elif r[1] == "start" and lane.get(r[2]) == "normal":
            yield r, submitted[r[2]]


def test_tier_concurrency_orders_wait_with_the_customer():
    sim = sim_for(overrides=ONE_MODEL + [
        "arrivals.rate_per_min=0.2", "tiers.L1.orders_min=2", "tiers.L1.orders_max=2",
        "tiers.L2.orders_min=3", "tiers.L2.orders_max=3", "arrivals.vip_share=0"])
    sim.advance_to(2 * 3600)
    for cust in list(sim.customers.values()) + [c for c in sim.departures]:
        starts = sorted(o.started_s for o in cust.orders if o.started_s >= 0)
        if cust.tier == "L1" and len(starts) == 2:
            first = [o for o in cust.orders if o.started_s == starts[0]][0]
            # L1: the second order is submitted only when the first one has ended
            assert starts[1] >= first.since_s - 1e-9


def test_insufficient_funds_declines_and_refunds_nothing():
    sim = sim_for(overrides=["models.video.mix=1", "models.video.price_cents=5000",
                             "tiers.L1.wallet_max_cents=600", "arrivals.rate_per_min=10"])
    sim.advance_to(1800)
    s = sim.summary()
    assert s["orders"]["declined"] > 50
    assert any(r[4] == "insufficient_funds" for r in records(sim, "decline"))
    assert s["money_cents"]["wallets_initial"] == (s["money_cents"]["wallets_final"]
                                                   + s["money_cents"]["held_open"]
                                                   + s["money_cents"]["revenue"])


def test_door_rate_limits_and_lobby_cap():
    sim = sim_for(overrides=["arrivals.rate_per_min=120", "door.admit_per_min=30",
                             "door.burst=5"])
    sim.advance_to(1200)
    s = sim.summary()["customers"]
    admitted = s["arrived"] - s["rejected"]
    assert s["rejected_by_reason"]["rate_limited"] > 1000
    assert admitted <= 30 * 1200 / 60 + 5 + 1
    sim = sim_for(overrides=["arrivals.rate_per_min=20", "door.lobby_max_orders=10",
                             "models.image.slots=2", "autoscaler.enabled=false"])
    sim.advance_to(3600)
    s = sim.summary()["customers"]
    assert s["rejected_by_reason"]["lobby_full"] > 50


def test_outage_retries_with_full_jitter_opens_the_circuit_and_refunds():
    sim = sim_for("outage", seed=4)
    sim.advance_to(3 * 3600)
    s = sim.summary()
    assert s["orders"]["retries"] > 20
    assert s["orders"]["refunded_failure"] > 0
    assert s["orders"]["dead_letters"] == s["orders"]["refunded_failure"]
    states = [r[3] for r in records(sim, "circuit") if r[2] == "image"]
    assert "open" in states and "half_open" in states and "closed" in states
    opened = [r[0] for r in records(sim, "circuit") if r[2] == "image" and r[3] == "open"]
    assert 3600 <= opened[0] <= 3600 + 300
    attempt_of = {}
    for r in sim.log.records:
        if r[1] == "fail":
            attempt_of[r[2]] = r[5]
        elif r[1] == "backoff":
            cap = 10.0 * 2.0 ** (attempt_of[r[2]] - 1)
            assert 0 <= r[3] <= cap
    # no image call starts while its circuit is open (half-open lets one probe through)
    state, bad = "closed", 0
    for r in sim.log.records:
        if r[1] == "circuit" and r[2] == "image":
            state = r[3]
        elif r[1] == "start" and r[3] == "image" and state == "open":
            bad += 1
    assert bad == 0


def test_rush_hour_asks_rents_and_returns():
    sim = sim_for("rush-hour", seed=2)
    sim.advance_to(6 * 3600)
    s = sim.summary()
    assert s["breaker"]["asked"] > 10
    assert s["breaker"]["left"] > 0
    assert s["autoscaler"]["rent_events"] > 0 and s["autoscaler"]["return_events"] > 0
    assert s["money_cents"]["rental_cost"] > 0
    # rented slots arrive a provisioning delay after the rent
    rent_t = [r[0] for r in records(sim, "rent") if r[2] == "image"]
    arrived = [r[0] for r in records(sim, "slot") if r[2] == "image" and r[5] == "arrived"]
    assert rent_t and abs(arrived[0] - (rent_t[0] + 120.0)) < 1e-6
    # asks happen only for orders whose expected wait passed 3 x T
    for r in records(sim, "ask"):
        assert r[4] > 3 * 300.0 or r[4] > 3 * 720.0 or r[4] > 3 * 120.0 or r[4] > 3 * 60.0
    kinds = {r[2] for r in records(sim, "alert")}
    assert "wait_p95" in kinds or "queue_len" in kinds


def test_wait_estimate_is_better_than_guessing():
    sim = sim_for("rush-hour", seed=3, keep_log=False)
    sim.advance_to(6 * 3600)
    est = sim.estimate_error()
    measured = sum(st.waits.total for st in sim.stations.values())
    assert est["count"] > 100
    # predicting "no wait" would be off by the mean wait of the measured orders
    assert est["mean_abs_error_s"] < 0.8 * measured / est["count"]


def test_text_model_batches_orders():
    sim = sim_for(overrides=["arrivals.rate_per_min=20", "models.text.slots=2"])
    sim.advance_to(3600)
    sizes = [r[4] for r in records(sim, "batch") if r[2] == "text"]
    assert sizes and max(sizes) == 8 and min(sizes) >= 2


def test_pause_resume_and_clear_queue():
    sim = sim_for(overrides=["arrivals.rate_per_min=6", "autoscaler.enabled=false"])
    sim.advance_to(600)
    sim.command("pause", model="image")
    sim.advance_to(1800)
    starts = [r for r in records(sim, "start") if r[3] == "image" and 600 < r[0] <= 1800]
    assert starts == []
    st = sim.stations["image"]
    waiting = len(st.lanes)
    assert waiting > 0
    before = sim.counts["refunded_cancel"]
    sim.command("clear_queue", model="image")
    sim.advance_to(1800)
    assert sim.counts["refunded_cancel"] - before >= waiting
    sim.command("resume", model="")
    sim.advance_to(2400)
    assert any(r[3] == "image" and r[0] > 1800 for r in records(sim, "start"))


def test_capacity_down_drains_busy_slots_and_up_adds():
    sim = sim_for(overrides=["arrivals.rate_per_min=8", "autoscaler.enabled=false"])
    sim.advance_to(1200)
    sim.command("capacity", model="image", slots=5)
    sim.advance_to(1200)
    st = sim.stations["image"]
    assert st.working_slots() == 5
    sim.advance_to(4000)
    assert len(st.slots) == 5 and st.n_draining == 0
    sim.command("capacity", model="image", slots=25)
    sim.advance_to(4000)
    assert len(st.slots) == 25


def test_manual_rent_and_return_cost_money_only_while_leased():
    sim = sim_for(overrides=["autoscaler.enabled=false", "arrivals.rate_per_min=1"])
    sim.command("rent", model="image", slots=4)
    sim.advance_to(3600)
    sim.command("return", model="image", slots=4)
    sim.advance_to(7200)
    m = sim.summary()["money_cents"]
    # 4 slots x 60 cents/h x 1 h, paid to the cent
    assert m["rental_cost"] == 4 * 60
    assert sim.summary()["by_model"]["image"]["rented_slot_hours"] == 4.0


def test_budget_caps_the_autoscaler():
    sim = sim_for("rush-hour", overrides=["autoscaler.budget_cents=100"], keep_log=False)
    sim.advance_to(6 * 3600)
    m = sim.summary()["money_cents"]
    capped = sim_for("rush-hour", keep_log=False)
    capped.advance_to(6 * 3600)
    assert m["rental_cost"] < capped.summary()["money_cents"]["rental_cost"]


def test_leaving_cancels_running_orders_and_shows_their_cost():
    sim = sim_for("rush-hour", seed=2, keep_log=False)
    sim.advance_to(6 * 3600)
    left = [c for c in sim.departures if c.state.value == "left"]
    s = sim.summary()
    assert s["orders"]["refunded_abandon"] > 0
    if s["orders"]["refunded_cancel"]:
        assert s["money_cents"]["cancelled_run_cost"] >= 0
    for c in left:
        assert all(o.state != OrderState.QUEUED for o in c.orders)
        assert c.held_cents == 0


def test_gave_up_waits_are_counted_for_orders_that_never_started():
    sim = sim_for("rush-hour", seed=2)
    sim.advance_to(6 * 3600)
    enq, started, never = {}, set(), []
    for r in sim.log.records:
        if r[1] == "enqueue":
            enq[r[2]] = r[0]
        elif r[1] == "start":
            started.add(r[2])
        elif r[1] == "refund" and r[2] in enq and r[2] not in started:
            never.append(r[0] - enq[r[2]])
    s = sim.summary()
    counted = sum(b["gave_up"]["count"] for b in s["by_model"].values())
    assert counted == len(never) > 10
    total = sum(st.gave_up.total for st in sim.stations.values())
    assert abs(total - sum(never)) < 1e-6
    # the waits of the orders that gave up are in the measure beside the started ones'
    w, g = sim.waits(), sim.factory_waits.with_gave_up
    assert g.count == w.count + len(never)
    assert g.total == pytest.approx(w.total + sum(never))
    assert s["wait_seconds_with_gave_up"]["mean"] == pytest.approx(g.total / g.count)


def test_autoscaler_does_not_rent_from_a_failing_upstream():
    sim = sim_for("outage", seed=4)
    sim.advance_to(3 * 3600)
    state, rents_while_open = "closed", 0
    for r in sim.log.records:
        if r[1] == "circuit" and r[2] == "image":
            state = r[3]
        elif r[1] == "rent" and r[2] == "image" and state != "closed":
            rents_while_open += 1
    assert rents_while_open == 0
    assert any(r[2] == "image" for r in records(sim, "rent"))  # it rents once it recovers


def test_set_price_applies_to_orders_placed_after_it():
    sim = sim_for(overrides=ONE_MODEL + ["models.image.slots=30"])
    sim.advance_to(3600)
    sim.command("set_price", model="image", price_cents=120)
    changed_at = sim.now
    sim.advance_to(3 * 3600)
    placed = {record_field(r, "order"): r[0] for r in records(sim, "place")}
    price = {record_field(r, "order"): record_field(r, "price_cents")
             for r in records(sim, "enqueue")}
    before = {p for o, p in price.items() if placed[o] < changed_at}
    after = {p for o, p in price.items() if placed[o] > changed_at}
    assert before == {50} and after == {120}
    assert sim.snapshot().station("image").price_cents == 120
    settled = sum(record_field(r, "cents") for r in records(sim, "deliver"))
    assert settled == sim.summary()["money_cents"]["revenue"] - sum(
        record_field(r, "cents") for r in records(sim, "vip")
        if record_field(r, "action") == "settle")
    replay = sim_for(overrides=ONE_MODEL + ["models.image.slots=30"],
                     commands=sim.recorded_commands())
    replay.advance_to(3 * 3600)
    assert replay.event_log_sha256() == sim.event_log_sha256()


@pytest.mark.parametrize("scenario", ["rush-hour", "outage"])
def test_the_snapshot_estimates_follow_the_per_order_rule(scenario):
    """The snapshot's estimates (one walk over a station's whole queue) give each waiting
    order what ``est_range`` gives it alone, in the snapshot's queue order; batched models
    (text, 8 a call) included."""
    sim = Simulation(load_scenario(scenario), seed=3)
    seen = 0
    for t in range(3600, 14400, 3600):
        sim.advance_to(float(t))
        snap = sim.snapshot()
        for view in snap.stations:
            st = sim.stations[view.name]
            alone = [st.est_range(o, sim.now) for o in view.queue]
            assert list(view.est_start_s) == pytest.approx(
                [sim.now + a[0] for a in alone], rel=1e-12)
            assert list(view.est_start_hi_s) == pytest.approx(
                [sim.now + a[2] for a in alone], rel=1e-12)
            seen += len(view.queue)
    assert seen
