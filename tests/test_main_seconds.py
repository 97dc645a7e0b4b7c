"""main.py --seconds S: the windowed frame loop stops advancing at exactly simulated second S.

Why: the browser test (tests/browser/test_page_same_run.py) plays a command file through the
app's own frame loop and compares the event-log hash with ``python -m sim run --seconds S``;
frames cut simulated time wherever real time falls, so only a clamp at S makes the two runs
end at the same instant.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest

import main as app_main
from render.app import App
from sim import Simulation, load_scenario
from sim.commands import load_commands

COMMANDS = [{"at_s": 300.0, "name": "capacity", "model": "image", "slots": 8},
            {"at_s": 700.5, "name": "spawn_rate", "rate_per_min": 12.0}]


def _native_hash(path, seconds: float) -> str:
    sim = Simulation(load_scenario("scenarios/rush-hour.toml"), seed=7,
                     commands=load_commands(str(path)))
    sim.advance_to(seconds)
    return sim.event_log_sha256()


def test_the_frame_loop_stops_at_the_given_second(tmp_path, capsys):
    cmds = tmp_path / "cmds.json"
    cmds.write_text(json.dumps(COMMANDS))
    rec = tmp_path / "rec.json"
    # 200 frames x 1/60 s x 600 = 2000 simulated seconds asked for (headless playback does not
    # ease around the two commands): the clamp keeps 1234.5
    code = asyncio.run(app_main.main(["--headless", "--frames", "200", "--speed", "600",
                                      "--scenario", "rush-hour", "--seed", "7",
                                      "--commands", str(cmds), "--seconds", "1234.5",
                                      "--record", str(rec)]))
    assert code == 0
    out = capsys.readouterr().out
    assert "--seconds 1234.5 " in out
    shown = re.search(r"event_log_sha256 ([0-9a-f]{64})", out).group(1)
    assert shown == _native_hash(cmds, 1234.5)
    assert json.loads(rec.read_text()) == COMMANDS


def test_app_clamp_applies_to_every_step(screen):
    app = App("default", seed=7, speed=600.0, stop_at_s=95.0)
    for _ in range(30):
        app.step(1 / 60)
        assert app.sim.now <= 95.0
    assert app.sim.now == 95.0


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon"])
def test_bad_seconds_is_one_line_and_status_2(value, capsys):
    code = asyncio.run(app_main.main(["--headless", "--seconds", value]))
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--seconds" in err[0]
