"""The dashboard panel: queues, waits, utilization, money, alerts and the event ticker.

Why it redraws on a timer: numbers that change every frame are unreadable and cost a text
render each.  The panel is drawn into its own surface a few times per second (and at once
when the language changes); each frame just blits it.  Gauge names follow the gateways'
(vLLM's ``num_requests_waiting``/``running``, LiteLLM's spend) so operators read it as theirs.

Why sections: the panel is a column of sections (:data:`SECTIONS`), each with a height (the
model table's grows with the station list) and a painter; their rectangles are stacked from
that table, so a fifth model or a new gauge moves everything below it without new numbers.
Heights are in line pitches (:func:`pitch`): Chinese rows get 19 px, because 16 px glyphs on a
16 px pitch touch.

Why one name per figure: the KPI strip (:mod:`render.panel.kpistrip`) shows the snapshot's key
figures; the sparkline under a figure's name ends on the live value of that same figure (not
the last minute-old sample), and draws the threshold of the alert that watches it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import SCENARIO_NAMES, tr, word
from render.panel.kpistrip import GRID, percent, tiles, wait
from render.panel.ticker import Ticker, clock, money, short
from render.state import ViewState
from render.wordwrap import ellipsize, wrap
from sim import AlertView, Snapshot, StationView

REFRESH_S = 0.4   # the panel reads calmly at 2.5 repaints a second (~1 ms native, 3-4 in wasm)
_DONE = object()
X0 = 10                  # left margin of every section
RULE = 4                 # a section's rule, above its first line
LINE_H = 16
PITCH = {"en": LINE_H, "zh": 19}    # line pitch by language: CJK glyphs fill the whole 16 px
#: The per-model table: (column heading, x offset, right-aligned).
TABLE_COLUMNS = (("col_model", 0, False), ("col_waiting", 80, False),
                 ("col_running", 176, False), ("col_util", 246, False),
                 ("col_p50p95", 298, False), ("col_rented", 396, True))
TILE_W = 197        # a KPI tile's width: two to a row
TICKER_TEXT_X = 48  # a ticker line's words start here, after its clock
SPARK_W, SPARK_H = 126, 30
Format = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Spark:
    """A sparkline: the figure it draws, by the name the strip gives it."""

    heading: str                                 # i18n key: the figure's name
    series: str                                  # the snapshot's series of its samples
    color: P.Color
    fmt: Format                                  # the live value, as the strip writes it
    scale: Format                                # the top of the scale, short
    live: Callable[[Snapshot], float]            # the figure now (the samples lag)
    threshold: Callable[[Snapshot], float | None]  # its alert's threshold (None: none)


def span_label(seconds: float) -> str:
    """A time span in whole units: ``2h``, ``1.5h``, ``45m`` (also a wait scale's top: it
    must fit beside the span under a sparkline in either language)."""
    if seconds >= 3600:
        h = seconds / 3600
        return f"{h:.0f}h" if abs(h - round(h)) < 0.05 else f"{h:.1f}h"
    return f"{max(1, round(seconds / 60))}m"


def _count(v: float) -> str:
    return f"{v:.0f}"


SPARKS = (
    Spark("kpi_wait_p95", "wait_p95", P.YELLOW, wait, span_label, lambda s: s.kpi["wait_p95_s"],
          lambda s: s.kpi["target_wait_s"]),
    Spark("spark_queue", "queue", P.CYAN, _count, _count,
          lambda s: s.gauges["num_requests_waiting"], lambda s: _threshold(s, "queue_len")),
    Spark("profit", "profit_cents", P.LIME, lambda v: money(int(v)), lambda v: compact(int(v)),
          lambda s: s.money_cents["profit"], lambda s: None),
)
#: How an alert's threshold and reading read in its lamp's tooltip (None: a yes/no alert;
#: an alert missing here shows plain numbers).
ALERT_FORMATS: dict[str, Callable[[float], str] | None] = {
    "wait_p95": wait, "abandon_rate": percent, "queue_len": _count,
    "breaker_open": None}
STATE_COLORS = {"good": P.TEXT_GOOD, "bad": P.TEXT_BAD, "warn": P.ORANGE, "plain": P.TEXT}
#: The counters, two per line: (label, where from: "count" | "gauge" | "money", key).  Each
#: count says what it counts (COUNT_UNITS): orders beside customers read as one unit else.
COUNTS = (("arrived", "count", "arrived"), ("left", "count", "left"),
          ("rejected", "count", "rejected"), ("dropout", "gauge", "dropout_rate"),
          ("in_building", "gauge", "customers_in_building"), ("asked", "count", "asked"),
          ("delivered", "count", "delivered"), ("retries", "count", "retries"),
          ("dead_letters", "count", "dead_letters"), ("refunds", "money", "refunds"))
#: The unit word each count's label carries (i18n keys).
COUNT_UNITS = {"arrived": "u_customers", "left": "u_customers", "rejected": "u_customers",
               "in_building": "u_customers", "asked": "u_customers",
               "delivered": "u_orders", "dead_letters": "u_orders", "retries": "u_calls"}
COUNT_COL_X = (X0, X0 + 228)    # the long labels (customers turned away) take the left column
COUNT_W = (224, 170)            # each column's width: every count line fits its own
#: The panel from top to bottom: (section, height from the number of models and the line
#: pitch (None: the rest of the panel), band of the timed repaint that paints it).
SECTIONS: tuple[tuple[str, Callable[[int, int], int] | None, int], ...] = (
    ("header", lambda n, h: 2 * h + 8, 0),
    ("kpi", lambda n, h: RULE + len(GRID) * (2 * h + 4), 0),
    ("money", lambda n, h: RULE + 2 * h + 4, 0),
    ("table", lambda n, h: RULE + (h + 2) + (h + 1) * n + 2, 1),
    ("sparks", lambda n, h: RULE + 2 * h + SPARK_H + 8, 2),
    ("counts", lambda n, h: RULE + (len(COUNTS) + 1) // 2 * h + 2, 3),
    ("alerts", lambda n, h: h + 8, 3),
    ("ticker", None, 4),
)


def pitch(lang: str) -> int:
    return PITCH.get(lang, LINE_H)


def _threshold(snap: Snapshot, alert: str) -> float | None:
    a = snap.alert(alert)
    return a.threshold if a is not None else None


def stack(n_models: int, height: int, line_h: int = LINE_H) -> dict[str, pygame.Rect]:
    """The sections' rectangles, top to bottom, for a panel ``height`` pixels tall."""
    rects = {}
    y = 0
    for name, h, _ in SECTIONS:
        size = h(n_models, line_h) if h is not None else max(0, height - y)
        rects[name] = pygame.Rect(0, y, L.PANEL_RECT.w, size)
        y += size
    return rects


