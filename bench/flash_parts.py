"""Where ``advance_to`` spends its time at the browser bench's flash crowd, natively.

    python bench/flash_parts.py [--repeat K]

The scene and window are ``bench/bench_browser.py``'s (rush hour with 60 arrivals a minute
from 2:50, 300-odd customers inside, orders waiting past their aging; timed from 3:10 to
4:30), played natively.  Each part is timed by a wrapper around its function (wall clock,
``time.perf_counter``; medians of ``--repeat`` runs taken in turn) and printed in ms per
simulated second -- the unit of issue 18's browser goal (0.8 ms a frame at x600, that is
0.08 ms per simulated second, in WebAssembly, which ran this scene ~1.6x slower than this
machine's CPython in the sixth push's measurements):

* the wait estimate (``Station.est_range`` at each enqueue and for the breaker's question,
  ``Station.newcomer_wait`` for the autoscaler, ``Station.estimates``; the outermost call
  counted once), and inside it the walk over the orders ahead (``sim.eta.walk``), the
  start curve (``Station._make_curve``) and the lanes listed for the walk
  (``Station.lane_lists``);
* the rest of the core: everything else ``advance_to`` does.

It says which part a faster core must change, and whether one part alone already exceeds
the goal.  Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import bench_browser as bb  # noqa: E402

from sim import Simulation, load_scenario, stations  # noqa: E402

ESTIMATE = "the wait estimate"
#: (label, owner, attribute): the parts timed; the estimate's entry points share one label
PARTS = ((ESTIMATE, stations.Station, "est_range"),
         (ESTIMATE, stations.Station, "newcomer_wait"),
         (ESTIMATE, stations.Station, "estimates"),
         ("  the walk", stations, "walk"),
         ("  the start curve", stations.Station, "_make_curve"),
         ("  the lanes listed", stations.Station, "lane_lists"))


def _timed(spent: dict, depth: dict, label: str, fn):
    """``fn`` timed into ``spent[label]``, only where no call of the same label is already
    running (est_range calls estimates: the outermost call counts)."""
    clock = time.perf_counter

    def part(*args, **kwargs):
        depth[label] += 1
        t0 = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            depth[label] -= 1
            if not depth[label]:
                spent[label] += clock() - t0
    return part


def measure(window: tuple[float, float] = bb.MEASURE_S) -> tuple[float, dict[str, float]]:
    """One run of the scene over ``window``: (seconds of ``advance_to``, {part: seconds}).
    A part's time counts once, however its calls nest."""
    sim = Simulation(load_scenario(bb.scene_file()), seed=bb.SEED,
                     commands=bb.scene_commands())
    sim.advance_to(window[0])
    spent = dict.fromkeys((label for label, _, _ in PARTS), 0.0)
    depth = dict.fromkeys(spent, 0)
    saved = [(owner, name, getattr(owner, name)) for _, owner, name in PARTS]
    try:
        for label, owner, name in PARTS:
            setattr(owner, name, _timed(spent, depth, label, getattr(owner, name)))
        t0 = time.perf_counter()
        sim.advance_to(window[1])
        total = time.perf_counter() - t0
    finally:
        for owner, name, fn in saved:
            setattr(owner, name, fn)
    return total, spent


def main() -> int:
    ap = argparse.ArgumentParser(description="advance_to's parts at the flash crowd")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat: must be at least 1")
    runs = [measure() for _ in range(args.repeat)]
    span = bb.MEASURE_S[1] - bb.MEASURE_S[0]
    total = statistics.median(r[0] for r in runs)
    print(f"the browser bench's flash crowd, natively, t={bb.MEASURE_S[0]:.0f}"
          f"-{bb.MEASURE_S[1]:.0f} s; median of {args.repeat} runs; ms per simulated second")
    print(f"  advance_to          {1e3 * total / span:7.3f}")
    for label in runs[0][1]:
        part = statistics.median(r[1][label] for r in runs)
        print(f"  {label:<19} {1e3 * part / span:7.3f}   {100 * part / total:3.0f} %")
    rest = statistics.median(r[0] - r[1][ESTIMATE] for r in runs)
    print(f"  the rest of the core {1e3 * rest / span:6.3f}   {100 * rest / total:3.0f} %")
    print("  goal (issue 18, in WebAssembly): 0.080")
    return 0


if __name__ == "__main__":
    sys.exit(main())
