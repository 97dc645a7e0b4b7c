"""The ``python -m sim`` command line: ``run`` here; ``sweep``, ``plan``, ``validate`` are
headless planning tools in the top-level ``planning`` package, imported only when asked for
(they may use numpy and processes, which the browser build must never see).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pathlib
import sys
import time
from collections.abc import Iterator

from sim.commands import CommandError, load_commands
from sim.scenario import ScenarioError, load_scenario
from sim.simulation import Simulation
from sim.summary import table


class UsageError(Exception):
    """A command-line mistake: one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage + message; we want one line
        raise UsageError(f"{self.prog}: {message}")


def number_arg(kind: type, lo: float, inclusive: bool = True):
    """An argparse ``type``: a finite int or float >= ``lo`` (> ``lo`` if not inclusive),
    whose error is one line naming what is allowed."""
    noun = "a whole number" if kind is int else "a number"
    bound = f"{'>=' if inclusive else '>'} {lo:g}"

    def parse(text: str):
        bad = argparse.ArgumentTypeError(f"expected {noun} {bound}, got {text!r}")
        try:
            v = kind(text)
        except ValueError:
            raise bad from None
        if not (v >= lo if inclusive else v > lo) or v == float("inf"):
            raise bad
        return v

    parse.__name__ = f"{kind.__name__} {bound}"
    return parse


_nonneg_float = number_arg(float, 0)
_seed = number_arg(int, 0)


def build_parser() -> Parser:
    p = Parser(prog="python -m sim", description="River Factory simulation, headless.")
    sub = p.add_subparsers(dest="cmd", parser_class=Parser, metavar="{run,sweep,plan,validate}")
    r = sub.add_parser("run", help="run one scenario and print a summary")
    add_scenario_args(r)
    r.add_argument("--seed", type=_seed, default=None, help="random seed (default: scenario's)")
    span = r.add_mutually_exclusive_group()
    span.add_argument("--hours", type=_nonneg_float, default=None,
                      help="simulated hours (default: scenario's run.hours)")
    span.add_argument("--seconds", type=_nonneg_float, default=None,
                      help="simulated seconds, exactly (replaying a recorded session)")
    r.add_argument("--commands", metavar="PATH",
                   help="JSON list of operator commands to replay (main.py --record writes one)")
    r.add_argument("--json", metavar="PATH", help="write the summary as JSON ('-' = stdout)")
    r.add_argument("--log", metavar="PATH", help="write every event record, one per line")
    r.add_argument("--quiet", action="store_true", help="no table on stdout")
    try:
        from planning.cli import add_subcommands
    except ImportError:
        pass
    else:
        add_subcommands(sub)
    return p


def add_scenario_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", metavar="PATH", default="scenarios/default.toml",
                   help="scenario TOML (a path, or a name in scenarios/)")
    p.add_argument("--set", metavar="KEY=VALUE", action="append", default=[],
                   help="override a scenario value by its dotted key (repeatable)")


def cmd_run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario, args.set)
    commands = load_commands(args.commands, tuple(scenario.models)) if args.commands else []
    seed = scenario.run.seed if args.seed is None else args.seed
    end_s = (args.seconds if args.seconds is not None
             else (scenario.run.hours if args.hours is None else args.hours) * 3600.0)
    t0 = time.perf_counter()
    sim = Simulation(scenario, seed=seed, commands=commands, keep_log=bool(args.log))
    sim.advance_to(end_s)
    summary = sim.summary(time.perf_counter() - t0)
    if args.log:
        write_text(args.log, "".join(repr(r) + "\n" for r in sim.log.records))
    if args.json:
        text = json.dumps(summary, indent=2, sort_keys=False)
        if args.json == "-":
            print(text)
        else:
            write_text(args.json, text + "\n")
    if not args.quiet and args.json != "-":
        print(table(summary))
    return 0


@contextlib.contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """Yield a temporary path beside ``path`` with the same suffix; on success it replaces
    ``path``, on any exception (KeyboardInterrupt included) it is removed: a half-written
    file never replaces a good one."""
    target = pathlib.Path(path)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp{target.suffix}")
    try:
        yield str(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_text(path: str, text: str) -> None:
    try:
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.cmd is None:
            parser.print_help()
            return 2
        if args.cmd == "run":
            return cmd_run(args)
        return args.func(args)
    except (UsageError, ScenarioError, CommandError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
