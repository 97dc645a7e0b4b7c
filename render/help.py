"""The help overlay: keyboard shortcuts, the legend of every symbol, and a glossary.

Why the legend draws the real sprites: a stakeholder asks "what is the orange box?" while
pointing at the screen, so the answer must show the very pixels of the scene (from
:class:`~render.world.sprites.Sprites` and the machines' overlays), not a description of them.  The
glossary gives the terms the dashboard uses (3x breaker, p95, dropout, service level ...) one
definition in both languages.

The page is baked once per language (a few hundred labels) and blitted while help is open.
Rows are data (:data:`SYMBOLS`, :data:`TERMS`, :data:`KEYS`); a new symbol is a new row.
"""

from __future__ import annotations

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import tr
from render.world.machines import Machines, Overlays
from render.world.people import wait_bar
from render.world.sprites import Sprites
from sim import Snapshot

KEYS = ("help_space", "help_speed", "help_model", "help_outage", "help_dispatch",
        "help_clear", "help_rent", "help_auto", "help_reset", "help_scenario", "help_lang",
        "help_help", "help_fullscreen", "help_follow", "help_overview", "help_zoom",
        "help_share")
TERMS = ("term_breaker", "term_p95", "term_dropout", "term_service", "term_circuit",
         "term_dead_letter")

BOX = pygame.Rect(12, 6, L.SCREEN_W - 24, L.SCREEN_H - 12)
LEFT_X = BOX.x + 20
KEY_W = 72                       # the key column; descriptions start after it
RIGHT_X = BOX.x + 456
RIGHT_W = BOX.right - 20 - RIGHT_X
LEFT_W = RIGHT_X - 24 - LEFT_X
PITCH = 20                       # >= 18 px: 16 px CJK glyphs must not touch
SPRITE_SCALE = 2
ICON_W = 84                      # the sprite column of the legend
ROW_MIN_H = 22                   # a legend row: its tallest sprite + 2, at least this
TITLE_GAP = 4


def _scaled(surf: pygame.Surface) -> pygame.Surface:
    w, h = surf.get_size()
    return pygame.transform.scale(surf, (w * SPRITE_SCALE, h * SPRITE_SCALE))


def _with(base: pygame.Surface, *overs: tuple[pygame.Surface, tuple[int, int]],
          size: tuple[int, int] | None = None, at: tuple[int, int] = (0, 0)) -> pygame.Surface:
    """A small composition of real sprites, as the scene stacks them (person + sign)."""
    surf = pygame.Surface(size or base.get_size(), pygame.SRCALPHA)
    surf.blit(base, at)
    for o, pos in overs:
        surf.blit(o, pos)
    return surf


def symbol_rows(sp: Sprites) -> list[tuple[str, list[pygame.Surface]]]:
    """(label key, sprites to show) for every symbol of the scene, unscaled."""
    ov = Overlays()
    walker = sp.person(0, False, "down", 0)
    signed = (8, 18)           # a sign over a head, cut below the shoulders
    busy = sp.machine("image", False, True)
    bar = pygame.Surface((12, 2))
    bar.fill(P.BLACK)
    bar.fill(P.LIME, pygame.Rect(0, 0, 7, 1))
    supply = pygame.Surface((8, 1))
    supply.fill(P.YELLOW)
    return [
        ("sym_tiers", [sp.person(t, False, "down", 0) for t in range(len(P.TIER_SHIRTS))]),
        ("sym_crown", [sp.person(1, True, "down", 0)]),
        ("sym_bar", [_with(walker, (wait_bar(f, hue), (0, 0)), size=(8, 14), at=(0, 1))
                     for f, hue in ((3, 0), (5, 1), (8, 2))]),
        ("sym_hourglass", [_with(walker, (sp.hourglass, (1, 0)), size=signed, at=(0, 5))]),
        ("sym_asked", [_with(walker, (sp.bubble, (0, 0)), size=(10, 18), at=(1, 10))]),
        ("sym_coin", [_with(walker, (sp.coin, (6, 6)), size=(12, 14))]),
        ("sym_product", [_with(walker, (sp.icon("image"), (6, 6)), size=(12, 14))]),
        ("sym_busy", [_with(busy, (bar, (0, 12)), size=(12, 14))]),
        ("sym_rented", [sp.machine("image", True, True), sp.machine("image", True, False)]),
        ("sym_failed", [_with(busy, (ov.flash, (2, 2)))]),
        ("sym_down", [Machines(sp).broken("image", False)]),
        ("sym_crate", [_with(sp.crate, (supply, (0, 11)), size=(10, 12))]),
        ("sym_bag", [sp.bag]),
        ("sym_basket", [sp.basket]),
    ]


