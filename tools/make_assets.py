"""Generate the sprite sheet and the app icon into ``assets/`` from ``render/world/pixelmaps.py``.

Why generated: every sprite is a small text pixel map in the repo; the game builds its
surfaces from the maps at start-up, and this script writes the same sprites out as PNGs (a
contact sheet for review and docs, and the 32x32 icon pygbag uses as favicon).  Output is
deterministic (same maps, same bytes) and committed; run it after editing a map.

    python tools/make_assets.py
"""

from __future__ import annotations

import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from render import palette as P  # noqa: E402
from render.paths import ICON_FILE, SPRITE_SHEET  # noqa: E402
from render.world.sprites import Sprites  # noqa: E402


def icon(sprites: Sprites) -> pygame.Surface:
    """A 32x32 icon: a lit SD1.5 machine and a VIP customer in front of it."""
    surf = pygame.Surface((16, 16), pygame.SRCALPHA)
    surf.fill((*P.INK, 255))
    surf.blit(sprites.machine("image", False, True), (3, 0))
    surf.blit(sprites.person(3, True, "down", 0), (1, 2))
    return pygame.transform.scale(surf, (32, 32))


def make(out_dir: pathlib.Path | None = None) -> list[pathlib.Path]:
    """Write the sheet (at 2x) and the icon; return the paths written."""
    pygame.display.init()
    sprites = Sprites()
    sheet_path = SPRITE_SHEET if out_dir is None else out_dir / SPRITE_SHEET.name
    icon_path = ICON_FILE if out_dir is None else out_dir / ICON_FILE.name
    sheet_path.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(pygame.transform.scale_by(sprites.sheet(), 2), str(sheet_path))
    pygame.image.save(icon(sprites), str(icon_path))
    return [sheet_path, icon_path]


if __name__ == "__main__":
    for path in make():
        print(f"wrote {path.relative_to(ROOT)}")