def with_live(points: tuple, now_s: float, live: float) -> list[tuple[float, float]]:
    """The samples, ending on the live value at ``now_s`` (the last sample may be a minute
    old: a queue that grew since would read as the old one)."""
    pts = [p for p in points if p[0] < now_s]
    pts.append((now_s, live))
    return pts


def sparkline(surf: pygame.Surface, rect: pygame.Rect, points: list[tuple[float, float]],
              color: P.Color, threshold: float | None = None) -> float:
    """Draw ``(time_s, value)`` points over their time span, scaled from 0 (or the lowest
    value) to the highest value or the threshold; the threshold (or zero) as a red rule.
    Returns the top of the scale."""
    surf.fill(P.BLACK, rect)
    vals = [v for _, v in points]
    if not vals:
        return 0.0
    hi = max(max(vals), threshold or 0.0)
    lo = min(0.0, min(vals))
    span = (hi - lo) or 1.0
    t0, t1 = points[0][0], points[-1][0]
    dt = (t1 - t0) or 1.0

    def y_of(v: float) -> int:
        return rect.bottom - 2 - int((v - lo) / span * (rect.h - 4))

    if threshold is not None:
        ty = y_of(threshold)
        for x in range(rect.x, rect.right, 4):
            surf.fill(P.RED, pygame.Rect(x, ty, 2, 1))
    elif lo < 0:
        surf.fill(P.SLATE, pygame.Rect(rect.x, y_of(0.0), rect.w, 1))
    if len(points) >= 2:
        pts = [(rect.x + int((t - t0) / dt * (rect.w - 1)), y_of(v)) for t, v in points]
        pygame.draw.lines(surf, color, False, pts)
    return hi


