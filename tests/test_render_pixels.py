"""Pixel identity: frames at the overview equal the committed pictures, byte for byte.

Why: the renderer's layout changes (sub-packages, the camera, the card area) must not move a
pixel of what is on screen.  Each case is one run of the real app, stepped deterministically
(fixed 1/60 s frames, no frame budget, no easing), brought to a busy instant, with the mouse
resting on a customer so the tooltip is open, and its whole 1280x720 frame compared with a PNG
in ``tests/pixels/``.

Regenerate the pictures only on purpose (a change of the look), saying why in the commit:
``python tests/test_render_pixels.py --write``.
"""

from __future__ import annotations

import os
import pathlib
import sys

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402
import pytest  # noqa: E402

PIXELS = ROOT / "tests" / "pixels"
#: scenario -> (seed, the busy instant in simulated seconds)
CASES = {
    "default": (1, 1800.0),
    "rush-hour": (1, 3.4 * 3600),
    "outage": (1, 3600 + 900),
    "mmc": (1, 2 * 3600),
}
LANGS = ("en", "zh")
SPEED = 30.0
FRAMES = 60                 # one real second at x30 before the instant: people have walked
OVERVIEW_PX = 2             # at the overview a world pixel is 2x2 screen pixels


def frame(scenario: str, lang: str, canvas: pygame.Surface) -> pygame.Surface:
    """The frame of ``scenario`` at its busy instant, the tooltip open on a customer."""
    from render.app import App

    seed, at_s = CASES[scenario]
    canvas.fill((0, 0, 0))
    app = App(scenario, seed=seed, lang=lang, speed=SPEED, ease=False)
    app.sim.advance_to(at_s - SPEED * FRAMES / 60.0)
    for _ in range(FRAMES):
        app.step(1 / 60)
        app.draw(canvas)
    # the customer seated deepest in the lobby (ties: the lowest id), the mouse on its chest;
    # the screen point is worked out here, not by the code under test.  Only customers the
    # snapshot has inside: a sprite still walking off after its customer left has no tooltip
    inside = {p.id for p in app.snap.people}
    actors = sorted(((cid, a) for cid, a in app.people.actors.items() if cid in inside),
                    key=lambda kv: (-kv[1].y, kv[1].x, kv[0]))
    assert actors, "somebody is inside at the busy instant"
    a = actors[len(actors) // 2][1]
    pos = (int(a.x * OVERVIEW_PX), int((a.y - 5) * OVERVIEW_PX))
    app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.step(1 / 60)
    app.draw(canvas)
    assert app.sim_error == ""
    assert app.hover_lines(pos), "the tooltip is open on that customer"
    return canvas


def picture(scenario: str, lang: str) -> pathlib.Path:
    return PIXELS / f"{scenario}-{lang}.png"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("scenario", list(CASES))
def test_frame_equals_the_committed_picture(screen, scenario, lang):
    got = frame(scenario, lang, screen)
    want = pygame.image.load(str(picture(scenario, lang)))
    assert want.get_size() == got.get_size()
    a = pygame.image.tobytes(got, "RGB")
    b = pygame.image.tobytes(want, "RGB")
    if a != b:
        out = pathlib.Path("/tmp") / f"pixels-{scenario}-{lang}.png"
        pygame.image.save(got, str(out))
        w = got.get_width()
        diff = [i // 3 for i in range(0, len(a), 3) if a[i:i + 3] != b[i:i + 3]]
        xs, ys = [i % w for i in diff], [i // w for i in diff]
        pytest.fail(f"{len(diff)} pixels differ in x {min(xs)}..{max(xs)}, "
                    f"y {min(ys)}..{max(ys)}; this frame: {out}")


if __name__ == "__main__" and "--write" in sys.argv:
    pygame.display.init()
    pygame.font.init()
    from render import layout

    canvas = pygame.display.set_mode((layout.SCREEN_W, layout.SCREEN_H))
    PIXELS.mkdir(exist_ok=True)
    for name in CASES:
        for lang in LANGS:
            pygame.image.save(frame(name, lang, canvas), str(picture(name, lang)))
            print("wrote", picture(name, lang))
