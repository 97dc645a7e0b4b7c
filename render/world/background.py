"""The static scenery, baked once into one surface: street, lobby, benches, factory floor.

Why baked: a full-screen background is one blit, whatever it shows.  It is rebuilt only when
the factory's group plan changes (capacity slider, a scenario switch) or the language does
(its labels are part of it).
"""

from __future__ import annotations

import pygame

from render import layout as L
from render import palette as P
from render.camera import Camera
from render.fonts import Fonts
from render.i18n import tr
from render.world.sprites import Sprites, plate


def _checker(surf: pygame.Surface, area: pygame.Rect, a: P.Color, b: P.Color, n: int) -> None:
    surf.fill(a, area)
    for y in range(area.top, area.bottom, n):
        for x in range(area.left + ((y - area.top) // n % 2) * n, area.right, 2 * n):
            surf.fill(b, pygame.Rect(x, y, n, n).clip(area))


def build_world(groups: list[L.Group], sprites: Sprites) -> pygame.Surface:
    """The logical-resolution scenery (no text)."""
    s = pygame.Surface((L.WORLD_W, L.WORLD_H))
    # street and sidewalk
    s.fill(P.ASPHALT, L.STREET)
    s.fill(P.CONCRETE, pygame.Rect(10, 0, 26, L.WORLD_H))
    for y in range(0, L.WORLD_H, 16):
        s.fill(P.CONCRETE_DARK, pygame.Rect(10, y, 26, 1))
    for y in range(4, L.WORLD_H, 24):
        s.fill(P.YELLOW, pygame.Rect(4, y, 2, 10))
    # lobby floor, walls, door
    _checker(s, L.LOBBY, P.FLOOR_A, P.FLOOR_B, 8)
    s.fill(P.BROWN_DARK, pygame.Rect(L.WALL_X, 0, 4, L.WORLD_H))
    s.fill(P.FLOOR_A, L.DOOR)
    s.fill(P.GREEN_DARK, pygame.Rect(L.WALL_X - 2, L.DOOR.top - 2, 8, 2))
    s.fill(P.GREEN_DARK, pygame.Rect(L.WALL_X - 2, L.DOOR.bottom, 8, 2))
    # counters with clerks behind them
    clerk = sprites.staff["clerk:down:0"]
    for rect, color in ((L.CASHIER, P.GOLD), (L.DELIVERY, P.TEAL), (L.REFUND, P.RED)):
        s.blit(clerk, (rect.centerx - 4, rect.top - 12))
        s.fill(P.BROWN, rect)
        s.fill(P.TAN, pygame.Rect(rect.x, rect.y, rect.w, 2))
        s.fill(color, pygame.Rect(rect.x, rect.bottom, rect.w, 1))
    _seating(s)
    # factory floor
    s.fill(P.BROWN_DARK, pygame.Rect(L.FACTORY.x - 4, 0, 4, L.WORLD_H))
    _checker(s, L.FACTORY, P.CONCRETE, P.CONCRETE_DARK, 12)
    for g in groups:
        s.fill(P.HEADER_BG, g.header)
        s.fill(P.STEEL, pygame.Rect(g.base_area.x - 2, g.base_area.y - 1,
                                    g.base_area.w + 3, g.base_area.h + 2))
        s.fill(P.NIGHT, pygame.Rect(g.base_area.x - 1, g.base_area.y, g.base_area.w + 1,
                                    g.base_area.h))
        r = g.rent_area
        if not g.rent_cols:
            continue
        s.fill(P.BROWN_DARK, pygame.Rect(r.x - 2, r.y - 1, r.w + 3, r.h + 2))
        for x in range(r.x - 2, r.right + 1, 4):  # hazard stripes mark the rented area
            s.fill(P.YELLOW, pygame.Rect(x, r.y - 1, 2, 1))
            s.fill(P.YELLOW, pygame.Rect(x, r.bottom, 2, 1))
    # supplier's gate
    gate = L.GATE
    s.fill(P.NIGHT, gate)
    for x in range(gate.x, gate.right, 6):
        s.fill(P.STEEL, pygame.Rect(x, gate.y, 2, gate.h))
    s.fill(P.GOLD, pygame.Rect(gate.x, gate.y, gate.w, 2))
    s.blit(sprites.staff["greeter:right:0"], (L.GREETER[0] - 4, L.GREETER[1] - 14))
    return s


def _seating(s: pygame.Surface) -> None:
    """The benches (one plank under each row of seats), the red carpet with room for its sign
    at the bottom, and the gallery's rope."""
    bench = L.BENCHES
    for y in sorted({y for _, y in L.PLACES[L.BENCH].spots} | {L.PLACES[L.BENCH].badge.bottom}):
        s.fill(P.BROWN, pygame.Rect(bench.left + 1, y - 4, bench.width - 2, 3))
        s.fill(P.BROWN_DARK, pygame.Rect(bench.left + 1, y - 1, bench.width - 2, 1))
    # red carpet (VIP lane), its sign at the bottom
    carpet = pygame.Rect(L.CARPET.x - 2, L.CARPET.y - 2, L.CARPET.w + 4,
                         L.CARPET_SIGN_Y + 10 - L.CARPET.y)
    s.fill(P.GOLD, carpet)
    s.fill(P.RED, carpet.inflate(-2, -2))
    s.fill(P.RED_DARK, pygame.Rect(carpet.x + 2, carpet.y + 2, 1, carpet.h - 4))
    # gallery rope
    s.fill(P.GOLD, pygame.Rect(L.GALLERY.x, L.ROPE_Y, L.GALLERY.w, 1))
    for x in range(L.GALLERY.x, L.GALLERY.right, 24):
        s.fill(P.BROWN_DARK, pygame.Rect(x, L.ROPE_Y - 2, 2, 5))


def world_labels(fonts: Fonts, lang: str, groups: list[L.Group], camera: Camera) -> list[tuple]:
    """(surface, screen position) of every static sign over the world, each on a dark plate.

    Where: every sign sits where nobody walks or sits (the aisles, the spots and the street's
    walking lines keep clear of them), and the app draws them over the people.
    """
    out = []

    def put(key: str, x: float, y: float, color: P.Color = P.WHITE, center: bool = True) -> None:
        surf = plate(fonts.label(tr(key, lang), color), P.INK)
        sx, sy = camera.to_screen(x, y)
        if center:
            sx -= surf.get_width() // 2
        out.append((surf, (sx, sy)))

    put("street", 0, 40, P.CLOUD, center=False)
    put("cashier", L.CASHIER.centerx, L.CASHIER.y, P.YELLOW)
    put("delivery", L.DELIVERY.centerx, L.DELIVERY.y, P.CYAN)
    put("refund", L.REFUND.centerx, L.REFUND.y, P.PINK)
    put("door", L.WALL_X - 5, L.DOOR.bottom + 3, P.WHITE)  # right of the way out
    put("vip_lane", L.CARPET.centerx, L.CARPET_SIGN_Y, P.YELLOW)
    put("gallery", L.GALLERY.centerx, L.GALLERY_SIGN_Y, P.WHITE)
    put("supplier", L.GATE.centerx, L.GATE.top - 9, P.YELLOW)
    for g in groups:
        if g.rent_cols:
            put("rented", g.rent_area.centerx, g.header.y + 2, P.YELLOW)
    return out
