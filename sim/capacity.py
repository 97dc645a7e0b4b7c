"""Capacity: the slots River contracts and rents, and the cap on what rentals may cost.

:class:`Capacity` changes a model's base slots (the operator's slider), rents a step of
extra slots (they arrive after a provisioning delay) and returns them (idle ones at once,
busy ones drain: they finish their task, then leave).  The operator and the autoscaler both
go through it.  :class:`RentalBudget` makes ``autoscaler.budget_cents`` a hard cap: rent
only what the remaining budget can pay for a minimum stay, let a rented slot start a call
only if the budget covers it to its end, and hand every rented slot back in time, so the
rental spend never passes the budget.
"""

from __future__ import annotations

import math

from sim.dispatch import Dispatcher
from sim.engine import Engine
from sim.eventlog import EventLog
from sim.stations import Slot, SlotState, Station

PROVISIONING, IDLE, BUSY = SlotState.PROVISIONING, SlotState.IDLE, SlotState.BUSY
DRAINING = SlotState.DRAINING
MARGIN_CENTS = 1.0   # whole-cent accrual rounds down; one cent keeps the cap strict


def shed(st: Station, slot: Slot, now: float, log: EventLog) -> None:
    """Give a slot up now: a busy one drains (finishes its call first)."""
    if slot.state is BUSY:
        st.drain(slot, now)
        log.add((now, "slot", st.name, slot.index, slot.rented, "draining"))
    else:
        st.remove_slot(slot, now)
        log.add((now, "slot", st.name, slot.index, slot.rented, "gone"))


class RentalBudget:
    """The rental budget as a hard cap.

    *Committed* money is what rentals have cost so far plus what the calls now running on
    rented slots will cost until they end (those cannot be stopped).  The *headroom* is the
    budget minus that; it shrinks only while rented slots are idle or provisioning, so a
    guard event is kept at the instant it would run out, and there every rented slot is
    handed back (busy ones drain inside their reservation).
    """

    def __init__(self, engine: Engine, log: EventLog, stations: dict[str, Station],
                 budget_cents: int, provision_s: float) -> None:
        self.engine = engine
        self.log = log
        self.stations = stations
        self.budget_cents = budget_cents
        self.provision_s = provision_s
        self._token = 0

    def headroom_cents(self, now: float) -> float:
        committed = 0.0
        for st in self.stations.values():
            committed += st.rental_spent_cents(now)
            rate = st.cfg.rented_cost_cents_per_h / 3600.0
            for slot in st.slots.values():
                if slot.rented and slot.state in (BUSY, DRAINING):
                    committed += rate * max(0.0, slot.call.end_s - now)
        return self.budget_cents - MARGIN_CENTS - committed

    def affordable(self, st: Station, n: int) -> int:
        """How many of ``n`` new rented slots the headroom pays for a minimum stay
        (provisioning, then one average task)."""
        stay_cents = (st.cfg.rented_cost_cents_per_h / 3600.0
                      * (self.provision_s + st.mean_task_s))
        room = self.headroom_cents(self.engine.now)
        if stay_cents <= 0:
            return n
        return max(0, min(n, math.floor(room / stay_cents)))

    def affords(self, st: Station, slot: Slot, draw: tuple[float, str]) -> bool:
        """May this rented slot start a call of the drawn length?"""
        cost = st.cfg.rented_cost_cents_per_h / 3600.0 * draw[0]
        return cost <= self.headroom_cents(self.engine.now)

    def hand_back(self, st: Station, slot: Slot) -> None:
        """A rented slot the budget cannot keep working goes back to the supplier."""
        now = self.engine.now
        shed(st, slot, now, self.log)
        st.return_events += 1
        self.log.add((now, "return", st.name, 1, "budget", "budget"))
        self.changed()

    def changed(self) -> None:
        """A rented slot started, ended or changed lease: re-plan the guard."""
        now = self.engine.now
        burn = sum(st.cfg.rented_cost_cents_per_h / 3600.0
                   * sum(1 for s in st.slots.values()
                         if s.rented and s.state in (IDLE, PROVISIONING))
                   for st in self.stations.values())
        self._token += 1
        if burn <= 0:
            return
        room = self.headroom_cents(now)
        self.engine.at(now + max(0.0, room) / burn, self._on_guard, self._token)

    def _on_guard(self, token: int) -> None:
        if token != self._token:
            return
        now = self.engine.now
        if self.headroom_cents(now) > 1e-6:
            self.changed()
            return
        for st in self.stations.values():
            leased = [s for s in st.slots.values()
                      if s.rented and s.state in (IDLE, PROVISIONING, BUSY)]
            if leased:
                for slot in sorted(leased, key=lambda s: s.index):
                    shed(st, slot, now, self.log)
                st.return_events += 1
                self.log.add((now, "return", st.name, len(leased), "budget", "budget"))
        self._token += 1


class Capacity:
    """Base slots, rentals and returns of every model."""

    def __init__(self, engine: Engine, log: EventLog, stations: dict[str, Station],
                 dispatchers: dict[str, Dispatcher], provision_s: float,
                 budget: RentalBudget | None) -> None:
        self.engine = engine
        self.log = log
        self.stations = stations
        self.dispatchers = dispatchers
        self.provision_s = provision_s
        self.budget = budget

    def rent(self, st: Station, n: int, by: str) -> None:
        n = min(n, st.max_rented - st.rented_slots)
        if self.budget is not None and n > 0:
            n = self.budget.affordable(st, n)
        if n <= 0:
            return
        now = self.engine.now
        arrive_s = now + self.provision_s
        new = [st.add_slot(True, PROVISIONING, now) for _ in range(n)]
        for slot in new:
            slot.arrive_s = arrive_s
            slot.rented_by = by
        st.rent_events += 1
        self.log.add((now, "rent", st.name, n, by))
        self.engine.at(arrive_s, self._on_provisioned, (st, new))
        if self.budget is not None:
            self.budget.changed()

    def _on_provisioned(self, arrival: tuple[Station, list[Slot]]) -> None:
        st, slots = arrival
        now = self.engine.now
        for slot in slots:
            if slot.state is PROVISIONING:
                st.active.add(now, 1)
                slot.arrive_s = now
                st.make_idle(slot, now)
                self.log.add((now, "slot", st.name, slot.index, True, "arrived"))
        self.dispatchers[st.name].dispatch()
        if self.budget is not None:
            self.budget.changed()

    def give_back(self, st: Station, n: int, by: str, reason: str = "operator") -> None:
        """Return ``n`` rented slots: not yet arrived first, then idle, then busy (drain).

        The operator's rentals are the operator's: the autoscaler hands back only slots it
        rented itself; the operator may return any (the budget's guard does its own)."""
        now = self.engine.now
        slots = st.slots_to_shed(True, n, "autoscaler" if by == "autoscaler" else "")
        if not slots:
            return
        for slot in slots:
            shed(st, slot, now, self.log)
        st.return_events += 1
        self.log.add((now, "return", st.name, len(slots), by, reason))
        if self.budget is not None:
            self.budget.changed()

    def set_base(self, st: Station, slots: int) -> None:
        """The capacity slider: contract more base slots, or give some up (busy ones drain)."""
        now = self.engine.now
        have = st.count(False, IDLE, BUSY)
        if slots > have:
            for _ in range(slots - have):
                slot = st.add_slot(False, IDLE, now)
                self.log.add((now, "slot", st.name, slot.index, False, "added"))
        else:
            for slot in st.slots_to_shed(False, have - slots):
                shed(st, slot, now, self.log)
        st.base_target = slots
        self.dispatchers[st.name].dispatch()
