"""The live twin in the app (render/twin.py): opened by a knob, advanced in the frame path,
its card's figures those of ``python -m sim twin`` for the same recorded session."""

from __future__ import annotations

import pygame
import pytest

from render.app import App
from sim import load_scenario, resolve_path
from sim.commands import from_json
from sim.twin import twin_card

T = 7200.0          # the lunch rush
STOP = 7800.0
SEED = 5

KNOBS = {
    "capacity": [("capacity", {"model": "image", "slots": 30})],
    "spawn_rate": [("spawn_rate", {"rate_per_min": 9.0})],
    "breaker_multiplier": [("breaker_multiplier", {"multiplier": 1.5})],
    "autoscaler": [("autoscaler", {"on": False})],
    "outage": [("outage", {"model": "image", "duration_s": 300.0})],
    "pause_resume_clear": [("pause", {"model": "image"}), ("resume", {"model": "image"}),
                           ("clear_queue", {"model": ""})],
    "rent_return": [("rent", {"model": "image", "slots": 5}),
                    ("return", {"model": "image", "slots": 5})],
}


def play_to_end(app: App) -> None:
    for _ in range(2000):
        app.step(1 / 60)
        card = app.twin.shown
        if app.sim.now >= STOP and card is not None and card["now_s"] >= STOP:
            return
    raise AssertionError("the twin never caught up with the live run")


def headless(app: App, at: float) -> dict:
    """``python -m sim twin`` for the app's recorded session, opened at ``at``."""
    sc = load_scenario(resolve_path("rush-hour"))
    cmds = [from_json(c, "session") for c in app.session()["commands"]]
    return twin_card(sc, SEED, cmds, at, STOP - at)


@pytest.mark.parametrize("knob", list(KNOBS))
def test_the_card_shows_the_headless_figures(screen, knob):
    app = App("rush-hour", seed=SEED, speed=600.0, ease=False, stop_at_s=STOP)
    app.sim.advance_to(T)
    app.step(1 / 60)
    at = app.sim.now
    assert not app.twin.open
    for i, (name, args) in enumerate(KNOBS[knob]):
        if i:   # stacked changes, a few frames apart
            for _ in range(3):
                app.step(1 / 60)
        app.apply(name, args)
    assert app.twin.open and app.twin.cmp.t_s == at
    play_to_end(app)
    want = headless(app, at)
    got = app.twin.shown
    assert got["live"] == want["live"]
    assert got["twin"] == want["twin"]
    assert got["difference"] == want["difference"]
    assert len(app.twin.cmp.changes) == len(KNOBS[knob])
    if knob in ("capacity", "spawn_rate", "outage"):
        assert got["live"] != got["twin"]      # the change shows
    assert app.twin.rows("en") and app.twin.rows("zh")
    assert app.twin.title("en").startswith("since ")


def test_a_replayed_session_shows_the_same_card():
    first = App("rush-hour", seed=SEED, speed=600.0, ease=False, stop_at_s=STOP)
    first.sim.advance_to(T)
    first.apply("capacity", {"model": "image", "slots": 28})
    play_to_end(first)
    cmds = first.session()["commands"]
    again = App("rush-hour", seed=SEED, speed=600.0, ease=False, stop_at_s=STOP,
                commands=[from_json(c, "session") for c in cmds])
    assert not again.twin.open
    play_to_end(again)
    assert again.twin.cmp.t_s == first.twin.cmp.t_s
    assert again.twin.shown["live"] == first.twin.shown["live"]
    assert again.twin.shown["twin"] == first.twin.shown["twin"]
    assert again.twin.title("en") == first.twin.title("en")


def test_an_unchanged_twin_in_the_frame_path_stays_the_live_run():
    app = App("rush-hour", seed=SEED, speed=600.0, ease=False, frame_budget_s=1 / 60)
    app.sim.advance_to(3 * 3600.0)
    app.apply("_twin_new", {})
    assert app.twin.open and app.twin.cmp.twin.state_digest() == app.sim.state_digest()
    while app.sim.now < 4 * 3600.0:
        app.step(1 / 60)
    tw = app.twin.cmp.twin
    tw.advance_to(app.sim.now)
    assert tw.now == app.sim.now
    assert tw.state_digest() == app.sim.state_digest()


