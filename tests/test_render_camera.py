"""The camera: one transform between world pixels and the screen, exact on the pixel grid,
and the hit tests that go through it (a click on a person selects that person at any zoom,
through the window's letterbox and scale too)."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from render import layout as L  # noqa: E402
from render.camera import MAX_ZOOM, OVERVIEW, Camera  # noqa: E402
from render.display import LOGICAL, Display, fit  # noqa: E402

ZOOMS = range(1, MAX_ZOOM + 1)
TARGETS = [(0, 0), (L.WORLD_W, L.WORLD_H), (100, 180), (216, 126), (300, 40), (431, 3)]


def cameras():
    for z in ZOOMS:
        for t in TARGETS:
            yield Camera.looking_at(t, z)


def test_the_overview_is_todays_view():
    assert OVERVIEW.source_rect() == pygame.Rect(0, 0, L.WORLD_W, L.WORLD_H)
    assert OVERVIEW.px == 2
    assert OVERVIEW.to_screen(0, 0) == L.WORLD_RECT.topleft
    assert OVERVIEW.to_screen(100, 50) == (200, 100)
    assert OVERVIEW.to_world(201, 101) == (100.5, 50.5)


@pytest.mark.parametrize("zoom", ZOOMS)
def test_the_shown_part_fills_the_view_with_square_pixels(zoom):
    for t in TARGETS:
        cam = Camera.looking_at(t, zoom)
        src = cam.source_rect()
        assert (src.w * cam.px, src.h * cam.px) == L.WORLD_RECT.size
        assert pygame.Rect(0, 0, L.WORLD_W, L.WORLD_H).contains(src)     # clamped inside


def test_screen_to_world_to_screen_is_exact_on_the_pixel_grid():
    for cam in cameras():
        for sx in range(L.WORLD_RECT.left, L.WORLD_RECT.right, 5):
            for sy in (*range(L.WORLD_RECT.top, L.WORLD_RECT.bottom, 37), L.WORLD_RECT.bottom - 1):
                assert cam.to_screen(*cam.to_world(sx, sy)) == (sx, sy), (cam, sx, sy)


def test_world_pixels_land_on_screen_blocks_and_back():
    for cam in cameras():
        w, h = cam.view_size
        for wx in range(cam.x, cam.x + w, 3):
            for wy in range(cam.y, cam.y + h, 7):
                sx, sy = cam.to_screen(wx, wy)
                assert (sx - L.WORLD_RECT.x) % cam.px == 0 and (sy - L.WORLD_RECT.y) % cam.px == 0
                # every screen pixel of that block reads back as the same world pixel
                for dx in (0, cam.px - 1):
                    bx, by = cam.to_world(sx + dx, sy + dx)
                    assert (int(bx), int(by)) == (wx, wy)


def test_a_camera_stays_inside_the_world():
    with pytest.raises(ValueError, match="zoom 5"):
        Camera(5)
    with pytest.raises(ValueError, match="pan"):
        Camera(2, L.WORLD_W // 2 + 1, 0)
    assert Camera.looking_at((-50, -50), 3) == Camera(3, 0, 0)
    assert Camera.looking_at((9999, 9999), 4) == Camera(4, L.WORLD_W - 108, L.WORLD_H - 63)


# -- hit tests through the camera and the display -------------------------------------------------
@pytest.fixture(scope="module")
def busy():
    from render.app import App

    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode(LOGICAL)
    app = App("rush-hour", seed=1, speed=30.0, ease=False)
    app.sim.advance_to(3 * 3600.0)
    for _ in range(30):
        app.step(1 / 60)
    yield app
    pygame.display.set_mode(LOGICAL)


def seated(app):
    """Customers nobody stands in front of (no other sprite overlaps theirs)."""
    actors = list(app.people.actors.values())
    return [a for a in actors if not any(
        b is not a and abs(b.x - a.x) < 8 and abs(b.y - a.y) < 14 for b in actors)]


def window_pos(canvas_pos, rect):
    """The window pixel showing a canvas pixel's middle."""
    return (rect.x + int((canvas_pos[0] + 0.5) * rect.w / LOGICAL[0]),
            rect.y + int((canvas_pos[1] + 0.5) * rect.h / LOGICAL[1]))


@pytest.mark.parametrize("window", [LOGICAL, (1000, 700), (2600, 1500)])
@pytest.mark.parametrize("zoom", ZOOMS)
def test_a_click_on_a_person_selects_that_person(busy, zoom, window):
    app = busy
    people = seated(app)
    assert len(people) > 20
    display = Display()
    pygame.display.set_mode(window)
    rect = fit(window)
    picked = 0
    for a in people[::7]:
        app.look(Camera.looking_at((a.x, a.y - 7), zoom))
        app.draw(display.canvas)
        # the middle of the sprite (feet at a.y, 14 world pixels tall) and a pixel near its edge
        for wx, wy in ((a.x, a.y - 7), (a.x - 3, a.y - 12)):
            canvas = app.camera.to_screen(wx, wy)
            assert app.camera.sees(canvas)
            event = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=window_pos(canvas, rect),
                                       button=1)
            app.view.selected = None
            app.handle(display.map_event(event))
            assert app.view.selected == a.cid, (zoom, window, a.cid, canvas)
            picked += 1
    assert picked >= 6
    app.look(OVERVIEW)


def test_a_click_beside_everyone_selects_nobody(busy):
    app = busy
    app.look(Camera.looking_at((300, 246), 2))
    app.view.selected = 7
    pos = app.camera.to_screen(300, 246)          # the factory floor, by the supplier's gate
    assert app.people.hit(*app.camera.to_world(*pos)) is None
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    assert app.view.selected is None
    app.look(OVERVIEW)


@pytest.mark.parametrize("zoom", ZOOMS)
def test_hover_names_the_person_and_the_machine_at_any_zoom(busy, zoom):
    app = busy
    a = seated(app)[0]
    app.look(Camera.looking_at((a.x, a.y), zoom))
    lines = app.hover_lines(app.camera.to_screen(a.x, a.y - 7))
    assert lines and f"#{a.cid}" in lines[0]
    g = next(iter(app.machines.groups.values()))
    x, y = g.cell(False, 0)
    app.look(Camera.looking_at((x, y), zoom))
    lines = app.hover_lines(app.camera.to_screen(x + 4, y + 4))
    assert lines and "slot 0" in lines[0]
    app.look(OVERVIEW)


def test_signs_follow_the_camera(busy):
    """The signs over the world are placed by the camera: zoomed in on the cashier, its sign
    sits where the camera puts the counter, and signs out of the view are cut at its edge."""
    app = busy
    app.look(Camera.looking_at(L.CASHIER.center, 3))
    canvas = pygame.Surface(LOGICAL)
    app.draw(canvas)
    x, _ = app.camera.to_screen(L.CASHIER.centerx, L.CASHIER.y)
    assert any(abs(pos[0] + s.get_width() // 2 - x) <= 1 for s, pos in app.labels)
    app.look(OVERVIEW)
