"""Frame-time benchmark: the bare-blit ceiling vs the real frame, at 400+ people.

Measured in the same run, on the same busy scene (rush-hour overloaded so that at least 400
people are in view): the ceiling blits the background, 400 cached sprites and the cached
labels, scales and flips; the real frame handles events, advances the simulation, updates
every layer and draws everything.  Goal: real <= 3x ceiling.  Prints, never asserts.

    python bench/bench_frame.py [--frames N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import main  # noqa: E402


async def run(frames: int) -> None:
    _, display = main.init_display(headless=True)
    screen = display.canvas          # the app draws on its logical canvas, as in main.py
    from render import benchmark

    t0 = time.perf_counter()
    app = benchmark.busy_app()
    setup_s = time.perf_counter() - t0
    warm = await benchmark.real_frames(screen, app, frames)   # warms caches too
    ceiling = await benchmark.ceiling_frames(screen, app, frames, people=warm["people"])
    real = await benchmark.real_frames(screen, app, frames)
    ratio = real["median"] / ceiling["median"]
    print(f"scene: rush-hour overloaded, t={app.sim.now:.0f}s, "
          f"{len(app.snap.people)} customers inside, setup {setup_s:.1f}s")
    print(f"ceiling_ms median={ceiling['median']:.2f} p95={ceiling['p95']:.2f} "
          f"(background + {warm['people']} sprites, as many as the real frame draws, "
          f"+ cached labels)")
    print(f"real_ms    median={real['median']:.2f} p95={real['p95']:.2f} "
          f"people={real['people']} (sim advance + snapshot + every layer)")
    print(f"ratio real/ceiling median={ratio:.2f} (goal <= 3.00) "
          f"p95={real['p95'] / ceiling['p95']:.2f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="River Factory frame-time benchmark")
    ap.add_argument("--frames", type=int, default=300)
    asyncio.run(run(ap.parse_args().frames))
