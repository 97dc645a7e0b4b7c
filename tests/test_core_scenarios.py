"""Scenario files and the command line: defaults spelled out, and every mistake reported in
one line naming the file, the key and what is allowed (exit 2, no traceback)."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import tomllib

import pytest

from sim import ScenarioError, load_scenario
from sim.scenario import defaults

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_default_toml_is_the_builtin_defaults():
    data = tomllib.loads((ROOT / "scenarios/default.toml").read_text())
    raw = defaults()
    for section, values in data.items():
        for key, value in values.items():
            assert raw[section][key] == value, f"{section}.{key}"
    assert set(data["models"]) == set(raw["models"])
    assert load_scenario("scenarios/default.toml").raw == load_scenario(None).raw | {}


@pytest.mark.parametrize("name", ["default", "rush-hour", "outage", "mmc", "azure-code-2023"])
def test_every_scenario_loads(name):
    sc = load_scenario(f"scenarios/{name}.toml")
    assert sc.models and sc.tiers


@pytest.mark.parametrize("text, needle", [
    ("[models.image]\nslotz = 3\n", "unknown key 'models.image.slotz'"),
    ("[models.image]\nslots = -1\n",
     "'models.image.slots' = -1: expected an integer from 0 to 500"),
    ("[models.image]\nslots = 'many'\n", "expected an integer"),
    ("[arrivals]\nrate_per_min = true\n", "'arrivals.rate_per_min'"),
    ("[arival]\nrate_per_min = 1\n", "unknown section 'arival'"),
    ("[arrivals]\nprofile = [[1, 2]]\n", "'arrivals.profile' must be a list"),
    ("[arrivals]\npatience_min_s = 900.0\n", "'arrivals.patience_min_s' must be <="),
    ("[door]\nenabled = 1\n", "'door.enabled' = 1: expected true or false"),
    ("[models.image]\ncontent = 'gif'\n", "one of image, video"),
    ("[[commands]]\nat_s = 5\nname = 'explode'\n", "unknown command 'explode'"),
    ("[[commands]]\nat_s = 5\nname = 'capacity'\nmodel = 'sd3'\nslots = 3\n",
     "unknown model 'sd3'"),
    ("this is = not toml [", "not valid TOML"),
])
def test_bad_files_get_one_clear_line(tmp_path, text, needle):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(ValueError) as err:
        load_scenario(p)
    msg = str(err.value)
    assert needle in msg and str(p) in msg and "\n" not in msg


@pytest.mark.parametrize("override, needle", [
    ("models.image.slots=abc", "'models.image.slots' = 'abc'"),
    ("models.sd3.slots=3", "unknown model 'sd3'"),
    ("queue.aging=3", "unknown key 'queue.aging'"),
    ("arrivals.vip_share=1.5", "from 0 to 1"),
    ("noequals", "expected KEY=VALUE"),
])
def test_bad_overrides(override, needle):
    with pytest.raises(ScenarioError) as err:
        load_scenario("scenarios/default.toml", [override])
    assert needle in str(err.value)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [
    ["run", "--bogus"],
    ["run", "--hours", "abc"],
    ["run", "--seed", "-3"],
    ["run", "--set", "models.image.slots=999"],
    ["run", "--scenario", "nope.toml"],
    ["run", "--commands", "missing.json"],
    ["explode"],
])
def test_cli_errors_are_one_line(args):
    r = cli(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and lines[0].startswith("error:")


def test_cli_json_contract(tmp_path):
    out = tmp_path / "s.json"
    r = cli("run", "--scenario", "scenarios/rush-hour.toml", "--hours", "4", "--seed", "2",
            "--set", "models.image.slots=12", "--json", str(out))
    assert r.returncode == 0, r.stderr
    s = json.loads(out.read_text())
    for key in ("seed", "sim_seconds", "wall_seconds", "events", "event_log_sha256",
                "queue_length_time_avg", "arrival_rate_per_s"):
        assert key in s
    assert set(s["customers"]) >= {"arrived", "rejected", "left", "done", "in_building"}
    assert set(s["orders"]) >= {"submitted", "delivered", "declined", "refunded_failure",
                                "refunded_abandon", "refunded_cancel", "in_flight"}
    assert set(s["wait_seconds"]) >= {"mean", "p50", "p95", "p99"}
    b = s["by_model"]["image"]
    assert b["slots_base"] == 12
    assert set(b) >= {"slots_base", "rented_peak", "utilization", "delivered", "wait_seconds",
                      "lanes"}
    assert set(b["lanes"]["vip"]) == {"mean", "count"}
    assert set(s["money_cents"]) >= {"wallets_initial", "wallets_final", "held_open", "revenue",
                                     "refunds", "upstream_cost", "rental_cost", "profit"}
    assert all(isinstance(v, int) for v in s["money_cents"].values())
    assert set(s["breaker"]) >= {"asked", "stayed", "left", "estimate_mean_abs_error_s"}
    assert set(s["autoscaler"]) >= {"rent_events", "return_events"}
    m = s["money_cents"]
    assert m["profit"] == m["revenue"] - m["upstream_cost"] - m["rental_cost"]
    assert s["seed"] == 2 and s["sim_seconds"] == 4 * 3600
    assert "River Factory run" in r.stdout
