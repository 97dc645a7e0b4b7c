"""The one camera: which part of the world surface is shown in ``WORLD_RECT``, and how big.

Why one small value (raylib's ``Camera2D``): the world is drawn in world pixels on its
logical surface (``WORLD_W`` x ``WORLD_H``) and one blit scales the visible part of it into
``WORLD_RECT``; everything drawn over the world at screen resolution (signs, badges, headers,
the tooltip's anchor) and every hit test (hover, a click on a person or a machine) goes
through :meth:`Camera.to_screen` and :meth:`Camera.to_world`, so no other code does screen
arithmetic and a zoom or a pan moves all of it together.

The zoom is an integer (pixels stay square): zoom 1 is the overview, the whole world with
each world pixel 2x2 on screen; zoom 2 shows a quarter of it at 4x4, and so on.  The pan is
the world pixel at the view's top-left, a whole pixel, kept inside the world.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from render import layout as L

#: screen pixels per world pixel at the overview (zoom 1): the world fills WORLD_RECT
OVERVIEW_PX = L.WORLD_RECT.width // L.WORLD_W
MAX_ZOOM = 4
#: a screen point taken to the world and back must land on itself: a division by 6 (zoom 3)
#: is not exact in floating point, so the way back forgives a rounding error this small
_EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Camera:
    """An integer ``zoom`` and a pan (``x``, ``y``: the world pixel at the view's top-left)."""

    zoom: int = 1
    x: int = 0
    y: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.zoom <= MAX_ZOOM:
            raise ValueError(f"camera zoom {self.zoom}: allowed 1..{MAX_ZOOM}")
        w, h = self.view_size
        if not (0 <= self.x <= L.WORLD_W - w and 0 <= self.y <= L.WORLD_H - h):
            raise ValueError(f"camera pan ({self.x}, {self.y}) leaves the world at zoom "
                             f"{self.zoom}: allowed x 0..{L.WORLD_W - w}, y 0..{L.WORLD_H - h}")

    @classmethod
    def looking_at(cls, target: tuple[float, float], zoom: int = 1) -> Camera:
        """The camera at ``zoom`` with ``target`` (a world point) nearest the view's centre,
        clamped to the world's edges."""
        w, h = L.WORLD_W // zoom, L.WORLD_H // zoom
        x = min(max(0, round(target[0] - w / 2)), L.WORLD_W - w)
        y = min(max(0, round(target[1] - h / 2)), L.WORLD_H - h)
        return cls(zoom, x, y)

    @property
    def px(self) -> int:
        """Screen pixels per world pixel."""
        return OVERVIEW_PX * self.zoom

    @property
    def view_size(self) -> tuple[int, int]:
        """The world pixels shown across and down."""
        return L.WORLD_W // self.zoom, L.WORLD_H // self.zoom

    def source_rect(self) -> pygame.Rect:
        """The part of the world surface shown: scaled by :attr:`px` it fills WORLD_RECT."""
        return pygame.Rect((self.x, self.y), self.view_size)

    def to_screen(self, x: float, y: float) -> tuple[int, int]:
        """The screen pixel of a world point."""
        k = self.px
        return (math.floor((x - self.x) * k + _EPS) + L.WORLD_RECT.x,
                math.floor((y - self.y) * k + _EPS) + L.WORLD_RECT.y)

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        """The world point under a screen pixel (its top-left corner)."""
        k = self.px
        return (sx - L.WORLD_RECT.x) / k + self.x, (sy - L.WORLD_RECT.y) / k + self.y

    def rect_to_screen(self, rect: pygame.Rect) -> pygame.Rect:
        """A world rectangle's place on the screen."""
        x, y = self.to_screen(rect.x, rect.y)
        return pygame.Rect(x, y, rect.w * self.px, rect.h * self.px)

    @staticmethod
    def sees(pos: tuple[int, int]) -> bool:
        """Whether a screen point is over the world's view."""
        return L.WORLD_RECT.collidepoint(pos)


OVERVIEW = Camera()
