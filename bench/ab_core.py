"""Two checkouts of River against each other, run in turn: is a change faster?

    python bench/ab_core.py TREE_A TREE_B [--runs 5] [--what mmc,default,crowd]

(``TREE``: a checkout's folder, e.g. one made by ``git worktree add /tmp/base <rev>``.)  Each
run is a fresh process in that tree, A and B taken in turn (A B A B ...) so that a shared
machine's load falls on both alike; prints the median CPU microseconds of each and B/A.
Nothing is asserted: timings are the machine's, the ratio taken in turn is what to read.

* mmc: M/M/20 at rho 0.9 (``scenarios/mmc.toml``) to t = 2,000 s (~36,000 customers),
  per customer;
* default: ``scenarios/default.toml`` for ~3,000 customers, per customer;
* crowd: ``scenarios/rush-hour.toml`` from its start to the flash crowd's end (3:30), per
  simulated second;
* flash: the browser bench's scene (``bench/bench_browser.py``: rush hour with 60 arrivals
  a minute from 2:50, 300-odd inside and orders waiting past their aging), over the window
  it times (3:10 to 4:30), per simulated second.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

RUN = r'''
import sys, time
sys.path.insert(0, ".")
from sim import Simulation, load_scenario
what = sys.argv[1]
if what == "mmc":
    sets = ["models.job.slots=20", "arrivals.rate_per_min=1080.0", "models.job.mean_task_s=1.0"]
    sim, t_end = Simulation(load_scenario("scenarios/mmc.toml", sets), seed=1), 2000.0
elif what == "default":
    sim = Simulation(load_scenario("scenarios/default.toml"), seed=1)
    t_end = 3000 / (sim.scenario.arrivals.rate_per_min / 60.0)
elif what == "crowd":
    sim, t_end = Simulation(load_scenario("scenarios/rush-hour.toml"), seed=1), 12600.0
else:
    import pathlib, tempfile
    sys.path.insert(0, "bench")
    import bench_browser as bb
    from sim.commands import make_command
    path = pathlib.Path(tempfile.mkdtemp()) / "bench-crowd.toml"
    path.write_text(bb.scene_toml())
    sim = Simulation(load_scenario(path), seed=bb.SEED,
                     commands=[make_command(10200.0, "spawn_rate", {"rate_per_min": 60.0})])
    sim.advance_to(bb.MEASURE_S[0])
    t_end = bb.MEASURE_S[1]
t0 = sim.engine.now
t = time.process_time()
sim.advance_to(t_end)
d = time.process_time() - t
print(1e6 * d / (t_end - t0 if what in ("crowd", "flash") else sim.counts["arrived"]))
'''
UNITS = {"mmc": "us/customer", "default": "us/customer", "crowd": "us/simulated s",
         "flash": "us/simulated s"}


def run(tree: str, what: str) -> float:
    out = subprocess.run([sys.executable, "-c", RUN, what], cwd=tree, capture_output=True,
                         text=True, check=False)
    if out.returncode:
        sys.exit(f"ab_core: {tree}: {out.stderr.strip().splitlines()[-1]}")
    return float(out.stdout.split()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description="two River checkouts, timed in turn")
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--what", default="mmc,default")
    args = ap.parse_args()
    whats = args.what.split(",")
    for what in whats:
        if what not in UNITS:
            ap.error(f"--what: {what!r} is not one of {', '.join(UNITS)}")
    for what in whats:
        ra, rb = [], []
        for _ in range(args.runs):
            ra.append(run(args.a, what))
            rb.append(run(args.b, what))
        ma, mb = statistics.median(ra), statistics.median(rb)
        print(f"{what:8s} A {ma:8.2f}  B {mb:8.2f} {UNITS[what]}  B/A {mb / ma:.3f}  "
              f"(A {' '.join(f'{x:.1f}' for x in ra)}; B {' '.join(f'{x:.1f}' for x in rb)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
