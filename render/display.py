"""The window: the app draws on a logical 1280x720 canvas, shown on whatever the display is now.

Why: SDL replaces the window's surface whenever the window changes size (a window manager that
snaps or tiles it, the fullscreen toggle), and pygame keeps the same Python object for it, so a
subsurface made from it earlier points at freed pixels: drawing there is a segfault under X11.
So nothing outside this module holds the display surface: the app draws on a canvas of its own
that never changes, and :meth:`Display.present` asks pygame for the display surface every frame.

Scaling: the largest integer factor while the window holds at least 1x (the pixel art stays
crisp), a smooth downscale below 1x (a small window still shows everything), black bars
around.  Mouse events are mapped back to canvas pixels, so every widget works at any size;
the wheel, which carries no position, gets the canvas pixel under the mouse.

In the browser ``set_mode`` flags are forced to 0 and the page keeps the canvas at 1280x720
(default.tmpl's CSS scales it to the browser window), so presenting is a 1:1 blit there.
"""

from __future__ import annotations

import sys

import pygame

from render import layout as L
from render.touch import Touch

LOGICAL = (L.SCREEN_W, L.SCREEN_H)
BARS = (0, 0, 0)
MOUSE_EVENTS = (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP)
RESIZE_EVENTS = (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED)
FINGER_EVENTS = (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP)


