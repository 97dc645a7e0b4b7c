"""The event log: every state change as a plain tuple, folded into a running SHA-256.

A record is ``(time_s, kind, *fields)`` with ints, strs, bools, floats and tuples of them
only.  Records are buffered and hashed in fixed chunks (see :class:`EventLog`), so the hash does
not depend on when anybody reads it or how the run was cut into frames.  Only a bounded tail is
kept for the ticker, so memory is flat however long the run; tests may ask to ``keep`` the
whole log to check it record by record.

Kinds, their fields and types are declared once in :data:`KINDS`; readers use
:func:`fields` / :func:`field`, and a test checks every emitted record against it.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import deque

SLOT_KEY = tuple    # (1 if rented else 0, index)

#: Every record kind and its fields, in order, with their types: the one definition of the
#: record format.  ``record[0]`` is the time (float) and ``record[1]`` the kind; readers get
#: fields by name through :func:`fields`, and a test checks every emitted record against this
#: table (:func:`problem`), so a record and its readers cannot drift apart.
KINDS: dict[str, tuple[tuple[str, type], ...]] = {
    "arrive": (("customer", int), ("tier", str), ("vip", bool), ("wallet_cents", int)),
    # reason: rate_limited | lobby_full; orders: the shopping list they came to buy
    "reject": (("customer", int), ("reason", str), ("orders", int)),
    "admit": (("customer", int), ("orders", int)),
    "vip": (("customer", int), ("action", str), ("cents", int)),  # hold|settle|refund|decline
    "place": (("order", int), ("customer", int), ("model", str)),
    "decline": (("order", int), ("customer", int), ("reason", str)),
    "enqueue": (("order", int), ("customer", int), ("model", str), ("lane", str),
                ("price_cents", int), ("est_wait_s", float), ("est_wait_lo_s", float),
                ("est_wait_hi_s", float)),
    "start": (("order", int), ("model", str), ("slot", SLOT_KEY), ("attempt", int)),
    "deliver": (("order", int), ("customer", int), ("cents", int)),
    "fail": (("order", int), ("model", str), ("why", str), ("attempt", int)),
    "backoff": (("order", int), ("delay_s", float)),
    "requeue": (("order", int), ("model", str), ("lane", str)),
    "refund": (("order", int), ("customer", int), ("state", str), ("cents", int)),
    "dead_letter": (("order", int), ("model", str)),
    # trigger: which estimate crossed the bound -- "enqueue" (at submission), "waited" (the
    # order has waited the bound), "recheck" (after the customer answered about another)
    "ask": (("customer", int), ("order", int), ("est_wait_s", float), ("est_wait_lo_s", float),
            ("est_wait_hi_s", float), ("trigger", str)),
    "answer": (("customer", int), ("stays", bool)),
    "leave": (("customer", int),),
    "done": (("customer", int),),
    "circuit": (("model", str), ("state", str)),             # closed | open | half_open
    "outage": (("model", str), ("until_s", float)),
    "slot": (("model", str), ("slot", int), ("rented", bool), ("state", str)),
    "rent": (("model", str), ("slots", int), ("by", str)),   # by: operator | autoscaler
    # by: operator | autoscaler | budget; reason: why -- RETURN_REASONS
    "return": (("model", str), ("slots", int), ("by", str), ("reason", str)),
    "accrue": (("model", str), ("slot_cents", int), ("rental_cents", int)),
    "alert": (("name", str), ("on", bool)),
    "command": (("name", str), ("args", str)),
    "batch": (("model", str), ("slot", SLOT_KEY), ("orders", int)),
}
#: why rented slots went back (a ``return`` record's ``reason``): the operator's command, the
#: autoscaler after load stayed low for its downscale delay, the rental budget running out
RETURN_REASONS = ("operator", "autoscaler_low_load", "budget")
#: the values the ``why`` of a ``fail`` record takes (a reader filtering on it uses these)
FAIL_REASONS = ("error", "throttle", "outage")
_POSITIONS = {kind: {name: i + 2 for i, (name, _) in enumerate(spec)}
              for kind, spec in KINDS.items()}


def fields(record: tuple) -> dict:
    """A record's fields by name: ``{"t_s": ..., "kind": ..., "order": ..., ...}``."""
    out = {"t_s": record[0], "kind": record[1]}
    for name, i in _POSITIONS[record[1]].items():
        out[name] = record[i]
    return out


