"""The window survives any size: the app draws on a logical 1280x720 canvas shown on the display
surface as it is now, scaled to fit and letterboxed, and mouse events land where they point.

SDL's dummy driver replaces the display surface on ``set_mode`` exactly as X11 does on a
resize, and pygame keeps the same Python object: drawing through a subsurface made before
the change is a segfault.  That is why the replacement test runs the app in a child process.
"""

from __future__ import annotations

import asyncio
import json
import pathlib
import subprocess
import sys

import pygame
import pytest

import main as app_main
from render import layout as L
from render.app import App
from render.display import LOGICAL, Display, fit
from render.panel.controls import Controls

ROOT = pathlib.Path(__file__).resolve().parent.parent
BLACK = (0, 0, 0)


@pytest.fixture
def window():
    """The display under the dummy driver, put back to 1280x720 afterwards."""
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode(LOGICAL)
    yield
    pygame.display.set_mode(LOGICAL)


@pytest.mark.parametrize(("window_size", "rect"), [
    ((1280, 720), (0, 0, 1280, 720)),
    ((1920, 1080), (320, 180, 1280, 720)),      # 1.5x fits: the integer scale is 1
    ((2600, 1500), (20, 30, 2560, 1440)),
    ((3840, 2160), (0, 0, 3840, 2160)),
    ((3000, 3000), (220, 780, 2560, 1440)),       # tall window: bars above and below
    ((1000, 600), (0, 19, 1000, 562)),           # below 1x: the exact fraction
    ((640, 900), (0, 270, 640, 360)),
])
def test_fit_takes_the_largest_integer_scale_and_centres_the_picture(window_size, rect):
    assert fit(window_size) == pygame.Rect(rect)


def test_fit_of_a_minimised_window_is_nothing():
    assert fit((0, 0)) is None
    assert fit((1280, 0)) is None


CHILD = r"""
import asyncio, json, os, sys
os.environ["SDL_VIDEODRIVER"] = "dummy"
sys.path.insert(0, {root!r})
import pygame
import main

sizes = {sizes!r}
frames = {{"n": 0}}
real_flip = pygame.display.flip


def flip():
    real_flip()
    frames["n"] += 1
    size = sizes.get(str(frames["n"]))
    if size:   # what a window manager does: a new surface, then the events
        pygame.display.set_mode(size)
        w, h = size
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(w, h), w=w, h=h))
        pygame.event.post(pygame.event.Event(pygame.WINDOWSIZECHANGED, x=w, y=h))


pygame.display.flip = flip
code = asyncio.run(main.main(["--headless", "--frames", "40", "--scenario", "rush-hour",
                              "--screenshot", {canvas!r}]))
pygame.image.save(pygame.display.get_surface(), {window!r})
print(json.dumps({{"code": code, "size": pygame.display.get_surface().get_size()}}))
"""


@pytest.mark.parametrize("sizes", [
    {"10": (1000, 600), "25": (2600, 1500)},
    {"10": (2600, 1500), "25": (1000, 600)},
])
def test_the_app_keeps_drawing_after_the_window_surface_is_replaced(tmp_path, sizes):
    canvas_png, window_png = tmp_path / "canvas.png", tmp_path / "window.png"
    script = CHILD.format(root=str(ROOT), sizes=sizes, canvas=str(canvas_png),
                          window=str(window_png))
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stderr[-2000:]}"
    result = json.loads(r.stdout.strip().splitlines()[-1])
    final = tuple(sizes["25"])
    assert result["code"] == 0 and tuple(result["size"]) == final
    canvas = pygame.image.load(str(canvas_png))
    shown = pygame.image.load(str(window_png))
    assert shown.get_size() == final
    rect = fit(final)
    _assert_letterboxed(shown, rect)
    if rect.w > LOGICAL[0]:   # nearest neighbour at 2x: every canvas pixel, twice
        k = rect.w // LOGICAL[0]
        for x in range(0, LOGICAL[0], 37):
            for y in range(0, LOGICAL[1], 29):
                want = canvas.get_at((x, y))
                assert shown.get_at((rect.x + k * x, rect.y + k * y)) == want
                assert shown.get_at((rect.x + k * x + k - 1, rect.y + k * y + k - 1)) == want
    else:                     # a smooth downscale of the very same canvas
        small = pygame.transform.smoothscale(canvas.convert(24), rect.size)
        for x in range(0, rect.w, 41):
            for y in range(0, rect.h, 23):
                got = shown.get_at((rect.x + x, rect.y + y))
                assert _close(got, small.get_at((x, y))), (x, y)


