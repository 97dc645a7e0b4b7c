"""A session played in the window replays headless to the same event log."""

from __future__ import annotations

import asyncio
import json
import pathlib
import subprocess
import sys

import pygame

import main as app_main
from render.app import App

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_session_recorded_in_the_app_replays_exactly(screen, tmp_path):
    app = App("rush-hour", seed=4, speed=120.0)
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
    session = app.session()
    assert len(session["commands"]) >= 3
    path = tmp_path / "session.json"
    assert app_main.record_session(app, str(path)) == 0
    out = tmp_path / "replay.json"
    r = subprocess.run([sys.executable, "-m", "sim", "run", "--scenario", session["scenario"],
                        "--seed", str(session["seed"]), "--seconds", repr(session["sim_seconds"]),
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
