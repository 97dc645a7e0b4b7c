"""Golden event-log hashes of runs that exercise every operator command.

``test_core_golden.py`` pins runs without an operator; these pin the command paths too
(capacity changes, outages, pause/resume, clear queue, manual rent/return, cancels, breaker
and autoscaler toggles), so a redesign of the core that changes any of them shows up here.
Recorded before the core was split into parts; regenerate only for an intended change:
``python tests/test_core_golden_commands.py --write``.
"""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import Simulation, load_scenario  # noqa: E402
from sim.commands import make_command  # noqa: E402

GOLDEN = pathlib.Path(__file__).with_name("golden_commands.json")

#: (at_s, name, args): one session touching every command, several on each model
SESSION = [
    (300.0, "capacity", {"model": "image", "slots": 12}),
    (900.0, "outage", {"model": "video", "duration_s": 600.0}),
    (1200.0, "pause", {"model": "audio"}),
    (1500.0, "spawn_rate", {"rate_per_min": 9.0}),
    (1800.0, "resume", {"model": "audio"}),
    (2000.0, "rent", {"model": "image", "slots": 5}),
    (2400.0, "vip_share", {"share": 0.5}),
    (2700.0, "breaker_multiplier", {"multiplier": 1.5}),
    (3000.0, "cancel_order", {"order_id": 400}),
    (3000.0, "cancel_order", {"order_id": 401}),
    (3300.0, "clear_queue", {"model": "image"}),
    (3600.0, "autoscaler", {"on": False}),
    (4000.0, "return", {"model": "image", "slots": 3}),
    (4200.0, "pause", {"model": ""}),
    (4500.0, "clear_queue", {"model": ""}),
    (4800.0, "resume", {"model": ""}),
    (5000.0, "capacity", {"model": "text", "slots": 4}),
    (5400.0, "autoscaler", {"on": True}),
    (6000.0, "breaker_multiplier", {"multiplier": 3.0}),
    (6600.0, "outage", {"model": "image", "duration_s": 900.0}),
    (7200.0, "spawn_rate", {"rate_per_min": 3.0}),
]


def run(key: str) -> list:
    name, seed, hours = key.split(":")
    cmds = [make_command(t, n, a, "golden") for t, n, a in SESSION]
    sim = Simulation(load_scenario(f"scenarios/{name}.toml"), seed=int(seed), commands=cmds)
    sim.advance_to(float(hours) * 3600)
    s = sim.summary()
    return [sim.event_log_sha256(), sim.events, s["money_cents"]["revenue"]]


@pytest.mark.parametrize("key", sorted(json.loads(GOLDEN.read_text())))
def test_event_log_with_commands_matches_the_recorded_hash(key):
    assert run(key) == json.loads(GOLDEN.read_text())[key]


if __name__ == "__main__" and "--write" in sys.argv:
    keys = ["default:11:3", "rush-hour:12:3", "outage:13:2.5"]
    GOLDEN.write_text(json.dumps({k: run(k) for k in keys}, indent=1) + "\n")
