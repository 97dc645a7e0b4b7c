"""``python -m sim sweep | plan | validate | compare``: the planning tools' command lines.

``sim/__main__.py`` calls :func:`main` when one of these subcommands is asked for (``sim``
itself never imports ``planning``).  The parser is ``sim.cli``'s: every user mistake becomes a
``sim.cli.UsageError`` -- one line on stderr, exit status 2 -- and Ctrl-C exits 130 with
nothing half-written.  Flags are checked by :class:`sim.schema.Spec` bounds, like file keys:
``--hours`` as ``run.hours``, ``--seed-base`` as ``run.seed``.
"""

from __future__ import annotations

import argparse
import sys
import time

from planning.executors import ExecutorError, make_executor
from planning.grid import Grid, GridError, format_value, make_grid
from planning.metrics import focus_model, resolve
from planning.output import (
    OutputError,
    check_writable,
    csv_text,
    headline_metrics,
    table_text,
    write_text_atomic,
)
from planning.plan import confident_meets, parse_target
from planning.progress import Progress
from sim import load_scenario, schema
from sim.cli import SECONDS as SECONDS_SPEC
from sim.cli import Parser, UsageError, add_scenario_args, path_arg, run_main, spec_arg
from sim.schema import Spec

HOURS = Spec(float, None, 0.001, schema.RUN["hours"].hi)  # a run of 0 h has no metrics
SEEDS = Spec(int, None, 1, 10_000)
COMPARE_SEEDS = Spec(int, None, 2, 10_000)  # a paired CI needs two differences at least
SEED_BASE = Spec(int, 1, 0, schema.RUN["seed"].hi)
WORKERS = Spec(int, None, 1, 1024)
SCALE = Spec(float, 1.0, 0.001, 100.0)
MAX_RUNS = 1_000_000  # grid points x seeds: the task list is built before the first run


def _run_args(p: argparse.ArgumentParser, default_seeds: int) -> None:
    add_scenario_args(p)
    p.add_argument("--vary", metavar="KEY=START:STOP:STEP", action="append", default=[],
                   help="a scenario key and its values, STOP included (repeatable); "
                        "KEY=V1,V2,... lists values")
    p.add_argument("--seeds", type=spec_arg(SEEDS), default=default_seeds,
                   help=f"replications per grid point (default {default_seeds})")
    p.add_argument("--seed-base", type=spec_arg(SEED_BASE), default=1, metavar="N",
                   help="seeds are N, N+1, ... (default 1); the same at every grid point")
    p.add_argument("--hours", type=spec_arg(HOURS), default=None,
                   help="simulated hours per run (default: the scenario's run.hours)")
    p.add_argument("--model", metavar="NAME", default=None,
                   help="the model the table is about (default: the one whose key varies)")
    _executor_args(p)
    p.add_argument("--csv", metavar="PATH", type=path_arg,
                   help="write one row per grid point (atomically)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _executor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=spec_arg(WORKERS), default=None,
                   help="worker processes (default: all cores; 1 = run in this process)")
    p.add_argument("--executor", metavar="SPEC", default="local",
                   help="'local' (default) or dask://HOST:PORT for a Dask cluster")


def build_parser() -> Parser:
    """``python -m sim`` with the planning subcommands (``run`` is ``sim.cli``'s)."""
    p = Parser(prog="python -m sim", description="River Factory planning tools.")
    add_subcommands(p.add_subparsers(dest="cmd", parser_class=Parser, required=True))
    return p


