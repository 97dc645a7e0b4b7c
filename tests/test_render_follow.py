"""Following one customer (issue 22): the camera, the clicks and the card, in the real app.

- a click lands on the person under it at every zoom, pan and window size (letterbox too),
  through the display's own mapping, and the wheel zooms about the mouse;
- a followed customer who leaves (done, left at the breaker, turned away) hands the camera
  back clean: the overview, nobody followed, the card saying how it went;
- the followed person is never in a "+N" badge at rush-hour's peak;
- the camera eases without overshoot, frame-rate independent, and keeps a person who runs
  across the lobby at x600 inside the view;
- the new keys are free and listed in the help overlay.
"""

from __future__ import annotations

import math

import pygame
import pytest

from render import layout as L
from render.actions import FOLLOW_KEYS
from render.app import App
from render.benchmark import BUSY
from render.camera import OVERVIEW, Camera
from render.display import Display, fit
from render.follow import MARGIN, Follow, pan, zoom_about
from render.help import KEYS
from render.i18n import tr
from render.panel import customer_card
from render.panel.controls import SHORTCUTS

PEAK_S = 3.3 * 3600


def frames(app: App, screen, n: int, dt: float = 1 / 30) -> None:
    for _ in range(n):
        app.step(dt)
        app.draw(screen)


@pytest.fixture(scope="module")
def screen():
    """The app's canvas (as render.display keeps one): the window is resized below, and a
    display surface must not be held across that."""
    pygame.display.set_mode((L.SCREEN_W, L.SCREEN_H))
    return pygame.Surface((L.SCREEN_W, L.SCREEN_H))


@pytest.fixture(scope="module")
def peak(screen):
    app = App("rush-hour", 1, speed=30.0, ease=False)
    app.sim.advance_to(PEAK_S)
    frames(app, screen, 40)
    return app


def clean(app: App) -> bool:
    f = app.follower.follow
    return (f.cid is None and f.after is None and not f.on and f.target is None
            and app.camera == OVERVIEW and app.follower.press is None)


# -- clicks, zoom and pan -----------------------------------------------------------------------
WINDOWS = ((1280, 720), (1920, 1080), (1000, 700), (2000, 800), (700, 900))
CAMERAS = (OVERVIEW, Camera(2, 0, 0), Camera(2, 150, 90), Camera(3, 70, 40),
           Camera(4, 200, 100), Camera(4, L.WORLD_W - L.WORLD_W // 4, L.WORLD_H - L.WORLD_H // 4))


def to_window(canvas: tuple[int, int], window: tuple[int, int]) -> tuple[int, int]:
    """The window pixel showing the middle of a canvas pixel."""
    rect = fit(window)
    return (rect.x + int((canvas[0] + 0.5) * rect.w / L.SCREEN_W),
            rect.y + int((canvas[1] + 0.5) * rect.h / L.SCREEN_H))


def test_a_click_selects_the_person_under_it_at_every_zoom_pan_and_window(peak, screen):
    app = peak
    display = Display()
    tried = 0
    try:
        for window in WINDOWS:
            pygame.display.set_mode(window)
            for cam in CAMERAS:
                app.scene.aim(cam, app.fonts, app.lang)
                for cid, a in sorted(app.people.actors.items())[::7]:
                    canvas = cam.to_screen(a.x, a.y - 6)
                    near = [(canvas[0] + dx, canvas[1] + dy) for dx in (-2, 0, 2)
                            for dy in (-2, 0, 2)]
                    if cid < 0 or not all(cam.sees(q) and app.scene.customer_at(q) == cid
                                          for q in near):
                        continue        # off the view, or partly behind somebody in front
                    event = display.map_event(pygame.event.Event(
                        pygame.MOUSEBUTTONDOWN, pos=to_window(canvas, window), button=1))
                    # a window smaller than the canvas shows one pixel in ``step``
                    step = math.ceil(L.SCREEN_W / fit(window).w)
                    assert event is not None, (window, cam)
                    assert abs(event.pos[0] - canvas[0]) <= step, (window, cam, event.pos)
                    assert abs(event.pos[1] - canvas[1]) <= step, (window, cam, event.pos)
                    app.view.selected = None
                    app.follower.follow.stop()
                    app.handle(event)
                    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=event.pos,
                                                  button=1))
                    assert app.view.selected == cid and app.follower.cid == cid, (window, cam)
                    app.scene.aim(cam, app.fonts, app.lang)   # following moved it: back
                    tried += 1
        # a press on the black bars is nobody's
        pygame.display.set_mode((2000, 800))
        assert display.map_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(5, 400),
                                                    button=1)) is None
    finally:
        pygame.display.set_mode((L.SCREEN_W, L.SCREEN_H))
        app.apply("_overview", {})
    assert tried > 60


