"""The dashboard panel: queues, waits, utilization, money, alerts and the event ticker.

Why it redraws on a timer: numbers that change every frame are unreadable and cost a text
render each.  The panel is drawn into its own surface a few times per second (and at once
when the language changes); each frame just blits it.  Gauge names follow the gateways'
(vLLM's ``num_requests_waiting``/``running``, LiteLLM's spend) so operators read it as theirs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import tr
from render.ticker import COLORS, Ticker, clock, duration, line, money, short

REFRESH_S = 0.2
_DONE = object()
ALERTS = ("mean_wait", "abandon_rate", "queue_len", "breaker_open")


def sparkline(surf: pygame.Surface, rect: pygame.Rect, points: tuple, color: P.Color) -> None:
    surf.fill(P.BLACK, rect)
    if not isinstance(points, (tuple, list)):
        points = tuple(points)
    vals = [p[1] if isinstance(p, tuple) else p for p in points[-rect.w:]]  # the tail only
    if len(vals) < 2:
        return
    hi = max(vals)
    lo = min(0.0, min(vals))
    span = (hi - lo) or 1.0
    step = rect.w / max(1, len(vals) - 1)
    pts = [(rect.x + int(i * step), rect.bottom - 2 - int((v - lo) / span * (rect.h - 4)))
           for i, v in enumerate(vals)]
    if lo < 0:
        zero = rect.bottom - 2 - int((0 - lo) / span * (rect.h - 4))
        surf.fill(P.SLATE, pygame.Rect(rect.x, zero, rect.w, 1))
    pygame.draw.lines(surf, color, False, pts)


class Dashboard:
    """The panel surface, repainted in three bands (see :meth:`step`)."""

    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts
        self.surface = pygame.Surface(L.PANEL_RECT.size)
        if pygame.display.get_surface() is not None:
            self.surface = self.surface.convert()
        self.ticker = Ticker()
        self.last_draw = -1e9
        self.dirty = True
        self.version = 0                # counts repaints: the app blits the panel on change
        self._parts: Iterator[None] | None = None

    def update(self, snap, tail=None) -> None:
        self.ticker.update(snap, tail)

    def due(self, clock_s: float) -> bool:
        return self.dirty or clock_s - self.last_draw >= REFRESH_S

    @property
    def painting(self) -> bool:
        """True while a timed repaint has bands left to paint."""
        return self._parts is not None

    def redraw(self, app, clock_s: float) -> None:
        """Repaint the whole panel now (after input, a language switch, a new scenario)."""
        self.last_draw = clock_s
        self.dirty = False
        for _ in self._paint(app):
            pass
        self._parts = None
        self.version += 1

    def step(self, app, clock_s: float) -> None:
        """The timed repaint, one band per call: top table, gauges, ticker.

        Why in bands: the whole panel is about a hundred text blits, as much as a snapshot;
        painted a band per frame it never lands on top of other heavy work in one frame.
        Each band clears its own strip, so the panel is never half blank, and all three read
        the snapshot the repaint started from, so the panel shows one instant.
        """
        if self._parts is None:
            if not self.due(clock_s):
                return
            self.last_draw = clock_s
            self._parts = self._paint(app)
        self.version += 1
        if next(self._parts, _DONE) is _DONE:
            self._parts = None

    def _paint(self, app) -> Iterator[None]:
        f = self.fonts
        s = self.surface
        lang = app.lang
        x0 = 10
        width = s.get_width()

        def text(t: str, x: int, y: int, color: P.Color = P.TEXT, right: bool = False) -> None:
            surf = f.label(t, color)
            s.blit(surf, (x - surf.get_width() if right else x, y))

        def band(top: int, bottom: int) -> None:
            s.fill(P.PANEL_BG, pygame.Rect(0, top, width, bottom - top))
            s.fill(P.PANEL_LINE, pygame.Rect(0, top, 2, bottom - top))

        snap = app.snap
        n_rows = len(snap.stations)
        y_gauges = 84 + 18 + 17 * n_rows + 6
        y_ticker = y_gauges + 72 + 5 * 16 + 6 + 24
        band(0, y_gauges - 4)
        # header
        text(tr("title", lang), x0, 4, P.YELLOW)
        text(tr("clock", lang, int(snap.now_s // 86400) + 1, clock(snap.now_s)),
             width - 8, 4, P.WHITE, right=True)
        speed = tr("speed", lang, "||" if app.speed <= 0 else f"×{app.speed:g}")
        text(f"{app.scenario_name}  {tr('seed', lang, app.seed)}  {speed}", x0, 22, P.TEXT_DIM)
        # money
        m = snap.money_cents
        revenue = m.get("revenue", 0)
        costs = m.get("upstream_cost", 0) + m.get("rental_cost", 0)
        profit = m.get("profit", revenue - costs)
        y = 44
        for i, (key, cents, color) in enumerate((("revenue", revenue, P.LIME),
                                                  ("costs", costs, P.ORANGE),
                                                  ("profit", profit,
                                                   P.LIME if profit >= 0 else P.RED))):
            x = x0 + i * 136
            text(tr(key, lang), x, y, P.TEXT_DIM)
            text(money(cents), x, y + 16, color)
        # per-model table
        y = 84
        s.fill(P.PANEL_LINE, pygame.Rect(x0, y - 3, width - 20, 1))
        cols = (x0, x0 + 84, x0 + 170, x0 + 250, x0 + 296, x0 + 394)
        heads = ("col_model", "col_waiting", "col_running", "col_util", "col_p50p95",
                 "col_rented")
        for cx, key in zip(cols, heads, strict=True):
            text(tr(key, lang), cx, y, P.TEXT_DIM, right=cx == cols[-1])
        y += 18
        for st in snap.stations[:n_rows]:
            color = P.CONTENT_COLORS.get(st.content, P.SILVER)
            text(st.label[:10], cols[0], y, color)
            normal = st.num_requests_waiting - st.num_requests_waiting_vip
            text(f"{normal}/{st.num_requests_waiting_vip}", cols[1], y,
                 P.RED if st.num_requests_waiting > 100 else P.TEXT)
            working = sum(1 for sl in st.slots if sl.state in ("idle", "busy", "draining"))
            text(f"{st.num_requests_running}/{working}", cols[2], y)
            util = st.utilization
            text(f"{util * 100:.0f}%", cols[3], y,
                 P.RED if util > 0.95 else (P.YELLOW if util > 0.8 else P.TEXT))
            text(f"{short(st.queue_time_p50_s)}/{short(st.queue_time_p95_s)}", cols[4], y)
            rented = st.rented_slots
            text(str(rented), cols[5], y, P.GOLD if rented else P.TEXT_DIM, right=True)
            if st.circuit != "closed" or st.paused or st.outage_until_s > snap.now_s:
                lamp = P.RED if st.circuit == "open" or st.outage_until_s > snap.now_s \
                    else P.YELLOW
                s.fill(lamp, pygame.Rect(cols[0] - 7, y + 5, 4, 6))
            y += 17
        yield
        y = y_gauges
        band(y - 4, y_ticker - 4)
        # sparklines
        s.fill(P.PANEL_LINE, pygame.Rect(x0, y - 4, width - 20, 1))
        series = snap.series
        sparks = (("spark_wait", "wait_p95", P.YELLOW, duration),
                  ("spark_queue", "queue", P.CYAN, lambda v: f"{v:.0f}"),
                  ("spark_profit", "profit_cents", P.LIME, lambda v: money(int(v))))
        for i, (key, name, color, fmt) in enumerate(sparks):
            x = x0 + i * 134
            pts = series.get(name, ())
            last = pts[-1][1] if pts and isinstance(pts[-1], tuple) else (pts[-1] if pts else 0)
            text(tr(key, lang), x, y, P.TEXT_DIM)
            sparkline(s, pygame.Rect(x, y + 18, 126, 30), pts, color)
            text(fmt(last), x, y + 50, color)
        y += 72
        # counts
        s.fill(P.PANEL_LINE, pygame.Rect(x0, y - 4, width - 20, 1))
        n = snap.counts
        g = snap.gauges
        m = snap.money_cents
        items = (tr("in_building", lang, int(g.get("customers_in_building", 0))),
                 tr("arrived", lang, n.get("arrived", 0)),
                 tr("delivered", lang, n.get("delivered", 0)),
                 tr("rejected", lang, n.get("rejected", 0)),
                 tr("left", lang, n.get("left", 0)),
                 tr("dropout", lang, f"{g.get('dropout_rate', 0.0) * 100:.1f}%"),
                 tr("retries", lang, n.get("retries", 0)),
                 tr("asked", lang, n.get("asked", 0)),
                 tr("dead_letters", lang, n.get("dead_letters", 0)),
                 f"{tr('refunds', lang)} {money(m.get('refunds', 0))}")
        for i, t in enumerate(items):
            text(t, x0 + (i % 2) * 200, y + (i // 2) * 16)
        y += 5 * 16 + 6
        # alert lamps
        s.fill(P.PANEL_LINE, pygame.Rect(x0, y - 4, width - 20, 1))
        active = {a.name: a.active for a in snap.alerts}
        text(tr("alerts", lang), x0, y, P.TEXT_DIM)
        x = x0 + 56
        for name in ALERTS:
            on = active.get(name, False)
            lamp = pygame.Rect(x, y + 3, 10, 10)
            s.fill(P.BLACK, lamp.inflate(2, 2))
            s.fill(P.RED if on else P.GREEN_DARK, lamp)
            if on:
                s.fill(P.WHITE, pygame.Rect(x + 2, y + 5, 2, 2))
            label = tr("alert_" + name, lang)
            text(label, x + 14, y, P.RED if on else P.TEXT_DIM)
            x += 14 + f.width(label) + 14
        yield
        y = y_ticker
        band(y - 4, s.get_height())
        # ticker
        s.fill(P.PANEL_LINE, pygame.Rect(x0, y - 4, width - 20, 1))
        text(tr("ticker", lang), x0, y, P.TEXT_DIM)
        y += 18
        labels = {st.name: st.label for st in snap.stations}
        rows = (s.get_height() - y - 4) // 16
        for rec, times in self.ticker.lines(rows):
            msg = line(rec, lang, labels)
            if msg is None:
                continue
            if times > 1 and rec[1] == "deliver":
                msg = tr("ev_deliver_many", lang, times, money(rec[4]))
            elif times > 1:
                msg = f"{msg} ×{times}"
            text(clock(rec[0])[:5], x0, y, P.TEXT_DIM)
            text(msg[:44], x0 + 48, y, COLORS.get(rec[1], P.TEXT))
            y += 16
        if app.sim_error:
            s.fill(P.RED_DARK, pygame.Rect(0, s.get_height() - 36, s.get_width(), 36))
            text(tr("sim_error", lang, app.sim_error)[:50], x0, s.get_height() - 28, P.WHITE)

    def draw(self, screen: pygame.Surface) -> None:
        screen.blit(self.surface, L.PANEL_RECT.topleft)
