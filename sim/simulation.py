"""The River factory: customers, orders, money and machines wired into one event-driven run.

This module holds the *decisions* that cross parts -- admitting a customer, holding money,
submitting within the tier's concurrency, dispatching, settling, retrying, asking at the
3x wait breaker, leaving, renting -- and the operator commands.  The parts it wires are
small modules of their own (door, ledger, lanes, stations, breaker, autoscaler, metrics).

Reading guide: ``_on_*`` methods are event handlers scheduled on the engine; everything else
is a step they share.  The 3x wait breaker lives in :mod:`sim.patience`, operator commands and
capacity changes in :mod:`sim.operator` (mixins of :class:`Simulation`).  See the package
docstring for the public API.
"""

from __future__ import annotations

import math
from collections import deque
from itertools import count
from typing import Any

from sim import rng
from sim.alerts import Alerts
from sim.autoscaler import Autoscaler
from sim.breaker import OPEN
from sim.commands import Command, make_command
from sim.customers import Crowd, Customer, CustomerState
from sim.door import Door
from sim.engine import Engine
from sim.eventlog import EventLog
from sim.ledger import Ledger
from sim.metrics import Histogram, Series, Window
from sim.operator import OperatorMixin
from sim.orders import Order, OrderState
from sim.patience import PatienceMixin
from sim.stations import Call, SlotState, Station

INSIDE, ASKED = CustomerState.INSIDE, CustomerState.ASKED
QUEUED, RUNNING, BACKOFF = OrderState.QUEUED, OrderState.RUNNING, OrderState.BACKOFF
PENDING, DELIVERED, DECLINED = OrderState.PENDING, OrderState.DELIVERED, OrderState.DECLINED
DONE, REJECTED = CustomerState.DONE, CustomerState.REJECTED
IDLE, BUSY, DRAINING = SlotState.IDLE, SlotState.BUSY, SlotState.DRAINING
COMMAND_PRIORITY = 1


