"""The world as it is shown: its layers drawn in world pixels, seen through the camera.

Why one object: the scenery, the machines and the people are drawn on the world surface in a
fixed order, one blit scales the camera's part of it into ``WORLD_RECT``, and the signs over
it (the baked labels, the "+N" badges, the group headers) are placed by the same camera; a
hit test reads the same transform backwards.  Nothing else on the screen knows where a world
pixel lands.
"""

from __future__ import annotations

import pygame

from render import layout as L
from render.camera import OVERVIEW, Camera
from render.fonts import Fonts
from render.world import background
from render.world.machines import Machines
from render.world.people import People
from render.world.sprites import Sprites
from sim import PersonView, SlotView, Snapshot, StationView


class Scene:
    """The street, the lobby and the factory floor, with the camera that shows them."""

    def __init__(self, sprites: Sprites) -> None:
        self.sprites = sprites
        self.world = pygame.Surface((L.WORLD_W, L.WORLD_H))
        if pygame.display.get_surface() is not None:
            self.world = self.world.convert()
        self.world_big = pygame.Surface(L.WORLD_RECT.size)   # the benchmark's ceiling uses it
        self.camera: Camera = OVERVIEW
        self._screen: pygame.Surface | None = None
        self._world_view: pygame.Surface | None = None
        self.people_drawn = 0

    def adopt(self, snap: Snapshot) -> None:
        """Fresh layers for a new run (or a timeline jump's replay of this one)."""
        self.contents = {st.name: st.content for st in snap.stations}
        self.people = People(self.sprites, list(snap.tiers))
        self.machines = Machines(self.sprites)
        self.machines.replan(snap)

    def bake(self, fonts: Fonts, lang: str) -> None:
        """The scenery and the signs over it, made again when the floor plan, the language or
        the camera changed."""
        groups = list(self.machines.groups.values())
        self.background = background.build_world(groups, self.sprites).convert()
        self.labels = background.world_labels(fonts, lang, groups, self.camera)

    def catch_up(self, snap: Snapshot, clock: float) -> bool:
        """Bring the layers up to a snapshot; True when the floor plan changed (bake again)."""
        replanned = self.machines.replan(snap)
        self.machines.update(snap, clock)
        self.people.retarget(snap, snap.controls.multiplier, self.contents)
        return replanned

    def draw(self, screen: pygame.Surface, snap: Snapshot, fonts: Fonts, lang: str,
             fresh: bool) -> None:
        """The world layers, the camera's part of them on screen, and the signs over it; on
        a snapshot frame (``fresh`` False) the slots and headers keep the last snapshot's."""
        world = self.world
        world.blit(self.background, (0, 0))
        self.machines.draw(world, snap, fresh=fresh)
        self.people_drawn = self.people.draw(world)
        if self._screen is not screen:
            self._screen = screen
            self._world_view = screen.subsurface(L.WORLD_RECT)
        cam = self.camera
        shown = world if cam.zoom == 1 else world.subsurface(cam.source_rect())
        pygame.transform.scale(shown, L.WORLD_RECT.size, self._world_view)
        screen.set_clip(L.WORLD_RECT)     # signs cut at the view's edge, never over the panel
        screen.fblits(self.labels)
        screen.fblits(self.people.badge_blits(fonts, cam))
        self.machines.draw_headers(screen, snap, fonts, lang, cam, fresh)
        screen.set_clip(None)

    def customer_at(self, pos: tuple[int, int]) -> int | None:
        """The id of the customer whose sprite is under a screen point (front-most first)."""
        if not self.camera.sees(pos):
            return None
        return self.people.hit(*self.camera.to_world(*pos))

    def person_at(self, pos: tuple[int, int], snap: Snapshot) -> PersonView | None:
        """The customer whose sprite is under a screen point (inside or just leaving)."""
        cid = self.customer_at(pos)
        if cid is None:
            return None
        return next((p for p in snap.people if p.id == cid), None) or \
            next((p for p in snap.departures if p.id == cid), None)

    def slot_at(self, pos: tuple[int, int],
                snap: Snapshot) -> tuple[StationView, SlotView] | None:
        """The machine (its station and slot) under a screen point."""
        if not self.camera.sees(pos):
            return None
        return self.machines.hit(snap, *self.camera.to_world(*pos))
