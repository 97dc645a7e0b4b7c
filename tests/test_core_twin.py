"""The live twin's core (sim/twin.py): the fork, and the figures the card and
``python -m sim twin`` share."""

from __future__ import annotations

import copy
import json

import pytest
from twinwalk import shared_mutables

from sim import twin
from sim.commands import make_command
from sim.scenario import load_scenario
from sim.simulation import Simulation

RUSH = "scenarios/rush-hour.toml"


def rush(seed: int = 3, commands=()) -> Simulation:
    return Simulation(load_scenario(RUSH), seed=seed, commands=commands)


def streams_state(sim) -> list:
    return [(k, s.getstate()) for k, s in sorted(sim.streams._streams.items())]


@pytest.fixture(scope="module")
def at_flash():
    sim = rush()
    sim.advance_to(3.05 * 3600)
    return sim


def test_fork_has_the_live_digest_and_shares_nothing(at_flash):
    live = at_flash
    tw = twin.fork(live)
    assert tw.state_digest() == live.state_digest()
    assert tw.log.sha256() == live.log.sha256()
    assert shared_mutables(live, tw) == []


def test_the_walker_sees_a_shared_bound_builtin(at_flash):
    """What a plain deepcopy did: the copy's arrivals drew from the live stream."""
    tw = twin.fork(at_flash)
    tw.arrivals._rnd = at_flash.arrivals._rnd
    assert "Random" in shared_mutables(at_flash, tw)


def test_advancing_the_twin_leaves_the_live_run_alone(at_flash):
    live = at_flash
    tw = twin.fork(live)
    digest, records, streams = live.state_digest(), live.log.total(), streams_state(live)
    tw.advance_to(live.now + 1800.0)
    assert tw.log.total() > records
    assert live.state_digest() == digest
    assert live.log.total() == records
    assert streams_state(live) == streams


def test_a_twin_with_nothing_removed_stays_the_live_run():
    live = rush()
    live.advance_to(3 * 3600.0)
    tw = twin.fork(live)
    for t in range(3 * 3600 + 300, 4 * 3600 + 1, 300):   # different slicing, same run
        tw.advance_to(float(t))
    live.advance_to(4 * 3600.0)
    assert tw.state_digest() == live.state_digest()


@pytest.mark.parametrize("cmds", [
    [{"at_s": 1000.0, "name": "capacity", "model": "image", "slots": 30},
     {"at_s": 2000.0, "name": "spawn_rate", "rate_per_min": 9.0}],
    [{"at_s": 1500.5, "name": "outage", "model": "image", "duration_s": 600.0}],
])
def test_the_twin_is_the_session_without_the_later_commands(cmds):
    """A fork whose pending operator commands are dropped logs exactly what a run of the
    session cut at T logs: the twin is a function of the recorded session."""
    at = 1200.0
    live = rush(commands=cmds)
    twin.stand_before(live, at)
    tw = twin.fork(live)
    assert [c.at_s for c in tw.recorded] == [c["at_s"] for c in cmds if c["at_s"] < at]
    tw.advance_to(2500.0)
    cut = rush(commands=[c for c in cmds if c["at_s"] < at])
    cut.advance_to(2500.0)
    assert tw.log.sha256() == cut.log.sha256()
    live.advance_to(2500.0)
    assert live.log.sha256() != cut.log.sha256()


def test_a_scenario_command_stays_in_the_twin():
    sc = load_scenario("scenarios/outage.toml")
    assert sc.commands, "the outage scenario scripts its outage"
    at = 60.0
    live = Simulation(sc, seed=2)
    twin.stand_before(live, at)
    tw = twin.fork(live)
    end = max(c.at_s for c in sc.commands) + 60.0
    tw.advance_to(end)
    live.advance_to(end)
    assert tw.log.sha256() == live.log.sha256()


def test_figures_of_an_unchanged_twin_are_the_live_ones_and_a_change_shows():
    cmds = [make_command(3 * 3600.0, "capacity", {"model": "image", "slots": 40})]
    card = twin.twin_card(load_scenario(RUSH), 3, cmds, 3 * 3600.0, 1800.0)
    live, tw, diff = card["live"], card["twin"], card["difference"]
    assert live["waits_counted"] > 100 and tw["waits_counted"] > 100
    assert live["wait_p95_s"] < tw["wait_p95_s"]
    assert diff["wait_p95_s_better"] is True
    assert diff["profit_cents"] == live["profit_cents"] - tw["profit_cents"]
    assert live["profit_cents"] == (live["revenue_cents"] - live["slot_fees_cents"]
                                    - live["rental_cents"])
    # more slots cost more base fees over the interval: billed as they accrue
    assert live["slot_fees_cents"] > tw["slot_fees_cents"]
    same = twin.twin_card(load_scenario(RUSH), 3, cmds, 3 * 3600.0 + 1.0, 1800.0)
    assert same["live"] == same["twin"]
    assert all(v is None for k, v in same["difference"].items() if k.endswith("_better"))


def test_figures_count_only_the_interval():
    sim = rush()
    sim.advance_to(3600.0)
    base = twin.mark(sim)
    f0 = twin.figures(sim, base)
    assert f0["waits_counted"] == 0 and f0["revenue_cents"] == 0 and f0["customers_lost"] == 0
    sim.advance_to(3 * 3600.0)
    f = twin.figures(sim, base)
    assert 0 < f["waits_counted"] < sim.factory_waits.with_gave_up.count


