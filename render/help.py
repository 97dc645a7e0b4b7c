"""The help overlay: keyboard shortcuts and the legend, over a dimmed scene."""

from __future__ import annotations

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import tr

KEYS = ("help_space", "help_speed", "help_model", "help_outage", "help_dispatch",
        "help_clear", "help_rent", "help_auto", "help_reset", "help_scenario", "help_lang",
        "help_help")


class HelpOverlay:
    def __init__(self) -> None:
        self._shade: pygame.Surface | None = None

    def draw(self, screen: pygame.Surface, fonts: Fonts, lang: str) -> None:
        if self._shade is None:
            self._shade = pygame.Surface((L.SCREEN_W, L.SCREEN_H), pygame.SRCALPHA)
            self._shade.fill((*P.BLACK, 160))
        screen.blit(self._shade, (0, 0))
        lines = [tr(k, lang) for k in KEYS]
        w = 520
        h = 16 * (len(lines) + 5) + 24
        box = pygame.Rect((L.SCREEN_W - w) // 2, (L.SCREEN_H - h) // 2, w, h)
        screen.fill(P.YELLOW, box.inflate(4, 4))
        screen.fill(P.INK, box)
        screen.blit(fonts.label(tr("help_title", lang), P.YELLOW), (box.x + 16, box.y + 10))
        y = box.y + 34
        for t in lines:
            screen.blit(fonts.label(t, P.CLOUD), (box.x + 16, y))
            y += 16
        y += 8
        for k in ("help_hover", "help_legend"):
            screen.blit(fonts.label(tr(k, lang), P.CYAN), (box.x + 16, y))
            y += 16
        for i, color in enumerate(P.TIER_SHIRTS):
            r = pygame.Rect(box.x + 16 + i * 60, y + 8, 12, 12)
            screen.fill(color, r)
            screen.blit(fonts.label(f"L{i + 1}", P.CLOUD), (r.right + 4, y + 6))
