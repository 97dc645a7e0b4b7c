"""Make the screenshots of the waiting customer's view (issue 22) in docs/: a customer followed
at rush-hour's peak, zoomed in, in English and Chinese, and one whose card shows the 3x
question and its answer.

    python tools/follow_screenshots.py

Each picture is one run of the real app under SDL's dummy driver: rush-hour (seed 1) is
brought to its peak at full speed, the customer is picked by a real click on their sprite
(the same path as the mouse), then played at x30 so the camera has eased onto them.
Deterministic: same code, same pictures.
"""

from __future__ import annotations

import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

PEAK_S = 3.3 * 3600
DT = 1 / 30


def _app(lang: str, speed: float = 30.0):
    from render.app import App

    app = App("rush-hour", 1, lang=lang, speed=speed, ease=False)
    app.sim.advance_to(PEAK_S)
    return app


def _play(app, screen, frames: int) -> None:
    for _ in range(frames):
        app.step(DT)
        app.draw(screen)


def click_person(app, screen, want) -> int | None:
    """Click the first drawn customer that ``want(card)`` accepts; their id."""
    for cid, actor in sorted(app.people.actors.items()):
        if cid < 0 or actor.leaving or actor.moving:
            continue
        card = app.sim.snapshot(follow=cid).follow
        if card is None or not want(card):
            continue
        pos = app.camera.to_screen(actor.x, actor.y - 6)
        for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            app.handle(pygame.event.Event(kind, pos=pos, button=1))
        if app.follower.cid == cid:
            return cid
    return None


def queued(card) -> bool:
    return sum(o.state == "queued" for o in card.orders) >= 1 and len(card.orders) >= 2


def asked(card) -> bool:
    return card.state == "asked"


def shoot(name: str, lang: str, want, frames: int, until=None) -> pathlib.Path:
    screen = pygame.display.set_mode((1280, 720))
    app = _app(lang)
    _play(app, screen, 60)
    cid = click_person(app, screen, want)
    if cid is None:
        raise SystemExit(f"{name}: nobody to follow")
    for _ in range(frames):
        _play(app, screen, 1)
        if until is not None and until(app.snap.follow):
            _play(app, screen, 15)
            break
    out = ROOT / "docs" / f"{name}.png"
    pygame.image.save(screen, str(out))
    return out


def main() -> int:
    pygame.init()
    print(shoot("follow-rush-hour", "en", queued, 90))
    print(shoot("follow-rush-hour-zh", "zh", queued, 90))
    print(shoot("follow-3x-question", "en", asked, 600,
                until=lambda c: c is not None and bool(c.answer)))
    print(shoot("follow-3x-question-zh", "zh", asked, 600,
                until=lambda c: c is not None and bool(c.answer)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
