"""The Azure trace scenario in the page: the spawn slider is a speed multiplier of the trace,
the timeline draws the trace's own rate, and the scenario is in the cycle."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402
from test_render_controls import drag  # noqa: E402

from render.app import App, scenario_names  # noqa: E402
from render.panel.timeline import rate_at, rate_steps  # noqa: E402


@pytest.fixture
def app(screen):
    a = App("azure-code-2023", speed=60.0)
    for _ in range(30):
        a.step(1 / 60)
    a.draw(screen)
    return a


def test_in_the_scenario_cycle():
    assert "azure-code-2023" in scenario_names()


def test_spawn_slider_is_the_trace_speed(app, screen):
    slider = app.controls.sliders["spawn"]
    assert slider.label() == "trace speed"
    assert slider.fmt(154.0 * 2) == "×2"
    assert drag(app, slider, 308.0) == [("spawn_rate", {"rate_per_min": 308.0})]
    assert app.sim.arrivals.trace.speed == pytest.approx(2.0)
    for _ in range(10):
        app.step(1 / 60)
    app.draw(screen)


def test_timeline_curve_is_the_trace_rate(app):
    steps = rate_steps(app.snap.plan)
    per_minute = app.sim.scenario.trace.scan.per_minute
    assert max(v for _, v in steps) == max(per_minute) == 632
    assert rate_at(steps, 14 * 60 + 1) == 632
    assert len(steps) == len(per_minute) + 1