def main(argv: list[str] | None = None) -> int:
    """``python -m sim sweep|plan|validate|compare ...``: the exit status."""
    return run_main(build_parser(), argv, lambda args: args.func(args))


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    """Add ``sweep``, ``plan``, ``validate`` and ``compare`` to a ``python -m sim`` parser."""
    s = sub.add_parser("sweep", help="run a grid of scenario values x seeds, aggregate, plot",
                       description="Run the grid x seeds headless in parallel; print mean and "
                                   "95% CI per grid point; write a CSV and a heatmap.")
    _run_args(s, default_seeds=5)
    s.add_argument("--png", metavar="PATH", type=path_arg,
                   help="render a heatmap of --metric (1 or 2 keys)")
    s.add_argument("--metric", default="wait_p95",
                   help="metric of the heatmap (default wait_p95: the varied model's)")
    s.add_argument("--target", metavar="METRIC<=VALUE", default=None,
                   help="frame the heatmap cells that meet this target")
    s.add_argument("--title", default=None, help="heatmap title")
    s.set_defaults(func=cmd_sweep)

    p = sub.add_parser("plan", help="smallest capacity meeting a target, with its CI and cost",
                       description="Sweep one capacity key and print the smallest value whose "
                                   "95% CI meets the target, with what it costs.")
    _run_args(p, default_seeds=5)
    p.add_argument("--target", metavar="METRIC<=VALUE", required=True,
                   help="e.g. wait_p95<=900 (seconds; the varied model's p95 wait)")
    p.set_defaults(func=cmd_plan)

    v = sub.add_parser("validate", help="the core vs queueing theory: table, pass/fail",
                       description="M/M/c vs Erlang C, Little's law, two-class priority vs "
                                   "Cobham; exits 1 if a check fails.")
    v.add_argument("--seeds", type=spec_arg(SEEDS), default=8, help="seeds per system (8)")
    v.add_argument("--scale", type=spec_arg(SCALE), default=1.0,
                   help="multiply every run length (default 1; smaller is faster, noisier)")
    _executor_args(v)
    v.add_argument("--quiet", action="store_true", help="no progress bar")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("compare", help="a change against its base on the same seeds: paired CIs",
                       description="Run the base and the changed scenario on the same seeds "
                                   "(same customers, same luck) and print per metric both "
                                   "means, the paired difference with its 95% CI, the CI an "
                                   "unpaired comparison would have had, and their ratio.")
    add_scenario_args(c)
    c.add_argument("--seeds", type=spec_arg(COMPARE_SEEDS), default=10,
                   help="seeds, each run base and changed (default 10, at least 2)")
    c.add_argument("--first-seed", type=spec_arg(SEED_BASE), default=1, metavar="N",
                   help="seeds are N, N+1, ... (default 1)")
    span = c.add_mutually_exclusive_group()
    span.add_argument("--hours", type=spec_arg(HOURS), default=None,
                      help="simulated hours per run (default: the scenario's run.hours)")
    span.add_argument("--seconds", type=spec_arg(SECONDS_SPEC), default=None,
                      help="simulated seconds per run")
    c.add_argument("--commands", metavar="PATH", type=path_arg,
                   help="JSON operator commands replayed in both runs of every seed")
    c.add_argument("--change", metavar="KEY=VALUE", action="append", default=[],
                   required=True, help="what differs from the base (repeatable)")
    c.add_argument("--json", metavar="PATH", type=path_arg,
                   help="write the comparison as JSON (atomically; '-' = stdout)")
    _executor_args(c)
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.set_defaults(func=cmd_compare)


# ------------------------------------------------------------------------------- helpers
def _grid(specs: list[str], seeds: int) -> Grid:
    try:
        grid = make_grid(specs)
    except GridError as e:
        raise UsageError(str(e)) from None
    for key in grid.keys:
        if key.startswith("run."):  # each task gets --hours and its seed, not run.*
            raise UsageError(f"--vary {key}: the run.* keys would not change the runs; "
                             "use --hours, --seeds and --seed-base")
    if len(grid) * seeds > MAX_RUNS:
        raise UsageError(f"--vary x --seeds: {len(grid):,} grid points x {seeds} seeds = "
                         f"{len(grid) * seeds:,} runs; at most {MAX_RUNS:,}")
    return grid


def _executor(args: argparse.Namespace):
    try:
        return make_executor(args.executor, args.workers)
    except ExecutorError as e:
        raise UsageError(str(e)) from None


def _writable(*paths: str | None) -> None:
    for path in paths:
        if path:
            try:
                check_writable(path)
            except OutputError as e:
                raise UsageError(str(e)) from None


def _resolve(name: str, models: list[str], focus: str | None) -> str:
    try:
        return resolve(name, models, focus)
    except ValueError as e:
        raise UsageError(str(e)) from None


def _sweep(args: argparse.Namespace, grid: Grid, label: str, executor=None):
    """Load, check everything, run; returns (scenario, result) or raises KeyboardInterrupt."""
    from planning.sweep import make_tasks, run_sweep

    scenario = load_scenario(args.scenario, args.set)
    hours = scenario.run.hours if args.hours is None else args.hours
    if args.seed_base + args.seeds - 1 > SEED_BASE.hi:
        raise UsageError(f"--seed-base {args.seed_base} + --seeds {args.seeds}: the last seed "
                         f"must be at most {SEED_BASE.hi} (run.seed's bound)")
    seeds = tuple(range(args.seed_base, args.seed_base + args.seeds))
    if args.model is not None and args.model not in scenario.models:
        raise UsageError(f"--model {args.model!r}: not a model of {args.scenario} "
                         f"(models: {', '.join(scenario.models)})")
    tasks = make_tasks(scenario, grid, seeds, hours)  # ScenarioError before any run
    executor = executor if executor is not None else _executor(args)
    bar = Progress(len(tasks), label, enabled=not args.quiet)
    try:
        result = run_sweep(scenario, grid, seeds, hours, executor, bar, tasks=tasks)
    except BaseException:
        bar.finish(interrupted=True)
        raise
    finally:
        executor.close()
    bar.finish()
    return scenario, result


