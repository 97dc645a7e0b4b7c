"""The 3x wait breaker: asking a customer whose order would wait too long, and the answer.

When an order's honest wait estimate passes ``multiplier x`` its model's mean task time (at
submission, or once it has actually waited that long), the dispatcher walks over; after
``answer_after_s`` the customer answers by their patience: they stay if the expected delivery
still fits it, else they leave -- every hold refunded, running orders cancelled (River still
pays upstream for the minutes those ran), the quota freed.  A mixin of
:class:`sim.simulation.Simulation`, split out so each module reads in one sitting.
"""

from __future__ import annotations

from sim.customers import Customer, CustomerState
from sim.orders import Order, OrderState
from sim.stations import Station

INSIDE, ASKED = CustomerState.INSIDE, CustomerState.ASKED
QUEUED, RUNNING, BACKOFF = OrderState.QUEUED, OrderState.RUNNING, OrderState.BACKOFF
PENDING = OrderState.PENDING


class PatienceMixin:
    def _on_wait_check(self, o: Order) -> None:
        """The order has waited ``multiplier x T``: its expected wait now exceeds the bound."""
        if o.state != QUEUED or o.customer.state != INSIDE or o.started_s >= 0:
            return
        now = self.engine.now
        self._ask(o.customer, o, now - o.submitted_s + self._remaining_wait(o))

    def _remaining_wait(self, o: Order) -> float:
        st = self.stations[o.model]
        now = self.engine.now
        queue = st.lanes.ordered(now)
        ahead = queue.index(o) if o in queue else 0
        return st.est_wait(ahead, now)

    def _ask(self, cust: Customer, o: Order, est: float) -> None:
        if cust.state != INSIDE or o.asked:
            return
        now = self.engine.now
        o.asked = True
        cust.state = ASKED
        cust.since_s = now
        self.n["asked"] += 1
        self.stations[o.model].asks_window.add(now, 1.0)
        self._emit("ask", cust.id, o.id, est)
        self.engine.at(now + self.wb.answer_after_s, self._on_answer, o)

    def _on_answer(self, o: Order) -> None:
        cust = o.customer
        if cust.state != ASKED:
            return
        now = self.engine.now
        stays = True
        if o.state == QUEUED:
            expected = (now - o.submitted_s + self._remaining_wait(o)
                        + self.stations[o.model].mean_task_s)
            stays = expected <= cust.patience_s
        self._emit("answer", cust.id, stays)
        if stays:
            cust.state = INSIDE
            cust.since_s = now
            self.n["stayed"] += 1
        else:
            self._leave(cust)

    def _leave(self, cust: Customer) -> None:
        """Refund every hold, cancel what runs, drop what waits, and walk out."""
        touched = set()
        for o in cust.orders:
            state = o.state
            if state == PENDING:
                cust.pending.remove(o)
                self._refund(o, OrderState.REFUNDED_ABANDON)
                cust.ended += 1
            elif state in (QUEUED, BACKOFF):
                st = self.stations[o.model]
                if state == QUEUED:
                    st.lanes.discard(o)
                    self._unqueue(st, o)
                self._refund(o, OrderState.REFUNDED_ABANDON)
                cust.active -= 1
                cust.ended += 1
            elif state == RUNNING:
                touched.add(self._cancel_running(o))
                self._refund(o, OrderState.REFUNDED_CANCEL)
                cust.active -= 1
                cust.ended += 1
        self._finish_visit(cust, CustomerState.LEFT)
        for st in sorted(touched, key=lambda s: s.name):
            self._dispatch(st)

    def _cancel_running(self, o: Order) -> Station:
        """Take a running order off its call; River still pays for the minutes it ran."""
        slot = o.slot
        call = slot.call
        st = call.station
        ran_s = self.engine.now - call.start_s
        rate = st.cfg.rented_cost_cents_per_h if slot.rented else st.cfg.slot_cost_cents_per_h
        self.cancelled_run_cost_cents += int(ran_s * rate / 3600.0 / call.size)
        call.orders.remove(o)
        if not call.orders:
            call.cancelled = True
            self._release(st, slot)
        return st
