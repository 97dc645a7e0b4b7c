"""The run summary: the JSON of ``python -m sim run --json`` and its readable table.

Field names are a contract other tools read (``planning/``, CI checks): keep them, add
beside them.  ``wait_seconds`` covers orders that started production (submission to start);
``wait_seconds_with_gave_up`` adds, for orders refunded before they ever started, the time they
had waited -- with the 3x breaker on, the first alone looks better the more people leave.
Every figure outside ``kpi`` covers the whole run.  ``kpi`` (:mod:`sim.kpi`) names its window
figures ``..._last_window...`` and its run figures ``..._run...``; its older keys stay as
aliases (``kpi.wait_p95_s`` = ``kpi.wait_p95_last_window_s``, the last window's, not the
run's; ``kpi.service_level`` = ``kpi.service_level_run``; see ``sim.kpi.KPI_ALIASES``).
Identities that must hold at any instant (tests check them):
``orders.submitted = delivered + declined + refunded_* + in_flight`` and
``money.wallets_initial = wallets_final + held_open + revenue``.
"""

from __future__ import annotations

from typing import Any

from sim.customers import CustomerState
from sim.kpi import kpis, money
from sim.metrics import Histogram
from sim.orders import TERMINAL


def _wait(hist) -> dict[str, float]:
    return {"mean": hist.mean(), "p50": hist.quantile(0.5), "p95": hist.quantile(0.95),
            "p99": hist.quantile(0.99)}


def model_summary(st, now: float) -> dict[str, Any]:
    """One model's figures (``by_model.<name>`` in the JSON)."""
    vip, normal = st.lane_sum["vip"], st.lane_sum["normal"]
    return {
        "label": st.label,
        "slots_base": st.base_target,
        "rented_peak": st.rented_peak,
        "rented_slot_hours": st.billed_rented.integral(now) / 3600.0,
        "utilization": st.utilization(now),
        "delivered": st.delivered,
        "failed_calls": st.failed,
        "throttled_calls": st.throttled,
        "retries": st.retries,
        "circuit_trips": st.breaker.trips,
        "queue_length_time_avg": st.queued.integral(now) / now if now else 0.0,
        "wait_seconds": _wait(st.waits),
        "gave_up": {"count": st.gave_up.count, "mean_wait_s": st.gave_up.mean()},
        "wait_seconds_with_gave_up": _wait(Histogram.merged((st.waits, st.gave_up))),
        "lanes": {"vip": {"mean": vip[0] / vip[1] if vip[1] else 0.0, "count": vip[1]},
                  "normal": {"mean": normal[0] / normal[1] if normal[1] else 0.0,
                             "count": normal[1]}},
        "rent_events": st.rent_events,
        "return_events": st.return_events,
        "started_within_target": st.started_within_target,
        "rented_revenue_cents": st.rented_revenue_cents,
    }


#: what a lean run (``Simulation(lean=True)``) may leave out of its summary, as dotted paths:
#: the event log's hash (never made), and the estimate-error figures (left out when the run
#: made no wait estimates -- nothing acted on them).  Planning reads none of them
#: (planning/metrics.py ``SUMMARY_READS``), so it asks for lean runs.
LEAN_SKIPS = ("event_log_sha256", "breaker.estimate_mean_abs_error_s",
              "breaker.estimate_mean_error_s", "breaker.estimates_measured",
              "breaker.estimate_coverage_80", "breaker.estimate_sharpness",
              "breaker.estimates_ranged")


def summarize(sim, wall_seconds: float) -> dict[str, Any]:
    now = sim.engine.now
    n = sim.counts
    in_flight = sum(1 for c in sim.customers.values() for o in c.orders
                    if o.state not in TERMINAL)
    by_model = {st.name: model_summary(st, now) for st in sim.stations.values()}
    est = sim.estimate_error()
    out = {
        "scenario": sim.scenario.source,
        "seed": sim.seed,
        "sim_seconds": now,
        "wall_seconds": wall_seconds,
        "events": sim.log.total(),
        "event_log_sha256": None if sim.lean else sim.log.sha256(),
        "customers": {
            "arrived": n["arrived"], "rejected": n["rejected"], "left": n["left"],
            "done": n["done"], "in_building": len(sim.customers),
            "rejected_by_reason": {"rate_limited": n["rate_limited"],
                                   "lobby_full": n["lobby_full"]},
        },
        "orders": {
            "submitted": n["submitted"], "delivered": n["delivered"], "declined": n["declined"],
            "refunded_failure": n["refunded_failure"], "refunded_abandon": n["refunded_abandon"],
            "refunded_cancel": n["refunded_cancel"], "in_flight": in_flight,
            "retries": n["retries"], "dead_letters": n["dead_letters"],
        },
        "wait_seconds": _wait(sim.waits()),
        "wait_seconds_with_gave_up": _wait(sim.factory_waits.with_gave_up),
        "queue_length_time_avg": (sum(st.queued.integral(now) for st in sim.stations.values())
                                  / now if now else 0.0),
        "arrival_rate_per_s": n["enqueued"] / now if now else 0.0,
        "by_model": by_model,
        "money_cents": money(sim),
        "breaker": {"asked": n["asked"], "stayed": n["stayed"],
                    "left": n["left"]} | ({} if est is None else {
                    "estimate_mean_abs_error_s": est["mean_abs_error_s"],
                    "estimate_mean_error_s": est["mean_error_s"],
                    "estimates_measured": est["count"],
                    "estimate_coverage_80": est["coverage_80"],
                    "estimate_sharpness": est["sharpness"],
                    "estimates_ranged": est["ranged"]}),
        "autoscaler": {"rent_events": sum(m["rent_events"] for m in by_model.values()),
                       "return_events": sum(m["return_events"] for m in by_model.values())},
        "alerts_fired": sim.alerts.fired,
        "ledger_balanced": sim.ledger.is_balanced(),
        "kpi": kpis(sim),
    }
    if sim.lean:
        del out["event_log_sha256"]
        out["lean"] = {"skipped": list(LEAN_SKIPS if est is None else LEAN_SKIPS[:1])}
    return out


