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
from render.camera import Camera
from render.fonts import Fonts
from render.i18n import CONTENT, tr, word
from render.words import about
from render.world.sprites import Sprites
from sim import Snapshot, StationView

FLASH_S = 0.45
DROP_S = 0.5
THROW_S = 0.9
LEAVE_S = 0.8
DOWN_SCREEN = P.RED_DARK      # the screen of a machine whose model is down


def is_down(st: StationView, now: float) -> bool:
    """True while no call can run on the model: an outage, or its breaker open."""
    return st.outage_until_s > now or st.circuit == "open"


class Overlays:
    """The small coloured marks drawn over machines, each a surface made once.

    Pixel for pixel what ``fill`` calls would paint, but blitted in one batch.
    """

    def __init__(self) -> None:
        self.progress = {(rented, w): self._bar(w, P.ORANGE if rented else P.LIME)
                         for rented in (False, True) for w in range(1, 13)}
        self.supply = {w: self._solid(w, 1, P.YELLOW) for w in range(1, 13)}
        self.dots = {n: self._solid(n, 1, P.YELLOW) for n in range(1, 9)}
        self.draining = self._solid(4, 1, P.ORANGE)
        self.flash = self._solid(8, 6, P.RED)
        self.flash.fill(P.WHITE, pygame.Rect(3, 1, 2, 4))
        self._fries: dict[int, pygame.Surface] = {}

    @staticmethod
    def _ready(s: pygame.Surface) -> pygame.Surface:
        return s.convert() if pygame.display.get_surface() is not None else s

    def _solid(self, w: int, h: int, color: P.Color) -> pygame.Surface:
        s = pygame.Surface((w, h))
        s.fill(color)
        return self._ready(s)

    def _bar(self, w: int, color: P.Color) -> pygame.Surface:
        s = pygame.Surface((12, 2))
        s.fill(P.BLACK)
        s.fill(color, pygame.Rect(0, 0, w, 1))
        return self._ready(s)

    def fries(self, n: int) -> pygame.Surface:
        """``n`` fries standing in the basket, alternately one pixel higher."""
        s = self._fries.get(n)
        if s is None:
            s = pygame.Surface((n, 4))
            s.fill(P.BLACK)
            s.set_colorkey(P.BLACK)
            for i in range(n):
                s.fill(P.YELLOW, pygame.Rect(i, i % 2, 1, 3))
            s = self._fries[n] = self._ready(s)
        return s


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
        self._state: dict[tuple, tuple] = {}     # (station, rented, index) -> (state, fail_s)
        self.anims: list[Anim] = []
        self.overflow: dict[str, int] = {}
        self.clock = 0.0
        self.overlays = Overlays()
        self._cells: dict[str, tuple] = {}
        self._prepared: tuple | None = None     # (snapshot, blits, overlays, index, draining)
        self._headers: tuple | None = None      # (snapshot, key, blits) of the group headers
        self._scaled: dict[tuple, tuple] = {}   # (id, scale) -> (surface, scaled surface)
        self._broken: dict[tuple, pygame.Surface] = {}
        self._plates: dict[tuple, pygame.Surface] = {}
        self.banners: dict[str, tuple[str, pygame.Rect]] = {}  # model -> (text, screen rect)
        self.drawn: dict[tuple, tuple[str, pygame.Rect]] = {}   # slot -> (look, world rect)

    def replan(self, snap: Snapshot) -> bool:
        """Recompute the group layout when slot counts outgrow it; True if it changed."""
        want = []
        for st in snap.stations:
            base = sum(1 for s in st.slots if not s.rented)
            base = max(base, snap.controls.capacity.get(st.name, 0))
            rent = sum(1 for s in st.slots if s.rented)   # compact until used (rented now)
            want.append((st.name, base, rent, st.max_rented > 0))
        key = tuple(want)
        if key == self.plan_key:
            return False
        old = {g.name: (g.base_rows, g.rent_rows, g.scale) for g in self.groups.values()}
        groups = L.plan_groups(want)
        new = {g.name: (g.base_rows, g.rent_rows, g.scale) for g in groups}
        self.plan_key = key
        if new == old:
            return False
        self.groups = {g.name: g for g in groups}
        self._prepared = None
        return True

    def update(self, snap: Snapshot, clock: float) -> None:
        """Spot transitions since the last frame and start their animations."""
        self.clock = clock
        seen = set()
        state = self._state
        for st in snap.stations:
            for slot in st.slots:
                k = (st.name, slot.rented, slot.index)
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
            name, rented, index = k
            del state[k]
            content = next((s.content for s in snap.stations if s.name == name), "job")
            self.anims.append(Anim("leave", clock, name, rented, index, content))
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

    def _cells_of(self, g: L.Group) -> dict[tuple[bool, int], tuple[int, int]]:
        """Every cell of a group by (rented, index); made once per group plan."""
        cells = self._cells.get(g.name)
        if cells is None or cells[0] is not g:
            grid = {}
            for rented, cols, rows in ((False, g.base_cols, g.base_rows),
                                       (True, g.rent_cols, g.rent_rows)):
                for i in range(cols * rows):
                    grid[(rented, i)] = g.cell(rented, i)
            cells = self._cells[g.name] = (g, grid)
        return cells[1]

    def prepare(self, snap: Snapshot) -> None:
        """The slots' sprites and bars for one snapshot: they change only with it.

        Why kept: the loop over every slot is most of this layer's Python; between two
        snapshots a frame only adds the short animations on top (:meth:`draw`).  ``drawn``
        keeps each machine's look and world rectangle as laid out here (tests read it).
        """
        blits: list = []
        overs: list = []
        where: dict[tuple, int] = {}            # (station, rented, index) -> blits index
        draining: list = []
        overflow = {}
        self.drawn = {}
        for st in snap.stations:
            g = self.groups.get(st.name)
            if g is None:
                continue
            hidden = self._prepare_station(st, g, snap.now_s, blits, overs, where, draining)
            if hidden:
                overflow[st.name] = hidden
            if st.batch_max > 1:
                self._basket(blits, overs, g, st)
        self.overflow = overflow
        self._prepared = (snap, blits, overs, where, draining)

    def _prepare_station(self, st: StationView, g: L.Group, now: float, blits: list,
                         overs: list, where: dict, draining: list) -> int:
        """One group's machines: the working look, or the broken one for the whole group
        while its model is down (outage, open breaker); returns the slots without a cell."""
        sp = self.sprites
        ov = self.overlays
        k = g.scale
        big = self.scaled
        provision_s = max(1.0, st.provision_s)
        cells = self._cells_of(g)
        name = st.name
        down = is_down(st, now)
        looks = {(r, b): big(self.broken(st.content, r) if down else
                             sp.machine(st.content, r, b), k)
                 for r in (False, True) for b in (False, True)}
        # a call still running on a down model is drawn as one (crossed out, its bar running
        # to the failure): the table's running count and the picture tell the same truth
        look_names = {b: ("down_busy" if b else "down") if down else ("busy" if b else "idle")
                      for b in (False, True)}
        side = L.MACHINE * k
        hidden = 0
        for slot in st.slots:
            rented = slot.rented
            pos = cells.get((rented, slot.index))
            if pos is None:
                hidden += 1
                continue
            x, y = pos
            state = slot.state
            if state == "provisioning":
                blits.append((big(sp.crate, k), (x + k, y + k)))
                done = min(1.0, (now - slot.since_s) / provision_s)
                overs.append((big(ov.supply[max(1, int(12 * done))], k), (x, y + 12 * k)))
                self.drawn[(name, rented, slot.index)] = ("crate", pygame.Rect(x, y, side, side))
                continue
            busy = state == "busy" or state == "draining"
            where[(name, rented, slot.index)] = len(blits)
            blits.append((looks[(rented, busy)], (x, y)))
            self.drawn[(name, rented, slot.index)] = (look_names[busy],
                                                      pygame.Rect(x, y, side, side))
            call = slot.call
            if busy and call is not None:
                span = call.end_s - call.start_s
                frac = 1.0 if span <= 0 else min(1.0, max(0.0, (now - call.start_s) / span))
                overs.append((big(ov.progress[(rented, max(1, int(12 * frac)))], k),
                              (x, y + 12 * k)))
                if call.size > 1:
                    overs.append((big(ov.dots[min(call.size, 8)], k), (x + 2 * k, y + 9 * k)))
            if state == "draining":
                draining.append((big(ov.draining, k), (x + 4 * k, y - k)))
        return hidden

    def scaled(self, surf: pygame.Surface, k: int) -> pygame.Surface:
        """``surf`` at ``k`` times its size (nearest neighbour), made once per surface."""
        if k == 1:
            return surf
        key = (id(surf), k)
        hit = self._scaled.get(key)
        if hit is None or hit[0] is not surf:
            w, h = surf.get_size()
            hit = self._scaled[key] = (surf, pygame.transform.scale(surf, (w * k, h * k)))
        return hit[1]

    def broken(self, content: str, rented: bool) -> pygame.Surface:
        """A machine whose model is down: grey body, dark red screen crossed in red."""
        key = (content, rented)
        surf = self._broken.get(key)
        if surf is None:
            surf = pygame.transform.grayscale(self.sprites.machine(content, rented, False))
            surf.fill(DOWN_SCREEN, pygame.Rect(2, 2, 8, 6))
            for i in range(4):
                surf.fill(P.RED, pygame.Rect(4 + i, 3 + i, 1, 1))
                surf.fill(P.RED, pygame.Rect(7 - i, 3 + i, 1, 1))
            self._broken[key] = surf
        return surf

    def draw(self, surf: pygame.Surface, snap: Snapshot, fresh: bool = True) -> None:
        """Slots, bars and animations as two ``fblits`` lists (sprites, then overlays).

        Why no ``fill`` calls: every bar, dot and flash is a small surface made once
        (:class:`Overlays`).  ``fresh`` False (a frame that already took a snapshot) keeps
        the slots prepared from the previous snapshot for one more frame.
        """
        prepared = self._prepared
        if prepared is None or (fresh and prepared[0] is not snap):
            self.prepare(snap)
            prepared = self._prepared
        _, blits, overs, where, draining = prepared
        clock = self.clock
        if int(clock * 4) % 2 and draining:
            overs = overs + draining
        anims = self.anims
        if not anims:
            surf.fblits(blits)
            surf.fblits(overs)
            return
        sp = self.sprites
        base = blits
        blits = list(blits)
        overs = list(overs)
        for a in anims:
            g = self.groups.get(a.station)
            if g is None:
                continue
            kind = a.kind
            if kind == "drop" or kind == "flash":
                i = where.get((a.station, a.rented, a.index))
                if i is None:
                    continue
                look, (x, y) = base[i]
                k = g.scale
                if kind == "flash":
                    overs.append((self.scaled(self.overlays.flash, k), (x + 2 * k, y + 2 * k)))
                else:
                    t = min(1.0, (clock - a.start) / DROP_S)
                    blits[i] = (look, (x, y - int((1.0 - t) * (1.0 - t) * 10 * k)))
            elif kind == "leave":
                pos = g.cell(a.rented, a.index)
                if pos is None:
                    continue
                t = (clock - a.start) / LEAVE_S
                x = pos[0] + (L.GATE.centerx - pos[0]) * t
                y = pos[1] + (L.GATE.top - pos[1]) * t
                blits.append((self.scaled(sp.machine(a.content, a.rented, False), g.scale),
                              (int(x), int(y))))
            elif kind == "throw":
                t = (clock - a.start) / THROW_S
                sx, sy = L.MANAGER_POST
                tx, ty = L.GATE.centerx, L.GATE.top + 2
                x = sx + (tx - sx) * t
                y = sy - 14 + (ty - sy + 14) * t - 40 * t * (1 - t)
                blits.append((sp.bag, (int(x), int(y))))
        surf.fblits(blits)
        surf.fblits(overs)

    def _basket(self, blits: list, overs: list, g: L.Group, st: StationView) -> None:
        """The fries basket fills with the orders waiting for the next batch."""
        x = g.header.right - 64
        y = g.header.y + 3
        blits.append((self.sprites.basket, (x, y)))
        n = min(len(st.queue), st.batch_max)
        if n:
            overs.append((self.overlays.fries(n), (x + 1, y - 2)))

    def draw_headers(self, screen: pygame.Surface, snap: Snapshot, fonts: Fonts, lang: str,
                     camera: Camera, fresh: bool = True) -> None:
        """Each group's header line on the screen: label, state marks, basket, "+N".

        Rebuilt when the snapshot, the language or the plan changed; ``fresh`` False keeps
        the previous snapshot's (a frame that already took a snapshot)."""
        key = (lang, self.groups, self.overflow, camera)
        cached = self._headers
        if cached is None or cached[1] != key or (fresh and cached[0] is not snap):
            blits = []
            self.banners = {}
            for st in snap.stations:
                g = self.groups.get(st.name)
                if g is not None:
                    blits += self._header(st, g, snap.now_s, fonts, lang, camera)
            cached = self._headers = (snap, key, blits)
        screen.fblits(cached[2])

    def _header(self, st: StationView, g: L.Group, now: float, fonts: Fonts,
                lang: str, camera: Camera) -> list[tuple]:
        sx, sy = camera.to_screen(g.header.x + 2, g.header.y)
        surf = fonts.label(f"{st.label} {word(st.content, lang, CONTENT)}",
                           P.CONTENT_COLORS.get(st.content, P.SILVER))
        blits = [(surf, (sx, sy + 4))]
        x = sx + surf.get_width() + 12
        marks = []
        if st.outage_until_s > now:
            marks.append(("outage", P.TEXT_BAD))
        if st.circuit == "open":
            marks.append(("circuit_open", P.TEXT_BAD))
        elif st.circuit == "half_open":
            marks.append(("circuit_half_open", P.YELLOW))
        if st.paused:
            marks.append(("paused", P.ORANGE))
        banner = self._banner(st, g, now, fonts, lang, (x, sy))
        for mark, color in marks if not banner else ():    # the banner says it in words
            m = fonts.label(tr(mark, lang), color)
            blits.append((m, (x, sy + 4)))
            x += m.get_width() + 8
        if st.batch_max > 1:
            n = min(st.num_requests_waiting, st.batch_max)
            m = fonts.label(tr("basket", lang, n, st.batch_max), P.YELLOW)
            bx, _ = camera.to_screen(g.header.right - 66, 0)
            blits.append((m, (bx - m.get_width(), sy + 4)))
        blits += banner
        hidden = self.overflow.get(st.name)
        if hidden:
            m = fonts.label(f"+{hidden}", P.WHITE)
            blits.append((m, (camera.to_screen(g.base_area.right, 0)[0] - m.get_width() - 2,
                              camera.to_screen(0, g.base_area.bottom)[1] - 16)))
        return blits

    def _banner(self, st: StationView, g: L.Group, now: float, fonts: Fonts,
                lang: str, at: tuple[int, int]) -> list[tuple]:
        """A plate in a stopped group's header, after its name, saying why and until when:
        an outage (with the minutes left), an open breaker, or the operator's pause.  In the
        header, not across the machines: every machine stays in sight, so the calls the
        table counts running are the machines seen running."""
        if st.outage_until_s > now:
            text = tr("bn_outage", lang, about(st.outage_until_s - now, lang))
            face, edge = P.RED_DARK, P.RED
        elif st.circuit == "open":
            text, face, edge = tr("bn_breaker", lang), P.RED_DARK, P.RED
        elif st.paused:
            text, face, edge = tr("bn_paused", lang), P.BROWN_DARK, P.ORANGE
        else:
            return []
        label = fonts.label(text, P.WHITE)
        w, h = label.get_width() + 12, label.get_height() + 6
        x, y = at[0] + w // 2, at[1] + 1 + h // 2
        key = (text, face, edge)
        plate = self._plates.get(key)
        if plate is None:
            if len(self._plates) > 64:
                self._plates.clear()
            plate = pygame.Surface((w, h))
            plate.fill(edge)
            plate.fill(face, pygame.Rect(2, 2, w - 4, h - 4))
            plate.blit(label, (6, 3))
            plate = self._plates[key] = self.overlays._ready(plate)
        self.banners[st.name] = (text, plate.get_rect(center=(x, y)))
        return [(plate, (x - w // 2, y - h // 2))]

    def hit(self, snap: Snapshot, wx: float, wy: float):
        """(station view, slot) under a world point, or None."""
        for st in snap.stations:
            g = self.groups.get(st.name)
            if g is None or not (g.top <= wy <= g.bottom):
                continue
            for slot in st.slots:
                pos = g.cell(slot.rented, slot.index)
                if pos and pos[0] <= wx < pos[0] + g.size and pos[1] <= wy < pos[1] + g.size:
                    return st, slot
        return None
