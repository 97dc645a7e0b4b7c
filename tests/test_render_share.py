"""The share dialog (render/share.py): the button and the U key open it on the session as it
is now; its link reopens that session, its QR code is the link's, every character of the link
is shown, and while it is open the desk takes no input.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402
import segno  # noqa: E402

from render import layout as L  # noqa: E402
from render import share as S  # noqa: E402
from render.app import App  # noqa: E402
from render.panel.controls import Controls  # noqa: E402
from render.share import QUIET, qr_surface, wrap_chars  # noqa: E402
from sim.share import FORMAT_VERSION, MAX_LINK_CHARS, decode  # noqa: E402


@pytest.fixture
def app(screen):
    a = App("rush-hour", seed=7, speed=600.0, ease=False)
    for _ in range(90):
        a.step(1 / 60)
    return a


def ev(kind: int, pos: tuple[int, int]) -> pygame.event.Event:
    return pygame.event.Event(kind, pos=pos, button=1, rel=(0, 0), buttons=(1, 0, 0),
                              touch=False)


def key(app: App, k: int) -> list:
    return app.handle(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=""))


def test_the_share_button_sits_on_the_desk_clear_of_the_others(app):
    rect = app.controls.buttons["share"].rect
    assert Controls.on_screen(rect).right <= L.CONTROLS_RECT.right
    assert Controls.on_screen(rect).bottom <= L.CONTROLS_RECT.bottom
    others = [b.rect for name, b in app.controls.buttons.items() if name != "share"]
    assert rect.collidelist(others) == -1


def test_the_button_opens_the_dialog_on_this_moment(app, capsys):
    app.apply("capacity", {"model": "image", "slots": 14})
    for _ in range(30):
        app.step(1 / 60)
    rect = Controls.on_screen(app.controls.buttons["share"].rect)
    app.handle(ev(pygame.MOUSEBUTTONDOWN, rect.center))
    app.handle(ev(pygame.MOUSEBUTTONUP, rect.center))
    dialog = app.overlays.share
    assert dialog.open and dialog.problem == ""
    assert f"share link: {dialog.link}" in capsys.readouterr().out   # natively: printed
    shared = decode(dialog.link, ("en", "zh"))
    session = app.session()
    assert shared.scenario == "rush-hour" and shared.seed == 7
    assert shared.at_s == session["sim_seconds"]
    assert [c.to_json() for c in shared.commands] == session["commands"]
    assert session["commands"][0]["slots"] == 14


def test_the_qr_code_is_the_links(app):
    key(app, pygame.K_u)
    link = app.overlays.share.link
    surf = qr_surface(link)
    matrix = [list(row) for row in segno.make(link, error="l", micro=False,
                                              boost_error=False).matrix]
    n = len(matrix) + 2 * QUIET
    scale = surf.get_width() // n
    assert scale >= 3 and surf.get_width() == n * scale <= S.QR_SIDE
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            px = surf.get_at(((x + QUIET) * scale + scale // 2, (y + QUIET) * scale + scale // 2))
            assert (px[:3] == (0, 0, 0)) == bool(dark), (x, y)
    screen = pygame.Surface((L.SCREEN_W, L.SCREEN_H))
    app.draw(screen)
    box = S.BOX
    # the code is drawn in the dialog, its quiet zone light
    corner = screen.get_at((box.x + S.PAD + 1, box.y + S.PAD + S.PITCH + 11))
    assert sum(corner[:3]) > 600


def test_every_character_of_the_link_is_shown():
    fonts_width = lambda t: 9 * len(t)  # noqa: E731
    link = f"http://h/#river={FORMAT_VERSION}." + "AbC_-9" * 300
    lines = wrap_chars(link[:MAX_LINK_CHARS], 400, fonts_width)
    assert "".join(lines) == link[:MAX_LINK_CHARS]
    assert all(fonts_width(line) <= 400 for line in lines)


def test_while_open_the_desk_takes_no_input_and_escape_closes(app):
    key(app, pygame.K_u)
    slider = app.controls.sliders["spawn"]
    track = Controls.on_screen(slider.track)
    sent = app.handle(ev(pygame.MOUSEBUTTONDOWN, (track.right - 2, track.centery)))
    sent += app.handle(ev(pygame.MOUSEBUTTONUP, (track.right - 2, track.centery)))
    assert sent == [("_share", {})]           # the press outside the dialog closes it
    assert not app.overlays.share.open
    assert app.sim.recorded_commands() == []
    key(app, pygame.K_u)
    assert app.handle(ev(pygame.MOUSEBUTTONDOWN, S.BOX.center)) == [("_none", {})]
    assert app.overlays.share.open
    key(app, pygame.K_ESCAPE)
    assert not app.overlays.share.open
    key(app, pygame.K_u)
    button = app.overlays.share.close_button()
    app.handle(ev(pygame.MOUSEBUTTONDOWN, button.center))
    assert not app.overlays.share.open


def test_a_session_too_long_for_a_link_shows_why(app):
    for i in range(600):
        app.apply("spawn_rate", {"rate_per_min": float(i % 50) + 0.25 * (i % 7)})
        app.sim.advance_to(app.sim.now + 1.37)
    key(app, pygame.K_u)
    dialog = app.overlays.share
    assert dialog.open and dialog.link == ""
    assert "a link may have" in dialog.problem
    screen = pygame.Surface((L.SCREEN_W, L.SCREEN_H))
    app.draw(screen)    # the problem drawn, no QR code


def test_a_refused_link_leaves_a_card(app):
    S.refused(app, "link: damaged (not base64url text); was it cut or changed on the way?")
    cards = app.overlays.cards.cards
    assert [c.key for c in cards] == ["link"]
    assert " ".join(cards[0].lines).startswith("link: damaged")
    assert app.message.startswith("link: damaged")


def _at(kind: int, pos: tuple[int, int], touch: bool) -> pygame.event.Event:
    return pygame.event.Event(kind, pos=pos, button=1, rel=(0, 0), buttons=(1, 0, 0),
                              touch=touch)


@pytest.mark.parametrize("touch", [True, False])
def test_a_fingertip_beside_a_button_presses_it_a_mouse_does_not(app, touch):
    rect = Controls.on_screen(app.controls.buttons["share"].rect)
    beside = (rect.right + 10, rect.centery)         # the desk's margin, right of the button
    app.handle(_at(pygame.MOUSEBUTTONDOWN, beside, touch))
    app.handle(_at(pygame.MOUSEBUTTONUP, beside, touch))
    assert app.overlays.share.open is touch


def test_a_finger_drag_grabbed_beside_a_slider_slides_it(app):
    slider = app.controls.sliders["spawn"]
    track = Controls.on_screen(slider.track)
    y = track.centery
    start = (track.x - 18, y)        # left of the grab area, nearest to this slider
    end = (Controls.on_screen(pygame.Rect(slider.x_of(12.0), 0, 1, 1)).x - 18, y)
    sent = app.handle(_at(pygame.MOUSEBUTTONDOWN, start, True))
    sent += app.handle(_at(pygame.MOUSEMOTION, end, True))
    sent += app.handle(_at(pygame.MOUSEBUTTONUP, end, True))
    assert sent and sent[-1][0] == "spawn_rate"


def test_finger_events_are_consumed_by_the_display(screen):
    from render.display import Display

    finger = pygame.event.Event(pygame.FINGERDOWN, x=0.5, y=0.5, dx=0, dy=0, finger_id=1,
                                touch_id=1, pressure=1.0)
    assert Display().handle(finger) is True
