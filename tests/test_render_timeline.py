"""The presenter's timeline: jumps land exactly where playing through lands, and the show slows
down for the moments it marks.

References are built without the presenter: a second app played through the same frames and
commands, then advanced straight to the target with ``Simulation.advance_to``.
"""

from __future__ import annotations

import pygame
import pytest

from render import presenter as PR
from render.app import App
from render.panel import timeline as TL
from sim import Simulation

FRAME = 1 / 60


def _click(app: App, x: int, y: int = TL.TRACK.centery) -> list:
    return app.handle(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1))


def _played(speed: float, commands: dict[int, tuple[str, dict]], frames: int) -> App:
    """An app on rush-hour played ``frames`` frames, commands sent at the given frames."""
    app = App("rush-hour", seed=4, speed=speed)
    for frame in range(frames):
        if frame in commands:
            app.apply(*commands[frame])
        app.step(FRAME)
    return app


def _finish_jump(app: App, screen, limit: int = 5000) -> int:
    frames = 0
    while app.presenter.busy:
        app.step(FRAME)
        app.draw(screen)
        frames += 1
        assert frames < limit
    return frames


def _same(a: Simulation, b: Simulation) -> None:
    assert a.now == b.now
    assert a.event_log_sha256() == b.event_log_sha256()
    assert a.state_digest() == b.state_digest()


COMMANDS = {20: ("capacity", {"model": "image", "slots": 12}),
            40: ("outage", {"model": "image", "duration_s": 600.0})}


def test_jump_forward_lands_on_the_state_of_playing_through(screen):
    app = _played(600.0, COMMANDS, 60)
    ref = _played(600.0, COMMANDS, 60)
    before = app.presenter.commands(app.sim)
    assert [c.name for c in before] == ["capacity", "outage"]
    shown = app.sim
    target = 2 * 3600.0 + 17.5
    app.apply("_jump", {"t_s": target})
    assert _finish_jump(app, screen) > 1
    assert app.sim is shown and app.sim.now == target
    ref.sim.advance_to(target)
    _same(app.sim, ref.sim)
    assert app.presenter.commands(app.sim) == before


def test_jump_backward_replays_from_zero_to_the_same_state(screen):
    commands = {**COMMANDS, 70: ("rent", {"model": "image", "slots": 5})}
    app = _played(600.0, commands, 80)
    cmds = app.presenter.commands(app.sim)
    times = [c.at_s for c in cmds]
    assert times[0] < times[1] < times[2] <= app.sim.now
    original = app.sim
    target = (times[0] + times[1]) / 2          # after the first command, before the others
    app.apply("_jump", {"t_s": target})
    assert app.sim is original                  # the shown run stays until the replay is done
    while app.presenter.busy:
        app.presenter.advance(app.sim, FRAME, app.speed)
    rebuilt = app.presenter.take_ready()
    assert rebuilt is not None and rebuilt is not original
    ref = _played(600.0, {20: COMMANDS[20]}, 21)   # the same first command, then straight on
    ref.sim.advance_to(target)
    _same(rebuilt, ref.sim)
    app.adopt(rebuilt)
    # a view action: the session's commands are unchanged, the later ones wait to replay
    assert app.presenter.commands(app.sim) == cmds
    assert [c.name for c in app.presenter.pending] == ["outage", "rent"]
    # playing on replays them where they were: the original run, state for state
    end = original.now + 1234.5
    app.presenter.jump(app.sim, end)
    while app.presenter.busy:
        app.presenter.advance(app.sim, FRAME, app.speed)
    original.advance_to(end)
    _same(app.sim, original)
    assert app.presenter.pending == []
    assert app.sim.recorded_commands() == cmds
    # and the saved session replays headless to the same log
    session = app.session()
    replay = Simulation(app.sim.scenario, seed=session["seed"], commands=cmds)
    replay.advance_to(end)
    assert replay.event_log_sha256() == session["event_log_sha256"]


def test_a_long_backward_replay_runs_in_slices_with_progress_on_screen(screen):
    app = App("rush-hour", seed=2, speed=600.0)
    app.sim.advance_to(5 * 3600.0)
    app.presenter.max_slice_s = 120.0
    app.apply("_jump", {"t_s": 4 * 3600.0})
    job = app.presenter.job
    assert job.rebuilt and job.sim.now == 0.0
    shown, last = [], 0.0
    while app.presenter.busy:
        app.step(FRAME)
        app.draw(screen)
        assert job.sim.now - last <= 120.0 + 1e-9      # never a long block in one frame
        last = job.sim.now
        if app.presenter.busy:
            shown.append(app.timeline.progress_shown)
            card = pygame.Rect(0, 0, 360, 52)
            card.center = TL.L.WORLD_RECT.center
            bar_start = (card.x + 17, card.y + 36)
            if app.timeline.progress_shown > 0.05:
                assert screen.get_at(bar_start)[:3] == TL.P.YELLOW
    assert len(shown) >= 4 * 3600 // 120 - 1
    assert shown == sorted(shown) and 0.0 < shown[0] < 0.1 and shown[-1] < 1.0
    app.step(FRAME)
    assert app.sim.now >= 4 * 3600.0 and app.sim.now < 4 * 3600.0 + 60
    assert app.timeline.progress_shown is None or not app.presenter.busy


def _speeds(app: App, until_s: float) -> list[tuple[float, float]]:
    out = []
    while app.sim.now < until_s:
        app.step(FRAME)
        out.append((app.sim.now, app.speed))
        assert len(out) < 20000
    return out