def _cents(c: int) -> str:
    sign = "-" if c < 0 else ""
    return f"{sign}${abs(c) // 100:,}.{abs(c) % 100:02d}"


def table(s: dict[str, Any]) -> str:
    """A readable summary for the terminal."""
    c, o, w, m = s["customers"], s["orders"], s["wait_seconds"], s["money_cents"]
    lines = [
        f"River Factory run: {s['scenario']}  seed={s['seed']}  "
        f"{s['sim_seconds'] / 3600:.2f} sim-hours in {s['wall_seconds']:.2f} s wall, "
        f"{s['events']:,} events",
        f"event log sha256 {s.get('event_log_sha256') or 'not made (lean run)'}",
        "",
        f"customers  arrived {c['arrived']:>7,}  rejected {c['rejected']:>6,}  left {c['left']:>6,}"
        f"  done {c['done']:>7,}  inside {c['in_building']:>5,}",
        f"orders     placed  {o['submitted']:>7,}  delivered {o['delivered']:>7,}  declined "
        f"{o['declined']:>5,}  refunded fail/abandon/cancel {o['refunded_failure']:,}/"
        f"{o['refunded_abandon']:,}/{o['refunded_cancel']:,}  in flight {o['in_flight']:,}",
        f"wait       mean {w['mean']:8.1f} s  p50 {w['p50']:8.1f}  p95 {w['p95']:8.1f}  "
        f"p99 {w['p99']:8.1f}   retries {o['retries']:,}  dead letters {o['dead_letters']:,}",
        "",
        f"{'model':<8}{'label':<10}{'slots':>6}{'rented':>8}{'util':>7}{'delivered':>11}"
        f"{'wait p50':>10}{'wait p95':>10}{'vip mean':>10}{'norm mean':>10}",
    ]
    for name, b in s["by_model"].items():
        ws = b["wait_seconds"]
        lines.append(
            f"{name:<8}{b['label']:<10}{b['slots_base']:>6}{b['rented_peak']:>8}"
            f"{b['utilization']:>7.0%}{b['delivered']:>11,}{ws['p50']:>10.1f}{ws['p95']:>10.1f}"
            f"{b['lanes']['vip']['mean']:>10.1f}{b['lanes']['normal']['mean']:>10.1f}")
    br = s["breaker"]
    error = (f"estimate error {br['estimate_mean_abs_error_s']:.1f} s (mean abs), 80% range "
             f"held {br['estimate_coverage_80']:.0%}" if "estimate_mean_abs_error_s" in br
             else "no estimates made (lean run)")
    lines += [
        "",
        f"breaker    asked {br['asked']:,}  stayed {br['stayed']:,}  {error}   "
        f"autoscaler rent/return "
        f"{s['autoscaler']['rent_events']}/{s['autoscaler']['return_events']}",
        f"money      revenue {_cents(m['revenue'])}  upstream {_cents(m['upstream_cost'])}  "
        f"rentals {_cents(m['rental_cost'])}  refunds {_cents(m['refunds'])}  "
        f"profit {_cents(m['profit'])}",
        f"           wallets in {_cents(m['wallets_initial'])} = out {_cents(m['wallets_final'])}"
        f" + held {_cents(m['held_open'])} + revenue {_cents(m['revenue'])}"
        f"   ledger {'balanced' if s['ledger_balanced'] else 'NOT BALANCED'}",
    ]
    return "\n".join(lines)


__all__ = ["CustomerState", "money", "summarize", "table"]
