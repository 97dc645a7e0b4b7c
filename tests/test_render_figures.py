"""What the panel shows a stakeholder at the peak: one snapshot per screen, units on every
count, the outage's running calls drawn as they are counted (issue 16).

Figures are read from the pixels shown or from the strings the dashboard asked the font for;
they are compared with the snapshot, never with constants taken from an example run.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from render.app import App  # noqa: E402
from render.fonts import Fonts  # noqa: E402
from render.panel import dashboard as D  # noqa: E402
from render.panel import tooltip  # noqa: E402
from render.world.machines import is_down  # noqa: E402

pytestmark = pytest.mark.usefixtures("screen")    # the display (tests/conftest.py)


def _same(a: pygame.Surface, b: pygame.Surface) -> bool:
    return a.get_view("2").raw == b.get_view("2").raw


def test_the_screen_shows_one_snapshot_while_the_panel_repaints_in_bands():
    """A timed repaint paints a band per frame; what the screen shows in between is the
    whole panel of one snapshot (the old one, then the new one), never the header of the new
    beside the sparklines of the old ($1,333.93 above, $1,309.82 below on one screen)."""
    app = App("rush-hour", seed=1, speed=0.0, ease=False)
    app.sim.advance_to(3 * 3600.0)
    old = app.view.__class__(app.sim.snapshot(), "en", 30.0, model="image",
                             scenario_name="rush-hour")
    app.sim.advance_to(3 * 3600.0 + 600.0)
    new = app.view.__class__(app.sim.snapshot(), "en", 30.0, model="image",
                             scenario_name="rush-hour")
    assert old.snap.money_cents["profit"] != new.snap.money_cents["profit"]
    fonts = Fonts()
    refs = []
    for view in (old, new):
        ref = D.Dashboard(fonts)
        ref.ticker = D.Ticker()
        ref.redraw(view, 0.0)
        refs.append(ref.surface)
    panel = D.Dashboard(fonts)
    panel.ticker = D.Ticker()
    panel.redraw(old, 0.0)
    assert _same(panel.surface, refs[0])
    clock_s = 10.0
    bands = 0
    while True:
        panel.step(new, clock_s)
        bands += 1
        done = panel._parts is None
        shown = panel.surface
        assert _same(shown, refs[1] if done else refs[0]), f"band {bands}: two snapshots shown"
        if done:
            break
    assert bands > 1


def _counts(app: App) -> list[str]:
    texts: list[str] = []
    dash = app.dashboard
    real = dash._text

    def spy(t, *a, **k):
        if dash._section == "counts":
            texts.append(t)
        return real(t, *a, **k)

    dash._text = spy
    dash.redraw(app.view, app.clock)
    return texts


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_count_says_what_it_counts(lang):
    """Orders, customers, calls: a count never stands bare ("delivered 2105" beside
    "arrived 1178" read as one unit).  Each count line carries the unit word of its
    kind, and every line fits its column."""
    app = App("rush-hour", seed=1, lang=lang, speed=0.0, ease=False)
    app.sim.advance_to(3 * 3600.0 + 600.0)
    app.snap = app.sim.snapshot()
    texts = _counts(app)
    units = {k: v for k, v in D.COUNT_UNITS.items()}
    for (key, source, _name), text in zip(D.COUNTS, texts, strict=True):
        if source in ("money",) or key == "dropout":
            continue
        unit = D.tr(units[key], lang)
        assert unit in text, (key, text)
    fonts = app.fonts
    for i, text in enumerate(texts):
        assert fonts.label(text, (255, 255, 255)).get_width() <= D.COUNT_W[i % 2], text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_table_headings_are_words(lang):
    """The model table's headings read as words, not "wait n/v" and "run/slots"."""
    for key, _, _ in D.TABLE_COLUMNS:
        heading = D.tr(key, lang)
        assert "n/v" not in heading and "run/slots" not in heading


def test_in_an_outage_the_running_calls_are_the_machines_drawn_running():
    """SD1.5 in its outage: every call the table counts as running is a machine drawn
    running (a failing call on a crossed-out machine), and no crossed-out machine is
    drawn idle while the table says it runs."""
    app = App("outage", seed=1, speed=0.0, ease=False)
    seen = 0
    for t in range(3600 + 60, 3600 + 1200, 37):
        app.sim.advance_to(float(t))
        app.snap = app.sim.snapshot()
        st = app.snap.station("image")
        if not is_down(st, app.snap.now_s):
            continue
        app.machines.replan(app.snap)
        app.machines.update(app.snap, 0.0)
        canvas = pygame.Surface((1280, 720))
        app.cadence.snapped = False
        app.draw(canvas)
        running = sum(1 for (name, _, _), (look, _) in app.machines.drawn.items()
                      if name == "image" and look == "down_busy")
        assert running == st.num_requests_running, (t, running, st.num_requests_running)
        seen += st.num_requests_running
        for slot in st.slots:           # ...and its tooltip says both: down, and the call
            if slot.call is not None and slot.state == "busy":
                lines = tooltip.slot_lines(st, slot, app.snap.now_s, "en")
                assert lines[1].startswith("down") and any("order" in ln for ln in lines)
    assert seen > 0, "the outage never had a running call: the test proves nothing"
