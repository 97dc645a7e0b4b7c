"""Fingers on the app (render/touch.py through render/display.py, as main.py's frame loop
feeds them): a pinch zooms the world about the point between the fingers and back, a
one-finger drag pans a zoomed world, and on a phone-sized page the first tap on the desk opens
a loupe whose rows are finger-sized; the next gesture acts there and closes it.
"""

from __future__ import annotations

import pygame
import pytest

from render import layout as L
from render.app import App
from render.display import Display
from render.panel.controls import BUTTON_H, ROW_H, Controls
from render.touch import FINGER_CSS_PX, LOUPE_MAX, PINCH_STEP, Touch, loupe_factor

PHONE = 390 / 720           # CSS px per canvas px: the canvas on an 844x390 phone, sideways


@pytest.fixture
def app(screen):
    pygame.event.clear()
    a = App("rush-hour", seed=7, speed=600.0, ease=False)
    for _ in range(30):
        a.step(1 / 60)
    return a


def feed(display: Display, app: App, events) -> list:
    """main.frame_loop's dispatch; posted events (a pinch's wheel steps) follow."""
    acts = []
    pending = list(events)
    for _ in range(3):
        for event in pending + pygame.event.get():
            if not display.handle(event):
                mapped = display.map_event(event)
                if mapped is not None:
                    acts += app.handle(mapped)
        pending = []
    return acts


def finger(kind: int, fid: int, pos: tuple[float, float]) -> pygame.event.Event:
    return pygame.event.Event(kind, touch_id=1, finger_id=fid, x=pos[0] / L.SCREEN_W,
                              y=pos[1] / L.SCREEN_H, dx=0.0, dy=0.0, pressure=1.0)


def mouse(kind: int, pos, touch: bool = True, rel=(0, 0)) -> pygame.event.Event:
    return pygame.event.Event(kind, pos=tuple(pos), button=1, rel=rel, buttons=(1, 0, 0),
                              touch=touch)


def pinch(display, app, centre, start: float, end: float, steps: int = 8) -> list:
    """Two fingers about ``centre``, ``start`` apart, moved to ``end`` apart; the first
    finger's mouse events come along as SDL sends them."""
    cx, cy = centre
    a0, b0 = (cx - start / 2, cy), (cx + start / 2, cy)
    acts = feed(display, app, [finger(pygame.FINGERDOWN, 1, a0),
                               mouse(pygame.MOUSEBUTTONDOWN, a0),
                               finger(pygame.FINGERDOWN, 2, b0)])
    for i in range(1, steps + 1):
        d = start + (end - start) * i / steps
        a, b = (cx - d / 2, cy), (cx + d / 2, cy)
        acts += feed(display, app, [finger(pygame.FINGERMOTION, 1, a),
                                    mouse(pygame.MOUSEMOTION, a, rel=(-3, 0)),
                                    finger(pygame.FINGERMOTION, 2, b)])
    acts += feed(display, app, [finger(pygame.FINGERUP, 2, b), finger(pygame.FINGERUP, 1, a),
                                mouse(pygame.MOUSEBUTTONUP, a)])
    return acts


def test_a_pinch_zooms_about_the_fingers_and_back(app):
    display = Display(Touch(lambda: PHONE))
    centre = (300, 200)
    under = app.camera.to_world(*centre)
    acts = pinch(display, app, centre, 60, 60 * PINCH_STEP ** 2 + 5)
    zooms = [a[1] for a in acts if a[0] == "_zoom"]
    assert [z["by"] for z in zooms] == [1, 1]
    assert all(abs(z["pos"][0] - centre[0]) <= 2 and z["pos"][1] == centre[1] for z in zooms)
    assert app.camera.zoom == 3
    wx, wy = app.camera.to_world(*centre)       # the world under the fingers stays there
    assert abs(wx - under[0]) <= 1 and abs(wy - under[1]) <= 1
    assert not any(a[0] == "_pan" for a in acts), "a pinch must not also drag the world"
    pinch(display, app, centre, 300, 300 / PINCH_STEP ** 3 - 5)
    assert app.camera.zoom == 1


def test_a_small_pinch_is_no_zoom(app):
    display = Display(Touch(lambda: PHONE))
    pinch(display, app, (300, 200), 100, 100 * PINCH_STEP - 10)
    assert app.camera.zoom == 1


