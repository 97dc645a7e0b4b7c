"""The panel's pieces on one board: the dashboard, the operator's desk and the timeline, each
painted on its own surface and put on the screen only when it changed.

Why the board keeps the bookkeeping: the display keeps its pixels between frames, so the
dashboard and the desk are blitted only when a repaint made a new version, or when something
was drawn over them last frame (a tooltip, the help page, a notice) — and at least once a
second anyway, so a display that lost its pixels (a browser canvas re-created) heals itself.
"""

from __future__ import annotations

import pygame

from render.fonts import Fonts
from render.panel.controls import Controls
from render.panel.dashboard import Dashboard
from render.panel.ticker import Ticker
from render.panel.timeline import Timeline
from render.state import ViewState
from sim import Snapshot

FULL_BLIT_S = 1.0     # the panel is put on the screen at least this often


class Board:
    """The dashboard, the desk and the timeline of one run."""

    def __init__(self, fonts: Fonts, view: ViewState, last: Board | None = None) -> None:
        self.dashboard = Dashboard(fonts)
        self.controls = Controls(view)
        self.timeline = last.timeline if last is not None else Timeline()
        # the ticker a timeline jump fills as it lands (a jump's replay keeps it, as it
        # keeps the timeline)
        self.landing: Ticker | None = last.landing if last is not None else None
        self._screen: pygame.Surface | None = None
        self._blitted: tuple | None = None
        self.put = True          # the panel was put on the screen this frame (cards go over)
        self._full_blit_at = 0.0

    def catch_up(self, snap: Snapshot, speed: float, live: bool = True) -> None:
        """Bring the dashboard up to a snapshot (the ticker folds more at high speed);
        not ``live`` (mid-jump: its snapshots skip minutes) the figures stay as they were."""
        self.dashboard.ticker.speed = speed
        if live:
            self.dashboard.update(snap)

    def jumping(self, speed: float) -> Ticker:
        """A ticker of its own for a timeline jump that starts: fed the jump's last minutes
        (its ``on_slice``), it takes over when the jump lands (:meth:`land`), so the lines
        read as they did when that moment played."""
        self.landing = Ticker()
        self.landing.speed = speed
        return self.landing

    def land(self, busy: bool) -> None:
        """The jump landed (no longer ``busy``): its ticker, which read the last minutes
        before the target, becomes the dashboard's."""
        if not busy and self.landing is not None:
            self.dashboard.ticker, self.landing = self.landing, None

    def stale(self) -> None:
        """Something was drawn over the panel: put it on the screen again next frame."""
        self._blitted = None

    def draw(self, screen: pygame.Surface, fonts: Fonts, view: ViewState, clock: float,
             quiet: bool, presenter, mouse: tuple[int, int] | None) -> bool:
        """Repaint what is due and put what changed on the screen; True when the timeline
        drew over its neighbours (its tooltip).

        Timed repaints (a panel band, the desk) go on ``quiet`` frames, without a snapshot,
        so the costs never add up in one frame; input repaints at once.  The desk checks its
        values when the panel begins a repaint: the speed on the slider and in the panel's
        header then always read the same instant (they differed while the presenter eased
        the speed: x290 above, x240 below)."""
        if self._screen is not screen:
            self._screen = screen
            self._blitted = None
        began = self.dashboard.dirty
        if began:
            self.dashboard.redraw(view, clock)
        elif quiet:
            began = self.dashboard.step(view, clock)
        self.controls.paint(fonts, clock, timed=began)
        shown = (self.dashboard.version, self.controls.version)
        self.put = shown != self._blitted or clock - self._full_blit_at >= FULL_BLIT_S
        if self.put:
            self.dashboard.draw(screen)
            self.controls.draw(screen)
            self._blitted = shown
            self._full_blit_at = clock
        snap = view.snap
        return self.timeline.draw(screen, fonts, snap, presenter, view.lang,
                                  {st.name: st.label for st in snap.stations}, mouse)
