"""Every sprite, built once from the pixel maps and converted for fast blits.

Why at start-up and not per frame: a surface converted to the display format blits several
times faster, and the people layer blits hundreds per frame.  All variants a frame can need
(tier x VIP x direction x walking frame, machine x content x state) are made here, so drawing
is dictionary look-ups and ``fblits``.
"""

from __future__ import annotations

import pygame

from render import palette as P
from render.world import pixelmaps as M

DIRECTIONS = ("down", "up", "left", "right")
KEY = (255, 0, 255)         # in no palette: the see-through colour of a converted sprite
FRAMES = 3
PERSON_W, PERSON_H = 8, 14


def from_map(rows: list[str], extra: dict[str, P.Color] | None = None) -> pygame.Surface:
    """A transparent surface painting each map character with its palette colour."""
    keys = dict(M.KEYS)
    if extra:
        keys.update(extra)
    surf = pygame.Surface((len(rows[0]), len(rows)), pygame.SRCALPHA)
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            color = keys.get(ch)
            if color is not None:
                surf.set_at((x, y), color)
    return surf


def _ready(surf: pygame.Surface) -> pygame.Surface:
    """Converted for fast blits once a display exists (tools build sheets without one)."""
    if pygame.display.get_init() and pygame.display.get_surface() is not None:
        return keyed(surf)
    return surf


def plate(text: pygame.Surface, color: P.Color) -> pygame.Surface:
    """``text`` on a solid plate two pixels wider on each side: a sign readable over any
    crowd (world signs and the places' "+N" badges)."""
    w, h = text.get_size()
    s = pygame.Surface((w + 4, h))
    s.fill(color)
    s.blit(text, (2, 0))
    return s.convert() if pygame.display.get_surface() is not None else s


def keyed(surf: pygame.Surface) -> pygame.Surface:
    """The surface in the display format with a colour key, when every pixel is opaque or
    fully transparent (pixel art is): the same pixels on screen as ``convert_alpha``.

    Why: in the browser's pygame-ce (WebAssembly, no SIMD) a per-pixel-alpha blit is ~12x
    slower than a colour-key blit (500 people: 4.8 ms vs 0.4 ms per frame, measured with
    bench/bench_browser.py's page); natively both are fast.  Anything with partial alpha
    keeps ``convert_alpha``.
    """
    opaque = pygame.mask.from_surface(surf, 254).count()
    if pygame.mask.from_surface(surf, 0).count() != opaque:
        return surf.convert_alpha()
    out = pygame.Surface(surf.get_size()).convert()
    out.fill(KEY)
    out.blit(surf, (0, 0))
    if pygame.mask.from_threshold(out, KEY, (1, 1, 1, 255)).count() + opaque != \
            out.get_width() * out.get_height():
        return surf.convert_alpha()          # the key colour is used: keep real alpha
    out.set_colorkey(KEY)   # no RLEACCEL: transforms (grayscale) crash on RLE surfaces
    return out


class Sprites:
    """All sprite surfaces of the scene, keyed by what they show."""

    def __init__(self) -> None:
        self.people: dict[tuple[int, bool, str, int], pygame.Surface] = {}
        for tier in range(len(P.TIER_SHIRTS)):
            shirt = {"S": P.TIER_SHIRTS[tier], "D": P.TIER_SHIRTS_DARK[tier]}
            for vip in (False, True):
                for d in DIRECTIONS:
                    for f in range(FRAMES):
                        surf = from_map(M.person(d, f, vip), shirt)
                        self.people[(tier, vip, d, f)] = _ready(surf)
        self.staff: dict[str, pygame.Surface] = {}
        for name, shirt, dark in (("greeter", P.GREEN, P.GREEN_DARK),
                                  ("clerk", P.SILVER, P.STEEL),
                                  ("dispatcher", P.RED, P.RED_DARK),
                                  ("manager", P.GOLD, P.BROWN)):
            for d in DIRECTIONS:
                for f in range(FRAMES):
                    rows = M.CAP + M.person(d, f, False)[2:]
                    self.staff[f"{name}:{d}:{f}"] = _ready(
                        from_map(rows, {"S": shirt, "D": dark}))
        self.icons: dict[str, pygame.Surface] = {}
        self.machines: dict[tuple[str, bool, bool], pygame.Surface] = {}
        for content, color in P.CONTENT_COLORS.items():
            icon = from_map(M.ICONS[content], {"C": color})
            self.icons[content] = _ready(icon)
            for rented in (False, True):
                for lit in (False, True):
                    base = from_map(M.MACHINE_RENTED if rented else M.MACHINE)
                    screen = P.BLACK if lit else P.NIGHT
                    base.fill(screen, pygame.Rect(2, 2, 8, 6))
                    glyph = icon if lit else from_map(M.ICONS[content], {"C": P.STEEL})
                    base.blit(glyph, (4, 2))
                    self.machines[(content, rented, lit)] = _ready(base)
        self.hourglass = _ready(from_map(M.HOURGLASS))
        self.bubble = _ready(from_map(M.BUBBLE))
        self.coin = _ready(from_map(M.COIN))
        self.bag = _ready(from_map(M.BAG))
        self.crate = _ready(from_map(M.CRATE))
        self.basket = _ready(from_map(M.FRIES_BASKET))

    def person(self, tier: int, vip: bool, direction: str, frame: int) -> pygame.Surface:
        return self.people[(tier % len(P.TIER_SHIRTS), vip, direction, frame)]

    def icon(self, content: str) -> pygame.Surface:
        return self.icons.get(content, self.icons["job"])

    def machine(self, content: str, rented: bool, lit: bool) -> pygame.Surface:
        key = (content if content in P.CONTENT_COLORS else "job", rented, lit)
        return self.machines[key]

    def sheet(self) -> pygame.Surface:
        """Every sprite on one contact sheet (``tools/make_assets.py`` saves it)."""
        groups = [list(self.people.values()), list(self.staff.values()),
                  list(self.icons.values()) + [self.hourglass, self.bubble, self.coin,
                                               self.bag, self.crate, self.basket],
                  list(self.machines.values())]
        width = 2 + max(len(g) for g in groups) * 16
        sheet = pygame.Surface((min(width, 16 * 48 + 2), 2 + 18 * 8), pygame.SRCALPHA)
        y = 2
        for group in groups:
            x = 2
            for surf in group:
                if x + 16 > sheet.get_width():
                    x, y = 2, y + 18
                sheet.blit(surf, (x, y))
                x += 16
            y += 18
        return sheet
