"""``python -m sim validate``: the simulation core against queueing theory, as a table.

Textbook systems built from ``scenarios/mmc.toml`` (every River feature off, exponential
service, one order per customer), several seeds each, run in parallel:

* M/M/c at three loads -- mean wait vs Erlang C (tolerance 5%);
* Little's law on each run -- time-average queue length vs arrival rate x mean wait (3%);
* two-class non-preemptive priority -- VIP customers in the VIP lane (aging pushed out of
  reach), each class's mean wait vs Cobham's formula (5%).

Run lengths are counted in customers, chosen so the standard error of each estimate is about
2% (two and a half of them fit in the 5% tolerance) while the whole report stays under a
minute on two cores.  The model's column shows the mean with its 95% CI over seeds.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from planning.aggregate import confidence_intervals
from planning.progress import Progress
from planning.sweep import RunTask
from planning.theory import mmc_mean_wait, priority_mean_waits, relative_error
from sim import load_scenario

MMC_SCENARIO = "scenarios/mmc.toml"
AGING_OFF_S = 604800.0  # the schema's maximum: a week, far beyond any wait here


@dataclass(frozen=True, slots=True)
class Case:
    """One textbook system: ``c`` slots, Poisson ``lam``/s, exponential ``mu``/s per slot;
    ``vip_share`` > 0 makes it the two-class priority system."""

    name: str
    c: int
    lam: float
    mu: float
    customers: int  # per case, summed over seeds
    vip_share: float = 0.0

    @property
    def rho(self) -> float:
        return self.lam / (self.c * self.mu)

    def overrides(self) -> list[str]:
        sets = [f"models.job.slots={self.c}", f"arrivals.rate_per_min={self.lam * 60.0!r}",
                f"models.job.mean_task_s={1.0 / self.mu!r}"]
        if self.vip_share:
            sets += [f"arrivals.vip_share={self.vip_share!r}", f"queue.aging_s={AGING_OFF_S!r}"]
        return sets

    def label(self) -> str:
        text = f"c={self.c} λ={self.lam:g} μ={self.mu:g} ρ={self.rho:.2f}"
        return text + (f" VIP {self.vip_share:.0%}" if self.vip_share else "")


# Measured relative SD of the mean wait over one 10k-customer run: ~6% at c=2 rho=.5, ~8% at
# c=4 rho=.6, ~13% at c=2 rho=.7, 6-8% per class in the priority system.  The sizes below
# give standard errors of about 1.5-2.5% (measured over 8 seeds): ~55 s of CPU, ~30 s on two
# quiet cores, 53 s measured on two cores shared with other jobs.
CASES = (
    Case("mmc-low", c=2, lam=1.0, mu=1.0, customers=150_000),
    Case("mmc-mid", c=4, lam=2.4, mu=1.0, customers=280_000),
    Case("mmc-high", c=2, lam=1.4, mu=1.0, customers=400_000),
    Case("priority", c=2, lam=1.2, mu=1.0, customers=300_000, vip_share=0.3),
)
WAIT_TOLERANCE = 0.05
LITTLE_TOLERANCE = 0.03
PRIORITY_TOLERANCE = 0.05


def run_case(task: RunTask) -> list[float]:
    """One run: [mean wait, count, time-avg queue, arrival rate, vip mean, vip count,
    normal mean, normal count, CPU seconds] of the ``job`` model."""
    cpu0 = time.process_time()
    s = task.summary()
    job = s["by_model"]["job"]
    lanes = job["lanes"]
    return [float(job["wait_seconds"]["mean"]), float(lanes["vip"]["count"]
                                                     + lanes["normal"]["count"]),
            float(s["queue_length_time_avg"]), float(s["arrival_rate_per_s"]),
            float(lanes["vip"]["mean"]), float(lanes["vip"]["count"]),
            float(lanes["normal"]["mean"]), float(lanes["normal"]["count"]),
            time.process_time() - cpu0]


@dataclass(frozen=True, slots=True)
class Check:
    check: str
    system: str
    model: float
    model_half: float  # 95% CI half-width over seeds (NaN if not measured)
    theory: float
    tolerance: float

    @property
    def error(self) -> float:
        return relative_error(self.model, self.theory)

    @property
    def passed(self) -> bool:
        return abs(self.error) <= self.tolerance


@dataclass(frozen=True)
class Report:
    checks: list[Check]
    cpu_s: float  # simulation CPU time summed over every run (wall time depends on the load)


def make_tasks(cases: tuple[Case, ...], seeds: int, scale: float,
               scenario_path: str = MMC_SCENARIO) -> list[tuple[int, RunTask]]:
    base = load_scenario(scenario_path)
    tasks = []
    for k, case in enumerate(cases):
        scenario = base.derive(case.overrides())
        hours = case.customers * scale / seeds / case.lam / 3600.0
        tasks += [(k, RunTask(scenario.raw, scenario.source, seed, hours))
                  for seed in range(1, seeds + 1)]
    return tasks


def checks_for(case: Case, rows: np.ndarray) -> list[Check]:
    """The table rows of one case from its runs ``rows[seed, field]``."""
    wait, count, lq, lam_hat = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
    est = confidence_intervals(rows[None, :, :])
    half = est.half[0]
    pooled_wait = float((wait * count).sum() / count.sum()) if count.sum() else 0.0
    out = []
    if not case.vip_share:
        out.append(Check("M/M/c mean wait vs Erlang C", case.label(), pooled_wait,
                         float(half[0]), mmc_mean_wait(case.c, case.lam, case.mu),
                         WAIT_TOLERANCE))
    else:
        w_vip, w_norm = priority_mean_waits(
            case.c, [case.lam * case.vip_share, case.lam * (1 - case.vip_share)], case.mu)
        for name, col, theory in (("VIP", 4, w_vip), ("normal", 6, w_norm)):
            n = rows[:, col + 1]
            pooled = float((rows[:, col] * n).sum() / n.sum()) if n.sum() else 0.0
            out.append(Check(f"priority {name} wait vs Cobham", case.label(), pooled,
                             float(half[col]), theory, PRIORITY_TOLERANCE))
    little = float((lam_hat * wait).mean())
    out.append(Check("Little's law Lq vs λ·Wq", case.label(), float(lq.mean()), float(half[2]),
                     little, LITTLE_TOLERANCE))
    return out


def run_validation(executor: Any, seeds: int = 8, scale: float = 1.0,
                   cases: tuple[Case, ...] | None = None, progress: bool = True) -> Report:
    """Run every case x seed on ``executor``; the checks come in table order."""
    cases = CASES if cases is None else cases
    tagged = make_tasks(cases, seeds, scale)
    # Longest runs first so the last worker to finish is not stuck with a big one.
    order = sorted(range(len(tagged)), key=lambda i: -tagged[i][1].hours * cases[tagged[i][0]].lam)
    bar = Progress(len(tagged), "validate", enabled=progress)
    results: list[list[float] | None] = [None] * len(tagged)
    try:
        for i, row in executor.run(run_case, [tagged[k][1] for k in order]):
            results[order[i]] = row
            bar.advance()
    except BaseException:
        bar.finish(interrupted=True)
        raise
    bar.finish()
    checks = []
    for k, case in enumerate(cases):
        rows = np.array([results[i] for i in range(len(tagged)) if tagged[i][0] == k])
        checks += checks_for(case, rows)
    return Report(checks, float(sum(r[8] for r in results if r is not None)))


def _num(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    return f"{x:.4f}" if abs(x) < 100 else f"{x:,.1f}"


def table(checks: list[Check]) -> str:
    """The report: check, system, model (± 95% CI), theory, error %, tolerance, pass/fail."""
    header = ["check", "system", "model (95% CI)", "theory", "error", "tol", "result"]
    rows = [[c.check, c.system, f"{_num(c.model)} ±{_num(c.model_half)}", _num(c.theory),
             f"{c.error:+.2%}", f"{c.tolerance:.0%}", "pass" if c.passed else "FAIL"]
            for c in checks]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    align = [str.ljust, str.ljust, str.rjust, str.rjust, str.rjust, str.rjust, str.ljust]
    lines = ["  ".join(a(h, w) for a, h, w in zip(align, header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(a(c, w) for a, c, w in zip(align, r, widths, strict=True)) for r in rows]
    return "\n".join(lines)
