"""What River's books cost at best on M/M/c: the floor under issue 18's "1.5x SimPy".

    python bench/books_floor.py [--servers C] [--rho R] [--customers N] [--repeat K]

River's timed M/M/c path keeps books SimPy's model does not: per customer 7 event-log
records hashed in chunks, a ledger (wallet funded, price held, settled), 2 keyed draws, 3
wait histograms and a wait window, the wait estimate at each enqueue, the queue's and the
busy slots' time averages, customer, order and call objects, an idle-slot heap.  Here the
same work is written into two event handlers with local names only -- no method but the
estimate's closed form (:func:`sim.eta.line_fifo_range`, River's own) -- and timed beside
SimPy on the same arrivals.  It is *not* River (no scenario, snapshot, quotas, door or
metrics tick: less than River does); it says how fast River could be if every step were
fused into its handler, and what each book costs: the run is repeated with the records,
the estimate and the wait statistics left out, one at a time and all three.

It plays River's queue: River's arrival stream and River's keyed task times (the station's
key, order ids and attempt as :meth:`sim.stations.Station.draw` keys them), so it sees the
same arrivals and the same mean wait as River's timed run (printed, and checked by
``tests/test_core_bench.py``).  Prints figures, asserts nothing; CPU time of this process,
medians of ``--repeat`` runs taken in turn.
"""

from __future__ import annotations

import argparse
import hashlib
import marshal
import math
import pathlib
import statistics
import sys
from collections import deque
from heapq import heapify, heappop, heappush

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import bench_core  # noqa: E402

from sim.eta import line_fifo_range  # noqa: E402
from sim.rng import GAMMA, at, entity  # noqa: E402

BOOKS = ("records", "estimate", "waits")      # what an ablation may leave out
CHUNK = 512                                    # records hashed at a time (River's too)
WINDOW_S = 300.0                               # the wait window's span


class _Customer:
    __slots__ = ("id", "tier", "vip", "wallet", "patience", "arrived", "state", "orders",
                 "pending", "active", "held")

    def __init__(self, cid: int, wallet: int, patience: float, now: float) -> None:
        self.id, self.tier, self.vip, self.wallet = cid, "all", False, wallet
        self.patience, self.arrived, self.state = patience, now, "inside"
        self.orders, self.pending, self.active, self.held = [], deque(), 0, 0


class _Order:
    __slots__ = ("id", "customer", "state", "since", "price", "submitted", "started",
                 "attempts", "slot", "est", "lo", "hi", "token", "held")

    def __init__(self, oid: int, customer: _Customer, price: int, now: float) -> None:
        self.id, self.customer, self.state, self.since = oid, customer, "placed", now
        self.price, self.submitted, self.started, self.attempts = price, now, -1.0, 0
        self.slot, self.est, self.lo, self.hi, self.token, self.held = None, 0.0, 0.0, 0.0, 0, 0


class _Call:
    __slots__ = ("slot", "order", "start", "end")

    def __init__(self, slot: int, order: _Order, start: float, end: float) -> None:
        self.slot, self.order, self.start, self.end = slot, order, start, end


