"""A session played in the window replays headless to the same event log."""

from __future__ import annotations

import asyncio
import json
import pathlib
import re
import subprocess
import sys

import pygame
import pytest

import main as app_main
from render.app import App
from sim import Simulation, load_scenario

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_session_recorded_in_the_app_replays_exactly(screen, tmp_path, capsys):
    app = App("rush-hour", seed=4, speed=100.0)   # 1/60 s x 100: a clock with float noise
    for frame in range(240):
        if frame == 30:
            app.sim.command("capacity", model="image", slots=12)   # what a slider sends
        if frame == 90:
            app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_o, mod=0,
                                          unicode="o", scancode=0))  # outage shortcut
        if frame == 150:
            app.sim.command("rent", model="image", slots=5)
        app.step(1 / 60)
        app.draw(screen)
    assert len(app.session()["commands"]) >= 3
    path = tmp_path / "session.json"
    assert app_main.record_session(app, str(path)) == 0
    session = app.session()
    line = capsys.readouterr().out
    # the printed time is short (602.22, not 602.2200000000068) and replays to the hash
    seconds = re.search(r"--seconds (\S+)", line).group(1)
    assert re.fullmatch(r"\d+(\.\d{1,2})?", seconds), line
    assert abs(float(seconds) - session["sim_seconds"]) <= 0.005
    assert f"event_log_sha256 {session['event_log_sha256']}" in line
    out = tmp_path / "replay.json"
    r = subprocess.run([sys.executable, "-m", "sim", "run", "--scenario", session["scenario"],
                        "--seed", str(session["seed"]), "--seconds", seconds,
                        "--commands", str(path), "--json", str(out), "--quiet"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text())["event_log_sha256"] == session["event_log_sha256"]


def test_main_replays_a_command_file(tmp_path, capsys):
    path = tmp_path / "cmds.json"
    path.write_text(json.dumps([{"at_s": 10.0, "name": "capacity", "model": "image",
                                 "slots": 3}]))
    rec = tmp_path / "rec.json"
    code = asyncio.run(app_main.main(["--headless", "--frames", "30", "--speed", "60",
                                      "--commands", str(path), "--record", str(rec)]))
    assert code == 0
    assert json.loads(rec.read_text())[0]["slots"] == 3
    assert "--commands" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('[{"at_s": 1, "name": "explode"}]')
    code = asyncio.run(app_main.main(["--headless", "--commands", str(bad)]))
    assert code == 2


class _Boom(Exception):
    pass


@pytest.mark.parametrize("fault", [_Boom, KeyboardInterrupt, asyncio.CancelledError])
def test_the_session_is_written_when_the_loop_dies(tmp_path, capsys, monkeypatch, fault):
    """A crash in a frame, Ctrl-C, or asyncio cancelling the task: the file is still there."""
    real_step = App.step

    def step(self, dt):
        real_step(self, dt)
        if self.clock > 20 / 60:
            self.sim.command("capacity", model="image", slots=7)
            raise fault("in the middle of a frame")

    monkeypatch.setattr(App, "step", step)
    rec = tmp_path / "rec.json"
    args = ["--headless", "--frames", "600", "--speed", "60", "--record", str(rec)]
    if fault is asyncio.CancelledError:   # how asyncio.run delivers Ctrl-C: exit 130, quietly
        assert asyncio.run(app_main.main(args)) == 130
    else:
        with pytest.raises(fault):
            asyncio.run(app_main.main(args))
    assert json.loads(rec.read_text()) == [
        {"at_s": pytest.approx(21 / 60 * 60, abs=1.0), "name": "capacity", "model": "image",
         "slots": 7}]
    assert f"to {rec}; replay headless with" in capsys.readouterr().out


def test_the_session_is_written_when_the_window_is_closed(screen, tmp_path):
    pygame.event.clear()
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    rec = tmp_path / "rec.json"
    code = asyncio.run(app_main.main(["--headless", "--frames", "600", "--record", str(rec)]))
    assert code == 0 and json.loads(rec.read_text()) == []


@pytest.mark.parametrize(("now_s", "last_record_s", "want"), [
    (602.2200000000068, 602.0, 602.22),
    (602.2199999999932, 602.0, 602.22),          # later than now: the app advances to it
    (602.2240000000001, 602.2231, 602.224),       # a record inside the rounding gap
    (602.2200000000068, 602.2200000000068, 602.2200000000068),
    (602.2201231525, 602.2201231515, 602.23),    # every rounding falls before it: round up
    (0.0, 0.0, 0.0),
])
def test_the_replay_time_is_short_and_never_before_the_last_record(now_s, last_record_s, want):
    assert app_main.replay_seconds(now_s, last_record_s) == want


def test_a_rounded_replay_time_replays_to_the_same_log():
    """Ends chosen just after a record (the rounding gap holds it) and just before the next
    one (rounding up crosses nothing): the printed time always replays to the same hash."""
    scenario = load_scenario("rush-hour")
    probe = Simulation(scenario, seed=9, keep_log=True)
    probe.advance_to(7200.0)
    times = sorted({r[0] for r in probe.log.records if r[0] > 60.0})
    assert len(times) >= 100
    times = times[::len(times) // 10][:10]
    for t in times:
        for end in (t + 1e-9, t - 1e-9, t + 0.004):
            sim = Simulation(scenario, seed=9)
            sim.advance_to(end)
            printed = app_main.settle_replay_time(sim)
            assert len(repr(printed)) <= len(repr(round(end, 6))), (end, printed)
            replay = Simulation(scenario, seed=9)
            replay.advance_to(float(repr(printed)))
            assert replay.event_log_sha256() == sim.event_log_sha256(), (t, end, printed)


def test_the_replay_line_carries_the_set_overrides(tmp_path, capsys):
    """main.py --set: the printed replay line has the overrides, so it replays the same log."""
    rec = tmp_path / "rec.json"
    code = asyncio.run(app_main.main(["--headless", "--frames", "60", "--speed", "60",
                                      "--scenario", "rush-hour", "--set",
                                      "arrivals.rate_per_min=25", "--record", str(rec)]))
    assert code == 0
    out = capsys.readouterr().out
    line = re.search(r"python -m sim run (.+)", out).group(1)
    sha = re.search(r"event_log_sha256 ([0-9a-f]{64})", out).group(1)
    assert "--set arrivals.rate_per_min=25" in line
    report = tmp_path / "replay.json"
    r = subprocess.run([sys.executable, "-m", "sim", "run", *line.split(), "--json",
                        str(report), "--quiet"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(report.read_text())["event_log_sha256"] == sha
