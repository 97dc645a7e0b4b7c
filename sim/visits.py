"""Visits: customers arriving at the door, being inside, and walking out.

:class:`Arrivals` draws the Poisson arrival process (a piecewise-constant profile turns a
quiet morning into a lunch rush), lets the greeter admit or turn people away, holds the VIP
fee and places each customer's shopping list.  :class:`Visitors` knows who is inside and is
the one place a visit ends (done, left at the breaker): the VIP fee is settled or refunded,
a pending breaker question is dropped, and the customer joins the bounded ``departures``
ring the renderer animates walking out.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from sim.accounts import Accounts
from sim.customers import Crowd, Customer, CustomerState
from sim.door import Door
from sim.engine import Engine
from sim.eventlog import EventLog
from sim.orders import Order

DONE, REJECTED = CustomerState.DONE, CustomerState.REJECTED
DEPARTURES_KEPT = 200
POISSON_BESIDE_IDS = 1 << 40


class Visitors:
    """Who is in the building, and the one way a visit ends."""

    def __init__(self, engine: Engine, log: EventLog, counts: dict[str, int],
                 accounts: Accounts) -> None:
        self.engine = engine
        self.log = log
        self.counts = counts
        self.accounts = accounts
        self.inside: dict[int, Customer] = {}
        self.departures: deque[Customer] = deque(maxlen=DEPARTURES_KEPT)

    def depart(self, cust: Customer) -> None:
        """Keep a finished customer in the bounded ``departures`` ring (the renderer animates
        them walking out).  The one pushed out of the ring drops its orders' back-references,
        so customer and orders are freed by reference counting: no cycles for the garbage
        collector to chase, and a week-long run stays flat in memory."""
        deps = self.departures
        if len(deps) == deps.maxlen:
            for o in deps[0].orders:
                o.customer = None
        deps.append(cust)

    def finish(self, cust: Customer, state: CustomerState) -> None:
        """End a visit (``done`` or ``left``): close the VIP fee, drop any question the
        3x breaker still has pending for this customer, and walk out."""
        now = self.engine.now
        if cust.vip_fee_cents:     # only a VIP has a fee to close
            closed = self.accounts.close_vip_fee(cust)
            self.log.add((now, "vip", cust.id, *closed))
        cust.asking = None
        cust.state = state
        cust.since_s = now
        del self.inside[cust.id]
        deps = self.departures        # depart(cust), inlined
        if len(deps) == deps.maxlen:
            for o in deps[0].orders:
                o.customer = None
        deps.append(cust)
        if state is DONE:
            self.counts["done"] += 1
            self.log.add((now, "done", cust.id))
        else:
            self.counts["left"] += 1
            self.log.add((now, "leave", cust.id))


class Arrivals:
    """The street: a Poisson stream of customers, the greeter, and placing orders.

    ``admitted`` is called with every customer let in, once their orders are placed (the
    order flow submits what the tier's concurrency allows).
    """

    def __init__(self, engine: Engine, log: EventLog, counts: dict[str, int], scenario,
                 streams, accounts: Accounts, visitors: Visitors,
                 lobby_orders: Callable[[], int],
                 admitted: Callable[[Customer], None]) -> None:
        self.engine = engine
        self.log = log
        self.counts = counts
        self.accounts = accounts
        self.visitors = visitors
        self.lobby_orders = lobby_orders
        self.admitted = admitted
        self.crowd = Crowd(scenario, streams.key("customers"))
        d = scenario.door
        self.door = Door(d.enabled, d.admit_per_min, d.burst, d.lobby_max_orders)
        self._door = self.door if d.enabled else None   # the greeter's path, chosen once
        self.inside = visitors.inside
        self.vip_fee_cents = scenario.billing.vip_fee_cents
        self.rate_per_min = self.base_rate_per_min = scenario.arrivals.rate_per_min
        self.profile = scenario.profile
        # from the start of the profile's last step on, the factor never changes again
        self._flat_from_s, self._flat_factor = (scenario.profile[-1] if scenario.profile
                                                else (0.0, 1.0))
        self._stream = streams["arrivals"]
        self._rnd = self._stream.random     # bound built-in: re-bound by __deepcopy__
        # a trace's customers take their ids from its rows; Poisson customers beside a trace
        # are numbered apart (from POISSON_BESIDE_IDS) so the two never share an id
        self._next_customer_id = POISSON_BESIDE_IDS if scenario.trace else 1   # plain ints:
        self._next_order_id = 1                                  # a forked run copies them
        self.trace = None        # the TraceFeed, when the scenario replays a trace
        self.poisson = scenario.trace is None or scenario.trace.poisson
        self._token = 0          # a rate change invalidates the arrival already scheduled
        self.turned_away_cents = 0   # what turned-away customers came to buy
        self.turned_away_orders = 0  # ... and how many orders (their shopping-list items)

    def __deepcopy__(self, memo: dict) -> Arrivals:
        """A fork's arrivals (:mod:`sim.twin`): a deepcopy would keep ``_rnd`` bound to the
        live stream (a bound built-in method is copied by reference), so the twin would
        consume the live run's arrival times."""
        import copy

        new = Arrivals.__new__(Arrivals)
        memo[id(self)] = new
        for k, v in self.__dict__.items():
            if k != "_rnd":
                setattr(new, k, copy.deepcopy(v, memo))
        new._rnd = new._stream.random
        return new

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

    def set_rate(self, rate_per_min: float) -> None:
        """The spawn-rate slider: redraw the next arrival under the new rate.  On a trace
        without the Poisson spawner the slider is a speed multiplier: the scenario's
        ``rate_per_min`` (its trace's mean rate) is speed 1, twice that plays twice as fast."""
        if not self.poisson:
            base = self.base_rate_per_min
            self.rate_per_min = rate_per_min
            if base > 0:
                self.trace.set_speed(self.trace.plan.speed * rate_per_min / base)
            return
        self.rate_per_min = rate_per_min
        self.schedule()

    def schedule(self) -> None:
        """Draw the next Poisson arrival by inverting the piecewise-constant hazard."""
        self._token += 1
        remaining = -math.log(1.0 - self._rnd())
        t = self.engine.now
        base = self.rate_per_min / 60.0
        if t >= self._flat_from_s:   # past the profile's last change: one rate for ever
            rate = base * self._flat_factor
            if rate > 0:
                self.engine.at(t + remaining / rate, self._on_arrival, self._token)
            return
        while True:
            factor, end = self.rate_factor(t)
            rate = base * factor
            if rate > 0:
                due = t + remaining / rate
                if due <= end:
                    self.engine.at(due, self._on_arrival, self._token)
                    return
            if end == math.inf:
                return  # no more arrivals until the rate changes
            remaining -= rate * (end - t)
            t = end

    def _on_arrival(self, token: int) -> None:
        if token != self._token:
            return
        now = self.engine.now
        if now >= self._flat_from_s:   # schedule() past the profile's last change, inlined
            self._token = token = token + 1
            remaining = -math.log(1.0 - self._rnd())
            rate = self.rate_per_min / 60.0 * self._flat_factor
            if rate > 0:
                self.engine.at(now + remaining / rate, self._on_arrival, token)
        else:
            self.schedule()
        cid = self._next_customer_id
        self._next_customer_id = cid + 1
        cust, wants = self.crowd.make(cid, now)
        self.arrive(cust, wants, now)

    def arrive_row(self, cid: int, row, model: str | None, task_s: float,
                   now: float) -> Customer:
        """A trace row's customer at the door, with one order: the crowd draws its
        attributes as for anyone (keyed by ``cid``, the row); the row's tier and VIP columns,
        when the trace has them, win over the draws."""
        cust, wants = self.crowd.make(cid, now)
        if row.tier is not None:
            tier = self.crowd_tier(row.tier)
            cust.tier, cust.concurrency = tier.name, tier.concurrency
        if row.vip is not None:
            cust.vip = row.vip
        self.arrive(cust, [model or wants[0]], now, task_s)
        return cust

    def crowd_tier(self, name: str):
        for t in self.crowd.tiers:
            if t.name == name:
                return t
        return self.crowd.tiers[0]

    def add_order(self, cust: Customer, model: str, task_s: float, now: float) -> None:
        """One more order of a customer already inside (a trace's next row in one visit)."""
        order = Order(self._next_order_id, cust, model, self.crowd.prices[model], now, task_s)
        self._next_order_id += 1
        cust.orders.append(order)
        cust.pending.append(order)
        self.log.add((now, "place", order.id, cust.id, model))
        self.counts["submitted"] += 1
        self.admitted(cust)

    def arrive(self, cust: Customer, wants: list[str], now: float, task_s: float = -1.0) -> None:
        """A customer at the door: counted, funded, admitted or turned away, orders placed.
        ``task_s`` (a trace row's task time; -1: drawn) goes with every order."""
        # a customer's orders take their ids now, turned away or not: order ids then follow
        # the arrivals alone, and an order's keyed draws are the same in any run of the seed
        n = len(wants)
        oid = self._next_order_id
        self._next_order_id = oid + n
        counts = self.counts
        counts["arrived"] += 1
        self.accounts.fund(cust)
        log = self.log.add
        cid = cust.id
        log((now, "arrive", cid, cust.tier, cust.vip, cust.wallet_cents))
        # the greeter's path is chosen once: with the door off nobody is counted or asked
        door = self._door
        if door is not None:
            reason = door.admit(now, self.lobby_orders())
            if reason is not None:
                cust.state = REJECTED
                cust.reason = reason
                prices = self.crowd.prices
                self.turned_away_cents += sum(prices[m] for m in wants)
                self.turned_away_orders += n
                counts["rejected"] += 1
                counts[reason] += 1
                self.visitors.depart(cust)
                log((now, "reject", cid, reason, n))
                return
        self.inside[cid] = cust
        log((now, "admit", cid, n))
        if cust.vip:
            self._buy_vip(cust, now)
        prices = self.crowd.prices
        orders, pending = cust.orders, cust.pending
        for model in wants:
            order = Order(oid, cust, model, prices[model], now, task_s)
            orders.append(order)
            pending.append(order)
            log((now, "place", oid, cid, model))
            oid += 1
        counts["submitted"] += n
        self.admitted(cust)

    def _buy_vip(self, cust: Customer, now: float) -> None:
        fee = self.vip_fee_cents
        if self.accounts.hold_vip_fee(cust, fee):
            self.log.add((now, "vip", cust.id, "hold", fee))
        else:
            cust.vip = False
            self.counts["vip_declined"] += 1
            self.log.add((now, "vip", cust.id, "decline", fee))
