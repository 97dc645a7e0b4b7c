"""Sprites and labels are colour-keyed surfaces that show exactly what alpha surfaces would.

Why: the browser's pygame-ce (WebAssembly, no SIMD) blits per-pixel alpha ~12x slower than a
colour key (bench/bench_browser.py); pixel art is all opaque or see-through, so a colour key
shows the same pixels.  These tests hold both halves: the fast kind is used, and the picture
is the same.
"""

from __future__ import annotations

import random

import pygame

from render.fonts import Fonts
from render.world import sprites as S


def _backdrop(size: tuple[int, int]) -> pygame.Surface:
    rng = random.Random(3)
    surf = pygame.Surface(size).convert()
    for x in range(size[0]):
        for y in range(size[1]):
            surf.set_at((x, y), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    return surf


def _shown(sprite: pygame.Surface, backdrop: pygame.Surface) -> bytes:
    out = backdrop.copy()
    out.blit(sprite, (1, 1))
    return pygame.image.tobytes(out, "RGB")


def _all(sprites: S.Sprites) -> list[pygame.Surface]:
    return [*sprites.people.values(), *sprites.staff.values(), *sprites.icons.values(),
            *sprites.machines.values(), sprites.hourglass, sprites.bubble, sprites.coin,
            sprites.bag, sprites.crate, sprites.basket]


def test_every_sprite_is_colour_keyed(screen):
    for surf in _all(S.Sprites()):
        assert surf.get_colorkey() is not None
        assert not surf.get_flags() & pygame.SRCALPHA
        # not RLE-accelerated: pygame.transform.grayscale (machines' broken look) segfaults
        # on an RLE surface
        assert not surf.get_flags() & (pygame.RLEACCEL | pygame.RLEACCELOK)


def test_keyed_sprites_show_the_same_pixels_as_alpha(screen):
    person = S.from_map(S.M.person("left", 1, True), {"S": (10, 200, 30), "D": (5, 90, 20)})
    machine = S.from_map(S.M.MACHINE_RENTED)
    for surf in (person, machine):
        backdrop = _backdrop((surf.get_width() + 2, surf.get_height() + 2))
        assert _shown(S.keyed(surf), backdrop) == _shown(surf.convert_alpha(), backdrop)


def test_partial_alpha_and_the_key_colour_keep_real_alpha(screen):
    glass = pygame.Surface((4, 4), pygame.SRCALPHA)
    glass.fill((200, 100, 50, 128))
    assert S.keyed(glass).get_flags() & pygame.SRCALPHA
    magenta = pygame.Surface((4, 4), pygame.SRCALPHA)
    magenta.fill(S.KEY + (255,))
    magenta.set_at((0, 0), (0, 0, 0, 0))
    kept = S.keyed(magenta)
    assert kept.get_flags() & pygame.SRCALPHA and kept.get_at((1, 1)) == S.KEY + (255,)


def test_labels_are_colour_keyed_and_show_the_same_pixels(screen):
    fonts = Fonts()
    for text in ("River Factory 03:28", "中文 退款"):
        label = fonts.label(text, (250, 220, 90))
        assert label.get_colorkey() is not None and not label.get_flags() & pygame.SRCALPHA
        assert not label.get_flags() & (pygame.RLEACCEL | pygame.RLEACCELOK)
        alpha = fonts.font().render(text, False, (250, 220, 90)).convert_alpha()
        backdrop = _backdrop((label.get_width() + 2, label.get_height() + 2))
        assert _shown(label, backdrop) == _shown(alpha, backdrop)
