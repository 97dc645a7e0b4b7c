import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


import pytest  # noqa: E402


@pytest.fixture(scope="module")
def screen():
    """The 1280x720 display under SDL's dummy driver (render and main tests)."""
    import pygame

    from render import layout

    pygame.display.init()
    pygame.font.init()
    return pygame.display.set_mode((layout.SCREEN_W, layout.SCREEN_H))
