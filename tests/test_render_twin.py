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
    # no figures read yet: it says so and how far behind, and shows no empty table
    assert card.lines[0] == "preparing comparison…"
    assert any(str(t).startswith("twin behind by") for t in card.lines)
    assert all(isinstance(t, str) for t in card.lines)


def test_a_lone_card_may_take_the_whole_area():
    from render.panel import cards as C

    area = C.CardArea()
    area.show(C.Card("twin", "t", tuple(f"line {i}" for i in range(20))))
    for lang in ("en", "zh"):
        (_, rect, _, shown), = area.layout(lang)
        assert rect.h > C.area(lang).h // 2 and C.area(lang).contains(rect)


class SlowTwin:
    """A stand-in twin: ``now`` and an ``advance_to`` that costs wall time (for ``_fill``)."""

    def __init__(self, now: float, wall_s: float = 1e-3) -> None:
        self.now, self.wall_s, self.calls = now, wall_s, 0

    def advance_to(self, t_s: float) -> None:
        import time

        time.sleep(self.wall_s)
        self.now, self.calls = t_s, self.calls + 1


def test_a_sliver_left_by_a_float_residue_never_stalls_the_twin():
    """The last slice up to the live run's time may be a sliver (1e-9 s); its wall time
    over its length once set the twin's cost to ~1e6 s a second, and the twin never ran
    again (the page's card stayed behind for good)."""
    import time

    from render.twin import TwinDesk

    desk = TwinDesk()
    tw = SlowTwin(1569.6)
    desk._fill(tw, tw.now + 1e-9, 1.25, time.perf_counter() + 0.01)
    assert tw.now == 1569.6 + 1e-9
    goal = tw.now + 100.0
    for _ in range(20):
        desk._fill(tw, goal, 1.25, time.perf_counter() + 0.01)
    assert tw.now == goal


def test_a_slice_reaching_the_goal_lands_on_it_exactly():
    import time

    from render.twin import TwinDesk

    desk = TwinDesk()
    tw = SlowTwin(0.3520649164698, wall_s=0.0)
    goal = 317.6568307787923            # tw.now + (goal - tw.now) < goal in floats
    assert tw.now + (goal - tw.now) < goal
    desk._cost_s = 1e-6                 # the frame has room for the whole gap
    desk._fill(tw, goal, 400.0, time.perf_counter() + 0.01)
    assert tw.now == goal and tw.calls == 1


def test_a_costly_slice_does_not_stop_the_twin_for_good():
    """A burst made one slice slow: the twin skips frames, then measures again."""
    import time

    from render.twin import MAX_COST_S, TwinDesk

    desk = TwinDesk()
    desk._cost_s = MAX_COST_S
    tw = SlowTwin(0.0, wall_s=1e-4)
    for _ in range(200):
        desk._fill(tw, 100.0, 1.25, time.perf_counter() + 0.01)
        if tw.now == 100.0:
            break
    assert tw.now == 100.0


@pytest.mark.parametrize("how", ["stopped", "paused"])
def test_when_the_live_run_stands_still_the_twin_catches_up_even_on_a_slow_machine(how):
    """Stopped at ``--seconds`` or paused, the live run plays nothing: its frame is the
    twin's, at least a frame's playback even when the draws alone fill the budget (here
    1 microsecond: every deadline has passed)."""
    end = T + 120.0
    app = App("rush-hour", seed=SEED, speed=600.0, ease=False, frame_budget_s=1e-6,
              stop_at_s=end if how == "stopped" else None)
    app.sim.advance_to(T)
    app.apply("capacity", {"model": "image", "slots": 30})
    while app.sim.now < end:
        app.step(1 / 60)
    if how == "paused":
        app.apply("_speed", {"speed": 0.0})
    assert app.twin.behind(app.sim)       # no time was left while the live run played
    now = app.sim.now
    for _ in range(200):
        app.step(1 / 60)
    assert app.sim.now == now
    assert app.twin.lag_s(app.sim) == 0.0
    assert app.twin.shown is not None and app.twin.shown["now_s"] == now


def test_the_twin_takes_nothing_from_a_live_run_that_is_behind_the_clock(screen):
    """While the live run owes the clock more than a frame's playback, the slack its slices
    leave before the deadline is not the twin's (it lags instead); once the live run keeps
    up again, the twin plays.  The live run's lag is set, not hoped for: how far behind a
    real run falls depends on the machine (a fast one catches up after the crowd)."""
    app = App("rush-hour", seed=SEED, speed=6000.0, ease=False, frame_budget_s=1 / 60)
    app.sim.advance_to(3 * 3600.0)
    app.apply("capacity", {"model": "image", "slots": 30})
    forked = app.twin.cmp.twin.now
    owes = {"frames": 3.0}

    def behind(sim, dt, speed, deadline=None):   # plays an eighth, owes the rest and more
        sim.advance_to(sim.now + dt * speed / 8)
        app.presenter.owed_s = owes["frames"] * dt * speed
        return speed

    app.presenter.advance = behind
    for _ in range(20):
        app.step(1 / 60)
    assert app.twin.cmp.twin.now == forked
    assert app.twin.behind(app.sim)
    owes["frames"] = 0.5                          # keeping up: the twin has the slack
    for _ in range(20):
        app.step(1 / 60)
    assert app.twin.cmp.twin.now > forked


def test_a_closed_comparison_lets_its_twin_go(screen):
    """The fork is frozen out of the collector while it runs; a new comparison, a reset or a
    scenario switch must thaw and free it, not keep a whole copy of the run alive."""
    import weakref

    app = App("default", seed=1, speed=30)
    app.step(1 / 60)
    app.apply("capacity", {"model": "image", "slots": 30})
    twin = weakref.ref(app.twin.cmp.twin)
    app.twin.restart(app.sim)
    assert twin() is None
    twin = weakref.ref(app.twin.cmp.twin)
    app.apply("_reset", {})
    assert twin() is None


def test_the_cards_compare_line_keeps_the_runs_overrides(screen):
    """A run opened with ``--set`` gives a ``sim compare`` line with the same ``--set``: the
    confidence interval is asked of the scenario as it is being run."""
    app = App("rush-hour", seed=SEED, speed=600.0, ease=False, stop_at_s=STOP,
              overrides=("arrivals.vip_share=0.2",))
    app.sim.advance_to(T)
    app.apply("capacity", {"model": "image", "slots": 30})
    line = app.twin.compare_command(app.sim)
    assert "--scenario rush-hour --set arrivals.vip_share=0.2 " in line
    assert line.endswith("--change models.image.slots=30")
