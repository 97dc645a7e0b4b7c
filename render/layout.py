"""Where everything is: screen regions and the places of the world, in one module.

Why one module: the background, the people and the tooltips must agree on where a bench or a
machine is.  The world is drawn on a small logical surface (``WORLD_W`` x ``WORLD_H``) shown
in ``WORLD_RECT`` through the camera (:mod:`render.camera`) with nearest neighbour; panels and
text are drawn at screen resolution so the 16 px pixel font stays crisp.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pygame

SCREEN_W, SCREEN_H = 1280, 720
WORLD_W, WORLD_H = 432, 252
#: where the world is shown: at the overview each world pixel is 2x2 screen pixels
WORLD_RECT = pygame.Rect(0, 0, WORLD_W * 2, WORLD_H * 2)       # 864 x 504
PANEL_RECT = pygame.Rect(WORLD_RECT.right, 0, SCREEN_W - WORLD_RECT.right, SCREEN_H)
# the presenter's timeline strip (render/panel/timeline.py draws inside it), then the desk
TIMELINE_RECT = pygame.Rect(0, WORLD_RECT.bottom, WORLD_RECT.width, 44)
CONTROLS_RECT = pygame.Rect(0, TIMELINE_RECT.bottom, WORLD_RECT.width,
                            SCREEN_H - TIMELINE_RECT.bottom)

# --- the street, the door and the lobby (logical pixels; people are placed by their feet) ----
PERSON_W, PERSON_H = 8, 14         # a person's sprite; drawn at (x - 4, y - 14) for feet (x, y)
STREET = pygame.Rect(0, 0, 36, WORLD_H)
STREET_X = 31                      # the walking line in: arrivals come down from the top
STREET_OUT_X = 15                  # the walking line out: leavers go down to the bottom
SPAWN_TOP = (STREET_X, -16)
EXIT_BOTTOM = (STREET_OUT_X, WORLD_H + 16)
WALL_X = 36
DOOR_Y = 126
DOOR = pygame.Rect(WALL_X, DOOR_Y - 10, 5, 20)
DOOR_OUTSIDE = (STREET_X, DOOR_Y)
DOOR_INSIDE = (45, DOOR_Y)
OUT_TURN = (STREET_OUT_X, DOOR_Y + 4)
GREETER = (44, DOOR_Y - 22)
LOBBY = pygame.Rect(40, 0, 156, WORLD_H)
COUNTER_W = 34
CASHIER = pygame.Rect(50, 10, COUNTER_W, 8)
DELIVERY = pygame.Rect(100, 10, COUNTER_W, 8)
REFUND = pygame.Rect(150, 10, COUNTER_W, 8)
#: The aisles walkers keep to: one along the counters, one by the left wall (down from the
#: counters past the door to the gallery), one between the benches and the red carpet.
AISLE_Y = 32
LEFT_AISLE_X = 45
MID_AISLE_X = 160
AISLE_XS = (LEFT_AISLE_X, MID_AISLE_X)
CASHIER_SPOT = (CASHIER.centerx, AISLE_Y)
DELIVERY_SPOT = (DELIVERY.centerx, AISLE_Y)
REFUND_SPOT = (REFUND.centerx, AISLE_Y)
DISPATCHER_POST = (190, AISLE_Y)

#: Seats touch but never overlap: one sprite wide, one sprite high.
SEAT_DX, SEAT_DY = PERSON_W, PERSON_H
BENCHES = pygame.Rect(50, AISLE_Y, 13 * SEAT_DX, 10 * SEAT_DY)      # normal lane, 50..154
CARPET = pygame.Rect(166, AISLE_Y, 3 * SEAT_DX, 9 * SEAT_DY)       # VIP lane, 166..190
CARPET_SIGN_Y = CARPET.bottom + 2                                    # "VIP" under the seats
GALLERY_SIGN_Y = BENCHES.bottom + 1                                  # on the rope
ROPE_Y = BENCHES.bottom + 5
GALLERY_DX, GALLERY_DY = 9, 16     # watchers: a gap above each head for the hourglass
GALLERY = pygame.Rect(50, BENCHES.bottom + 12, 16 * GALLERY_DX, 4 * GALLERY_DY)  # in production
BADGE_SEATS = 3                     # seats at the back of a place kept for its "+N" badge


@dataclass(frozen=True, slots=True)
class Place:
    """Somewhere customers stay: its spots in order (front first) and where its badge sits.

    The last ``BADGE_SEATS`` spots of the back row are never sat on: the badge that counts
    the customers who do not fit (or are not drawn) lives there.
    """

    name: str
    area: pygame.Rect
    spots: tuple[tuple[int, int], ...]
    badge: pygame.Rect


def _place(name: str, area: pygame.Rect, dx: int, dy: int, snake: bool,
           from_right: bool = True) -> Place:
    """Spots row by row from the top (the right end first: nearest the factory); a ``snake``
    turns at each row end like a queue between ropes.  The badge takes the back row's last
    seats."""
    cols, rows = area.width // dx, area.height // dy
    spots = []
    for r in range(rows):
        backwards = from_right != (snake and r % 2 == 1)
        for c in range(cols):
            col = cols - 1 - c if backwards else c
            spots.append((area.x + dx // 2 + col * dx, area.y + (r + 1) * dy))
    kept, badge_spots = spots[:-BADGE_SEATS], spots[-BADGE_SEATS:]
    left = min(x for x, _ in badge_spots) - dx // 2
    right = max(x for x, _ in badge_spots) + dx - dx // 2
    y = badge_spots[0][1]
    return Place(name, area, tuple(kept), pygame.Rect(left, y - PERSON_H, right - left,
                                                      PERSON_H))


BENCH, CARPET_PLACE, GALLERY_PLACE = "bench", "carpet", "gallery"
PLACES: dict[str, Place] = {
    BENCH: _place(BENCH, BENCHES, SEAT_DX, SEAT_DY, snake=True),
    CARPET_PLACE: _place(CARPET_PLACE, CARPET, SEAT_DX, SEAT_DY, snake=True),
    # the gallery fills from the left aisle, where its watchers come in
    GALLERY_PLACE: _place(GALLERY_PLACE, GALLERY, GALLERY_DX, GALLERY_DY, snake=False,
                          from_right=False),
}


def aisle_access(x: float, y: float) -> tuple[float, float]:
    """The aisle point a walker at (x, y) steps to first: along its row to the nearer
    vertical aisle, or straight onto the counter aisle when it is already on it."""
    if y <= AISLE_Y:
        return x, AISLE_Y
    if x < WALL_X + 4:                 # outside: through the door
        return DOOR_INSIDE
    ax = min(AISLE_XS, key=lambda a: abs(a - x))
    if y > BENCHES.bottom and ax == MID_AISLE_X and x < MID_AISLE_X - 4:
        ax = LEFT_AISLE_X              # the gallery is reached from the left aisle
    return ax, y


def route(src: tuple[float, float], dst: tuple[float, float]) -> list[tuple[float, float]]:
    """Waypoints from ``src`` to ``dst`` along the aisles, never across benches or signs.

    A step to a neighbouring seat is direct (the queue moving up); anything longer goes to
    the nearest aisle, along it (crossing between aisles on the counter aisle) and into the
    row from the aisle end.
    """
    if abs(src[0] - dst[0]) <= SEAT_DX and abs(src[1] - dst[1]) <= SEAT_DY:
        return [dst]
    a, b = aisle_access(*src), aisle_access(*dst)
    path = [a]
    if a[0] != b[0]:
        path += [(a[0], AISLE_Y), (b[0], AISLE_Y)]
    path += [b, dst]
    out: list[tuple[float, float]] = []
    last = src
    for p in path:
        if p != last:
            out.append(p)
            last = p
    return out


FACTORY = pygame.Rect(200, 0, WORLD_W - 200, WORLD_H)
CELL = 14
MACHINE = 12                                 # machine sprite size inside a cell
BASE_COLS = 10
RENT_COLS = 6
BASE_X = 202
RENT_X = BASE_X + BASE_COLS * CELL + 5      # 347
GROUP_HEADER = 12
GROUP_GAP = 4
GATE = pygame.Rect(356, 238, 60, 14)
MANAGER_POST = (336, 236)


#: The lowest a group may reach: above the manager's head and the SUPPLIER sign by the gate.
FLOOR_BOTTOM = MANAGER_POST[1] - PERSON_H - 2
FLOOR_W = FACTORY.right - BASE_X - 1
MAX_SCALE = 4                               # machines drawn up to 4x when the floor is empty


@dataclass(slots=True)
class Group:
    """One model's workstations: base slots on a grid, rented ones in a marked area.

    ``scale`` multiplies the machine sprite and its cell (pixel art stays whole pixels);
    ``base_cols``/``rent_cols`` come from the floor's width at that scale (no rent columns
    for a model that can never rent)."""

    name: str
    top: int
    base_rows: int
    rent_rows: int
    header: pygame.Rect = field(default_factory=pygame.Rect)
    base_area: pygame.Rect = field(default_factory=pygame.Rect)
    rent_area: pygame.Rect = field(default_factory=pygame.Rect)
    scale: int = 1
    base_cols: int = BASE_COLS
    rent_cols: int = RENT_COLS

    @property
    def size(self) -> int:
        """A cell's side in world pixels."""
        return CELL * self.scale

    @property
    def bottom(self) -> int:
        return self.top + GROUP_HEADER + max(self.base_rows, self.rent_rows) * self.size

    def cell(self, rented: bool, index: int) -> tuple[int, int] | None:
        """Top-left of a slot's machine, or None when the group has no room for it."""
        cols, area, rows = ((self.rent_cols, self.rent_area, self.rent_rows) if rented
                            else (self.base_cols, self.base_area, self.base_rows))
        if cols <= 0:
            return None
        r, c = divmod(index, cols)
        if r >= rows:
            return None
        size, k = self.size, self.scale
        return area.x + c * size + k, area.y + r * size + k


