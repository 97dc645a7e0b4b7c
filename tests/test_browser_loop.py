"""main() runs the way the browser runs it, and hands control back every frame.

In the browser, pygbag runs main.py's ``asyncio.run(main())`` on the page's event loop: the page
only repaints, and input only arrives, while the game awaits.  Here main() runs natively with
no arguments (the browser passes none) under SDL's dummy video driver, pumping input the way
the browser delivers it (mouse motion and clicks through ``pygame.event.get``), for a few
hundred frames.  Every frame drawn (``pygame.display.flip``/``update``) must be followed by an
awaited ``asyncio.sleep`` before the next one, and no single pass may take long: the
browser's Python is several times slower than this one.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import random
import signal
import statistics
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "main.py"

FRAMES = 300  # frames to run before asking the game to stop
GRACE_FRAMES = 60  # frames allowed to react to QUIT before the test stops the loop itself
WALL_LIMIT_S = 90  # the whole run, natively (an endless synchronous loop trips this)
# CPU time of this thread (time.thread_time), not wall time: other processes on a busy
# machine must not make a pass look long.
MAX_PASS_S = 0.25  # one pass of the frame loop natively (the browser is ~3-5x slower)
MAX_STARTUP_S = 5.0  # from main() to its first await


class _StopLoop(Exception):
    """Raised from inside the game's flip when it ignored QUIT for GRACE_FRAMES frames."""


class _NoWaitClock:
    """pygame.time.Clock without the sleep in tick(): the test runs as fast as it can.

    tick() still reports at least one frame's worth of milliseconds, as a 60 Hz page would.
    """

    def __init__(self, real_clock_type):
        self._clock = real_clock_type()

    def tick(self, framerate: float = 0) -> int:
        elapsed = self._clock.tick()
        return max(elapsed, int(1000 / framerate)) if framerate else elapsed

    tick_busy_loop = tick

    def __getattr__(self, name):
        return getattr(self._clock, name)


def _load_main():
    spec = importlib.util.spec_from_file_location("river_factory_main", MAIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_main_yields_to_the_event_loop_every_frame(monkeypatch):
    if not MAIN.is_file():
        pytest.fail("main.py is missing")
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    import pygame

    timeline: list[tuple[str, float]] = []  # ("F", t) per frame shown, ("Y", t) per await
    rng = random.Random(4)
    state = {"frames": 0, "quit_sent_at": None}

    def on_frame() -> None:
        state["frames"] += 1
        timeline.append(("F", time.thread_time()))
        frames = state["frames"]
        surface = pygame.display.get_surface()
        width, height = surface.get_size() if surface is not None else (640, 360)
        # input as the browser delivers it: motion, clicks (touch arrives as mouse too)
        pos = (rng.randrange(width), rng.randrange(height))
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1),
                                             buttons=(0, 0, 0)))
        if frames % 37 == 0:
            for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
                pygame.event.post(pygame.event.Event(kind, pos=pos, button=1))
        if frames == FRAMES:
            pygame.event.post(pygame.event.Event(pygame.QUIT))
            state["quit_sent_at"] = frames
        if frames >= FRAMES + GRACE_FRAMES:
            raise _StopLoop

    real_flip, real_update = pygame.display.flip, pygame.display.update
    real_sleep = asyncio.sleep
    real_clock = pygame.time.Clock

    def flip():
        real_flip()
        on_frame()

    def update(*args, **kwargs):
        real_update(*args, **kwargs)
        on_frame()

    async def counting_sleep(delay, result=None):
        timeline.append(("Y", time.thread_time()))
        return await real_sleep(delay, result)

    def no_time_sleep(*_args):
        raise AssertionError("time.sleep called on the browser path")

    def no_threads(*_args):
        raise AssertionError("a thread was started on the browser path")

    monkeypatch.setattr(pygame.display, "flip", flip)
    monkeypatch.setattr(pygame.display, "update", update)
    monkeypatch.setattr(pygame.time, "Clock", lambda: _NoWaitClock(real_clock))
    monkeypatch.setattr(asyncio, "sleep", counting_sleep)
    monkeypatch.setattr(time, "sleep", no_time_sleep)
    monkeypatch.setattr(threading.Thread, "start", no_threads)

    def on_alarm(_signum, _frame):
        raise TimeoutError(f"main() still running after {WALL_LIMIT_S} s")

    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(WALL_LIMIT_S)
    started = time.thread_time()
    wall_started = time.perf_counter()
    result = None
    try:
        module = _load_main()
        result = asyncio.run(module.main([]))
    except _StopLoop:
        result = "stopped by the test"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_handler)
        pygame.quit()
    elapsed = time.perf_counter() - wall_started

    frames = [t for kind, t in timeline if kind == "F"]
    yields = [t for kind, t in timeline if kind == "Y"]
    assert len(frames) >= FRAMES, f"only {len(frames)} frames drawn (main returned {result!r})"

    # every frame is followed by an await before the next frame is drawn
    kinds = "".join(kind for kind, _ in timeline)
    first_f = kinds.index("F")
    unyielded = [i for i in range(first_f, len(kinds) - 1) if kinds[i] == kinds[i + 1] == "F"]
    assert not unyielded, f"{len(unyielded)} frames drawn without an await in between"

    # no long synchronous stretch between two awaits
    times = [started, *yields]
    gaps = [b - a for a, b in zip(times[1:], times[2:], strict=False)]
    startup_s = times[1] - times[0]
    pass_p50 = statistics.median(gaps) if gaps else 0.0
    worst = max(gaps[3:], default=0.0)
    print(
        f"\n{len(frames)} frames, {len(yields)} awaits in {elapsed:.2f} s; "
        f"startup {startup_s * 1000:.0f} ms, pass p50 {pass_p50 * 1000:.1f} ms, "
        f"worst {worst * 1000:.1f} ms; main returned {result!r}"
    )
    assert startup_s < MAX_STARTUP_S, f"{startup_s:.2f} s before the first await"
    assert worst < MAX_PASS_S, f"a pass of the frame loop took {worst * 1000:.0f} ms"
    assert os.environ["SDL_VIDEODRIVER"] == "dummy"
