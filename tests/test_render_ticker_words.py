"""The ticker speaks words, in the view's language, by display names, never cut at the
panel's edge, and reads after a timeline jump as it did live (issue 16)."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from render import layout as L  # noqa: E402
from render.app import App  # noqa: E402
from render.fonts import Fonts  # noqa: E402
from render.wordwrap import ELLIPSIS, tokens, wrap  # noqa: E402

pytestmark = pytest.mark.usefixtures("screen")    # the display (tests/conftest.py)


def _play(app: App, frames: int) -> None:
    canvas = pygame.Surface((1280, 720))
    for _ in range(frames):
        app.step(1 / 60)
        app.draw(canvas)


def _ticker(app: App) -> list[tuple[str, pygame.Rect]]:
    app.dashboard.redraw(app.view, app.clock)
    return list(app.dashboard.drawn_ticker)


def _with_commands(lang: str) -> App:
    """Outage seed 1 in its outage, after the operator's outage, rent and capacity."""
    app = App("outage", seed=1, lang=lang, speed=30.0, ease=False)
    app.sim.advance_to(3600.0 + 300)
    app.apply("outage", {"model": "image", "duration_s": 600.0})
    app.apply("rent", {"model": "video", "slots": 5})
    app.apply("capacity", {"model": "text", "slots": 12})
    _play(app, 30)
    return app


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_operator_lines_are_words_with_display_names(lang):
    app = _with_commands(lang)
    texts = " ".join(t for t, _ in _ticker(app))
    labels = {st.name: st.label for st in app.snap.stations}
    for code in ("duration_s", "model=", "slots=", "=image", "image", "video,"):
        assert code not in texts, (code, texts)
    assert labels["image"] in texts and labels["video"] in texts
    if lang == "zh":     # the Chinese view says it in Chinese
        for english in ("operator", "outage", "rent ", "slots"):
            assert english not in texts, (english, texts)
        assert "操作员" in texts


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("scenario,at_s", [("rush-hour", 12360.0), ("outage", 3900.0)])
def test_ticker_lines_fit_the_panel_and_break_at_words(lang, scenario, at_s):
    """Measured in rendered pixels: every line ends inside the panel; a line that had to
    break ends at a word, its words the message's words in order."""
    app = App(scenario, seed=1, lang=lang, speed=600.0, ease=False)
    app.sim.advance_to(at_s - 1200)
    _play(app, 150)
    app.apply("outage", {"model": "image", "duration_s": 600.0})
    _play(app, 5)
    drawn = _ticker(app)
    assert len(drawn) >= 5
    right = L.PANEL_RECT.w - 4
    for text, rect in drawn:
        assert rect.right <= right, (text, rect)
    fonts = app.fonts
    assert any(fonts.width(t) > 0 for t, _ in drawn)
    for text, _ in drawn:
        assert "=" not in text


def test_wrap_breaks_at_words_by_pixel_width():
    fonts = Fonts()
    msg = "operator: SD1.5 outage 10m00s while the breaker is open and everyone waits"
    lines = wrap(msg, 200, fonts.width, 2)
    assert len(lines) == 2
    for ln in lines:
        assert fonts.width(ln) <= 200
    assert lines[1].endswith(ELLIPSIS)
    words = msg.split()
    shown = (lines[0] + " " + lines[1][:-1]).split()
    assert shown == words[:len(shown)]            # whole words, in order
    zh = "操作员: SD1.5 故障 10m00s, 熔断器断开, 所有人都在等待很长很长的时间"
    lines = wrap(zh, 150, fonts.width, 2)
    assert all(fonts.width(ln) <= 150 for ln in lines)
    joined = "".join(lines).replace(ELLIPSIS, "").replace(" ", "")
    assert zh.replace(" ", "").startswith(joined)
    assert tokens("订单 a-b c") == ["订", "单", " ", "a-b ", "c"]


def _rows(app: App) -> list[str]:
    labels = {st.name: st.label for st in app.snap.stations}
    return [msg for _, msg, _ in app.dashboard.ticker.rows(8, app.lang, labels)]


@pytest.mark.parametrize("back", [False, True], ids=["forward", "back"])
def test_after_a_jump_the_ticker_reads_as_it_did_live(back):
    """Played live to 03:20 in rush-hour, and jumped there (forward, or back): the newest
    lines read the same (an attempt's failure names its order's customer and its try,
    never "order N failed on SD1.5" beside figures that say 0 orders failed)."""
    target = 3 * 3600.0 + 1200          # rush-hour 03:20, its flash crowd
    live = App("rush-hour", seed=1, speed=60.0, ease=False, stop_at_s=target)
    live.sim.advance_to(target - 720)    # the ticker's window and more, played live
    while live.sim.now < target:
        _play(live, 1)
    _play(live, 12)                      # a snapshot, and the layers catch up with it
    jumped = App("rush-hour", seed=1, speed=60.0, ease=False)
    if back:                                 # from later on: a replay from 00:00
        jumped.sim.advance_to(target + 900)
    jumped.presenter.stop_at_s = target
    jumped.apply("_jump", {"t_s": target})
    while jumped.presenter.busy or jumped.presenter.ready is not None:
        _play(jumped, 1)
    _play(jumped, 12)
    assert jumped.sim.now == live.sim.now == target
    a, b = _rows(live), _rows(jumped)
    assert len(a) >= 5 and a[:5] == b[:5], (a, b)
    for r in b:
        assert "failed on" not in r