def test_a_jump_a_reset_and_dismiss_end_it():
    app = App("rush-hour", seed=SEED, speed=60.0, ease=False)
    app.sim.advance_to(600.0)
    app.apply("capacity", {"model": "image", "slots": 30})
    assert app.twin.open
    app.apply("_jump", {"t_s": 300.0})
    assert not app.twin.open
    app.apply("capacity", {"model": "image", "slots": 31})
    assert app.twin.open
    app.apply("_twin_close", {})
    assert not app.twin.open
    app.apply("spawn_rate", {"rate_per_min": 5.0})
    app.apply("_reset", {})
    assert not app.twin.open


def _card(app):
    return next(c for c in app.overlays.cards.cards if c.key == "twin")


def test_the_card_docks_says_what_changed_and_colours_the_difference(screen):
    from render.panel import cards as C
    from render.panel.twincard import BETTER, WORSE

    app = App("rush-hour", seed=SEED, speed=600.0, ease=False, stop_at_s=STOP)
    app.sim.advance_to(T)
    app.apply("capacity", {"model": "image", "slots": 30})
    play_to_end(app)
    app.draw(screen)
    card = _card(app)
    assert card.title == "since 02:00, +10 SD1.5 slots"
    rows = {r[0][0]: r for r in card.lines if not isinstance(r, str)}
    diff = app.twin.shown["difference"]
    for key, label in (("wait_p95_s", "wait p95"), ("profit_cents", "profit"),
                       ("slot_fees_cents", "slot fees")):
        better = diff[key + "_better"]
        if better is not None:
            assert rows[label][3][1] == (BETTER if better else WORSE)
    assert diff["slot_fees_cents_better"] is False          # ten more slots cost more
    assert rows["slot fees"][3][0].startswith("+$")
    assert "twin: one paired run (the same customers)" in card.lines
    assert any("python -m sim compare" in t for t in card.lines if isinstance(t, str))
    # the NEW button restarts the comparison at now; the X closes it
    (_, rect, button, _), = app.overlays.cards.layout("en")
    new = C.action_rect(app.fonts, card, button)
    press = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=new.center, button=1)
    assert app.handle(press) == [("_twin_new", {})]
    assert app.twin.cmp.t_s == app.sim.now and app.twin.cmp.changes == []
    app.step(1 / 60)
    assert _card(app).title == "since 02:10, no change yet"
    (_, _, button, _), = app.overlays.cards.layout("en")     # the card's new height
    press = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=button.center, button=1)
    assert app.handle(press) == [("_dismiss", {"card": "twin"})]
    assert not app.twin.open and app.overlays.cards.cards == []


def test_stacked_changes_and_a_lagging_twin_say_so():
    app = App("rush-hour", seed=SEED, speed=600.0, ease=False, frame_budget_s=1e-6)
    app.sim.advance_to(3 * 3600.0)
    app.apply("capacity", {"model": "image", "slots": 30})
    app.apply("spawn_rate", {"rate_per_min": 5.0})
    app.apply("rent", {"model": "image", "slots": 5})
    for _ in range(30):
        app.step(1 / 60)
    card = _card(app)
    assert card.title == "since 03:00, 3 changes"
    assert app.twin.behind(app.sim)
    assert any(str(t).startswith(("twin behind by", "preparing comparison"))
               for t in card.lines)


def test_a_lone_card_may_take_the_whole_area():
    from render.panel import cards as C

    area = C.CardArea()
    area.show(C.Card("twin", "t", tuple(f"line {i}" for i in range(20))))
    for lang in ("en", "zh"):
        (_, rect, _, shown), = area.layout(lang)
        assert rect.h > C.area(lang).h // 2 and C.area(lang).contains(rect)