def _assert_letterboxed(shown: pygame.Surface, rect: pygame.Rect) -> None:
    """Black bars outside ``rect``, a real picture (not black) inside."""
    w, h = shown.get_size()
    bars = [pygame.Rect(0, 0, w, rect.top), pygame.Rect(0, rect.bottom, w, h - rect.bottom),
            pygame.Rect(0, 0, rect.left, h), pygame.Rect(rect.right, 0, w - rect.right, h)]
    bars = [b for b in bars if b.w > 0 and b.h > 0]
    assert bars, "the test sizes all leave bars"
    for bar in bars:
        assert pygame.transform.average_color(shown, bar)[:3] == BLACK, bar
    inside = pygame.transform.average_color(shown, rect)[:3]
    assert sum(inside) > 60, inside
    # the picture reaches its edges: the panel's and the street's pixels are not black
    assert shown.get_at((rect.right - 4, rect.centery))[:3] != BLACK
    assert shown.get_at((rect.left + 4, rect.top + 4))[:3] != BLACK


def _close(a, b, tol: int = 2) -> bool:
    return all(abs(a[i] - b[i]) <= tol for i in range(3))


def _click(pos: tuple[int, int]) -> None:
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=pos, button=1))


def _run(display: Display, app: App, frames: int) -> int:
    return asyncio.run(app_main.frame_loop(pygame, display, app, frames, True))


@pytest.mark.parametrize("size", [(2600, 1500), (1000, 600), (1920, 1080)])
def test_a_click_at_a_window_pixel_lands_on_the_slider_under_it(window, size):
    pygame.display.set_mode(size)
    display = Display()
    app = App("rush-hour", seed=2, speed=0.0)
    pygame.event.clear()
    slider = app.controls.sliders["capacity:image"]
    value = 37.0
    logical = (Controls.on_screen(pygame.Rect(slider.x_of(value), 0, 1, 1)).x,
               Controls.on_screen(slider.track).centery)
    rect = fit(size)
    # the window pixel whose centre shows that canvas pixel
    pos = (rect.x + int((logical[0] + 0.5) * rect.w / LOGICAL[0]),
           rect.y + int((logical[1] + 0.5) * rect.h / LOGICAL[1]))
    assert pos != logical   # unmapped, the click would land elsewhere
    _click(pos)
    _run(display, app, 3)
    assert app.sim.snapshot().controls.capacity["image"] == value
    assert pygame.display.get_surface().get_size() == size


def test_a_press_on_the_black_bars_reaches_no_widget(window):
    pygame.display.set_mode((2600, 1500))
    display = Display()
    app = App("rush-hour", seed=2, speed=0.0)
    pygame.event.clear()
    before = app.sim.snapshot().controls.capacity["image"]
    slider = app.controls.sliders["capacity:image"]
    # a press in the left bar, level with the slider; released on the slider's far end
    y = 30 + 2 * Controls.on_screen(slider.track).centery
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(5, y), button=1))
    end_x = 20 + 2 * Controls.on_screen(slider.track).right
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(end_x, y), button=1))
    _run(display, app, 2)
    assert app.sim.snapshot().controls.capacity["image"] == before
    assert display.map_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(5, y),
                                                button=1)) is None


def test_a_drag_past_the_picture_is_clamped_to_its_edge(window):
    pygame.display.set_mode((2600, 1500))
    display = Display()
    motion = display.map_event(pygame.event.Event(pygame.MOUSEMOTION, pos=(2599, 1499),
                                                  rel=(4, -6), buttons=(1, 0, 0)))
    assert motion.pos == (LOGICAL[0] - 1, LOGICAL[1] - 1)
    assert motion.rel == (2, -3)
    up = display.map_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(0, 0), button=1))
    assert up.pos == (0, 0)
    key = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a", scancode=0)
    assert display.map_event(key) is key


def test_f11_toggles_projector_mode_and_back(window):
    display = Display()
    app = App("rush-hour", seed=2)
    pygame.event.clear()
    f11 = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F11, mod=0, unicode="", scancode=0)
    pygame.event.post(f11)
    _run(display, app, 3)
    desktop = pygame.display.get_desktop_sizes()[0]      # 1024x768 under the dummy driver
    shown = pygame.display.get_surface()
    assert display.fullscreen and shown.get_size() == desktop
    rect = fit(desktop)
    assert rect.w < LOGICAL[0]                           # this desktop is smaller than 720p
    _assert_letterboxed(shown, rect)
    pygame.event.post(f11)
    _run(display, app, 2)
    assert not display.fullscreen
    assert pygame.display.get_surface().get_size() == LOGICAL
    assert pygame.display.get_surface().get_at((640, 360)) == display.canvas.get_at((640, 360))


def test_the_window_shows_the_canvas_one_to_one_at_720p(window):
    display = Display()
    app = App("outage", seed=5)
    _run(display, app, 5)
    shown = pygame.display.get_surface()
    for x in range(0, L.SCREEN_W, 53):
        for y in range(0, L.SCREEN_H, 31):
            assert shown.get_at((x, y)) == display.canvas.get_at((x, y))
