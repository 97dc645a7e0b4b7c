"""The ``python -m sim run`` command line, and the parser machinery every command line of the
project shares (``python -m sim sweep|plan|validate`` in ``planning/cli.py``, ``main.py``).

Why one machine: every user mistake must end the same way -- one line on stderr naming the
flag or file, the key and what is allowed, exit status 2 -- and a flag must be checked exactly
like the file key it stands for (``--hours`` is ``run.hours``, ``--seed`` is ``run.seed``: the
same :class:`sim.schema.Spec`).  Help is not a mistake: ``--help`` and a bare ``python -m sim``
print usage and exit 0.  This module never imports ``planning``: ``sim/__main__.py`` sends the
planning subcommands there, so the ground floor does not know the floors above it.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import pathlib
import stat
import sys
import time
from collections.abc import Callable, Iterator

from sim import schema
from sim.commands import load_commands
from sim.scenario import load_scenario
from sim.schema import InputError, Spec, clip
from sim.simulation import Simulation
from sim.summary import table


class UsageError(InputError):
    """A command-line mistake: one line, exit status 2."""


class ParserExit(Exception):
    """argparse is done (``--help``): exit with ``status`` after what it printed."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage block) that raise instead of exiting, so a
    caller running it in-process (a test, ``main.py`` in a browser) keeps control.  Flags
    must be spelled whole: argparse's prefix matching would take ``--hour 2`` as
    ``--hours 2`` without a word (``sim run``, ``sweep``, ``plan``, ``main.py`` all use
    this class, their subcommands too)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {clip(message, 300)}")

    def exit(self, status: int = 0, message: str | None = None):
        if message:
            print(message.rstrip("\n"), file=sys.stderr)
        raise ParserExit(status)


def spec_arg(spec: Spec):
    """An argparse ``type`` checked by ``spec`` -- the check a scenario key gets -- whose
    error is one line naming what is allowed (argparse prefixes the flag)."""

    def parse(text: str):
        bad = argparse.ArgumentTypeError(f"{clip(text)!r}: expected {spec.allowed()}")
        try:
            value = spec.kind(text)  # int("1e3") and int("9" * 5000) raise ValueError
            return schema.check_value(spec, value, "", "")
        except (ValueError, OverflowError):
            raise bad from None

    parse.__name__ = spec.allowed()  # what argparse names in "invalid <type> value"
    return parse


def path_arg(text: str) -> str:
    """An argparse ``type`` for file paths: ``--json ''`` used to be silently ignored."""
    if not text:
        raise argparse.ArgumentTypeError("expected a file path, got ''")
    return text


SECONDS = Spec(float, None, 0.0, schema.RUN["hours"].hi * 3600.0)


def build_parser(more: dict[str, str] | None = None) -> Parser:
    """``python -m sim`` with ``run``; ``more`` lists subcommands handled elsewhere (by
    ``sim/__main__.py``) so that ``--help`` shows them too."""
    names = ["run", "trace-stats", "twin", *(more or {})]
    p = Parser(prog="python -m sim", description="River Factory simulation, headless.")
    sub = p.add_subparsers(dest="cmd", parser_class=Parser, metavar="{" + ",".join(names) + "}")
    r = sub.add_parser("run", help="run one scenario and print a summary")
    add_scenario_args(r)
    r.add_argument("--seed", type=spec_arg(schema.RUN["seed"]), default=None,
                   help="random seed (default: scenario's run.seed)")
    span = r.add_mutually_exclusive_group()
    span.add_argument("--hours", type=spec_arg(schema.RUN["hours"]), default=None,
                      help="simulated hours (default: scenario's run.hours)")
    span.add_argument("--seconds", type=spec_arg(SECONDS), default=None,
                      help="simulated seconds, exactly (replaying a recorded session)")
    r.add_argument("--commands", metavar="PATH", type=path_arg,
                   help="JSON list of operator commands to replay (main.py --record writes one)")
    r.add_argument("--json", metavar="PATH", type=path_arg,
                   help="write the summary as JSON ('-' = stdout)")
    r.add_argument("--log", metavar="PATH", type=path_arg,
                   help="write every event record, one per line")
    r.add_argument("--quiet", action="store_true", help="no table on stdout")
    r.add_argument("--trace", metavar="PATH", type=path_arg,
                   help="replay a request log (arrivals.trace.path, from this directory)")
    r.add_argument("--trace-format", metavar="F", choices=schema.TRACE["format"].choices,
                   help="the trace's format (arrivals.trace.format; default: auto, by header)")
    ts = sub.add_parser("trace-stats", help="a request log's rows, span, rate and burstiness")
    ts.add_argument("path", metavar="PATH", type=path_arg, help="CSV or JSON Lines, plain or .gz")
    ts.add_argument("--format", metavar="F", default="auto",
                    choices=schema.TRACE["format"].choices,
                    help="auto (by header), azure-llm-2023, burstgpt or river")
    ts.add_argument("--json", action="store_true", help="print the figures as JSON")
    tw = sub.add_parser("twin", help="a recorded session against its twin without the "
                        "commands from --at on: the live twin card's figures")
    add_scenario_args(tw)
    tw.add_argument("--commands", metavar="PATH", type=path_arg, required=True,
                    help="the recorded session (main.py --record writes one)")
    tw.add_argument("--at", metavar="T", type=spec_arg(SECONDS), required=True,
                    help="the comparison opens at simulated second T: the twin drops every "
                         "command issued at or after it")
    tw.add_argument("--seconds", metavar="S", type=spec_arg(SECONDS), required=True,
                    help="compare over [T, T+S]")
    tw.add_argument("--seed", type=spec_arg(schema.RUN["seed"]), default=None,
                    help="random seed (default: scenario's run.seed)")
    tw.add_argument("--json", metavar="PATH", type=path_arg,
                    help="write the card's figures as JSON ('-' = stdout)")
    for name, text in (more or {}).items():
        sub.add_parser(name, help=text, add_help=False)
    return p