def floor_mmc(c: int, lam: float, t_end: float, off: frozenset = frozenset()
              ) -> tuple[float, int, float]:
    """The fused books on M/M/c up to ``t_end`` (``off``: books left out, of
    :data:`BOOKS`): (CPU seconds, arrivals, mean wait of the started)."""
    station = bench_core.mmc_simulation(c, lam).stations["job"]   # River's key (not timed)
    key, mean_s = station.key, station.mean_task_s
    first_id = 1                                  # River's first customer and order ids
    rnd, rate = bench_core.arrival_stream().random, bench_core.rate_per_s(lam)
    records, estimate, waits = (b not in off for b in BOOKS)
    heap: list = []
    idle = [(k, k) for k in range(c)]
    heapify(idle)
    lane: deque = deque()
    buf: list = []
    digest = hashlib.sha256()
    ledger = {"wallets": 0, "held": 0, "revenue": 0}
    hists = [[0] * 400 for _ in range(3)]
    hstats = [[0, 0.0, 0.0] for _ in range(3)]
    wtimes: deque = deque()
    wsamples: deque = deque()
    queued = [0.0, 0, 0.0]            # time average: area, level, last change
    busy = [0.0, 0, 0.0]
    books = {"done_s": 0.0, "ok": 0, "calls": 0, "err_n": 0, "err_s": 0.0, "within": 0}
    counts = {"arrived": 0, "submitted": 0, "enqueued": 0, "delivered": 0, "done": 0}
    state = {"idle": c, "seq": 1, "cid": first_id, "oid": first_id, "waits": 0.0}
    log_step = math.log(1.05)

    def log(record: tuple) -> None:
        buf.append(record)
        if len(buf) >= CHUNK:
            digest.update(marshal.dumps(buf, 2))
            buf.clear()

    def start(now: float) -> None:
        slot = heappop(idle)[1]
        state["idle"] -= 1
        o = lane.popleft()[1]
        queued[0] += queued[1] * (now - queued[2])
        queued[2] = now
        queued[1] -= 1
        if o.started < 0:
            o.started = now
            wait = now - o.submitted
            state["waits"] += wait
            if waits:
                idx = int(wait * 100.0) if wait < 1.0 else 100 + int(math.log(wait) / log_step)
                idx = idx if idx < 400 else 399
                for hist, s in zip(hists, hstats, strict=True):
                    hist[idx] += 1
                    s[0] += 1
                    s[1] += wait
                    if wait > s[2]:
                        s[2] = wait
                wtimes.append(now)
                wsamples.append(wait)
                while wtimes[0] < now - WINDOW_S:
                    wtimes.popleft()
                    wsamples.popleft()
                books["within"] += wait <= 60.0
                books["err_n"] += 1
                books["err_s"] += abs(wait - o.est)
        o.state, o.since, o.slot = "running", now, slot
        o.attempts += 1
        if records:
            log((now, "start", o.id, "job", (0, slot), o.attempts))
        books["calls"] += 1
        duration = -mean_s * math.log(1.0 - at(entity(key, o.id, o.attempts) + 3 * GAMMA))
        busy[0] += busy[1] * (now - busy[2])
        busy[2] = now
        busy[1] += 1
        state["seq"] += 1
        heappush(heap, (now + duration, state["seq"], _Call(slot, o, now, now + duration)))

    def arrive(now: float) -> None:
        state["seq"] += 1
        heappush(heap, (now - math.log(1.0 - rnd()) / rate, state["seq"], None))
        cid = state["cid"]
        state["cid"] = cid + 1
        cust = _Customer(cid, 1000, 60.0 + 600.0 * at(cid * (GAMMA << 18) + 5 * GAMMA), now)
        counts["arrived"] += 1
        ledger["wallets"] += 1000
        oid = state["oid"]
        state["oid"] = oid + 1
        o = _Order(oid, cust, 1, now)
        cust.orders.append(o)
        cust.pending.append(o)
        counts["submitted"] += 1
        if records:
            log((now, "arrive", cid, "all", False, 1000))
            log((now, "admit", cid, 1))
            log((now, "place", oid, cid, "job"))
        cust.held += 1
        ledger["held"] += 1
        o.held = 1
        cust.pending.popleft()
        cust.active += 1
        o.state, o.since = "queued", now
        state["seq"] += 1
        o.token = state["seq"]
        lane.append((o.token, o))
        queued[0] += queued[1] * (now - queued[2])
        queued[2] = now
        queued[1] += 1
        n_idle = state["idle"]
        if estimate and len(lane) > n_idle:
            ok = books["ok"]
            o.est, o.lo, o.hi = line_fifo_range(n_idle, c, books["done_s"] / ok if ok else mean_s,
                                                ok if ok >= 5 else 0, len(lane))
        counts["enqueued"] += 1
        if records:
            log((now, "enqueue", oid, cid, "job", "normal", 1, o.est, o.lo, o.hi))
        if n_idle:
            start(now)

    def end(now: float, call: _Call) -> None:
        busy[0] += busy[1] * (now - busy[2])
        busy[2] = now
        busy[1] -= 1
        heappush(idle, (call.slot, call.slot))
        state["idle"] += 1
        books["done_s"] += now - call.start
        books["ok"] += 1
        o = call.order
        cust = o.customer
        o.state, o.since = "delivered", now
        ledger["held"] -= o.held
        ledger["revenue"] += o.held
        cust.held -= o.held
        counts["delivered"] += 1
        cust.active -= 1
        if records:
            log((now, "deliver", o.id, cust.id, o.price, now - o.submitted))
        if not cust.active and not cust.pending:
            cust.state = "done"
            counts["done"] += 1
            if records:
                log((now, "depart", cust.id, "done", 0))
        if lane:
            start(now)

    t0 = bench_core.clock()
    heappush(heap, (-math.log(1.0 - rnd()) / rate, 0, None))
    while heap and heap[0][0] <= t_end:
        now, _, call = heappop(heap)
        if call is None:
            arrive(now)
        else:
            end(now, call)
    cpu = bench_core.clock() - t0
    started = hstats[0][0] if waits else counts["enqueued"] - len(lane)
    return cpu, counts["arrived"], state["waits"] / max(1, started)


def main() -> int:
    ap = argparse.ArgumentParser(description="River's books fused into two handlers: a floor")
    ap.add_argument("--servers", type=int, default=20)
    ap.add_argument("--rho", type=float, default=0.9)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    c, lam = args.servers, args.rho * args.servers * bench_core.MU
    t_end = args.customers / lam
    variants = [frozenset(), *(frozenset({b}) for b in BOOKS), frozenset(BOOKS)]
    times: dict = {v: [] for v in variants}
    simpy, river = [], []
    for _ in range(args.repeat):      # in turn, so a slow minute of the machine hits all
        simpy.append(bench_core.simpy_mmc(c, lam, t_end)[0])
        river.append(bench_core.river_mmc(c, lam, t_end))
        for v in variants:
            cpu, n, wait = floor_mmc(c, lam, t_end, v)
            times[v].append(cpu)
            if not v:
                fused_wait = wait
    s = statistics.median(simpy)
    r, river_n, river_wait = bench_core.median_run(river)[:3]
    print(f"M/M/{c} rho={args.rho} up to t={t_end:,.0f} s: {n:,} arrivals (River {river_n:,}); "
          f"CPU, medians of {args.repeat} runs in turn")
    print(f"  {'SimPy':40s} {1e6 * s / n:6.2f} us/customer  1.00x SimPy")
    print(f"  {'River (its timed path)':40s} {1e6 * r / n:6.2f} us/customer  "
          f"{s / r:.2f}x SimPy  mean wait {river_wait:.3f} s")
    for v in variants:
        m = statistics.median(times[v])
        name = "the books fused" if not v else "  without " + " + ".join(sorted(v))
        print(f"  {name:40s} {1e6 * m / n:6.2f} us/customer  {s / m:.2f}x SimPy"
              + (f"  mean wait {fused_wait:.3f} s" if not v else ""))
    print(f"  {'1.5x SimPy would be':40s} {1e6 * s / 1.5 / n:6.2f} us/customer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
