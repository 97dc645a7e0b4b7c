"""Frame-time measurement: a bare-blit ceiling and the real frame, in the same run.

Why both: absolute milliseconds mean little across machines (and the browser's Python is
several times slower than this one), but the ratio of the real frame (simulation advance +
every layer) to the cheapest frame that could show the same picture (background + 400
sprites + cached labels) travels well.  The goal is real <= 3x ceiling.
"""

from __future__ import annotations

import asyncio
import statistics
import time

import pygame

from render import layout as L
from render.app import App

BUSY = ("arrivals.rate_per_min=30", "door.admit_per_min=1000", "door.burst=100",
        "door.lobby_max_orders=700", "wait_breaker.enabled=false",
        "autoscaler.enabled=false")
PEOPLE = 400


def busy_app() -> App:
    """The rush-hour factory overloaded until at least ``PEOPLE`` people are in view."""
    app = App("rush-hour", seed=3, speed=10.0, overrides=BUSY)
    app.sim.advance_to(3600.0)      # about 480 customers inside, ~700 orders queued
    for _ in range(600):            # let everyone walk to their seats
        app.step(1 / 60)
        if len(app.people.actors) >= PEOPLE and _settled(app):
            break
    return app


def follow_one(app: App) -> int | None:
    """Follow (as a click would) the seated customer nearest the lobby's middle; their id."""
    seated = [a for cid, a in app.people.actors.items()
              if cid >= 0 and not a.leaving and not a.path]
    if not seated:
        return None
    mid = (L.WORLD_W * 0.3, L.WORLD_H * 0.5)
    a = min(seated, key=lambda a: (a.x - mid[0]) ** 2 + (a.y - mid[1]) ** 2)
    app.apply("_select", {"customer": a.cid})
    return a.cid


def _settled(app: App) -> bool:
    return sum(1 for a in app.people.actors.values() if a.path) < len(app.people.actors) // 4


def _stats(samples: list[float]) -> dict:
    ms = sorted(s * 1000.0 for s in samples)
    return {"median": statistics.median(ms), "p95": ms[int(0.95 * (len(ms) - 1))]}


async def ceiling_frames(screen: pygame.Surface, app: App, frames: int = 120,
                         people: int = PEOPLE) -> dict:
    """Background + ``people`` cached sprites + the cached labels, scaled and flipped: the
    least a frame showing that many people can cost (pass the real frame's count)."""
    sprites = list(app.sprites.people.values())
    rng = [(i * 37 % (L.WORLD_W - 8), 14 + i * 53 % (L.WORLD_H - 16)) for i in range(people)]
    blits = [(sprites[i % len(sprites)], pos) for i, pos in enumerate(rng)]
    world = app.world
    labels = app.labels
    panel = app.dashboard.surface
    samples = []
    for _ in range(frames):
        t0 = time.perf_counter()
        world.blit(app.background, (0, 0))
        world.fblits(blits)
        pygame.transform.scale(world, L.WORLD_RECT.size, app.world_big)
        screen.blit(app.world_big, L.WORLD_RECT.topleft)
        screen.fblits(labels)
        screen.blit(panel, L.PANEL_RECT.topleft)
        pygame.display.flip()
        samples.append(time.perf_counter() - t0)
        await asyncio.sleep(0)
    return _stats(samples)


async def real_frames(screen: pygame.Surface, app: App | None = None,
                      frames: int = 240) -> dict:
    """The full frame: events, sim advance, every layer, flip; people counted on screen."""
    app = app or busy_app()
    samples = []
    people = []
    for _ in range(frames):
        t0 = time.perf_counter()
        for event in pygame.event.get():
            app.handle(event)
        app.step(1 / 60)
        app.draw(screen)
        pygame.display.flip()
        samples.append(time.perf_counter() - t0)
        people.append(app.people_drawn)
        await asyncio.sleep(0)
    out = _stats(samples)
    out["people"] = min(people)
    return out


#: the twin benchmark: rush-hour at x600 from the flash crowd (3:00), seed 7
TWIN_SCENE = ("rush-hour", 7, 600.0, 3 * 3600.0)


async def pace_frames(screen: pygame.Surface, twin: bool, budget_s: float,
                      frames: int = 300) -> dict:
    """Frames of rush-hour at x600 through the flash crowd, with the frame budget main.py
    uses on screen, without or with a twin forked (``new comparison``, nothing removed: it
    costs as much as the live run) as the crowd arrives.  Per frame wall time (step + draw),
    the speed the live run kept (simulated seconds per 1/60 s frame) and the twin's lag at
    the end of the window."""
    name, seed, speed, at = TWIN_SCENE
    app = App(name, seed=seed, speed=speed, ease=False, frame_budget_s=budget_s)
    app.sim.advance_to(at)
    for _ in range(30):
        app.step(1 / 60)
        app.draw(screen)
    fork_ms = 0.0
    if twin:
        t0 = time.perf_counter()
        app.apply("_twin_new", {})
        fork_ms = (time.perf_counter() - t0) * 1000.0
    samples = []
    start = app.sim.now
    for _ in range(frames):
        t0 = time.perf_counter()
        app.step(1 / 60)
        app.draw(screen)
        pygame.display.flip()
        samples.append(time.perf_counter() - t0)
        await asyncio.sleep(0)
    out = _stats(samples)
    out["kept"] = (app.sim.now - start) / (frames / 60.0)
    out["lag_s"] = app.twin.lag_s(app.sim) if twin else 0.0
    out["fork_ms"] = fork_ms
    return out


def pace_line(without: dict, with_twin: dict) -> str:
    return (f"twin: x{TWIN_SCENE[2]:g} from the flash crowd: kept speed without twin "
            f"x{without['kept']:.0f}, with twin x{with_twin['kept']:.0f} "
            f"({(with_twin['kept'] / without['kept'] - 1) * 100:+.1f}%); frame_ms p95 "
            f"{without['p95']:.2f} -> {with_twin['p95']:.2f}; fork {with_twin['fork_ms']:.0f} "
            f"ms (one frame); twin lag at the end {with_twin['lag_s']:.0f} s")