def cmd_twin(args: argparse.Namespace) -> int:
    from sim.twin import FIGURES, compare_line, twin_card

    scenario = load_scenario(args.scenario, args.set)
    commands = load_commands(args.commands, tuple(scenario.models))
    if args.json and args.json != "-":
        write_text(args.json, None)
    seed = scenario.run.seed if args.seed is None else args.seed
    card = twin_card(scenario, seed, commands, args.at, args.seconds)
    card["scenario"] = args.scenario
    card["seed"] = seed
    card["paired"] = "one paired run: the same customers, the same luck"
    card["compare"] = compare_line(args.scenario, args.at + args.seconds,
                                   [c for c in commands if c.at_s >= args.at], args.set)
    if args.json:
        text = json.dumps(card, indent=2)
        if args.json == "-":
            print(text)
            return 0
        write_text(args.json, text + "\n")
    n = len(card["changes"])
    print(f"twin: {args.scenario} seed {seed}, since {args.at:.0f} s for {args.seconds:.0f} s; "
          f"{n} change{'s' if n != 1 else ''} removed in the twin (one paired run)")
    print(f"{'figure':<18}{'live':>14}{'twin':>14}{'difference':>14}")
    for key, _ in FIGURES:
        a, b, d = card["live"][key], card["twin"][key], card["difference"][key]
        print(f"{key:<18}{a:>14.4g}{b:>14.4g}{d:>+14.4g}")
    if card["compare"]:
        print("for a confidence interval: " + card["compare"])
    return 0


def add_scenario_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", metavar="PATH", type=path_arg, default="default",
                   help="scenario TOML: a path, or a name in scenarios/ (default: default)")
    p.add_argument("--set", metavar="KEY=VALUE", action="append", default=[],
                   help="override a scenario value by its dotted key (repeatable)")


def trace_overrides(args: argparse.Namespace) -> list[str]:
    """``--trace PATH`` is ``--set arrivals.trace.path=...`` with the path as typed from the
    current directory (a scenario's own path is relative to its file)."""
    out = []
    if getattr(args, "trace", None):
        out.append("arrivals.trace.path=" + json.dumps(os.path.abspath(args.trace)))
    if getattr(args, "trace_format", None):
        out.append("arrivals.trace.format=" + json.dumps(args.trace_format))
    elif getattr(args, "trace", None):
        out.append('arrivals.trace.format="auto"')
    return out


