"""What a sweep measures from each run: a flat row of named numbers taken from the summary.

The summary of ``python -m sim run --json`` (issue 2's contract) is nested; a sweep needs one
vector per run so numpy can stack runs into a ``(points, seeds, metrics)`` array.  The names
here are the CSV's column stems (``image.wait_p95_s`` -> ``image.wait_p95_s_mean`` ...) and
what ``--target`` / ``--metric`` accept.  Money stays in cents, as everywhere in River.
"""

from __future__ import annotations

from typing import Any

from sim.summary import LEAN_SKIPS

# Whole-platform metrics: name -> (description, how to read it from the summary).
# Every figure here covers the whole run (the ``kpi`` figures named ``_window`` do not appear).
PLATFORM = {
    "wait_mean_s": "mean wait before production over the run, orders that started",
    "wait_p95_s": "95th percentile wait before production over the run, orders that started",
    "breaker_asks": "customers asked by the 3x wait breaker",
    "abandon_rate": "share of arrived customers who left at the breaker",
    "reject_rate": "share of arrived customers turned away at the door",
    "rented_slot_hours": "rented slot-hours, all models",
    "revenue_cents": "revenue",
    "refunds_cents": "refunds",
    "upstream_cost_cents": "upstream cost: contract slot fees and task fees",
    "rental_cost_cents": "rented-slot fees",
    "profit_cents": "profit: revenue - upstream - rentals",
    "service_level_run": "share of every order asked for (turned away and left included) "
                         "that started within the target wait, over the run (sim/kpi.py)",
    "wait_p95_run_s": "95th percentile wait over the run, orders that gave up counted with "
                      "the time they waited (kpi.wait_p95_run_s)",
}

# Per-model metrics, named ``MODEL.<name>``.
PER_MODEL = {
    "wait_p95_s": "95th percentile wait of this model's orders that started, over the run",
    "wait_mean_s": "mean wait of this model's orders that started, over the run",
    "utilization": "busy share of this model's slots",
    "rented_slot_hours": "rented slot-hours of this model",
}

ALIASES = {"wait_p95": "wait_p95_s", "wait_mean": "wait_mean_s", "p95": "wait_p95_s",
           "profit": "profit_cents", "revenue": "revenue_cents", "asks": "breaker_asks",
           "abandonment": "abandon_rate", "utilisation": "utilization"}


#: every summary figure :func:`extract` reads (dotted; ``by_model.*`` for each model's):
#: a test feeds it a summary holding only these
SUMMARY_READS = ("wait_seconds.mean", "wait_seconds.p95", "breaker.asked", "customers.arrived",
                 "customers.left", "customers.rejected", "by_model.*.rented_slot_hours",
                 "by_model.*.wait_seconds.p95", "by_model.*.wait_seconds.mean",
                 "by_model.*.utilization", "money_cents.revenue", "money_cents.refunds",
                 "money_cents.upstream_cost", "money_cents.rental_cost", "money_cents.profit",
                 "kpi.service_level_run", "kpi.wait_p95_run_s")


def wants_lean(reads: tuple[str, ...]) -> bool:
    """A run whose summary is read only at ``reads`` can be lean (``Simulation(lean=True)``:
    no log hash, no estimates that nothing acts on) when none of them is what a lean run
    leaves out (:data:`sim.summary.LEAN_SKIPS`); otherwise it must be the full run."""
    return not set(reads) & set(LEAN_SKIPS)


#: the sweep's (and plan's) runs are lean: none of their metrics is a log hash or an
#: estimate-error figure
LEAN = wants_lean(SUMMARY_READS)


def metric_names(models: list[str]) -> list[str]:
    """Every metric, platform first, then per model in the scenario's model order."""
    return [*PLATFORM, *(f"{m}.{k}" for m in models for k in PER_MODEL)]


def extract(summary: dict[str, Any], models: list[str]) -> list[float]:
    """One run's summary as a row in :func:`metric_names` order."""
    c, money, by_model = summary["customers"], summary["money_cents"], summary["by_model"]
    arrived = c["arrived"]
    row = [
        float(summary["wait_seconds"]["mean"]),
        float(summary["wait_seconds"]["p95"]),
        float(summary["breaker"]["asked"]),
        c["left"] / arrived if arrived else 0.0,
        c["rejected"] / arrived if arrived else 0.0,
        float(sum(b.get("rented_slot_hours", 0.0) for b in by_model.values())),
        float(money["revenue"]),
        float(money["refunds"]),
        float(money["upstream_cost"]),
        float(money["rental_cost"]),
        float(money["profit"]),
        float(summary["kpi"]["service_level_run"]),
        float(summary["kpi"]["wait_p95_run_s"]),
    ]
    for m in models:
        b = by_model[m]
        row += [float(b["wait_seconds"]["p95"]), float(b["wait_seconds"]["mean"]),
                float(b["utilization"]), float(b.get("rented_slot_hours", 0.0))]
    return row


def focus_model(keys: tuple[str, ...] | list[str], models: list[str]) -> str | None:
    """The model a sweep is about: the first ``models.NAME.*`` key varied, if any."""
    for key in keys:
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "models" and parts[1] in models:
            return parts[1]
    return None


def resolve(name: str, models: list[str], focus: str | None) -> str:
    """A metric name as the user typed it -> a column stem of :func:`metric_names`.

    Aliases drop units (``wait_p95`` = ``wait_p95_s``); a per-model metric without a model
    (``wait_p95``) means the focus model's when the sweep varies one model's key, so
    ``--target wait_p95<=900 --vary models.image.slots=...`` is about SD1.5's waits.
    Raises ``ValueError`` with one line listing what exists.
    """
    name = name.strip()
    model, _, base = name.rpartition(".")
    base = ALIASES.get(base, base)
    names = metric_names(models)
    if model:
        full = f"{model}.{base}"
        if full in names:
            return full
    elif focus is not None and base in PER_MODEL:
        return f"{focus}.{base}"
    elif base in PLATFORM:
        return base
    per_model = ", ".join(f"MODEL.{k}" for k in PER_MODEL)
    raise ValueError(f"unknown metric {name!r} (allowed: {', '.join(PLATFORM)}, {per_model}; "
                     f"models: {', '.join(models)})")