def fit(window: tuple[int, int], logical: tuple[int, int] = LOGICAL) -> pygame.Rect | None:
    """Where the picture lands in a window of this size (None: nothing fits, e.g. minimised).

    An integer scale at 1x and above; below 1x the exact fraction that keeps the aspect."""
    ww, wh = window
    lw, lh = logical
    if ww <= 0 or wh <= 0:
        return None
    scale = min(ww / lw, wh / lh)
    if scale >= 1.0:
        scale = int(scale)
    w = max(1, min(ww, round(lw * scale)))
    h = max(1, min(wh, round(lh * scale)))
    return pygame.Rect((ww - w) // 2, (wh - h) // 2, w, h)


class Display:
    """The window, its logical canvas, the scaling between them and the fullscreen toggle."""

    def __init__(self, touch: Touch | None = None) -> None:
        self.canvas = pygame.Surface(LOGICAL)
        if pygame.display.get_surface() is not None:
            self.canvas = self.canvas.convert()
        self.fullscreen = False
        self.touch = touch if touch is not None else Touch()   # pinch, loupe (render/touch)

    # -- each frame ---------------------------------------------------------------------------
    def present(self) -> None:
        """Show the canvas on the current display surface: scaled to fit, letterboxed."""
        surface = pygame.display.get_surface()
        if surface is None:
            return
        picture = self.touch.view(self.canvas)    # the canvas, or the loupe's part of it
        size = surface.get_size()
        if size == LOGICAL:
            surface.blit(picture, (0, 0))
            return
        rect = fit(size)
        if rect is None:
            return
        w, h = size
        for bar in ((0, 0, w, rect.top), (0, rect.bottom, w, h - rect.bottom),
                    (0, rect.top, rect.left, rect.h), (rect.right, rect.top, w - rect.right,
                                                       rect.h)):
            if bar[2] > 0 and bar[3] > 0:
                surface.fill(BARS, bar)
        if rect.size == LOGICAL:
            surface.blit(picture, rect)
            return
        scale = pygame.transform.scale if rect.w > LOGICAL[0] else pygame.transform.smoothscale
        try:  # straight into the window (a subsurface made and dropped in this frame)
            scale(picture, rect.size, surface.subsurface(rect))
        except ValueError:  # the window's pixel format differs from the canvas's
            surface.blit(scale(picture, rect.size), rect)

    # -- input --------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        """Window events this module owns (True: consumed, the app never sees them).

        Touch: SDL turns the first finger into mouse events as well (seen in the browser's
        pygame-ce: FINGERDOWN then MOUSEBUTTONDOWN with ``touch=True``, FINGERMOTION and
        MOUSEMOTION, FINGERUP and MOUSEBUTTONUP), so the finger events themselves are
        consumed here: the app reads the mouse events, once, and a touch's mouse events
        carry ``touch`` for the widgets that give a fingertip more room.  The fingers go
        to :class:`render.touch.Touch`, which tells a pinch to the app as wheel steps."""
        if event.type in FINGER_EVENTS:
            self.touch.finger(event, self.finger_to_canvas)
            return True
        if event.type == pygame.MULTIGESTURE:    # SDL's own reading of the fingers: ours
            return True                          # is the one above
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return True
        # the next present() reads the new size itself; nothing is cached to forget
        return event.type in RESIZE_EVENTS

    def map_event(self, event: pygame.event.Event) -> pygame.event.Event | None:
        """A mouse event in canvas pixels (None: a press on the black bars, outside the
        picture, or a touch the fingers' gesture took: :meth:`render.touch.Touch.route`).

        Motion and release outside the picture are clamped to its edge, so a slider dragged
        past the picture follows to its end and still lets go."""
        mapped = self._to_picture(event)
        return None if mapped is None else self.touch.route(mapped)

    def finger_to_canvas(self, x: float, y: float) -> tuple[float, float]:
        """A finger's point (0..1 of the window) as a pixel of the picture."""
        surface = pygame.display.get_surface()
        size = surface.get_size() if surface is not None else LOGICAL
        pos = (min(size[0] - 1, int(x * size[0])), min(size[1] - 1, int(y * size[1])))
        rect = fit(size)
        return pos if size == LOGICAL or rect is None else self.to_logical(pos, rect)

    def _to_picture(self, event: pygame.event.Event) -> pygame.event.Event | None:
        if event.type == pygame.MOUSEWHEEL:
            return self.map_wheel(event)
        if event.type not in MOUSE_EVENTS:
            return event
        surface = pygame.display.get_surface()
        if surface is None or surface.get_size() == LOGICAL:
            return event
        rect = fit(surface.get_size())
        if rect is None:
            return None
        if event.type == pygame.MOUSEBUTTONDOWN and not rect.collidepoint(event.pos):
            return None
        attrs = dict(event.dict)
        attrs["pos"] = self.to_logical(event.pos, rect)
        if "rel" in attrs:
            attrs["rel"] = tuple(round(d * LOGICAL[0] / rect.w) for d in attrs["rel"])
        return pygame.event.Event(event.type, attrs)

    def map_wheel(self, event: pygame.event.Event,
                  mouse: tuple[int, int] | None = None) -> pygame.event.Event | None:
        """A wheel event given the canvas pixel under the mouse as ``pos`` (SDL's wheel
        event carries none; the world zooms about it).  None: over the black bars."""
        if "pos" in event.dict:          # a pinch's step (render/touch.py): canvas pixels
            return event
        surface = pygame.display.get_surface()
        window = mouse if mouse is not None else pygame.mouse.get_pos()
        attrs = dict(event.dict)
        if surface is None or surface.get_size() == LOGICAL:
            attrs["pos"] = tuple(window)
            return pygame.event.Event(event.type, attrs)
        rect = fit(surface.get_size())
        if rect is None or not rect.collidepoint(window):
            return None
        attrs["pos"] = self.to_logical(window, rect)
        return pygame.event.Event(event.type, attrs)

    @staticmethod
    def to_logical(pos: tuple[int, int], rect: pygame.Rect) -> tuple[int, int]:
        """The canvas pixel under a window pixel (clamped to the picture)."""
        x = min(max(pos[0], rect.left), rect.right - 1)
        y = min(max(pos[1], rect.top), rect.bottom - 1)
        return ((x - rect.left) * LOGICAL[0] // rect.w, (y - rect.top) * LOGICAL[1] // rect.h)

    def toggle_fullscreen(self) -> bool:
        """Projector mode on/off: the whole screen, the picture at its largest integer scale.

        In the browser the page asks for fullscreen instead (its CSS fills the screen)."""
        if sys.platform == "emscripten":
            return _page_fullscreen()
        try:
            if self.fullscreen:
                pygame.display.set_mode(LOGICAL)
            else:
                pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        except pygame.error:
            return False
        self.fullscreen = not self.fullscreen
        return True


def _page_fullscreen() -> bool:
    """Browser only: toggle the page's fullscreen (the F11 key itself may go to the browser)."""
    try:
        import platform  # pygbag's module in the browser: ``window`` is the page's

        doc = platform.window.document
        if doc.fullscreenElement:
            doc.exitFullscreen()
        else:
            doc.documentElement.requestFullscreen()
    except Exception:  # noqa: BLE001 -- a page that refuses fullscreen keeps running
        return False
    return True
