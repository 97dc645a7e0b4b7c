"""The event log: every state change as a plain tuple, folded into a running SHA-256.

A record is ``(time_s, kind, *fields)`` with ints, strs, bools, floats and tuples of them
only.  Records are buffered and hashed in fixed chunks (see :class:`EventLog`), so the hash does
not depend on when anybody reads it or how the run was cut into frames.  Only a bounded tail is
kept for the ticker, so memory is flat however long the run; tests may ask to ``keep`` the
whole log to check it record by record.

Kinds and their fields are listed in :data:`KINDS` (the renderer's ticker reads them).
"""

from __future__ import annotations

import hashlib
import marshal
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

CHUNK = 4096


class EventLog:
    """Append-only record stream with a running SHA-256 over canonical chunks.

    ``add`` is the bound ``append`` of the buffer (the hottest call in the model).  The owner
    calls :meth:`settle` between batches of events; it hashes every complete chunk of
    :data:`CHUNK` records as ``marshal.dumps(list, 2)`` (format 2 has no back-references, so
    the bytes depend only on the values; floats are packed as IEEE-754 little-endian).  The
    partial last chunk is hashed on a copy of the hasher when the digest is read, so reading
    the hash never changes it.
    """

    __slots__ = ("count", "_hash", "_buf", "add", "tail", "keep", "_kept")

    def __init__(self, tail: int = 256, keep: bool = False) -> None:
        self.count = 0                      # records already folded into the hash
        self._hash = hashlib.sha256()
        self._buf: list[tuple] = []
        self.add = self._buf.append
        self.tail: deque[tuple] = deque(maxlen=tail)
        self.keep = keep
        self._kept: list[tuple] = []

    def settle(self) -> None:
        """Fold every complete chunk of the buffer into the hash."""
        buf = self._buf
        n = len(buf) - len(buf) % CHUNK
        for i in range(0, n, CHUNK):
            chunk = buf[i:i + CHUNK]
            self._hash.update(marshal.dumps(chunk, 2))
            self.tail.extend(chunk[-self.tail.maxlen:])
            if self.keep:
                self._kept.extend(chunk)
        if n:
            del buf[:n]
            self.count += n

    def sha256(self) -> str:
        self.settle()
        h = self._hash.copy()
        if self._buf:
            h.update(marshal.dumps(self._buf, 2))
        return h.hexdigest()

    def total(self) -> int:
        return self.count + len(self._buf)

    @property
    def records(self) -> list[tuple]:
        """Every record so far (only with ``keep=True``)."""
        if not self.keep:
            raise RuntimeError("EventLog(keep=False) does not keep records")
        return self._kept + self._buf

    def since(self, seq: int) -> tuple[list[tuple], int, int]:
        """The records after the first ``seq`` ones: ``(records, next_seq, skipped)``.

        A record's sequence number is its position in the log (kept outside the hashed
        records, so hashes do not change).  A reader that passes back ``next_seq`` gets
        every record exactly once; one that fell further behind than the kept tail gets
        what is kept and the count of records it missed."""
        buf, count = self._buf, self.count
        total = count + len(buf)
        if seq >= count:
            return buf[seq - count:], total, 0
        tail = list(self.tail)
        first = count - len(tail)
        if seq >= first:
            return tail[seq - first:] + buf, total, 0
        return tail + buf, total, first - seq

    def recent(self, n: int = 20) -> list[tuple]:
        buf = self._buf
        if len(buf) >= n:
            return buf[-n:]
        older = list(self.tail)[-(n - len(buf)):] if n > len(buf) else []
        return older + buf
