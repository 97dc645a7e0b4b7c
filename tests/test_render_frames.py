"""The renderer runs every scenario, caches its text, and never changes the simulation.

All tests use SDL's dummy video driver: no display needed.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from render.app import App, scenario_names  # noqa: E402
from render.cadence import SNAP_EVERY_S  # noqa: E402


def run(app: App, screen, frames: int) -> None:
    for _ in range(frames):
        app.step(1 / 60)
        app.draw(screen)


@pytest.mark.parametrize("name", scenario_names())
def test_frames_on_every_scenario(screen, name):
    app = App(name, speed=600.0)
    run(app, screen, 90)           # 15 simulated minutes in 1.5 real seconds
    assert app.sim.now == pytest.approx(90 / 60 * 600.0)
    assert app.sim_error == ""
    assert app.people_drawn >= 0
    assert screen.get_at((5, 5)) != pygame.Color(0, 0, 0)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_both_languages_draw(screen, lang):
    app = App("rush-hour", lang=lang, speed=600.0)
    app.show_help = True
    run(app, screen, 20)
    assert app.sim_error == ""


def test_people_walk_instead_of_teleporting(screen):
    app = App("rush-hour", speed=600.0)
    last: dict[int, tuple[float, float]] = {}
    seen = 0
    for _ in range(240):
        app.step(1 / 60)
        now = {}
        for cid, a in app.people.actors.items():
            if cid in last:     # on screen in the frame before too (a badge may hide one)
                px, py = last[cid]
                # at most hurry (8x) walking speed, or the far-target catch-up, per frame
                assert abs(a.x - px) + abs(a.y - py) < 60, cid
            now[cid] = (a.x, a.y)
        last = now
        seen += len(now)
    assert seen, "somebody came in"


def test_unchanged_labels_are_not_rendered_again(screen):
    app = App("default", speed=0.0)
    run(app, screen, 5)
    before = app.fonts.renders
    run(app, screen, 30)
    assert app.fonts.renders == before


def test_rented_machines_and_coin_bag_appear(screen):
    app = App("default", speed=0.0)
    run(app, screen, 2)
    app.apply("rent", {"model": "image", "slots": 5})
    st = app.station("image")
    assert st.provisioning_slots == 5
    for _ in range(round(SNAP_EVERY_S * 60) + 2):   # layers follow the next snapshot
        app.step(1 / 60)
    assert any(a.kind == "throw" for a in app.machines.anims)
    app.speed = 600.0
    run(app, screen, 30)            # 300 s: past the 120 s provisioning delay
    st = app.station("image")
    assert st.provisioning_slots == 0 and st.rented_slots == 5
    g = app.machines.groups["image"]
    assert all(g.cell(True, s.index) for s in st.slots if s.rented)


def test_scenario_files_resolve_from_the_package_not_the_cwd(screen, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = App("rush-hour", speed=60.0)
    assert app.scenario_name == "rush-hour"
    app.apply("_scenario", {})
    assert app.scenario_name != "rush-hour"
