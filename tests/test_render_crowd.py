"""The crowd stays readable at any load, judged from what a frame actually blitted.

Every check reads rectangles recorded at blit time (a surface that logs each ``blit`` and
``fblits`` call), never the planned layout: at the flash-crowd peak of rush-hour at x600 and in
the M/M/c scene at x30, no two seated people overlap, nobody covers a sign, and the people
drawn plus the "+N" badges account for exactly the customers the snapshot has in each place.
"""

from __future__ import annotations

import itertools

import pygame
import pytest

from render import layout as L
from render.app import App
from render.camera import OVERVIEW

PEAKS = {  # scenario, speed, simulated s, language: the busiest moment of each scene
    "rush-hour-x600": ("rush-hour", 600.0, 12550.0, "en"),   # 3h29m: the flash crowd
    "rush-hour-x600-zh": ("rush-hour", 600.0, 12550.0, "zh"),
    "mmc-x30": ("mmc", 30.0, 750.0, "en"),           # 9 arrivals a second, 270 a real second
    "outage-x30": ("outage", 30.0, 4000.0, "en"),    # an hour in: SD1.5 down, breaker open
}
PLAY_FRAMES = 240   # real frames played (4 s) up to the peak, people walking in and sitting


def play_to(app: App, t_s: float, frames: int = PLAY_FRAMES) -> None:
    """Jump close to ``t_s``, then play ``frames`` frames at the app's speed, not eased around
    the timeline's markers (the presenter would hold x30 right at the flash crowd)."""
    app.presenter.ease = lambda sim, speed: speed
    app.sim.advance_to(t_s - frames / 60 * app.speed)
    for _ in range(frames):
        app.step(1 / 60)


class Recorder(pygame.Surface):
    """A surface that remembers every rectangle blitted onto it, and what was blitted."""

    def __init__(self, size: tuple[int, int]) -> None:
        super().__init__(size)
        self.calls: list[tuple[pygame.Surface, pygame.Rect]] = []

    def blit(self, source, dest, area=None, special_flags=0):
        rect = super().blit(source, dest, area, special_flags)
        self.calls.append((source, pygame.Rect(dest[0], dest[1], *source.get_size())))
        return rect

    def fblits(self, blit_sequence, special_flags=0):
        seq = list(blit_sequence)
        for source, dest in seq:
            self.calls.append((source, pygame.Rect(dest[0], dest[1], *source.get_size())))
        return super().fblits(seq, special_flags)


@pytest.fixture(scope="module")
def frames(screen):
    """For each peak: the app, and the world and screen blits of one fully planned frame."""
    out = {}
    for key, (scenario, speed, t_s, lang) in PEAKS.items():
        app = App(scenario, speed=speed, lang=lang)
        play_to(app, t_s)
        # a frame whose seating plan is made from the snapshot the app holds
        while app.cadence.snapped or not app.cadence.caught_up or app.people.busy:
            app.step(1 / 60)
        world, shown = Recorder((L.WORLD_W, L.WORLD_H)), Recorder((L.SCREEN_W, L.SCREEN_H))
        app.world = world
        app.draw(shown)
        out[key] = (app, world.calls, shown.calls)
    return out


def person_blits(app: App, calls) -> list[tuple[int, pygame.Rect]]:
    """(customer id, rect) of every customer sprite blitted onto the world."""
    owner: dict[tuple[int, tuple[int, int]], list[int]] = {}
    for cid, a in app.people.actors.items():
        surf, pos = a.blit
        owner.setdefault((id(surf), tuple(pos)), []).append(cid)
    out = []
    for surf, rect in calls:
        ids = owner.get((id(surf), rect.topleft))
        if ids:
            out.append((ids.pop(), rect))
    return out


def people_layer(app: App, calls) -> list[pygame.Rect]:
    """Every rect the people layer blitted: customers, staff, and the signs over heads."""
    sp = app.sprites
    mine = {id(s) for s in itertools.chain(sp.people.values(), sp.staff.values(),
                                           sp.icons.values(), app.people._bars.values(),
                                           (sp.hourglass, sp.bubble, sp.coin))}
    return [rect for surf, rect in calls if id(surf) in mine]


def to_screen(rect: pygame.Rect) -> pygame.Rect:
    return OVERVIEW.rect_to_screen(rect)


@pytest.mark.parametrize("peak", list(PEAKS))
def test_no_two_seated_people_overlap(frames, peak):
    app, world, _ = frames[peak]
    seated = [(cid, rect) for cid, rect in person_blits(app, world)
              if not app.people.actors[cid].path and not app.people.actors[cid].leaving]
    assert len(seated) >= (60 if peak.startswith("rush-hour") else 1), len(seated)
    for (c1, r1), (c2, r2) in itertools.combinations(seated, 2):
        assert not r1.colliderect(r2), (peak, c1, r1, c2, r2)


