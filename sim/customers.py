"""Customers (the little people) and how they are drawn.

A customer has a tier (logical concurrency, wallet range), maybe the VIP add-on, a shopping
list of orders, and a patience: how long they accept to wait for delivery (drawn per
customer, 5-10 min by default).  Everything about customer ``n`` is drawn from keys of
``(seed, "customers", n)`` (:meth:`Crowd.make`): the same seed gives the same crowd, and the
n-th customer is the same person whatever happened before they came in.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from enum import StrEnum

from sim.rng import ATTEMPT_BITS, GAMMA, INDEX_BITS, MASK64, at

GAMMA_CUSTOMER = GAMMA << (ATTEMPT_BITS + INDEX_BITS)   # rng.entity(key, id) packs id << 18


class CustomerState(StrEnum):
    INSIDE = "inside"        # admitted, has orders in the building
    ASKED = "asked"          # the 3x breaker asked; the dispatcher is walking over
    REJECTED = "rejected"    # turned away at the door (terminal)
    LEFT = "left"            # left at the breaker (terminal)
    DONE = "done"            # all orders ended (terminal)


INSIDE = CustomerState.INSIDE  # a module constant: Enum attributes are slow to look up on 3.11


class Customer:
    __slots__ = ("id", "tier", "concurrency", "vip", "wallet_cents", "initial_wallet_cents",
                 "held_cents", "vip_fee_cents", "patience_s", "arrived_s", "state", "since_s",
                 "orders", "pending", "active", "delivered", "ended", "reason", "asking",
                 "asked_wait_s", "answer")

    def __init__(self, cid: int, tier: str, concurrency: int, vip: bool, wallet_cents: int,
                 patience_s: float, now: float) -> None:
        self.id = cid
        self.tier = tier
        self.concurrency = concurrency
        self.vip = vip
        self.wallet_cents = wallet_cents       # spendable
        self.initial_wallet_cents = wallet_cents
        self.held_cents = 0
        self.vip_fee_cents = 0                 # held VIP fee, settled/refunded at the end
        self.patience_s = patience_s
        self.arrived_s = now
        self.state = INSIDE
        self.since_s = now
        self.orders: list = []
        self.pending: deque = deque()         # placed, waiting with the customer
        self.active = 0                        # orders queued + running + backing off
        self.delivered = 0
        self.ended = 0
        self.reason = ""
        self.asking = None                     # the order the 3x breaker asked about
        self.asked_wait_s = -1.0               # the wait the 3x question named (-1: not asked)
        self.answer = ""                       # their answer: "stay" | "leave" ("": none yet)

    def __repr__(self) -> str:
        return f"Customer({self.id}, {self.tier}, {self.state.value})"


class Crowd:
    """Draws customers as the scenario describes them.  ``key`` is the run's ``customers``
    purpose key (:meth:`sim.rng.Streams.key`)."""

    def __init__(self, scenario, key: int) -> None:
        self.key = key
        tiers = list(scenario.tiers.values())
        self.tiers = tiers
        # a single choice draws nothing (the empty list says so)
        self.tier_cum = _cumulative([t.share for t in tiers]) if len(tiers) > 1 else []
        models = list(scenario.models.values())
        self.models = [m.name for m in models]
        self.model_cum = _cumulative([m.mix for m in models]) if len(models) > 1 else []
        self.single_list = self.models[:1]     # the shopping list's item with one model
        self.prices = {m.name: m.price_cents for m in models}
        a = scenario.arrivals
        self.vip_share = a.vip_share
        self.patience = (a.patience_min_s, a.patience_max_s)
        # Draw ``i`` of customer ``cid`` is SplitMix64's finaliser applied to
        # ``key + ((cid << 18) + i + 1) * GAMMA`` (mod 2**64: rng.entity then rng.draw), that
        # is ``cid * (GAMMA << 18)`` plus a constant of the draw: the constants are made once,
        # and make() hands each to rng.at (the same integers, so the same values;
        # tests/test_core_fast_in.py holds them to the functions).  Draw 0 is the tier's, when
        # there is a choice; the rest follow it.
        k = 1 if self.tier_cum else 0
        self._at = [(key + (i + 1) * GAMMA) & MASK64 for i in range(k + 5)]
        self._at_tier = self._at[0]
        (self._at_vip, self._at_wallet, self._at_patience, self._at_orders,
         self._at_models) = self._at[k:k + 5]

    def make(self, cid: int, now: float) -> tuple[Customer, list[str]]:
        """Customer ``cid`` arriving at ``now`` and their shopping list (model names).

        Every attribute comes from the keyed draws of ``cid`` alone -- tier, VIP, wallet,
        patience, list length, then one model per order, in that order -- so customer ids
        given in arrival order (or a request log's row numbers, for a trace replay) name the
        same person in any run of the seed, whatever the capacity or the order of events
        (each draw's counter: see ``_at`` in ``__init__``)."""
        base = cid * GAMMA_CUSTOMER
        if self.tier_cum:
            cum = self.tier_cum
            tier = self.tiers[min(bisect_right(cum, at(base + self._at_tier)), len(cum) - 1)]
        else:
            tier = self.tiers[0]
        # a draw whose result is fixed (a range of one value, a VIP share of 0) is not
        # computed -- the later draws keep their index, so the values are the same
        share = self.vip_share
        vip = share > 0.0 and at(base + self._at_vip) < share
        lo, hi = tier.wallet_min_cents, tier.wallet_max_cents
        wallet = _between(lo, hi, at(base + self._at_wallet)) if hi != lo else lo
        lo, hi = self.patience
        patience = lo + (hi - lo) * at(base + self._at_patience) if hi != lo else lo + 0.0
        lo, hi = tier.orders_min, tier.orders_max
        n = _between(lo, hi, at(base + self._at_orders)) if hi != lo else lo
        cum = self.model_cum
        if cum:
            models, last = self.models, len(cum) - 1
            first = base + self._at_models                     # order j's: + j * GAMMA
            wants = [models[min(bisect_right(cum, at(first + j * GAMMA)), last)]
                     for j in range(n)]
        else:
            wants = self.single_list * n
        return Customer(cid, tier.name, tier.concurrency, vip, wallet, patience, now), wants


def _cumulative(weights: list[float]) -> list[float]:
    total = sum(weights)
    out, acc = [], 0.0
    for w in weights:
        acc += w / total
        out.append(acc)
    out[-1] = 1.0
    return out


def _between(lo: int, hi: int, u: float) -> int:
    """A uniform integer in [lo, hi] from one uniform draw (cheaper than randint)."""
    k = lo + int((hi - lo + 1) * u)
    return k if k <= hi else hi

