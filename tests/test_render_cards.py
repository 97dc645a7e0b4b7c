"""The card area: where the live twin's card and the followed customer's card dock, and the
rules they keep (size, stacking, dismissing, both languages fit, what they never cover).

An example of each card is drawn over a real frame; ``python tests/test_render_cards.py
--write`` saves that frame as ``docs/card-area.png`` (and ``-zh``) to look at.
"""

from __future__ import annotations

import os
import pathlib
import sys

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402
import pytest  # noqa: E402

from render import layout as L  # noqa: E402
from render.camera import OVERVIEW  # noqa: E402
from render.panel import cards as C  # noqa: E402
from render.panel.dashboard import pitch, stack  # noqa: E402

LANGS = ("en", "zh")


def key_figures(lang: str, n_models: int) -> list[pygame.Rect]:
    """The panel's key figures on the screen: its header, the KPI strip, the money line."""
    sections = stack(n_models, L.PANEL_RECT.h, pitch(lang))
    return [sections[s].move(L.PANEL_RECT.topleft) for s in ("header", "kpi", "money")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n_models", [1, 4, 8])
def test_the_area_never_covers_the_queue_or_the_key_figures(lang, n_models):
    room = C.area(lang, n_models)
    assert room.h > 200 and L.PANEL_RECT.contains(room)
    for place in (L.BENCHES, L.CARPET, L.GALLERY):          # the lobby's queue, on screen
        assert not room.colliderect(OVERVIEW.rect_to_screen(place))
    assert not room.colliderect(L.WORLD_RECT)
    for rect in key_figures(lang, n_models):
        assert not room.colliderect(rect), (rect, room)


def rush_with_twin(screen):
    """An app at rush hour with its twin: the same customers, the same luck, and a rent."""
    from render.app import App

    live = App("rush-hour", seed=1, speed=30.0, ease=False)
    twin = App("rush-hour", seed=1, speed=30.0, ease=False)
    live.sim.advance_to(2.5 * 3600)
    twin.sim.advance_to(2.5 * 3600)
    live.apply("rent", {"model": "image", "slots": 5})
    live.sim.advance_to(3.3 * 3600)
    twin.sim.advance_to(3.3 * 3600)
    for _ in range(40):
        live.step(1 / 60)
        live.draw(screen)
    return live, twin


@pytest.fixture(scope="module")
def busy(screen):
    return rush_with_twin(screen)


def twin_card(live, twin, lang: str) -> C.Card:
    """The live twin's card (render/panel/twincard.py): the rent opened the comparison."""
    from render.panel.twincard import twin_card as card

    assert live.twin.open and live.twin.shown is not None
    return card(live.twin, live.sim, lang)


def customer_card(live, lang: str) -> C.Card:
    """The followed customer's card: the tooltip's lines about one seated customer."""
    live.lang = lang
    a = max(live.people.actors.values(), key=lambda a: (a.y, -a.x))
    lines = live.hover_lines(live.camera.to_screen(a.x, a.y - 7))
    assert lines
    return C.Card("customer", lines[0], tuple(lines[1:]))


def example(live, twin, lang: str, screen) -> list:
    live.lang = lang
    live.bake()
    live.overlays.cards = C.CardArea()
    live.overlays.cards.show(customer_card(live, lang))
    live.overlays.cards.show(twin_card(live, twin, lang))
    live.step(1 / 60)
    live.draw(screen)
    return live.overlays.cards.layout(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_two_cards_stack_inside_the_area_and_both_languages_fit(busy, screen, lang):
    live, twin = busy
    fonts = live.fonts
    placed = example(live, twin, lang, screen)
    room = C.area(lang)
    (first, r1, b1, n1), (second, r2, b2, n2) = placed
    assert (first.key, second.key) == ("customer", "twin")
    assert r1.bottom == room.bottom and r2.bottom == r1.top - C.GAP     # bottom up
    assert room.contains(r1) and room.contains(r2) and not r1.colliderect(r2)
    assert r1.contains(b1) and r2.contains(b2)
    for card, rect, _, shown in placed:
        assert shown == len(card.lines)                     # every line fits...
        inner = rect.w - 2 * C.PAD
        assert C.fit(fonts, card.title, inner - C.BUTTON - C.PAD) == card.title
        for text in card.lines:
            if isinstance(text, str):
                assert C.fit(fonts, text, inner) == text    # ...and none is cut
                continue
            left = 0
            for (cell, _), end in zip(text, C.COLUMNS, strict=False):   # nor any cell
                right = int(inner * end)
                assert C.fit(fonts, cell, right - left - 4) == cell, (cell, lang)
                left = right
    # the card is on the screen: its title's colour at the card's top edge, the button's X
    assert tuple(screen.get_at((r2.x + 1, r2.y)))[:3] == second.accent
    assert tuple(screen.get_at(b1.center))[:3] == C.P.WHITE


def test_a_card_never_grows_past_half_the_area_and_says_what_it_dropped(screen):
    from render.fonts import Fonts

    fonts = Fonts()
    area = C.CardArea()
    area.show(C.Card("a", "many lines", tuple(f"line {i}" for i in range(60))))
    area.show(C.Card("b", "many too", tuple(f"line {i}" for i in range(60))))
    for lang in LANGS:
        room = C.area(lang)
        placed = area.layout(lang)
        assert all(rect.h <= room.h // 2 for _, rect, _, _ in placed)
        assert all(room.contains(rect) for _, rect, _, _ in placed)
        assert all(0 < shown < 60 for *_, shown in placed)
    area.draw(screen, fonts, "en")
    long = "x" * 300
    cut = C.fit(fonts, long, 200)
    assert cut.endswith(C.ELLIPSIS) and fonts.width(cut) <= 200


def test_one_card_per_key_and_at_most_two():
    area = C.CardArea()
    area.show(C.Card("twin", "t1"))
    area.show(C.Card("customer", "c1"))
    area.show(C.Card("twin", "t2"))                  # replaces, keeps its place
    assert [(c.key, c.title) for c in area.cards] == [("twin", "t2"), ("customer", "c1")]
    area.show(C.Card("share", "s"))                  # a third pushes the oldest out
    assert [c.key for c in area.cards] == ["customer", "share"]
    area.dismiss("customer")
    assert [c.key for c in area.cards] == ["share"]


def test_the_dismiss_button_closes_its_card_and_nothing_else(busy, screen):
    live, twin = busy
    placed = example(live, twin, "en", screen)
    (_, r1, _, _), (_, _, b2, _) = placed
    press = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=r1.center, button=1)
    assert live.handle(press) == []                  # the card's body: nothing happens
    assert len(live.overlays.cards.cards) == 2
    press = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=b2.center, button=1)
    assert live.handle(press) == [("_dismiss", {"card": "twin"})]
    assert [c.key for c in live.overlays.cards.cards] == ["customer"]
    live.overlays.cards = C.CardArea()


if __name__ == "__main__" and "--write" in sys.argv:
    pygame.display.init()
    pygame.font.init()
    canvas = pygame.display.set_mode((L.SCREEN_W, L.SCREEN_H))
    pair = rush_with_twin(canvas)
    for lang in LANGS:
        example(*pair, lang, canvas)
        out = ROOT / "docs" / ("card-area.png" if lang == "en" else f"card-area-{lang}.png")
        pygame.image.save(canvas, str(out))
        print("wrote", out)
