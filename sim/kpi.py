"""Money so far and the key figures a stakeholder reads in two seconds, defined once.

The dashboard's strip and the JSON summary (``kpi``) both call :func:`kpis`, so the screen
and the report can never disagree.  Everything covers the run so far:

* **service level** -- of the orders that started, gave up waiting, or are still waiting
  past ``service.target_wait_s``, the share that started within it; met when at least
  ``service.target_share`` (an outage shows at once: the queue behind it counts);
* **wait p95** -- the 95th percentile of the wait before production over the live window
  (``metrics.window_s``): the statistic the wait alert compares with the target and the
  wait sparkline draws; ``wait_p95_run_s`` is the same over the whole run, orders that gave
  up counted with the time they had waited;
* **lost** -- customers turned away at the door or gone at the 3x breaker, and the revenue
  lost: what turned-away customers came to buy, and the price of every order refunded
  undelivered (failed after retries, left behind, cancelled);
* **margin** -- profit over revenue;
* **rentals** -- what rented slots cost against the revenue of the orders they delivered,
  and the rental budget with what is left of it (the strip shows cost/budget).
"""

from __future__ import annotations

from typing import Any


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


def kpis(sim, money_cents: dict[str, int] | None = None) -> dict[str, Any]:
    """The key figures now (``money_cents``: :func:`money` if the caller has it already)."""
    stations = list(sim.stations.values())
    service = sim.scenario.service
    started = sum(st.waits.count for st in stations)
    gave_up = sum(st.gave_up.count for st in stations)
    within = sum(st.started_within_target for st in stations)
    # orders still waiting past the target have missed it already
    overdue = sum(st.lanes.waiting_since(sim.now - service.target_wait_s) for st in stations)
    judged = started + gave_up + overdue
    level = within / judged if judged else 1.0
    waits = sim.factory_waits.with_gave_up
    counts = sim.counts
    lost = dict(sim.flow.lost_cents, turned_away=sim.arrivals.turned_away_cents)
    m = money(sim) if money_cents is None else money_cents
    rental_revenue = sum(st.rented_revenue_cents for st in stations)
    return {
        "target_wait_s": service.target_wait_s,
        "target_share": service.target_share,
        "service_level": level,
        "service_level_met": level >= service.target_share,
        "orders_judged": judged,
        "orders_waiting_past_target": overdue,
        "wait_p95_s": sim.window_quantiles()["p95"],
        "wait_p95_window_s": sim.scenario.metrics.window_s,
        "wait_p95_run_s": waits.quantile(0.95),
        "customers_lost": counts["rejected"] + counts["left"],
        "customers_turned_away": counts["rejected"],
        "customers_left": counts["left"],
        "orders_failed": counts["refunded_failure"],
        "revenue_lost_cents": sum(lost.values()),
        "revenue_lost_by_cause_cents": lost,
        "margin": m["profit"] / m["revenue"] if m["revenue"] else 0.0,
        "rental_cost_cents": m["rental_cost"],
        "rental_revenue_cents": rental_revenue,
        # the rental budget (0: none) and what is left of it (LiteLLM's "remaining budget")
        "rental_budget_cents": sim.scenario.autoscaler.budget_cents,
        "rental_budget_left_cents": (sim.scenario.autoscaler.budget_cents - m["rental_cost"]
                                     if sim.scenario.autoscaler.budget_cents else None),
    }