def compact(cents: int) -> str:
    """Money in at most six characters, for a scale: ``$950``, ``$1.1k``, ``$23k``."""
    d = abs(cents) / 100
    sign = "-" if cents < 0 else ""
    if d >= 10000:
        return f"{sign}${d / 1000:.0f}k"
    if d >= 1000:
        return f"{sign}${d / 1000:.1f}k"
    return f"{sign}${d:.0f}"


class Dashboard:
    """The panel surface, repainted in bands of sections (see :meth:`step`)."""

    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts
        self.surface = pygame.Surface(L.PANEL_RECT.size)   # what the screen shows
        if pygame.display.get_surface() is not None:
            self.surface = self.surface.convert()
        self._canvas = self.surface.copy()      # where a repaint paints, swapped in when done
        self.ticker = Ticker()
        self.last_draw = -1e9
        self.dirty = True
        self.version = 0                # counts repaints: the app blits the panel on change
        self._parts: Iterator[None] | None = None
        self.drawn_rows: dict[str, pygame.Rect] = {}     # model -> where its row landed
        self.drawn_sections: dict[str, pygame.Rect] = {}  # section -> where its text landed
        self.drawn_kpi: dict[str, str] = {}     # KPI tile -> the figure drawn (tests)
        self.drawn_ticker: list[tuple[str, pygame.Rect]] = []   # ticker lines as drawn
        self.lamps: list[tuple[pygame.Rect, AlertView]] = []  # alert lamps, panel coordinates
        self.checked_s = 0.0            # when the alerts were last checked
        self._section = ""

    def update(self, snap: Snapshot) -> None:
        self.ticker.update(snap)

    def due(self, clock_s: float) -> bool:
        return self.dirty or clock_s - self.last_draw >= REFRESH_S

    def stepping(self, clock_s: float) -> bool:
        """Whether :meth:`step` would paint a band now (a repaint under way, or one due)."""
        return self._parts is not None or self.due(clock_s)

    def redraw(self, view: ViewState, clock_s: float) -> None:
        """Repaint the whole panel now (after input, a language switch, a new scenario)."""
        self.last_draw = clock_s
        self.dirty = False
        for _ in self._paint(view):
            pass
        self._parts = None
        self._show()

    def _show(self) -> None:
        """Swap the finished repaint in: the screen shows one snapshot's panel, never the
        bands of two (the header's profit and the sparkline's once differed on one screen)."""
        self.surface, self._canvas = self._canvas, self.surface
        self.version += 1

    def step(self, view: ViewState, clock_s: float) -> bool:
        """The timed repaint, one band per call: key figures, table, sparklines, counts and
        alerts, ticker.  True when this call began a repaint (its header took this instant).

        Why in bands: the whole panel is about a hundred text blits, as much as a snapshot;
        painted a band per frame it never lands on top of other heavy work in one frame.
        The bands paint a canvas off screen, all from the view (and snapshot) the repaint
        started from, and the finished canvas is swapped in at once: every figure on the
        screen comes from one snapshot.
        """
        began = self._parts is None
        if began:
            if not self.due(clock_s):
                return False
            self.last_draw = clock_s
            self._parts = self._paint(view)
        if next(self._parts, _DONE) is _DONE:
            self._parts = None
            self._show()
        return began

    def _paint(self, view: ViewState) -> Iterator[None]:
        """Paint the sections band by band, yielding between bands."""
        view = replace(view)        # a copy: every band shows the same instant
        s = self._canvas
        rects = stack(len(view.snap.stations), s.get_height(), pitch(view.lang))
        band = 0
        for name, _, part in SECTIONS:
            if part != band:
                band = part
                yield
            rect = rects[name]
            s.fill(P.PANEL_BG, rect)
            s.fill(P.PANEL_LINE, pygame.Rect(0, rect.y, 2, rect.h))
            if name != "header":
                s.fill(P.PANEL_LINE, pygame.Rect(X0, rect.y, s.get_width() - 20, 1))
            self._section = name
            self.drawn_sections[name] = pygame.Rect(X0, rect.y + RULE, 0, 0)
            getattr(self, "_paint_" + name)(view, rect.y + RULE)
        if view.sim_error:
            h = s.get_height()
            s.fill(P.RED_DARK, pygame.Rect(0, h - 36, s.get_width(), 36))
            self._text(tr("sim_error", view.lang, view.sim_error), X0, h - 28, P.WHITE,
                       width=s.get_width() - 2 * X0)

    def _text(self, t: str, x: int, y: int, color: P.Color = P.TEXT,
              right: bool = False, width: int | None = None) -> pygame.Rect:
        """Blit a label (ellipsized at a word to ``width`` pixels); the rectangle it covered
        joins the current section's."""
        if width is not None:
            t = ellipsize(t, max(0, width), self.fonts.width)
        surf = self.fonts.label(t, color)
        clip = pygame.Rect(0, 0, surf.get_width() if width is None else max(0, width),
                           surf.get_height())
        at = self._canvas.blit(surf, (x - clip.w if right else x, y), clip)
        sec = self.drawn_sections.get(self._section)
        if sec is not None:
            self.drawn_sections[self._section] = sec.union(at) if sec.w else at
        return at

    def _paint_header(self, view: ViewState, y: int) -> None:
        snap = view.snap
        lang = view.lang
        right = self._canvas.get_width() - 8
        self._text(tr("title", lang), X0, y, P.YELLOW)
        self._text(tr("clock", lang, int(snap.now_s // 86400) + 1, clock(snap.now_s)),
                   right, y, P.WHITE, right=True)
        speed = tr("speed", lang, "||" if view.speed <= 0 else f"×{view.speed:g}")
        if view.kept is not None and view.speed > 0:    # honest when the machine falls short
            speed = tr("speed_kept", lang, f"×{view.speed:g}", f"×{view.kept:g}")
        name = word(view.scenario_name, lang, SCENARIO_NAMES)
        self._text(f"{name}  {tr('seed', lang, snap.seed)}  {speed}", X0,
                   y + pitch(lang) + 2, P.TEXT_DIM)

    def _paint_kpi(self, view: ViewState, y: int) -> None:
        """The KPI strip: a tile per figure, laid out row by row from :data:`GRID`."""
        h = pitch(view.lang)
        shown = tiles(view.snap.kpi, view.lang)
        self.drawn_kpi = {}
        for row in GRID:
            for i, name in enumerate(row):
                tile = shown[name]
                x = X0 + i * TILE_W
                color = STATE_COLORS[tile.state]
                self._canvas.fill(color, pygame.Rect(x, y + 2, 2, 2 * h - 4))
                self._text(tile.heading, x + 6, y, P.TEXT_DIM)
                value = self._text(tile.value, x + 6, y + h, color)
                self._text(tile.detail, value.right + 8, y + h, P.TEXT_DIM,
                           width=x + TILE_W - 4 - value.right - 8)
                self.drawn_kpi[name] = tile.value
            y += 2 * h + 4

    def _paint_money(self, view: ViewState, y: int) -> None:
        m = view.snap.money_cents
        revenue = m.get("revenue", 0)
        costs = m.get("upstream_cost", 0) + m.get("rental_cost", 0)
        profit = m.get("profit", revenue - costs)
        for i, (key, cents, color) in enumerate((("revenue", revenue, P.LIME),
                                                  ("costs", costs, P.ORANGE),
                                                  ("profit", profit,
                                                   P.LIME if profit >= 0 else P.TEXT_BAD))):
            x = X0 + i * 136
            self._text(tr(key, view.lang), x, y, P.TEXT_DIM)
            self._text(money(cents), x, y + pitch(view.lang), color)

    def _paint_table(self, view: ViewState, y: int) -> None:
        """One row per model, in the station list's order."""
        for key, dx, right in TABLE_COLUMNS:
            self._text(tr(key, view.lang), X0 + dx, y, P.TEXT_DIM, right=right)
        h = pitch(view.lang)
        y += h + 2
        snap = view.snap
        crowded = _threshold(snap, "queue_len")
        crowded = float("inf") if crowded is None else crowded
        self.drawn_rows = {}
        for st in snap.stations:
            self.drawn_rows[st.name] = self._row(st, y, snap.now_s, crowded, view.lang)
            y += h + 1

    def _row(self, st: StationView, y: int, now: float, crowded: float,
             lang: str = "en") -> pygame.Rect:
        """One model's row; returns the rectangle its cells covered."""
        x = [X0 + dx for _, dx, _ in TABLE_COLUMNS]
        text = self._text
        cells = [text(st.label[:10], x[0], y, P.CONTENT_COLORS.get(st.content, P.SILVER))]
        normal = st.num_requests_waiting - st.num_requests_waiting_vip
        cells.append(text(tr("cell_waiting", lang, normal + st.num_requests_waiting_vip,
                             st.num_requests_waiting_vip), x[1], y,
                          P.TEXT_BAD if st.num_requests_waiting > crowded else P.TEXT))
        working = sum(1 for sl in st.slots if sl.state in ("idle", "busy", "draining"))
        down = st.outage_until_s > now or st.circuit == "open"
        # on a down model the running calls are the crossed-out machines with a bar: red
        cells.append(text(tr("cell_running", lang, st.num_requests_running, working), x[2], y,
                          P.TEXT_BAD if down and st.num_requests_running else P.TEXT))
        util = st.utilization
        cells.append(text(f"{util * 100:.0f}%", x[3], y,
                          P.TEXT_BAD if util > 0.95 else (P.YELLOW if util > 0.8 else P.TEXT)))
        cells.append(text(f"{short(st.queue_time_p50_s)}/{short(st.queue_time_p95_s)}", x[4], y))
        cells.append(text(str(st.rented_slots), x[5], y,
                          P.GOLD if st.rented_slots else P.TEXT_DIM, right=True))
        down = st.outage_until_s > now
        if st.circuit != "closed" or st.paused or down:
            lamp = P.RED if st.circuit == "open" or down else P.YELLOW
            self._canvas.fill(lamp, pygame.Rect(x[0] - 7, y + 5, 4, 6))
        return cells[0].unionall(cells[1:])

    def _paint_sparks(self, view: ViewState, y: int) -> None:
        """Each sparkline: its figure's name and time span, the curve ending on the live
        value with its alert's threshold, then the live value and the top of the scale."""
        snap = view.snap
        lang = view.lang
        h = pitch(lang)
        for i, sp in enumerate(SPARKS):
            x = X0 + i * (SPARK_W + 8)
            pts = with_live(snap.series.get(sp.series, ()), snap.now_s, sp.live(snap))
            self._text(tr(sp.heading, lang), x, y, P.TEXT_DIM)
            self._text(sp.fmt(pts[-1][1]), x + SPARK_W, y, sp.color, right=True)
            graph = pygame.Rect(x, y + h + 2, SPARK_W, SPARK_H)
            top = sparkline(self._canvas, graph, pts, sp.color, sp.threshold(snap))
            span = tr("spark_span", lang, span_label(snap.now_s - pts[0][0]))
            self._text(span, x, graph.bottom + 2, P.TEXT_DIM)
            self._text(tr("spark_max", lang, sp.scale(top)), x + SPARK_W, graph.bottom + 2,
                       P.TEXT_DIM, right=True)

    def _paint_counts(self, view: ViewState, y: int) -> None:
        snap = view.snap
        lang = view.lang
        h = pitch(lang)
        for i, (key, source, name) in enumerate(COUNTS):
            if source == "count":
                t = tr(key, lang, snap.counts.get(name, 0))
            elif source == "money":
                t = f"{tr(key, lang)} {money(snap.money_cents.get(name, 0))}"
            elif name.endswith("_rate"):
                t = tr(key, lang, f"{snap.gauges.get(name, 0.0) * 100:.1f}%")
            else:
                t = tr(key, lang, int(snap.gauges.get(name, 0)))
            self._text(t, COUNT_COL_X[i % 2], y + (i // 2) * h)

    def _paint_alerts(self, view: ViewState, y: int) -> None:
        """A lamp per alert the core declares, in its order (hover one: :meth:`hover`)."""
        s = self._canvas
        self._text(tr("alerts", view.lang), X0, y, P.TEXT_DIM)
        x = X0 + 56
        self.lamps = []
        samples = view.snap.series.get("wait_p95") or ((0.0, 0.0),)
        self.checked_s = samples[-1][0]
        for alert in view.snap.alerts:
            on = alert.active
            lamp = pygame.Rect(x, y + 3, 10, 10)
            s.fill(P.BLACK, lamp.inflate(2, 2))
            s.fill(P.RED if on else P.GREEN_DARK, lamp)
            if on:
                s.fill(P.WHITE, pygame.Rect(x + 2, y + 5, 2, 2))
            label = self._text(tr("alert_" + alert.name, view.lang), x + 14, y,
                               P.TEXT_BAD if on else P.TEXT_DIM)
            self.lamps.append((lamp.union(label), alert))
            x = label.right + 14

    def hover(self, pos: tuple[int, int], lang: str) -> list[str] | None:
        """The tooltip of the alert lamp under a screen point: its threshold and the reading
        of its last check (the metrics tick, when the sparklines took their last sample)."""
        at = (pos[0] - L.PANEL_RECT.x, pos[1] - L.PANEL_RECT.y)
        alert = next((a for rect, a in self.lamps if rect.collidepoint(at)), None)
        if alert is None:
            return None
        name = tr("alert_" + alert.name, lang)
        lines = [tr("tt_alert", lang, name, tr("on" if alert.active else "off", lang))]
        fmt = ALERT_FORMATS.get(alert.name, lambda v: f"{v:g}")
        if fmt is None:
            lines.append(tr("tt_alert_" + alert.name, lang))
        else:
            lines += [tr("tt_alert_rule", lang, fmt(alert.threshold)),
                      tr("tt_alert_now", lang, clock(self.checked_s), fmt(alert.value))]
        if alert.active:
            lines.append(tr("tt_alert_since", lang, clock(alert.since_s)))
        return lines

    def _paint_ticker(self, view: ViewState, y: int) -> None:
        """The newest lines, each wrapped at words to the panel's width (two lines at most,
        the second ellipsized at a word): never cut at the panel's edge."""
        lang = view.lang
        h = pitch(lang)
        self._text(tr("ticker", lang), X0, y, P.TEXT_DIM)
        y += h + 2
        labels = {st.name: st.label for st in view.snap.stations}
        bottom = self._canvas.get_height() - 4
        x = X0 + TICKER_TEXT_X
        width = self._canvas.get_width() - x - 8
        self.drawn_ticker = []
        for t_s, msg, color in self.ticker.rows((bottom - y) // h, lang, labels):
            if y + h > bottom:
                break
            parts = wrap(msg, width, self.fonts.width, 2 if y + 2 * h <= bottom else 1)
            self._text(clock(t_s)[:5], X0, y, P.TEXT_DIM)
            for part in parts:
                self.drawn_ticker.append((part, self._text(part, x, y, color)))
                y += h

    def draw(self, screen: pygame.Surface) -> None:
        screen.blit(self.surface, L.PANEL_RECT.topleft)
