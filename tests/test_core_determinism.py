"""Same scenario + seed + commands => the same event log, however the run is sliced."""

from __future__ import annotations

import json
import subprocess
import sys

from sim import Simulation, load_scenario
from sim.commands import dump_commands, load_commands

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def run_hash(name="rush-hour", seed=5, hours=2.0, steps=1, commands=(), snapshots=False):
    sim = Simulation(load_scenario(f"scenarios/{name}.toml"), seed=seed, commands=commands)
    end = hours * 3600
    for i in range(1, steps + 1):
        sim.advance_to(end * i / steps)
        if snapshots:
            sim.snapshot()
            sim.event_log_sha256()  # reading the hash must not change it
    return sim.event_log_sha256(), sim.events


def test_same_seed_same_log_and_slicing_does_not_matter():
    one = run_hash(steps=1)
    assert one == run_hash(steps=1)
    assert one == run_hash(steps=997, snapshots=True)
    assert one[1] > 4000   # a busy run (about 4,900 events on seed 5)


def test_different_seed_different_log():
    assert run_hash(seed=5)[0] != run_hash(seed=6)[0]


def test_live_session_replays_exactly(tmp_path):
    """Commands sent between frames, recorded, replayed from a file: same log."""
    sc = load_scenario("scenarios/default.toml")
    live = Simulation(sc, seed=9)
    plan = {600.0: ("capacity", {"model": "image", "slots": 8}),
            1234.5: ("outage", {"model": "audio", "duration_s": 600.0}),
            2000.0: ("pause", {"model": "text"}),
            2600.0: ("resume", {"model": ""}),
            3000.0: ("rent", {"model": "image", "slots": 5}),
            3300.0: ("spawn_rate", {"rate_per_min": 9.0}),
            4000.0: ("clear_queue", {"model": "image"}),
            4500.0: ("breaker_multiplier", {"multiplier": 1.5})}
    t = 0.0
    while t < 5400:
        t += 16.7 * 37  # a frame at 37x speed
        live.advance_to(t)
        for at in [a for a in plan if a <= live.now]:
            name, args = plan.pop(at)
            live.command(name, **args)
    live.advance_to(7200)
    path = tmp_path / "session.json"
    path.write_text(dump_commands(live.recorded_commands()))
    replay = Simulation(sc, seed=9, commands=load_commands(path, tuple(sc.models)))
    replay.advance_to(7200)
    assert replay.event_log_sha256() == live.event_log_sha256()
    assert replay.summary()["orders"] == live.summary()["orders"]
    # and the command line gives the same hash
    out = tmp_path / "out.json"
    subprocess.run([sys.executable, "-m", "sim", "run", "--scenario", "scenarios/default.toml",
                    "--seed", "9", "--hours", "2", "--commands", str(path), "--json", str(out),
                    "--quiet"], check=True, cwd=ROOT)
    assert json.loads(out.read_text())["event_log_sha256"] == live.event_log_sha256()


def test_commands_change_the_run():
    base = run_hash(name="default", hours=1)
    sc = load_scenario("scenarios/default.toml")
    sim = Simulation(sc, seed=5, commands=load_commands_from([
        {"at_s": 100.0, "name": "capacity", "model": "image", "slots": 2}], sc))
    sim.advance_to(3600)
    assert sim.event_log_sha256() != base[0]


def load_commands_from(entries, sc):
    from sim.commands import parse_commands

    return parse_commands(entries, "test", tuple(sc.models))


def test_hash_covers_every_record():
    """Two runs that differ in one late event differ in hash (the tail is hashed too)."""
    sc = load_scenario("scenarios/default.toml")
    a = Simulation(sc, seed=1)
    b = Simulation(sc, seed=1)
    a.advance_to(100.0)
    b.advance_to(100.0)
    assert a.event_log_sha256() == b.event_log_sha256()
    b.command("vip_share", share=0.5)
    b.advance_to(100.0)
    assert a.event_log_sha256() != b.event_log_sha256()


def test_python_hash_seed_does_not_matter(tmp_path):
    """No ``hash()`` of a string anywhere in the draws or the order of events: the same seed
    under two ``PYTHONHASHSEED`` values (in fresh interpreters) gives the same log, and the
    same as this process."""
    import os

    commands = tmp_path / "cmds.json"
    commands.write_text(json.dumps([
        {"at_s": 1800.0, "name": "outage", "model": "image", "duration_s": 600.0},
        {"at_s": 2400.0, "name": "rent", "model": "audio", "slots": 5}]))
    hashes = []
    for hash_seed in ("1", "4242"):
        out = tmp_path / f"out-{hash_seed}.json"
        subprocess.run([sys.executable, "-m", "sim", "run", "--scenario",
                        "scenarios/rush-hour.toml", "--seed", "7", "--hours", "3",
                        "--commands", str(commands), "--json", str(out), "--quiet"],
                       check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": hash_seed})
        hashes.append(json.loads(out.read_text())["event_log_sha256"])
    sc = load_scenario("scenarios/rush-hour.toml")
    here = Simulation(sc, seed=7, commands=load_commands(commands, tuple(sc.models)))
    here.advance_to(3 * 3600)
    assert hashes[0] == hashes[1] == here.event_log_sha256()
