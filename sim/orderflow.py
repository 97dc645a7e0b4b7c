"""The order flow: every order's way through the factory, and the one way it ends.

Submitting holds the price and queues the order (within the customer's concurrency);
dispatchers run it; a failed call is retried after an exponential backoff with full
jitter under a ceiling.  However an order ends -- delivered, declined, refunded after its
last failure, left behind by a customer who gave up, cancelled by the operator or by a
cleared queue -- it goes through :meth:`OrderFlow.end`, which takes it out of its lane or
its call (freeing the slot and a half-open probe), settles or refunds its hold, writes
its record, and then releases the customer's quota so their next order can go in.
"""

from __future__ import annotations

from collections import deque

from sim import rng
from sim.accounts import Accounts
from sim.customers import Customer, CustomerState
from sim.dispatch import Dispatcher
from sim.engine import Engine
from sim.eventlog import EventLog
from sim.metrics import EstimateErrors
from sim.orders import Order, OrderState
from sim.patience import WaitBreaker
from sim.stations import Call, Station
from sim.visits import Visitors

INSIDE, ASKED, DONE, LEFT = (CustomerState.INSIDE, CustomerState.ASKED, CustomerState.DONE,
                             CustomerState.LEFT)
PENDING, QUEUED, RUNNING, BACKOFF = (OrderState.PENDING, OrderState.QUEUED, OrderState.RUNNING,
                                     OrderState.BACKOFF)
DELIVERED, DECLINED = OrderState.DELIVERED, OrderState.DECLINED
REFUNDED_FAILURE = OrderState.REFUNDED_FAILURE
REFUNDED_ABANDON, REFUNDED_CANCEL = OrderState.REFUNDED_ABANDON, OrderState.REFUNDED_CANCEL
CAN_CANCEL = frozenset({PENDING, QUEUED, RUNNING, BACKOFF})
NOT_ESTIMATED = float("nan")   # an enqueue record's estimate in a lean run (none made)
LOST_TO = {REFUNDED_FAILURE: "failed", REFUNDED_ABANDON: "left", REFUNDED_CANCEL: "cancelled"}


