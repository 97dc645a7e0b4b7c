"""--vary parsing, and the one-line errors of the planning commands (via the real CLI)."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT

from planning.grid import GridError, make_grid, parse_vary


def test_integer_range_includes_stop():
    axis = parse_vary("models.image.slots=10:40:2")
    assert axis.key == "models.image.slots"
    assert axis.values == tuple(range(10, 41, 2))
    assert all(isinstance(v, int) for v in axis.values)
    assert parse_vary("models.image.slots=10:15:2").values == (10, 12, 14)


def test_float_range_does_not_drift():
    axis = parse_vary("arrivals.rate_per_min=0.1:1.0:0.1")
    assert axis.values == (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
    assert parse_vary("arrivals.rate_per_min=3.5:7:0.5").values[-1] == 7.0


def test_switch_values():
    axis = parse_vary("autoscaler.enabled=true,false")
    assert axis.values == (True, False)
    assert axis.override(False) == "autoscaler.enabled=false"


def test_value_list_and_grid_order():
    grid = make_grid(["models.image.slots=10,20", "arrivals.rate_per_min=3:4:1"])
    assert len(grid) == 4 and grid.shape == (2, 2)
    assert grid.points() == [(10, 3), (10, 4), (20, 3), (20, 4)]  # last axis fastest
    assert grid.overrides((20, 3)) == ["models.image.slots=20", "arrivals.rate_per_min=3"]


BAD_SPECS = [
    "models.image.slots",  # no '='
    "models.image.slots=10:40",  # two parts
    "models.image.slots=10:40:0",  # zero step
    "models.image.slots=40:10:2",  # backwards
    "models.image.slots=ten:40:2",  # not a number
    "models.image.slots=",  # nothing
    "slots=10:40:2",  # not dotted
    "models.image.slots=1,2,2",  # repeats
    "models.image.slots=0:1e9:1",  # too many points
]


@pytest.mark.parametrize("spec", BAD_SPECS)
def test_bad_specs_raise_one_line(spec):
    with pytest.raises(GridError) as err:
        parse_vary(spec)
    assert "\n" not in str(err.value)
    assert spec in str(err.value) or repr(spec) in str(err.value)


def test_same_key_twice():
    with pytest.raises(GridError, match="twice"):
        make_grid(["models.image.slots=1:2:1", "models.image.slots=3:4:1"])


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args", [
    ["sweep", "--vary", "models.image.slots=10:40"],
    ["sweep", "--vary", "models.image.slots=10:40:-2"],
    ["sweep", "--vary", "models.image.slotz=10:40:2"],  # key unknown to the scenario
    ["sweep", "--vary", "models.image.slots=0.5:2:0.5"],  # wrong type for the key
    ["sweep"],  # no --vary at all
    ["sweep", "--vary", "models.image.slots=1:2:1", "--executor", "dask://nowhere"],
    ["plan", "--vary", "models.image.slots=10:12:2", "--target", "wait_p95 = 900"],
    ["plan", "--vary", "models.image.slots=10:12:2", "--target", "wait_p99<=900"],
    ["validate", "--seeds", "0"],
])
def test_cli_errors_are_one_line_exit_2(args):
    proc = run_cli(*args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