def test_cli_twin_json_and_bad_input(tmp_path, capsys):
    from sim.__main__ import main

    rec = tmp_path / "rec.json"
    rec.write_text(json.dumps([{"at_s": 600, "name": "capacity", "model": "image",
                                "slots": 30}]))
    out = tmp_path / "card.json"
    assert main(["twin", "--scenario", RUSH, "--commands", str(rec), "--at", "600",
                 "--seconds", "600", "--seed", "4", "--json", str(out)]) == 0
    card = json.loads(out.read_text())
    again = twin.twin_card(load_scenario(RUSH), 4,
                           [make_command(600, "capacity", {"model": "image", "slots": 30})],
                           600.0, 600.0)
    assert card["live"] == again["live"] and card["twin"] == again["twin"]
    assert card["compare"].startswith("python -m sim compare")
    assert "--change models.image.slots=30" in card["compare"]
    capsys.readouterr()
    for argv in (["twin", "--commands", str(rec), "--at", "x", "--seconds", "1"],
                 ["twin", "--commands", str(rec), "--at", "1"],
                 ["twin", "--commands", str(tmp_path / "none.json"), "--at", "1",
                  "--seconds", "1"],
                 ["twin", "--scenario", "nope", "--commands", str(rec), "--at", "1",
                  "--seconds", "1"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error:")


def test_a_deepcopy_is_a_fork_too(at_flash):
    """copy.deepcopy itself is now correct (the parts copy themselves)."""
    tw = copy.deepcopy(at_flash)
    d = at_flash.state_digest()
    tw.advance_to(at_flash.now + 600)
    assert at_flash.state_digest() == d


@pytest.mark.parametrize("name", ["default", "outage", "mmc", "azure-code-2023"])
def test_every_packaged_scenario_forks(name):
    """A trace's feed (a generator of rows) forks too: the copy reads as far again."""
    sim = Simulation(load_scenario(f"scenarios/{name}.toml"), seed=7)
    sim.advance_to(1500.0)
    tw = twin.fork(sim)
    assert shared_mutables(sim, tw) == []
    tw.advance_to(2400.0)
    sim.advance_to(2400.0)
    assert tw.state_digest() == sim.state_digest()


def test_the_wait_p95_counts_the_waits_not_ended_yet():
    """Ten more SD1.5 slots through the flash crowd: the twin's worst waits are still in its
    queue at 3:20.  Counting only the waits that ended, the card read "+41 s" (worse) for
    the live run; counted as long as they have lasted, the live run's p95 is the shorter."""
    sc = load_scenario(RUSH)
    at = 3 * 3600.0
    cmds = [make_command(at, "capacity", {"model": "image", "slots": 30}, "session")]
    card = twin.twin_card(sc, 1, cmds, at, 20 * 60.0)
    live, tw = card["live"], card["twin"]
    assert tw["still_waiting"] > 0 and live["still_waiting"] > 0
    assert live["wait_p95_s"] < tw["wait_p95_s"]
    assert card["difference"]["wait_p95_s_better"] is True
    # a run's figures: every wait still under way at now is in the count
    sim = rush(seed=1)
    sim.advance_to(at)
    base = twin.mark(sim)
    sim.advance_to(at + 600.0)
    f = twin.figures(sim, base)
    ended = sim.factory_waits.with_gave_up.count - base.count
    assert f["waits_counted"] == ended + f["still_waiting"]
    assert f["still_waiting"] == sum(1 for _ in twin.waiting_ages(sim)) > 0
    assert all(a >= 0 for a in twin.waiting_ages(sim))


def test_the_compare_line_starts_from_the_scenario_as_it_was_run(tmp_path, capsys):
    """The ``sim compare`` line carries the run's own ``--set`` overrides (both arms start
    from the scenario that was run, not the file alone), quoted for a shell, and it runs."""
    import shlex

    from sim.__main__ import main

    change = [make_command(600, "capacity", {"model": "image", "slots": 30})]
    line = twin.compare_line("rush-hour", 1200.0, change,
                             ["arrivals.vip_share=0.2", 'models.image.label="SD 1.5"'])
    assert "--set arrivals.vip_share=0.2" in line
    argv = shlex.split(line)
    assert argv[argv.index("--change") + 1] == "models.image.slots=30"
    assert 'models.image.label="SD 1.5"' in argv                   # one argument, quoted
    assert twin.compare_line("rush-hour", 1200.0, change) == (
        "python -m sim compare --scenario rush-hour --seconds 1200 "
        "--change models.image.slots=30")
    rec = tmp_path / "rec.json"
    rec.write_text(json.dumps([c.to_json() for c in change]))
    out = tmp_path / "card.json"
    assert main(["twin", "--scenario", RUSH, "--set", "arrivals.vip_share=0.2", "--commands",
                 str(rec), "--at", "600", "--seconds", "60", "--json", str(out)]) == 0
    assert "--set arrivals.vip_share=0.2" in json.loads(out.read_text())["compare"]
    capsys.readouterr()
    args = argv[4:]                        # the line itself, run for a short while
    args[args.index("--seconds") + 1] = "60"
    assert main(["compare", *args, "--seeds", "2", "--workers", "1", "--quiet"]) == 0
    assert "image" in capsys.readouterr().out