def field(record: tuple, name: str):
    """One field of a record by name (``field(rec, "order")``)."""
    return record[_POSITIONS[record[1]][name]]


def problem(record: tuple) -> str | None:
    """Why ``record`` does not match its declared kind, or None if it does."""
    if len(record) < 2 or type(record[0]) is not float or record[1] not in KINDS:
        return f"bad time or unknown kind: {record!r}"
    spec = KINDS[record[1]]
    if len(record) != 2 + len(spec):
        return f"{record[1]} has {len(record) - 2} fields, declared {len(spec)}: {record!r}"
    for (name, typ), value in zip(spec, record[2:], strict=True):
        if type(value) is not typ:
            return f"{record[1]}.{name} is {type(value).__name__}, declared {typ.__name__}"
        if typ is SLOT_KEY and (len(value) != 2 or any(type(v) is not int for v in value)):
            return f"{record[1]}.{name} is not a (rented, index) pair: {value!r}"
    return None


CHUNK = 4096


class EventLog:
    """Append-only record stream with a running SHA-256 over canonical chunks.

    ``add`` is the bound ``append`` of the buffer (the hottest call in the model).  The owner
    calls :meth:`settle` between batches of events; it hashes every complete chunk of
    :data:`CHUNK` records as ``marshal.dumps(list, 2)`` (format 2 has no back-references, so
    the bytes depend only on the values; floats are packed as IEEE-754 little-endian).  The
    partial last chunk is hashed on a copy of the hasher when the digest is read, so reading
    the hash never changes it.

    ``hashing=False`` (a lean run, whose caller reads no hash): records are counted and the
    tail kept, nothing is hashed, and :meth:`sha256` refuses.
    """

    __slots__ = ("count", "_hash", "_buf", "add", "tail", "keep", "_kept", "hashing")

    def __init__(self, tail: int = 512, keep: bool = False, hashing: bool = True) -> None:
        self.count = 0                      # records already folded into the hash
        self._hash = hashlib.sha256()
        self._buf: list[tuple] = []
        self.add = self._buf.append
        self.tail: deque[tuple] = deque(maxlen=tail)
        self.keep = keep
        self._kept: list[tuple] = []
        self.hashing = hashing

    def __deepcopy__(self, memo: dict) -> EventLog:
        """A fork's own log (:mod:`sim.twin`): the hasher copied with ``hashlib``'s ``copy``
        (deepcopy refuses it) and ``add`` bound to the copy's buffer (a deepcopy would keep
        the live buffer's bound ``append``: the twin would write into the live log)."""
        new = EventLog.__new__(EventLog)
        memo[id(self)] = new
        new.count = self.count
        new._hash = self._hash.copy()
        new._buf = list(self._buf)          # records are tuples of immutable values
        new.add = new._buf.append
        new.tail = deque(self.tail, maxlen=self.tail.maxlen)
        new.keep = self.keep
        new._kept = list(self._kept)
        new.hashing = self.hashing
        return new

    def settle(self) -> None:
        """Fold every complete chunk of the buffer into the hash."""
        buf = self._buf
        n = len(buf) - len(buf) % CHUNK
        hashing = self.hashing
        for i in range(0, n, CHUNK):
            chunk = buf[i:i + CHUNK]
            if hashing:                  # a lean run's log is counted, not hashed
                self._hash.update(marshal.dumps(chunk, 2))
            self.tail.extend(chunk[-self.tail.maxlen:])
            if self.keep:
                self._kept.extend(chunk)
        if n:
            del buf[:n]
            self.count += n

    def sha256(self) -> str:
        if not self.hashing:
            raise RuntimeError("EventLog(hashing=False) has no hash (a lean run)")
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