def _interrupted(what: str) -> int:
    print(f"interrupted: {what}", file=sys.stderr)
    return 130


def _per_s(runs: int, wall_s: float) -> str:
    """Runs per second of wall time, as the footers print it."""
    return f"{runs / wall_s:.1f}" if wall_s > 0 else "-"


def _footer(result) -> str:
    n_runs = result.runs.shape[0] * result.runs.shape[1]
    return (f"{len(result.grid)} grid points x {len(result.seeds)} seeds x "
            f"{format_value(result.hours)} h: {n_runs} "
            f"runs in {result.wall_s:.1f} s, {_per_s(n_runs, result.wall_s)} runs/s "
            f"({result.executor}); cells: mean ±95% CI "
            "half-width over seeds")


# ------------------------------------------------------------------------------ commands
def cmd_sweep(args: argparse.Namespace, executor=None) -> int:
    grid = _grid(args.vary, args.seeds)
    _writable(args.csv, args.png)
    if args.png and len(grid.axes) > 2:
        raise UsageError(f"--png draws one or two --vary keys, got {len(grid.axes)}")
    target = None
    if args.target:
        try:
            target = parse_target(args.target)
        except ValueError as e:
            raise UsageError(str(e)) from None
    try:
        scenario, result = _sweep(args, grid, "sweep", executor)
    except KeyboardInterrupt:
        return _interrupted("no CSV or PNG written")
    models = list(scenario.models)
    focus = args.model or focus_model(grid.keys, models)
    metric = _resolve(args.metric, models, focus)
    try:
        if args.csv:
            write_text_atomic(args.csv, csv_text(result))
        if args.png:
            from planning.heatmap import render

            meets = meets_label = marker = None
            if target is not None:
                target_metric = _resolve(target.metric, models, focus)
                meets = confident_meets(result, target, target_metric)
                meets_label = (f"white frame: {target.text(target_metric)} "
                               f"(95% CI {'high' if target.upper else 'low'} end)")
                if target_metric == metric:
                    marker = (float(target.value), f"target {format_value(target.value)}")
            labels = {name: m.label for name, m in scenario.models.items()}
            render(result, metric, args.png, title=args.title, meets=meets, labels=labels,
                   subtitle=_subtitle(args, result), meets_label=meets_label,
                   marker=marker)
    except KeyboardInterrupt:
        return _interrupted("files not replaced")
    except OutputError as e:
        raise UsageError(str(e)) from None
    print(table_text(result, headline_metrics(result, focus)))
    print(_footer(result))
    for path in (args.csv, args.png):
        if path:
            print(f"wrote {path}")
    return 0


def _subtitle(args, result) -> str:
    sets = ", ".join(args.set)
    return (f"{args.scenario}{' with ' + sets if sets else ''}; mean of {len(result.seeds)} "
            f"seeds x {format_value(result.hours)} h each (small print: 95% CI half-width)")


def cmd_plan(args: argparse.Namespace, executor=None) -> int:
    from planning.plan import choose, report

    try:
        target = parse_target(args.target)
    except ValueError as e:
        raise UsageError(str(e)) from None
    grid = _grid(args.vary, args.seeds)
    if len(grid.axes) != 1:
        raise UsageError(f"plan varies exactly one capacity key, got {len(grid.axes)} --vary")
    _writable(args.csv)
    base = load_scenario(args.scenario, args.set)
    models = list(base.models)
    focus = args.model or focus_model(grid.keys, models)
    metric = _resolve(target.metric, models, focus)
    try:
        scenario, result = _sweep(args, grid, "plan", executor)
    except KeyboardInterrupt:
        return _interrupted("nothing written")
    if args.csv:
        try:
            write_text_atomic(args.csv, csv_text(result))
        except OutputError as e:
            raise UsageError(str(e)) from None
    answer = choose(result, target, metric)
    cols = [metric] + [m for m in headline_metrics(result, focus) if m != metric]
    mark = ["yes" if m else "no" for m in answer.meets]
    bound = "CI high end" if target.upper else "CI low end"
    print(f"plan: smallest {grid.keys[0]} with {target.text(metric)} ({bound} must meet it)")
    print(table_text(result, cols, mark))
    print(_footer(result))
    key = grid.keys[0].split(".")
    slot_cost = None
    if len(key) == 3 and key[0] == "models" and key[2] == "slots":
        slot_cost = scenario.models[key[1]].slot_cost_cents_per_h
    print(report(result, target, metric, answer, slot_cost))
    if args.csv:
        print(f"wrote {args.csv}")
    return 0 if answer.index is not None else 1


