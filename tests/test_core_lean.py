"""Lean runs (``Simulation(lean=True)``, what planning asks for): every figure the summary
reports is the full run's, bit for bit; what it leaves out it names; and wherever something
acts on the wait estimate -- the breaker, an autoscaler that can rent -- the estimate is still
made."""

import math

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from planning import compare, metrics
from planning.cli import build_parser, cmd_plan
from planning.executors import SerialExecutor
from sim import Simulation, load_scenario, run
from sim.commands import CommandError, make_command
from sim.eventlog import EventLog
from sim.stations import Station
from sim.summary import LEAN_SKIPS, table

SCENARIOS = ROOT / "scenarios"
#: the README plan example's switches: nothing acts on the estimate of the image model
PLAN_SETS = ["arrivals.rate_per_min=6.3", "models.image.max_rented=0",
             "wait_breaker.enabled=false"]


def _flat(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float)
                      and math.isnan(a) and math.isnan(b))


def assert_lean_reports_the_full_run(scenario, seed, hours, commands=()):
    full = _flat(run(scenario, seed=seed, hours=hours, commands=commands))
    lean = _flat(run(scenario, seed=seed, hours=hours, commands=commands, lean=True))
    skipped = lean.pop("lean.skipped")
    assert set(skipped) <= set(LEAN_SKIPS)
    for key in ("wall_seconds",):
        full.pop(key), lean.pop(key)
    # what it left out it names, and it reports nothing else missing -- and nothing new
    assert set(full) - set(lean) == set(skipped)
    assert set(lean) <= set(full)
    diff = {k: (full[k], lean[k]) for k in lean if not _same(full[k], lean[k])}
    assert not diff
    return skipped


@pytest.mark.parametrize("name, sets, seed, hours", [
    ("default", PLAN_SETS + ["models.image.slots=20"], 1, 2.0),
    ("default", PLAN_SETS + ["models.image.slots=30"], 7, 2.0),
    ("default", [], 2, 1.5),
    ("default", ["wait_breaker.enabled=false", "autoscaler.enabled=false"], 3, 1.5),
    ("rush-hour", [], 4, 1.5),
    ("rush-hour", ["wait_breaker.enabled=false"], 5, 1.5),
    ("outage", ["wait_breaker.enabled=false"], 6, 2.0),
    ("outage", [], 6, 2.0),
    ("mmc", [], 8, 0.5),
    ("azure-code-2023", ["wait_breaker.enabled=false"], 9, 0.5),
])
def test_lean_summary_equals_the_full_ones_on_every_key_it_reports(name, sets, seed, hours):
    scenario = load_scenario(SCENARIOS / f"{name}.toml", sets)
    skipped = assert_lean_reports_the_full_run(scenario, seed, hours)
    assert "event_log_sha256" in skipped
    acts = scenario.wait_breaker.enabled and scenario.wait_breaker.multiplier > 0
    # with the breaker acting, the estimate is made and its error is a real measurement
    assert ("breaker.estimate_mean_abs_error_s" in skipped) == (not acts)


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(breaker=hs.booleans(), multiplier=hs.sampled_from([0.0, 1.0, 3.0]),
       autoscaler=hs.booleans(), image_room=hs.sampled_from([0, 4]),
       other_room=hs.sampled_from([0, 10]), rate=hs.sampled_from([3.5, 6.3, 9.0]),
       door=hs.booleans(), seed=hs.integers(0, 1000),
       later=hs.sampled_from(["", "autoscaler", "breaker_multiplier", "outage"]))
def test_lean_equals_full_over_scenario_switches(breaker, multiplier, autoscaler, image_room,
                                                 other_room, rate, door, seed, later):
    sets = [f"wait_breaker.enabled={str(breaker).lower()}",
            f"wait_breaker.multiplier={multiplier}",
            f"autoscaler.enabled={str(autoscaler).lower()}",
            f"models.image.max_rented={image_room}", f"models.video.max_rented={other_room}",
            f"models.audio.max_rented={other_room}", f"models.text.max_rented={other_room}",
            f"arrivals.rate_per_min={rate}", f"door.enabled={str(door).lower()}",
            "models.image.slots=8"]
    args = {"autoscaler": {"on": True}, "breaker_multiplier": {"multiplier": 2.0},
            "outage": {"model": "image", "duration_s": 600.0}}.get(later)
    commands = [make_command(1800.0, later, args)] if later else []
    scenario = load_scenario(SCENARIOS / "default.toml", sets)
    assert_lean_reports_the_full_run(scenario, seed, 1.0, commands)


