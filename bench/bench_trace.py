"""Trace replay at scale: a synthetic gzip trace of 100 k and 1 M rows, replayed whole.

    python bench/bench_trace.py [--rows 100000,1000000] [--door open|closed]

Prints, per size: rows per second of the replay (an untraced run: the scenario's pre-scan,
which streams the file once to check it, is counted apart) and the tracemalloc peak of a
second, traced run.  The goal (issue 23): the peak at 1 M rows within a small margin of the
peak at 100 k -- the replay holds one row at a time.  ``--door closed`` turns every customer
away at the door (the reading and arrival path alone, ~3x faster); ``open`` (default) serves
them all.  The synthetic file is written to a temporary directory and removed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pathlib
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from sim import Simulation, load_scenario  # noqa: E402


def synthetic(path: pathlib.Path, rows: int) -> float:
    """A river-format trace: bursty-ish gaps (2 to 20 ms, a fixed pattern), 50 ms tasks."""
    t = 0.0
    with gzip.open(path, "wt", compresslevel=1) as f:
        f.write("time_s,service_s\n")
        for i in range(rows):
            t += 0.002 * (1 + (i * 7919) % 10)
            f.write(f"{t:.4f},0.05\n")
    return t


def scenario(path: pathlib.Path, door: str):
    sets = [f"arrivals.trace.path={json.dumps(str(path))}", "arrivals.trace.model='text'",
            "autoscaler.enabled=false"]
    if door == "closed":
        sets += ["door.admit_per_min=0", "door.burst=1"]
    else:
        sets += ["door.enabled=false", "models.text.slots=40", "wait_breaker.enabled=false"]
    t0 = time.perf_counter()
    sc = load_scenario(None, sets)
    return sc, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="100000,1000000")
    ap.add_argument("--door", choices=("open", "closed"), default="open")
    args = ap.parse_args()
    sizes = [int(x) for x in args.rows.split(",")]
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = pathlib.Path(tmp) / f"synthetic-{n}.csv.gz"
            span = synthetic(path, n)
            sc, scan_s = scenario(path, args.door)
            t0 = time.perf_counter()
            sim = Simulation(sc, seed=1)
            sim.advance_to(span + 60.0)
            wall = time.perf_counter() - t0
            assert sim.arrivals.trace.replayed == n
            sim = Simulation(sc, seed=1)
            tracemalloc.start()
            sim.advance_to(span + 60.0)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            peaks.append(peak)
            print(f"{n:>9,} rows ({path.stat().st_size / 1e6:.1f} MB gz, door {args.door}): "
                  f"pre-scan {n / scan_s:,.0f} rows/s; replay {n / wall:,.0f} rows/s "
                  f"({wall:.1f} s); tracemalloc peak {peak / 1e6:.2f} MB", flush=True)
    if len(peaks) > 1:
        print(f"peak at {sizes[-1]:,} / peak at {sizes[0]:,} = {peaks[-1] / peaks[0]:.3f}")


if __name__ == "__main__":
    main()
