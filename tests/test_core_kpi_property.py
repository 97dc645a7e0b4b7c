"""A property, not a judgement (issue 16): over random scenarios and instants, no headline
tile is green while an alert that contradicts it is on, and no two tiles judged against the
same wait target disagree on whether it is met (one green, the other red).

The pairs are named here, independently of ``sim.kpi.CONTRADICTED_BY``: the service level
cannot be green while customers abandon (abandon alert), the queue overflows (queue alert),
the live wait is over the target (wait alert) or an upstream is cut off (breaker alert); the
wait p95 cannot be green while the wait alert is on.  The service level and the wait p95
both compare a wait with ``service.target_wait_s``.  The example that made the issue: at
03:26 of rush-hour (seed 1, t = 12360 s) the strip showed the service level green beside
red abandon and queue lamps.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

from render.panel.kpistrip import tiles  # noqa: E402
from sim import Simulation, load_scenario  # noqa: E402

#: (tile, alert): the tile may not be green while the alert is on
CONTRADICTIONS = (("service_level", "abandon_rate"), ("service_level", "queue_len"),
                  ("service_level", "wait_p95"), ("service_level", "breaker_open"),
                  ("wait_p95", "wait_p95"))
#: tiles whose colour compares a wait with the service target
SAME_TARGET = ("service_level", "wait_p95")


def broken_promises(snap, lang="en") -> list[str]:
    """What the strip at this snapshot says that its lamps or another tile deny."""
    shown = tiles(snap.kpi, lang)
    on = {a.name for a in snap.alerts if a.active}
    problems = [f"{tile} green while the {alert} alert is on"
                for tile, alert in CONTRADICTIONS
                if shown[tile].state == "good" and alert in on]
    states = {shown[name].state for name in SAME_TARGET}
    if {"good", "bad"} <= states:
        problems.append("service level and wait p95 disagree on the target: "
                        + ", ".join(f"{n} {shown[n].value} {shown[n].state}"
                                    for n in SAME_TARGET))
    return problems


def test_rush_hour_at_0326_keeps_its_promises():
    """rush-hour seed 1 at t = 12360 s (03:26): the issue's screen."""
    sim = Simulation(load_scenario("scenarios/rush-hour.toml"), seed=1)
    sim.advance_to(12360.0)
    snap = sim.snapshot()
    # the abandon lamp is on (the queue lamp too when the issue was filed; since the
    # estimator's curve changed, this trajectory's image queue is ~77 here, under 100):
    # the service-level tile must not be green beside it
    assert "abandon_rate" in {a.name for a in snap.alerts if a.active}
    assert broken_promises(snap) == []
    assert broken_promises(snap, "zh") == []


def test_a_minute_later_the_two_wait_tiles_agree():
    sim = Simulation(load_scenario("scenarios/rush-hour.toml"), seed=1)
    sim.advance_to(12420.0)
    assert broken_promises(sim.snapshot()) == []


SCENARIOS = {
    "default": 4.0, "rush-hour": 6.0, "outage": 3.0,
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=hs.sampled_from(sorted(SCENARIOS)), seed=hs.integers(0, 10_000),
       frac=hs.floats(0.02, 1.0), rate=hs.sampled_from([None, 2.0, 6.0, 12.0]),
       share=hs.sampled_from([None, 0.8, 0.99]), image_slots=hs.sampled_from([None, 8, 40]))
def test_no_tile_is_green_against_a_lamp_at_any_instant(name, seed, frac, rate, share,
                                                        image_slots):
    overrides = []
    if rate is not None:
        overrides.append(f"arrivals.rate_per_min={rate}")
    if share is not None:
        overrides.append(f"service.target_share={share}")
    if image_slots is not None:
        overrides.append(f"models.image.slots={image_slots}")
    sim = Simulation(load_scenario(f"scenarios/{name}.toml", overrides), seed=seed)
    t = frac * SCENARIOS[name] * 3600.0
    sim.advance_to(t)
    snap = sim.snapshot()
    assert broken_promises(snap) == [], (name, seed, t, overrides)
    # the tiles read the lamps of the same instant as the snapshot's alerts
    assert sorted(snap.kpi["alerts_on"]) == sorted(a.name for a in snap.alerts if a.active)
