"""``python -m sim compare``: one change against its base, on the same seeds, with paired CIs.

"Is 25 SD1.5 slots better than 20?"  Both runs of a seed meet the same customers with the same
luck (keyed draws, :mod:`sim.rng`: arrivals, shopping lists, every order's task time and
outcome per attempt, every retry's jitter), so the per-seed *difference* changed - base is
mostly the change and little of the dice.  Its Student-t interval over the seeds (the paired
CI) is therefore much narrower than the interval an unpaired comparison of the same runs
would give (the two-sample pooled t interval, as if base and changed had been run on
unrelated seeds).  Both half-widths are reported, and their ratio: the smaller the ratio, the
more the pairing bought.

Runs go through the sweep's executors (:mod:`planning.executors`): in this process, local
workers or a Dask cluster; results land by index, so the numbers never depend on the
executor.  Every run is a :class:`CompareTask`: plain data, picklable.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from planning.aggregate import t_quantile
from planning.metrics import wants_lean
from sim import Scenario, Simulation
from sim.commands import Command
from sim.scenario import ScenarioError, check_consistency, parse_literal, set_key


class CompareError(ValueError):
    """A bad ``--change``; ``str(err)`` is the one line to show."""


def metric_names(models: list[str]) -> list[str]:
    """What compare reports, overall first, then per model (``image.wait_p95_s``)."""
    return ["wait_p50_s", "wait_p95_s", *(f"{m}.{k}" for m in models
                                          for k in ("wait_p50_s", "wait_p95_s")),
            "customers_lost", "revenue_cents", "costs_cents", "profit_cents", "service_level"]


def extract(summary: dict[str, Any], models: list[str]) -> list[float]:
    """One run's summary as a row in :func:`metric_names` order.  ``customers_lost``: turned
    away at the door or left at the breaker; ``costs_cents``: upstream (slot contracts, task
    fees) plus rentals, what profit subtracts from revenue."""
    waits, money, kpi = summary["wait_seconds"], summary["money_cents"], summary["kpi"]
    row = [float(waits["p50"]), float(waits["p95"])]
    for m in models:
        w = summary["by_model"][m]["wait_seconds"]
        row += [float(w["p50"]), float(w["p95"])]
    row += [float(kpi["customers_lost"]), float(money["revenue"]),
            float(money["upstream_cost"] + money["rental_cost"]), float(money["profit"]),
            float(kpi["service_level"])]
    return row


#: every summary figure :func:`extract` reads (dotted; ``by_model.*``: each model's)
SUMMARY_READS = ("wait_seconds.p50", "wait_seconds.p95", "by_model.*.wait_seconds.p50",
                 "by_model.*.wait_seconds.p95", "kpi.customers_lost", "money_cents.revenue",
                 "money_cents.upstream_cost", "money_cents.rental_cost", "money_cents.profit",
                 "kpi.service_level")
#: compare's runs are lean: none of its metrics is a log hash or an estimate-error figure
LEAN = wants_lean(SUMMARY_READS)


@dataclass(frozen=True, slots=True)
class CompareTask:
    """One run: a merged scenario (raw dict), seed, length in seconds, operator commands."""

    raw: dict[str, Any]
    source: str
    seed: int
    seconds: float
    commands: tuple[Command, ...]
    models: tuple[str, ...]


def run_task(task: CompareTask) -> list[float]:
    """Run one task; its metric row (top level, so worker processes can unpickle it)."""
    sim = Simulation(Scenario(task.raw, task.source), seed=task.seed,
                     commands=list(task.commands), lean=LEAN)
    sim.advance_to(task.seconds)
    return extract(sim.summary(), list(task.models))


def apply_changes(base: Scenario, changes: list[str]) -> tuple[Scenario, dict[str, Any]]:
    """The changed scenario and ``{key: value}`` of each ``--change K=V``.  One line (a
    :class:`CompareError`) for an unknown key or model, a value out of range, a ``run.*``
    key (seeds and length are flags), or a value equal to the base's (nothing to compare)."""
    raw = copy.deepcopy(base.raw)
    done: dict[str, Any] = {}
    where = f"{base.source} (--change)"
    for item in changes:
        if "=" not in item:
            raise CompareError(f"--change {item!r}: expected KEY=VALUE, "
                               "e.g. models.image.slots=25")
        key, text = (s.strip() for s in item.split("=", 1))
        if key.startswith("run."):
            raise CompareError(f"--change {key}: the run.* keys would not change the runs; "
                               "use --hours/--seconds, --seeds and --first-seed")
        if key in done:
            raise CompareError(f"--change {key}: given twice")
        try:
            set_key(raw, key, parse_literal(text), where)
        except ScenarioError as e:
            raise CompareError(str(e)) from None
        value = _get(raw, key)
        if value == _get(base.raw, key):
            raise CompareError(f"--change {key}={text}: equal to the base value "
                               f"({_get(base.raw, key)!r}); nothing would change")
        done[key] = value
    try:
        check_consistency(raw, where)
    except ScenarioError as e:
        raise CompareError(str(e)) from None
    return Scenario(raw, base.source), done


def _get(raw: dict[str, Any], dotted: str) -> Any:
    node: Any = raw
    for part in dotted.split("."):
        node = node[part]
    return node