def wrap(fonts: Fonts, text: str, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width`` px: at spaces, or anywhere in CJK text."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        trial = line + token
        if line and fonts.width(trial.rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = trial
    if line.strip():
        lines.append(line.rstrip())
    return lines


NO_LINE_START = set("。，、；：！？）」』,.;:!?)")


def _tokens(text: str) -> list[str]:
    """Words with their trailing space; each wide (CJK) character is a token of its own,
    except that closing punctuation stays with the character before it."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch in NO_LINE_START and out and not word:
            out[-1] += ch
        elif ord(ch) > 0x2E80:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out


class HelpOverlay:
    """The help page over a dimmed scene, baked once per language."""

    def __init__(self, sprites: Sprites | None = None) -> None:
        self.sprites = sprites
        self._pages: dict[tuple[str, str], pygame.Surface] = {}
        self.bottom: dict[str, int] = {}          # lowest y written per language (tests)

    def draw(self, screen: pygame.Surface, fonts: Fonts, lang: str,
             snap: Snapshot | None = None) -> None:
        """The page; the digit keys it lists are the run's models (1..9) in ``snap``."""
        n = min(9, len(snap.stations)) if snap is not None else 4
        picks = f"1-{n}" if n > 1 else "1"
        page = self._pages.get((lang, picks))
        if page is None:
            page = self._pages[(lang, picks)] = self.bake(fonts, lang, picks)
        screen.blit(page, (0, 0))

    def bake(self, fonts: Fonts, lang: str, picks: str = "1-4") -> pygame.Surface:
        """The whole overlay for ``lang``: the dimming shade with the page on it."""
        page = pygame.Surface((L.SCREEN_W, L.SCREEN_H), pygame.SRCALPHA)
        page.fill((*P.BLACK, 160))
        page.fill(P.YELLOW, BOX.inflate(4, 4))
        page.fill(P.INK, BOX)
        page.fill(P.SLATE, pygame.Rect(RIGHT_X - 12, BOX.y + 14, 1, BOX.h - 28))
        y_left = self._shortcuts(page, fonts, lang, picks)
        y_right = self._glossary(page, fonts, lang, self._legend(page, fonts, lang) + 8)
        self.bottom[lang] = max(y_left, y_right)
        return page.convert_alpha() if pygame.display.get_surface() is not None else page

    def _shortcuts(self, surf: pygame.Surface, fonts: Fonts, lang: str, picks: str) -> int:
        """Keys and what they do, in two columns (so 空格 and SPACE line up); ``picks``
        names the digit keys that choose a model."""
        y = BOX.y + 12
        surf.blit(fonts.label(tr("help_title", lang), P.YELLOW), (LEFT_X, y))
        y += PITCH + TITLE_GAP
        for k in KEYS:
            text = tr(k, lang, picks) if k == "help_model" else tr(k, lang)
            key, _, what = text.partition("  ")
            surf.blit(fonts.label(key.strip(), P.YELLOW), (LEFT_X, y))
            surf.blit(fonts.label(what.strip(), P.CLOUD), (LEFT_X + KEY_W, y))
            y += PITCH
        y += 12
        for k in ("help_hover", "help_badge", "help_timeline"):
            for line in wrap(fonts, tr(k, lang), LEFT_W):
                surf.blit(fonts.label(line, P.CYAN), (LEFT_X, y))
                y += PITCH
            y += 6
        return y

    def _legend(self, surf: pygame.Surface, fonts: Fonts, lang: str) -> int:
        """One row per symbol: the sprites at twice the world's pixel size, then the words."""
        y = BOX.y + 12
        surf.blit(fonts.label(tr("help_legend_title", lang), P.YELLOW), (RIGHT_X, y))
        y += PITCH + TITLE_GAP
        for key, sprites in symbol_rows(self.sprites or Sprites()):
            bigs = [_scaled(s) for s in sprites]
            row_h = max(ROW_MIN_H, max(b.get_height() for b in bigs) + 2)
            x = RIGHT_X
            for big in bigs:
                surf.blit(big, (x, y + (row_h - 2 - big.get_height()) // 2))
                x += big.get_width() + 4
            text = fonts.label(tr(key, lang), P.CLOUD)
            surf.blit(text, (RIGHT_X + ICON_W, y + (row_h - 18) // 2))
            y += row_h
        return y

    def _glossary(self, surf: pygame.Surface, fonts: Fonts, lang: str, y: int) -> int:
        surf.blit(fonts.label(tr("help_glossary_title", lang), P.YELLOW), (RIGHT_X, y))
        y += PITCH + TITLE_GAP
        heads = [fonts.label(tr(key, lang), P.YELLOW) for key in TERMS]
        indent = max(ICON_W, *(h.get_width() + 12 for h in heads))
        for key, head in zip(TERMS, heads, strict=True):
            surf.blit(head, (RIGHT_X, y))
            for line in wrap(fonts, tr(key + "_def", lang), RIGHT_W - indent):
                surf.blit(fonts.label(line, P.CLOUD), (RIGHT_X + indent, y))
                y += PITCH
            y += 2
        return y
