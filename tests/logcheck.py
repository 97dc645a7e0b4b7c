"""An independent reading of a run's event log: rebuilds queues, slots and quotas from the
records alone and reports every rule of DOMAIN.md that the log shows broken.

It shares no code with the simulation beyond the record format (``sim.eventlog.KINDS``,
read by field name), so a bug in the model's bookkeeping cannot hide itself here.
"""

from __future__ import annotations

from collections import defaultdict

from sim.eventlog import fields

TERMINAL_KINDS = {"delivered", "declined", "refunded_failure", "refunded_abandon",
                  "refunded_cancel"}


def check_log(records: list[tuple], scenario) -> list[str]:
    problems: list[str] = []
    aging = {name: scenario.queue.aging_s for name in scenario.models}
    concurrency = {}          # customer -> tier limit
    tier_limit = {k: t.concurrency for k, t in scenario.tiers.items()}
    in_factory = defaultdict(set)   # customer -> orders counted against the quota
    order_cust = {}
    order_model = {}
    submitted_at = {}
    lane_of = {}
    queued = defaultdict(dict)      # model -> {order: lane}
    running_on = defaultdict(set)   # (model, slot) -> orders
    slot_call_start = {}            # (model, slot) -> start time of its call
    order_slot = {}
    terminal = defaultdict(int)
    customer_end = defaultdict(int)
    last_t = 0.0
    for rec in records:
        f = fields(rec)
        t, kind = f["t_s"], f["kind"]
        if t < last_t:
            problems.append(f"time went backwards at {rec}")
        last_t = t
        if kind == "arrive":
            concurrency[f["customer"]] = tier_limit[f["tier"]]
        elif kind in ("reject", "leave", "done"):
            customer_end[f["customer"]] += 1
        elif kind == "place":
            order_cust[f["order"]] = f["customer"]
            order_model[f["order"]] = f["model"]
        elif kind == "decline":
            terminal[f["order"]] += 1
        elif kind == "enqueue":
            oid, cid, model, lane = f["order"], f["customer"], f["model"], f["lane"]
            submitted_at[oid] = t
            lane_of[oid] = lane
            queued[model][oid] = lane
            in_factory[cid].add(oid)
            if len(in_factory[cid]) > concurrency[cid]:
                problems.append(f"customer {cid} has {len(in_factory[cid])} orders in the "
                                f"factory > limit {concurrency[cid]} at t={t}")
        elif kind == "requeue":
            queued[f["model"]][f["order"]] = f["lane"]
        elif kind == "start":
            oid, model, slot = f["order"], f["model"], f["slot"]
            if oid not in queued[model]:
                problems.append(f"order {oid} started without being queued at t={t}")
            lane = queued[model].pop(oid, None)
            if lane == "normal":
                age = t - submitted_at[oid]
                vips = [o for o, ln in queued[model].items() if ln == "vip"]
                if vips and age < aging[model]:
                    problems.append(f"normal order {oid} overtook VIP {vips[0]} on {model} "
                                    f"at t={t} (age {age:.1f} < aging {aging[model]})")
            key = (model, slot)
            if running_on[key] and slot_call_start.get(key) != t:
                problems.append(f"slot {key} runs two calls at t={t}")
            if not running_on[key]:
                slot_call_start[key] = t
            running_on[key].add(oid)
            order_slot[oid] = key
        elif kind in ("deliver", "fail", "refund"):
            oid = f["order"]
            key = order_slot.pop(oid, None)
            if key is not None:
                running_on[key].discard(oid)
            if kind == "refund":
                queued[order_model[oid]].pop(oid, None)
            if kind == "deliver" or kind == "refund":
                terminal[oid] += 1
                in_factory[order_cust[oid]].discard(oid)
            if kind == "refund" and f["state"] not in TERMINAL_KINDS:
                problems.append(f"refund into a non-terminal state {rec}")
        elif kind == "backoff":
            pass
    for oid, k in terminal.items():
        if k != 1:
            problems.append(f"order {oid} ended {k} times")
    for cid, k in customer_end.items():
        if k != 1:
            problems.append(f"customer {cid} ended {k} times")
    return problems
