"""The card area: where a card docks — the live twin's comparison, the followed customer —
and the rules every card keeps.

Why one module: a card is shown over the screen while the factory runs, so where it may go is
a promise to the rest of the screen, kept here once: the area is the panel's lower part, below
the key figures (the header, the KPI strip and the money line stay in sight, in every
language), and never over the world (the lobby's queue stays in sight).  The rules:

- at most :data:`MAX_CARDS` cards, one per ``key`` (showing a key again replaces its card; a
  third key pushes the oldest out);
- they stack from the panel's bottom up, the first shown lowest, :data:`GAP` apart;
- a card is as tall as its lines, but never taller than half the area, so two always fit; lines
  that do not fit are dropped and the last one shown says so ("...");
- a line wider than the card is cut with "..." (the text is the caller's, in the language shown:
  the test draws the same card in English and Chinese and nothing is cut);
- each card has a dismiss button (its top-right corner); a press on it asks for
  ``("_dismiss", {"card": key})``.
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


@dataclass(frozen=True, slots=True)
class Card:
    """What a card says: a title and a few lines, already in the language shown."""

    key: str                        # its owner: "twin", "customer"... one card per key
    title: str
    lines: tuple[str, ...] = ()
    accent: P.Color = P.CYAN        # the title's colour and the card's top edge


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
        most = (room.h - GAP * (MAX_CARDS - 1)) // MAX_CARDS
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

    def handle(self, event: pygame.event.Event, lang: str) -> list[tuple[str, dict]]:
        """A press on a card's dismiss button asks to dismiss it."""
        if event.type != pygame.MOUSEBUTTONDOWN or not self.cards:
            return []
        return [("_dismiss", {"card": card.key}) for card, _, button, _ in self.layout(lang)
                if button.collidepoint(event.pos)][:1]

    def draw(self, screen: pygame.Surface, fonts: Fonts, lang: str) -> bool:
        """Draw every card; True when any was drawn."""
        if not self.cards:
            return False
        line = pitch(lang)
        for card, rect, button, shown in self.layout(lang):
            screen.fill(P.BLACK, rect.inflate(4, 4))
            screen.fill(P.NIGHT, rect)
            screen.fill(card.accent, pygame.Rect(rect.x, rect.y, rect.w, 2))
            inner = rect.w - 2 * PAD
            texts = [(fit(fonts, card.title, inner - BUTTON - PAD), card.accent)]
            lines = list(card.lines[:shown])
            if shown < len(card.lines) and lines:
                lines[-1] = ELLIPSIS
            texts += [(fit(fonts, t, inner), P.CLOUD) for t in lines]
            screen.fblits([(fonts.label(t, c), (rect.x + PAD, rect.y + PAD + i * line))
                           for i, (t, c) in enumerate(texts)])
            _cross(screen, button)
        return bool(self.cards)


def _cross(screen: pygame.Surface, button: pygame.Rect) -> None:
    """The dismiss button: an X drawn in pixels (no glyph the font subset may lack)."""
    screen.fill(P.SLATE, button)
    inner = button.inflate(-6, -6)
    for i in range(inner.w):
        screen.fill(P.WHITE, pygame.Rect(inner.x + i, inner.y + i, 1, 1))
        screen.fill(P.WHITE, pygame.Rect(inner.right - 1 - i, inner.y + i, 1, 1))
