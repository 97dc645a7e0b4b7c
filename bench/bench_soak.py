"""Soak: traced memory over a long run, at the extreme allowed value of every key that
holds events or records.

    python bench/bench_soak.py [--hours 24,168] [--only NAME]

For each case (the default scenario, then one key at its largest allowed value) the run is
advanced under ``tracemalloc``.  Over the 12 hours before each requested hour it samples
traced memory every simulated hour, each time just after the log folded a chunk into its
hash and after a full collection (the log's unhashed buffer and the interpreter's free
lists swing by hundreds of KB: that is not growth).  The table prints the median of those
samples, the peak of the period, and the growth of the median from the first checkpoint
to the last.  Prints figures, asserts nothing: flat means every structure that grows with
events is bounded (the log's tail, departures, dead letters, sparklines, live windows,
wait-check deadlines, pending answers).  ``tests/test_core_reliability.py`` checks the
worst case (the 3x breaker's multiplier at 1000) for <= 5 % growth over a week.
"""

from __future__ import annotations

import argparse
import gc
import math
import pathlib
import statistics
import sys
import time
import tracemalloc

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from sim import Simulation, load_scenario  # noqa: E402
from sim.eventlog import CHUNK  # noqa: E402
from sim.schema import SECTIONS  # noqa: E402

#: keys whose value sets how many events or records the run holds at once
HOLDERS = ("wait_breaker.multiplier", "wait_breaker.answer_after_s", "retry.dead_letter_keep",
           "retry.max_attempts", "retry.max_backoff_s", "metrics.series_len",
           "metrics.window_s", "autoscaler.window_s", "queue.aging_s",
           "models.text.batch_window_s")


def largest(key: str) -> str:
    section, _, name = key.partition(".")
    if section == "models":
        from sim.schema import MODEL

        spec = MODEL[key.rsplit(".", 1)[1]]
    else:
        spec = SECTIONS[section][name]
    hi = spec.hi
    return f"{key}={hi:g}" if isinstance(hi, float) else f"{key}={hi}"


def settled_memory(sim: Simulation) -> int:
    """Traced memory just after the event log folded a chunk into its hash, after a full
    collection: the log's unhashed buffer (up to CHUNK records) fills and empties all the
    time, and the interpreter's free lists keep freed tuples; neither swing is growth.
    (``tests/test_core_reliability.py`` measures with it too.)"""
    while sim.log.total() % CHUNK >= 8:
        sim.engine.run_until(math.inf, 1)
    sim.log.settle()
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def soak(overrides: list[str], hours: list[float]) -> list[tuple[float, float, float]]:
    sim = Simulation(load_scenario("scenarios/default.toml", overrides), seed=1)
    out = []
    tracemalloc.start()
    try:
        for h in hours:
            sim.advance_to(max(sim.now, h * 3600 - 12 * 3600))
            tracemalloc.reset_peak()
            samples = []
            while sim.now < h * 3600:
                sim.advance_to(min(h * 3600, sim.now + 3600))
                samples.append(settled_memory(sim))
            out.append((h, statistics.median(samples) / 1e6,
                        tracemalloc.get_traced_memory()[1] / 1e6))
    finally:
        tracemalloc.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hours", default="24,168", help="checkpoints, e.g. 24,168")
    p.add_argument("--only", default="", help="run only the cases whose name contains this")
    args = p.parse_args(argv)
    hours = [float(h) for h in args.hours.split(",")]
    cases = [("default", [])] + [(largest(k), [largest(k)]) for k in HOLDERS]
    print(f"{'case':44} " + " ".join(f"{f'{h:g} h MB med (peak)':>18}" for h in hours)
          + f" {'growth':>8} {'wall s':>7}")
    for name, overrides in cases:
        if args.only not in name:
            continue
        t0 = time.perf_counter()
        rows = soak(overrides, hours)
        growth = rows[-1][1] / rows[0][1] - 1.0 if rows[0][1] else 0.0
        print(f"{name:44} " + " ".join(f"{now:8.2f} ({peak:6.2f})" for _, now, peak in rows)
              + f" {growth:+8.1%} {time.perf_counter() - t0:7.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
