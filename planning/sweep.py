"""A sweep: every grid point x every seed, run headless, stacked into one numpy array.

Each run is a :class:`RunTask` -- the fully merged scenario of its grid point (plain data),
a seed and a length -- so it is independent and reproducible anywhere: in this process, in
a worker process or on a Dask worker, it gives the same row.  Results land in
``runs[point, seed, metric]`` by index, never by finishing order, which is why a sweep's
numbers do not depend on the executor or on how many workers it had.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from planning.aggregate import Estimates, confidence_intervals
from planning.grid import Grid
from planning.metrics import LEAN, extract, metric_names
from planning.progress import Progress
from sim import Scenario, run


@dataclass(frozen=True, slots=True)
class RunTask:
    """One simulation run: the scenario (merged raw dict), seed and length in hours."""

    raw: dict[str, Any]
    source: str
    seed: int
    hours: float
    models: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        """Run it: the summary dict of ``python -m sim run --json`` -- of a lean run when
        the sweep's metrics allow (:data:`planning.metrics.LEAN`): every figure they read is
        the full run's, bit for bit."""
        return run(Scenario(self.raw, self.source), seed=self.seed, hours=self.hours, lean=LEAN)


def run_task(task: RunTask) -> list[float]:
    """Run one task and return its metric row (top-level so workers can unpickle it)."""
    return extract(task.summary(), list(task.models))


@dataclass(frozen=True)
class SweepResult:
    """The grid, the seeds, every run's metrics ``runs[point, seed, metric]`` and estimates."""

    grid: Grid
    seeds: tuple[int, ...]
    hours: float
    models: tuple[str, ...]
    metrics: tuple[str, ...]
    runs: np.ndarray
    estimates: Estimates
    wall_s: float
    executor: str  # e.g. "local, 8 workers"

    def column(self, metric: str) -> int:
        return self.metrics.index(metric)


def make_tasks(base: Scenario, grid: Grid, seeds: tuple[int, ...],
               hours: float) -> list[RunTask]:
    """Point-major, seed-minor.  Deriving every point here checks every override before a
    single run starts (a bad key or value is a one-line ``ScenarioError`` right away)."""
    models = tuple(base.models)
    tasks = []
    for point in grid.points():
        scenario = base.derive(grid.overrides(point))
        tasks += [RunTask(scenario.raw, scenario.source, seed, hours, models) for seed in seeds]
    return tasks


def run_sweep(base: Scenario, grid: Grid, seeds: tuple[int, ...], hours: float,
              executor: Any, progress: Progress | None = None,
              tasks: list[RunTask] | None = None) -> SweepResult:
    """Run the grid x seeds on ``executor`` and aggregate (KeyboardInterrupt propagates)."""
    tasks = make_tasks(base, grid, seeds, hours) if tasks is None else tasks
    models = tuple(base.models)
    names = tuple(metric_names(list(models)))
    runs = np.full((len(grid), len(seeds), len(names)), np.nan)
    t0 = time.perf_counter()
    for index, row in executor.run(run_task, tasks):
        point, seed = divmod(index, len(seeds))
        runs[point, seed, :] = row
        if progress is not None:
            progress.advance()
    wall_s = time.perf_counter() - t0
    if np.isnan(runs).any():  # an executor that lost a run must not pass silently
        raise RuntimeError("sweep finished with missing runs")
    label = f"{executor.name}, {executor.workers} worker{'s' if executor.workers != 1 else ''}"
    return SweepResult(grid, tuple(seeds), hours, models, names, runs,
                       confidence_intervals(runs), wall_s, label)
