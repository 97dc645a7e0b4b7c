"""Orders: one piece of content a customer wants, from placement to a terminal state.

Lifecycle (DOMAIN section 10)::

    pending --(submit: hold)--> queued --> running --> delivered
       |                         ^  |        |
       |                         |  |        +--(fail)--> backoff --(requeue)--+
       +--> declined             |  +--> refunded_abandon / refunded_cancel    |
                                 +---------------------------------------------+
    after the last attempt: refunded_failure (and a dead letter)

``pending`` orders wait with their customer (logical concurrency); the customer's quota
counts ``queued``, ``running`` and ``backoff`` orders.
"""

from __future__ import annotations

from enum import StrEnum


class OrderState(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    BACKOFF = "backoff"
    DELIVERED = "delivered"
    DECLINED = "declined"
    REFUNDED_FAILURE = "refunded_failure"
    REFUNDED_ABANDON = "refunded_abandon"
    REFUNDED_CANCEL = "refunded_cancel"


TERMINAL = frozenset({OrderState.DELIVERED, OrderState.DECLINED, OrderState.REFUNDED_FAILURE,
                      OrderState.REFUNDED_ABANDON, OrderState.REFUNDED_CANCEL})
IN_FACTORY = frozenset({OrderState.QUEUED, OrderState.RUNNING, OrderState.BACKOFF})
PENDING = OrderState.PENDING  # a module constant: Enum attributes are slow to look up on 3.11


class Order:
    """An order; ``since_s`` is the time of its last state change (for animation)."""

    __slots__ = ("id", "customer", "model", "state", "since_s", "price_cents", "held_cents",
                 "vip", "submitted_s", "queued_s", "started_s", "est_wait_s", "est_wait_lo_s",
                 "est_wait_hi_s", "attempts", "slot", "qtoken", "asked", "task_s")

    def __init__(self, oid: int, customer, model: str, price_cents: int, now: float,
                 task_s: float = -1.0) -> None:
        self.id = oid
        self.customer = customer
        self.model = model
        self.state = PENDING
        self.since_s = now
        self.price_cents = price_cents
        self.held_cents = 0
        self.vip = False
        self.submitted_s = -1.0     # first entry into the factory (hold)
        self.queued_s = -1.0        # entry into the current lane
        self.started_s = -1.0       # first production start
        self.est_wait_s = 0.0       # wait estimate made at submission (the median)
        self.est_wait_lo_s = 0.0    # ... and its 80% range
        self.est_wait_hi_s = 0.0
        self.attempts = 0
        self.slot = None
        self.qtoken = -1
        self.asked = False
        self.task_s = task_s        # a trace row's task time; -1: drawn by the station

    @property
    def lane(self) -> str:
        return "vip" if self.vip else "normal"

    def __repr__(self) -> str:
        return f"Order({self.id}, {self.model}, {self.state.value})"