def test_speed_eases_to_30_around_a_marker_and_back():
    app = App("rush-hour", seed=1, speed=600.0)
    app.sim.advance_to(3600.0 - 2000.0)        # the "busier" step at 1h is 2000 s ahead
    trace = _speeds(app, 3600.0 + 1500.0)
    assert trace[0][1] == 600.0
    near = [s for t, s in trace if abs(t - 3600.0) <= PR.HOLD_S]
    assert near and set(near) == {30.0}
    before = [s for t, s in trace if t < 3600.0]
    after = [s for t, s in trace if t > 3600.0]
    assert before == sorted(before, reverse=True)       # eases down, never jerks up
    assert after == sorted(after)                        # and back up
    assert min(before) == 30.0 and after[-1] == 600.0 and app.speed == 600.0
    # the eased speeds read calmly: two significant digits
    assert all(s == PR.two_digits(s) for _, s in trace)


def test_operator_commands_do_not_slow_the_show_but_a_chosen_speed_sticks():
    app = App("rush-hour", seed=1, speed=600.0)
    app.step(FRAME)
    app.apply("capacity", {"model": "image", "slots": 25})
    trace = _speeds(app, 1200.0)
    assert {s for _, s in trace} == {600.0}
    app.apply("_speed", {"speed": 120.0})
    trace = _speeds(app, 1500.0)
    assert {s for _, s in trace} == {120.0}


def test_a_click_on_the_strip_means_the_time_under_it(screen):
    app = App("rush-hour", seed=1, speed=0.0)
    app.step(FRAME)
    app.draw(screen)                            # the strip knows the day: 6 hours
    assert app.timeline.span == 6 * 3600.0
    assert (TL.TRACK.x, TL.TRACK.w) == (10, 844)
    x = TL.TRACK.x + 211                        # a quarter of the track
    assert TL.time_at(x, app.timeline.span) == 5400.0
    assert TL.x_at(5400.0, app.timeline.span) == x
    assert _click(app, x) == [("_jump", {"t_s": 5400.0})]
    assert app.presenter.job.target_s == 5400.0
    # on a flag (the flash crowd at 3h): land a pre-roll before it
    flag_x = TL.x_at(3 * 3600.0, app.timeline.span)
    assert flag_x == 432
    assert _click(app, flag_x + 3) == [("_jump", {"t_s": 3 * 3600.0 - PR.PRE_ROLL_S})]
    # left of the track clamps to 0, a click above the strip is not the timeline's
    assert _click(app, 2) == [("_jump", {"t_s": 0.0})]
    assert app.timeline.handle(pygame.event.Event(
        pygame.MOUSEBUTTONDOWN, pos=(x, TL.RECT.y - 1), button=1)) == []


def test_the_span_grows_by_whole_days_past_the_day():
    """Never an hour at a time (a 6 h day became 7 h under the pointer): a whole day more."""
    day = {"day_s": 3 * 3600.0}
    assert TL.span_s(day, 100.0) == 3 * 3600.0
    assert TL.span_s(day, 3 * 3600.0 + 1) == 6 * 3600.0
    assert TL.span_s(day, 5 * 3600.0) == 6 * 3600.0
    assert TL.time_at(TL.TRACK.x + TL.TRACK.w // 2, TL.span_s(day, 0.0)) == 5400.0


def test_markers_name_the_scripted_moments():
    rush = App("rush-hour", seed=1).snap.plan
    marks = PR.markers(rush)
    assert [(m.at_s, m.key, m.factor) for m in marks] == [
        (3600.0, "mk_busier", 1.0), (7200.0, "mk_rush", 1.8), (10800.0, "mk_flash", 5.0),
        (12600.0, "mk_calm", 1.0), (16200.0, "mk_calm", 0.7)]
    out = App("outage", seed=1).snap.plan
    (m,) = PR.markers(out)
    assert (m.at_s, m.kind, m.key, m.until_s) == (3600.0, "scripted", "mk_outage", 4800.0)
    labels = {"image": "SD1.5"}
    assert TL.marker_label(m, "en", labels) == "SD1.5 outage 20m00s"
    assert TL.marker_label(m, "zh", labels) == "SD1.5 故障 20m00s"
    assert TL.marker_label(marks[2], "zh", labels) == "客流暴增 ×5"


def test_the_curve_is_profile_times_rate_and_follows_spawn_rate_commands():
    app = App("rush-hour", seed=1, speed=600.0)
    app.step(FRAME)
    app.apply("spawn_rate", {"rate_per_min": 10.0})
    at = app.sim.now
    steps = TL.rate_steps(app.sim.snapshot().plan)
    assert steps[0] == (0.0, pytest.approx(0.6 * 3.5))
    assert steps[1] == (at, pytest.approx(6.0))
    assert TL.rate_at(steps, 3 * 3600.0 + 1) == pytest.approx(50.0)
    assert TL.rate_at(steps, 5 * 3600.0) == pytest.approx(7.0)


def test_the_desk_and_the_panel_show_the_same_eased_speed(screen, monkeypatch):
    """While the speed eases around a marker it changes every frame; the slider's label and
    the panel's header must read it at the same instant (they once said x290 and x240)."""
    from render.panel import dashboard as D

    app = App("rush-hour", seed=1, speed=600.0)
    app.sim.advance_to(3600.0 - 2000.0)
    header: list[float] = []
    real = D.Dashboard._paint_header
    monkeypatch.setattr(D.Dashboard, "_paint_header",
                        lambda self, view, y: header.append(view.speed) or real(self, view, y))
    at = app.controls.widgets.index(app.controls.sliders["speed"])
    compared = 0
    while app.sim.now < 3600.0 + 1500.0:
        app.step(FRAME)
        app.draw(screen)
        painted = app.controls._shown          # what the desk last painted, widget by widget
        if header and painted is not None:
            desk = painted[1][at][1]
            assert desk == header[-1], (app.sim.now, desk, header[-1])
            compared += 1
    assert compared > 100 and len(set(header)) > 5      # the speed did move meanwhile
