"""In a real browser the page loads the app, runs it, and animates the factory.

The page runs main.main() with no arguments, as pygbag does: the default scenario at 30x.
"""

from __future__ import annotations

import io

import pygame

from render import layout as L


def _pixels(png: bytes) -> pygame.Surface:
    return pygame.image.load(io.BytesIO(png), "shot.png")


def _changed_pixels(a: pygame.Surface, b: pygame.Surface) -> int:
    assert a.get_size() == b.get_size()
    w, h = a.get_size()
    return sum(1 for x in range(0, w, 2) for y in range(0, h, 2)
               if a.get_at((x, y)) != b.get_at((x, y)))


def _colours(s: pygame.Surface) -> int:
    w, h = s.get_size()
    return len({tuple(s.get_at((x, y))) for x in range(0, w, 4) for y in range(0, h, 4)})


def test_page_loads_runs_and_animates(new_page):
    page = new_page()
    first = page.open(page.site.url())          # fails unless the app exists within 30 s
    assert first["scenario"] == "default" and first["speed"] == 30.0
    world = tuple(L.WORLD_RECT)
    before = page.report()
    shot_a = _pixels(page.screenshot(world))
    page.page.wait_for_timeout(2000)
    shot_b = _pixels(page.screenshot(world))
    after = page.report()

    assert after["frames"] > before["frames"]
    assert after["sim_now"] > before["sim_now"]
    assert after["sim_error"] == ""
    # the world itself moves (people walk, machines work), not only the clock text; and what
    # is shown is the drawn factory (dozens of colours), not a blank or single-colour canvas
    assert _changed_pixels(shot_a, shot_b) >= 50
    assert _colours(shot_b) >= 12
    assert page.tracebacks() == []
    assert [line for line in page.console if line.startswith("error")] == []
    assert page.foreign == []
    assert any("pygame-ce 2.5.7" in line for line in page.console)
    print(f"\nloaded in {first['load_s']:.1f} s; {after['frames'] - before['frames']} frames "
          f"and {after['sim_now'] - before['sim_now']:.0f} simulated s in ~2 s")
