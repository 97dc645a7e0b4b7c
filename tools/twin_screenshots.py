"""The live twin's card at the rush-hour peak, in both languages: docs/twin-card*.png.

Rush-hour, seed 1, x30: at 3:00, as the flash crowd arrives, the operator drags SD1.5 from
20 to 30 slots; the frame at 3:20 (the crowd's peak) shows the card.

    python tools/twin_screenshots.py
"""

from __future__ import annotations

import os
import pathlib
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from render import layout as L  # noqa: E402

AT_S, PEAK_S = 3 * 3600.0, 3 * 3600.0 + 20 * 60.0


def main() -> int:
    from render.app import App

    pygame.display.init()
    pygame.font.init()
    canvas = pygame.display.set_mode((L.SCREEN_W, L.SCREEN_H))
    app = App("rush-hour", seed=1, speed=30.0, ease=False, stop_at_s=PEAK_S)
    app.sim.advance_to(AT_S)
    app.step(1 / 60)
    app.apply("capacity", {"model": "image", "slots": 30})
    app.speed = 600.0
    while app.sim.now < PEAK_S or app.twin.lag_s(app.sim) > 0:
        app.step(1 / 60)
    app.speed = 30.0
    for lang in ("en", "zh"):
        app.lang = lang
        app.bake()
        for _ in range(40):
            app.step(1 / 60)
            app.draw(canvas)
        out = ROOT / "docs" / ("twin-card.png" if lang == "en" else f"twin-card-{lang}.png")
        pygame.image.save(canvas, str(out))
        print("wrote", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
