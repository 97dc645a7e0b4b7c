"""What pairing buys: the paired vs unpaired 95% CI half-width of ``python -m sim compare``.

    python bench/bench_compare.py [--seeds 20] [--hours 4] [--workers N]

Runs issue 17's goal comparison -- ``scenarios/default.toml`` with
``arrivals.rate_per_min=6`` and ``autoscaler.enabled=false``, 4 h, 20 seeds,
``models.image.slots`` 20 -> 25 -- and prints, for the SD1.5 wait p95 and the profit, the
paired CI half-width, the unpaired one of the same runs, their ratio, the correlation of
the two sides over the seeds and the pairing floor (:func:`planning.compare.pairing_floor`:
the least ratio any pairing could give the two sides' spreads); then the same comparison
with the 3x wait breaker off, where the SD1.5 waits are not capped at the bound.
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
UNCAPPED = ["wait_breaker.enabled=false"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--hours", type=float, default=4.0)
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args()
    seeds = tuple(range(1, a.seeds + 1))
    executor = make_executor("local", a.workers)
    for sets, why in ((SETS, "issue 17's configuration"),
                      (SETS + UNCAPPED, "the same without the breaker (waits uncapped)")):
        base = load_scenario("scenarios/default.toml", sets)
        changed, _ = apply_changes(base, CHANGE)
        result = run_compare(base, changed, seeds, a.hours * 3600.0, (), executor)
        rows = result.rows()
        print(f"{why}: default.toml with {', '.join(sets)}; {a.hours:g} h x {a.seeds} seeds; "
              f"change {', '.join(CHANGE)} ({result.wall_s:.0f} s, {result.executor})")
        for name, label in (("image.wait_p95_s", "SD1.5 wait p95 (s)"),
                            ("profit_cents", "profit (cents)")):
            r = rows[name]
            corr = "-" if r["correlation"] is None else f"{r['correlation']:.2f}"
            floor = "-" if r["pairing_floor"] is None else f"{r['pairing_floor']:.3f}"
            print(f"  {label:20s} diff {r['diff_mean']:>10.1f}  ±paired "
                  f"{r['diff_ci95_halfwidth']:>9.1f}  ±unpaired "
                  f"{r['unpaired_ci95_halfwidth']:>9.1f}  ratio {r['ratio']:.3f}  "
                  f"corr {corr}  floor {floor}")
    print("  goal: SD1.5 wait p95 ratio <= 0.333 (floor: the least any pairing could give "
          "the two sides' spreads)")


if __name__ == "__main__":
    main()
