"""Replaying a request log: the trace's rows become the customers at the door.

:func:`plan` checks the scenario's ``[arrivals.trace]`` when the scenario loads: the file is
streamed once (:func:`sim.trace.scan`) so that a bad row anywhere -- a decreasing timestamp at
row 5000, a model the scenario does not have -- is one line and exit 2 before anything runs;
the same pass gives the span and the per-minute counts the timeline draws.  Scans are cached
by file identity (path, size, modification time, format): a sweep derives the scenario many
times and reads a long trace once.

:class:`TraceFeed` replays the rows during the run, one pending arrival at a time: the next
row is read from the file only when the previous one has arrived (flat memory whatever the
file's length).  A row's time in the run is ``(t - start_s) / speed`` (``t`` from the trace's
first row); ``loop`` starts over after one period.  A row's customer takes its id from the row
number (``loop * rows + row``), so a draw keyed by customer id is keyed by the row.  Rows with
a ``customer`` column join that customer's visit while it is still inside and the previous
row came within ``visit_gap_s``; otherwise a row is a new customer with one order.
"""

from __future__ import annotations

import os
import pathlib
from types import SimpleNamespace
from typing import Any

from sim.trace import Row, Scan, TraceError, open_trace, scan

_CACHE: dict[tuple, Scan] = {}
_CACHE_MAX = 8


def resolve_trace(path: str, base_dir: pathlib.Path) -> pathlib.Path:
    p = pathlib.Path(path)
    return p if p.is_absolute() else base_dir / p


def cached_scan(file: pathlib.Path, fmt: str, shown: str) -> tuple[Scan, str]:
    """The scan of ``file`` (and the preset it was read with), from the cache if unchanged."""
    try:
        st = os.stat(file)
        key = (str(file.resolve()), st.st_size, st.st_mtime_ns, fmt)
    except (OSError, ValueError):
        key = None
    if key is not None and key in _CACHE:
        s = _CACHE[key]
        return s, s.format
    reader = open_trace(file, fmt, shown)
    s = scan(reader)
    if key is not None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = s
    return s, s.format


def plan(t: dict[str, Any], models: dict[str, Any], source: str,
         base_dir: pathlib.Path) -> SimpleNamespace:
    """The checked replay settings: the keys of ``[arrivals.trace]``, the file, its scan."""
    file = resolve_trace(t["path"], base_dir)
    shown = str(t["path"]) if len(str(t["path"])) <= 200 else str(t["path"])[:197] + "..."
    s, preset = cached_scan(file, t["format"], shown)
    model = t["model"]
    col = {"burstgpt": "Model", "river": "model"}.get(preset, "model")
    for name, row in s.models.items():
        if isinstance(model, dict):
            if name not in model:
                raise TraceError(f"{shown}: row {row}, column {col!r}: model {name!r} is not in "
                                 f"arrivals.trace.model (the map has {', '.join(model)})")
        elif name not in models:
            raise TraceError(f"{shown}: row {row}, column {col!r}: model {name!r} is not in "
                             f"the scenario (models: {', '.join(models)}; map trace names "
                             "with arrivals.trace.model)")
    if s.has_service and t["task_time"] == "auto":
        task = "column"
    elif s.has_tokens and t["task_time"] == "auto":
        task = "tokens"
    else:
        task = "drawn" if t["task_time"] == "auto" else t["task_time"]
    if task == "column" and not s.has_service:
        raise TraceError(f"{shown}: row 0, column 'service_s': missing "
                         "(arrivals.trace.task_time = \"column\")")
    if task == "tokens" and not s.has_tokens:
        raise TraceError(f"{shown}: row 0: no token columns (arrivals.trace.task_time = "
                         "\"tokens\")")
    start, window = t["start_s"], t["window_s"]
    if start > s.span_s:
        raise TraceError(f"{shown}: arrivals.trace.start_s = {start:g} is past the trace's "
                         f"end ({s.span_s:.1f} s)")
    end = min(s.span_s, start + window) if window else s.span_s
    mean_gap = s.span_s / (s.rows - 1) if s.rows > 1 else 1.0
    period = window if window else (end - start) + mean_gap
    return SimpleNamespace(**t, file=file, shown=shown, scan=s, preset=preset, task=task,
                           end_s=end, period_s=max(period, 1e-6))


def task_seconds(p: SimpleNamespace, r: Row) -> float:
    """A row's task time by the scenario's rule; -1 = drawn as today."""
    if p.task == "column" and r.service_s is not None:
        return r.service_s
    if p.task == "tokens" and r.context_tokens is not None:
        return (p.base_s + r.context_tokens / p.prefill_tokens_per_s
                + (r.generated_tokens or 0) / p.decode_tokens_per_s)
    return -1.0


