"""Golden event-log hashes: the same scenario + seed gives the same log on every machine.

These hashes were recorded by an earlier run; a change that alters them changes the model's
behaviour (or its log format) and must say so.  When that is intended, regenerate the file:
``python tests/test_core_golden.py --write``.
"""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import Simulation, load_scenario  # noqa: E402

GOLDEN = pathlib.Path(__file__).with_name("golden_hashes.json")


def run(key: str) -> list:
    name, seed, hours = key.split(":")
    sim = Simulation(load_scenario(f"scenarios/{name}.toml"), seed=int(seed))
    sim.advance_to(float(hours) * 3600)
    return [sim.event_log_sha256(), sim.events]


@pytest.mark.parametrize("key", sorted(json.loads(GOLDEN.read_text())))
def test_event_log_matches_the_recorded_hash(key):
    assert run(key) == json.loads(GOLDEN.read_text())[key]


if __name__ == "__main__" and "--write" in sys.argv:
    keys = json.loads(GOLDEN.read_text())
    GOLDEN.write_text(json.dumps({k: run(k) for k in keys}, indent=1) + "\n")
