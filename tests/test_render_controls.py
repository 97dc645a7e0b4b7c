"""Every slider, button and shortcut sends its command, and the simulation reflects it.

Events are synthetic pygame events at screen coordinates, exactly what a mouse would send.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from render import layout as L  # noqa: E402
from render import palette as P  # noqa: E402
from render.app import App  # noqa: E402
from render.panel.controls import Controls  # noqa: E402


@pytest.fixture
def app(screen):
    a = App("rush-hour", speed=60.0)
    for _ in range(3):
        a.step(1 / 60)
    a.draw(screen)
    return a


def ev(kind: int, pos: tuple[int, int]) -> pygame.event.Event:
    if kind == pygame.MOUSEMOTION:
        return pygame.event.Event(kind, pos=pos, rel=(0, 0), buttons=(1, 0, 0))
    return pygame.event.Event(kind, pos=pos, button=1)


def drag(app: App, slider, value: float) -> list:
    """Press on the knob, drag to ``value``'s stop, release; return the actions sent."""
    track = Controls.on_screen(slider.track)
    start = (Controls.on_screen(pygame.Rect(slider.x_of(slider.shown()), 0, 1, 1)).x,
             track.centery)
    end = (Controls.on_screen(pygame.Rect(slider.x_of(value), 0, 1, 1)).x, track.centery)
    actions = app.handle(ev(pygame.MOUSEBUTTONDOWN, start))
    actions += app.handle(ev(pygame.MOUSEMOTION, ((start[0] + end[0]) // 2, end[1])))
    actions += app.handle(ev(pygame.MOUSEMOTION, end))
    actions += app.handle(ev(pygame.MOUSEBUTTONUP, end))
    return actions


def click(app: App, name: str) -> list:
    rect = Controls.on_screen(app.controls.buttons[name].rect)
    return app.handle(ev(pygame.MOUSEBUTTONDOWN, rect.center)) + \
        app.handle(ev(pygame.MOUSEBUTTONUP, rect.center))


def key(app: App, k: int) -> list:
    return app.handle(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=""))


def test_spawn_rate_slider(app):
    assert drag(app, app.controls.sliders["spawn"], 12.0) == \
        [("spawn_rate", {"rate_per_min": 12.0})]
    assert app.sim.rate_per_min == 12.0
    assert app.snap.controls.rate_per_min == 12.0
    assert app.sim.recorded_commands()[-1].name == "spawn_rate"


def test_vip_share_slider(app):
    drag(app, app.controls.sliders["vip"], 0.5)
    assert app.snap.controls.vip_share == 0.5


def test_breaker_multiplier_slider(app):
    drag(app, app.controls.sliders["multiplier"], 5.0)
    assert app.sim.multiplier == 5.0


@pytest.mark.parametrize("model", ["image", "video", "audio", "text"])
def test_capacity_sliders(app, model):
    drag(app, app.controls.sliders["capacity:" + model], 14.0)
    assert app.snap.controls.capacity[model] == 14
    st = app.station(model)
    working = [s for s in st.slots if not s.rented and s.state in ("idle", "busy")]
    assert len(working) == 14


def test_speed_slider_is_playback_not_a_command(app):
    n = len(app.sim.recorded_commands())
    assert drag(app, app.controls.sliders["speed"], 300.0) == [("_speed", {"speed": 300.0})]
    assert app.speed == 300.0
    assert len(app.sim.recorded_commands()) == n
    t = app.sim.now
    app.step(0.05)
    assert app.sim.now == pytest.approx(t + 15.0)
    drag(app, app.controls.sliders["speed"], 0.0)
    t = app.sim.now
    app.step(0.05)
    assert app.sim.now == t


def test_model_outage_pause_clear_buttons(app):
    click(app, "model")
    assert app.model == "video"
    click(app, "model")
    click(app, "model")
    click(app, "model")
    assert app.model == "image"
    click(app, "outage")
    st = app.station("image")
    assert st.outage_until_s == pytest.approx(app.sim.now + 600.0)
    click(app, "dispatch")
    assert app.station("image").paused
    app.speed = 600.0
    for _ in range(40):
        app.step(1 / 60)
    waiting = app.station("image").num_requests_waiting
    refunds = app.snap.money_cents["refunds"]
    assert waiting > 2
    click(app, "clear")
    # the queue is refunded; customers may submit their next pending order right away
    assert app.station("image").num_requests_waiting < waiting // 2
    assert app.snap.money_cents["refunds"] > refunds
    click(app, "dispatch")
    assert not app.station("image").paused


def test_rent_and_return_buttons(app):
    click(app, "rent")
    st = app.station("image")
    assert st.provisioning_slots == 5 and st.rented_slots == 5
    click(app, "return")
    assert app.station("image").rented_slots == 0


def test_autoscaler_toggle(app):
    on = app.snap.controls.autoscaler
    click(app, "autoscaler")
    assert app.snap.controls.autoscaler is (not on)
    assert app.sim.autoscaler.enabled is (not on)


def test_reset_scenario_language_help_buttons(app):
    seed = app.seed
    app.speed = 600.0
    app.step(1 / 60)
    click(app, "reset")
    assert app.seed == seed + 1 and app.sim.now == 0.0
    click(app, "scenario")
    assert app.scenario_name != "rush-hour"
    click(app, "lang")
    assert app.lang == "zh"
    click(app, "help")
    assert app.show_help
    app.handle(ev(pygame.MOUSEBUTTONDOWN, (10, 10)))
    assert not app.show_help


def test_keyboard_shortcuts(app):
    app.speed = 60.0
    key(app, pygame.K_SPACE)
    assert app.speed == 0.0
    key(app, pygame.K_SPACE)
    assert app.speed == 60.0
    key(app, pygame.K_EQUALS)
    assert app.speed == 120.0
    key(app, pygame.K_MINUS)
    assert app.speed == 60.0
    key(app, pygame.K_3)
    assert app.model == "audio"
    key(app, pygame.K_p)
    assert app.station("audio").paused
    key(app, pygame.K_r)
    assert app.station("audio").rented_slots == 5
    key(app, pygame.K_h)
    assert app.show_help
    key(app, pygame.K_ESCAPE)
    assert not app.show_help
    key(app, pygame.K_l)
    assert app.lang == "zh"


def test_bad_command_is_shown_not_raised(app):
    app.apply("capacity", {"model": "nope", "slots": 3})
    assert "nope" in app.message


def hover(app: App, screen, pos) -> None:
    app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.draw(screen)


def test_person_tooltip(app, screen):
    app.speed = 600.0
    for _ in range(200):
        app.step(1 / 60)
    inside = [a for a in app.people.actors.values() if not a.leaving]
    assert inside
    a = max(inside, key=lambda a: a.y)   # front-most, so nobody stands in front of it
    pos = app.camera.to_screen(a.x, a.y - 6)
    lines = app.hover_lines(pos)
    assert lines and lines[0] == f"customer #{a.cid}"
    assert any(line.startswith("wallet $") for line in lines)
    hover(app, screen, pos)
    corner = (min(pos[0] + 14, L.SCREEN_W - 10), min(pos[1] + 14, L.SCREEN_H - 10))
    assert tuple(screen.get_at((corner[0] + 2, corner[1]))[:3]) == P.YELLOW


def test_machine_tooltip(app, screen):
    g = app.machines.groups["image"]
    x, y = g.cell(False, 0)
    pos = app.camera.to_screen(x + 4, y + 4)
    lines = app.hover_lines(pos)
    assert lines and lines[0].startswith("SD1.5 slot 0")
    assert lines[1] == "idle: no order waiting"       # in words, not "state: idle"
    hover(app, screen, pos)
    assert tuple(screen.get_at((pos[0] + 16, pos[1] + 14))[:3]) == P.YELLOW


def test_no_tooltip_over_empty_floor(app):
    assert app.hover_lines(app.camera.to_screen(300, 246)) is None
    assert app.hover_lines((L.SCREEN_W - 5, 5)) is None


def test_the_fullscreen_button_asks_the_window_as_f11_does(app):
    pygame.event.clear()
    click(app, "fullscreen")
    keys = [e.key for e in pygame.event.get(pygame.KEYDOWN)]
    assert keys == [pygame.K_F11]          # main.py's Display toggles on it (test_display)