@dataclass(frozen=True)
class Comparison:
    """Per metric over the seeds: base and changed means, the paired difference's mean and
    95% CI half-width, and the unpaired half-width of the same runs."""

    metrics: tuple[str, ...]
    seeds: tuple[int, ...]
    base: np.ndarray        # (seeds, metrics)
    changed: np.ndarray
    wall_s: float
    executor: str

    def rows(self) -> dict[str, dict[str, float | None]]:
        n = len(self.seeds)
        t_paired = t_quantile(0.975, n - 1)
        t_unpaired = t_quantile(0.975, 2 * n - 2)
        diff = self.changed - self.base
        out = {}
        for j, name in enumerate(self.metrics):
            b, c, d = self.base[:, j], self.changed[:, j], diff[:, j]
            paired = t_paired * float(np.std(d, ddof=1)) / math.sqrt(n)
            # two independent samples of n: pooled variance, 2n - 2 degrees of freedom
            pooled = (float(np.var(b, ddof=1)) + float(np.var(c, ddof=1))) / 2.0
            unpaired = t_unpaired * math.sqrt(2.0 * pooled / n)
            sb, sc = float(np.std(b, ddof=1)), float(np.std(c, ddof=1))
            out[name] = {
                "base_mean": float(np.mean(b)),
                "changed_mean": float(np.mean(c)),
                "diff_mean": float(np.mean(d)),
                "diff_ci95_halfwidth": paired,
                "unpaired_ci95_halfwidth": unpaired,
                "ratio": paired / unpaired if unpaired > 0 else None,
                "correlation": (float(np.corrcoef(b, c)[0, 1]) if sb > 0 and sc > 0
                                else None),
                "pairing_floor": pairing_floor(sb, sc, t_paired, t_unpaired),
            }
        return out


def pairing_floor(sd_base: float, sd_changed: float, t_paired: float,
                  t_unpaired: float) -> float | None:
    """The smallest paired/unpaired ratio any pairing could give these two spreads.

    ``var(changed - base) = sb^2 + sc^2 - 2 r sb sc >= (sc - sb)^2`` (``r <= 1``): pairing
    removes the variance the two runs of a seed share, never the part one side has and
    the other lacks.  When one side barely varies -- a wait p95 pinned at the 3x bound,
    where the breaker asks every customer -- the floor is near 1 whatever the keyed draws
    do; the ratio is then judged against this floor (and the correlation), not against 1.
    """
    spread = math.sqrt(sd_base * sd_base + sd_changed * sd_changed)
    if spread <= 0:
        return None
    return t_paired / t_unpaired * abs(sd_changed - sd_base) / spread


def make_tasks(base: Scenario, changed: Scenario, seeds: tuple[int, ...], seconds: float,
               commands: tuple[Command, ...]) -> list[CompareTask]:
    """Base runs first, then changed, each in seed order (index = side * n + seed index)."""
    models = tuple(base.models)
    return [CompareTask(sc.raw, sc.source, seed, seconds, commands, models)
            for sc in (base, changed) for seed in seeds]


def run_compare(base: Scenario, changed: Scenario, seeds: tuple[int, ...], seconds: float,
                commands: tuple[Command, ...], executor: Any, progress=None) -> Comparison:
    """Run base and changed on every seed on ``executor`` (KeyboardInterrupt propagates)."""
    tasks = make_tasks(base, changed, seeds, seconds, commands)
    names = tuple(metric_names(list(base.models)))
    runs = np.full((2, len(seeds), len(names)), np.nan)
    t0 = time.perf_counter()
    for index, row in executor.run(run_task, tasks):
        side, seed = divmod(index, len(seeds))
        runs[side, seed, :] = row
        if progress is not None:
            progress.advance()
    if np.isnan(runs).any():
        raise RuntimeError("compare finished with missing runs")
    label = f"{executor.name}, {executor.workers} worker{'s' if executor.workers != 1 else ''}"
    return Comparison(names, tuple(seeds), runs[0], runs[1], time.perf_counter() - t0, label)


def _num(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:,.{digits}f}"


def table_text(result: Comparison, labels: dict[str, str] | None = None) -> str:
    """One line per metric: means, the paired difference ± its CI, the unpaired ±, ratio."""
    labels = labels or {}
    rows = result.rows()
    head = ("metric", "base", "changed", "diff", "±paired", "±unpaired", "ratio", "corr",
            "floor")
    lines = []
    for name, r in rows.items():
        model, _, stem = name.rpartition(".")
        shown = f"{labels.get(model, model)} {stem}" if model else name
        digits = 3 if stem == "service_level" else 1
        lines.append((shown, _num(r["base_mean"], digits), _num(r["changed_mean"], digits),
                      _num(r["diff_mean"], digits), _num(r["diff_ci95_halfwidth"], digits),
                      _num(r["unpaired_ci95_halfwidth"], digits), _num(r["ratio"], 2),
                      _num(r["correlation"], 2), _num(r["pairing_floor"], 2)))
    widths = [max(len(row[i]) for row in [head, *lines]) for i in range(len(head))]
    out = []
    for row in [head, *lines]:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        out.append("  ".join(cells))
    return "\n".join(out)


def to_json(result: Comparison, scenario: str, sets: list[str], changes: dict[str, Any],
            seconds: float, commands: str | None) -> dict[str, Any]:
    """The ``--json`` document: ``metrics.<name>.{base_mean, changed_mean, diff_mean,
    diff_ci95_halfwidth, unpaired_ci95_halfwidth, ratio, correlation, pairing_floor}``,
    ``seeds``, ``changes``,
    ``scenario`` (and beside them ``sets``, ``seconds``, ``commands``)."""
    return {"scenario": scenario, "sets": list(sets), "changes": changes,
            "seeds": list(result.seeds), "seconds": seconds, "commands": commands,
            "metrics": result.rows()}
