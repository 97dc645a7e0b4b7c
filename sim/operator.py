"""The operator's desk and the capacity it changes: commands applied as events, renting,
returning, draining and re-sizing slots (also what the autoscaler calls).

Commands arrive as :class:`sim.commands.Command` events (priority after ordinary events of
the same instant, see :mod:`sim.engine`), are logged, and call ``_cmd_<name>``.  A mixin of
:class:`sim.simulation.Simulation`, split out so each module reads in one sitting.
"""

from __future__ import annotations

from sim.commands import Command
from sim.orders import OrderState
from sim.stations import SlotState, Station

QUEUED, RUNNING, BACKOFF = OrderState.QUEUED, OrderState.RUNNING, OrderState.BACKOFF
PENDING = OrderState.PENDING
IDLE, BUSY = SlotState.IDLE, SlotState.BUSY


class OperatorMixin:
    def _rent(self, st: Station, n: int, by: str) -> None:
        n = min(n, st.max_rented - st.rented_slots)
        if n <= 0:
            return
        now = self.engine.now
        new = [st.add_slot(True, SlotState.PROVISIONING, now) for _ in range(n)]
        for slot in new:
            slot.arrive_s = now + self.scenario.autoscaler.provision_s
        st.rent_events += 1
        self._emit("rent", st.name, n, by)
        self.engine.at(now + self.scenario.autoscaler.provision_s, self._on_provisioned,
                       (st, new))

    def _on_provisioned(self, arg: tuple[Station, list]) -> None:
        st, slots = arg
        now = self.engine.now
        for slot in slots:
            if slot.state == SlotState.PROVISIONING:
                st.active.add(now, 1)
                slot.arrive_s = now
                st.make_idle(slot, now)
                self._emit("slot", st.name, slot.index, True, "arrived")
        self._dispatch(st)

    def _return(self, st: Station, n: int, by: str) -> None:
        now = self.engine.now
        shed = st.slots_to_shed(True, n)
        if not shed:
            return
        for slot in shed:
            self._shed(st, slot, now)
        st.return_events += 1
        self._emit("return", st.name, len(shed), by)

    def _shed(self, st: Station, slot, now: float) -> None:
        if slot.state is BUSY:
            st.drain(slot, now)
            self._emit("slot", st.name, slot.index, slot.rented, "draining")
        else:
            st.remove_slot(slot, now)
            self._emit("slot", st.name, slot.index, slot.rented, "gone")

    def _set_base(self, st: Station, slots: int) -> None:
        now = self.engine.now
        have = st.count(False, SlotState.IDLE, SlotState.BUSY)
        if slots > have:
            for _ in range(slots - have):
                slot = st.add_slot(False, SlotState.IDLE, now)
                self._emit("slot", st.name, slot.index, False, "added")
        else:
            for slot in st.slots_to_shed(False, have - slots):
                self._shed(st, slot, now)
        st.base_target = slots
        self._dispatch(st)

    # ---------------------------------------------------------------------- commands
    def _apply(self, cmd: Command) -> None:
        args = cmd.args
        self._emit("command", cmd.name, ",".join(f"{k}={args[k]}" for k in sorted(args)))
        getattr(self, "_cmd_" + cmd.name)(**args)

    def _targets(self, model: str) -> list[Station]:
        return [self.stations[model]] if model else list(self.stations.values())

    def _cmd_spawn_rate(self, rate_per_min: float) -> None:
        self.rate_per_min = rate_per_min
        self._schedule_arrival()

    def _cmd_vip_share(self, share: float) -> None:
        self.crowd.vip_share = share

    def _cmd_capacity(self, model: str, slots: int) -> None:
        self._set_base(self.stations[model], slots)

    def _cmd_breaker_multiplier(self, multiplier: float) -> None:
        self.multiplier = multiplier

    def _cmd_autoscaler(self, on: bool) -> None:
        self.autoscaler.enabled = on

    def _cmd_outage(self, model: str, duration_s: float) -> None:
        st = self.stations[model]
        st.outage_until_s = self.engine.now + duration_s
        self._emit("outage", model, st.outage_until_s)

    def _cmd_pause(self, model: str) -> None:
        for st in self._targets(model):
            st.paused = True

    def _cmd_resume(self, model: str) -> None:
        for st in self._targets(model):
            st.paused = False
            self._dispatch(st)

    def _cmd_clear_queue(self, model: str) -> None:
        for st in self._targets(model):
            cleared = st.lanes.ordered(self.engine.now)
            for o in cleared:
                st.lanes.discard(o)
                self._unqueue(st, o)
                self._refund(o, OrderState.REFUNDED_CANCEL)
            for o in cleared:
                self._order_ended(o)

    def _cmd_rent(self, model: str, slots: int) -> None:
        self._rent(self.stations[model], slots, "operator")

    def _cmd_return(self, model: str, slots: int) -> None:
        self._return(self.stations[model], slots, "operator")

    def _cmd_cancel_order(self, order_id: int) -> None:
        for cust in self.customers.values():
            for o in cust.orders:
                if o.id != order_id:
                    continue
                if o.state == QUEUED:
                    st = self.stations[o.model]
                    st.lanes.discard(o)
                    self._unqueue(st, o)
                elif o.state == RUNNING:
                    st = self._cancel_running(o)
                elif o.state == PENDING:
                    cust.pending.remove(o)
                    self._refund(o, OrderState.REFUNDED_CANCEL)
                    cust.ended += 1
                    self._feed(cust)
                    return
                elif o.state != BACKOFF:
                    return
                self._refund(o, OrderState.REFUNDED_CANCEL)
                self._order_ended(o)
                self._dispatch(self.stations[o.model])
                return
