"""The dashboard panel: queues, waits, utilization, money, alerts and the event ticker.

Why it redraws on a timer: numbers that change every frame are unreadable and cost a text
render each.  The panel is drawn into its own surface a few times per second (and at once
when the language changes); each frame just blits it.  Gauge names follow the gateways'
(vLLM's ``num_requests_waiting``/``running``, LiteLLM's spend) so operators read it as theirs.

Why sections: the panel is a column of sections (:data:`SECTIONS`), each with a height (the
model table's grows with the station list) and a painter; their rectangles are stacked from
that table, so a fifth model or a new gauge moves everything below it without new numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import tr
from render.state import ViewState
from render.ticker import COLORS, Ticker, clock, duration, line, money, short
from sim import Snapshot, StationView, record_field

REFRESH_S = 0.2
_DONE = object()
X0 = 10                  # left margin of every section
RULE = 4                 # a section's rule, above its first line
LINE_H = 16
TABLE_HEAD_H = 18
TABLE_ROW_H = 17
#: The per-model table: (column heading, x offset, right-aligned).
TABLE_COLUMNS = (("col_model", 0, False), ("col_waiting", 84, False),
                 ("col_running", 170, False), ("col_util", 250, False),
                 ("col_p50p95", 296, False), ("col_rented", 394, True))
#: The sparklines: (heading, series name, colour, value format).
SPARKS = (("spark_wait", "wait_p95", P.YELLOW, duration),
          ("spark_queue", "queue", P.CYAN, lambda v: f"{v:.0f}"),
          ("spark_profit", "profit_cents", P.LIME, lambda v: money(int(v))))
#: The counters, two per line: (label, where from: "count" | "gauge" | "money", key).
COUNTS = (("in_building", "gauge", "customers_in_building"), ("arrived", "count", "arrived"),
          ("delivered", "count", "delivered"), ("rejected", "count", "rejected"),
          ("left", "count", "left"), ("dropout", "gauge", "dropout_rate"),
          ("retries", "count", "retries"), ("asked", "count", "asked"),
          ("dead_letters", "count", "dead_letters"), ("refunds", "money", "refunds"))
#: The panel from top to bottom: (section, height from the number of models (None: the rest
#: of the panel), band of the timed repaint that paints it).
SECTIONS: tuple[tuple[str, Callable[[int], int] | None, int], ...] = (
    ("header", lambda n: 40, 0),
    ("money", lambda n: 40, 0),
    ("table", lambda n: RULE + TABLE_HEAD_H + TABLE_ROW_H * n + 2, 0),
    ("sparks", lambda n: 72, 1),
    ("counts", lambda n: (len(COUNTS) + 1) // 2 * LINE_H + 6, 1),
    ("alerts", lambda n: 24, 1),
    ("ticker", None, 2),
)


def stack(n_models: int, height: int) -> dict[str, pygame.Rect]:
    """The sections' rectangles, top to bottom, for a panel ``height`` pixels tall."""
    rects = {}
    y = 0
    for name, h, _ in SECTIONS:
        size = h(n_models) if h is not None else max(0, height - y)
        rects[name] = pygame.Rect(0, y, L.PANEL_RECT.w, size)
        y += size
    return rects


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
    """The panel surface, repainted in bands of sections (see :meth:`step`)."""

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
        self.drawn_rows: dict[str, pygame.Rect] = {}     # model -> where its row landed
        self.drawn_sections: dict[str, pygame.Rect] = {}  # section -> where its text landed
        self._section = ""

    def update(self, snap: Snapshot) -> None:
        self.ticker.update(snap)

    def due(self, clock_s: float) -> bool:
        return self.dirty or clock_s - self.last_draw >= REFRESH_S

    def redraw(self, view: ViewState, clock_s: float) -> None:
        """Repaint the whole panel now (after input, a language switch, a new scenario)."""
        self.last_draw = clock_s
        self.dirty = False
        for _ in self._paint(view):
            pass
        self._parts = None
        self.version += 1

    def step(self, view: ViewState, clock_s: float) -> None:
        """The timed repaint, one band per call: top table, gauges, ticker.

        Why in bands: the whole panel is about a hundred text blits, as much as a snapshot;
        painted a band per frame it never lands on top of other heavy work in one frame.
        Each band clears its own strip, so the panel is never half blank, and all of them
        read the view (and snapshot) the repaint started from, so the panel shows one instant.
        """
        if self._parts is None:
            if not self.due(clock_s):
                return
            self.last_draw = clock_s
            self._parts = self._paint(view)
        self.version += 1
        if next(self._parts, _DONE) is _DONE:
            self._parts = None

    def _paint(self, view: ViewState) -> Iterator[None]:
        """Paint the sections band by band, yielding between bands."""
        view = replace(view)        # a copy: every band shows the same instant
        s = self.surface
        rects = stack(len(view.snap.stations), s.get_height())
        band = 0
        for name, _, part in SECTIONS:
            if part != band:
                band = part
                yield
            rect = rects[name]
            s.fill(P.PANEL_BG, rect)
            s.fill(P.PANEL_LINE, pygame.Rect(0, rect.y, 2, rect.h))
            if name not in ("header", "money"):
                s.fill(P.PANEL_LINE, pygame.Rect(X0, rect.y, s.get_width() - 20, 1))
            self._section = name
            self.drawn_sections[name] = pygame.Rect(X0, rect.y + RULE, 0, 0)
            getattr(self, "_paint_" + name)(view, rect.y + RULE)
        if view.sim_error:
            h = s.get_height()
            s.fill(P.RED_DARK, pygame.Rect(0, h - 36, s.get_width(), 36))
            self._text(tr("sim_error", view.lang, view.sim_error)[:50], X0, h - 28, P.WHITE)

    def _text(self, t: str, x: int, y: int, color: P.Color = P.TEXT,
              right: bool = False) -> pygame.Rect:
        """Blit a label; the rectangle it covered joins the current section's."""
        surf = self.fonts.label(t, color)
        at = self.surface.blit(surf, (x - surf.get_width() if right else x, y))
        sec = self.drawn_sections.get(self._section)
        if sec is not None:
            self.drawn_sections[self._section] = sec.union(at) if sec.w else at
        return at

    def _paint_header(self, view: ViewState, y: int) -> None:
        snap = view.snap
        lang = view.lang
        right = self.surface.get_width() - 8
        self._text(tr("title", lang), X0, y, P.YELLOW)
        self._text(tr("clock", lang, int(snap.now_s // 86400) + 1, clock(snap.now_s)),
                   right, y, P.WHITE, right=True)
        speed = tr("speed", lang, "||" if view.speed <= 0 else f"×{view.speed:g}")
        self._text(f"{view.scenario_name}  {tr('seed', lang, snap.seed)}  {speed}", X0, y + 18,
                   P.TEXT_DIM)

    def _paint_money(self, view: ViewState, y: int) -> None:
        m = view.snap.money_cents
        revenue = m.get("revenue", 0)
        costs = m.get("upstream_cost", 0) + m.get("rental_cost", 0)
        profit = m.get("profit", revenue - costs)
        for i, (key, cents, color) in enumerate((("revenue", revenue, P.LIME),
                                                  ("costs", costs, P.ORANGE),
                                                  ("profit", profit,
                                                   P.LIME if profit >= 0 else P.RED))):
            x = X0 + i * 136
            self._text(tr(key, view.lang), x, y, P.TEXT_DIM)
            self._text(money(cents), x, y + LINE_H, color)

    def _paint_table(self, view: ViewState, y: int) -> None:
        """One row per model, in the station list's order."""
        for key, dx, right in TABLE_COLUMNS:
            self._text(tr(key, view.lang), X0 + dx, y, P.TEXT_DIM, right=right)
        y += TABLE_HEAD_H
        snap = view.snap
        queue_alert = snap.alert("queue_len")
        crowded = queue_alert.threshold if queue_alert is not None else float("inf")
        self.drawn_rows = {}
        for st in snap.stations:
            self.drawn_rows[st.name] = self._row(st, y, snap.now_s, crowded)
            y += TABLE_ROW_H

    def _row(self, st: StationView, y: int, now: float, crowded: float) -> pygame.Rect:
        """One model's row; returns the rectangle its cells covered."""
        x = [X0 + dx for _, dx, _ in TABLE_COLUMNS]
        text = self._text
        cells = [text(st.label[:10], x[0], y, P.CONTENT_COLORS.get(st.content, P.SILVER))]
        normal = st.num_requests_waiting - st.num_requests_waiting_vip
        cells.append(text(f"{normal}/{st.num_requests_waiting_vip}", x[1], y,
                          P.RED if st.num_requests_waiting > crowded else P.TEXT))
        working = sum(1 for sl in st.slots if sl.state in ("idle", "busy", "draining"))
        cells.append(text(f"{st.num_requests_running}/{working}", x[2], y))
        util = st.utilization
        cells.append(text(f"{util * 100:.0f}%", x[3], y,
                          P.RED if util > 0.95 else (P.YELLOW if util > 0.8 else P.TEXT)))
        cells.append(text(f"{short(st.queue_time_p50_s)}/{short(st.queue_time_p95_s)}", x[4], y))
        cells.append(text(str(st.rented_slots), x[5], y,
                          P.GOLD if st.rented_slots else P.TEXT_DIM, right=True))
        down = st.outage_until_s > now
        if st.circuit != "closed" or st.paused or down:
            lamp = P.RED if st.circuit == "open" or down else P.YELLOW
            self.surface.fill(lamp, pygame.Rect(x[0] - 7, y + 5, 4, 6))
        return cells[0].unionall(cells[1:])

    def _paint_sparks(self, view: ViewState, y: int) -> None:
        series = view.snap.series
        for i, (key, name, color, fmt) in enumerate(SPARKS):
            x = X0 + i * 134
            pts = series.get(name, ())
            last = pts[-1][1] if pts and isinstance(pts[-1], tuple) else (pts[-1] if pts else 0)
            self._text(tr(key, view.lang), x, y, P.TEXT_DIM)
            sparkline(self.surface, pygame.Rect(x, y + 18, 126, 30), pts, color)
            self._text(fmt(last), x, y + 50, color)

    def _paint_counts(self, view: ViewState, y: int) -> None:
        snap = view.snap
        lang = view.lang
        for i, (key, source, name) in enumerate(COUNTS):
            if source == "count":
                t = tr(key, lang, snap.counts.get(name, 0))
            elif source == "money":
                t = f"{tr(key, lang)} {money(snap.money_cents.get(name, 0))}"
            elif name.endswith("_rate"):
                t = tr(key, lang, f"{snap.gauges.get(name, 0.0) * 100:.1f}%")
            else:
                t = tr(key, lang, int(snap.gauges.get(name, 0)))
            self._text(t, X0 + (i % 2) * 200, y + (i // 2) * LINE_H)

    def _paint_alerts(self, view: ViewState, y: int) -> None:
        """A lamp per alert the core declares, in its order."""
        s = self.surface
        self._text(tr("alerts", view.lang), X0, y, P.TEXT_DIM)
        x = X0 + 56
        for alert in view.snap.alerts:
            on = alert.active
            lamp = pygame.Rect(x, y + 3, 10, 10)
            s.fill(P.BLACK, lamp.inflate(2, 2))
            s.fill(P.RED if on else P.GREEN_DARK, lamp)
            if on:
                s.fill(P.WHITE, pygame.Rect(x + 2, y + 5, 2, 2))
            label = self._text(tr("alert_" + alert.name, view.lang), x + 14, y,
                               P.RED if on else P.TEXT_DIM)
            x = label.right + 14

    def _paint_ticker(self, view: ViewState, y: int) -> None:
        lang = view.lang
        self._text(tr("ticker", lang), X0, y, P.TEXT_DIM)
        y += TABLE_HEAD_H
        labels = {st.name: st.label for st in view.snap.stations}
        rows = (self.surface.get_height() - y - 4) // LINE_H
        for rec, times in self.ticker.lines(rows):
            msg = line(rec, lang, labels)
            if msg is None:
                continue
            if times > 1 and rec[1] == "deliver":
                msg = tr("ev_deliver_many", lang, times, money(record_field(rec, "cents")))
            elif times > 1:
                msg = f"{msg} ×{times}"
            self._text(clock(rec[0])[:5], X0, y, P.TEXT_DIM)
            self._text(msg[:44], X0 + 48, y, COLORS.get(rec[1], P.TEXT))
            y += LINE_H

    def draw(self, screen: pygame.Surface) -> None:
        screen.blit(self.surface, L.PANEL_RECT.topleft)
