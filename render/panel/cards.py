"""The card area: where a card docks — the live twin's comparison, the followed customer —
and the rules every card keeps.

Why one module: a card is shown over the screen while the factory runs, so where it may go is
a promise to the rest of the screen, kept here once: the area is the panel's lower part, below
the key figures (the header, the KPI strip and the money line stay in sight, in every
language), and never over the world (the lobby's queue stays in sight).  The rules:

- at most :data:`MAX_CARDS` cards, one per ``key`` (showing a key again replaces its card; a
  third key pushes the oldest out);
- they stack from the panel's bottom up, the first shown lowest, :data:`GAP` apart;
- a card is as tall as its lines, but never taller than half the area while two are shown, so
  two always fit (alone, it may take the whole area: the twin's table and its compare line
  in Chinese); lines that do not fit are dropped and the last one shown says so ("...");
- a line wider than the card is cut with "..." (the text is the caller's, in the language shown:
  the test draws the same card in English and Chinese and nothing is cut);
- each card has a dismiss button (its top-right corner); a press on it asks for
  ``("_dismiss", {"card": key})``; a card may offer one action more, a labelled button left
  of it (the twin's "new comparison"), whose press asks for that action;
- a line is a string, or a row of cells ``((text, colour), ...)``: the first left at the
  card's edge, the others right-aligned in equal columns (:data:`COLUMNS`) -- a table of
  figures, each cut to its column.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.panel.dashboard import pitch, stack

MAX_CARDS = 2
GAP = 6            # between cards, and between the area and what it keeps clear of
PAD = 6            # inside a card, around its text
BUTTON = 14        # the dismiss button's side
ELLIPSIS = "..."       # ASCII: the font subset is made from the UI's own text
KEY_FIGURES = ("header", "kpi", "money")    # the panel's sections a card never covers
#: a row's column ends, as shares of the card's inner width (cell 0 fills the first)
COLUMNS = (0.34, 0.56, 0.78, 1.0)
Cell = tuple[str, P.Color]


@dataclass(frozen=True, slots=True)
class Card:
    """What a card says: a title and a few lines, already in the language shown."""

    key: str                        # its owner: "twin", "customer"... one card per key
    title: str
    lines: tuple[str | tuple[Cell, ...], ...] = ()
    accent: P.Color = P.CYAN        # the title's colour and the card's top edge
    action: tuple[str, str] | None = None   # (label, action name): a button beside the X


def area(lang: str, n_models: int = 4) -> pygame.Rect:
    """Where cards may go on the screen: the panel below its key figures."""
    sections = stack(n_models, L.PANEL_RECT.h, pitch(lang))
    top = L.PANEL_RECT.y + max(sections[s].bottom for s in KEY_FIGURES) + GAP
    return pygame.Rect(L.PANEL_RECT.x + GAP, top, L.PANEL_RECT.w - 2 * GAP,
                       L.PANEL_RECT.bottom - GAP - top)


def fit(fonts: Fonts, text: str, width: int) -> str:
    """``text``, cut with "..." where it is wider than ``width`` pixels."""
    if fonts.width(text) <= width:
        return text
    while text and fonts.width(text + ELLIPSIS) > width:
        text = text[:-1]
    return text + ELLIPSIS


class CardArea:
    """The cards shown now, in the order they were shown, and where each one sits."""

    def __init__(self) -> None:
        self.cards: list[Card] = []
        # each card drawn once on a surface of its own, blitted every frame after: a card
        # over the panel costs a blit, not its text again (the frame budget: issue 21)
        self._drawn: dict[tuple, pygame.Surface] = {}

    def show(self, card: Card) -> None:
        """Dock ``card`` (replacing the card of the same key, else after the others)."""
        keys = [c.key for c in self.cards]
        if card.key in keys:
            self.cards[keys.index(card.key)] = card
            return
        self.cards = [*self.cards, card][-MAX_CARDS:]

    def dismiss(self, key: str) -> None:
        self.cards = [c for c in self.cards if c.key != key]

    def layout(self, lang: str) -> list[tuple[Card, pygame.Rect, pygame.Rect, int]]:
        """(card, its rectangle, its dismiss button, how many of its lines fit), the first
        card lowest."""
        room = area(lang)
        line = pitch(lang)
        n = len(self.cards)
        most = (room.h - GAP * (n - 1)) // n if n else room.h
        out = []
        bottom = room.bottom
        for card in self.cards:
            shown = min(len(card.lines), (most - 2 * PAD) // line - 1)
            h = 2 * PAD + (1 + shown) * line
            rect = pygame.Rect(room.x, bottom - h, room.w, h)
            button = pygame.Rect(rect.right - PAD - BUTTON, rect.y + PAD, BUTTON, BUTTON)
            out.append((card, rect, button, shown))
            bottom = rect.y - GAP
        return out

    def handle(self, event: pygame.event.Event, lang: str,
               fonts: Fonts | None = None) -> list[tuple[str, dict]]:
        """A press on a card's dismiss button asks to dismiss it; on its action button, for
        the action."""
        if event.type != pygame.MOUSEBUTTONDOWN or not self.cards:
            return []
        for card, _, button, _ in self.layout(lang):
            if button.collidepoint(event.pos):
                return [("_dismiss", {"card": card.key})]
            if card.action and fonts and action_rect(fonts, card, button).collidepoint(event.pos):
                return [(card.action[1], {})]
        return []

    def draw(self, screen: pygame.Surface, fonts: Fonts, lang: str,
             under: bool = True) -> bool:
        """Put the cards on the screen when the panel under them was put there this frame
        (``under``) or they changed; True when what lies under them must be put on the
        screen again (a card went away or shrank), so the next frame repaints it.

        Why not every frame: the panel is put on the screen only when it changed; cards
        drawn every frame would make it (and themselves) go on the screen every frame --
        at x600 the live twin's card doubled the draw time and the playback lost a third."""
        drawn = {}
        placed = self.layout(lang) if self.cards else []
        for card, rect, button, shown in placed:
            key = (card, lang, rect.topleft, rect.size, shown)
            surf = self._drawn.get(key)
            if surf is None:
                surf = pygame.Surface((rect.w + 4, rect.h + 4))
                if pygame.display.get_surface() is not None:
                    surf = surf.convert()
                at = (2 - rect.x, 2 - rect.y)
                _paint(surf, fonts, lang, card, rect.move(at), button.move(at), shown)
            drawn[key] = surf
        changed = drawn.keys() != self._drawn.keys()
        # a card drawn again in the same place covers its old self: nothing is uncovered
        rects = {(k[2], k[3]) for k in drawn}
        uncovered = changed and any((k[2], k[3]) not in rects for k in self._drawn)
        if under or changed:
            for (_, _, (x, y), _, _), surf in drawn.items():
                screen.blit(surf, (x - 2, y - 2))
        self._drawn = drawn
        return uncovered


