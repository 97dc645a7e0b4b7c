"""The little people: where each customer should be, and how they walk there in real time.

Why real time: the simulation may run 600x faster than the wall clock, but a person on screen
must never jump.  Each customer gets an :class:`Actor` that walks at a speed in *real*
seconds along waypoints (street -> door -> cashier -> seat; seat -> counter -> door -> street)
and hurries when playback is fast or the target is far.  Targets come from the snapshot only:
queue order and estimated start (``StationView.queue`` / ``est_start_s``) pick the seat, the
customer's state picks the overhead sign.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from operator import attrgetter

import pygame

from render import layout as L
from render import palette as P
from render.sprites import Sprites

WALK_PX_S = 42.0          # logical pixels per real second at 1x
MAX_ACTORS = 700          # beyond this, new walkers are not animated (the browser's budget)
MAX_LEAVING = 160
BAR_STEPS = 6
_by_y = attrgetter("y")


@dataclass(slots=True)
class Actor:
    """One person on screen; ``path`` is the list of waypoints still to walk."""

    cid: int
    tier: int
    vip: bool
    x: float
    y: float
    path: list = field(default_factory=list)
    direction: str = "down"
    phase: float = 0.0
    leaving: bool = False
    carry: str | None = None        # content icon or "coins" when walking out
    exit: tuple = L.EXIT_TOP
    entering: bool = True           # still on the way in (path ends at the seat)
    sign: int = 0                   # 0 none, 1 wait bar, 2 hourglass, 3 "!" bubble
    fill: int = 0                   # wait bar fill 0..BAR_STEPS
    hue: int = 0                    # wait bar colour 0 green, 1 yellow, 2 red
    wait_info: tuple | None = None  # (position, station label, est start s) for tooltips
    blit: tuple | None = None       # (sprite, top-left) cached until the actor changes
    over: tuple | None = None       # (sign sprite, top-left) or None

    @property
    def moving(self) -> bool:
        return bool(self.path)


@dataclass(slots=True)
class Seat:
    """What the snapshot says about one customer this frame."""

    spot: tuple
    sign: int
    fill: int = 0
    hue: int = 0
    wait_info: tuple | None = None


class People:
    """Keeps one actor per visible customer and the two staff who walk (dispatcher, manager)."""

    def __init__(self, sprites: Sprites, tiers: list[str]) -> None:
        self.sprites = sprites
        self.tiers = {name: i for i, name in enumerate(tiers)}
        self.actors: dict[int, Actor] = {}
        self.seen_departures: set[int] = set()
        self.dispatcher = Actor(-1, 0, False, *L.DISPATCHER_POST)
        self.manager = Actor(-2, 0, False, *L.MANAGER_POST)
        self.manager.direction = "right"
        self.seats: dict[int, Seat] = {}
        self.gallery: dict[int, int] = {}       # customer id -> gallery spot index
        self._bars = self._make_bars()
        self.asked_target: int | None = None

    @staticmethod
    def _make_bars() -> dict[tuple[int, int], pygame.Surface]:
        bars = {}
        colors = (P.LIME, P.YELLOW, P.RED)
        for hue, color in enumerate(colors):
            for fill in range(BAR_STEPS + 1):
                s = pygame.Surface((BAR_STEPS, 2))
                s.fill(P.BLACK)
                s.fill(P.NIGHT, pygame.Rect(0, 0, BAR_STEPS, 1))
                if fill:
                    s.fill(color, pygame.Rect(0, 0, fill, 1))
                bars[(hue, fill)] = s.convert() if pygame.display.get_surface() else s
        return bars

    # -- where everyone belongs ------------------------------------------------------------
    def plan(self, snap, multiplier: float) -> dict[int, Seat]:
        """Seat every customer in the building: lane, queue rank, sign over the head."""
        now = snap.now_s
        best: dict[int, tuple] = {}
        for st in snap.stations:
            est = st.est_start_s
            bound = max(1.0, multiplier * st.mean_task_s)
            for pos, order in enumerate(st.queue):
                cid = order.customer.id
                start = est[pos] if pos < len(est) else now
                cur = best.get(cid)
                if cur is None or start < cur[0]:
                    # seats follow time in the lane (stable), the tooltip the estimate
                    best[cid] = (start, pos, st.label, order.vip, order.queued_s, bound,
                                 min(order.queued_s, cur[6]) if cur else order.queued_s)
                elif order.queued_s < cur[6]:
                    best[cid] = (*cur[:6], order.queued_s)
        vip_q, normal_q, gallery = [], [], []
        for person in snap.people:
            info = best.get(person.id)
            if info is None:
                gallery.append(person.id)
            elif info[3]:
                vip_q.append((info[6], person.id))
            else:
                normal_q.append((info[6], person.id))
        vip_q.sort()
        normal_q.sort()
        seats: dict[int, Seat] = {}
        spill = 0

        def place(queue: list, spots: list) -> None:
            nonlocal spill
            for rank, (_, cid) in enumerate(queue):
                if rank < len(spots):
                    spot = spots[rank]
                else:
                    spot = L.OVERFLOW_SPOTS[min(spill, len(L.OVERFLOW_SPOTS) - 1)]
                    spill += 1
                start, pos, label, _, queued_s, bound, _ = best[cid]
                remaining = max(0.0, start - now)
                waited = max(0.0, now - queued_s) if queued_s >= 0 else 0.0
                total = waited + remaining
                fill = BAR_STEPS if total <= 0 else round(BAR_STEPS * waited / total)
                hue = 0 if total < bound / 3 else (1 if total < bound else 2)
                seats[cid] = Seat(spot, 1, fill, hue, (pos + 1, label, remaining))

        place(vip_q, L.VIP_SEATS)
        place(normal_q, L.NORMAL_SEATS)
        # gallery spots are sticky: watchers do not shuffle when a neighbour leaves
        watching = set(gallery)
        keep = {cid: i for cid, i in self.gallery.items() if cid in watching}
        used = set(keep.values())
        free = (i for i in range(len(L.GALLERY_SPOTS)) if i not in used)
        for cid in sorted(gallery):
            if cid not in keep:
                keep[cid] = next(free, cid % len(L.GALLERY_SPOTS))
            seats[cid] = Seat(L.GALLERY_SPOTS[keep[cid]], 2)
        self.gallery = keep
        for person in snap.people:
            if person.state == "asked" and person.id in seats:
                seats[person.id].sign = 3
        return seats

    # -- the frame's bookkeeping -------------------------------------------------------------
    def update(self, snap, dt_real: float, speed: float, multiplier: float,
               contents: dict[str, str]) -> None:
        """Retarget actors from the snapshot, then walk everyone ``dt_real`` seconds."""
        self.retarget(snap, multiplier, contents)
        self.walk(dt_real, speed)

    def retarget(self, snap, multiplier: float, contents: dict[str, str]) -> None:
        """Give every actor its place from a new snapshot (arrivals spawn, leavers go)."""
        seats = self.plan(snap, multiplier)
        self.seats = seats
        actors = self.actors
        inside = set()
        for person in snap.people:
            cid = person.id
            inside.add(cid)
            seat = seats.get(cid)
            if seat is None:
                continue
            a = actors.get(cid)
            if a is None:
                if len(actors) >= MAX_ACTORS:
                    continue
                a = self._spawn(cid, person.tier, person.vip)
                a.path = [L.DOOR_OUTSIDE, L.DOOR_INSIDE, L.CASHIER_SPOT, seat.spot]
                actors[cid] = a
            elif a.leaving:
                continue
            elif a.entering and a.path:
                a.path[-1] = seat.spot
            elif not a.path or a.path[-1] != seat.spot:
                a.entering = False
                a.path = [seat.spot]
            a.wait_info = seat.wait_info
            if (a.sign, a.fill, a.hue, a.vip) != (seat.sign, seat.fill, seat.hue, person.vip):
                a.sign, a.fill, a.hue, a.vip = seat.sign, seat.fill, seat.hue, person.vip
                a.blit = None
        self._departures(snap, contents)
        for cid, a in actors.items():
            if not a.leaving and cid not in inside:
                self._send_out(a, None)  # gone without a departure record (deque overflow)
        self._stage_staff(snap)
        for a in actors.values():
            if a.blit is None:
                self.refresh(a)

    def _spawn(self, cid: int, tier: str, vip: bool) -> Actor:
        top = cid % 2 == 0
        x, y = L.SPAWN_TOP if top else L.SPAWN_BOTTOM
        a = Actor(cid, self.tiers.get(tier, cid), vip, float(x), float(y))
        a.exit = L.EXIT_BOTTOM if top else L.EXIT_TOP
        return a

    def _departures(self, snap, contents: dict[str, str]) -> None:
        seen = self.seen_departures
        ids = set()
        leaving = sum(1 for a in self.actors.values() if a.leaving)
        for person in snap.departures:
            cid = person.id
            ids.add(cid)
            if cid in seen:
                continue
            seen.add(cid)
            a = self.actors.get(cid)
            state = person.state
            if a is None:
                if leaving >= MAX_LEAVING or len(self.actors) >= MAX_ACTORS:
                    continue
                a = self._spawn(cid, person.tier, person.vip)
                self.actors[cid] = a
                if state == "rejected":
                    a.leaving = True
                    a.entering = False
                    a.sign = 0
                    turn = (L.STREET_OUT_X, L.DOOR_OUTSIDE[1] + (6 if a.exit[1] > 0 else -6))
                    a.path = [L.DOOR_OUTSIDE, turn, a.exit]
                    leaving += 1
                    continue
                a.x, a.y = L.DOOR_INSIDE  # came and went between two frames
            carry = None
            if state == "done":
                carry = next((contents.get(o.model, "job") for o in person.orders
                              if o.state == "delivered"), None)
            elif state == "left":
                carry = "coins"
            self._send_out(a, carry, state)
            leaving += 1
        self.seen_departures = seen & ids

    def _send_out(self, a: Actor, carry: str | None, state: str = "") -> None:
        a.leaving = True
        a.entering = False
        a.carry = carry
        a.blit = None
        a.sign = 0
        counter = (L.DELIVERY_SPOT if state == "done" else
                   L.REFUND_SPOT if state == "left" else None)
        out = (L.STREET_OUT_X, L.DOOR_OUTSIDE[1] + (4 if a.exit[1] > 0 else -4))
        a.path = ([counter] if counter else []) + [L.DOOR_INSIDE, L.DOOR_OUTSIDE, out, a.exit]

    def _stage_staff(self, snap) -> None:
        """The dispatcher walks to the customer the breaker is asking; else to his post."""
        asked = [p for p in snap.people if p.state == "asked"]
        target = L.DISPATCHER_POST
        self.asked_target = None
        if asked:
            first = min(asked, key=lambda p: (p.since_s, p.id))
            a = self.actors.get(first.id)
            if a is not None:
                target = (a.x + 7, a.y)
                self.asked_target = first.id
        d = self.dispatcher
        if math.hypot(d.x - target[0], d.y - target[1]) > 1.0:
            d.path = [target]

    def walk(self, dt: float, speed: float) -> None:
        """Move every actor that has somewhere to go; leavers vanish at the street's end."""
        hurry = min(8.0, 1.0 + speed / 60.0)
        done = []
        movers = [a for a in self.actors.values() if a.path]
        if self.dispatcher.path:
            movers.append(self.dispatcher)
        for a in movers:
            budget = WALK_PX_S * hurry * dt
            while a.path and budget > 0:
                tx, ty = a.path[0]
                dx, dy = tx - a.x, ty - a.y
                dist = math.hypot(dx, dy)
                if dist > 160:
                    budget = max(budget, dist * 2.0 * dt)
                if dist <= budget:
                    a.x, a.y = float(tx), float(ty)
                    a.path.pop(0)
                    budget -= dist
                else:
                    a.x += dx / dist * budget
                    a.y += dy / dist * budget
                    budget = 0
                if abs(dx) > abs(dy):
                    a.direction = "right" if dx > 0 else "left"
                elif dist > 0:
                    a.direction = "down" if dy > 0 else "up"
                a.phase += dt * 8.0
            if not a.path:
                if a.leaving:
                    done.append(a.cid)
                else:
                    a.direction = "right" if a.cid >= 0 else a.direction
                    a.entering = False
        for a in movers:
            if a.cid >= 0:
                self.refresh(a)
        for cid in done:
            del self.actors[cid]

    # -- drawing -----------------------------------------------------------------------------
    def refresh(self, a: Actor) -> None:
        """Recompute an actor's blits (sprite and sign); done when it moves or changes."""
        sp = self.sprites
        frame = (1 + int(a.phase) % 2) if a.path else 0
        x = int(a.x) - 4
        y = int(a.y) - 14
        a.blit = (sp.people[(a.tier % 4, a.vip, a.direction, frame)], (x, y))
        sign = a.sign if not (a.entering and a.path) or a.sign == 3 else 0
        if sign == 1:
            a.over = (self._bars[(a.hue, a.fill)], (x + 1, y))
        elif sign == 2:
            a.over = (sp.hourglass, (x + 1, y - 5))
        elif sign == 3:
            a.over = (sp.bubble, (x + 1, y - 9))
        elif a.carry == "coins":
            a.over = (sp.coin, (x + 6, y + 6))
        elif a.carry:
            a.over = (sp.icon(a.carry), (x + 6, y + 6))
        else:
            a.over = None

    def draw(self, surf: pygame.Surface) -> int:
        """Blit every person sorted by depth, with their signs; return how many were drawn."""
        staff = self.sprites.staff
        walkers = sorted(self.actors.values(), key=_by_y)
        blits = [a.blit for a in walkers]
        d = self.dispatcher
        frame = (1 + int(d.phase) % 2) if d.path else 0
        blits.append((staff[f"dispatcher:{d.direction}:{frame}"], (int(d.x) - 4, int(d.y) - 14)))
        m = self.manager
        blits.append((staff[f"manager:{m.direction}:0"], (int(m.x) - 4, int(m.y) - 14)))
        surf.fblits(blits)
        surf.fblits([a.over for a in walkers if a.over is not None])
        return len(walkers)

    def hit(self, wx: float, wy: float) -> int | None:
        """The customer id under a world point (front-most first), or None."""
        best = None
        for a in self.actors.values():
            if a.x - 4 <= wx <= a.x + 4 and a.y - 14 <= wy <= a.y:
                if best is None or a.y > best.y:
                    best = a
        return best.cid if best else None
