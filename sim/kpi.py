"""Money so far and the key figures a stakeholder reads in two seconds, defined once.

The dashboard's strip and the JSON summary (``kpi``) both call :func:`kpis`, so the screen
and the report can never disagree.  Every headline figure counts everyone who came, and its
key says what it covers: ``_run`` (the run so far) or ``_window`` (the live window of
``metrics.window_s``, the alerts' window).

* **service level** (``service_level_run``) -- of every order that was asked for, the share
  that started within ``service.target_wait_s``; met when at least ``service.target_share``.
  The orders judged are those that started, those that gave up waiting (refunded before they
  started), those still waiting past the target (an outage shows at once), the shopping-list
  items of customers turned away at the door (DOMAIN section 10 never makes them orders, but
  they came to buy them) and the orders of customers who left at the breaker before those
  orders reached a queue -- as contact centres count abandoned calls as not answered;
* **wait p95** (``wait_p95_last_window_s``) -- the 95th percentile of the wait before
  production over the live window, of orders that started *and of orders that gave up*, with
  the time they had waited (the 3x breaker cannot flatter it by sending the longest waits
  away): the figure the wait alert compares with the target and the wait sparkline draws.
  ``wait_p95_run_s`` is the same over the whole run;
* **lost** -- customers turned away at the door or gone at the 3x breaker, and the revenue
  lost: what turned-away customers came to buy, and the price of every order refunded
  undelivered (failed after retries, left behind, cancelled);
* **margin** -- profit over revenue; None (shown "—") while there is no revenue;
* **rentals** -- what rented slots cost against the revenue of the orders they delivered,
  and the rental budget with what is left of it (the strip shows cost/budget).

Old keys stay as aliases (:data:`KPI_ALIASES`): ``service_level`` is ``service_level_run``;
``wait_p95_s`` is ``wait_p95_last_window_s`` (it now counts orders that gave up, too);
``wait_p95_window_s`` is ``window_s``, the window's length (not a wait).

A headline tile is green only when its figure meets its target *and* no alert that
contradicts it is on (:data:`CONTRADICTED_BY`, read by :mod:`render.panel.kpistrip`): the strip
and the lamps never tell two stories.
"""

from __future__ import annotations

from typing import Any

#: old key -> the key it is an alias of (kept so older readers of the JSON keep working)
KPI_ALIASES = {"service_level": "service_level_run", "wait_p95_s": "wait_p95_last_window_s",
           "wait_p95_window_s": "window_s"}

#: headline figure -> the alerts that contradict it when they are on (sim/alerts.py names):
#: the service level cannot be "met" while people abandon, the queue overflows, the live
#: wait is over the target or an upstream is cut off; the wait p95 not while the wait alert
#: is on.  The property test (tests/test_core_kpi_property.py) names the same pairs.
CONTRADICTED_BY: dict[str, tuple[str, ...]] = {
    "service_level": ("abandon_rate", "queue_len", "wait_p95", "breaker_open"),
    "wait_p95": ("wait_p95",),
}


def money(sim) -> dict[str, int]:
    """Money so far, in cents; fees accrued since the last posting are included."""
    led = sim.ledger
    base_unposted = rent_unposted = 0
    for st in sim.stations.values():
        b, r = st.accrue(sim.engine.now, commit=False)
        owed, posted = st.accrued_cents, st.posted_cents
        base_unposted += b + owed.base - posted.base
        rent_unposted += r + owed.rental - posted.rental
    upstream = led.total("slot_fee") + led.total("task_fee") + base_unposted
    rental = led.total("rental") + rent_unposted
    revenue = led.balance["revenue"]
    return {
        "wallets_initial": sim.accounts.wallets_initial_cents,
        "wallets_final": led.balance["wallets"],
        "held_open": led.balance["held"],
        "revenue": revenue,
        "refunds": sim.accounts.refunded_cents,
        "upstream_cost": upstream,
        "rental_cost": rental,
        "cancelled_run_cost": sum(st.cancelled_run_cost_cents for st in sim.stations.values()),
        "profit": revenue - upstream - rental,
    }


def profit_cents(sim) -> int:
    """``money(sim)["profit"]`` without the rest of the figures (the metrics tick samples it
    every minute): the same whole cents, summed in another order (integers: exactly equal;
    tests/test_core_fast_default.py holds it to :func:`money`)."""
    now = sim.engine.now
    unposted = 0
    for st in sim.stations.values():
        b, r = st.accrue(now, commit=False)
        owed, posted = st.accrued_cents, st.posted_cents
        unposted += b + r + (owed.base - posted.base) + (owed.rental - posted.rental)
    led = sim.ledger
    totals = led.totals
    upstream = totals.get("slot_fee", 0) + totals.get("task_fee", 0) + totals.get("rental", 0)
    return led.balance["revenue"] - upstream - unposted


def kpis(sim, money_cents: dict[str, int] | None = None) -> dict[str, Any]:
    """The key figures now (``money_cents``: :func:`money` if the caller has it already)."""
    stations = list(sim.stations.values())
    service = sim.scenario.service
    started = sum(st.waits.count for st in stations)
    gave_up = sum(st.gave_up.count for st in stations)
    within = sum(st.started_within_target for st in stations)
    # orders still waiting past the target have missed it already
    overdue = sum(st.lanes.waiting_since(sim.now - service.target_wait_s) for st in stations)
    turned_away = sim.arrivals.turned_away_orders
    left_unqueued = sim.flow.left_unqueued
    judged = started + gave_up + overdue + turned_away + left_unqueued
    level = within / judged if judged else 1.0
    window = sim.window_quantiles_with_gave_up()
    waits = sim.factory_waits.with_gave_up
    counts = sim.counts
    lost = dict(sim.flow.lost_cents, turned_away=sim.arrivals.turned_away_cents)
    m = money(sim) if money_cents is None else money_cents
    rental_revenue = sum(st.rented_revenue_cents for st in stations)
    out = {
        "target_wait_s": service.target_wait_s,
        "target_share": service.target_share,
        "service_level_run": level,
        "service_level_met": within >= service.target_share * judged,
        "orders_judged": judged,
        "orders_waiting_past_target": overdue,
        "orders_turned_away": turned_away,
        "orders_left_unqueued": left_unqueued,
        "window_s": sim.scenario.metrics.window_s,
        "wait_p95_last_window_s": window["p95"],
        "wait_p95_last_window_count": window["count"],
        "wait_p95_run_s": waits.quantile(0.95),
        "customers_lost": counts["rejected"] + counts["left"],
        "customers_turned_away": counts["rejected"],
        "customers_left": counts["left"],
        "orders_failed": counts["refunded_failure"],
        "revenue_lost_cents": sum(lost.values()),
        "revenue_lost_by_cause_cents": lost,
        "margin": m["profit"] / m["revenue"] if m["revenue"] else None,
        "rental_cost_cents": m["rental_cost"],
        "rental_revenue_cents": rental_revenue,
        # the rental budget (0: none) and what is left of it (LiteLLM's "remaining budget")
        "rental_budget_cents": sim.scenario.autoscaler.budget_cents,
        "rental_budget_left_cents": (sim.scenario.autoscaler.budget_cents - m["rental_cost"]
                                     if sim.scenario.autoscaler.budget_cents else None),
        # the alerts on at this instant (their lamps): what may contradict a tile
        "alerts_on": [a.name for a in sim.alerts.items.values() if a.active],
    }
    for alias, key in KPI_ALIASES.items():
        out[alias] = out[key]
    return out
