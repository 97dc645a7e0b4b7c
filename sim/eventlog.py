"""The event log: every state change as a plain tuple, folded into a running SHA-256.

A record is ``(time_s, kind, *fields)`` with ints, strs, bools and floats only.  Records are
buffered and hashed in chunks (SHA-256 of a stream does not depend on how it is chunked), each
serialised as its ``repr`` plus a newline, which is identical on every CPython (floats print
their shortest round-tripping form).  Only a bounded tail is kept for the ticker, so memory is
flat however long the run; tests may ask to ``keep`` the whole log to check it record by
record.

Kinds and their fields are listed in :data:`KINDS` (the renderer's ticker reads them).
"""

from __future__ import annotations

import hashlib
from collections import deque

KINDS: dict[str, tuple[str, ...]] = {
    "arrive": ("customer", "tier", "vip", "wallet_cents"),
    "reject": ("customer", "reason"),
    "admit": ("customer", "orders"),
    "vip": ("customer", "action", "cents"),          # action: hold | settle | refund | decline
    "place": ("order", "customer", "model"),
    "decline": ("order", "customer", "reason"),
    "enqueue": ("order", "customer", "model", "lane", "price_cents", "est_wait_s"),
    "start": ("order", "model", "slot", "attempt"),
    "deliver": ("order", "customer", "cents"),
    "fail": ("order", "model", "why", "attempt"),
    "backoff": ("order", "delay_s"),
    "requeue": ("order", "model", "lane"),
    "refund": ("order", "customer", "state", "cents"),
    "dead_letter": ("order", "model"),
    "ask": ("customer", "order", "est_wait_s"),
    "answer": ("customer", "stays"),
    "leave": ("customer",),
    "done": ("customer",),
    "circuit": ("model", "state"),
    "outage": ("model", "until_s"),
    "slot": ("model", "slot", "rented", "state"),
    "rent": ("model", "slots", "by"),
    "return": ("model", "slots", "by"),
    "accrue": ("model", "slot_cents", "rental_cents"),
    "alert": ("name", "on"),
    "command": ("name", "args"),
    "batch": ("model", "slot", "orders"),
}

FLUSH_EVERY = 4096


class EventLog:
    __slots__ = ("count", "_hash", "_buf", "tail", "keep", "records")

    def __init__(self, tail: int = 256, keep: bool = False) -> None:
        self.count = 0
        self._hash = hashlib.sha256()
        self._buf: list[tuple] = []
        self.tail: deque[tuple] = deque(maxlen=tail)
        self.keep = keep
        self.records: list[tuple] = []

    def add(self, record: tuple) -> None:
        buf = self._buf
        buf.append(record)
        if len(buf) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        buf = self._buf
        if not buf:
            return
        self.count += len(buf)
        self._hash.update(("\n".join(map(repr, buf)) + "\n").encode())
        self.tail.extend(buf)
        if self.keep:
            self.records.extend(buf)
        self._buf = []

    def sha256(self) -> str:
        self.flush()
        return self._hash.hexdigest()

    def total(self) -> int:
        return self.count + len(self._buf)

    def recent(self, n: int = 20) -> list[tuple]:
        self.flush()
        tail = self.tail
        return list(tail)[-n:] if n < len(tail) else list(tail)