@pytest.mark.parametrize("peak", list(PEAKS))
def test_nobody_covers_a_sign(frames, peak):
    app, world, shown = frames[peak]
    label_ids = {id(surf) for surf, _ in app.labels}
    signs = [rect for surf, rect in shown if id(surf) in label_ids]
    assert len(signs) >= 8                       # street, door, counters, VIP, gallery, ...
    badges = [rect for surf, rect in shown if id(surf) in
              {id(b[0]) for b in getattr(app.people, "badges_shown", [])}]
    sprites = [to_screen(r) for r in people_layer(app, world)]
    assert len(sprites) >= 10
    for sign in signs:
        for rect in sprites + badges:
            assert not sign.colliderect(rect), (peak, sign, rect)


@pytest.mark.parametrize("peak", list(PEAKS))
def test_badges_plus_drawn_people_are_the_snapshot_counts(frames, peak):
    """Everybody inside is counted once: drawn, or in the "+N" badge of the place the plan
    gives them -- lanes for the waiting, the gallery for those watching an order run.

    The snapshot hands out the live orders (sim/snapshot.py: not copied), so at x600 an
    order may start between the frame's snapshot and this check: the customer is then the
    gallery's by their orders now and a lane's by the plan.  Such a customer must have an
    order that changed state after the snapshot; nobody else may differ."""
    app, world, shown = frames[peak]
    snap = app.snap
    inside = {p.id for p in snap.people}
    queued = {o.customer.id for st in snap.stations for o in st.queue
              if o.customer is not None}
    watching = {p.id for p in snap.people if p.id not in queued
                and any(o.state == "running" for o in p.orders)}
    waiting = inside - watching
    moved = {p.id for p in snap.people if any(o.since_s > snap.now_s for o in p.orders)}
    plan = app.people.seating.place_of
    assert set(plan) == inside                              # a place for everyone inside
    in_lanes_plan = {cid for cid, place in plan.items() if place != L.GALLERY_PLACE}
    assert in_lanes_plan ^ waiting <= moved, (peak, in_lanes_plan ^ waiting)
    drawn = [cid for cid, _ in person_blits(app, world)]
    assert len(drawn) == len(set(drawn)), "a customer drawn twice"
    blitted = {id(surf) for surf, _ in shown}
    badges = {"bench": 0, "carpet": 0, "gallery": 0}
    for surf, place, n in getattr(app.people, "badges_shown", []):
        assert id(surf) in blitted, place        # a badge counts only if it was drawn
        badges[place] += n
    in_lanes = sum(1 for cid in drawn if cid in in_lanes_plan)
    in_gallery = sum(1 for cid in drawn if plan.get(cid) == L.GALLERY_PLACE)
    assert in_lanes + badges["bench"] + badges["carpet"] == len(in_lanes_plan), peak
    assert in_gallery + badges["gallery"] == len(inside) - len(in_lanes_plan), peak
    assert sum(1 for cid in drawn if cid in inside) + sum(badges.values()) == len(inside)
    if peak.startswith("rush-hour"):    # and most of the waiting sit, not walk
        seated = sum(1 for cid in drawn if cid in waiting and not app.people.actors[cid].path)
        assert len(waiting) > 60 and seated >= 0.8 * in_lanes, (seated, in_lanes, len(waiting))


def test_rented_areas_are_compact_until_used(screen):
    app = App("rush-hour", speed=0.0)
    groups = app.machines.groups
    assert all(g.rent_area.h == 0 for g in groups.values())     # nothing rented: no box
    image = groups["image"]
    assert image.bottom - image.top == L.GROUP_HEADER + image.base_rows * L.CELL
    app.apply("rent", {"model": "image", "slots": 8})
    app.step(1 / 60)
    app.step(1 / 60)                 # the layers follow the snapshot on the next frame
    image = app.machines.groups["image"]
    assert image.rent_rows == 2 and image.rent_area.h == 2 * L.CELL   # 8 slots, 6 a row
    mmc = App("mmc", speed=0.0).machines.groups["job"]
    # mmc can never rent: no rented area at all, its slots use the whole (scaled) width
    assert mmc.rent_cols == 0 and mmc.rent_area.w == 0
    assert mmc.bottom - mmc.top == L.GROUP_HEADER + mmc.base_rows * mmc.size


@pytest.mark.parametrize("scenario, speed, t_s", [("rush-hour", 600.0, 12550.0),
                                                   ("mmc", 30.0, 750.0)])
def test_few_walk_at_once_at_high_load(screen, scenario, speed, t_s):
    """Hundreds of arrivals a real second: at most 20 people walk, the rest arrive and leave
    off-screen (counted in the badges), so no smeared band of walkers crosses the lobby."""
    app = App(scenario, speed=speed)
    play_to(app, t_s - 240 / 60 * speed, 1)
    walking = []
    for _ in range(240):
        app.step(1 / 60)
        walking.append(sum(1 for a in app.people.actors.values() if a.path))
    assert max(walking) <= 20, max(walking)
    assert min(walking[60:]) >= 1                  # ... but people do walk