class OrderFlow:
    """Submission, retries and the single end of every order of one run."""

    def __init__(self, engine: Engine, log: EventLog, counts: dict[str, int], scenario,
                 streams, accounts: Accounts, visitors: Visitors,
                 stations: dict[str, Station], estimates: EstimateErrors,
                 rental_guard=None, estimating: bool = True) -> None:
        self.engine = engine
        self.log = log
        self.counts = counts
        self.accounts = accounts
        self.visitors = visitors
        self.stations = stations
        self.retry = scenario.retry
        self.jitter_key = streams.key("jitter")
        self.dispatchers = {
            name: Dispatcher(st, engine, log, accounts, estimates, self._call_ended,
                             rental_guard)
            for name, st in stations.items()}
        self.breaker = WaitBreaker(engine, log, counts, scenario.wait_breaker, stations,
                                   self.leave)
        self.dead_letters: deque[tuple[float, int, str]] = deque(
            maxlen=scenario.retry.dead_letter_keep)
        #: prices of orders that ended undelivered, by cause: revenue the factory lost
        self.lost_cents = {"failed": 0, "left": 0, "cancelled": 0}
        #: make the wait estimate at every enqueue (False: a lean run in which nothing acts
        #: on it; the ``enqueue`` record then carries NaN, and the log is not hashed)
        self.estimating = estimating
        # orders of customers who left at the breaker before the order reached a queue
        # (still with the customer): the service level counts them as not served
        self.left_unqueued = 0
        self._ended: deque[tuple[Order, bool]] = deque()  # quota still to release
        self._releasing = False

    def lobby_orders(self) -> int:
        """Orders waiting in every lane (what the door's lobby cap counts)."""
        return sum(len(st.lanes) for st in self.stations.values())

    # -- in ----------------------------------------------------------------------------------
    def feed(self, cust: Customer) -> None:
        """Submit pending orders while the tier's concurrency allows; end a finished visit."""
        pending = cust.pending
        while cust.active < cust.concurrency and pending:
            self._submit(pending[0])
        if cust.active == 0 and not pending and cust.state in (INSIDE, ASKED):
            self.visitors.finish(cust, DONE)
        if self._ended:            # nothing ended (no order declined): no quota to release
            self._release_quotas()

    def _submit(self, o: Order) -> None:
        """The customer's next pending order goes in: held and queued, or declined."""
        now = self.engine.now
        cust = o.customer
        if not self.accounts.hold(o):
            self.end(o, DECLINED, "insufficient_funds")
            return
        cust.pending.popleft()
        cust.active += 1
        st = self.stations[o.model]
        vip = o.vip = cust.vip
        o.submitted_s = now
        if vip:     # the estimate's input (sim/eta.py's side): VIPs only
            st.note_submitted(now, vip, cust.id)
        # _enqueue(st, o, front=False), inlined: the lanes' push and the queue's time average
        o.state = QUEUED
        o.since_s = now
        o.queued_s = now
        st.lanes.push(o)
        queued = st.queued
        queued.area += queued.level * (now - queued.last_s)
        queued.last_s = now
        queued.level += 1
        # its place among the orders now waiting, the VIPs to come, the slots to come
        if self.estimating:
            est, lo, hi = st.est_range(o, now)
            o.est_wait_s, o.est_wait_lo_s, o.est_wait_hi_s = est, lo, hi
        else:
            est = lo = hi = NOT_ESTIMATED
        self.counts["enqueued"] += 1
        self.log.add((now, "enqueue", o.id, cust.id, o.model, "vip" if vip else "normal",
                      o.price_cents, est, lo, hi))
        breaker = self.breaker
        if breaker.enabled and breaker.multiplier > 0:   # watch() does nothing otherwise
            breaker.watch(o, st, (est, lo, hi))
        self.dispatchers[o.model].dispatch()

    def _enqueue(self, st: Station, o: Order, front: bool) -> None:
        now = self.engine.now
        o.state = QUEUED
        o.since_s = now
        o.queued_s = now
        st.lanes.push(o, front)
        st.queued.add(now, 1)

    # -- calls that ended --------------------------------------------------------------------
    def _call_ended(self, call: Call) -> None:
        """Settle the whole call before any customer moves on: a delivery frees quota and
        may submit the next order, which must not start before this call has ended."""
        if call.outcome == "ok":
            st = call.station
            now = self.engine.now
            counts, add, ended = self.counts, self.log.add, self._ended
            for o in call.orders:
                if o.state is not RUNNING:
                    self.end(o, DELIVERED)
                    continue
                # end(o, DELIVERED) of a running order whose call just ended, inlined: the
                # call already left its slot, so there is nothing to cancel
                cents = self.accounts.settle(o)
                cust = o.customer
                cust.delivered += 1
                st.delivered += 1
                if o.slot is not None and o.slot.rented:
                    st.rented_revenue_cents += cents
                o.state = DELIVERED
                o.since_s = now
                counts["delivered"] += 1
                add((now, "deliver", o.id, cust.id, cents))
                ended.append((o, True))
        else:
            for o in call.orders:
                self._failed(call.station, o, call.outcome)
        self._release_quotas()

    def _failed(self, st: Station, o: Order, why: str) -> None:
        """Retry after a backoff, or give up (a dead letter and a refund)."""
        now = self.engine.now
        st.failed += 1
        self.log.add((now, "fail", o.id, st.name, why, o.attempts))
        retry = self.retry
        if o.attempts >= retry.max_attempts:
            self.counts["dead_letters"] += 1
            self.dead_letters.append((now, o.id, st.name))
            self.log.add((now, "dead_letter", o.id, st.name))
            self.end(o, REFUNDED_FAILURE)
            return
        # full jitter, keyed by (seed, order, attempt): the same retry waits the same share
        # of its ceiling in any run
        u = rng.draw(rng.entity(self.jitter_key, o.id, o.attempts), 0)
        delay = backoff_ceiling_s(retry, o.attempts) * u
        o.state = BACKOFF
        o.since_s = now
        o.slot = None
        st.retries += 1
        st.backoff[o.id] = (now + delay, o)   # back ahead of the queue: the estimate counts it
        self.counts["retries"] += 1
        self.log.add((now, "backoff", o.id, delay))
        self.engine.after(delay, self._on_requeue, o)

    def _on_requeue(self, o: Order) -> None:
        if o.state is not BACKOFF:
            return
        st = self.stations[o.model]
        del st.backoff[o.id]
        self._enqueue(st, o, front=True)
        self.log.add((self.engine.now, "requeue", o.id, st.name, o.lane))
        self.dispatchers[o.model].dispatch()

    # -- the end of an order ------------------------------------------------------------------
    def end(self, o: Order, state: OrderState, reason: str = "", cause: str = "") -> None:
        """End ``o`` in terminal ``state``, whatever the cause, and do all it implies.

        Out of where it is (its lane; its call, which frees the slot and a half-open probe
        when it was the last order on it; its customer's pending list), its hold settled
        (delivered) or refunded (every refund), its record written.  The customer's quota
        is released by the caller's :meth:`_release_quotas` once the whole step is settled.
        A declined order never held anything: ``reason`` says why it was declined.  An
        undelivered order's price counts as revenue lost to ``cause`` (``failed``, ``left``,
        ``cancelled``; by default from the state).
        """
        now = self.engine.now
        prev = o.state
        cust = o.customer
        st = self.stations[o.model]
        if prev is QUEUED:
            st.lanes.discard(o)
            st.queued.add(now, -1)
        elif prev is RUNNING:
            call = o.slot.call
            if call is not None and o in call.orders:   # still running: cancel it
                self.dispatchers[o.model].cancel_running(o)
        elif prev is PENDING:
            cust.pending.remove(o)
        elif prev is BACKOFF:
            del st.backoff[o.id]
        counts = self.counts
        if state is DELIVERED:
            cents = self.accounts.settle(o)
            cust.delivered += 1
            st.delivered += 1
            if o.slot is not None and o.slot.rented:
                st.rented_revenue_cents += cents
            record = (now, "deliver", o.id, cust.id, cents)
        elif state is DECLINED:
            record = (now, "decline", o.id, cust.id, reason)
        else:
            cents = self.accounts.refund(o)
            self.lost_cents[cause or LOST_TO[state]] += o.price_cents
            if o.started_s < 0 <= o.submitted_s:
                st.record_gave_up(now, now - o.submitted_s)
            elif prev is PENDING and state is REFUNDED_ABANDON:
                self.left_unqueued += 1
            o.slot = None
            record = (now, "refund", o.id, cust.id, state.value, cents)
        o.state = state
        o.since_s = now
        counts[state.value] += 1
        self.log.add(record)
        self._ended.append((o, prev is not PENDING))

    def _release_quotas(self) -> None:
        """Free the quota of every order ended in this step, in order, and feed each
        customer who is still inside (their next order may go in now)."""
        ended = self._ended
        if not ended or self._releasing:     # nothing ended in this step (most calls)
            return
        self._releasing = True
        try:
            while ended:
                o, was_active = ended.popleft()
                cust = o.customer
                if was_active:
                    cust.active -= 1
                cust.ended += 1
                if cust.state in (INSIDE, ASKED):
                    # feed(cust), inlined (its own _release_quotas is a no-op in here)
                    while cust.active < cust.concurrency and cust.pending:
                        self._submit(cust.pending[0])
                    if (cust.active == 0 and not cust.pending
                            and cust.state in (INSIDE, ASKED)):
                        self.visitors.finish(cust, DONE)
        finally:
            self._releasing = False

    # -- causes ------------------------------------------------------------------------------
    def leave(self, cust: Customer) -> None:
        """The customer gave up at the breaker: every order ends (waiting ones abandoned,
        running ones cancelled -- River still pays for the minutes they ran), then they
        walk out; models whose calls were cancelled take their next orders."""
        touched = set()
        for o in cust.orders:
            state = o.state
            if state is RUNNING:
                touched.add(o.model)
                self.end(o, REFUNDED_CANCEL, cause="left")
            elif state in CAN_CANCEL:
                self.end(o, REFUNDED_ABANDON)
        self.visitors.finish(cust, LEFT)
        self._release_quotas()
        for name in sorted(touched):
            self.dispatchers[name].dispatch()

    def cancel(self, order_id: int) -> None:
        """The operator cancels one order of a customer in the building (refunded)."""
        for cust in self.visitors.inside.values():
            for o in cust.orders:
                if o.id != order_id:
                    continue
                if o.state not in CAN_CANCEL:
                    return
                was_pending = o.state is PENDING
                self.end(o, REFUNDED_CANCEL)
                self._release_quotas()
                if not was_pending:
                    self.dispatchers[o.model].dispatch()
                return

    def clear(self, st: Station) -> None:
        """The operator clears a model's queue: every waiting order refunded."""
        for o in st.lanes.ordered(self.engine.now):
            self.end(o, REFUNDED_CANCEL)
        self._release_quotas()


def backoff_ceiling_s(retry, attempts: int) -> float:
    """The retry delay's ceiling after ``attempts`` attempts: ``base x factor^(attempts-1)``,
    capped at ``max_backoff_s`` (full jitter draws under it, as AWS describes)."""
    try:
        cap = retry.base_s * retry.factor ** (attempts - 1)
    except OverflowError:
        return retry.max_backoff_s
    return cap if cap < retry.max_backoff_s else retry.max_backoff_s