def test_one_finger_drags_a_zoomed_world(app):
    display = Display(Touch(lambda: PHONE))
    pinch(display, app, (400, 250), 50, 50 * PINCH_STEP + 5)
    before = app.camera
    assert before.zoom == 2
    start, end = (400, 250), (300, 200)
    acts = feed(display, app, [finger(pygame.FINGERDOWN, 1, start),
                               mouse(pygame.MOUSEBUTTONDOWN, start)])
    for i in range(1, 6):
        p = (400 - 20 * i, 250 - 10 * i)
        acts += feed(display, app, [finger(pygame.FINGERMOTION, 1, p),
                                    mouse(pygame.MOUSEMOTION, p, rel=(-20, -10))])
    feed(display, app, [finger(pygame.FINGERUP, 1, end), mouse(pygame.MOUSEBUTTONUP, end)])
    assert any(a[0] == "_pan" for a in acts)
    assert (app.camera.x, app.camera.y) == (before.x + 100 // before.px,
                                            before.y + 50 // before.px)


def test_the_loupe_makes_rows_finger_sized_on_a_phone_and_none_on_a_big_screen():
    k = loupe_factor(PHONE)
    assert k == 4 and ROW_H * k * PHONE >= FINGER_CSS_PX and BUTTON_H * k * PHONE >= 40
    assert loupe_factor(FINGER_CSS_PX / ROW_H) == 1      # rows already finger-sized
    assert loupe_factor(0.2) == LOUPE_MAX                 # as large as it goes
    assert loupe_factor(0.0) == 1                         # natively: nothing to measure


def test_a_tap_on_the_desk_opens_the_loupe_the_next_drag_slides_and_closes_it(app):
    touch = Touch(lambda: PHONE)
    display = Display(touch)
    slider = app.controls.sliders["spawn"]
    track = Controls.on_screen(slider.track)
    tap = (track.centerx, track.centery)
    acts = feed(display, app, [mouse(pygame.MOUSEBUTTONDOWN, tap),
                               mouse(pygame.MOUSEBUTTONUP, tap)])
    assert acts == [] and touch.loupe is not None and touch.loupe.collidepoint(tap)
    assert touch.loupe.contains(track)        # the whole slider is in the magnified part
    assert touch.loupe.top <= L.CONTROLS_RECT.top and touch.loupe.bottom == L.SCREEN_H
    app.draw(display.canvas)
    shown = touch.view(display.canvas)        # what the window shows: the desk magnified
    for p in (tap, track.topleft, (track.right - 1, track.bottom - 1)):
        assert shown.get_at(touch.from_loupe(p)) == display.canvas.get_at(p)
    start = touch.from_loupe((track.x + 2, track.centery))
    end = touch.from_loupe((slider.x_of(12.0) + track.x - slider.track.x, track.centery))
    assert end[0] - start[0] >= 3 * (slider.x_of(12.0) - slider.track.x - 2)
    acts = feed(display, app, [mouse(pygame.MOUSEBUTTONDOWN, start)])
    for i in range(1, 6):
        p = (start[0] + (end[0] - start[0]) * i / 5, start[1])
        acts += feed(display, app, [mouse(pygame.MOUSEMOTION, p, rel=(10, 0))])
    acts += feed(display, app, [mouse(pygame.MOUSEBUTTONUP, end)])
    assert acts and acts[-1] == ("spawn_rate", {"rate_per_min": 12.0})
    assert touch.loupe is None                 # the acting gesture closed it


def test_a_tap_on_the_world_opens_no_loupe_and_a_mouse_closes_one(app):
    touch = Touch(lambda: PHONE)
    display = Display(touch)
    feed(display, app, [mouse(pygame.MOUSEBUTTONDOWN, (300, 200)),
                        mouse(pygame.MOUSEBUTTONUP, (300, 200))])
    assert touch.loupe is None
    rect = Controls.on_screen(app.controls.buttons["lang"].rect)
    feed(display, app, [mouse(pygame.MOUSEBUTTONDOWN, rect.center),
                        mouse(pygame.MOUSEBUTTONUP, rect.center)])
    assert touch.loupe is not None and app.lang == "en"
    acts = feed(display, app, [mouse(pygame.MOUSEBUTTONDOWN, (5, 5), touch=False)])
    assert touch.loupe is None and not any(a[0] == "_lang" for a in acts)


def _tap_language(app, css_per_px):
    """A tap on the language button, on a page measuring ``css_per_px`` (None: natively)."""
    touch = Touch(lambda: css_per_px)
    display = Display(touch)
    rect = Controls.on_screen(app.controls.buttons["lang"].rect)
    feed(display, app, [mouse(pygame.MOUSEBUTTONDOWN, rect.center),
                        mouse(pygame.MOUSEBUTTONUP, rect.center)])
    return touch, display, rect


def test_a_tap_in_the_loupe_presses_the_button_under_it(app):
    touch, display, rect = _tap_language(app, PHONE)
    at = touch.from_loupe(rect.center)
    feed(display, app, [mouse(pygame.MOUSEBUTTONDOWN, at), mouse(pygame.MOUSEBUTTONUP, at)])
    assert app.lang != "en" and touch.loupe is None


def test_no_loupe_without_a_page_to_measure(app):
    touch, _, _ = _tap_language(app, None)
    assert touch.loupe is None and app.lang != "en"