class Simulation(PatienceMixin, OperatorMixin):
    """One run of the River factory.  Drive it with :meth:`advance_to`; see ``sim``'s docs."""

    def __init__(self, scenario, seed: int = 0, commands: list[Command] | tuple = (),
                 keep_log: bool = False) -> None:
        self.scenario = scenario
        self.seed = seed
        self.engine = Engine()
        self.streams = rng.Streams(seed)
        self.log = EventLog(keep=keep_log)
        self._log = self.log.add
        self.ledger = Ledger()
        self.crowd = Crowd(scenario, self.streams["customers"])
        d = scenario.door
        self.door = Door(d.enabled, d.admit_per_min, d.burst, d.lobby_max_orders)
        self.stations: dict[str, Station] = {}
        for cfg in scenario.models.values():
            st = Station(cfg, scenario, self.streams["upstream:" + cfg.name])
            self.stations[cfg.name] = st
            for _ in range(cfg.slots):
                st.add_slot(False, SlotState.IDLE, 0.0)
            st.base_target = cfg.slots
        self.autoscaler = Autoscaler(scenario.autoscaler)
        self.alerts = Alerts(scenario.alerts)
        self.retry = scenario.retry
        self.wb = scenario.wait_breaker
        self.multiplier = scenario.wait_breaker.multiplier
        self.rate_per_min = scenario.arrivals.rate_per_min
        self.profile = scenario.profile
        self.jitter = self.streams["jitter"]
        self._arrival_rnd = self.streams["arrivals"].random
        self.customers: dict[int, Customer] = {}
        self.departures: deque[Customer] = deque(maxlen=200)
        self.dead_letters: deque[tuple[float, int, str]] = deque(
            maxlen=scenario.retry.dead_letter_keep)
        self._cid = count(1)
        self._oid = count(1)
        self._arrival_token = 0
        self.n: dict[str, int] = dict.fromkeys((
            "arrived", "rejected", "left", "done", "rate_limited", "lobby_full",
            "submitted", "enqueued", "delivered", "declined", "refunded_failure",
            "refunded_abandon", "refunded_cancel", "retries", "dead_letters",
            "asked", "stayed", "vip_declined"), 0)
        self.wallets_initial = 0
        self.refunded_cents = 0
        self.cancelled_run_cost_cents = 0
        self.waiting = 0  # orders in every lane (the door's lobby count)
        # (time, admitted so far, left so far) at each metrics tick: windowed abandon rate
        self._marks: deque[tuple[float, int, int]] = deque([(0.0, 0, 0)])
        self.est_err = [0.0, 0.0, 0]  # sum |error|, sum error, count
        self.series = {k: Series(scenario.metrics.series_len)
                       for k in ("wait_p50", "wait_p95", "queue", "profit_cents", "in_building")}
        self.recorded: list[Command] = []
        self.model_names = tuple(self.stations)
        for cmd in [*scenario.commands, *commands]:
            self._schedule_command(cmd)
        self.recorded.extend(commands)
        self._schedule_arrival()
        e = self.engine
        e.at(scenario.billing.accrue_every_s, self._on_accrue_tick)
        e.at(scenario.metrics.sample_every_s, self._on_metrics_tick)
        e.at(scenario.autoscaler.check_every_s, self._on_autoscale_tick)

    # ---------------------------------------------------------------------------- driving
    @property
    def now(self) -> float:
        return self.engine.now

    @property
    def events(self) -> int:
        return self.log.total()

    def advance_to(self, t_s: float) -> None:
        """Process every event up to and including simulated time ``t_s``."""
        run_until, settle = self.engine.run_until, self.log.settle
        while not run_until(t_s, 2048):
            settle()
        settle()

    def event_log_sha256(self) -> str:
        return self.log.sha256()

    def command(self, name: str, **args: Any) -> Command:
        """Validate an operator command and apply it at ``now`` (before the next events)."""
        cmd = make_command(self.engine.now, name, args, "command", self.model_names)
        self._schedule_command(cmd)
        self.recorded.append(cmd)
        return cmd

    def recorded_commands(self) -> list[Command]:
        return list(self.recorded)

    def _schedule_command(self, cmd: Command) -> None:
        self.engine.at(cmd.at_s, self._apply, cmd, COMMAND_PRIORITY)

    def _emit(self, *record: Any) -> None:
        self.log.add((self.engine.now, *record))

    # ---------------------------------------------------------------------------- arrivals
    def rate_factor(self, t: float) -> tuple[float, float]:
        """The profile factor in force at ``t`` and when it next changes."""
        factor, end = 1.0, math.inf
        for start, f in self.profile:
            if start <= t:
                factor = f
            else:
                end = start
                break
        return factor, end

    def _schedule_arrival(self) -> None:
        """Draw the next Poisson arrival by inverting the piecewise-constant hazard."""
        self._arrival_token += 1
        remaining = -math.log(1.0 - self._arrival_rnd())
        t = self.engine.now
        base = self.rate_per_min / 60.0
        while True:
            factor, end = self.rate_factor(t)
            rate = base * factor
            if rate > 0:
                due = t + remaining / rate
                if due <= end:
                    self.engine.at(due, self._on_arrival, self._arrival_token)
                    return
            if end == math.inf:
                return  # no more arrivals until the rate changes
            remaining -= rate * (end - t)
            t = end

    def _on_arrival(self, token: int) -> None:
        if token != self._arrival_token:
            return
        now = self.engine.now
        self._schedule_arrival()
        cust, wants = self.crowd.draw(next(self._cid), now)
        cid, wallet = cust.id, cust.wallet_cents
        n = self.n
        n["arrived"] += 1
        self.wallets_initial += wallet
        self.ledger.fund(wallet)
        log = self._log
        log((now, "arrive", cid, cust.tier, cust.vip, wallet))
        reason = self.door.admit(now, self.waiting)
        if reason is not None:
            cust.state = REJECTED
            cust.reason = reason
            n["rejected"] += 1
            n[reason] += 1
            self._depart(cust)
            self._emit("reject", cust.id, reason)
            return
        self.customers[cid] = cust
        log((now, "admit", cid, len(wants)))
        if cust.vip:
            fee = self.scenario.billing.vip_fee_cents
            if fee <= cust.wallet_cents:
                cust.wallet_cents -= fee
                cust.held_cents += fee
                cust.vip_fee_cents = fee
                self.ledger.hold(fee)
                self._emit("vip", cust.id, "hold", fee)
            else:
                cust.vip = False
                n["vip_declined"] += 1
                self._emit("vip", cust.id, "decline", fee)
        prices = self.crowd.prices
        for model in wants:
            order = Order(next(self._oid), cust, model, prices[model], now)
            cust.orders.append(order)
            cust.pending.append(order)
            log((now, "place", order.id, cid, model))
        n["submitted"] += len(wants)
        self._feed(cust)

    # ---------------------------------------------------------------------------- orders
    def _feed(self, cust: Customer) -> None:
        """Submit pending orders while the tier's concurrency allows; end a finished visit."""
        while cust.active < cust.concurrency and cust.pending:
            self._submit(cust.pending.popleft())
        if cust.active == 0 and not cust.pending and cust.state in (INSIDE, ASKED):
            self._finish_visit(cust, DONE)

    def _submit(self, o: Order) -> None:
        now = self.engine.now
        cust = o.customer
        price = o.price_cents
        if price > cust.wallet_cents:
            o.state = DECLINED
            o.since_s = now
            cust.ended += 1
            self.n["declined"] += 1
            self._emit("decline", o.id, cust.id, "insufficient_funds")
            return
        cust.wallet_cents -= price
        cust.held_cents += price
        o.held_cents = price
        self.ledger.hold(price)
        cust.active += 1
        st = self.stations[o.model]
        lanes = st.lanes
        vip = o.vip = cust.vip
        o.submitted_s = now
        ahead = lanes.n_vip if vip else lanes.n_vip + lanes.n_normal
        est = st.est_wait(ahead, now)
        o.est_wait_s = est
        self._enqueue(st, o, front=False)
        self.n["enqueued"] += 1
        self._log((now, "enqueue", o.id, cust.id, o.model, "vip" if vip else "normal", price,
                   est))
        if self.wb.enabled and self.multiplier > 0:
            limit = self.multiplier * st.mean_task_s
            if est > limit:
                self._ask(cust, o, est)
            else:
                self.engine.at(now + limit, self._on_wait_check, o)
        self._dispatch(st)

    def _enqueue(self, st: Station, o: Order, front: bool) -> None:
        now = self.engine.now
        o.state = QUEUED
        o.since_s = now
        o.queued_s = now
        st.lanes.push(o, front)
        st.queued.add(now, 1)
        self.waiting += 1

    def _unqueue(self, st: Station, o: Order) -> None:
        now = self.engine.now
        st.queued.add(now, -1)
        self.waiting -= 1

    def _dispatch(self, st: Station) -> None:
        """Start calls while a slot is idle, the queue is not empty and the breaker allows."""
        if st.paused:
            return
        now = self.engine.now
        lanes, breaker = st.lanes, st.breaker
        # ``lanes.n_vip or lanes.n_normal`` is ``len(lanes)`` without a Python-level call
        while st.n_idle and (lanes.n_vip or lanes.n_normal) and breaker.allows():
            if st.batch_max == 1:
                self._start_call(st, st.take_idle(), [lanes.pop(now)])
                continue
            waiting = len(lanes)
            if waiting < st.batch_max and st.batch_window_s > 0 and not st.batch_due:
                if st.batch_deadline_s is None:
                    st.batch_deadline_s = now + st.batch_window_s
                    self.engine.at(st.batch_deadline_s, self._on_batch_due, st)
                return
            take = min(waiting, st.batch_max)
            st.batch_deadline_s = None
            st.batch_due = False
            orders = []
            for _ in range(take):
                o = lanes.pop(now)
                if o is None:
                    break
                orders.append(o)
            self._start_call(st, st.take_idle(), orders)

    def _on_batch_due(self, st: Station) -> None:
        st.batch_deadline_s = None
        if len(st.lanes):
            st.batch_due = True
            self._dispatch(st)

    def _start_call(self, st: Station, slot, orders: list[Order]) -> None:
        now = self.engine.now
        call = Call(st, slot, orders, now)
        log = self._log
        queued = st.queued
        for o in orders:
            queued.add(now, -1)  # as _unqueue
            self.waiting -= 1
            if o.started_s < 0:
                o.started_s = now
                wait = now - o.submitted_s
                est = o.est_wait_s
                st.record_wait(now, wait, o.vip)
                if wait > 0 or est > 0:
                    err = self.est_err
                    err[0] += abs(wait - est)
                    err[1] += wait - est
                    err[2] += 1
            o.state = RUNNING
            o.since_s = now
            o.attempts += 1
            o.slot = slot
            log((now, "start", o.id, st.name, slot.key, o.attempts))
        if len(orders) > 1:
            log((now, "batch", st.name, slot.key, len(orders)))
        st.breaker.on_start()
        st.calls += 1
        cfg = st.cfg
        fee = cfg.task_fee_cents
        if fee:
            self.ledger.pay_upstream("task_fee", fee)
        rnd = st.rnd
        duration = rng.erlang(rnd, st.mean_task_s, cfg.task_shape)
        u = rnd.random()
        if st.outage_until_s > now:
            call.outcome, duration = "outage", self.scenario.circuit.outage_fail_s
        elif u < cfg.throttle_rate:
            call.outcome, duration = "throttle", cfg.throttle_delay_s
        elif u < cfg.throttle_rate + cfg.fail_rate:
            call.outcome, duration = "error", duration * rnd.random()
        call.end_s = end_s = now + duration
        slot.state = BUSY
        slot.since_s = now
        slot.call = call
        st.busy.add(now, 1)
        self.engine.at(end_s, self._on_call_end, call)

    def _release(self, st: Station, slot) -> None:
        """A call left its slot: back to idle, or out of service if it was draining."""
        now = self.engine.now
        st.busy.add(now, -1)
        if slot.state is DRAINING:
            slot.call = None
            st.remove_slot(slot, now)
            self._emit("slot", st.name, slot.index, slot.rented, "gone")
        else:
            st.make_idle(slot, now)

    def _on_call_end(self, call: Call) -> None:
        if call.cancelled:
            return
        now = self.engine.now
        st, slot = call.station, call.slot
        self._release(st, slot)
        ok = call.outcome == "ok"
        flipped = st.breaker.record(ok, now)
        if flipped is not None:
            self._emit("circuit", st.name, flipped)
            if flipped == OPEN:
                self.engine.at(st.breaker.open_until_s, self._on_half_open, st)
        if ok:
            st.record_duration(now - call.start_s)
        else:
            slot.last_fail_s = now
            if call.outcome == "throttle":
                st.throttled += 1
        # Settle the whole call before any customer moves on: a delivery frees quota and
        # may submit the next order, which must not start before this call has ended.
        orders = call.orders
        if ok:
            for o in orders:
                self._deliver(st, o)
            ended = orders
        else:
            ended = [o for o in orders if self._failed(st, o, call.outcome)]
        for o in ended:
            self._order_ended(o)
        self._dispatch(st)

    def _deliver(self, st: Station, o: Order) -> bool:
        cust = o.customer
        cents = o.held_cents
        cust.held_cents -= cents
        o.held_cents = 0
        self.ledger.settle(cents)
        now = self.engine.now
        o.state = DELIVERED
        o.since_s = now
        cust.delivered += 1
        st.delivered += 1
        self.n["delivered"] += 1
        self._log((now, "deliver", o.id, cust.id, cents))
        return True

    def _failed(self, st: Station, o: Order, why: str) -> bool:
        """Retry after a backoff, or give up; True if the order ended."""
        st.failed += 1
        self._emit("fail", o.id, st.name, why, o.attempts)
        if o.attempts < self.retry.max_attempts:
            cap = self.retry.base_s * self.retry.factor ** (o.attempts - 1)
            delay = cap * self.jitter.random()  # full jitter
            o.state = BACKOFF
            o.since_s = self.engine.now
            o.slot = None
            st.retries += 1
            self.n["retries"] += 1
            self._emit("backoff", o.id, delay)
            self.engine.after(delay, self._on_requeue, o)
            return False
        else:
            self.n["dead_letters"] += 1
            self.dead_letters.append((self.engine.now, o.id, st.name))
            self._emit("dead_letter", o.id, st.name)
            self._refund(o, OrderState.REFUNDED_FAILURE)
            return True

    def _on_requeue(self, o: Order) -> None:
        if o.state != BACKOFF:
            return
        st = self.stations[o.model]
        self._enqueue(st, o, front=True)
        self._emit("requeue", o.id, st.name, o.lane)
        self._dispatch(st)

    def _refund(self, o: Order, state: OrderState) -> None:
        cust = o.customer
        cents = o.held_cents
        if cents:
            cust.held_cents -= cents
            cust.wallet_cents += cents
            o.held_cents = 0
            self.ledger.refund(cents)
            self.refunded_cents += cents
        now = self.engine.now
        if o.started_s < 0 <= o.submitted_s:
            self.stations[o.model].gave_up.add(now - o.submitted_s)
        o.state = state
        o.since_s = now
        o.slot = None
        self.n[state.value] += 1
        self._emit("refund", o.id, cust.id, state.value, cents)

    def _order_ended(self, o: Order) -> None:
        """An order in the factory reached a terminal state: free its quota, feed the next."""
        cust = o.customer
        cust.active -= 1
        cust.ended += 1
        if cust.state in (INSIDE, ASKED):
            self._feed(cust)

    def _depart(self, cust: Customer) -> None:
        """Keep a finished customer in the bounded ``departures`` ring (the renderer animates
        them walking out).  The one pushed out of the ring drops its orders' back-references,
        so customer and orders are freed by reference counting: no cycles for the garbage
        collector to chase, and a week-long run stays flat in memory."""
        deps = self.departures
        if len(deps) == deps.maxlen:
            for o in deps[0].orders:
                o.customer = None
        deps.append(cust)

    def _finish_visit(self, cust: Customer, state: CustomerState) -> None:
        now = self.engine.now
        fee = cust.vip_fee_cents
        if fee:
            cust.held_cents -= fee
            cust.vip_fee_cents = 0
            if cust.delivered:
                self.ledger.settle(fee)
                self._emit("vip", cust.id, "settle", fee)
            else:
                cust.wallet_cents += fee
                self.ledger.refund(fee)
                self.refunded_cents += fee
                self._emit("vip", cust.id, "refund", fee)
        cust.state = state
        cust.since_s = now
        del self.customers[cust.id]
        self._depart(cust)
        if state is DONE:
            self.n["done"] += 1
            self._log((now, "done", cust.id))
        else:
            self.n["left"] += 1
            self._emit("leave", cust.id)

    # ---------------------------------------------------------------------- ticks
    def _on_half_open(self, st: Station) -> None:
        if st.breaker.half_open(self.engine.now):
            self._emit("circuit", st.name, st.breaker.state)
            self._dispatch(st)

    def _on_accrue_tick(self, _: Any = None) -> None:
        now = self.engine.now
        for st in self.stations.values():
            st.accrue(now)
            base, rent = st.unposted()
            if base or rent:
                self.ledger.pay_upstream("slot_fee", base)
                self.ledger.pay_upstream("rental", rent)
                self._emit("accrue", st.name, base, rent)
        self.engine.at(now + self.scenario.billing.accrue_every_s, self._on_accrue_tick)

    def _on_metrics_tick(self, _: Any = None) -> None:
        now = self.engine.now
        q = self.window_quantiles()
        s = self.series
        s["wait_p50"].add(now, q["p50"])
        s["wait_p95"].add(now, q["p95"])
        s["queue"].add(now, self.waiting)
        s["profit_cents"].add(now, self.profit_cents())
        s["in_building"].add(now, len(self.customers))
        for st in self.stations.values():
            st.series_queue.add(now, len(st.lanes))
            st.series_wait.add(now, st.wait_window.quantiles(now)["p95"])
        n = self.n
        marks = self._marks
        marks.append((now, n["arrived"] - n["rejected"], n["left"]))
        while len(marks) > 2 and marks[1][0] <= now - self.scenario.metrics.window_s:
            marks.popleft()
        admitted = marks[-1][1] - marks[0][1]
        values = {
            "mean_wait": q["mean"],
            "abandon_rate": (marks[-1][2] - marks[0][2]) / admitted if admitted else 0.0,
            "queue_len": float(self.waiting),
            "breaker_open": float(any(st.breaker.state == OPEN
                                      for st in self.stations.values())),
        }
        for a in self.alerts.update(now, values):
            self._emit("alert", a.name, a.active)
        self.engine.at(now + self.scenario.metrics.sample_every_s, self._on_metrics_tick)

    def _on_autoscale_tick(self, _: Any = None) -> None:
        now = self.engine.now
        spent = sum(st.owed_cents[1] for st in self.stations.values())
        for st in self.stations.values():
            # nothing can be on its way while no rented slot is under lease
            provisioning = st.count(True, SlotState.PROVISIONING) if st.rented_slots else 0
            decision = self.autoscaler.decide(st, now, provisioning, spent)
            if decision is not None:
                action, n = decision
                (self._rent if action == "rent" else self._return)(st, n, "autoscaler")
        self.engine.at(now + self.scenario.autoscaler.check_every_s, self._on_autoscale_tick)

    # ---------------------------------------------------------------------- reading
    def profit_cents(self) -> int:
        """Profit so far, fees accrued since the last posting included (as in the summary)."""
        from sim.summary import money

        return money(self)["profit"]

    def waits(self) -> Histogram:
        """Every wait so far (submission to production start), all models."""
        return Histogram.merged(st.waits for st in self.stations.values())

    def window_quantiles(self) -> dict[str, float]:
        """Live wait percentiles over the sliding window, all models."""
        return Window.merged_quantiles((st.wait_window for st in self.stations.values()),
                                       self.engine.now)

    def state_digest(self) -> str:
        """A SHA-256 of the whole model state (clock, pending events, random streams, log,
        counters, people, orders, slots): equal digests mean nothing changed.  For tests that
        prove an observer (the renderer) never mutates the simulation."""
        import hashlib

        h = hashlib.sha256()
        h.update(repr((self.engine.now, self.engine.pending(), self.log.total(),
                       self.log.sha256(), sorted(self.n.items()), self.rate_per_min,
                       self.multiplier, self.crowd.vip_share, self.autoscaler.enabled,
                       len(self.recorded))).encode())
        for name in sorted(self.streams._streams):
            h.update(repr((name, self.streams._streams[name].getstate())).encode())
        for t, prio, seq, _, _ in sorted(self.engine._heap):
            h.update(repr((t, prio, seq)).encode())
        for c in self.customers.values():
            h.update(repr((c.id, c.state, c.since_s, c.wallet_cents, c.held_cents, c.active,
                           [(o.id, o.state, o.since_s, o.held_cents, o.attempts, o.qtoken)
                            for o in c.orders])).encode())
        for st in self.stations.values():
            h.update(repr((st.name, st.paused, st.outage_until_s, st.breaker.state,
                           st.n_idle, len(st.lanes), st.owed_cents,
                           [(k, sl.state, sl.since_s) for k, sl in sorted(st.slots.items())]
                           )).encode())
        return h.hexdigest()

    def estimate_error(self) -> dict[str, float]:
        s_abs, s_signed, k = self.est_err
        return {"mean_abs_error_s": s_abs / k if k else 0.0,
                "mean_error_s": s_signed / k if k else 0.0, "count": k}

    def snapshot(self):
        from sim.snapshot import take

        return take(self)

    def summary(self, wall_seconds: float = 0.0) -> dict[str, Any]:
        from sim.summary import summarize

        return summarize(self, wall_seconds)


def run(scenario, seed: int = 0, hours: float | None = None,
        commands: list[Command] | tuple = ()) -> dict[str, Any]:
    """Run headless for ``hours`` (default: the scenario's) and return the summary dict."""
    import time

    hours = scenario.run.hours if hours is None else hours
    t0 = time.perf_counter()
    sim = Simulation(scenario, seed=seed, commands=commands)
    sim.advance_to(hours * 3600.0)
    return sim.summary(time.perf_counter() - t0)
