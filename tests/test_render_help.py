"""The help page: the legend shows the scene's own sprites, the glossary speaks both languages,
and everything fits the page."""

from __future__ import annotations

import pygame
import pytest

from render import help as H
from render.fonts import Fonts
from render.i18n import STRINGS, tr
from render.world.sprites import Sprites


def _contains(big: pygame.Surface, small: pygame.Surface, at: tuple[int, int]) -> bool:
    """Every opaque pixel of ``small`` (alpha or colour key) is in ``big`` at offset ``at``."""
    w, h = small.get_size()
    opaque = pygame.mask.from_surface(small)
    for y in range(h):
        for x in range(w):
            c = small.get_at((x, y))
            if opaque.get_at((x, y)) and big.get_at((at[0] + x, at[1] + y)) != c:
                return False
    return True


def test_the_legend_draws_the_real_sprites(screen):
    sp = Sprites()
    rows = dict(H.symbol_rows(sp))
    assert set(rows) == {"sym_tiers", "sym_crown", "sym_bar", "sym_hourglass", "sym_asked",
                         "sym_coin", "sym_product", "sym_busy", "sym_rented", "sym_failed",
                         "sym_down", "sym_crate", "sym_bag", "sym_basket"}
    assert rows["sym_bag"] == [sp.bag] and rows["sym_basket"] == [sp.basket]
    assert rows["sym_rented"][0] is sp.machine("image", True, True)
    assert rows["sym_crown"] == [sp.person(1, True, "down", 0)]
    assert rows["sym_tiers"] == [sp.person(t, False, "down", 0) for t in range(4)]
    # signs stand over a head as the people layer puts them (one pixel in from the left)
    assert _contains(rows["sym_hourglass"][0], sp.hourglass, (1, 0))
    assert _contains(rows["sym_asked"][0], sp.bubble, (0, 0))
    assert _contains(rows["sym_coin"][0], sp.coin, (6, 6))
    assert _contains(rows["sym_crate"][0], sp.crate, (0, 0))
    red = rows["sym_failed"][0]
    assert _contains(red, sp.machine("image", False, True).subsurface((0, 0, 2, 12)), (0, 0))
    assert red.get_at((3, 3))[:3] == H.P.RED
    # orange border: the rented machine's frame is orange where the base one is silver
    assert sp.machine("image", True, True).get_at((1, 1))[:3] == H.P.ORANGE
    assert sp.machine("image", False, True).get_at((1, 1))[:3] == H.P.SILVER


def test_every_symbol_and_term_reads_in_both_languages():
    keys = [k for k, _ in H.symbol_rows(Sprites())]
    keys += [*H.TERMS, *(t + "_def" for t in H.TERMS)]
    keys += ["help_legend_title", "help_glossary_title", "help_timeline"]
    for key in keys:
        en, zh = STRINGS[key]
        assert en and zh, key
        if key != "term_p95":
            assert en != zh and any(ord(ch) > 0x2E80 for ch in zh), key
    assert tr("term_breaker", "en") == "3× breaker"
    assert {tr(t, "en") for t in H.TERMS} >= {"3× breaker", "p95", "dropout", "service level"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_fits_and_shortcuts_line_up(screen, lang):
    fonts = Fonts()
    overlay = H.HelpOverlay(Sprites())
    overlay.draw(screen, fonts, lang)
    assert overlay.bottom[lang] <= H.BOX.bottom - 4
    assert screen.get_at((H.BOX.x + 4, H.BOX.y + 4))[:3] == H.P.INK
    for key in H.KEYS:                       # key | description, two columns in both
        k, sep, what = tr(key, lang).partition("  ")
        assert sep and k.strip() and what.strip(), key
        assert fonts.width(k.strip()) < H.KEY_W - 4, key


def test_wrapping_keeps_width_and_never_starts_a_line_with_a_stop(screen):
    fonts = Fonts()
    for lang in ("en", "zh"):
        for term in H.TERMS:
            text = tr(term + "_def", lang)
            lines = H.wrap(fonts, text, 400)
            assert "".join(lines).replace(" ", "") == text.replace(" ", "")
            assert all(fonts.width(line) <= 400 for line in lines)
            assert not any(line[0] in H.NO_LINE_START for line in lines)
    assert H.wrap(fonts, "ab cd", 1000) == ["ab cd"]
    assert H.wrap(fonts, "ab cd", fonts.width("ab ")) == ["ab", "cd"]
