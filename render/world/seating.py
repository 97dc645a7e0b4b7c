"""Seating: where each customer in the building belongs, read from one snapshot.

Why a module of its own, and why in steps: at 500 people the plan is the renderer's biggest
piece of Python (every queued order of every lane is read), and the browser's Python is several
times slower than this one.  :meth:`Seating.steps` splits the plan into two halves that the
people layer runs on the frames after a snapshot, so the snapshot (itself about a millisecond
at rush hour) never lands in the same frame as the re-seating.

What a seat is: ``(spot, sign, fill, hue, vip)`` -- the feet position in the lobby, the sign
over the head (1 wait bar, 2 hourglass, 3 "!" bubble), the wait bar's fill (0..``BAR_STEPS``)
and colour (0 green, 1 yellow, 2 red), and the crown.  Plain tuples, so "did anything change
for this person?" is one comparison, and the people layer touches only those whose did.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from render import layout as L

BAR_STEPS = 8      # a wait bar's steps, one pixel each: a seat wide (16 screen px)
WAITING, WATCHING, ASKED = 1, 2, 3      # the sign over a seated customer's head
_by_id = attrgetter("id")


class Seating:
    """One plan per snapshot: each customer's place (lane or gallery), sticky spots in it
    (front of the queue first) and the counts the badges are made from."""

    def __init__(self) -> None:
        self.seats: dict[int, tuple] = {}       # customer id -> (spot, sign, fill, hue, vip)
        self.waits: dict[int, list] = {}        # customer id -> the best order, see _rank
        self.spot_of: dict[int, tuple[str, int]] = {}   # customer id -> (place, spot index)
        self.place_of: dict[int, str] = {}      # every customer inside -> its place
        self.counts: dict[str, int] = {}        # place -> customers in it (drawn or not)
        self.compact = True                     # step forward into free spots (slow playback)
        self.snap = None                        # the snapshot the plan was made from
        self.who: dict[int, object] = {}        # customer id -> the customer (live, read-only)
        self.asked: tuple | None = None         # (since_s, id) of the longest-asked customer
        self._best: dict[int, list] = {}
        self._lanes: tuple[list, list] = ([], [])

    def steps(self, snap, multiplier: float) -> Iterator[None]:
        """Plan in two halves, yielding between them; ``seats`` holds the result at the end."""
        self._rank(snap, multiplier)
        yield
        self._place(snap)

    def wait_info(self, cid: int, now: float) -> tuple | None:
        """(queue position, lane label, estimated seconds to start, and the 80% range's
        low and high ends) for a tooltip, or None."""
        w = self.waits.get(cid)
        if w is None:
            return None
        start, pos, label = w[:3]
        lo, hi = w[8], w[9]
        return (pos + 1, label, max(0.0, start - now), max(0.0, lo - now),
                max(0.0, hi - now))

    # -- first half: read every lane ---------------------------------------------------------
    def _rank(self, snap, multiplier: float) -> None:
        """Each waiting customer's best order (earliest estimated start) and lane order.

        A customer with orders in several lanes sits once: in the lane of the order that
        starts first; the seat follows the earliest time the customer entered any lane (stable
        while the estimates move), the tooltip the estimate.
        """
        now = snap.now_s
        best: dict[int, list] = {}
        get = best.get
        for st in snap.stations:
            queue = st.queue
            if not queue:
                continue
            est = st.est_start_s
            if len(est) < len(queue):
                est = tuple(est) + (now,) * (len(queue) - len(est))
            lo = st.est_start_lo_s or est
            hi = st.est_start_hi_s or est
            label = st.label
            bound = max(1.0, multiplier * st.mean_task_s)
            for pos, (order, start, low, high) in enumerate(zip(queue, est, lo, hi,
                                                                strict=False)):
                customer = order.customer
                if customer is None:  # ended and forgotten since the snapshot was taken
                    continue
                cid = customer.id
                cur = get(cid)
                queued_s = order.queued_s
                if cur is None:
                    # [start, position, label, vip lane, queued s, bar bound,
                    #  earliest queued s, customer, 80% range low, high]
                    best[cid] = [start, pos, label, order.vip, queued_s, bound, queued_s,
                                 customer, low, high]
                elif start < cur[0]:
                    best[cid] = [start, pos, label, order.vip, queued_s, bound,
                                 min(queued_s, cur[6]), customer, low, high]
                elif queued_s < cur[6]:
                    cur[6] = queued_s
        vip_q, normal_q = [], []
        for cid, info in best.items():
            (vip_q if info[3] else normal_q).append((info[6], cid))
        vip_q.sort()
        normal_q.sort()
        self._best = best
        self._lanes = (vip_q, normal_q)

    # -- second half: places, sticky spots, bars ----------------------------------------------
    def _place(self, snap) -> None:
        """Every customer inside gets a place; those who fit get a spot in it.

        Every customer in ``snap.people`` lands in exactly one place and is counted there: a
        queued order seats them in its lane; else an order in production puts them in the
        gallery; else (orders backing off before a retry) they wait in their lane, behind the
        queued.  So a retry storm does not send people back and forth across the lobby.  A
        spot is drawn; the rest of a place's count is its "+N" badge.  Signs and bars are
        worked out for the customers with a spot only.
        """
        vip_q, normal_q = self._lanes
        best = self._best
        members: dict[str, list[int]] = {L.CARPET_PLACE: [cid for _, cid in vip_q],
                                         L.BENCH: [cid for _, cid in normal_q],
                                         L.GALLERY_PLACE: []}
        others: dict[int, object] = {}
        asked = None
        for person in snap.people:
            if person.state == "asked":
                key = (person.since_s, person.id)
                asked = key if asked is None or key < asked else asked
            if person.id not in best:
                others[person.id] = person
        for cid in sorted(others):
            person = others[cid]
            members[L.GALLERY_PLACE if any(o.state == "running" for o in person.orders)
                    else L.CARPET_PLACE if person.vip else L.BENCH].append(cid)
        self.spot_of = _allocate(self.spot_of, members, self.compact)
        self.place_of = {cid: name for name, cids in members.items() for cid in cids}
        self.counts = {name: len(cids) for name, cids in members.items()}
        seats = {}
        who = {}
        now = snap.now_s
        for cid, (name, i) in self.spot_of.items():
            info = best.get(cid)
            person = who[cid] = info[7] if info is not None else others[cid]
            sign = ASKED if person.state == "asked" else \
                WATCHING if name == L.GALLERY_PLACE else WAITING
            bar = _bar(info, now) if info is not None else (0, 0 if sign == WATCHING else 2)
            seats[cid] = (L.PLACES[name].spots[i], sign) + bar + (person.vip,)
        self.seats = seats
        self.who = who
        self.asked = asked
        self.waits = best
        self.snap = snap


def _bar(info: list, now: float) -> tuple[int, int]:
    """A queued customer's wait bar: (fill 0..``BAR_STEPS``, colour 0 green 1 yellow 2 red),
    the share waited of the wait expected, coloured by the wait against the task's length.
    (A customer whose orders only back off before a retry gets an empty red bar.)"""
    remaining = info[0] - now
    if remaining < 0.0:
        remaining = 0.0
    queued_s = info[4]
    waited = now - queued_s if 0.0 <= queued_s < now else 0.0
    total = waited + remaining
    bound = info[5]
    return (BAR_STEPS if total <= 0.0 else round(BAR_STEPS * waited / total),
            0 if total < bound / 3 else (1 if total < bound else 2))


def _allocate(old: dict[int, tuple[str, int]], members: dict[str, list[int]],
              compact: bool) -> dict[int, tuple[str, int]]:
    """Sticky spots: (place, index) per customer who fits, for ``members`` in priority order.

    A customer keeps a spot while staying in its place; with ``compact`` everybody behind a
    free spot steps one spot forward (the queue moving up, one step per plan, never a jump);
    free spots go to the first customers without one; the rest are the place's badge.
    """
    new: dict[int, tuple[str, int]] = {}
    for name, cids in members.items():
        n_spots = len(L.PLACES[name].spots)
        holder: list[int | None] = [None] * n_spots
        waiting = []
        for cid in cids:
            prev = old.get(cid)
            if prev is not None and prev[0] == name:
                holder[prev[1]] = cid
            else:
                waiting.append(cid)
        if compact:
            for i in range(n_spots - 1):
                if holder[i] is None and holder[i + 1] is not None:
                    holder[i], holder[i + 1] = holder[i + 1], None
        free = iter([i for i in range(n_spots) if holder[i] is None])
        for cid in waiting:
            i = next(free, None)
            if i is None:
                break
            holder[i] = cid
        for i, cid in enumerate(holder):
            if cid is not None:
                new[cid] = (name, i)
    return new
