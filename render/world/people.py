"""The little people: where each customer should be, and how they walk there in real time.

Why real time: the simulation may run 600x faster than the wall clock, but a person on screen
must never jump.  Each customer drawn gets an :class:`Actor` that walks at a speed in *real*
seconds along the aisles (:func:`render.layout.route`: street -> door -> cashier -> seat;
seat -> counter -> door -> street) and hurries when playback is fast or the target is far.
Targets come from the snapshot only (:mod:`render.world.seating` turns queue order and estimated
starts into places, spots and signs).

Why badges and a walker cap: a place has as many spots as fit without overlap; the customers
beyond them, and those not drawn because enough people already walk (fewer the faster the
playback, :meth:`People.walker_cap`), are its "+N" badge.  Every person drawn is a real
customer and each badge is its place's count minus the actors counted there, so drawn people
plus badges always equal the snapshot's counts, at x1 as at x600.

Why the bookkeeping is incremental: at rush hour 500 people are inside and a snapshot
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
from render.camera import Camera
from render.world.seating import ASKED, BAR_STEPS, WAITING, WATCHING, Seating
from render.world.sprites import Sprites, plate

BAR_H = 2          # a wait bar's rows of colour (world pixels; 4 on screen)
BAR_COLORS = (P.LIME, P.YELLOW, P.RED)     # by hue: green, yellow, red (past the breaker)


def wait_bar(fill: int, hue: int) -> pygame.Surface:
    """The bar over a waiting head: ``BAR_H`` rows of colour over a dark track, a black rule
    under it.  A seat wide (8 world, 16 screen pixels) and 4 screen pixels of colour: the
    bars read from the back of a room (they were 12x2)."""
    s = pygame.Surface((BAR_STEPS, BAR_H + 1))
    s.fill(P.BLACK)
    s.fill(P.NIGHT, pygame.Rect(0, 0, BAR_STEPS, BAR_H))
    if fill:
        s.fill(BAR_COLORS[hue], pygame.Rect(0, 0, fill, BAR_H))
    return s

WALK_PX_S = 42.0          # logical pixels per real second at 1x
HURRY_MAX = 6.0           # walking hurries with playback speed, up to this factor
MAX_ACTORS = 700          # a guard: the places' spots and the walker cap keep far below it
MAX_LEAVING = 160
MIN_WALKERS, MAX_WALKERS = 12, 80   # people walking at once, at high and at low speed
COMPACT_MAX_SPEED = 10.0  # above it seats are sticky: nobody shuffles up the queue
WALKER_BUDGET = 600.0     # walkers x playback speed: 20 walk at x30, 12 from x50 up
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
    place: str | None = None        # the place it is counted in (None: leaving, staff)
    absorb: bool = False            # walking into its place's badge, gone on arrival
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
        self.speed = 1.0                        # playback speed (from walk) sets the walker cap
        self.last_place: dict[int, str] = {}    # every customer inside at the last plan
        self.badges: dict[str, int] = {}        # place -> customers in it not drawn
        self.badges_shown: list[tuple] = []     # (surface, place, n) of the badges drawn
        self._badge_blits: tuple = ((), [])     # ((badges, camera), blits) at screen resolution
        self._gone = False                      # actors were removed: prune the depth order
        self._room = 0                          # walkers the plan being applied may still add
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
        for hue in range(len(BAR_COLORS)):
            for fill in range(BAR_STEPS + 1):
                s = wait_bar(fill, hue)
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
        self.seating.compact = self.speed <= COMPACT_MAX_SPEED
        yield from self.seating.steps(snap, multiplier)
        self._apply()
        self._departures(snap, contents)
        self._stage_staff()

    def walker_cap(self) -> int:
        """How many people may walk at once: fewer the faster the playback, so the scene stays
        calm; the others arrive and leave off-screen (counted in the badges)."""
        if self.speed <= 0:
            return MAX_WALKERS
        return max(MIN_WALKERS, min(MAX_WALKERS, int(WALKER_BUDGET / self.speed)))

    def _apply(self) -> None:
        """Give every customer with a spot an actor there; an actor whose customer stays
        without a spot walks into the place's badge.

        Walking is budgeted (:meth:`walker_cap`): within it arrivals walk in and people walk
        between places; beyond it a newcomer appears in its spot and a mover leaves the
        picture for one plan (never a jump from one place to another in the same frame).
        """
        seating = self.seating
        place_of = seating.place_of
        actors = self.actors
        self._room = self.walker_cap() - len(self.moving)
        vanished: set[int] = set()
        for cid, seat in seating.seats.items():
            a = actors.get(cid)
            if a is None:
                if cid in vanished or (len(actors) >= MAX_ACTORS and cid != seating.pinned):
                    continue
                a = self._arrive(cid, seat[0], place_of[cid])
            elif a.leaving:
                continue
            elif a.seat is None or seat[0] != a.seat[0]:
                if not self._move(a, seat[0], place_of[cid]):
                    vanished.add(cid)
                    continue
            a.seat = seat
            _, sign, fill, hue, vip = seat
            if (a.sign, a.fill, a.hue, a.vip) != (sign, fill, hue, vip):
                a.sign, a.fill, a.hue, a.vip = sign, fill, hue, vip
                self.refresh(a)
        seats = seating.seats
        for a in [a for cid, a in actors.items() if not a.leaving and cid not in seats]:
            place = place_of.get(a.cid)
            if place is None:
                self._send_out(a, None)  # gone without a departure record (deque overflow)
            elif a.place != place or not a.absorb:
                self._absorb(a, place)
        self.last_place = place_of
        self._blits = None

    def _move(self, a: Actor, spot: tuple, place: str) -> bool:
        """Walk ``a`` to its new spot: always within its place (one step up the queue), to
        another place while the walker budget lasts; else take it off the picture (False)."""
        if a.place != place or a.absorb:
            if self._room <= 0 and a.cid != self.seating.pinned:  # the followed one walks
                self._remove(a)
                return False
            self._room -= 1
        a.absorb = False
        a.place = place
        self._go(a, self._reroute(a, spot))
        return True

    def _arrive(self, cid: int, spot: tuple, place: str) -> Actor:
        """A new actor: within the walker budget a newcomer walks in from the street and a
        customer counted in a badge steps out of it; beyond it, it appears in its spot."""
        person = self.seating.who[cid]
        a = self._spawn(cid, person.tier, person.vip)
        a.place = place
        if self._room <= 0:
            a.entering = False
            a.x, a.y = spot
            a.direction = "right"
            self.refresh(a)
        elif cid in self.last_place:
            self._room -= 1
            a.entering = False
            a.x, a.y = _badge_feet(self.last_place[cid])
            self._go(a, L.route((a.x, a.y), spot))
        else:
            self._room -= 1
            self._go(a, [L.DOOR_OUTSIDE, L.DOOR_INSIDE] + L.route(L.DOOR_INSIDE, L.CASHIER_SPOT)
                     + L.route(L.CASHIER_SPOT, spot))
        return a

    def _reroute(self, a: Actor, dest: tuple) -> list:
        """The way to a new spot: an arrival keeps its way in up to the cashier or the door."""
        path = a.path
        if a.entering:
            for via in (L.CASHIER_SPOT, L.DOOR_INSIDE):
                if via in path:
                    return path[:path.index(via) + 1] + L.route(via, dest)
        return L.route((a.x, a.y), dest)

    def _absorb(self, a: Actor, place: str) -> None:
        """A customer without a spot joins the place's badge: walking to it, or at once when
        enough people walk already."""
        a.place = place
        a.seat = None
        if self._room <= 0:
            self._remove(a)
            return
        self._room -= 1
        a.absorb = True
        a.entering = False
        self._go(a, self._reroute(a, _badge_feet(place)))

    def _remove(self, a: Actor) -> None:
        del self.actors[a.cid]
        self.moving.pop(a.cid, None)
        if a.leaving:
            self.n_leaving -= 1
        self._gone = True

    def _go(self, a: Actor, path: list) -> None:
        a.path = path
        self.moving[a.cid] = a

    def _spawn(self, cid: int, tier: str, vip: bool) -> Actor:
        x, y = L.SPAWN_TOP
        a = Actor(cid, self.tiers.get(tier, cid), vip, float(x), float(y))
        self.actors[cid] = a
        self._depth.append(a)
        self._resort = True
        self.refresh(a)
        return a

    def _departures(self, snap, contents: dict[str, str]) -> None:
        """Leavers walk out by their counter; beyond the walker cap they leave off-screen."""
        seen = self.seen_departures
        ids = set()
        for person in snap.departures:
            cid = person.id
            ids.add(cid)
            if cid in seen:
                continue
            seen.add(cid)
            a = self.actors.get(cid)
            room = (self._room > 0 and self.n_leaving < MAX_LEAVING) or cid == self.seating.pinned
            self._room -= room
            if a is None:
                if not room or (len(self.actors) >= MAX_ACTORS and cid != self.seating.pinned):
                    continue
                a = self._spawn(cid, person.tier, person.vip)
                if person.state == "rejected":
                    a.leaving = True
                    a.entering = False
                    a.sign = 0
                    self.n_leaving += 1
                    self._go(a, [L.DOOR_OUTSIDE, L.OUT_TURN, L.EXIT_BOTTOM])
                    continue
                a.x, a.y = _badge_feet(self.last_place[cid]) if cid in self.last_place \
                    else L.DOOR_INSIDE
            elif not room:
                self._remove(a)
                continue
            carry = None
            if person.state == "done":
                carry = next((contents.get(o.model, "job") for o in person.orders
                              if o.state == "delivered"), None)
            elif person.state == "left":
                carry = "coins"
            self._send_out(a, carry, person.state)
        self.seen_departures = seen & ids

    def _send_out(self, a: Actor, carry: str | None, state: str = "") -> None:
        if not a.leaving:
            self.n_leaving += 1
        a.leaving = True
        a.entering = False
        a.absorb = False
        a.place = None
        a.carry = carry
        a.sign = 0
        counter = (L.DELIVERY_SPOT if state == "done" else
                   L.REFUND_SPOT if state == "left" else None)
        here = (a.x, a.y)
        path = L.route(here, counter) + L.route(counter, L.DOOR_INSIDE) if counter else \
            L.route(here, L.DOOR_INSIDE)
        self._go(a, path + [L.DOOR_OUTSIDE, L.OUT_TURN, L.EXIT_BOTTOM])
        self.refresh(a)

    def _stage_staff(self) -> None:
        """The dispatcher walks (along the aisles) to the customer the breaker is asking; else
        back to his post by the counters."""
        target = L.DISPATCHER_POST
        if self.seating.asked is not None:
            a = self.actors.get(self.seating.asked[1])
            if a is not None and a.seat is not None:
                x, y = a.seat[0]
                target = (x + 7, y)
        d = self.dispatcher
        end = d.path[-1] if d.path else (d.x, d.y)
        if math.hypot(end[0] - target[0], end[1] - target[1]) > 1.0:
            d.path = L.route((d.x, d.y), target)

    # -- the frame ----------------------------------------------------------------------------
    def walk(self, dt: float, speed: float) -> None:
        """Move every actor that has somewhere to go; leavers vanish at the street's end."""
        self.speed = speed
        movers = list(self.moving.values())
        if self.dispatcher.path:
            movers.append(self.dispatcher)
        if not movers:
            return
        step = WALK_PX_S * min(HURRY_MAX, 1.0 + speed / 30.0) * dt
        moving = self.moving
        done: list[Actor] = []
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
                if a.leaving or a.absorb:
                    done.append(a)
                    continue
                a.direction = "right"
                a.entering = False
            self.refresh(a)
        self._resort = True
        for a in done:
            self._remove(a)

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
            a.over = (self._bars[(a.hue, a.fill)], (x, y - 1))
        elif sign == WATCHING:
            a.over = (sp.hourglass, (x + 1, y - 5))
        elif sign == ASKED:
            a.over = (sp.bubble, (x - 1, y - sp.bubble.get_height() + 2))
        elif a.carry == "coins":
            a.over = (sp.coin, (x + 6, y + 6))
        elif a.carry:
            a.over = (sp.icon(a.carry), (x + 6, y + 6))
        else:
            a.over = None
        if a.over is not None and a.over[1][1] < L.CASHIER.bottom:
            # on the counter aisle a sign above the head would reach the counters' signs
            a.over = (a.over[0], (x + 8, y + 1))

    def draw(self, surf: pygame.Surface) -> int:
        """Blit every person sorted by depth, with their signs; return how many were drawn.

        The sorted order and both blit lists are kept until somebody moves or changes.
        """
        if self._gone:
            actors = self.actors
            self._depth = [a for a in self._depth if actors.get(a.cid) is a]
            self._gone = False
            self._blits = None
        if self._resort:
            self._depth.sort(key=_by_y)
            self._resort = False
            self._blits = None
        if self._blits is None:
            depth = self._depth
            self._blits = [a.blit for a in depth]
            self._overs = [a.over for a in depth if a.over is not None]
            self._count_badges()
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

    def _count_badges(self) -> None:
        """Each place's badge: its customers (from the plan) minus the actors drawn whom the
        plan puts there -- by the plan's place, not the actor's: one still walking from the
        bench to the gallery is the gallery's, drawn, and not in the bench's badge."""
        drawn = dict.fromkeys(L.PLACES, 0)
        place_of = self.seating.place_of
        for a in self._depth:
            place = place_of.get(a.cid)
            if place is not None:
                drawn[place] += 1
        counts = self.seating.counts
        self.badges = {name: counts.get(name, 0) - n for name, n in drawn.items()}

    @property
    def badged(self) -> int:
        """Customers counted in the "+N" badges (on screen, not drawn)."""
        return sum(n for n in self.badges.values() if n > 0)

    def badge_blits(self, fonts, camera: Camera) -> list[tuple]:
        """The "+N" badges (screen resolution, drawn over the world like its signs), each on
        a dark plate in its place's reserved back seats; made again only when a count moves."""
        shown = tuple(sorted(self.badges.items()))
        if (shown, camera) != self._badge_blits[0]:
            blits = []
            self.badges_shown = []
            for name, n in shown:
                if n > 0:
                    surf = plate(fonts.label(f"+{n}", P.WHITE), P.INK)
                    box = L.PLACES[name].badge
                    sx, sy = camera.to_screen(box.centerx, box.centery)
                    blits.append((surf, (sx - surf.get_width() // 2,
                                         sy - surf.get_height() // 2)))
                    self.badges_shown.append((surf, name, n))
            self._badge_blits = ((shown, camera), blits)
        return self._badge_blits[1]

    def hit(self, wx: float, wy: float) -> int | None:
        """The customer id under a world point (front-most first), or None."""
        best = None
        for a in self.actors.values():
            if a.x - 4 <= wx <= a.x + 4 and a.y - 14 <= wy <= a.y:
                if best is None or a.y > best.y:
                    best = a
        return best.cid if best else None


def _badge_feet(place: str) -> tuple[int, int]:
    """Where a person stands to join (or step out of) a place's badge."""
    box = L.PLACES[place].badge
    return box.centerx, box.bottom

