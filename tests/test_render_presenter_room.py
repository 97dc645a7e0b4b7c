"""The presenter's room: the flash crowd at a pace a room can follow, a timeline that stays
put under the pointer, flag labels that never hide each other, and signs over heads big
enough to read from the back (issue 16)."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from render import layout as L  # noqa: E402
from render import presenter as PR  # noqa: E402
from render.app import App  # noqa: E402
from render.panel import timeline as TL  # noqa: E402
from render.world.people import BAR_COLORS, wait_bar  # noqa: E402
from render.world.seating import BAR_STEPS  # noqa: E402
from render.world.sprites import Sprites  # noqa: E402
from sim import open_run, resolve_path  # noqa: E402

SCALE = L.WORLD_RECT.w // L.WORLD_W          # world pixels to screen pixels


pytestmark = pytest.mark.usefixtures("screen")    # the display (tests/conftest.py)


def test_the_flash_crowd_plays_at_the_presenters_pace():
    """Rush-hour at x600 with easing: its worst minutes, 03:20 to 03:30, take at least 15
    real seconds (they passed in about 5), and playback is back to x600 after the crowd."""
    sim = open_run(resolve_path("rush-hour"), 1, (), [])
    presenter = PR.Presenter(sim, lambda c: sim)
    sim.advance_to(3 * 3600.0 + 15 * 60)
    dt = 1 / 60
    real = 0.0
    speeds = []
    while sim.now < 3 * 3600.0 + 30 * 60:
        t0 = sim.now
        speed = presenter.advance(sim, dt, 600.0 if not speeds else speeds[-1])
        speeds.append(speed)
        if t0 >= 3 * 3600.0 + 20 * 60:
            real += dt
    assert real >= 15.0, real
    assert PR.flash_spans(sim.snapshot().plan["profile"]) == [(3 * 3600.0, 3.5 * 3600.0)]
    while sim.now < 4 * 3600.0:           # half-way between the calm flags
        speed = presenter.advance(sim, dt, speeds[-1])
        speeds.append(speed)
    assert speeds[-1] == 600.0


def test_the_timeline_never_rescales_under_the_pointer():
    """Past the day's end the span grows by a whole day, and never while the pointer is on
    the strip: what the pointer aims at stays where it is."""
    app = App("rush-hour", seed=1, speed=0.0, ease=False)
    day_s = app.snap.plan["day_s"]
    canvas = pygame.Surface((1280, 720))
    over = (TL.TRACK.x + 200, TL.TRACK.centery)
    app.sim.advance_to(day_s - 60)
    app.snap = app.sim.snapshot()
    app.timeline.draw(canvas, app.fonts, app.snap, app.presenter, "en", {}, over)
    before = app.timeline.span
    aimed = TL.time_at(over[0], before)
    for t in (day_s + 60, day_s + 3600, day_s + 2 * 3600):
        app.sim.advance_to(t)
        app.snap = app.sim.snapshot()
        app.timeline.draw(canvas, app.fonts, app.snap, app.presenter, "en", {}, over)
        assert app.timeline.span == before
        assert TL.time_at(over[0], app.timeline.span) == aimed
    app.timeline.draw(canvas, app.fonts, app.snap, app.presenter, "en", {}, None)
    assert app.timeline.span == 2 * day_s           # off the strip: a whole day more
    spans = {TL.span_s({"day_s": day_s}, day_s + h * 3600.0) for h in range(1, 6)}
    assert spans == {2 * day_s}                      # never hour by hour


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_new_flag_never_hides_a_label(lang):
    """The operator rents slots a minute before the flash crowd: its flag must not take the
    place of the "flash crowd" label, and no two labels overlap."""
    app = App("rush-hour", seed=1, lang=lang, speed=0.0, ease=False)
    canvas = pygame.Surface((1280, 720))
    labels = {st.name: st.label for st in app.snap.stations}
    app.timeline.draw(canvas, app.fonts, app.snap, app.presenter, lang, labels, None)
    before = [t for t, _ in app.timeline.drawn_labels]
    assert len(before) >= 4
    for at in (3 * 3600.0 - 60, 2 * 3600.0 - 30, 3600.0 - 90):
        app.sim.advance_to(at)
        app.apply("rent", {"model": "image", "slots": 5})
    app.snap = app.sim.snapshot()
    app.timeline.draw(canvas, app.fonts, app.snap, app.presenter, lang, labels, None)
    after = app.timeline.drawn_labels
    assert set(before) <= {t for t, _ in after}
    for i, (_, a) in enumerate(after):
        for _, b in after[i + 1:]:
            assert not a.colliderect(b)


def _opaque_box(surf: pygame.Surface, color) -> pygame.Rect:
    """The bounding box of the pixels of ``color``."""
    pts = [(x, y) for y in range(surf.get_height()) for x in range(surf.get_width())
           if tuple(surf.get_at((x, y)))[:3] == tuple(color)[:3]
           and surf.get_at((x, y))[3] > 0]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return pygame.Rect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


def test_bubbles_and_wait_bars_read_across_a_room():
    """On screen (the world drawn x2): the "!" at least 4 px wide and 14 tall, its bubble
    at least 20 px wide; a full wait bar at least 16x4 px of colour (they were 12x2 and a
    2 px "!")."""
    from render.world.pixelmaps import KEYS
    bubble = Sprites().bubble
    bang = _opaque_box(bubble, KEYS["r"])
    assert bang.w * SCALE >= 4 and bang.h * SCALE >= 14, bang
    assert bubble.get_width() * SCALE >= 20
    bar = wait_bar(BAR_STEPS, len(BAR_COLORS) - 1)
    red = _opaque_box(bar, BAR_COLORS[-1])
    assert red.w * SCALE >= 16 and red.h * SCALE >= 4, red


def test_the_overview_draws_them_that_big():
    """At rush-hour's peak the people layer puts those signs over heads."""
    app = App("rush-hour", seed=1, speed=30.0, ease=False)
    app.sim.advance_to(12360.0 - 30)
    canvas = pygame.Surface((1280, 720))
    asked = False          # the honest ETA asks at the door: a question lasts seconds, so
    for _ in range(1200):  # play on (up to 10 simulated minutes) until one is on screen
        app.step(1 / 60)
        app.draw(canvas)
        overs = {id(o[0]) for o in app.people._overs}
        if id(app.sprites.bubble) in overs:
            asked = True
            break
    assert asked
    bars = [o[0] for o in app.people._overs if o[0].get_width() == BAR_STEPS]
    assert bars and all(b.get_height() >= 3 for b in bars)