def _count_calls(monkeypatch, name):
    calls: dict[str, int] = {}
    real = getattr(Station, name)

    def counted(self, *a, **k):
        calls[self.name] = calls.get(self.name, 0) + 1
        return real(self, *a, **k)

    monkeypatch.setattr(Station, name, counted)
    return calls


def test_a_lean_run_estimates_where_the_breaker_acts(monkeypatch):
    calls = _count_calls(monkeypatch, "est_range")
    scenario = load_scenario(SCENARIOS / "rush-hour.toml")      # breaker on, multiplier 3
    sim = Simulation(scenario, seed=1, lean=True)
    assert sim.estimating
    sim.advance_to(1800.0)
    assert sum(calls.values()) >= sim.counts["enqueued"] > 0
    assert "estimate_mean_abs_error_s" in sim.summary()["breaker"]
    # the breaker off: no enqueue is estimated
    calls.clear()
    quiet = Simulation(load_scenario(SCENARIOS / "rush-hour.toml",
                                     ["wait_breaker.enabled=false"]), seed=1, lean=True)
    assert not quiet.estimating
    quiet.advance_to(1800.0)
    assert quiet.counts["enqueued"] > 0 and not calls
    assert "estimate_mean_abs_error_s" not in quiet.summary()["breaker"]


def test_a_breaker_multiplier_command_makes_the_lean_run_estimate():
    scenario = load_scenario(SCENARIOS / "default.toml", ["wait_breaker.multiplier=0"])
    assert not Simulation(scenario, lean=True).estimating
    later = [make_command(600.0, "breaker_multiplier", {"multiplier": 3.0})]
    assert Simulation(scenario, commands=later, lean=True).estimating


def test_a_renting_autoscaler_still_gets_its_newcomer_wait(monkeypatch):
    calls = _count_calls(monkeypatch, "newcomer_wait")
    scenario = load_scenario(SCENARIOS / "default.toml", PLAN_SETS + ["models.image.slots=20"])
    full = Simulation(scenario, seed=2)
    full.advance_to(3600.0)
    seen = dict(calls)
    calls.clear()
    lean = Simulation(scenario, seed=2, lean=True)
    lean.advance_to(3600.0)
    assert seen.get("image", 0) > 0            # the image queue is long: the full run asks
    assert "image" not in calls                # ... the lean one not: image cannot rent
    renting = {m for m, cfg in scenario.models.items() if cfg.max_rented > 0}
    assert renting and lean.autoscaler.signal_from == renting
    assert {m: n for m, n in calls.items()} == {m: n for m, n in seen.items() if m in renting}
    assert lean.summary()["money_cents"] == full.summary()["money_cents"]


def test_a_lean_run_refuses_a_command_that_would_act_on_the_estimates_it_skipped():
    scenario = load_scenario(SCENARIOS / "default.toml",
                             ["wait_breaker.multiplier=0", "autoscaler.enabled=false"])
    sim = Simulation(scenario, lean=True)
    sim.advance_to(60.0)
    for name, args in (("breaker_multiplier", {"multiplier": 3.0}), ("autoscaler", {"on": True})):
        with pytest.raises(CommandError, match="lean"):
            sim.command(name, **args)
    sim.command("spawn_rate", rate_per_min=5.0)    # one that acts on nothing estimated
    sim.command("autoscaler", on=False)


def test_lean_skips_only_the_hash_and_the_estimate_errors_and_says_so():
    scenario = load_scenario(SCENARIOS / "default.toml", PLAN_SETS)
    s = run(scenario, seed=1, hours=0.5, lean=True)
    assert "event_log_sha256" not in s
    assert s["lean"]["skipped"] == list(LEAN_SKIPS)
    text = table(s)
    assert "not made (lean run)" in text and "no estimates made (lean run)" in text
    assert "lean" not in run(scenario, seed=1, hours=0.5)           # the default is full
    with pytest.raises(ValueError):
        Simulation(scenario, lean=True, keep_log=True)
    snap = Simulation(scenario, lean=True).snapshot()
    assert snap is not None


