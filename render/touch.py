"""Fingers: a pinch zooms the world, and a loupe makes the desk's targets finger-sized.

Why here, beside the window (:mod:`render.display`), and not in the app: SDL already turns
the first finger into mouse events (``touch=True``), so a tap presses a button, a drag slides
a slider or, on a zoomed-in world, pans it (:mod:`render.follow`) -- the app needs nothing
new.  What a mouse cannot say is told here in the mouse's words:

* **Pinch**: two fingers spreading (or closing) by :data:`PINCH_STEP` is one wheel step in
  (or out) about the point between them: a ``MOUSEWHEEL`` posted with its canvas ``pos``, so
  the app zooms as it does for the wheel (the camera's integer zooms 1..4).  While two
  fingers are down, and until the last one lifts, the first finger's mouse motion is dropped:
  a pinch does not also drag the world.
* **Loupe**: on a phone the 1280x720 picture is shrunk to a few hundred CSS pixels, and the
  desk's rows (24 canvas px apart) become 13 CSS px: smaller than a fingertip.  Where a row
  would show smaller than :data:`FINGER_CSS_PX`, the first tap outside the world magnifies
  the canvas around it by the whole factor that makes a row at least that tall (at most
  :data:`LOUPE_MAX`), and that tap does nothing else; the next gesture acts on the magnified
  desk (mapped back to canvas pixels) and its release closes the loupe.  A press with the
  mouse, or :data:`LOUPE_IDLE_S` without a touch, closes it too.

Only a page can say how large its canvas shows (``page_scale``: the canvas's CSS box); a
native window gets no loupe, nor a page whose rows already show finger-sized (a canvas
shown at 5/3 of its size or more).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable

import pygame

from render import layout as L
from render.panel.controls import ROW_H

LOGICAL = (L.SCREEN_W, L.SCREEN_H)
#: the smallest target a fingertip hits reliably, in CSS pixels (Apple asks 44 pt, Material
#: 48 dp; 40 is the floor this app keeps)
FINGER_CSS_PX = 40
#: the desk's smallest pitch between targets (slider rows; buttons are 26 + 4 apart)
TARGET_PX = ROW_H
LOUPE_MAX = 4           # 320x180 canvas pixels: still a whole slider and its value
LOUPE_IDLE_S = 8.0
#: the bands a loupe shows whole, top to bottom, when one is tapped
STRIPS = (L.TIMELINE_RECT, L.CONTROLS_RECT)
PINCH_STEP = 1.4        # the fingers' spread grows (or shrinks) by this much per zoom step


def loupe_factor(css_per_px: float) -> int:
    """How much the loupe magnifies when a canvas pixel shows ``css_per_px`` CSS pixels:
    the least whole factor making :data:`TARGET_PX` at least :data:`FINGER_CSS_PX` tall
    (1: no loupe needed), at most :data:`LOUPE_MAX`."""
    if css_per_px <= 0:
        return 1
    return max(1, min(LOUPE_MAX, math.ceil(FINGER_CSS_PX / (TARGET_PX * css_per_px) - 1e-9)))


def page_scale() -> float | None:
    """CSS pixels per canvas pixel of the page's canvas (None: not in a browser)."""
    if sys.platform != "emscripten":
        return None
    try:
        try:
            import js  # Pyodide

            doc = js.document
        except ImportError:
            import platform  # pygbag

            doc = platform.window.document
        box = doc.getElementById("canvas").getBoundingClientRect()
        return min(float(box.width) / LOGICAL[0], float(box.height) / LOGICAL[1])
    except Exception:  # noqa: BLE001 -- no page to measure: treat as a large screen
        return None