@pytest.mark.parametrize("window", WINDOWS)
def test_the_wheel_zooms_about_the_mouse_letterbox_included(window):
    display = Display()
    try:
        pygame.display.set_mode(window)
        cam = OVERVIEW
        canvas = (300, 200)
        wheel = display.map_wheel(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1),
                                  mouse=to_window(canvas, window))
        step = math.ceil(L.SCREEN_W / fit(window).w)
        assert max(abs(wheel.pos[0] - canvas[0]), abs(wheel.pos[1] - canvas[1])) <= step
        canvas = wheel.pos
        before = cam.to_world(*canvas)
        for _ in range(3):
            cam = zoom_about(cam, +1, wheel.pos)
            after = cam.to_world(*canvas)
            # the same world point under the mouse, to a world pixel (whole-pixel pan)
            assert abs(after[0] - before[0]) <= 1 and abs(after[1] - before[1]) <= 1
        assert cam.zoom == 4
        assert zoom_about(cam, +1, canvas) is cam        # 4 is the most
        assert zoom_about(Camera(2, 10, 10), -1, canvas) == OVERVIEW
        rect = fit(window)
        if rect.x > 0:      # the wheel over a bar is nobody's
            assert display.map_wheel(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1),
                                     mouse=(rect.x // 2, rect.centery)) is None
    finally:
        pygame.display.set_mode((L.SCREEN_W, L.SCREEN_H))


def test_wheel_and_drag_in_the_app(peak, screen):
    app = peak
    app.apply("_overview", {})
    pos = (400, 250)
    app.handle(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, pos=pos))
    assert app.camera.zoom == 2
    start = app.camera
    # a press on an empty bit of floor, then a drag to the right: the world moves with it
    app.follower.press = None
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    for step in range(1, 11):
        app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=(pos[0] + 4 * step, pos[1]),
                                      rel=(4, 0), buttons=(1, 0, 0)))
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(pos[0] + 40, pos[1]), button=1))
    assert app.camera.x == start.x - 40 // start.px and app.camera.y == start.y
    assert not app.follower.follow.on            # a drag lets go of anybody followed
    # the overview button brings the fixed overview back
    frames(app, screen, 1)
    app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=app.follower.button.center,
                                  button=1))
    assert clean(app)
    assert pan(OVERVIEW, (50, 50)) is OVERVIEW      # the overview does not pan


# -- the camera's motion ---------------------------------------------------------------------
def test_easing_is_frame_rate_independent_and_never_overshoots():
    ends = []
    for fps in (20, 30, 60, 144):
        f = Follow()
        f.start(1, OVERVIEW)
        xs = []
        target = (300.0, 150.0)
        for _ in range(fps):          # one real second
            cam = f.frame(OVERVIEW, target, 1 / fps)
            xs.append(f.cx)
        assert all(b >= a for a, b in zip(xs, xs[1:], strict=False))   # towards it, no back
        assert max(xs) <= target[0] + 1e-9
        ends.append(f.cx)
    assert max(ends) - min(ends) < 1.0, ends
    assert cam.zoom == 3


def test_a_person_running_across_the_lobby_at_x600_stays_in_view_without_jitter():
    f = Follow()
    f.start(1, OVERVIEW)
    x = 60.0
    for _ in range(120):              # settled on them, sitting by the door
        f.frame(OVERVIEW, (x, 150.0), 1 / 60)
    last = None
    steps = []
    for _ in range(60):               # the lobby crossed in one second at 60 fps
        x += 300.0 / 60
        cam = f.frame(OVERVIEW, (x, 150.0), 1 / 60)
        sx, sy = cam.to_screen(x, 150.0 - 8)
        inner = L.WORLD_RECT.inflate(-2 * (MARGIN - 1) * cam.px, -2 * (MARGIN - 1) * cam.px)
        edge = cam.x in (0, L.WORLD_W - cam.view_size[0])
        assert inner.collidepoint(sx, sy) or edge, (x, cam)
        if last is not None:
            steps.append(cam.x - last.x)
        last = cam
    assert all(s >= 0 for s in steps)   # the pan only ever moves one way: no jitter


# -- leaving ---------------------------------------------------------------------------------
def follow_until_gone(app: App, screen, cid: int, frames_max: int = 3000) -> list[str]:
    app.apply("_select", {"customer": cid})
    assert app.follower.cid == cid and app.follower.follow.zoom > 1
    for _ in range(frames_max):
        frames(app, screen, 1)
        if app.follower.cid is None:
            break
    card = next(c for c in app.overlays.cards.cards if c.key == customer_card.KEY)
    return [card.title, *card.lines]


