"""Slider, button, toggle: small widgets that turn mouse events into actions.

Why actions and not callbacks: ``handle(event)`` returns an action tuple ``(name, args)`` or
None, so a test can drive a widget with synthetic pygame events and see exactly what it asks
for.  Names are :data:`sim.commands.COMMANDS` names, or local ones starting with ``_`` (speed,
language, reset...) that the app handles itself.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from render import palette as P
from render.fonts import Fonts

Action = tuple[str, dict]


class Slider:
    """A horizontal slider over ``values`` (a sorted list of stops); emits on release."""

    def __init__(self, rect: pygame.Rect, label: Callable[[], str], values: list[float],
                 current: Callable[[], float], action: Callable[[float], Action | None],
                 fmt: Callable[[float], str], label_w: int = 128, value_w: int = 64,
                 short: Callable[[], str] | None = None) -> None:
        self.rect = rect                        # whole row: label | track | value
        self.label_w = label_w
        self.short = short                      # the label when the full one does not fit
        self.track = pygame.Rect(rect.x + label_w, rect.y + 7, rect.w - label_w - value_w, 6)
        self.label = label
        self.values = values
        self._index = {v: i for i, v in enumerate(values)}
        self.current = current
        self.action = action
        self.fmt = fmt
        self.dragging: float | None = None
        self.hover = False
        self.drawn: pygame.Rect | None = None   # where the last draw put pixels (tests)
        self.clipped = False                    # the label was cut to fit its column

    def _index_of(self, value: float) -> int:
        i = self._index.get(value)
        if i is not None:
            return i
        vals = self.values
        return min(range(len(vals)), key=lambda i: abs(vals[i] - value))

    def value_at(self, x: int) -> float:
        t = (x - self.track.x) / max(1, self.track.w)
        i = round(max(0.0, min(1.0, t)) * (len(self.values) - 1))
        return self.values[i]

    def x_of(self, value: float) -> int:
        i = self._index_of(value)
        return self.track.x + round(i * self.track.w / max(1, len(self.values) - 1))

    def handle(self, event: pygame.event.Event) -> Action | None:
        grab = self.track.inflate(12, 16)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and \
                grab.collidepoint(event.pos):
            self.dragging = self.value_at(event.pos[0])
        elif event.type == pygame.MOUSEMOTION:
            self.hover = grab.collidepoint(event.pos)
            if self.dragging is not None:
                self.dragging = self.value_at(event.pos[0])
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and \
                self.dragging is not None:
            value = self.value_at(event.pos[0])
            self.dragging = None
            return self.action(value)
        return None

    def shown(self) -> float:
        return self.dragging if self.dragging is not None else self.current()

    def shown_state(self) -> tuple:
        """All that :meth:`draw` depends on (the desk repaints when it changes)."""
        return self.label(), self.shown(), self.hover, self.dragging is not None

    def draw(self, surf: pygame.Surface, fonts: Fonts) -> None:
        """Label (clipped to its column), track, knob and value; ``drawn`` covers them."""
        r = self.rect
        label = fonts.label(self.label(), P.TEXT)
        clip = pygame.Rect(0, 0, self.label_w - 4, label.get_height())
        if label.get_width() > clip.w and self.short is not None:
            label = fonts.label(self.short(), P.TEXT)
        drawn = surf.blit(label, (r.x, r.y), clip)
        self.clipped = label.get_width() > clip.w
        t = self.track
        surf.fill(P.BLACK, t)
        value = self.shown()
        knob_x = self.x_of(value)
        surf.fill(P.TEAL, pygame.Rect(t.x, t.y + 1, knob_x - t.x, t.h - 2))
        knob = pygame.Rect(knob_x - 4, t.y - 5, 9, t.h + 10)
        surf.fill(P.BLACK, knob.inflate(2, 2))
        surf.fill(P.YELLOW if (self.dragging is not None or self.hover) else P.CLOUD, knob)
        shown = surf.blit(fonts.label(self.fmt(value), P.YELLOW), (t.right + 10, r.y))
        self.drawn = drawn.unionall([t, knob, shown])


class Button:
    """A clickable box with a (possibly changing) label; ``lit`` shows an on/active state."""

    def __init__(self, rect: pygame.Rect, label: Callable[[], str],
                 action: Callable[[], Action | None],
                 lit: Callable[[], bool] = lambda: False, key: int | None = None) -> None:
        self.rect = rect
        self.label = label
        self.action = action
        self.lit = lit
        self.key = key
        self.hover = False
        self.pressed = False
        self.lit_face = P.GREEN_DARK            # lit colour: the desk says what "on" means

    def handle(self, event: pygame.event.Event) -> Action | None:
        if event.type == pygame.MOUSEMOTION:
            self.hover = self.rect.collidepoint(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self.pressed = self.rect.collidepoint(event.pos)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            fire = self.pressed and self.rect.collidepoint(event.pos)
            self.pressed = False
            if fire:
                return self.action()
        elif event.type == pygame.KEYDOWN and self.key is not None and event.key == self.key:
            return self.action()
        return None

    def shown_state(self) -> tuple:
        """All that :meth:`draw` depends on (the desk repaints when it changes)."""
        return self.label(), self.lit(), self.hover, self.pressed

    def draw(self, surf: pygame.Surface, fonts: Fonts) -> None:
        r = self.rect
        lit = self.lit()
        face = self.lit_face if lit else (P.SLATE if self.hover else P.NIGHT)
        surf.fill(P.BLACK, r)
        surf.fill(face, r.inflate(-2, -2))
        surf.fill(P.STEEL if not self.pressed else P.BLACK,
                  pygame.Rect(r.x + 1, r.y + 1, r.w - 2, 1))
        text = fonts.label(self.label(), P.WHITE if lit else P.TEXT)
        surf.blit(text, (r.centerx - text.get_width() // 2, r.centery - 8))


class Toggle(Button):
    """A button whose light shows an on/off state read from the simulation."""