def columns(scale: int, can_rent: bool) -> tuple[int, int]:
    """(base, rented) columns at ``scale``: at 1x today's 10 + 6; wider cells fewer; a model
    that cannot rent gives the rented area's width to its base slots."""
    size = CELL * scale
    if not can_rent:
        return FLOOR_W // size, 0
    rent = max(1, RENT_COLS // scale)
    return max(1, (FLOOR_W - 5 - rent * size) // size), rent


def _rows(stations: list[tuple], scale: int) -> list[list[int]]:
    out = []
    for _, base, rent, can_rent in stations:
        b_cols, r_cols = columns(scale, can_rent)
        out.append([max(1, math.ceil(base / b_cols)), math.ceil(rent / r_cols) if r_cols else 0])
    return out


def plan_groups(stations: list[tuple]) -> list[Group]:
    """Stack one group per (name, base slots, rented slots now, can rent) from the top.

    The largest machine scale at which every slot fits is used, so a scene with few models
    fills the floor; at 1x, rows shrink (largest group first) and the gaps between groups
    narrow until everything fits above :data:`FLOOR_BOTTOM`; slots without a cell are
    summarised as "+N" by the machines layer.  The rented area is compact until used.
    """
    n = len(stations)
    stations = [(*s, True)[:4] for s in stations]
    heads = n * GROUP_HEADER + (n - 1) * GROUP_GAP
    scale = 1
    for k in range(MAX_SCALE, 1, -1):
        rows = _rows(stations, k)
        if sum(max(r) for r in rows) * CELL * k <= FLOOR_BOTTOM - 2 - heads:
            scale = k
            break
    want = _rows(stations, scale)
    avail = FLOOR_BOTTOM - 2 - n * GROUP_HEADER
    while sum(max(b, r) for b, r in want) * CELL * scale + (n - 1) > avail:
        i = max(range(len(want)), key=lambda k: max(want[k]))
        b, r = want[i]
        if max(b, r) <= 1:
            break
        want[i][0 if b >= r else 1] -= 1
    spare = avail - sum(max(b, r) for b, r in want) * CELL * scale
    gap = max(1, min(GROUP_GAP, spare // max(1, n - 1)))
    groups = []
    y = 2
    for (name, _, _, can_rent), (b, r) in zip(stations, want, strict=True):
        b_cols, r_cols = columns(scale, can_rent)
        size = CELL * scale
        g = Group(name, y, b, r, scale=scale, base_cols=b_cols, rent_cols=r_cols)
        g.header = pygame.Rect(BASE_X - 2, y, FACTORY.right - BASE_X, GROUP_HEADER)
        g.base_area = pygame.Rect(BASE_X, y + GROUP_HEADER, b_cols * size, b * size)
        g.rent_area = pygame.Rect(BASE_X + b_cols * size + 5, y + GROUP_HEADER,
                                  r_cols * size, r * size)
        groups.append(g)
        y = g.bottom + gap
    return groups
