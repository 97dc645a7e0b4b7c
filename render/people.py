"""The little people: where each customer should be, and how they walk there in real time.

Why real time: the simulation may run 600x faster than the wall clock, but a person on screen
must never jump.  Each customer gets an :class:`Actor` that walks at a speed in *real*
seconds along waypoints (street -> door -> cashier -> seat; seat -> counter -> door -> street)
and hurries when playback is fast or the target is far.  Targets come from the snapshot only
(:mod:`render.seating` turns queue order and estimated starts into seats and signs).

Why the bookkeeping is incremental: at rush hour 500 people are on screen and a snapshot
comes 20 times a second.  Re-seating runs in slices on the frames after a snapshot
(:meth:`People.retarget` starts it, :meth:`People.settle` runs one slice per frame); only
people whose seat or sign changed are touched; walking and sprite updates visit only the
people who move (``moving``); the depth order is kept between frames and re-sorted (nearly
sorted, so cheap) only when somebody moved.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter

import pygame

from render import layout as L
from render import palette as P
from render.seating import ASKED, BAR_STEPS, WAITING, WATCHING, Seating
from render.sprites import Sprites

WALK_PX_S = 42.0          # logical pixels per real second at 1x
MAX_ACTORS = 700          # beyond this, new walkers are not animated (the browser's budget)
MAX_LEAVING = 160
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
    seat: tuple | None = None       # the last seat applied: (spot, sign, fill, hue, vip)
    blit: tuple | None = None       # (sprite, top-left) cached until the actor changes
    over: tuple | None = None       # (sign sprite, top-left) or None

    @property
    def moving(self) -> bool:
        return bool(self.path)


class People:
    """Keeps one actor per visible customer and the two staff who walk (dispatcher, manager)."""

    def __init__(self, sprites: Sprites, tiers: list[str]) -> None:
        self.sprites = sprites
        self.tiers = {name: i for i, name in enumerate(tiers)}
        self.actors: dict[int, Actor] = {}
        self.moving: dict[int, Actor] = {}      # the actors with a path: all walk() visits
        self.n_leaving = 0
        self.seen_departures: set[int] = set()
        self.dispatcher = Actor(-1, 0, False, *L.DISPATCHER_POST)
        self.manager = Actor(-2, 0, False, *L.MANAGER_POST)
        self.manager.direction = "right"
        self.seating = Seating()
        self._bars = self._make_bars()
        self._job: Iterator[None] | None = None
        self._depth: list[Actor] = []           # drawing order (feet y), kept between frames
        self._resort = False
        self._blits: list | None = None         # cached draw lists; None: rebuild
        self._overs: list = []

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

    @property
    def seats(self) -> dict[int, tuple]:
        """Customer id -> (spot, sign, fill, hue, vip) of the last finished plan."""
        return self.seating.seats

    def wait_info(self, cid: int, now: float) -> tuple | None:
        return self.seating.wait_info(cid, now)

    # -- re-seating, in slices ----------------------------------------------------------------
    def update(self, snap, dt_real: float, speed: float, multiplier: float,
               contents: dict[str, str]) -> None:
        """Retarget actors from the snapshot at once, then walk everyone ``dt_real`` seconds."""
        self.retarget(snap, multiplier, contents)
        self.finish()
        self.walk(dt_real, speed)

    def retarget(self, snap, multiplier: float, contents: dict[str, str]) -> None:
        """Start re-seating from a new snapshot; :meth:`settle` runs it a slice per frame.

        A re-seating still running is finished first, so no departure is ever skipped.
        """
        self.finish()
        self._job = self._reseat(snap, multiplier, contents)

    @property
    def busy(self) -> bool:
        """True while a re-seating has slices left to run."""
        return self._job is not None

    def settle(self) -> bool:
        """Run the next slice of the re-seating (if any); True while slices remain."""
        if self._job is not None:
            try:
                next(self._job)
            except StopIteration:
                self._job = None
        return self._job is not None

    def finish(self) -> None:
        while self.settle():
            pass

    def _reseat(self, snap, multiplier: float, contents: dict[str, str]) -> Iterator[None]:
        """Two slices: read the lanes; then seats, signs, arrivals, leavers and staff."""
        yield from self.seating.steps(snap, multiplier)
        self._apply()
        self._departures(snap, contents)
        self._stage_staff()

    def _apply(self) -> None:
        """Give every actor its place (arrivals spawn); touch only those whose seat changed."""
        seating = self.seating
        seats = seating.seats
        who = seating.who
        actors = self.actors
        for cid, seat in seats.items():
            a = actors.get(cid)
            if a is None:
                if len(actors) >= MAX_ACTORS:
                    continue
                person = who[cid]
                a = self._spawn(cid, person.tier, person.vip)
                self._go(a, [L.DOOR_OUTSIDE, L.DOOR_INSIDE, L.CASHIER_SPOT, seat[0]])
            elif a.leaving or seat == a.seat:
                continue
            elif a.entering and a.path:
                a.path[-1] = seat[0]
            elif not a.path or a.path[-1] != seat[0]:
                a.entering = False
                self._go(a, [seat[0]])
            a.seat = seat
            _, sign, fill, hue, vip = seat
            if (a.sign, a.fill, a.hue, a.vip) != (sign, fill, hue, vip):
                a.sign, a.fill, a.hue, a.vip = sign, fill, hue, vip
                self.refresh(a)
        for cid, a in actors.items():
            if not a.leaving and cid not in seats:
                self._send_out(a, None)  # gone without a departure record (deque overflow)

    def _go(self, a: Actor, path: list) -> None:
        a.path = path
        self.moving[a.cid] = a

    def _spawn(self, cid: int, tier: str, vip: bool) -> Actor:
        top = cid % 2 == 0
        x, y = L.SPAWN_TOP if top else L.SPAWN_BOTTOM
        a = Actor(cid, self.tiers.get(tier, cid), vip, float(x), float(y))
        a.exit = L.EXIT_BOTTOM if top else L.EXIT_TOP
        self.actors[cid] = a
        self._depth.append(a)
        self._resort = True
        self.refresh(a)
        return a

    def _departures(self, snap, contents: dict[str, str]) -> None:
        seen = self.seen_departures
        ids = set()
        for person in snap.departures:
            cid = person.id
            ids.add(cid)
            if cid in seen:
                continue
            seen.add(cid)
            a = self.actors.get(cid)
            state = person.state
            if a is None:
                if self.n_leaving >= MAX_LEAVING or len(self.actors) >= MAX_ACTORS:
                    continue
                a = self._spawn(cid, person.tier, person.vip)
                if state == "rejected":
                    a.leaving = True
                    a.entering = False
                    a.sign = 0
                    self.n_leaving += 1
                    turn = (L.STREET_OUT_X, L.DOOR_OUTSIDE[1] + (6 if a.exit[1] > 0 else -6))
                    self._go(a, [L.DOOR_OUTSIDE, turn, a.exit])
                    continue
                a.x, a.y = L.DOOR_INSIDE  # came and went between two frames
            carry = None
            if state == "done":
                carry = next((contents.get(o.model, "job") for o in person.orders
                              if o.state == "delivered"), None)
            elif state == "left":
                carry = "coins"
            self._send_out(a, carry, state)
        self.seen_departures = seen & ids

    def _send_out(self, a: Actor, carry: str | None, state: str = "") -> None:
        if not a.leaving:
            self.n_leaving += 1
        a.leaving = True
        a.entering = False
        a.carry = carry
        a.sign = 0
        counter = (L.DELIVERY_SPOT if state == "done" else
                   L.REFUND_SPOT if state == "left" else None)
        out = (L.STREET_OUT_X, L.DOOR_OUTSIDE[1] + (4 if a.exit[1] > 0 else -4))
        self._go(a, ([counter] if counter else []) + [L.DOOR_INSIDE, L.DOOR_OUTSIDE, out, a.exit])

    def _stage_staff(self) -> None:
        """The dispatcher walks to the customer the breaker is asking; else to his post."""
        target = L.DISPATCHER_POST
        if self.seating.asked is not None:
            a = self.actors.get(self.seating.asked[1])
            if a is not None:
                target = (a.x + 7, a.y)
        d = self.dispatcher
        if math.hypot(d.x - target[0], d.y - target[1]) > 1.0:
            d.path = [target]

    # -- the frame ----------------------------------------------------------------------------
    def walk(self, dt: float, speed: float) -> None:
        """Move every actor that has somewhere to go; leavers vanish at the street's end."""
        movers = list(self.moving.values())
        if self.dispatcher.path:
            movers.append(self.dispatcher)
        if not movers:
            return
        step = WALK_PX_S * min(8.0, 1.0 + speed / 60.0) * dt
        moving = self.moving
        done = []
        for a in movers:
            budget = step
            path = a.path
            while path and budget > 0:
                tx, ty = path[0]
                dx, dy = tx - a.x, ty - a.y
                dist = math.hypot(dx, dy)
                if dist > 160:
                    budget = max(budget, dist * 2.0 * dt)
                if dist <= budget:
                    a.x, a.y = float(tx), float(ty)
                    path.pop(0)
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
            if a.cid < 0:
                continue
            if not path:
                del moving[a.cid]
                if a.leaving:
                    done.append(a)
                    continue
                a.direction = "right"
                a.entering = False
            self.refresh(a)
        self._resort = True
        if done:
            actors = self.actors
            for a in done:
                del actors[a.cid]
            self.n_leaving -= len(done)
            self._depth = [a for a in self._depth if a.cid in actors]

    # -- drawing -----------------------------------------------------------------------------
    def refresh(self, a: Actor) -> None:
        """Recompute an actor's blits (sprite and sign); done when it moves or changes."""
        self._blits = None
        sp = self.sprites
        moving = bool(a.path)
        frame = (1 + int(a.phase) % 2) if moving else 0
        x = int(a.x) - 4
        y = int(a.y) - 14
        a.blit = (sp.people[(a.tier % 4, a.vip, a.direction, frame)], (x, y))
        sign = a.sign if not (a.entering and moving) or a.sign == ASKED else 0
        if sign == WAITING:
            a.over = (self._bars[(a.hue, a.fill)], (x + 1, y))
        elif sign == WATCHING:
            a.over = (sp.hourglass, (x + 1, y - 5))
        elif sign == ASKED:
            a.over = (sp.bubble, (x + 1, y - 9))
        elif a.carry == "coins":
            a.over = (sp.coin, (x + 6, y + 6))
        elif a.carry:
            a.over = (sp.icon(a.carry), (x + 6, y + 6))
        else:
            a.over = None

    def draw(self, surf: pygame.Surface) -> int:
        """Blit every person sorted by depth, with their signs; return how many were drawn.

        The sorted order and both blit lists are kept until somebody moves or changes.
        """
        if self._resort:
            self._depth.sort(key=_by_y)
            self._resort = False
            self._blits = None
        if self._blits is None:
            depth = self._depth
            self._blits = [a.blit for a in depth]
            self._overs = [a.over for a in depth if a.over is not None]
        staff = self.sprites.staff
        d = self.dispatcher
        frame = (1 + int(d.phase) % 2) if d.path else 0
        m = self.manager
        surf.fblits(self._blits)
        surf.fblits(((staff[f"dispatcher:{d.direction}:{frame}"],
                      (int(d.x) - 4, int(d.y) - 14)),
                     (staff[f"manager:{m.direction}:0"], (int(m.x) - 4, int(m.y) - 14))))
        surf.fblits(self._overs)
        return len(self._depth)

    def hit(self, wx: float, wy: float) -> int | None:
        """The customer id under a world point (front-most first), or None."""
        best = None
        for a in self.actors.values():
            if a.x - 4 <= wx <= a.x + 4 and a.y - 14 <= wy <= a.y:
                if best is None or a.y > best.y:
                    best = a
        return best.cid if best else None
