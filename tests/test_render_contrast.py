"""Every text drawn at the peak stands out from what it is drawn on by >= 4.5:1 (WCAG AA).

Not the palette's pairs on paper: the (text colour, background) pairs ACTUALLY DRAWN in one
frame at the peak of ``rush-hour`` and ``outage``, both languages, with a tooltip open over an
alert lamp.  They are recorded at blit time: every label the font cache hands out is tagged
with its colour, every surface the view draws on records, when a tagged label lands on it, the
colour the label's glyph pixels cover just before the blit (the most common one: the plate,
panel or button under the text).
"""

from __future__ import annotations

import os
from collections import Counter

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from render import layout as L  # noqa: E402
from render import palette as P  # noqa: E402
from render.fonts import Fonts  # noqa: E402

HOUR = 3600.0
REAL_SURFACE = pygame.Surface
REAL_LABEL = Fonts.label


class Label(REAL_SURFACE):
    """A rendered text with the colour it was rendered in."""

    fg: tuple[int, int, int] = (0, 0, 0)
    text: str = ""


class Canvas(REAL_SURFACE):
    """A surface that notes (text colour, colour under the text) for every label blitted on it."""

    pairs: list[tuple[tuple, tuple, str]] = []

    def convert(self, *args):
        conv = REAL_SURFACE.convert(self, *args)
        out = Canvas(conv.get_size(), 0, conv)
        REAL_SURFACE.blit(out, conv, (0, 0))
        return out

    def blit(self, source, dest, area=None, special_flags=0):
        if isinstance(source, Label):
            self._note(source, dest, area)
        return REAL_SURFACE.blit(self, source, dest, area, special_flags)

    def fblits(self, seq, special_flags=0):
        for item in seq:
            self.blit(*item)

    def _note(self, label: Label, dest, area) -> None:
        src = pygame.Rect(area) if area is not None else label.get_rect()
        src = src.clip(label.get_rect())
        top_left = tuple(dest)[:2] if len(dest) != 4 else pygame.Rect(dest).topleft
        at = pygame.Rect(top_left, src.size)
        on = at.clip(self.get_rect().clip(self.get_clip()))
        if not on.w or not on.h:
            return
        under = Counter()
        for y in range(on.h):
            for x in range(on.w):
                sx, sy = src.x + on.x - at.x + x, src.y + on.y - at.y + y
                if label.get_at((sx, sy))[3] > 127:
                    under[tuple(self.get_at((on.x + x, on.y + y)))[:3]] += 1
        if under:
            Canvas.pairs.append((label.fg, under.most_common(1)[0][0], label.text))


def tagged_label(self, text, color, size=16):
    """Fonts.label, but the surface knows its colour (a copy per call: cached ones too)."""
    base = REAL_LABEL(self, text, color, size)
    out = Label(base.get_size(), pygame.SRCALPHA)
    out.fill((0, 0, 0, 0))
    REAL_SURFACE.blit(out, base, (0, 0))
    out.fg = tuple(color)[:3]
    out.text = text
    return out


@pytest.fixture
def recording(screen, monkeypatch):
    monkeypatch.setattr(pygame, "Surface", Canvas)
    monkeypatch.setattr(Fonts, "label", tagged_label)
    Canvas.pairs = []
    return Canvas(screen.get_size(), 0, screen)


def peak_frame(canvas, scenario: str, t_s: float, lang: str) -> list[tuple]:
    """Draw one whole frame at ``t_s`` with the mouse over the first alert lamp."""
    from render.app import App

    app = App(scenario, speed=30.0, lang=lang)
    app.sim.advance_to(t_s)
    for _ in range(3):              # a snapshot, and the layers caught up with it
        app.step(1 / 60)
        app.draw(canvas)
    app.dashboard.redraw(app.view, app.clock)
    lamp = app.dashboard.lamps[0][0]
    app.mouse = (L.PANEL_RECT.x + lamp.centerx, L.PANEL_RECT.y + lamp.centery)
    Canvas.pairs = []
    app.bake()                      # the signs and the timeline, baked again while recording
    app.timeline._key = None
    app.controls.dirty = True
    app.dashboard.redraw(app.view, app.clock)
    app.draw(canvas)
    return Canvas.pairs


def test_the_recorder_sees_a_bad_pair(recording):
    """The check can fail: steel on ink (yesterday's dim text) is recorded and is < 4.5."""
    panel = Canvas((100, 20))
    panel.fill(P.INK)
    panel.blit(Fonts().label("dim", P.STEEL), (2, 2))
    assert Canvas.pairs == [(P.STEEL, P.INK, "dim")]
    assert P.contrast(P.STEEL, P.INK) < 4.5


def test_contrast_formula_matches_wcag():
    assert P.contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert P.contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert P.contrast(P.RED, P.RED) == 1.0


@pytest.mark.parametrize("scenario,t_s,lang", [("rush-hour", 3.4 * HOUR, "en"),
                                                ("rush-hour", 3.4 * HOUR, "zh"),
                                                ("outage", 1.2 * HOUR, "en")])
def test_every_text_drawn_at_the_peak_is_readable(recording, scenario, t_s, lang):
    pairs = peak_frame(recording, scenario, t_s, lang)
    texts = {text for _, _, text in pairs}
    assert len(pairs) > 100 and any("p95" in t for t in texts)     # the whole frame was seen
    bad = sorted({(fg, bg, round(P.contrast(fg, bg), 2), text) for fg, bg, text in pairs
                  if P.contrast(fg, bg) < P.MIN_CONTRAST})
    assert not bad, "\n".join(map(str, bad[:40]))
