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

from render import layout as L

BAR_STEPS = 6
WAITING, WATCHING, ASKED = 1, 2, 3      # the sign over a seated customer's head


class Seating:
    """One plan per snapshot: queue seats by time in the lane, sticky gallery spots."""

    def __init__(self) -> None:
        self.seats: dict[int, tuple] = {}       # customer id -> (spot, sign, fill, hue, vip)
        self.waits: dict[int, list] = {}        # customer id -> the best order, see _rank
        self.gallery: dict[int, int] = {}       # customer id -> gallery spot index
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
        """(queue position, lane label, estimated seconds to start) for a tooltip, or None."""
        w = self.waits.get(cid)
        if w is None:
            return None
        start, pos, label = w[:3]
        return pos + 1, label, max(0.0, start - now)

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
            label = st.label
            bound = max(1.0, multiplier * st.mean_task_s)
            for pos, (order, start) in enumerate(zip(queue, est, strict=False)):
                customer = order.customer
                if customer is None:  # ended and forgotten since the snapshot was taken
                    continue
                cid = customer.id
                cur = get(cid)
                queued_s = order.queued_s
                if cur is None:
                    # [start, position, label, vip lane, queued s, bar bound,
                    #  earliest queued s, customer]
                    best[cid] = [start, pos, label, order.vip, queued_s, bound, queued_s,
                                 customer]
                elif start < cur[0]:
                    best[cid] = [start, pos, label, order.vip, queued_s, bound,
                                 min(queued_s, cur[6]), customer]
                elif queued_s < cur[6]:
                    cur[6] = queued_s
        vip_q, normal_q = [], []
        for cid, info in best.items():
            (vip_q if info[3] else normal_q).append((info[6], cid))
        vip_q.sort()
        normal_q.sort()
        self._best = best
        self._lanes = (vip_q, normal_q)

    # -- second half: seats, bars and the gallery --------------------------------------------
    def _place(self, snap) -> None:
        """Seats by lane rank (overflow on the sidewalk), wait bars, sticky gallery spots.

        Queued orders belong to customers inside the building, so every customer in
        ``snap.people`` ends up with exactly one seat.
        """
        now = snap.now_s
        best = self._best
        seats: dict[int, tuple] = {}
        who: dict[int, object] = {}
        asked = None
        spill = 0
        over = L.OVERFLOW_SPOTS
        last_over = len(over) - 1
        vip_q, normal_q = self._lanes
        for queue, spots in ((vip_q, L.VIP_SEATS), (normal_q, L.NORMAL_SEATS)):
            n_spots = len(spots)
            for rank, (_, cid) in enumerate(queue):
                if rank < n_spots:
                    spot = spots[rank]
                else:
                    spot = over[spill if spill < last_over else last_over]
                    spill += 1
                info = best[cid]
                customer = info[7]
                who[cid] = customer
                sign, asked = _sign(customer, WAITING, asked)
                remaining = info[0] - now
                if remaining < 0.0:
                    remaining = 0.0
                queued_s = info[4]
                waited = now - queued_s if 0.0 <= queued_s < now else 0.0
                total = waited + remaining
                bound = info[5]
                seats[cid] = (spot, sign,
                              BAR_STEPS if total <= 0.0 else round(BAR_STEPS * waited / total),
                              0 if total < bound / 3 else (1 if total < bound else 2),
                              customer.vip)
        # gallery spots are sticky: watchers do not shuffle when a neighbour leaves
        watching = {}
        for person in snap.people:
            cid = person.id
            if cid not in best:
                watching[cid] = person
        old = self.gallery
        keep = {cid: old[cid] for cid in watching if cid in old}
        if len(keep) < len(watching):
            used = set(keep.values())
            free = (i for i in range(len(L.GALLERY_SPOTS)) if i not in used)
            for cid in sorted(watching):
                if cid not in keep:
                    keep[cid] = next(free, cid % len(L.GALLERY_SPOTS))
        spots = L.GALLERY_SPOTS
        for cid, i in keep.items():
            person = watching[cid]
            sign, asked = _sign(person, WATCHING, asked)
            seats[cid] = (spots[i], sign, 0, 0, person.vip)
        who.update(watching)
        self.gallery = keep
        self.seats = seats
        self.who = who
        self.asked = asked
        self.waits = best


def _sign(person, otherwise: int, asked: tuple | None) -> tuple[int, tuple | None]:
    """The sign over a head ("!" while the breaker asks, else ``otherwise``) and the
    longest-asked ``(since_s, id)`` seen so far."""
    if person.state == "asked":
        key = (person.since_s, person.id)
        return ASKED, (key if asked is None or key < asked else asked)
    return otherwise, asked