def rate_curve(p: SimpleNamespace, bin_s: float = 60.0) -> list[tuple[float, float]]:
    """``(run time, requests per minute)`` per trace minute of the replayed slice (the
    timeline's curve; one loop)."""
    out = []
    pm = p.scan.per_minute
    for minute, n in enumerate(pm):
        t = minute * 60.0
        if t + 60.0 <= p.start_s or t > p.end_s:
            continue
        out.append((max(0.0, t - p.start_s) / p.speed, n * p.speed))
    return out


class TraceFeed:
    """The rows of the trace arriving at the door, one scheduled at a time."""

    def __init__(self, engine, arrivals, scenario) -> None:
        self.engine = engine
        self.arrivals = arrivals
        self.plan = p = scenario.trace
        self.models = scenario.models
        self.speed = p.speed
        self._base_sim = 0.0          # run time of the last speed change
        self._base_trace = 0.0        # replayed trace seconds at that time
        self._rows = self._replayed()
        self._taken = 0               # rows taken from _rows (a fork reads as far again)
        self._next: tuple[int, Row, float] | None = None
        self._token = 0
        self.replayed = 0
        self._visits: dict[str, tuple[Any, float]] = {}   # customer -> (Customer, last row)
        self._visits_swept = 0

    def __deepcopy__(self, memo: dict) -> TraceFeed:
        """A fork's feed (:mod:`sim.twin`): a generator cannot be copied, so the copy opens
        the trace again and reads as many rows as this one took (the rows are a pure
        function of the plan: the same rows, the same order)."""
        import copy
        import itertools

        new = TraceFeed.__new__(TraceFeed)
        memo[id(self)] = new
        for k, v in self.__dict__.items():
            if k != "_rows":
                setattr(new, k, copy.deepcopy(v, memo))
        new._rows = new._replayed()
        if self._taken:
            next(itertools.islice(new._rows, self._taken - 1, None), None)
        return new

    def _replayed(self):
        """``(customer id, row, trace seconds from the start)`` for every replayed row."""
        p = self.plan
        rows = p.scan.rows
        loop = 0
        while True:
            reader = open_trace(p.file, p.preset, p.shown)
            for r in reader.rows():
                if r.t_s < p.start_s:
                    continue
                if r.t_s > p.end_s or (p.window_s and r.t_s >= p.start_s + p.window_s):
                    break
                if p.skip_failed and r.failed:
                    continue
                yield loop * rows + r.row, r, loop * p.period_s + (r.t_s - p.start_s)
            if not p.loop:
                return
            loop += 1

    def due(self, trace_s: float) -> float:
        return self._base_sim + (trace_s - self._base_trace) / self.speed

    def schedule(self) -> None:
        """Read the next row (if none is in hand) and schedule its arrival."""
        self._token += 1
        if self._next is None:
            self._next = next(self._rows, None)
            self._taken += 1
            if self._next is None:
                return
        due = max(self.engine.now, self.due(self._next[2]))
        self.engine.at(due, self._on_row, self._token)

    def set_speed(self, speed: float) -> None:
        """Play the rest of the trace ``speed`` times as fast (the spawn-rate slider)."""
        now = self.engine.now
        self._base_trace += (now - self._base_sim) * self.speed
        self._base_sim = now
        self.speed = max(1e-3, speed)
        if self._next is not None:
            self.schedule()

    def _on_row(self, token: int) -> None:
        if token != self._token or self._next is None:
            return
        cid, r, _ = self._next
        self._next = None
        self.replayed += 1
        p = self.plan
        model = self._model_of(r)
        task_s = task_seconds(p, r)
        now = self.engine.now
        if r.customer is not None:
            open_ = self._visits.get(r.customer)
            if open_ is not None:
                cust, last = open_
                if cust.id in self.arrivals.visitors.inside and now - last <= p.visit_gap_s:
                    self._visits[r.customer] = (cust, now)
                    self.arrivals.add_order(cust, model or cust.orders[0].model, task_s, now)
                    self.schedule()
                    return
        self.schedule()
        cust = self.arrivals.arrive_row(cid, r, model, task_s, now)
        if r.customer is not None and cust is not None:
            self._visits[r.customer] = (cust, now)
            if len(self._visits) > 2 * self._visits_swept + 1024:
                inside = self.arrivals.visitors.inside
                self._visits = {k: v for k, v in self._visits.items()
                                if v[0].id in inside and now - v[1] <= p.visit_gap_s}
                self._visits_swept = len(self._visits)

    def _model_of(self, r: Row) -> str | None:
        """The River model of a row; None: drawn from the mix as today."""
        m = self.plan.model
        if r.model is not None:
            return m[r.model] if isinstance(m, dict) else r.model
        if isinstance(m, str) and m:
            return m
        return None