def test_an_unhashed_log_counts_and_keeps_its_tail_like_the_hashed_one():
    hashed, plain = EventLog(tail=50), EventLog(tail=50, hashing=False)
    for i in range(10_000):
        rec = (float(i), "arrive", i)
        hashed.add(rec)
        plain.add(rec)
        if i % 3000 == 0:
            hashed.settle()
            plain.settle()
    hashed.settle()
    plain.settle()
    assert plain.total() == hashed.total() == 10_000
    assert list(plain.tail) == list(hashed.tail) and plain.recent(70) == hashed.recent(70)
    assert plain.since(9_000) == hashed.since(9_000)
    with pytest.raises(RuntimeError, match="lean"):
        plain.sha256()


def _restricted(summary, reads, models):
    out: dict = {}
    for path in reads:
        for p in ([path.replace("*", m) for m in models] if "*" in path else [path]):
            src, dst, parts = summary, out, p.split(".")
            for part in parts[:-1]:
                src = src[part]
                dst = dst.setdefault(part, {})
            dst[parts[-1]] = src[parts[-1]]
    return out


@pytest.mark.parametrize("reads, extract", [
    (metrics.SUMMARY_READS, metrics.extract), (compare.SUMMARY_READS, compare.extract)])
def test_planning_reads_only_what_it_declares_and_none_of_what_lean_skips(reads, extract):
    scenario = load_scenario(SCENARIOS / "default.toml")
    models = list(scenario.models)
    s = run(scenario, seed=1, hours=0.3)
    # the declared reads are all the extractor needs (a missing one is a KeyError)
    assert extract(_restricted(s, reads, models), models) == extract(s, models)
    assert metrics.wants_lean(reads)
    assert not metrics.wants_lean((*reads, "event_log_sha256"))
    assert not metrics.wants_lean(("breaker.estimate_coverage_80",))


def test_the_plan_example_prints_the_same_lean_and_full(monkeypatch, capsys):
    import planning.sweep

    args = build_parser().parse_args(
        ["plan", "--scenario", str(SCENARIOS / "default.toml"), *sum((["--set", s]
                                                                      for s in PLAN_SETS), []),
         "--target", "wait_p95<=900", "--vary", "models.image.slots=20:32:6", "--seeds", "2",
         "--hours", "1", "--quiet"])
    outs = []
    for lean in (True, False):
        monkeypatch.setattr(planning.sweep, "LEAN", lean)
        cmd_plan(args, executor=SerialExecutor())
        out = capsys.readouterr().out
        outs.append([line for line in out.splitlines() if " runs in " not in line])
    assert outs[0] == outs[1] and len(outs[0]) > 5


PAUSE = [make_command(900.0, "pause", {"model": ""}), make_command(1500.0, "resume", {})]


@pytest.mark.parametrize("name, sets, commands", [
    ("default", PLAN_SETS, ()),
    ("rush-hour", [], ()),
    ("outage", [], ()),
    ("default", ["arrivals.rate_per_min=9", "models.text.batch_max=4", "models.text.slots=2",
                 "arrivals.vip_share=0.5"], PAUSE),
])
def test_the_newcomer_fast_path_is_what_the_walk_finds(monkeypatch, name, sets, commands):
    """While idle slots would take every waiting order and a newcomer at once,
    ``newcomer_wait`` answers 0.0 without the walk: at every instant looked at (each
    simulated second, between its events), in every model, the walk finds the same.  (Not
    hooked into the submission and the start: their fused paths call no hook.)"""
    fast = Station.newcomer_wait
    seen = {"fast": 0, "walked": 0}

    def both(self, now):
        walked = self.estimates(now, newcomer=True, planned=False, only_newcomer=True)[None][0]
        assert fast(self, now) == walked
        seen["fast" if walked == 0.0 and len(self.lanes) < self.n_idle * self.batch_max
             else "walked"] += 1

    sim = Simulation(load_scenario(SCENARIOS / f"{name}.toml", sets), seed=11,
                     commands=commands)
    for second in range(1, 3601):
        sim.advance_to(float(second))
        for st in sim.stations.values():
            both(st, sim.engine.now)
    assert seen["fast"] > 100 and seen["walked"] > 0
