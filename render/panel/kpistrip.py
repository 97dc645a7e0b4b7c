"""The KPI strip: the figures a stakeholder reads in two seconds, as tiles of words.

Why from ``snap.kpi`` only: the snapshot's key figures are :func:`sim.kpi.kpis`, the same
dict the JSON summary writes under ``kpi``, so the strip and the report cannot disagree.
This module turns that mapping into :class:`Tile` records (heading, figure, detail, state);
the dashboard lays them out in a grid from :data:`GRID` and knows nothing of the figures.
The wait sparkline and the wait alert's tooltip format the wait with :func:`wait`, so the
same figure reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from render.i18n import tr
from render.panel.ticker import duration, money, short

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
    state: str          # good | bad (against a target) | warn (a loss) | plain


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def wait(seconds: float) -> str:
    """A wait as every wait figure on the panel writes it."""
    return duration(seconds)


def tiles(kpi: Mapping[str, Any], lang: str) -> dict[str, Tile]:
    """The strip's tiles by name, from the snapshot's (= the summary's) key figures."""
    p95 = kpi["wait_p95_s"]
    rent_cost, rent_earned = kpi["rental_cost_cents"], kpi["rental_revenue_cents"]
    rows = (
        ("service_level", percent(kpi["service_level"]),
         tr("kpi_service_target", lang, f"{kpi['target_share'] * 100:.0f}%",
            short(kpi["target_wait_s"])),
         "good" if kpi["service_level_met"] else "bad"),
        ("wait_p95", wait(p95), tr("kpi_wait_target", lang, short(kpi["target_wait_s"])),
         "good" if p95 <= kpi["target_wait_s"] else "bad"),
        ("margin", percent(kpi["margin"]), tr("kpi_margin_detail", lang),
         "good" if kpi["margin"] >= 0 else "bad"),
        ("customers_lost", str(kpi["customers_lost"]),
         tr("kpi_lost_detail", lang),
         "warn" if kpi["customers_lost"] else "plain"),
        ("revenue_lost", money(kpi["revenue_lost_cents"]),
         tr("kpi_failed_detail", lang, kpi["orders_failed"]),
         "warn" if kpi["revenue_lost_cents"] else "plain"),
        ("rentals", money(rent_cost), tr("kpi_rent_detail", lang, money(rent_earned)),
         "good" if rent_earned >= rent_cost else "bad"),
    )
    headings = {name: tr("kpi_" + name, lang) for name, *_ in rows}
    if kpi["rental_budget_cents"]:      # a capped rental spend: the budget and what is left
        headings["rentals"] = tr("kpi_rentals_budget", lang,
                                 money(kpi["rental_budget_left_cents"]))
    return {name: Tile(name, headings[name], value, detail, state)
            for name, value, detail, state in rows}
