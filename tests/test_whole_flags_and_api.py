"""Flags spelled whole, and the Python API takes what the README shows (issue 16, item 6).

argparse's prefix matching once took ``--hour 2`` as ``--hours 2`` without a word; every
command line of River (``sim run``, ``sweep``, ``plan``, ``main.py``) now refuses a cut-short
flag with one line and exit 2.  ``Simulation(commands=[...])`` takes the JSON objects of a
command file, as in the README.
"""

from __future__ import annotations

import asyncio
import os
import pathlib
import re

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

import main  # noqa: E402
from sim import CommandError, Simulation, load_scenario  # noqa: E402
from sim.__main__ import main as sim_main  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("argv", [
    ["run", "--scenario", "default", "--hour", "2"],
    ["run", "--scen", "default", "--hours", "0.01"],
    ["sweep", "--scen", "default"],
    ["plan", "--target", "wait_p95<=900", "--scen", "default"],
])
def test_sim_refuses_cut_short_flags(argv, capsys):
    pytest.importorskip("numpy")
    assert sim_main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments" in err[0], err


@pytest.mark.parametrize("cut", [["--hour", "2"], ["--sec", "60"], ["--frame", "1"],
                                 ["--scen", "default"]])
def test_main_refuses_cut_short_flags(cut, capsys):
    assert asyncio.run(main.main(["--headless", "--frames", "1", *cut])) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: main.py: unrecognized arguments: {' '.join(cut)}"]


def test_whole_flags_still_work(capsys):
    assert sim_main(["run", "--scenario", "default", "--hours", "0.01", "--quiet"]) == 0


def readme_commands() -> list[dict]:
    """The command list the README shows for ``--commands``."""
    import json

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"`(\[\{\"at_s\".*?\}\])`", text)
    assert found, "the README shows a command list"
    return json.loads(found.group(1))


def test_simulation_takes_the_readmes_command_dicts():
    commands = readme_commands()
    sc = load_scenario("scenarios/default.toml")
    sim = Simulation(sc, seed=3, commands=commands)
    sim.advance_to(commands[0]["at_s"] + 1)
    st = sim.stations[commands[0]["model"]]
    assert st.base_target == commands[0]["slots"]
    assert [c.to_json() for c in sim.recorded_commands()] == [
        {**c, "at_s": float(c["at_s"])} for c in commands]
    # the same run as the Command objects a command file becomes
    from sim.commands import parse_commands

    twin = Simulation(sc, seed=3, commands=parse_commands(commands, "README"))
    twin.advance_to(sim.now)
    assert twin.event_log_sha256() == sim.event_log_sha256()


def test_a_bad_command_dict_is_one_line():
    sc = load_scenario("scenarios/default.toml")
    for bad, needle in (({"name": "capacity", "model": "image", "slots": 3}, "missing 'at_s'"),
                        ({"at_s": 5, "name": "capacity", "model": "sd3", "slots": 3},
                         "unknown model 'sd3'"),
                        ({"at_s": 5, "name": "capacity", "model": "image", "slots": -1},
                         "slots"),
                        ("capacity", "expected a command object")):
        with pytest.raises(CommandError) as e:
            Simulation(sc, commands=[bad])
        assert needle in str(e.value) and "\n" not in str(e.value)
