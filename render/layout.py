"""Where everything is: screen regions and the places of the world, in one module.

Why one module: the background, the people and the tooltips must agree on where a bench or a
machine is.  The world is drawn on a small logical surface (``WORLD_W`` x ``WORLD_H``) scaled
by ``SCALE`` with nearest neighbour; panels and text are drawn at screen resolution so the
16 px pixel font stays crisp.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pygame

SCREEN_W, SCREEN_H = 1280, 720
SCALE = 2
WORLD_W, WORLD_H = 432, 252
WORLD_RECT = pygame.Rect(0, 0, WORLD_W * SCALE, WORLD_H * SCALE)       # 864 x 504
PANEL_RECT = pygame.Rect(WORLD_RECT.right, 0, SCREEN_W - WORLD_RECT.right, SCREEN_H)
# the presenter's timeline strip (render/timeline.py draws inside it), then the desk
TIMELINE_RECT = pygame.Rect(0, WORLD_RECT.bottom, WORLD_RECT.width, 44)
CONTROLS_RECT = pygame.Rect(0, TIMELINE_RECT.bottom, WORLD_RECT.width,
                            SCREEN_H - TIMELINE_RECT.bottom)

# --- the street, the door and the lobby (logical pixels) ----------------------------------
STREET = pygame.Rect(0, 0, 36, WORLD_H)
STREET_X = 25                      # the walking line in, on the sidewalk
STREET_OUT_X = 15                  # the walking line out
SPAWN_TOP = (STREET_X, -16)
SPAWN_BOTTOM = (STREET_X, WORLD_H + 2)
EXIT_TOP = (STREET_OUT_X, -16)
EXIT_BOTTOM = (STREET_OUT_X, WORLD_H + 2)
WALL_X = 36
DOOR_Y = 126
DOOR = pygame.Rect(WALL_X, DOOR_Y - 10, 5, 20)
DOOR_OUTSIDE = (28, DOOR_Y)
DOOR_INSIDE = (48, DOOR_Y)
GREETER = (44, DOOR_Y - 22)
LOBBY = pygame.Rect(40, 0, 156, WORLD_H)
COUNTER_W = 34
CASHIER = pygame.Rect(50, 10, COUNTER_W, 8)
DELIVERY = pygame.Rect(100, 10, COUNTER_W, 8)
REFUND = pygame.Rect(150, 10, COUNTER_W, 8)
CASHIER_SPOT = (CASHIER.centerx, 26)
DELIVERY_SPOT = (DELIVERY.centerx, 26)
REFUND_SPOT = (REFUND.centerx, 26)
DISPATCHER_POST = (190, 30)

BENCHES = pygame.Rect(50, 40, 110, 150)      # normal lane
SEAT_DX, SEAT_DY = 8, 12
CARPET = pygame.Rect(166, 36, 26, 158)       # VIP lane
GALLERY = pygame.Rect(48, 200, 146, 50)      # orders in production: people stand and watch
GALLERY_DX, GALLERY_DY = 7, 10
GALLERY_BACK = 5                             # the first row stands back from the rope
OVERFLOW = pygame.Rect(2, 4, 30, 108)        # a queue out of the door, on the sidewalk

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


def _grid(area: pygame.Rect, dx: int, dy: int, right_to_left: bool,
          snake: bool = False) -> list[tuple[int, int]]:
    """Spots row by row; a ``snake`` turns at each row end like a queue between ropes."""
    cols = max(1, area.width // dx)
    rows = max(1, area.height // dy)
    spots = []
    for r in range(rows):
        backwards = right_to_left != (snake and r % 2 == 1)
        for c in range(cols):
            x = area.x + 4 + (cols - 1 - c) * dx if backwards else area.x + 4 + c * dx
            spots.append((x, area.y + 8 + r * dy))
    return spots


#: Seat positions (feet) in queue order: the front of the queue nearest the factory, then
#: a serpentine, so the queue moving up is everyone taking one step, never a jump.
NORMAL_SEATS = _grid(BENCHES, SEAT_DX, SEAT_DY, True, snake=True)
VIP_SEATS = _grid(CARPET, SEAT_DX, SEAT_DY, True, snake=True)
#: Watchers stand ``GALLERY_BACK`` px behind the rope, so the heads and hourglasses of the
#: first row stay clear of the carpet's "VIP" label just above it.
GALLERY_SPOTS = _grid(pygame.Rect(GALLERY.x, GALLERY.y + GALLERY_BACK, GALLERY.w,
                                  GALLERY.h - GALLERY_BACK), GALLERY_DX, GALLERY_DY, True)
OVERFLOW_SPOTS = _grid(OVERFLOW, SEAT_DX, 10, True)


@dataclass(slots=True)
class Group:
    """One model's workstations: base slots on a grid, rented ones in a marked area."""

    name: str
    top: int
    base_rows: int
    rent_rows: int
    header: pygame.Rect = field(default_factory=pygame.Rect)
    base_area: pygame.Rect = field(default_factory=pygame.Rect)
    rent_area: pygame.Rect = field(default_factory=pygame.Rect)

    @property
    def bottom(self) -> int:
        return self.top + GROUP_HEADER + max(self.base_rows, self.rent_rows) * CELL

    def cell(self, rented: bool, index: int) -> tuple[int, int] | None:
        """Top-left of a slot's machine, or None when the group has no room for it."""
        cols, area, rows = ((RENT_COLS, self.rent_area, self.rent_rows) if rented
                            else (BASE_COLS, self.base_area, self.base_rows))
        r, c = divmod(index, cols)
        if r >= rows:
            return None
        return area.x + c * CELL + 1, area.y + r * CELL + 1


def plan_groups(stations: list[tuple[str, int, int]]) -> list[Group]:
    """Stack one group per (name, base slots, max rented) from the top of the factory.

    Rows shrink (largest group first) when the wanted rows do not fit above the supplier's
    gate; slots without a cell are summarised as "+N" by the machines layer.
    """
    avail = GATE.top - 4 - len(stations) * (GROUP_HEADER + GROUP_GAP)
    want = [[max(1, math.ceil(base / BASE_COLS)), max(1, math.ceil(rent / RENT_COLS))]
            for _, base, rent in stations]
    while sum(max(b, r) for b, r in want) * CELL > avail:
        i = max(range(len(want)), key=lambda k: max(want[k]))
        b, r = want[i]
        if max(b, r) <= 1:
            break
        if b >= r:
            want[i][0] -= 1
        else:
            want[i][1] -= 1
    groups = []
    y = 2
    for (name, _, _), (b, r) in zip(stations, want, strict=True):
        g = Group(name, y, b, r)
        g.header = pygame.Rect(BASE_X - 2, y, FACTORY.right - BASE_X, GROUP_HEADER)
        g.base_area = pygame.Rect(BASE_X, y + GROUP_HEADER, BASE_COLS * CELL, b * CELL)
        g.rent_area = pygame.Rect(RENT_X, y + GROUP_HEADER, RENT_COLS * CELL, r * CELL)
        groups.append(g)
        y = g.bottom + GROUP_GAP
    return groups


def to_screen(x: float, y: float) -> tuple[int, int]:
    return int(x * SCALE) + WORLD_RECT.x, int(y * SCALE) + WORLD_RECT.y


def to_world(sx: int, sy: int) -> tuple[float, float]:
    return (sx - WORLD_RECT.x) / SCALE, (sy - WORLD_RECT.y) / SCALE
