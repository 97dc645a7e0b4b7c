"""The KPI strip: the figures a stakeholder reads in two seconds, as tiles of words.

Why from ``snap.kpi`` only: the snapshot's key figures are :func:`sim.kpi.kpis`, the same
dict the JSON summary writes under ``kpi``, so the strip and the report cannot disagree.
This module turns that mapping into :class:`Tile` records (heading, figure, detail, state);
the dashboard lays them out in a grid from :data:`GRID` and knows nothing of the figures.
The wait sparkline and the wait alert's tooltip format the wait with :func:`wait`, so the
same figure reads the same everywhere.

A tile's state is its figure against its target, then checked against the lamps: a figure
that meets its target while an alert that contradicts it (``sim.kpi.CONTRADICTED_BY``) is on
shows ``warn``, never green.  Of the tiles that compare a wait with the service target
(``Tile.target_s``), only the service level claims the target is *met* (green); the wait
p95 of the live window is red above it and plain below, so the two never disagree.  Every
tile carries a one-line ``tooltip`` saying what it counts (render/i18n.py ``kpi_tip_*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from render.i18n import tr
from render.panel.ticker import duration, money, short
from sim import CONTRADICTED_BY

#: The tiles, row by row (each name is a heading key ``kpi_<name>`` and a :func:`tiles` key).
GRID: tuple[tuple[str, ...], ...] = (("service_level", "wait_p95"),
                                     ("customers_lost", "revenue_lost"),
                                     ("margin", "rentals"))


@dataclass(frozen=True, slots=True)
class Tile:
    name: str           # the figure's name (tests look a drawn figure up by it)
    heading: str
    value: str          # the figure itself, coloured by ``state``
    detail: str         # its target or its parts, dim
    state: str          # good | bad (against a target) | warn (a loss, or contradicted) | plain
    tooltip: str = ""   # one line: what the figure counts, over which span, when green
    target_s: float | None = None   # the wait target it is judged against, if any


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def wait(seconds: float) -> str:
    """A wait as every wait figure on the panel writes it."""
    return duration(seconds)


def margin(share: float | None) -> str:
    """Profit over revenue; a dash while there is no revenue (0% would read as break-even)."""
    return "—" if share is None else percent(share)


def _state(name: str, state: str, alerts_on: set[str]) -> str:
    """Green only if no alert that contradicts the figure is on."""
    if state == "good" and alerts_on.intersection(CONTRADICTED_BY.get(name, ())):
        return "warn"
    return state


def tiles(kpi: Mapping[str, Any], lang: str) -> dict[str, Tile]:
    """The strip's tiles by name, from the snapshot's (= the summary's) key figures."""
    p95 = kpi["wait_p95_s"]
    target_s = kpi["target_wait_s"]
    share = f"{kpi['target_share'] * 100:.0f}%"
    window = short(kpi.get("window_s", 600.0))
    alerts_on = set(kpi.get("alerts_on", ()))
    rent_cost, rent_earned = kpi["rental_cost_cents"], kpi["rental_revenue_cents"]
    wait_alarm = p95 > target_s or "wait_p95" in alerts_on
    rows = (
        ("service_level", percent(kpi["service_level"]),
         tr("kpi_service_target", lang, share, short(target_s)),
         "good" if kpi["service_level_met"] and not wait_alarm else "bad"
         if not kpi["service_level_met"] else "warn"),
        # the live window's wait never claims the target met: the service level does
        ("wait_p95", wait(p95), tr("kpi_wait_target", lang),
         "bad" if wait_alarm else "plain"),
        ("margin", margin(kpi["margin"]),
         tr("kpi_margin_detail" if kpi["margin"] is not None else "kpi_margin_none", lang),
         "plain" if kpi["margin"] is None else "good" if kpi["margin"] >= 0 else "bad"),
        ("customers_lost", tr("kpi_customers_n", lang, kpi["customers_lost"]),
         tr("kpi_lost_detail", lang),
         "warn" if kpi["customers_lost"] else "plain"),
        ("revenue_lost", money(kpi["revenue_lost_cents"]),
         tr("kpi_failed_detail", lang, kpi["orders_failed"]),
         "warn" if kpi["revenue_lost_cents"] else "plain"),
        ("rentals", money(rent_cost), tr("kpi_rent_detail", lang, money(rent_earned)),
         "good" if rent_earned >= rent_cost else "bad"),
    )
    headings = {name: tr("kpi_" + name, lang) for name, *_ in rows}
    headings["wait_p95"] = tr("kpi_wait_p95_window", lang, window)
    if kpi["rental_budget_cents"]:      # a capped rental spend: the budget and what is left
        headings["rentals"] = tr("kpi_rentals_budget", lang,
                                 money(kpi["rental_budget_left_cents"]))
    tips = {name: tr("kpi_tip_" + name, lang) for name, *_ in rows}
    tips["service_level"] = tr("kpi_tip_service_level", lang, short(target_s), share)
    tips["wait_p95"] = tr("kpi_tip_wait_p95", lang, window, short(target_s))
    targets = {"service_level": target_s, "wait_p95": target_s}
    return {name: Tile(name, headings[name], value, detail, _state(name, state, alerts_on),
                       tips[name], targets.get(name))
            for name, value, detail, state in rows}
