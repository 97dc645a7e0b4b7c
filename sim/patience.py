"""The 3x wait breaker: asking a customer whose order would wait too long, and the answer.

When an order's honest wait estimate passes ``multiplier x`` its model's mean task time (at
submission, or once it has actually waited that long), the dispatcher walks over; after
``answer_after_s`` the customer answers by their patience: they stay if the expected delivery
still fits it, else they leave (the order flow refunds, cancels and walks them out).

Waiting orders are watched through one deadline heap per model with a single engine event
for its earliest deadline, not one timer per order: with a large multiplier every order
would otherwise pin a far-future event (and its customer) in memory.  Entries of orders that
started or ended are dropped when the heap is compacted, so memory follows the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heapify, heappop, heappush

from sim.customers import Customer, CustomerState
from sim.engine import Engine
from sim.eventlog import EventLog
from sim.orders import Order, OrderState
from sim.stations import Station

INSIDE, ASKED = CustomerState.INSIDE, CustomerState.ASKED
QUEUED = OrderState.QUEUED
COMPACT_MIN = 64


class Deadlines:
    """When each waiting order of one model has waited its bound.

    A heap of ``(deadline, ticket, order)`` with an engine event for its head only.  Each
    entry takes its ticket (its place among same-instant events) when pushed, so the checks
    run in exactly the order one timer per order would have -- without one per order.
    """

    __slots__ = ("engine", "due", "heap", "_scheduled", "_compact_at")

    def __init__(self, engine: Engine, due: Callable[[Order], None]) -> None:
        self.engine = engine
        self.due = due
        self.heap: list[tuple[float, int, Order]] = []
        self._scheduled: set[int] = set()     # tickets with an engine event pending
        self._compact_at = COMPACT_MIN

    def push(self, t: float, o: Order) -> None:
        heappush(self.heap, (t, self.engine.ticket(), o))
        if len(self.heap) >= self._compact_at:
            self._compact()
        self._schedule_head()

    def _schedule_head(self) -> None:
        """An engine event for the earliest deadline of an order still waiting for its
        first start.  Entries of orders that started or ended meanwhile are dropped from the
        head first (their check would do nothing: an order leaves the queue for good once it
        started or ended), so an order served before its bound costs no engine event --
        the checks that do run keep their tickets, their place among same-instant events."""
        heap = self.heap
        scheduled = self._scheduled
        while heap:
            t, ticket, o = heap[0]
            if ticket in scheduled:
                return
            if o.state is QUEUED and o.started_s < 0:
                scheduled.add(ticket)
                self.engine.at_ticket(t, ticket, self._on_due, ticket)
                return
            heappop(heap)

    def _on_due(self, ticket: int) -> None:
        self._scheduled.discard(ticket)
        heap = self.heap
        if heap and heap[0][1] == ticket:
            self.due(heappop(heap)[2])
        self._schedule_head()

    def _compact(self) -> None:
        """Drop the entries of orders no longer waiting for their first start (but not one
        whose engine event is pending: it pops its own entry, so no stale event outlives
        its deadline in the engine)."""
        scheduled = self._scheduled
        self.heap = [e for e in self.heap if (e[2].state is QUEUED and e[2].started_s < 0)
                     or e[1] in scheduled]
        heapify(self.heap)
        self._compact_at = max(COMPACT_MIN, 2 * len(self.heap))


class WaitBreaker:
    """Asks and answers of the 3x wait breaker.  ``leave(customer)`` walks a customer out."""

    def __init__(self, engine: Engine, log: EventLog, counts: dict[str, int], cfg,
                 stations: dict[str, Station], leave: Callable[[Customer], None]) -> None:
        self.engine = engine
        self.log = log
        self.counts = counts
        self.enabled = cfg.enabled
        self.multiplier = cfg.multiplier
        self.answer_after_s = cfg.answer_after_s
        self.stations = stations
        self.leave = leave
        self.deadlines = {name: Deadlines(engine, self._on_wait_check) for name in stations}
        #: orders that crossed the bound while their customer was being asked about another
        self.later: dict[int, list[Order]] = {}

    def watch(self, o: Order, st: Station, est: tuple[float, float, float]) -> None:
        """A new order entered the queue with this estimate ``(median, lo, hi)``: ask now
        if its median passes the bound, or check when it has waited the bound."""
        if not self.enabled or self.multiplier <= 0:
            return
        limit = self.multiplier * st.mean_task_s
        if est[0] > limit:
            self.ask(o.customer, o, est, "enqueue")
        else:
            self.deadlines[st.name].push(self.engine.now + limit, o)

    def _on_wait_check(self, o: Order) -> None:
        """The order has waited ``multiplier x T``: its expected wait now exceeds the bound."""
        if o.state is not QUEUED or o.started_s >= 0 or o.asked:
            return
        cust = o.customer
        if cust.state is ASKED:
            # what ask() does then: keep it for after the answer (no estimate needed yet)
            self.later.setdefault(cust.id, []).append(o)
        elif cust.state is INSIDE:
            self.ask(cust, o, self.expected(o), "waited")

    def expected(self, o: Order) -> tuple[float, float, float]:
        """The order's whole predicted wait, from its submission: waited so far plus the
        predicted rest ``(median, lo, hi)``."""
        waited = self.engine.now - o.submitted_s
        med, lo, hi = self.remaining(o)
        return waited + med, waited + lo, waited + hi

    def remaining(self, o: Order) -> tuple[float, float, float]:
        st = self.stations[o.model]
        return st.est_range(o, self.engine.now)

    def remaining_wait(self, o: Order) -> float:
        return self.remaining(o)[0]

    def ask(self, cust: Customer, o: Order, est: tuple[float, float, float],
            trigger: str) -> None:
        """Ask about ``o`` -- or, while the customer is being asked about another order,
        keep it to re-check once they have answered (one question at a time)."""
        if o.asked:
            return
        if cust.state is ASKED:
            self.later.setdefault(cust.id, []).append(o)
            return
        if cust.state is not INSIDE:
            return
        now = self.engine.now
        o.asked = True
        cust.state = ASKED
        cust.since_s = now
        cust.asking = o
        cust.asked_wait_s = est[0]          # the customer's card words the question with it
        cust.answer = ""
        self.counts["asked"] += 1
        self.stations[o.model].asks_window.add(now, 1.0)
        self.log.add((now, "ask", cust.id, o.id, est[0], est[1], est[2], trigger))
        self.engine.at(now + self.answer_after_s, self._on_answer, (cust, o))

    def _on_answer(self, asked: tuple[Customer, Order]) -> None:
        """The customer answers by their patience -- unless the visit ended meanwhile (every
        order ended: :meth:`sim.visits.Visitors.finish` withdrew the question).  One who
        stays is asked next about the orders that crossed the bound meanwhile."""
        cust, o = asked
        if cust.asking is not o or cust.state is not ASKED:
            self.later.pop(cust.id, None)
            return
        now = self.engine.now
        stays = self._stays(cust, o, now) if o.state is QUEUED else True
        self.log.add((now, "answer", cust.id, stays))
        cust.asking = None
        cust.answer = "stay" if stays else "leave"
        waiting = self.later.pop(cust.id, ())
        if not stays:
            self.leave(cust)
            return
        cust.state = INSIDE
        cust.since_s = now
        self.counts["stayed"] += 1
        for other in waiting:
            self._recheck(other)

    def _stays(self, cust: Customer, o: Order, now: float) -> bool:
        """Whether a customer asked about waiting order ``o`` stays: the time waited, the
        rest predicted and a task's time are within their patience."""
        waited = now - o.submitted_s
        mean_task_s = self.stations[o.model].mean_task_s
        # the predicted rest is never negative, and float addition is monotone: when
        # waited + mean task time alone is past their patience, waited + rest + mean task
        # time is too -- the rest (a whole estimate) need not be worked out
        if waited + mean_task_s > cust.patience_s:
            return False
        return waited + self.remaining_wait(o) + mean_task_s <= cust.patience_s

    def _recheck(self, o: Order) -> None:
        """An order that crossed the bound while its customer was being asked about
        another: ask now if its expected wait still passes the bound, else check again when
        it has waited the bound."""
        if o.state is not QUEUED or o.started_s >= 0 or o.asked:
            return
        st = self.stations[o.model]
        limit = self.multiplier * st.mean_task_s
        expected = self.expected(o)
        if expected[0] > limit:
            self.ask(o.customer, o, expected, "recheck")
        else:
            self.deadlines[st.name].push(max(self.engine.now, o.submitted_s + limit), o)
