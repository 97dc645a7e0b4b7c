"""Accounts: every money move of a customer, wallet and ledger together in one call.

A hold, a settle or a refund changes three things that must agree: the customer's wallet
and held cents, the order's held cents, and the double-entry :class:`sim.ledger.Ledger`.
Written by hand in several places they drift apart; here each move is one method, and
the run's totals (money brought in, refunded) are kept where the moves happen.
"""

from __future__ import annotations

from sim.customers import Customer
from sim.ledger import Ledger
from sim.orders import Order


class Accounts:
    """Wallets, holds and the ledger of one run."""

    __slots__ = ("ledger", "wallets_initial_cents", "refunded_cents")

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.wallets_initial_cents = 0   # everything customers brought in
        self.refunded_cents = 0          # every hold given back (orders and VIP fees)

    def fund(self, cust: Customer) -> None:
        """A customer walks in with their wallet.  (The ledger's ``fund`` posting is made
        here, :meth:`sim.ledger.Ledger.fund` inlined: once per customer, on the hottest path.)"""
        cents = cust.wallet_cents
        self.wallets_initial_cents += cents
        if cents < 0 or type(cents) is not int:
            raise ValueError(f"ledger posting fund: {cents!r} is not a whole number of cents")
        led = self.ledger
        bal = led.balance
        bal["world"] -= cents
        bal["wallets"] += cents
        totals = led.totals
        totals["fund"] = totals.get("fund", 0) + cents
        led.postings += 1

    def hold(self, o: Order) -> bool:
        """Freeze the order's price in its customer's wallet; False if it cannot be covered.
        (:meth:`_freeze` inlined: once per order.)"""
        cust = o.customer
        cents = o.price_cents
        if cents > cust.wallet_cents:
            return False
        cust.wallet_cents -= cents
        cust.held_cents += cents
        # the ledger's ``hold`` posting, inlined (a price is a validated whole, >= 0 cents)
        led = self.ledger
        bal = led.balance
        bal["wallets"] -= cents
        bal["held"] += cents
        totals = led.totals
        totals["hold"] = totals.get("hold", 0) + cents
        led.postings += 1
        o.held_cents = cents
        return True

    def settle(self, o: Order) -> int:
        """The order was delivered: its hold becomes revenue.  Returns the cents.
        (:meth:`_release` inlined: once per order.)"""
        cents = o.held_cents
        o.customer.held_cents -= cents
        # the ledger's ``settle`` posting, inlined (held cents came in through a hold)
        led = self.ledger
        bal = led.balance
        bal["held"] -= cents
        bal["revenue"] += cents
        totals = led.totals
        totals["settle"] = totals.get("settle", 0) + cents
        led.postings += 1
        o.held_cents = 0
        return cents

    def refund(self, o: Order) -> int:
        """Give the order's hold back to the wallet (nothing held: nothing moves)."""
        cents = o.held_cents
        if cents:
            self._release(o.customer, cents, to_revenue=False)
            o.held_cents = 0
        return cents

    def hold_vip_fee(self, cust: Customer, fee: int) -> bool:
        """Hold the VIP add-on's fee once per visit; False if the wallet cannot cover it."""
        if not self._freeze(cust, fee):
            return False
        cust.vip_fee_cents = fee
        return True

    def close_vip_fee(self, cust: Customer) -> tuple[str, int] | None:
        """At the end of a visit: settle the VIP fee if anything was delivered, else refund
        it.  Returns ``(action, cents)`` or None when no fee was held."""
        fee = cust.vip_fee_cents
        if not fee:
            return None
        cust.vip_fee_cents = 0
        delivered = cust.delivered > 0
        self._release(cust, fee, to_revenue=delivered)
        return ("settle" if delivered else "refund"), fee

    def _freeze(self, cust: Customer, cents: int) -> bool:
        """Move ``cents`` from the wallet to the held money, if the wallet has them."""
        if cents > cust.wallet_cents:
            return False
        cust.wallet_cents -= cents
        cust.held_cents += cents
        self.ledger.hold(cents)
        return True

    def _release(self, cust: Customer, cents: int, to_revenue: bool) -> None:
        """End a hold: into revenue (settle) or back into the wallet (refund)."""
        cust.held_cents -= cents
        if to_revenue:
            self.ledger.settle(cents)
        else:
            cust.wallet_cents += cents
            self.ledger.refund(cents)
            self.refunded_cents += cents

    def pay_upstream(self, kind: str, cents: int) -> None:
        """River pays a supplier: slot fees, rentals, per-task fees."""
        self.ledger.pay_upstream(kind, cents)
