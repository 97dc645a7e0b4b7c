"""The factory floor: one group of workstations per model, rented machines, the fries basket.

Why it keeps memory between frames: a failure, an arrival or a departure is an *instant* of
simulated time, which at 600x lasts less than a frame.  This layer notices the change
(``last_fail_s`` moved, a slot appeared, left provisioning or vanished) and plays a short
animation in real time: the red flash, the drop-in, the coin bag thrown at the supplier's gate.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from render import layout as L
from render import palette as P
from render.sprites import Sprites

FLASH_S = 0.45
DROP_S = 0.5
THROW_S = 0.9
LEAVE_S = 0.8


@dataclass(slots=True)
class Anim:
    kind: str           # flash | drop | throw | leave
    start: float        # real seconds
    station: str
    rented: bool = False
    index: int = 0
    content: str = "job"


class Machines:
    """Draws every station's slots and keeps the short real-time animations."""

    def __init__(self, sprites: Sprites) -> None:
        self.sprites = sprites
        self.groups: dict[str, L.Group] = {}
        self.plan_key: tuple = ()
        self._state: dict[tuple, tuple] = {}     # (station, key) -> (state, last_fail_s)
        self.anims: list[Anim] = []
        self.overflow: dict[str, int] = {}
        self.clock = 0.0
        self.provision_s = 120.0   # the scenario's provisioning delay (crate progress bar)

    def replan(self, snap, max_rented: dict[str, int]) -> bool:
        """Recompute the group layout when slot counts outgrow it; True if it changed."""
        want = []
        for st in snap.stations:
            base = sum(1 for s in st.slots if not s.rented)
            base = max(base, snap.controls["capacity"].get(st.name, 0))
            rent = max(max_rented.get(st.name, 0), sum(1 for s in st.slots if s.rented), 1)
            want.append((st.name, base, rent))
        key = tuple(want)
        if key == self.plan_key:
            return False
        old = {g.name: (g.base_rows, g.rent_rows) for g in self.groups.values()}
        groups = L.plan_groups(want)
        new = {g.name: (g.base_rows, g.rent_rows) for g in groups}
        self.plan_key = key
        if new == old:
            return False
        self.groups = {g.name: g for g in groups}
        return True

    def update(self, snap, clock: float) -> None:
        """Spot transitions since the last frame and start their animations."""
        self.clock = clock
        seen = set()
        state = self._state
        for st in snap.stations:
            for slot in st.slots:
                k = (st.name, slot.key)
                seen.add(k)
                prev = state.get(k)
                cur = (slot.state, slot.last_fail_s)
                if prev is None:
                    if slot.state == "provisioning":
                        self.anims.append(Anim("throw", clock, st.name, True, slot.index))
                elif prev != cur:
                    if slot.last_fail_s != prev[1] and slot.last_fail_s >= 0:
                        self.anims.append(Anim("flash", clock, st.name, slot.rented, slot.index))
                    if prev[0] == "provisioning" and slot.state != "provisioning":
                        self.anims.append(Anim("drop", clock, st.name, slot.rented, slot.index))
                state[k] = cur
        for k in [k for k in state if k not in seen]:
            name, key = k
            del state[k]
            content = next((s.content for s in snap.stations if s.name == name), "job")
            self.anims.append(Anim("leave", clock, name, bool(key[0]), key[1], content))
        limits = {"flash": FLASH_S, "drop": DROP_S, "throw": THROW_S, "leave": LEAVE_S}
        self.anims = [a for a in self.anims if clock - a.start < limits[a.kind]][-200:]
        # one coin bag per station at a time is enough to read
        throws: set[str] = set()
        kept = []
        for a in self.anims:
            if a.kind == "throw":
                if a.station in throws:
                    continue
                throws.add(a.station)
            kept.append(a)
        self.anims = kept

    def draw(self, surf: pygame.Surface, snap) -> None:
        sp = self.sprites
        now = snap.now_s
        clock = self.clock
        blits = []
        fills = []
        flashing = {(a.station, a.rented, a.index): a for a in self.anims if a.kind == "flash"}
        dropping = {(a.station, a.rented, a.index): a for a in self.anims if a.kind == "drop"}
        self.overflow = {}
        for st in snap.stations:
            g = self.groups.get(st.name)
            if g is None:
                continue
            content = st.content
            hidden = 0
            for slot in st.slots:
                pos = g.cell(slot.rented, slot.index)
                if pos is None:
                    hidden += 1
                    continue
                x, y = pos
                state = slot.state
                if state == "provisioning":
                    blits.append((sp.crate, (x + 1, y + 1)))
                    done = min(1.0, (now - slot.since_s) / max(1.0, self.provision_s))
                    fills.append((P.YELLOW, pygame.Rect(x, y + 12, max(1, int(12 * done)), 1)))
                    continue
                busy = state in ("busy", "draining")
                drop = dropping.get((st.name, slot.rented, slot.index))
                dy = 0
                if drop is not None:
                    t = min(1.0, (clock - drop.start) / DROP_S)
                    dy = -int((1.0 - t) * (1.0 - t) * 10)
                blits.append((sp.machine(content, slot.rented, busy), (x, y + dy)))
                call = slot.call
                if busy and call is not None:
                    span = call.end_s - call.start_s
                    frac = 1.0 if span <= 0 else min(1.0, max(0.0, (now - call.start_s) / span))
                    fills.append((P.BLACK, pygame.Rect(x, y + 12, 12, 2)))
                    fills.append((P.LIME if not slot.rented else P.ORANGE,
                                  pygame.Rect(x, y + 12, max(1, int(12 * frac)), 1)))
                    if call.size > 1:
                        for i in range(min(call.size, 8)):
                            fills.append((P.YELLOW, pygame.Rect(x + 2 + i, y + 9, 1, 1)))
                if state == "draining" and int(clock * 4) % 2:
                    fills.append((P.ORANGE, pygame.Rect(x + 4, y - 1, 4, 1)))
                if (st.name, slot.rented, slot.index) in flashing:
                    fills.append((P.RED, pygame.Rect(x + 2, y + 2, 8, 6)))
                    fills.append((P.WHITE, pygame.Rect(x + 5, y + 3, 2, 4)))
            if hidden:
                self.overflow[st.name] = hidden
            if st.batch_max > 1:
                self._basket(blits, fills, g, st)
        for a in self.anims:
            g = self.groups.get(a.station)
            if g is None:
                continue
            if a.kind == "leave":
                pos = g.cell(a.rented, a.index)
                if pos is None:
                    continue
                t = (clock - a.start) / LEAVE_S
                x = pos[0] + (L.GATE.centerx - pos[0]) * t
                y = pos[1] + (L.GATE.top - pos[1]) * t
                blits.append((sp.machine(a.content, a.rented, False), (int(x), int(y))))
            elif a.kind == "throw":
                t = (clock - a.start) / THROW_S
                sx, sy = L.MANAGER_POST
                tx, ty = L.GATE.centerx, L.GATE.top + 2
                x = sx + (tx - sx) * t
                y = sy - 14 + (ty - sy + 14) * t - 40 * t * (1 - t)
                blits.append((sp.bag, (int(x), int(y))))
        surf.fblits(blits)
        for color, rect in fills:
            surf.fill(color, rect)

    def _basket(self, blits: list, fills: list, g: L.Group, st) -> None:
        """The fries basket fills with the orders waiting for the next batch."""
        x = g.header.right - 64
        y = g.header.y + 3
        blits.append((self.sprites.basket, (x, y)))
        n = min(len(st.queue), st.batch_max)
        for i in range(n):
            fills.append((P.YELLOW, pygame.Rect(x + 1 + i, y - 2 + (i % 2), 1, 3)))

    def hit(self, snap, wx: float, wy: float):
        """(station view, slot) under a world point, or None."""
        for st in snap.stations:
            g = self.groups.get(st.name)
            if g is None or not (g.top <= wy <= g.bottom):
                continue
            for slot in st.slots:
                pos = g.cell(slot.rented, slot.index)
                if pos and pos[0] <= wx < pos[0] + L.CELL and pos[1] <= wy < pos[1] + L.CELL:
                    return st, slot
        return None
