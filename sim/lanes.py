"""One model's queue: a VIP lane and a normal lane, with an aging bound.

A free slot takes the oldest VIP order, else the oldest normal one; a normal order that has
waited longer than ``aging_s`` since submission counts as VIP, so heavy VIP traffic cannot
starve it.  Removal (a customer leaves, an operator clears) is lazy: the entry stays in its
deque and is skipped when it surfaces, each push carrying a fresh token, so an order that left
and came back (a retry) is never taken twice.  Retries go to the front of their lane: they
have already waited their turn once.
"""

from __future__ import annotations

from collections import deque
from itertools import count

from sim.orders import OrderState

QUEUED = OrderState.QUEUED


class Lanes:
    """Tokens count per queue, not per process: a run's state (``state_digest``) must not
    depend on how many other runs the process made before it."""

    __slots__ = ("vip", "normal", "aging_s", "n_vip", "n_normal", "_tokens")

    def __init__(self, aging_s: float) -> None:
        self.vip: deque = deque()
        self.normal: deque = deque()
        self.aging_s = aging_s
        self.n_vip = 0
        self.n_normal = 0
        self._tokens = count(1)

    def __len__(self) -> int:
        return self.n_vip + self.n_normal

    def push(self, order, front: bool = False) -> None:
        token = order.qtoken = next(self._tokens)
        if order.vip:
            self.n_vip += 1
            lane = self.vip
        else:
            self.n_normal += 1
            lane = self.normal
        if front:
            lane.appendleft((token, order))
        else:
            lane.append((token, order))

    def discard(self, order) -> None:
        """Forget a queued order (its entry is skipped later; a lane that holds more dead
        entries than live ones is compacted, so walks over it stay as long as the queue)."""
        if order.qtoken > 0:
            order.qtoken = -1
            if order.vip:
                self.n_vip -= 1
                if len(self.vip) > 2 * self.n_vip + 64:
                    self.vip = _live(self.vip)
            else:
                self.n_normal -= 1
                if len(self.normal) > 2 * self.n_normal + 64:
                    self.normal = _live(self.normal)

    @staticmethod
    def _head(lane: deque):
        while lane:
            token, order = lane[0]
            if order.qtoken == token:
                return order
            lane.popleft()
        return None

    def peek(self, now: float):
        """The order :meth:`pop` would take now, left in place (or None)."""
        vip = self._head(self.vip) if self.n_vip else None
        normal = self._head(self.normal) if self.n_normal else None
        if normal is not None and (vip is None or (
                now - normal.submitted_s >= self.aging_s
                and normal.submitted_s < vip.submitted_s)):
            return normal
        return vip

    def pop(self, now: float):
        """The next order in effective order, or None."""
        vip = self._head(self.vip) if self.n_vip else None
        normal = self._head(self.normal) if self.n_normal else None
        if normal is not None and (vip is None or (
                now - normal.submitted_s >= self.aging_s
                and normal.submitted_s < vip.submitted_s)):
            self.normal.popleft()
            self.n_normal -= 1
            normal.qtoken = -1
            return normal
        if vip is not None:
            self.vip.popleft()
            self.n_vip -= 1
            vip.qtoken = -1
            return vip
        return None

    def waiting_since(self, cutoff_s: float) -> int:
        """Orders waiting for their first start since before ``cutoff_s`` (retries, which
        started once already, are not counted).  Orders that never started enter at the back
        in submission order, so the walk stops at the first one submitted after the cutoff."""
        count = 0
        for lane in (self.vip, self.normal):
            for t, o in lane:
                if o.qtoken != t or o.started_s >= 0:
                    continue
                if o.submitted_s >= cutoff_s:
                    break
                count += 1
        return count

    def position(self, order, now: float) -> int:
        """``order``'s place in :meth:`ordered` (0 if it is not waiting).  A normal order
        not yet aged is behind every VIP: count those and walk only the normal lane up to
        it, without listing the queue (the 3x breaker asks on every check)."""
        if not order.vip and now - order.submitted_s < self.aging_s:
            k = self.n_vip
            for t, o in self.normal:
                if o.qtoken == t:
                    if o is order:
                        return k
                    k += 1
            return 0
        for k, o in enumerate(self.ordered(now)):
            if o is order:
                return k
        return 0

    def ordered(self, now: float) -> list:
        """Live orders in the order ``pop`` would take them now (for positions and views).

        Only aged normal orders interleave with the VIP lane (by submission time); once the
        normal head is not aged, or either lane runs out, the rest follows as it stands:
        every VIP first, then the normal lane in order."""
        vip = [o for t, o in self.vip if o.qtoken == t]
        normal = [o for t, o in self.normal if o.qtoken == t]
        if not vip:
            return normal
        out = []
        i = j = 0
        nv, nn = len(vip), len(normal)
        aging = self.aging_s
        while i < nv and j < nn:
            n = normal[j]
            if now - n.submitted_s < aging:
                break
            v = vip[i]
            if v.submitted_s <= n.submitted_s:
                out.append(v)
                i += 1
            else:
                out.append(n)
                j += 1
        out += vip[i:]
        out += normal[j:]
        return out


def _live(lane: deque) -> deque:
    """The lane's live entries, in order (dead ones are orders that left the queue)."""
    return deque(e for e in lane if e[1].qtoken == e[0])
