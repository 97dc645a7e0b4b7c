"""A double-entry ledger in integer cents: money is moved, never created or lost.

Every posting moves an amount from one account to another, so the balances always sum to
zero and the books can be checked at any instant: what customers brought in
(``-world``) equals what is still in wallets, what is held, and what became revenue.
Accounts:

* ``world``     -- where customers' money comes from (negative: money brought in);
* ``wallets``   -- customers' spendable money;      ``held`` -- frozen by holds;
* ``revenue``   -- settled holds;
* ``river``     -- River's own cash (pays upstream, so negative: what River spent);
* ``upstream``  -- what upstream suppliers received (slot fees, rentals, task fees).

Only totals are kept (no per-entry journal), so a week-long run stays flat in memory;
per-customer wallet and hold live on the customer and are checked against these totals.
"""

from __future__ import annotations

ACCOUNTS = ("world", "wallets", "held", "revenue", "river", "upstream")


def _posting(kind: str, src: str, dst: str):
    """A method that moves cents from ``src`` to ``dst`` under ``kind`` (``post`` inlined)."""

    def move(self: Ledger, cents: int) -> None:
        if cents < 0 or type(cents) is not int:
            raise ValueError(f"ledger posting {kind}: {cents!r} is not a whole number of cents")
        bal = self.balance
        bal[src] -= cents
        bal[dst] += cents
        totals = self.totals
        totals[kind] = totals.get(kind, 0) + cents
        self.postings += 1

    move.__name__ = kind
    move.__doc__ = f"Move cents from {src!r} to {dst!r} ({kind})."
    return move


class Ledger:
    __slots__ = ("balance", "totals", "postings")

    def __init__(self) -> None:
        self.balance: dict[str, int] = dict.fromkeys(ACCOUNTS, 0)
        #: cumulative cents by posting kind (fund, hold, settle, refund, slot_fee, ...)
        self.totals: dict[str, int] = {}
        self.postings = 0

    def post(self, kind: str, src: str, dst: str, cents: int) -> None:
        if cents < 0 or type(cents) is not int:
            raise ValueError(f"ledger posting {kind}: {cents!r} is not a whole number of cents")
        bal = self.balance
        bal[src] -= cents
        bal[dst] += cents
        self.totals[kind] = self.totals.get(kind, 0) + cents
        self.postings += 1

    # The domain's postings, named for what they mean (made by _posting: one call per order
    # step instead of two, on the hottest path of the model).
    fund = _posting("fund", "world", "wallets")
    hold = _posting("hold", "wallets", "held")
    settle = _posting("settle", "held", "revenue")
    refund = _posting("refund", "held", "wallets")

    def pay_upstream(self, kind: str, cents: int) -> None:
        self.post(kind, "river", "upstream", cents)

    def total(self, kind: str) -> int:
        return self.totals.get(kind, 0)

    def is_balanced(self) -> bool:
        b = self.balance
        return (sum(b.values()) == 0
                and -b["world"] == b["wallets"] + b["held"] + b["revenue"]
                and -b["river"] == b["upstream"])
