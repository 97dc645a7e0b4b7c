"""The KPI strip's tiles (issue 16): a dash for the margin without revenue, units on counts,
a one-line tooltip per tile in both languages, no green against a contradicting lamp, and
one snapshot value per figure on a panel repainted in bands."""

from __future__ import annotations

import os
from collections import Counter

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

from render.fonts import Fonts  # noqa: E402
from render.panel.kpistrip import GRID, tiles  # noqa: E402
from sim import Simulation, load_scenario  # noqa: E402

KPI = {"wait_p95_s": 60.0, "rental_cost_cents": 0, "rental_revenue_cents": 0,
       "service_level": 0.97, "target_share": 0.95, "target_wait_s": 900.0,
       "service_level_met": True, "margin": None, "customers_lost": 3,
       "revenue_lost_cents": 100, "orders_failed": 0, "rental_budget_cents": 0,
       "rental_budget_left_cents": None, "window_s": 600.0, "alerts_on": []}


def test_margin_is_a_dash_without_revenue_and_counts_carry_units():
    t = tiles(KPI, "en")
    assert t["margin"].value == "—" and t["margin"].state == "plain"
    assert tiles({**KPI, "margin": 0.0}, "en")["margin"].value == "0.0%"
    assert t["customers_lost"].value == "3 cust."
    assert tiles(KPI, "zh")["customers_lost"].value == "3 位顾客"
    sim = Simulation(load_scenario("scenarios/default.toml", ["arrivals.rate_per_min=0"]))
    sim.advance_to(300)                     # no customer yet, the slots already cost money
    assert tiles(sim.snapshot().kpi, "en")["margin"].value == "—"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tile_has_a_one_line_tooltip(lang):
    t = tiles(KPI, lang)
    assert {n for row in GRID for n in row} == set(t)
    for tile in t.values():
        assert tile.tooltip and "\n" not in tile.tooltip and "{" not in tile.tooltip
    other = tiles(KPI, "zh" if lang == "en" else "en")
    assert all(t[n].tooltip != other[n].tooltip for n in t)
    assert "15m" in t["service_level"].tooltip and "95%" in t["service_level"].tooltip
    assert "10m" in t["wait_p95"].tooltip and "10m" in t["wait_p95"].heading


def test_a_contradicting_lamp_holds_a_met_figure_back_from_green():
    assert tiles(KPI, "en")["service_level"].state == "good"
    for alert in ("abandon_rate", "queue_len", "breaker_open"):
        assert tiles({**KPI, "alerts_on": [alert]}, "en")["service_level"].state == "warn"
    late = tiles({**KPI, "alerts_on": ["wait_p95"]}, "en")
    assert (late["service_level"].state, late["wait_p95"].state) == ("warn", "bad")
    over = tiles({**KPI, "wait_p95_s": 901.0}, "en")      # between two checks of the lamp
    assert (over["service_level"].state, over["wait_p95"].state) == ("warn", "bad")
    assert tiles(KPI, "en")["wait_p95"].state == "plain"   # only the service level claims
    assert tiles({**KPI, "service_level_met": False}, "en")["service_level"].state == "bad"
    assert {n for n, t in tiles(KPI, "en").items() if t.target_s == 900.0} == \
        {"service_level", "wait_p95"}


def test_profit_reads_one_snapshot_value_across_the_repaint_bands(screen, monkeypatch):
    """The panel repaints in bands on different frames; the snapshot may change between
    them, but the money line's profit and the profit sparkline's live value are one."""
    from render.app import App
    from render.panel.ticker import money

    app = App("rush-hour", speed=600.0)
    app.sim.advance_to(3.4 * 3600 + 37)
    app.snap = app.sim.snapshot()
    asked: list[str] = []
    real = Fonts.label

    def label(self, text, color, size=16):
        asked.append(text)
        return real(self, text, color, size)

    monkeypatch.setattr(Fonts, "label", label)
    first = app.snap.money_cents["profit"]
    app.dashboard.dirty = True
    assert app.dashboard.step(app.view, app.clock)          # band 0: key figures, money
    app.sim.advance_to(app.sim.now + 600)                  # the model moves on...
    app.snap = app.sim.snapshot()
    assert app.snap.money_cents["profit"] != first
    while app.dashboard._parts is not None:                 # ...the other bands follow
        app.dashboard.step(app.view, app.clock)
    counted = Counter(asked)
    assert counted[money(first)] == 2                        # money line and sparkline
    assert counted[money(app.snap.money_cents["profit"])] == 0
