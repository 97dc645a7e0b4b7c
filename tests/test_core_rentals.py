"""The operator's rentals are the operator's (issue 16): the autoscaler's downscale hands
back only the slots it rented; the rental budget, a hard cap, may hand back any; every
``return`` record says why."""

from __future__ import annotations

from sim import Simulation, load_scenario, record_field
from sim.eventlog import RETURN_REASONS


def rush(commands=(), overrides=()):
    return Simulation(load_scenario("scenarios/rush-hour.toml", list(overrides)), seed=1,
                      keep_log=True, commands=commands)


def returns(sim):
    return [r for r in sim.log.records if r[1] == "return"]


def operator_image_slots(sim):
    return [s for s in sim.stations["image"].slots.values()
            if s.rented and s.rented_by == "operator" and s.state != "gone"]


def test_operator_rent_arrives_and_stays_until_the_operator_returns_it():
    sim = rush()
    sim.advance_to(620)
    sim.command("rent", model="image", slots=5)
    provision_s = sim.scenario.autoscaler.provision_s
    sim.advance_to(621)
    view = sim.snapshot().station("image")
    assert view.provisioning_slots == 5          # on their way, and the view knows when
    assert view.provisioning_arrive_s == (620 + provision_s,) * 5
    sim.advance_to(620 + provision_s + 1)
    mine = operator_image_slots(sim)
    assert len(mine) == 5 and all(s.state in ("idle", "busy") for s in mine)
    assert all(s.arrive_s == 620 + provision_s for s in mine)
    # load stays low for long stretches of the day: the autoscaler returns none of them
    sim.advance_to(5 * 3600)
    assert len(operator_image_slots(sim)) == 5
    assert not [r for r in returns(sim) if record_field(r, "by") != "autoscaler"]
    sim.command("return", model="image", slots=5)
    sim.advance_to(sim.now + 1)
    assert sum(1 for s in operator_image_slots(sim) if s.state != "draining") == 0
    last = returns(sim)[-1]
    assert (record_field(last, "by"), record_field(last, "reason")) == ("operator", "operator")


def test_autoscaler_still_returns_what_it_rented_and_says_why():
    sim = rush()
    sim.advance_to(6 * 3600)
    auto = [r for r in returns(sim) if record_field(r, "by") == "autoscaler"]
    assert auto and {record_field(r, "reason") for r in auto} == {"autoscaler_low_load"}
    assert all(record_field(r, "reason") in RETURN_REASONS for r in returns(sim))
    rents = sum(record_field(r, "slots") for r in sim.log.records
                if r[1] == "rent" and record_field(r, "by") == "autoscaler")
    assert sum(record_field(r, "slots") for r in auto) <= rents


def test_budget_may_return_the_operators_rentals():
    sim = rush(overrides=["autoscaler.budget_cents=200", "autoscaler.enabled=false"])
    sim.advance_to(620)
    sim.command("rent", model="image", slots=5)
    sim.advance_to(6 * 3600)
    budget = [r for r in returns(sim) if record_field(r, "by") == "budget"]
    assert budget and {record_field(r, "reason") for r in budget} == {"budget"}
    assert operator_image_slots(sim) == []


def test_the_ticker_says_why_slots_went_back():
    from render.panel.ticker import line

    for reason, en in (("autoscaler_low_load", "autoscaler: load low"),
                       ("budget", "rental budget used up"), ("operator", "operator")):
        record = (630.0, "return", "image", 5, "autoscaler", reason)
        text = line(record, "en", {"image": "SD1.5"})
        assert en in text and "SD1.5" in text
        assert line(record, "zh", {"image": "SD1.5"}) != text
