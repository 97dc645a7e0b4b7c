"""How honest is the wait estimate?  The 3x question and the 80% range, measured.

    python bench/bench_eta.py [--seeds 1-3] [--hours 8] [--scenarios default,rush-hour,outage]
                              [--no-cost] [--why] [--oracle R [--oracle-every N]]

Every customer is made patient (``arrivals.patience_*_s`` = one week), so every wait is
observed and no answer at the breaker censors it.  For each scenario, model and lane (and
all together), over the orders that waited more than 60 s before their first start:

* ``ask P`` / ``ask R``: precision and recall of "the estimate at enqueue passes the bound"
  (3x the model's mean task time) against "the realised wait passed it"; ``asked R`` the
  share of long waits whose customer was asked at all (any ``ask`` record for the order);
* ``med|e|``, ``bias``, ``p90|e|``: e = (estimate - wait) / wait, the estimate being the
  ``est_wait_s`` of the ``enqueue`` record (the median of the predicted wait);
* ``cover``: the share of waits inside ``[est_wait_lo_s, est_wait_hi_s]`` (goal 80% +- 5%);
  ``sharp``: mean interval width / mean wait; ``IS``: the mean interval score at alpha = 0.2
  (width + 10 x the miss) over the mean wait -- an interval that covers by being huge scores
  badly.  ``-`` where the records carry no interval.

``--why`` adds, per scenario and model, the same figures over the orders whose *estimate*
passed 60 s (``est>60``) beside those whose *wait* did (``wait>60``), and where the realised
waits fell in their predicted distribution (``<lo``, ``<med``, ``>hi``: 10%, 50%, 10% for an
honest one).  Selecting on the realised wait selects the unlucky: an order told 20 s that
waited 90 s is in, one told 20 s that waited 5 s is out -- so a calibrated median shows a
negative bias there, and the selection on the estimate shows whether it is calibrated.

``--oracle R`` adds, per scenario and model, River's figures beside a Monte-Carlo
reference's over the same orders (``eta_oracle.py``: R futures sampled at each enqueue from
the station's exact model with the true task-time distribution; ``--oracle-every N`` for
every N-th order, rush-hour's long queues are slow to sample).  Its med|e| is what the
median of the exact predicted wait scores: the floor the task times' own randomness leaves
any estimator that knows what a gateway knows.

Then the per-call cost of the estimate at rush-hour's peak (a queue of ~150 SD1.5 orders):
the snapshot asks for every waiting order's estimate ten times a second.
Goals (issue 19): ask precision and recall >= 0.9 where there are long waits; median |e| <=
0.20 on default, rush-hour, outage; |bias| <= 0.05 overall and <= 0.10 per lane with >= 200
waits; coverage 80% +- 5%.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from eta_oracle import Oracle  # noqa: E402

from sim import Simulation, load_scenario  # noqa: E402
from sim.eventlog import fields  # noqa: E402

PATIENT = ["arrivals.patience_min_s=604800", "arrivals.patience_max_s=604800"]
MIN_WAIT_S = 60.0
ALPHA = 0.2


def seed_list(text: str) -> list[int]:
    """``1-3`` or ``1,2,5`` or ``4``."""
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            out += range(int(a), int(b) + 1)
        else:
            out.append(int(part))
    return out


def run(scenario: str, seed: int, hours: float, oracle: int = 0,
        every: int = 1) -> list[dict]:
    """One patient run: a row per order that started, with its estimate and real wait (and
    the Monte-Carlo reference's, ``oracle`` futures per order: see ``eta_oracle.py``)."""
    sc = load_scenario(f"scenarios/{scenario}.toml", PATIENT)
    sim = Simulation(sc, seed=seed, keep_log=True)
    mc = Oracle(sim, futures=oracle, seed=seed, every=every) if oracle else None
    sim.advance_to(hours * 3600.0)
    bound = {name: sc.wait_breaker.multiplier * st.mean_task_s
             for name, st in sim.stations.items()}
    rows: dict[int, dict] = {}
    for rec in sim.log.records:
        kind = rec[1]
        if kind == "enqueue":
            f = fields(rec)
            rows[f["order"]] = {"t": f["t_s"], "model": f["model"], "lane": f["lane"],
                                "est": f["est_wait_s"], "lo": f.get("est_wait_lo_s"),
                                "hi": f.get("est_wait_hi_s"), "bound": bound[f["model"]],
                                "asked": False, "wait": None,
                                "mc": mc.starts.get(f["order"]) if mc else None}
        elif kind == "start":
            f = fields(rec)
            row = rows.get(f["order"])
            if row is not None and row["wait"] is None:
                row["wait"] = f["t_s"] - row["t"]
        elif kind == "ask":
            row = rows.get(fields(rec)["order"])
            if row is not None:
                row["asked"] = True
    return [r for r in rows.values() if r["wait"] is not None]


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def figures(rows: list[dict]) -> dict:
    """The bench's figures over one group of started orders."""
    long_ = [r for r in rows if r["wait"] > r["bound"]]
    flagged = [r for r in rows if r["est"] > r["bound"]]
    hit = sum(1 for r in flagged if r["wait"] > r["bound"])
    waited = [r for r in rows if r["wait"] > MIN_WAIT_S]
    errs = [(r["est"] - r["wait"]) / r["wait"] for r in waited]
    out = {"n": len(waited), "long": len(long_),
           "prec": hit / len(flagged) if flagged else None,
           "rec": hit / len(long_) if long_ else None,
           "asked": sum(1 for r in long_ if r["asked"]) / len(long_) if long_ else None,
           "med": quantile([abs(e) for e in errs], 0.5), "bias": quantile(errs, 0.5),
           "p90": quantile([abs(e) for e in errs], 0.9),
           "cover": None, "sharp": None, "score": None}
    ranged = [r for r in waited if r["lo"] is not None]
    if ranged:
        mean_wait = sum(r["wait"] for r in ranged) / len(ranged)
        inside = sum(1 for r in ranged if r["lo"] <= r["wait"] <= r["hi"])
        width = sum(r["hi"] - r["lo"] for r in ranged) / len(ranged)
        score = sum(r["hi"] - r["lo"] + 2 / ALPHA * (max(0.0, r["lo"] - r["wait"])
                                                     + max(0.0, r["wait"] - r["hi"]))
                    for r in ranged) / len(ranged)
        out.update(cover=inside / len(ranged), sharp=width / mean_wait, score=score / mean_wait)
    return out


def calibration(rows: list[dict], select: str) -> str:
    """Where the realised waits fell in their predicted ranges, over the orders whose
    ``select`` (``est`` or ``wait``) passed 60 s."""
    group = [r for r in rows if r[select] > MIN_WAIT_S and r["lo"] is not None]
    if not group:
        return f"{select}>60: -"
    n = len(group)
    errs = [(r["est"] - r["wait"]) / r["wait"] for r in group]
    below_lo = sum(1 for r in group if r["wait"] < r["lo"]) / n
    below_med = sum(1 for r in group if r["wait"] < r["est"]) / n
    above_hi = sum(1 for r in group if r["wait"] > r["hi"]) / n
    return (f"{select}>60: n {n:>5}  <lo {below_lo:4.0%}  <med {below_med:4.0%}  "
            f">hi {above_hi:4.0%}  med|e| {quantile([abs(e) for e in errs], 0.5):.2f}  "
            f"bias {quantile(errs, 0.5):+.2f}")


def versus(scenario: str, model: str, rows: list[dict]) -> str | None:
    """River's estimate and the Monte-Carlo reference's over the same orders (those that
    waited > 60 s and that the reference reached): med|e|, bias, p90|e|, coverage."""
    both = [r for r in rows if r["mc"] is not None and r["wait"] > MIN_WAIT_S]
    if not both:
        return None
    reference = [{**r, "est": r["mc"][0], "lo": r["mc"][1], "hi": r["mc"][2]} for r in both]

    def four(f: dict) -> str:
        return (f"med|e| {f['med']:.2f}  bias {f['bias']:+.2f}  p90|e| {f['p90']:.2f}  "
                f"cover {f['cover']:4.0%}")

    return (f"{scenario:<10} {model:<6} n {len(both):>5}   River: {four(figures(both))}   "
            f"reference: {four(figures(reference))}")


def fmt(x, spec: str = ".2f") -> str:
    if x is None or x != x:
        return "-"
    return format(x, spec)


HEAD = (f"{'scenario':<10} {'model':<6} {'lane':<6} {'n>60s':>6} {'long':>5} {'ask P':>6} "
        f"{'ask R':>6} {'asked R':>7} {'med|e|':>6} {'bias':>6} {'p90|e|':>6} {'cover':>6} "
        f"{'sharp':>6} {'IS':>6}")


def line(scenario: str, model: str, lane: str, f: dict) -> str:
    return (f"{scenario:<10} {model:<6} {lane:<6} {f['n']:>6} {f['long']:>5} "
            f"{fmt(f['prec']):>6} {fmt(f['rec']):>6} {fmt(f['asked']):>7} {fmt(f['med']):>6} "
            f"{fmt(f['bias'], '+.2f'):>6} {fmt(f['p90']):>6} {fmt(f['cover'], '.0%'):>6} "
            f"{fmt(f['sharp']):>6} {fmt(f['score']):>6}")


def estimate_cost(hours_cap: float = 6.0, queue: int = 150, calls: int = 200) -> None:
    """Microseconds per waiting order, and per snapshot, of the estimates at rush-hour's
    peak (the first instant SD1.5's queue holds ``queue`` orders)."""
    sc = load_scenario("scenarios/rush-hour.toml", PATIENT)
    sim = Simulation(sc, seed=1)
    st = sim.stations["image"]
    t = 0.0
    while len(st.lanes) < queue and t < hours_cap * 3600.0:
        t += 10.0
        sim.advance_to(t)
    n = len(st.lanes)
    now = sim.now
    every = getattr(st, "estimates", None)       # the whole queue, as the snapshot asks
    last = st.lanes.ordered(now)[-1]
    t0 = time.perf_counter()
    for _ in range(calls):
        if every is not None:
            every(now)
        else:                                    # the estimator before issue 19
            st.est_waits(n, now)
    per_snapshot = (time.perf_counter() - t0) / calls
    t0 = time.perf_counter()
    for _ in range(calls):
        if every is not None:
            st.est_range(last, now)
        else:
            st.est_wait(n - 1, now)
    per_order = (time.perf_counter() - t0) / calls
    print(f"\nestimate cost at rush-hour's peak (t={now / 3600:.2f} h, SD1.5 queue {n}): "
          f"{per_snapshot * 1e6:.0f} us for the whole queue (a snapshot), "
          f"{per_snapshot * 1e6 / max(1, n):.1f} us per waiting order; "
          f"{per_order * 1e6:.0f} us for the last order alone (an enqueue, a check)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", default="1-3", help="e.g. 1-3 or 4,5,6")
    p.add_argument("--hours", type=float, default=8.0)
    p.add_argument("--scenarios", default="default,rush-hour,outage")
    p.add_argument("--no-cost", action="store_true", help="skip the per-call cost")
    p.add_argument("--oracle", type=int, default=0, metavar="R",
                   help="also the Monte-Carlo reference: R sampled futures per order")
    p.add_argument("--oracle-every", type=int, default=1, metavar="N",
                   help="the reference for every N-th order only (by id)")
    p.add_argument("--why", action="store_true",
                   help="also the calibration over orders whose estimate passed 60 s")
    args = p.parse_args(argv)
    try:
        seeds = seed_list(args.seeds)
    except ValueError:
        print(f"error: bench_eta.py: argument --seeds: {args.seeds!r}: expected e.g. 1-3 or "
              f"1,2,5", file=sys.stderr)
        return 2
    if not 0 < args.hours <= 8760:
        print(f"error: bench_eta.py: argument --hours: {args.hours}: expected a number from "
              f"0 to 8760", file=sys.stderr)
        return 2
    if not 0 <= args.oracle <= 100_000 or args.oracle_every < 1:
        print(f"error: bench_eta.py: --oracle {args.oracle} --oracle-every {args.oracle_every}: "
              f"expected futures from 0 (off) to 100000 and every N >= 1", file=sys.stderr)
        return 2
    print(f"seeds {args.seeds}, {args.hours:g} h, every customer patient; e = (est - wait) / "
          f"wait over waits > {MIN_WAIT_S:.0f} s")
    print(HEAD)
    why = []
    ref = []
    for scenario in [s for s in args.scenarios.split(",") if s]:
        rows = [r for seed in seeds
                for r in run(scenario, seed, args.hours, args.oracle, args.oracle_every)]
        if args.oracle:
            for model in ["all", *sorted({r["model"] for r in rows})]:
                got = versus(scenario, model, rows if model == "all"
                             else [r for r in rows if r["model"] == model])
                if got:
                    ref.append(got)
        if args.why:
            for model in ["all", *sorted({r["model"] for r in rows})]:
                mine = rows if model == "all" else [r for r in rows if r["model"] == model]
                if any(r["wait"] > MIN_WAIT_S or r["est"] > MIN_WAIT_S for r in mine):
                    why += [f"{scenario:<10} {model:<6} {calibration(mine, sel)}"
                            for sel in ("wait", "est")]
        print(line(scenario, "all", "all", figures(rows)))
        for model in sorted({r["model"] for r in rows}):
            mine = [r for r in rows if r["model"] == model]
            for lane in ("all", "vip", "normal"):
                group = mine if lane == "all" else [r for r in mine if r["lane"] == lane]
                if group:
                    print(line(scenario, model, lane, figures(group)))
        for lane in ("vip", "normal"):
            print(line(scenario, "all", lane, figures([r for r in rows if r["lane"] == lane])))
    if why:
        print("\ncalibration: where the waits fell in their ranges, selected on the realised "
              "wait or on the estimate (--why)")
        print("\n".join(why))
    if args.oracle:
        print(f"\nthe Monte-Carlo reference ({args.oracle} futures per order from the "
              f"station's state at its enqueue, the true task-time distribution; "
              f"bench/eta_oracle.py): the floor of med|e| for any estimator that knows no "
              f"more than a gateway")
        print("\n".join(ref) if ref else "(no order the reference reaches waited > 60 s)")
    if not args.no_cost:
        estimate_cost()
    return 0


if __name__ == "__main__":
    sys.exit(main())
