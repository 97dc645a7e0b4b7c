"""What pairing buys: the paired vs unpaired 95% CI half-width of ``python -m sim compare``.

    python bench/bench_compare.py [--seeds 20] [--hours 4] [--workers N]

Runs issue 17's goal comparison -- ``scenarios/default.toml`` with
``arrivals.rate_per_min=6`` and ``autoscaler.enabled=false``, 4 h, 20 seeds,
``models.image.slots`` 20 -> 25 -- and prints, for the SD1.5 wait p95 and the profit, the
paired CI half-width, the unpaired one of the same runs, and their ratio.
Goal (issue 17): SD1.5 wait p95 ratio <= 1/3 (it was about 1.0 before keyed draws, when task
times were drawn per call in dispatch order).  Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from planning.compare import apply_changes, run_compare  # noqa: E402
from planning.executors import make_executor  # noqa: E402
from sim import load_scenario  # noqa: E402

SETS = ["arrivals.rate_per_min=6", "autoscaler.enabled=false"]
CHANGE = ["models.image.slots=25"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--hours", type=float, default=4.0)
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args()
    base = load_scenario("scenarios/default.toml", SETS)
    changed, _ = apply_changes(base, CHANGE)
    seeds = tuple(range(1, a.seeds + 1))
    result = run_compare(base, changed, seeds, a.hours * 3600.0, (),
                         make_executor("local", a.workers))
    rows = result.rows()
    print(f"default.toml with {', '.join(SETS)}; {a.hours:g} h x {a.seeds} seeds; "
          f"change {', '.join(CHANGE)} ({result.wall_s:.0f} s, {result.executor})")
    for name, label in (("image.wait_p95_s", "SD1.5 wait p95 (s)"),
                        ("profit_cents", "profit (cents)")):
        r = rows[name]
        print(f"  {label:20s} diff {r['diff_mean']:>10.1f}  ±paired "
              f"{r['diff_ci95_halfwidth']:>9.1f}  ±unpaired {r['unpaired_ci95_halfwidth']:>9.1f}"
              f"  ratio {r['ratio']:.3f}")
    print("  goal: SD1.5 wait p95 ratio <= 0.333")


if __name__ == "__main__":
    main()