def _paint(screen: pygame.Surface, fonts: Fonts, lang: str, card: Card, rect: pygame.Rect,
           button: pygame.Rect, shown: int) -> None:
    """One card, its frame, title, lines and buttons, at ``rect`` on ``screen``."""
    line = pitch(lang)
    screen.fill(P.BLACK, rect.inflate(4, 4))
    screen.fill(P.NIGHT, rect)
    screen.fill(card.accent, pygame.Rect(rect.x, rect.y, rect.w, 2))
    inner = rect.w - 2 * PAD
    head = action_rect(fonts, card, button) if card.action else button
    blits = [(fonts.label(fit(fonts, card.title, head.x - rect.x - 2 * PAD),
                          card.accent), (rect.x + PAD, rect.y + PAD))]
    lines = list(card.lines[:shown])
    if shown < len(card.lines) and lines:
        lines[-1] = ELLIPSIS
    for i, text in enumerate(lines, 1):
        blits += _line(fonts, text, rect.x + PAD, rect.y + PAD + i * line, inner)
    screen.fblits(blits)
    if card.action:
        _action(screen, fonts, card.action[0], head)
    cross(screen, button)


def action_rect(fonts: Fonts, card: Card, button: pygame.Rect) -> pygame.Rect:
    """Where a card's action button sits: left of its dismiss button, as wide as its label."""
    w = fonts.width(card.action[0]) + 8
    return pygame.Rect(button.x - PAD - w, button.y - 1, w, BUTTON + 2)


def _action(screen: pygame.Surface, fonts: Fonts, label: str, rect: pygame.Rect) -> None:
    screen.fill(P.SLATE, rect)
    surf = fonts.label(label, P.WHITE)
    screen.blit(surf, (rect.x + 4, rect.centery - surf.get_height() // 2))


def _line(fonts: Fonts, text, x: int, y: int, inner: int) -> list:
    """The blits of one line: a string, or a row of cells in :data:`COLUMNS`."""
    if isinstance(text, str):
        return [(fonts.label(fit(fonts, text, inner), P.CLOUD), (x, y))]
    out = []
    left = 0
    for i, (cell, colour) in enumerate(text[:len(COLUMNS)]):
        right = int(inner * COLUMNS[i])
        surf = fonts.label(fit(fonts, cell, right - left - 4), colour)
        out.append((surf, (x if i == 0 else x + right - surf.get_width(), y)))
        left = right
    return out


def cross(screen: pygame.Surface, button: pygame.Rect, inset: int = 6, stroke: int = 1) -> None:
    """A dismiss button: an X drawn in pixels (no glyph the font subset may lack), ``inset``
    pixels inside the button, ``stroke`` pixels thick (the share dialog's is bigger)."""
    screen.fill(P.SLATE, button)
    inner = button.inflate(-inset, -inset)
    for i in range(inner.w):
        screen.fill(P.WHITE, pygame.Rect(inner.x + i, inner.y + i, stroke, stroke))
        screen.fill(P.WHITE, pygame.Rect(inner.right - stroke - i, inner.y + i, stroke, stroke))
