"""The KPI strip draws the summary's figures, and the panel's other numbers agree with it.

The figures are read from the strings the dashboard actually asked the font for while it
painted, and compared with ``summary()["kpi"]`` at the same instant, formatted here
independently of the view's helpers.  Times are chosen off the minute: the sparklines'
last sample is then up to a minute old, and the panel must still show the live figures.
"""

from __future__ import annotations

import itertools
import os
import pathlib
from collections import Counter

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from render import layout as L  # noqa: E402
from render import palette as P  # noqa: E402
from render.app import App  # noqa: E402
from render.fonts import Fonts  # noqa: E402
from render.i18n import tr  # noqa: E402
from render.panel import dashboard as D  # noqa: E402
from render.panel.ticker import clock, line  # noqa: E402

HOUR = 3600.0
SCENARIOS = pathlib.Path(__file__).resolve().parent / "scenarios"


def mmss(seconds: float) -> str:
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


def dollars(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def painted(app: App, monkeypatch) -> list[tuple[str, tuple]]:
    """Repaint the panel from a snapshot taken now; the (text, colour) asked of the font."""
    asked: list[tuple[str, tuple]] = []
    real = Fonts.label

    def label(self, text, color, size=16):
        asked.append((text, tuple(color)))
        return real(self, text, color, size)

    monkeypatch.setattr(Fonts, "label", label)
    app.snap = app.sim.snapshot()
    app.dashboard.redraw(app.view, app.clock)
    return asked


@pytest.fixture(params=[("rush-hour", 3.4 * HOUR + 37, "en"), ("rush-hour", 3.4 * HOUR + 37, "zh"),
                        ("outage", 1.3 * HOUR + 43, "en")], ids=lambda p: f"{p[0]}-{p[2]}")
def peak(request, screen):
    scenario, t_s, lang = request.param
    app = App(scenario, speed=30.0, lang=lang)
    app.sim.advance_to(t_s)
    return app


def test_kpi_figures_drawn_equal_the_summarys(peak, monkeypatch):
    asked = painted(peak, monkeypatch)
    k = peak.sim.summary()["kpi"]               # the same instant: nothing advanced
    assert peak.snap.now_s == peak.sim.now
    expected = {
        "service_level": f"{k['service_level'] * 100:.1f}%",
        "wait_p95": mmss(k["wait_p95_s"]),
        "customers_lost": tr("kpi_customers_n", peak.lang,
                             k["customers_turned_away"] + k["customers_left"]),
        "revenue_lost": dollars(k["revenue_lost_cents"]),
        "margin": f"{k['margin'] * 100:.1f}%",
        "rentals": dollars(k["rental_cost_cents"]),
    }
    assert peak.dashboard.drawn_kpi == expected
    late = k["wait_p95_s"] > k["target_wait_s"] or "wait_p95" in k["alerts_on"]
    held_back = set(k["alerts_on"]) & {"abandon_rate", "queue_len", "wait_p95", "breaker_open"}
    met = (P.TEXT_BAD if not k["service_level_met"] else
           P.ORANGE if late or held_back else P.TEXT_GOOD)
    assert (expected["service_level"], met) in asked
    on_time = P.TEXT_BAD if late else P.TEXT        # the window's wait never claims "met"
    assert (expected["wait_p95"], on_time) in asked
    assert k["revenue_lost_cents"] > 0 and k["orders_judged"] > 100   # a peak, not a calm


def test_the_panels_other_numbers_agree_with_the_strip(peak, monkeypatch):
    """The wait sparkline ends on the strip's wait p95, the queue sparkline on the orders
    waiting in the table, the profit sparkline on the profit headline."""
    asked = Counter(painted(peak, monkeypatch))
    snap = peak.snap
    sampled_at, sampled_queue = snap.series["queue"][-1]
    assert sampled_at < snap.now_s - 30                # the samples are stale...
    waiting = sum(st.num_requests_waiting for st in snap.stations)
    assert (sampled_queue, snap.series["wait_p95"][-1][1]) != (waiting, snap.kpi["wait_p95_s"])
    assert asked[(mmss(snap.kpi["wait_p95_s"]), P.YELLOW)] == 1     # ...the panel is not
    assert asked[(str(waiting), P.CYAN)] == 1
    profit = dollars(snap.money_cents["profit"])
    assert asked[(profit, P.LIME)] + asked[(profit, P.TEXT_BAD)] == 2
    if peak.lang == "en":           # the parts of "customers lost", by the same names
        k = snap.kpi
        assert asked[("away + left", P.TEXT_DIM)] == 1
        assert asked[(f"turned away {k['customers_turned_away']} customers", P.TEXT)] == 1
        assert asked[(f"left {k['customers_left']} customers", P.TEXT)] == 1


def test_sparkline_ends_on_the_live_value_with_its_threshold(screen):
    surf = pygame.Surface((60, 30))
    pts = D.with_live(((0.0, 1.0), (60.0, 4.0), (120.0, 0.0)), 150.0, 22.0)
    assert pts[-1] == (150.0, 22.0) and len(pts) == 4
    assert D.with_live(((0.0, 1.0), (60.0, 4.0)), 60.0, 5.0) == [(0.0, 1.0), (60.0, 5.0)]
    top = D.sparkline(surf, surf.get_rect(), pts, P.CYAN, threshold=30.0)
    assert top == 30.0                                 # the scale shows the threshold
    rule_y = surf.get_height() - 2 - int(30.0 / 30.0 * (surf.get_height() - 4))
    assert tuple(surf.get_at((0, rule_y)))[:3] == P.RED
    assert tuple(surf.get_at((59, surf.get_height() - 2 - int(22 / 30 * 26))))[:3] == P.CYAN
    assert D.span_label(7200.0) == "2h" and D.span_label(5400.0) == "1.5h"
    assert D.span_label(2700.0) == "45m"


def test_alert_lamps_show_their_threshold_on_hover(peak, monkeypatch, screen):
    painted(peak, monkeypatch)
    lamps = {a.name: rect for rect, a in peak.dashboard.lamps}
    assert list(lamps) == [a.name for a in peak.snap.alerts]
    rect = lamps["wait_p95"]
    pos = (L.PANEL_RECT.x + rect.centerx, L.PANEL_RECT.y + rect.centery)
    lines = peak.dashboard.hover(pos, "en")
    k = peak.snap.kpi
    checked_s, reading = peak.snap.series["wait_p95"][-1]     # the alert's last check
    assert lines[1:3] == [f"lights above {mmss(k['target_wait_s'])}",
                          f"read {mmss(reading)} at {clock(checked_s)}"]
    queue = lamps["queue_len"]
    lines = peak.dashboard.hover((L.PANEL_RECT.x + queue.x + 1, L.PANEL_RECT.y + queue.y + 1),
                                 "en")
    assert lines[1] == f"lights above {peak.snap.alert('queue_len').threshold:.0f}"
    assert peak.dashboard.hover((L.PANEL_RECT.x + 2, L.PANEL_RECT.y + 2), "en") is None
    peak.mouse = pos                      # the app draws it as a tooltip over the panel
    peak.draw(screen)
    assert tuple(screen.get_at((pos[0] + 16, pos[1] + 16)))[:3] == P.NIGHT


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_ticker_names_an_alert_as_its_lamp_does(lang, screen):
    snap = App("rush-hour").snap
    for alert in snap.alerts:
        lamp = tr("alert_" + alert.name, lang)
        assert lamp != "alert_" + alert.name                  # every alert has a lamp name
        on = line((60.0, "alert", alert.name, True), lang, {})
        off = line((60.0, "alert", alert.name, False), lang, {})
        assert on == tr("ev_alert_on", lang, lamp) and off == tr("ev_alert_off", lang, lamp)


@pytest.mark.parametrize("lang,least", [("zh", 18), ("en", 16)])
def test_chinese_rows_have_room_between_them(lang, least, screen, monkeypatch):
    """16 px CJK glyphs on a 16 px pitch touch: every section's text rows in Chinese are
    at least 18 px apart (English keeps its 16 px), and the sections stay apart."""
    app = App(str(SCENARIOS / "models-5.toml"), speed=30.0, lang=lang)
    app.sim.advance_to(HOUR)
    rows: dict[str, set[int]] = {}
    real = D.Dashboard._text

    def text(self, t, x, y, *args, **kw):
        rows.setdefault(self._section, set()).add(y)
        return real(self, t, x, y, *args, **kw)

    monkeypatch.setattr(D.Dashboard, "_text", text)
    app.snap = app.sim.snapshot()
    app.dashboard.update(app.snap)                      # the ticker takes the records
    app.dashboard.redraw(app.view, app.clock)
    for section in ("kpi", "money", "table", "counts", "ticker"):
        ys = sorted(rows[section])
        assert len(ys) >= 2, section
        assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= least, (section, ys)
    sections = list(app.dashboard.drawn_sections.values())
    assert not any(a.colliderect(b) for i, a in enumerate(sections) for b in sections[i + 1:])


def test_a_rental_budget_shows_what_is_left_in_the_tile():
    from render.panel.kpistrip import tiles

    kpi = {"wait_p95_s": 60.0, "rental_cost_cents": 1928, "rental_revenue_cents": 5000,
           "service_level": 0.9, "target_share": 0.95, "target_wait_s": 900.0,
           "service_level_met": False, "margin": 0.9, "customers_lost": 3,
           "revenue_lost_cents": 100, "orders_failed": 0, "rental_budget_cents": 2000,
           "rental_budget_left_cents": 72}
    assert tiles(kpi, "en")["rentals"].heading == "rental cost, $0.72 left"
    assert tiles({**kpi, "rental_budget_cents": 0, "rental_budget_left_cents": None},
                 "en")["rentals"].heading == "rental cost"


@pytest.mark.parametrize("scenario,t_s,speed,lang", [
    ("rush-hour", 3.4 * 3600, 600.0, "en"), ("rush-hour", 3.4 * 3600, 600.0, "zh"),
    ("outage", 3600 + 1100, 600.0, "zh"), ("outage", 3600 + 900, 30.0, "en")])
def test_no_two_texts_of_the_panel_overlap(screen, monkeypatch, scenario, t_s, speed, lang):
    """Every label the panel painted, where ``blit`` put it: no two share a pixel (the
    sparkline's span and scale once touched in Chinese: "-1.6h最大 15m00s")."""
    app = App(scenario, speed=speed, lang=lang)
    app.presenter.ease = lambda sim, s: s
    app.sim.advance_to(t_s - 120 * speed / 60)
    for _ in range(120):
        app.step(1 / 60)
    drawn: list[tuple[pygame.Rect, str]] = []
    real = D.Dashboard._text

    def noted(self, t, *args, **kwargs):
        at = real(self, t, *args, **kwargs)
        drawn.append((at, t))
        return at

    monkeypatch.setattr(D.Dashboard, "_text", noted)
    app.dashboard.redraw(app.view, app.clock)
    assert len(drawn) > 60
    for (a, ta), (b, tb) in itertools.combinations([d for d in drawn if d[0].w], 2):
        assert not a.colliderect(b), (ta, a, tb, b)