class Touch:
    """The fingers down now (canvas pixels), the pinch in progress and the loupe."""

    def __init__(self, css_per_px: Callable[[], float | None] = page_scale) -> None:
        self.css_per_px = css_per_px
        self.fingers: dict[int, tuple[float, float]] = {}
        self.spread: float | None = None    # the fingers' distance at the last zoom step
        self.pinched = False                # a pinch happened in this gesture
        self.loupe: pygame.Rect | None = None   # the canvas part magnified, or None
        self.k = 1
        self.swallow = False                # the loupe's opening tap: its motion and release
        self.touched = 0.0                  # time.monotonic() of the last touch
        self._view: pygame.Surface | None = None

    # -- fingers --------------------------------------------------------------------------------
    def finger(self, event: pygame.event.Event, to_canvas) -> None:
        """A FINGERDOWN/MOTION/UP (``x``, ``y`` in 0..1 of the window); ``to_canvas`` maps
        a window pixel to the canvas.  Posts the pinch's wheel steps."""
        self.touched = time.monotonic()
        fid = getattr(event, "finger_id", 0)
        if event.type == pygame.FINGERUP:
            self.fingers.pop(fid, None)
            if len(self.fingers) < 2:
                self.spread = None
            if not self.fingers:
                self.pinched = False
            return
        self.fingers[fid] = self.to_loupe(to_canvas(event.x, event.y))
        if len(self.fingers) != 2:
            return
        (ax, ay), (bx, by) = self.fingers.values()
        spread = math.hypot(ax - bx, ay - by)
        if self.spread is None:
            self.spread, self.pinched = max(spread, 1.0), True
            return
        ratio = spread / self.spread
        if ratio >= PINCH_STEP or ratio <= 1 / PINCH_STEP:
            self.spread = max(spread, 1.0)
            pos = (round((ax + bx) / 2), round((ay + by) / 2))
            pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, {
                "x": 0, "y": 1 if ratio > 1 else -1, "flipped": False, "touch": True,
                "precise_x": 0.0, "precise_y": 1.0 if ratio > 1 else -1.0, "pos": pos}))

    # -- the mouse events SDL made of the first finger --------------------------------------------
    def route(self, event: pygame.event.Event) -> pygame.event.Event | None:
        """A mouse event in canvas pixels, through the loupe when it is open; None when it
        goes nowhere (a pinch's motion, the tap that opened the loupe)."""
        if event.type not in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP):
            return event
        touch = bool(getattr(event, "touch", False))
        if touch:
            self.touched = time.monotonic()
        if self.swallow:
            if event.type == pygame.MOUSEBUTTONUP:
                self.swallow = False
            return None if touch else self._close_for_mouse(event)
        if touch and self.pinched and event.type == pygame.MOUSEMOTION:
            return None
        if event.type == pygame.MOUSEBUTTONDOWN:
            if not touch:
                return self._close_for_mouse(event)
            if self.loupe is None and not L.WORLD_RECT.collidepoint(event.pos):
                k = loupe_factor(self.css_per_px() or 0.0)
                if k > 1:
                    self.open_loupe(event.pos, k)
                    self.swallow = True
                    return None
        out = self._through_loupe(event)
        if touch and event.type == pygame.MOUSEBUTTONUP and self.loupe is not None:
            self.loupe = None                 # the acting gesture is over
        return out

    def _close_for_mouse(self, event: pygame.event.Event) -> pygame.event.Event:
        if event.type == pygame.MOUSEBUTTONDOWN:
            self.loupe, self.swallow = None, False
        return self._through_loupe(event)

    def _through_loupe(self, event: pygame.event.Event) -> pygame.event.Event:
        if self.loupe is None or not hasattr(event, "pos"):
            return event
        attrs = dict(event.dict)
        attrs["pos"] = self.to_loupe(event.pos)
        if "rel" in attrs:
            attrs["rel"] = tuple(round(d / self.k) for d in attrs["rel"])
        return pygame.event.Event(event.type, attrs)

    # -- the loupe ------------------------------------------------------------------------------
    def open_loupe(self, pos: tuple[int, int], k: int) -> None:
        """Magnify the canvas ``k`` times around ``pos`` (kept inside the canvas).  Across,
        centred on the tap; down, centred on the strip tapped (the timeline, the desk: all
        its rows in view, as x4 still allows), else on the tap."""
        w, h = LOGICAL[0] // k, LOGICAL[1] // k
        strip = next((r for r in STRIPS if r.collidepoint(pos)), None)
        cy = strip.centery if strip is not None and strip.h <= h else pos[1]
        x = min(max(0, pos[0] - w // 2), LOGICAL[0] - w)
        y = min(max(0, cy - h // 2), LOGICAL[1] - h)
        self.loupe, self.k = pygame.Rect(x, y, w, h), k

    def offset(self) -> tuple[int, int]:
        """Where the magnified part sits in the picture (centred: 1280/3 is not whole)."""
        w, h = self.loupe.w * self.k, self.loupe.h * self.k
        return (LOGICAL[0] - w) // 2, (LOGICAL[1] - h) // 2

    def to_loupe(self, pos: tuple[float, float]) -> tuple[int, int]:
        """The canvas pixel under a picture pixel (the loupe's, when it is open)."""
        if self.loupe is None:
            return round(pos[0]), round(pos[1])
        ox, oy = self.offset()
        x = self.loupe.x + (pos[0] - ox) // self.k
        y = self.loupe.y + (pos[1] - oy) // self.k
        return (int(min(max(x, self.loupe.left), self.loupe.right - 1)),
                int(min(max(y, self.loupe.top), self.loupe.bottom - 1)))

    def from_loupe(self, pos: tuple[int, int]) -> tuple[int, int]:
        """The picture pixel showing a canvas pixel's centre (tests aim fingers with it)."""
        if self.loupe is None:
            return pos
        ox, oy = self.offset()
        return (ox + (pos[0] - self.loupe.x) * self.k + self.k // 2,
                oy + (pos[1] - self.loupe.y) * self.k + self.k // 2)

    def view(self, canvas: pygame.Surface) -> pygame.Surface:
        """What the window shows: the canvas, or its magnified part (closing an idle loupe)."""
        if self.loupe is not None and time.monotonic() - self.touched > LOUPE_IDLE_S \
                and not self.fingers:
            self.loupe, self.swallow = None, False
        if self.loupe is None:
            return canvas
        view = self._view
        if view is None:           # made once, in the canvas's pixel format
            view = self._view = pygame.Surface(LOGICAL, 0, canvas)
        view.fill((0, 0, 0))
        part = canvas.subsurface(self.loupe)
        w, h = self.loupe.w * self.k, self.loupe.h * self.k
        # scaled straight into the view: no picture-sized surface made each frame
        pygame.transform.scale(part, (w, h), view.subsurface((self.offset(), (w, h))))
        return view
