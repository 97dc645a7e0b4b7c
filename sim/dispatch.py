"""Dispatch: one model's queue put to work on its slots, one upstream call at a time.

A :class:`Dispatcher` starts calls while a slot is idle, the queue is not empty and the
circuit breaker allows; batches orders for a batching model (up to N orders, or when the W
second window closes); takes each call's duration and outcome from the keyed draw of its
first order's attempt (:meth:`sim.stations.Station.draw`); and when a call ends, frees its
slot, tells the breaker, and hands the call to the order flow (delivery or retry).  A
running order taken off its call (a cancel, a customer leaving) goes through
:meth:`Dispatcher.cancel_running`, which also frees a half-open breaker's probe: a probe
that never answers must not block the model for ever.

The hot paths are fused, chosen once per dispatcher where what they leave out is off: a
one-order model's start (:meth:`Dispatcher._dispatch_single`: the slot, the lane's head,
the wait's books, the draw, the sample, the engine, in one method) and the end of a call
that succeeded (:meth:`Dispatcher._on_call_end_fused`: the slot's release, the breaker,
the sample, then the order flow's delivery).  They take the general path's steps in the
same order with fewer Python calls; ``Dispatcher.fused =
False`` builds the general paths, and tests/test_core_fast_out.py holds the two to the same
records, state and books.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush

from sim.breaker import CLOSED, OPEN
from sim.engine import Engine
from sim.eventlog import EventLog
from sim.metrics import EstimateErrors
from sim.orders import Order, OrderState
from sim.stations import Call, Slot, SlotState, Station

RUNNING = OrderState.RUNNING
BUSY, DRAINING, IDLE = SlotState.BUSY, SlotState.DRAINING, SlotState.IDLE


class Dispatcher:
    """Starts and ends the upstream calls of one station.

    ``call_ended(call)`` receives every call that ended by itself (not cancelled): the order
    flow delivers or retries its orders.  ``rental_guard`` (optional) is asked before a
    rented slot starts a call and told when a rented slot's spending changes.
    """

    #: take the fused paths where what they leave out is switched off (chosen once per
    #: dispatcher); False: always the general path, which the property test
    #: (tests/test_core_fast_out.py) holds the fused one to, record for record
    fused = True

    def __init__(self, station: Station, engine: Engine, log: EventLog, accounts,
                 estimates: EstimateErrors,
                 call_ended: Callable[[Call], None], rental_guard=None) -> None:
        self.station = station
        self.engine = engine
        self.log = log
        self.accounts = accounts
        self.estimates = estimates
        self.call_ended = call_ended
        self.rental_guard = rental_guard
        # paths chosen once: a breaker that is off stays closed (it lets every call through,
        # no call is a probe, no outcome is counted), a model without a task fee pays none
        self.breaker = station.breaker if station.breaker.enabled else None
        self.task_fee_cents = station.cfg.task_fee_cents
        #: what a call's end runs (the engine's handler, chosen once)
        self._on_end = self._on_call_end
        if not self.fused:
            return
        # a model that calls one order at a time without a rental budget takes the fused
        # path: the slot, the lane's head and the call's start in one method (the same steps
        # in the same order as the general path, with fewer calls per order)
        if station.batch_max == 1 and rental_guard is None:
            self.dispatch = self._dispatch_single
        # a call that succeeds ends in one method, then the order flow delivers
        self._on_end = self._on_call_end_fused

    # -- starting calls --------------------------------------------------------------------
    def dispatch(self) -> None:
        """Start calls while a slot is idle, the queue is not empty and the breaker allows."""
        st = self.station
        if st.paused or not st.n_idle:
            return
        now = self.engine.now
        lanes, breaker = st.lanes, self.breaker
        # ``lanes.n_vip or lanes.n_normal`` is ``len(lanes)`` without a Python-level call
        while st.n_idle and (lanes.n_vip or lanes.n_normal) and (
                breaker is None or breaker.allows()):
            if st.batch_max == 1:
                slot = self._affordable_slot(lanes, now)
                if slot is None:
                    return
                self._start(slot, [lanes.pop(now)])
                continue
            waiting = len(lanes)
            if waiting < st.batch_max and st.batch_window_s > 0 and not st.batch_due:
                if st.batch_deadline_s is None:
                    st.batch_deadline_s = now + st.batch_window_s
                    self.engine.at(st.batch_deadline_s, self._on_batch_due)
                return
            slot = self._affordable_slot(lanes, now)
            if slot is None:
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
            self._start(slot, orders)

    def _dispatch_single(self) -> None:
        """:meth:`dispatch` for a model that calls one order at a time with no rental budget
        to ask: the lowest idle slot takes the lane's next order and its call starts (what
        :meth:`_start` does for one order, its steps inlined in the same order)."""
        st = self.station
        lanes = st.lanes
        if st.paused or not st.n_idle or not (lanes.n_vip or lanes.n_normal):
            return       # nothing to start: out before anything more is looked up
        engine = self.engine
        now = engine.now
        breaker = self.breaker
        # breaker.allows() is True while it is closed, and on_start() then False
        while st.n_idle and (lanes.n_vip or lanes.n_normal) and (
                breaker is None or breaker.state is CLOSED or breaker.allows()):
            idle, slots = st._idle, st.slots
            while True:          # Station.take_idle
                slot = heappop(idle)[2]
                if slot.state is IDLE and slots.get(slot.key) is slot:
                    st.n_idle -= 1
                    break
            o = lanes.pop(now)
            queued = st.queued   # TimeAverage.add(now, -1), inlined
            queued.area += queued.level * (now - queued.last_s)
            queued.last_s = now
            queued.level -= 1
            if o.started_s < 0:
                o.started_s = now
                wait = now - o.submitted_s
                st.record_wait(now, wait, o.vip)
                self.estimates.add(wait, o.est_wait_s, o.est_wait_lo_s, o.est_wait_hi_s)
            o.state = RUNNING
            o.since_s = now
            attempts = o.attempts = o.attempts + 1
            o.slot = slot
            self.log.add((now, "start", o.id, st.name, slot.key, attempts))
            probe = False if breaker is None or breaker.state is CLOSED else breaker.on_start()
            st.calls += 1
            if self.task_fee_cents:
                self.accounts.pay_upstream("task_fee", self.task_fee_cents)
            duration, outcome = st.draw(o.id, attempts, now)
            orders = [o]
            if o.task_s >= 0.0:
                duration = trace_duration(orders, duration, outcome)
            end_s = now + duration
            call = Call(st, slot, orders, now, end_s, outcome, probe)
            st.call_started(call)
            slot.state = BUSY
            slot.since_s = now
            slot.call = call
            busy = st.busy       # TimeAverage.add(now, 1), inlined
            busy.area += busy.level * (now - busy.last_s)
            busy.last_s = now
            busy.level += 1
            engine.at(end_s, self._on_end, call)

    def _affordable_slot(self, lanes, now: float) -> Slot | None:
        """The lowest idle slot (base slots first) that the rental budget can pay for the
        call of the head of ``lanes`` (the order the call would start with, its draw keyed
        by its next attempt; looked up only when a budget must judge a rented slot); rented
        slots it cannot pay for are handed back on the way."""
        st = self.station
        guard = self.rental_guard
        draw = None
        while st.n_idle:
            slot = st.take_idle()
            if guard is None or not slot.rented:
                return slot
            if draw is None:
                head = lanes.peek(now)
                draw = st.draw(head.id, head.attempts + 1, now)
            if guard.affords(st, slot, draw):
                return slot
            st.make_idle(slot, now)
            guard.hand_back(st, slot)
        return None

    def _on_batch_due(self, _: object = None) -> None:
        st = self.station
        st.batch_deadline_s = None
        if len(st.lanes):
            st.batch_due = True
            self.dispatch()

    def _start(self, slot: Slot, orders: list[Order]) -> None:
        st = self.station
        now = self.engine.now
        call = Call(st, slot, orders, now)
        log = self.log.add
        queued = st.queued
        name, key = st.name, slot.key
        for o in orders:
            queued.add(now, -1)
            if o.started_s < 0:
                o.started_s = now
                wait = now - o.submitted_s
                st.record_wait(now, wait, o.vip)
                self.estimates.add(wait, o.est_wait_s, o.est_wait_lo_s, o.est_wait_hi_s)
            o.state = RUNNING
            o.since_s = now
            attempts = o.attempts = o.attempts + 1
            o.slot = slot
            log((now, "start", o.id, name, key, attempts))
        if len(orders) > 1:
            log((now, "batch", name, key, len(orders)))
        if self.breaker is not None:
            call.probe = self.breaker.on_start()
        st.calls += 1
        if self.task_fee_cents:
            self.accounts.pay_upstream("task_fee", self.task_fee_cents)
        head = orders[0]
        duration, outcome = st.draw(head.id, head.attempts, now)
        if (head.task_s if len(orders) == 1 else max(o.task_s for o in orders)) >= 0.0:
            duration = trace_duration(orders, duration, outcome)
        call.outcome = outcome
        call.end_s = end_s = now + duration
        st.call_started(call)
        slot.state = BUSY
        slot.since_s = now
        slot.call = call
        st.busy.add(now, 1)
        self.engine.at(end_s, self._on_end, call)
        if slot.rented and self.rental_guard is not None:
            self.rental_guard.changed()

    # -- ending calls ----------------------------------------------------------------------
    def release(self, slot: Slot) -> None:
        """A call left its slot: back to idle, or out of service if it was draining."""
        st = self.station
        now = self.engine.now
        st.busy.add(now, -1)
        if slot.state is DRAINING:
            slot.call = None
            st.remove_slot(slot, now)
            self.log.add((now, "slot", st.name, slot.index, slot.rented, "gone"))
        else:
            st.make_idle(slot, now)
        if slot.rented and self.rental_guard is not None:
            self.rental_guard.changed()

    def _on_call_end(self, call: Call) -> None:
        if call.cancelled:
            return
        st = self.station
        now = self.engine.now
        slot = call.slot
        self.release(slot)      # (the fused end, which most calls take, inlines it)
        ok = call.outcome == "ok"
        flipped = None if self.breaker is None else self.breaker.record(ok, now)
        if flipped is not None:
            self._circuit_flipped(flipped, call, now)
        st.call_finished(call)
        if not ok:
            slot.last_fail_s = now
            if call.outcome == "throttle":
                st.throttled += 1
        self.call_ended(call)
        self.dispatch()

    def _circuit_flipped(self, flipped: str, call: Call, now: float) -> None:
        """The outcome of ``call`` flipped the circuit breaker to ``flipped``."""
        st = self.station
        self.log.add((now, "circuit", st.name, flipped))
        if flipped == OPEN:
            # how long the failure that opened it took to fail: a probe that runs
            # longer is not failing that way (the wait estimate reads it)
            st.trip_fail_s = now - call.start_s
            self.engine.at(st.breaker.open_until_s, self._on_half_open)

    def _on_call_end_fused(self, call: Call) -> None:
        """:meth:`_on_call_end` of a call that succeeded: a base slot's release written out,
        no failure to note, the next start asked for only when a lane holds an order (the
        same steps in the same order).  A failure goes the general way."""
        if call.cancelled:
            return
        if call.outcome != "ok":
            self._on_call_end(call)
            return
        st = self.station
        now = self.engine.now
        slot = call.slot
        if slot.rented or slot.state is DRAINING:
            self.release(slot)
        else:   # release() of a base slot back to idle, inlined (the same steps)
            busy = st.busy
            busy.area += busy.level * (now - busy.last_s)
            busy.last_s = now
            busy.level -= 1
            slot.state = IDLE
            slot.since_s = now
            slot.call = None
            heappush(st._idle, (slot.key, next(st._idle_seq), slot))
            st.n_idle += 1
        breaker = self.breaker
        if breaker is not None:
            flipped = breaker.record(True, now)
            if flipped is not None:
                self._circuit_flipped(flipped, call, now)
        st.call_finished(call)
        self.call_ended(call)
        lanes = st.lanes
        if lanes.n_vip or lanes.n_normal:      # dispatch() has nothing to start otherwise
            self.dispatch()

    def _on_half_open(self, _: object = None) -> None:
        st = self.station
        if st.breaker.half_open(self.engine.now):
            self.log.add((self.engine.now, "circuit", st.name, st.breaker.state))
            self.dispatch()

    def cancel_running(self, o: Order) -> None:
        """Take a running order off its call; River still pays for the minutes it ran.

        The last order off a call ends the call: its slot is freed, and if the call was the
        half-open breaker's probe, the probe is given up so another may go."""
        slot = o.slot
        call = slot.call
        st = self.station
        ran_s = self.engine.now - call.start_s
        rate = st.cfg.rented_cost_cents_per_h if slot.rented else st.cfg.slot_cost_cents_per_h
        st.cancelled_run_cost_cents += int(ran_s * rate / 3600.0 / call.size)
        call.orders.remove(o)
        if not call.orders:
            call.cancelled = True
            st.call_cancelled(call)
            st.breaker.on_cancel(call.probe)
            self.release(slot)


def trace_duration(orders: list[Order], drawn: float, outcome: str) -> float:
    """The length of a call whose orders came from a trace with task times: the longest of
    the batch's (a batch's call lasts as its longest request).  The outcome is drawn as for
    any call: a 429 or an outage keeps its drawn length, an error fails part-way (at most
    the drawn part-way time)."""
    task = max(o.task_s if o.task_s >= 0.0 else drawn for o in orders)
    if outcome == "ok":
        return task
    if outcome == "error":
        return min(drawn, task)
    return drawn
