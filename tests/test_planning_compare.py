"""``python -m sim compare``: its JSON contract, the paired arithmetic, executors, bad input."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT

from planning.aggregate import t_quantile
from planning.compare import (
    CompareError,
    Comparison,
    apply_changes,
    metric_names,
    run_compare,
)
from planning.executors import LocalExecutor, SerialExecutor
from sim import load_scenario
from sim.__main__ import main

SETS = ["--set", "arrivals.rate_per_min=5", "--set", "autoscaler.enabled=false"]


def test_json_has_the_keys_of_the_contract(tmp_path, capsys):
    out = tmp_path / "c.json"
    code = main(["compare", *SETS, "--hours", "0.5", "--seeds", "3", "--first-seed", "4",
                 "--change", "models.image.slots=25", "--workers", "1", "--json", str(out)])
    assert code == 0
    doc = json.loads(out.read_text())
    assert doc["seeds"] == [4, 5, 6]
    assert doc["changes"] == {"models.image.slots": 25}
    assert doc["scenario"] == "default"
    models = list(load_scenario("default").models)
    assert list(doc["metrics"]) == metric_names(models)
    for name in ("wait_p50_s", "wait_p95_s", "image.wait_p95_s", "text.wait_p50_s",
                 "customers_lost", "revenue_cents", "costs_cents", "profit_cents",
                 "service_level"):
        m = doc["metrics"][name]
        assert set(m) >= {"base_mean", "changed_mean", "diff_mean", "diff_ci95_halfwidth",
                          "unpaired_ci95_halfwidth", "correlation", "pairing_floor"}
        assert m["diff_mean"] == pytest.approx(m["changed_mean"] - m["base_mean"], abs=1e-6)
    # the base of the comparison is the plain run of each seed
    costs = doc["metrics"]["costs_cents"]
    assert costs["diff_mean"] > 0            # five more SD1.5 slots cost more
    text = capsys.readouterr().out
    assert "SD1.5 wait_p95_s" in text and "ratio" in text


def test_paired_and_unpaired_half_widths_by_hand():
    base = np.array([[10.0], [12.0], [15.0], [11.0]])
    changed = base - np.array([[2.0], [2.5], [1.5], [2.0]])
    rows = Comparison(("x",), (1, 2, 3, 4), base, changed, 0.0, "test").rows()["x"]
    d = (changed - base)[:, 0]
    assert rows["diff_mean"] == pytest.approx(-2.0)
    assert rows["diff_ci95_halfwidth"] == pytest.approx(
        t_quantile(0.975, 3) * d.std(ddof=1) / 2.0)
    assert rows["unpaired_ci95_halfwidth"] == pytest.approx(
        t_quantile(0.975, 6) * math.sqrt((base.var(ddof=1) + changed.var(ddof=1)) / 4))
    assert rows["ratio"] < 0.2          # the common part of the seeds cancels in the pairs


def test_the_pairing_floor_is_what_a_pinned_side_leaves():
    """A side that barely varies (a p95 pinned at the 3x bound) leaves pairing nothing to
    cancel: even perfectly correlated seeds give a ratio near 1, and the floor says so; two
    sides that vary alike have a floor near 0 and a small ratio."""
    spread = np.array([[3.0], [-1.0], [4.0], [-6.0], [0.5], [2.0]])
    pinned = np.full((6, 1), 900.0) + spread * 0.01
    moving = np.full((6, 1), 800.0) + spread * 20.0
    rows = Comparison(("x",), tuple(range(6)), pinned, moving, 0.0, "test").rows()["x"]
    assert rows["correlation"] == pytest.approx(1.0)
    assert rows["pairing_floor"] > 0.9
    assert rows["ratio"] == pytest.approx(rows["pairing_floor"])   # r = 1: at the floor
    alike = np.full((6, 1), 700.0) + spread * 19.0
    rows = Comparison(("x",), tuple(range(6)), alike, moving, 0.0, "test").rows()["x"]
    assert rows["pairing_floor"] < 0.05 and rows["ratio"] < 0.05
    flat = Comparison(("x",), (1, 2), np.ones((2, 1)), np.ones((2, 1)), 0.0, "t").rows()["x"]
    assert flat["pairing_floor"] is None and flat["correlation"] is None


def test_executors_give_the_same_numbers():
    base = load_scenario("default", ["arrivals.rate_per_min=5"])
    changed, _ = apply_changes(base, ["models.image.slots=24"])
    seeds = (1, 2)
    a = run_compare(base, changed, seeds, 1200.0, (), SerialExecutor())
    b = run_compare(base, changed, seeds, 1200.0, (), LocalExecutor(2))
    assert a.rows() == b.rows()


def test_pairing_narrows_the_profit_difference():
    """Same customers in both runs: a capacity change moves profit by nearly the same amount
    on every seed, so the paired CI is several times narrower than the unpaired one."""
    base = load_scenario("default", ["autoscaler.enabled=false"])
    changed, _ = apply_changes(base, ["models.image.slots=25"])
    rows = run_compare(base, changed, tuple(range(1, 7)), 3600.0, (), SerialExecutor()).rows()
    assert rows["profit_cents"]["ratio"] < 0.3


@pytest.mark.parametrize(("args", "says"), [
    (["--change", "models.image.slotz=25"], "unknown key 'models.image.slotz'"),
    (["--change", "models.image.slots=900"], "expected an integer from 0 to 500"),
    (["--change", "models.foo.slots=3"], "unknown model 'foo'"),
    (["--change", "models.image.slots=20"], "equal to the base value (20)"),
    (["--change", "run.hours=2"], "run.* keys would not change the runs"),
    (["--change", "slots"], "expected KEY=VALUE"),
    (["--change", "models.image.slots=25", "--seeds", "1"], "--seeds"),
    (["--change", "models.image.slots=25", "--hours", "1", "--seconds", "5"], "not allowed"),
    ([], "--change"),
])
def test_bad_input_is_one_line_and_exit_2(args, says, capsys):
    assert main(["compare", "--workers", "1", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and says in err, err


def test_a_change_names_the_scenario_and_the_flag():
    base = load_scenario("default")
    with pytest.raises(CompareError, match=r"default \(--change\): unknown model 'foo'"):
        apply_changes(base, ["models.foo.slots=3"])


def test_piped_output_has_no_progress_bar():
    proc = subprocess.run([sys.executable, "-m", "sim", "compare", "--hours", "0.1",
                           "--seeds", "2", "--change", "models.image.slots=25",
                           "--workers", "1"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert proc.stderr == ""
    assert "profit_cents" in proc.stdout
