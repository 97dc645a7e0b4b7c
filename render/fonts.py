"""The pixel font and the label cache: text is rendered once per (text, colour).

Why a cache: rendering a string costs far more than blitting it, and the browser's Python is
slow.  Labels that never change are made once; numbers that change are rendered when they
change, never again while they stay the same.  One face (GNU Unifont, subset) covers Latin
and Chinese at its native 16 px, so every glyph is crisp without antialiasing.
"""

from __future__ import annotations

import pygame

from render.paths import FONT_FILE

SIZE = 16
LINE_H = 16
CACHE_MAX = 4096


class Fonts:
    """Loads the subset Unifont and caches rendered labels by (text, colour, size)."""

    def __init__(self) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self._fonts: dict[int, pygame.font.Font] = {}
        self._cache: dict[tuple[str, tuple[int, int, int], int], pygame.Surface] = {}
        self.renders = 0  # how many times text was actually rendered (tests watch it)

    def font(self, size: int = SIZE) -> pygame.font.Font:
        f = self._fonts.get(size)
        if f is None:
            f = pygame.font.Font(str(FONT_FILE), size) if FONT_FILE.exists() else \
                pygame.font.Font(None, size + 4)
            self._fonts[size] = f
        return f

    def label(self, text: str, color: tuple[int, int, int], size: int = SIZE) -> pygame.Surface:
        """The rendered ``text``; rendered at most once while it stays in the cache."""
        key = (text, color, size)
        surf = self._cache.get(key)
        if surf is None:
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
            surf = self.font(size).render(text, False, color)
            if pygame.display.get_surface() is not None:
                # unantialiased text comes with a colour key: keep it (the browser's
                # pygame-ce blits colour keys far faster than per-pixel alpha, see
                # sprites.keyed)
                if surf.get_colorkey() is not None:
                    surf = surf.convert()
                else:
                    surf = surf.convert_alpha()
            self._cache[key] = surf
            self.renders += 1
        return surf

    def width(self, text: str, size: int = SIZE) -> int:
        return self.label(text, (255, 255, 255), size).get_width()