@pytest.mark.parametrize("ending", ["done", "left", "rejected"])
def test_a_followed_customer_who_leaves_hands_the_camera_back_clean(screen, ending):
    # turned away: a door that admits few, so some are turned away while we look
    door = ("door.admit_per_min=2", "door.burst=2") if ending == "rejected" else ()
    app = App("rush-hour", 1, speed=120.0, ease=False, overrides=door)
    app.sim.advance_to(PEAK_S)
    frames(app, screen, 30)
    # somebody who will end that way: read ahead on a copy of the same run
    ahead = App("rush-hour", 1, speed=120.0, ease=False, overrides=door).sim
    ahead.advance_to(app.sim.now)
    inside = {p.id for p in ahead.snapshot().people}
    gone = {}
    for k in range(1, 7):       # the snapshot keeps recent departures only: look every 5 min
        ahead.advance_to(app.sim.now + 300.0 * k)
        gone.update({p.id: p.state for p in ahead.snapshot().departures})
    if ending == "rejected":
        # turned away: one walking off the street if drawn (else one just turned away)
        for _ in range(600):
            frames(app, screen, 1)
            away = [p.id for p in app.snap.departures if p.state == "rejected"]
            walking = [c for c in away if c in app.people.actors]
            if walking:
                break
        cid = (walking or away)[-1]
    else:
        cid = min(c for c, state in gone.items() if state == ending and c in inside
                  and c in app.people.actors)
    lines = follow_until_gone(app, screen, cid)
    assert clean(app), app.follower.follow
    head = {"done": "cc_end_done", "left": "cc_end_left", "rejected": "cc_end_rejected"}
    said = tr(head[ending], "en").split("{")[0].split(":")[0]
    assert any(line.startswith(said) for line in lines), lines
    assert tr("cc_next", "en") in lines
    # the offer: F follows the next person in
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_f, mod=0, unicode="f"))
    after = app.follower.follow.after
    assert after is not None and app.follower.cid is None
    for _ in range(300):
        frames(app, screen, 1)
        if app.follower.cid is not None:
            break
    assert app.follower.cid is not None and app.follower.cid > after   # the next one in


# -- never in a badge ------------------------------------------------------------------------
@pytest.mark.parametrize(("speed", "overrides"), [
    (30.0, ()), (600.0, ()),
    # the benchmark's overloaded rush hour: the lobby's places overflow into badges
    (30.0, BUSY), (600.0, BUSY)])
def test_the_followed_person_is_never_in_a_badge_at_the_peak(screen, speed, overrides):
    app = App("rush-hour", 1, speed=speed, ease=False, overrides=overrides)
    app.sim.advance_to(PEAK_S if not overrides else 3600.0)
    frames(app, screen, 40)
    seating = app.people.seating
    actors = app.people.actors
    # somebody counted in a badge right now (not drawn): the hardest one to follow; in an
    # overflowing place, one without a spot
    badged = sorted(cid for cid in seating.place_of
                    if cid not in actors or actors[cid].absorb)
    if overrides:
        badged = [cid for cid in badged if cid not in seating.spot_of]
    assert badged, "the peak has people in badges"
    # at x600 a badged customer may be gone within the frames a plan takes (the honest ETA
    # asks at the door): follow them in turn, from the middle, until one stays to be seen
    drawn_frames = 0
    for cid in (badged[len(badged) // 2:] + badged[:len(badged) // 2])[:12]:
        app.apply("_select", {"customer": cid})
        for i in range(240):
            frames(app, screen, 1)
            card = app.snap.follow
            if app.follower.cid != cid or card is None or card.gone:
                break
            if i >= 3:      # the plan after the click has been made
                a = app.people.actors.get(cid)
                assert a is not None and not a.absorb, (i, card.state)
                assert cid in seating.spot_of
                drawn_frames += 1
        if drawn_frames:
            break
    assert drawn_frames > 0


# -- keys -------------------------------------------------------------------------------------
def test_the_follow_keys_are_free_and_in_the_help():
    assert not set(FOLLOW_KEYS) & set(SHORTCUTS)
    assert {"help_follow", "help_overview", "help_zoom"} <= set(KEYS)
    for lang in ("en", "zh"):
        assert tr("help_follow", lang).startswith("F")
        assert tr("help_overview", lang).startswith("V")


# -- the benchmark's follow mode -------------------------------------------------------------
def test_bench_follow_mode_line_and_its_flag():
    import asyncio
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    import main

    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, "main.py", "--headless", "--bench", "--follow"],
                       cwd=root, capture_output=True, text=True, timeout=180,
                       env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"frame_ms median=(\d+\.\d+) p95=(\d+\.\d+) people=(\d+) "
                     r"ceiling_ms=(\d+\.\d+) ratio=(\d+\.\d+) follow=(\d+)", last)
    assert m, last          # timing is reported, not asserted (a shared machine is noisy)
    assert int(m.group(3)) >= 150
    assert asyncio.run(main.main(["--follow"])) == 2     # --follow needs --bench


def test_the_card_follows_the_language_and_a_jump_lets_go(peak, screen):
    app = peak
    cid = next(c for c, a in sorted(app.people.actors.items()) if c >= 0 and not a.leaving)
    app.apply("_select", {"customer": cid})
    card = lambda: next(c for c in app.overlays.cards.cards if c.key == customer_card.KEY)  # noqa: E731
    assert card().title.startswith(f"Customer #{cid} ")
    app.apply("_lang", {})
    assert card().title.startswith(f"顾客 #{cid} ")
    app.apply("_lang", {})
    frames(app, screen, 5)
    app.apply("_jump", {"t_s": app.sim.now - 600})
    for _ in range(600):
        frames(app, screen, 1)
        if not app.presenter.busy:
            break
    assert clean(app)
    assert all(c.key != customer_card.KEY for c in app.overlays.cards.cards)