def cmd_trace_stats(args: argparse.Namespace) -> int:
    from sim.trace import open_trace, scan

    st = scan(open_trace(args.path, args.format, clip(args.path, 200))).stats()
    if args.json:
        print(json.dumps(st, indent=2))
        return 0
    print(f"trace {clip(args.path, 200)}")
    print(f"rows                    {st['rows']:,}")
    print(f"span                    {st['span_s']:.1f} s ({st['span_s'] / 60:.1f} min)")
    print(f"mean rate               {st['mean_rate_per_min']:.1f} per min")
    print(f"inter-arrival CV        {st['interarrival_cv']:.2f}   (Poisson: 1)")
    print(f"dispersion per minute   {st['dispersion_per_min']:.1f}   (variance/mean of "
          "per-minute counts; Poisson: 1)")
    print(f"peak minute             {st['peak_minute_rows']:,} requests (minute "
          f"{st['peak_minute']} of {st['minutes']})")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario, [*args.set, *trace_overrides(args)])
    commands = load_commands(args.commands, tuple(scenario.models)) if args.commands else []
    for path in (args.log, None if args.json == "-" else args.json):
        if path:
            write_text(path, None)
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
    """The path to write ``path`` through.  A regular file (or a new path) is written to a
    temporary file beside it that replaces it on success and is removed on any exception
    (KeyboardInterrupt included): a half-written file never replaces a good one.  A symlink
    to a regular file keeps being a link (its target is replaced).  Anything else -- a FIFO,
    ``/dev/stdout``, a dangling link -- is written through as it is: renaming over it would
    replace the FIFO with a file, and ``/dev/stdout`` cannot be renamed over at all.
    An ``OSError`` names ``path``, never the temporary file."""
    try:
        target = _atomic_target(path)
        if target is None:
            yield path
            return
        tmp = _temp_beside(target)
        try:
            yield str(tmp)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    except OSError as e:
        raise OSError(e.errno, e.strerror or str(e), path) from None
    except ValueError:  # a NUL in the name: the API (argv cannot hold one)
        raise OSError(errno.EINVAL, "not a file name", path) from None


def _temp_beside(target: pathlib.Path) -> pathlib.Path:
    return target.with_name(f".{target.stem}.{os.getpid()}.tmp{target.suffix}")


def _atomic_target(path: str) -> pathlib.Path | None:
    """The regular file (or new path) to replace for ``path``; None: write through."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return pathlib.Path(path)  # new: create it atomically
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None  # a dangling symlink: open() creates its target
    return pathlib.Path(os.path.realpath(path)) if stat.S_ISREG(st.st_mode) else None


def check_writable(path: str) -> None:
    """Raise the ``OSError`` (naming ``path``) that writing ``path`` would meet, now: before
    hours of simulation, not after.  Creates and removes the temporary file beside it."""
    try:
        target = _atomic_target(path)
        if target is None:
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            return  # a FIFO or a device: opening it now could block, so trust it
        tmp = _temp_beside(target)
        with open(tmp, "xb"):
            pass
        tmp.unlink()
    except OSError as e:
        raise OSError(e.errno, e.strerror or str(e), path) from None
    except ValueError:
        raise OSError(errno.EINVAL, "not a file name", path) from None


def write_text(path: str, text: str | None) -> None:
    """Write ``text`` to ``path`` (None: only check that it could be written, before a long
    run); a failure is a :class:`UsageError` naming ``path``."""
    try:
        if text is None:
            check_writable(path)
            return
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"cannot write {clip(path, 200)}: {e.strerror or e}") from None


def print_error(err: Exception) -> None:
    """``error: <one line>`` on stderr.  The line quotes what the user typed, so characters
    that would break or rewrite it (a newline, ``\r``, ``\x85``, ANSI escapes) are shown
    escaped: one line on every terminal, and no spoofed output."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(err))
    print(f"error: {text}", file=sys.stderr)


def quiet_stdout() -> None:
    """After ``BrokenPipeError`` (``| head``): point stdout at devnull so the interpreter's
    final flush does not print 'Exception ignored ... BrokenPipeError'."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def run_main(parser: Parser, argv: list[str] | None,
             dispatch: Callable[[argparse.Namespace], int]) -> int:
    """Parse ``argv`` and run ``dispatch``; the exit status: 0 (help too), 2 with one stderr
    line for bad input, 130 on Ctrl-C, 141 quietly if stdout was closed (as ``yes | head``)."""
    try:
        return dispatch(parser.parse_args(argv))
    except ParserExit as e:
        return e.status
    except InputError as e:
        print_error(e)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        quiet_stdout()
        return 141


def main(argv: list[str] | None = None, more: dict[str, str] | None = None) -> int:
    """``python -m sim run``; with no subcommand, the help (exit 0)."""
    parser = build_parser(more)

    def dispatch(args: argparse.Namespace) -> int:
        if args.cmd == "run":
            return cmd_run(args)
        if args.cmd == "trace-stats":
            return cmd_trace_stats(args)
        if args.cmd == "twin":
            return cmd_twin(args)
        if args.cmd is None:
            parser.print_help()
            return 0
        raise UsageError(f"python -m sim {args.cmd}: run it as 'python -m sim {args.cmd}'")

    return run_main(parser, argv, dispatch)