def cmd_validate(args: argparse.Namespace, executor=None) -> int:
    from planning.validate import run_validation, table

    executor = executor if executor is not None else _executor(args)
    t0 = time.perf_counter()
    try:
        report = run_validation(executor, seeds=args.seeds, scale=args.scale,
                                progress=not args.quiet)
    except KeyboardInterrupt:
        return _interrupted("validation stopped")
    finally:
        executor.close()
    wall = time.perf_counter() - t0
    checks = report.checks
    print(table(checks))
    failed = [c for c in checks if not c.passed]
    print(f"{len(checks)} checks, {len(checks) - len(failed)} passed, {len(failed)} failed; "
          f"{args.seeds} seeds per system, scale {format_value(args.scale)}, "
          f"{wall:.1f} s wall, {report.cpu_s:.1f} s CPU ({executor.name}, "
          f"{executor.workers} workers)")
    return 1 if failed else 0


def cmd_compare(args: argparse.Namespace, executor=None) -> int:
    import json

    from planning.compare import CompareError, apply_changes, run_compare, table_text, to_json
    from sim.commands import load_commands

    base = load_scenario(args.scenario, args.set)
    try:
        changed, changes = apply_changes(base, args.change)
    except CompareError as e:
        raise UsageError(str(e)) from None
    commands = tuple(load_commands(args.commands, tuple(base.models))) if args.commands else ()
    if args.first_seed + args.seeds - 1 > SEED_BASE.hi:
        raise UsageError(f"--first-seed {args.first_seed} + --seeds {args.seeds}: the last "
                         f"seed must be at most {SEED_BASE.hi} (run.seed's bound)")
    seeds = tuple(range(args.first_seed, args.first_seed + args.seeds))
    seconds = (args.seconds if args.seconds is not None
               else (base.run.hours if args.hours is None else args.hours) * 3600.0)
    if args.json and args.json != "-":
        _writable(args.json)
    executor = executor if executor is not None else _executor(args)
    # a bar on a terminal only: piped or redirected, stderr stays quiet
    bar = Progress(2 * len(seeds), "compare",
                   enabled=not args.quiet and getattr(sys.stderr, "isatty", lambda: False)())
    try:
        result = run_compare(base, changed, seeds, seconds, commands, executor, bar)
    except KeyboardInterrupt:
        bar.finish(interrupted=True)
        return _interrupted("nothing written")
    finally:
        executor.close()
    bar.finish()
    doc = to_json(result, args.scenario, args.set, changes, seconds, args.commands)
    text = json.dumps(doc, indent=2, allow_nan=False)
    if args.json == "-":
        print(text)
        return 0
    if args.json:
        try:
            write_text_atomic(args.json, text + "\n")
        except OutputError as e:
            raise UsageError(str(e)) from None
    labels = {name: m.label for name, m in base.models.items()}
    change_text = ", ".join(f"{k}={format_value(v)}" for k, v in changes.items())
    print(f"compare: {args.scenario}{' with ' + ', '.join(args.set) if args.set else ''}; "
          f"changed: {change_text}")
    print(table_text(result, labels))
    print(f"{len(seeds)} seeds ({seeds[0]}..{seeds[-1]}) x 2 runs x {format_value(seconds)} s "
          f"in {result.wall_s:.1f} s, {_per_s(2 * len(seeds), result.wall_s)} runs/s "
          f"({result.executor}); diff = changed - base, paired 95% "
          "CI over seeds; unpaired: the same runs as two independent samples; "
          "ratio = paired / unpaired; corr: of base and changed over the seeds (what "
          "pairing buys); floor: the smallest ratio any pairing could give the two sides' "
          "spreads (near 1 when one side barely varies, e.g. pinned at the 3x bound)")
    if args.json:
        print(f"wrote {args.json}")
    return 0
