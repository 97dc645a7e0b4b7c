"""Frame pacing: a frame whose wall-time budget runs out stops playing and owes the rest.

On screen (``main.py``, the browser) the app gives each frame's step and draw a budget
(``App(frame_budget_s=...)``): the simulation plays in slices until the budget is spent and the
frames after play what is owed first.  These tests pin that down: a frame past its deadline
plays one slice and owes the rest (up to a cap), owed time is played as soon as there is room,
and where the slices fall changes nothing in the run (same event log and state as the
simulation advanced straight there with the same commands).
"""

from __future__ import annotations

import pytest

from render import presenter as PR
from render.app import App
from sim import open_run

FRAME = 1 / 60
SPEED = 600.0


def _presenter(sim) -> PR.Presenter:
    p = PR.Presenter(sim, lambda commands: open_run("rush-hour", 4, commands=commands))
    p.easing = False
    return p


def test_a_frame_past_its_deadline_plays_one_slice_and_owes_the_rest():
    sim = open_run("rush-hour", 4)
    p = _presenter(sim)
    frame_s = FRAME * SPEED
    p.advance(sim, FRAME, SPEED, deadline=0.0)           # a deadline long gone
    assert sim.now == pytest.approx(frame_s / PR.PLAY_SLICES)
    assert p.owed_s == pytest.approx(frame_s - frame_s / PR.PLAY_SLICES)
    for _ in range(200):
        p.advance(sim, FRAME, SPEED, deadline=0.0)
    # what is owed is capped: a machine that cannot keep up plays slower, it never spirals
    assert p.owed_s == pytest.approx(PR.MAX_BEHIND_REAL_S * SPEED)
    assert sim.now == pytest.approx(201 * frame_s / PR.PLAY_SLICES)


def test_owed_time_is_played_first_when_there_is_room():
    sim = open_run("rush-hour", 4)
    p = _presenter(sim)
    for _ in range(20):
        p.advance(sim, FRAME, SPEED, deadline=0.0)
    assert sim.now < 20 * FRAME * SPEED / 2
    p.advance(sim, FRAME, SPEED, deadline=float("inf"))  # room enough for all of it
    assert sim.now == pytest.approx(21 * FRAME * SPEED)
    assert p.owed_s == pytest.approx(0.0, abs=1e-6)


def test_pausing_forgets_what_was_owed():
    sim = open_run("rush-hour", 4)
    p = _presenter(sim)
    p.advance(sim, FRAME, SPEED, deadline=0.0)
    assert p.owed_s > 0
    p.advance(sim, FRAME, 0.0, deadline=0.0)
    assert p.owed_s == 0.0


def test_paced_frames_log_the_same_run_as_straight_playback(screen):
    """Every frame past its budget (one slice each) with live commands on the way: the run
    is the one the simulation makes advanced straight there with the recorded commands."""
    app = App("rush-hour", seed=4, speed=SPEED, ease=False, frame_budget_s=1e-9)
    live = {30: ("capacity", {"model": "image", "slots": 12}),
            90: ("outage", {"model": "image", "duration_s": 300.0}),
            150: ("spawn_rate", {"rate_per_min": 30.0})}
    for frame in range(240):
        if frame in live:
            app.apply(*live[frame])
        app.step(FRAME)
        app.draw(screen)
    assert app.sim.now < 240 * FRAME * SPEED / 2        # the budget held playback back
    assert app.presenter.owed_s > 0
    recorded = app.sim.recorded_commands()
    assert [c.name for c in recorded] == ["capacity", "outage", "spawn_rate"]
    ref = open_run("rush-hour", 4, commands=recorded)          # a recorded session
    ref.advance_to(app.sim.now)
    assert ref.event_log_sha256() == app.sim.event_log_sha256()
    live_ref = open_run("rush-hour", 4)   # the commands issued live, in one straight play
    PR.play(live_ref, app.sim.now, list(recorded))
    assert live_ref.event_log_sha256() == app.sim.event_log_sha256()
    assert live_ref.state_digest() == app.sim.state_digest()


def test_without_a_budget_every_frame_plays_exactly_its_time(screen):
    app = App("rush-hour", seed=4, speed=SPEED, ease=False)
    for _ in range(60):
        app.step(FRAME)
        app.draw(screen)
    assert app.sim.now == pytest.approx(60 * FRAME * SPEED)
    assert app.presenter.owed_s == 0.0


def test_a_jump_forgets_what_was_owed(screen):
    """A jump lands where it was asked to, not there plus the playback owed before it."""
    app = App("rush-hour", seed=4, speed=SPEED, ease=False, frame_budget_s=1e-9)
    for _ in range(30):
        app.step(FRAME)
    assert app.presenter.owed_s > 0
    target = app.sim.now + 1200.0
    app.presenter.jump(app.sim, target)
    while app.presenter.busy:                 # the jump runs its own slices
        app.step(FRAME)
    assert app.sim.now == pytest.approx(target)
    app.frame_budget_s = 1.0                  # room for everything owed: none is
    app.step(FRAME)
    assert app.sim.now == pytest.approx(target + FRAME * SPEED)


def test_the_header_says_when_the_machine_plays_slower_than_asked(screen, monkeypatch):
    """Past the cap of what may be owed, playback is given up; the header then shows the
    speed actually kept beside the asked one (here one slice of eight a frame: x75)."""
    from render.panel import dashboard as D

    texts: list[str] = []
    real = D.Dashboard._text
    monkeypatch.setattr(D.Dashboard, "_text",
                        lambda self, t, *a, **k: texts.append(t) or real(self, t, *a, **k))
    slow = App("rush-hour", seed=4, speed=SPEED, ease=False, frame_budget_s=1e-9)
    for _ in range(240):        # ~70 frames to reach the cap, then a second of giving up
        slow.step(FRAME)
    assert slow.presenter.dropped_s > 0
    assert slow.view.kept == pytest.approx(SPEED / PR.PLAY_SLICES)
    texts.clear()
    slow.dashboard.redraw(slow.view, slow.clock)
    assert any("speed ×600 (plays ×75)" in t for t in texts), texts[:3]

    fine = App("rush-hour", seed=4, speed=SPEED, ease=False, frame_budget_s=1.0)
    for _ in range(240):
        fine.step(FRAME)
    assert fine.presenter.dropped_s == 0.0 and fine.view.kept is None
    texts.clear()
    fine.dashboard.redraw(fine.view, fine.clock)
    assert any(t.endswith("speed ×600") for t in texts), texts[:3]
