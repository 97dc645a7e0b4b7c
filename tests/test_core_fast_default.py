"""The complete default model's shortcuts (issue 18) held to the rules they shortcut, bit for bit.

Each shortcut skips work whose answer cannot change what happens: the autoscaler's newcomer
estimate once the model is judged high (or cannot be) without it, the breaker's rest-of-wait
estimate when the time already waited plus a task is past the customer's patience, the
wait-breaker's engine events for orders served before their bound.  Each has a reference
here written as the general rule (always ask, always estimate, one timer per order), and the
runs below -- scenarios that reach every branch, several seeds -- must write the same event
log with either, byte for byte.  A checking variant also compares every single decision, so
a divergence is named where it happens, not only as a different hash.
"""

from __future__ import annotations

import copy

import pytest
from conftest import ROOT

import sim.patience as patience
import sim.simulation as simulation
from sim import Simulation, load_scenario
from sim.autoscaler import Autoscaler, ScaleState
from sim.breaker import CLOSED
from sim.commands import make_command
from sim.kpi import money, profit_cents
from sim.stations import SlotState

SCENARIOS = ROOT / "scenarios"
#: (scenario, overrides, commands, run to): the default model; an eager autoscaler (a low
#: wait threshold, no asks signal) on a busier default day; rush hour's flash crowd as the
#: browser bench plays it (the door wide open, a patient breaker, the spawn rate at 60/min);
#: the outage (the circuit open: the autoscaler judges without the estimate); a breaker
#: asking at half the task time, VIPs and customers of any patience (answers either way,
#: VIP orders that reach their bound)
CASES = [
    ("default.toml", [], [], 30000.0),
    ("default.toml", ["arrivals.rate_per_min=7.0", "autoscaler.wait_threshold_s=150.0",
                      "autoscaler.asks_threshold=0", "autoscaler.downscale_delay_s=120.0"],
     [], 20000.0),
    ("rush-hour.toml", ["door.admit_per_min=100.0", "door.lobby_max_orders=2000",
                        "wait_breaker.multiplier=5.0"],
     [make_command(10200.0, "spawn_rate", {"rate_per_min": 60.0})], 11400.0),
    ("rush-hour.toml", [], [], 16000.0),
    ("outage.toml", [], [], 12000.0),
    # a breaker that asks early and customers of any patience: answers on both sides of it
    ("default.toml", ["arrivals.rate_per_min=9.0", "wait_breaker.multiplier=0.5",
                      "arrivals.patience_min_s=60.0", "arrivals.patience_max_s=1800.0",
                      "arrivals.vip_share=0.5", "autoscaler.enabled=false"], [], 8000.0),
]
SEEDS = (1, 7)


class ReferenceAutoscaler(Autoscaler):
    """The autoscaler's rule as it was written before the shortcut: the newcomer's wait is
    estimated whenever a queue waits, slots on their way and own leases always counted."""

    def decide(self, st, now, provisioning=None):
        if provisioning is None:
            provisioning = (st.count(True, SlotState.PROVISIONING) if st.rented_slots else 0)
        cfg = self.cfg
        s = self.state.get(st.name)
        if s is None:
            s = self.state[st.name] = ScaleState()
        waited = st.wait_window.mean(now)
        queued = len(st.lanes)
        signal_from = self.signal_from
        newcomer = (st.newcomer_wait(now) if queued and (signal_from is None
                                                         or st.name in signal_from) else 0.0)
        signal = max(waited, newcomer)
        asks = st.asks_window.count(now)
        high = st.breaker.state == CLOSED and (
            signal > cfg.wait_threshold_s
            or (cfg.asks_threshold > 0 and asks >= cfg.asks_threshold))
        low = queued == 0 and st.utilization_now() < cfg.low_utilization
        s.high_since_s = (s.high_since_s if s.high_since_s is not None else now) if high else None
        s.low_since_s = (s.low_since_s if s.low_since_s is not None else now) if low else None
        if not self.enabled:
            return None
        if high and now - s.high_since_s >= cfg.upscale_delay_s and provisioning == 0:
            room = st.max_rented - st.rented_slots
            if room > 0:
                s.high_since_s = now
                return ("rent", min(cfg.step, room))
        own = st.leased_by("autoscaler") if st.rented_slots else 0
        if low and now - s.low_since_s >= cfg.downscale_delay_s and own > 0:
            s.low_since_s = now
            return ("return", min(cfg.step, own))
        return None


class CheckingAutoscaler(Autoscaler):
    """Decides with the shortcut and, on a copy of the state, by the reference: every
    decision and every state after it must agree."""

    seen: dict[str, int]

    def decide(self, st, now, provisioning=None):
        ref = ReferenceAutoscaler(self.cfg)
        ref.enabled, ref.signal_from = self.enabled, self.signal_from
        ref.state = copy.deepcopy(self.state)
        want = ref.decide(st, now)
        got = super().decide(st, now, provisioning)
        assert got == want, (st.name, now, got, want)
        assert self.state == ref.state, (st.name, now, self.state, ref.state)
        seen = CheckingAutoscaler.seen
        seen["high"] += ref.state[st.name].high_since_s is not None
        seen[str(got and got[0])] += 1
        return got


class ReferenceBreaker(patience.WaitBreaker):
    """The customer's answer by the whole estimate, always (the rule without its shortcut)."""

    def _stays(self, cust, o, now):
        rest = self.remaining_wait(o)
        assert rest >= 0.0, rest        # what the shortcut rests on
        waited = now - o.submitted_s
        mean_task_s = self.stations[o.model].mean_task_s
        CheckingAutoscaler.seen["answer_shortcut"] += waited + mean_task_s > cust.patience_s
        return waited + rest + mean_task_s <= cust.patience_s

    def _on_wait_check(self, o):
        if o.state is not patience.QUEUED or o.started_s >= 0:
            return
        self.ask(o.customer, o, self.expected(o), "waited")


class TimerPerOrder:
    """The wait-breaker's deadlines as one engine event per order (what :class:`Deadlines`
    stands for: the same checks, in the same order among same-instant events)."""

    def __init__(self, engine, due) -> None:
        self.engine = engine
        self.due = due
        self.heap: list = []

    def push(self, t, o) -> None:
        self.engine.at_ticket(t, self.engine.ticket(), self.due, o)


def _run(case, seed, *, reference: bool, checking: bool = False, monkeypatch=None):
    path, sets, cmds, t_end = case
    if reference or checking:
        monkeypatch.setattr(simulation, "Autoscaler",
                            CheckingAutoscaler if checking else ReferenceAutoscaler)
        monkeypatch.setattr("sim.orderflow.WaitBreaker", ReferenceBreaker)
        if not checking:
            monkeypatch.setattr(patience, "Deadlines", TimerPerOrder)
    sim = Simulation(load_scenario(SCENARIOS / path, sets), seed=seed, commands=cmds)
    sim.advance_to(t_end)
    if monkeypatch is not None:
        monkeypatch.undo()
    return sim


@pytest.fixture(autouse=True)
def _counts():
    CheckingAutoscaler.seen = dict.fromkeys(("high", "rent", "return", "None",
                                             "answer_shortcut"), 0)
    yield


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}{'+' if c[1] else ''}" for c in CASES])
def test_shortcuts_write_the_reference_log_byte_for_byte(case, monkeypatch):
    for seed in SEEDS:
        fast = _run(case, seed, reference=False)
        ref = _run(case, seed, reference=True, monkeypatch=monkeypatch)
        assert fast.counts == ref.counts
        assert fast.event_log_sha256() == ref.event_log_sha256(), (case, seed)
        # fewer engine events, never more (the deadlines of orders served in time)
        assert fast.engine.processed <= ref.engine.processed


def test_every_decision_agrees_and_every_branch_is_reached(monkeypatch):
    for case in CASES:
        for seed in SEEDS:
            checked = _run(case, seed, reference=False, checking=True, monkeypatch=monkeypatch)
            assert checked.event_log_sha256() == _run(case, seed, reference=False
                                                      ).event_log_sha256()
    seen = CheckingAutoscaler.seen
    # the runs reach what the shortcuts skip: high without the newcomer, rentals, returns,
    # answers decided by the time already waited
    assert seen["high"] > 50 and seen["rent"] > 5 and seen["return"] > 5, seen
    assert seen["answer_shortcut"] > 200, seen


def test_deadlines_cost_no_engine_event_for_an_order_served_in_time():
    """The default model: most orders start long before 3x their task time, and their
    deadline no longer fires an engine event (6.7 events per customer before, 4.9 now)."""
    sim = Simulation(load_scenario(SCENARIOS / "default.toml"), seed=1)
    sim.advance_to(5000 / (sim.scenario.arrivals.rate_per_min / 60.0))
    assert sim.engine.processed / sim.counts["arrived"] <= 5.2


def test_profit_cents_is_money_profit_at_every_instant():
    sim = Simulation(load_scenario(SCENARIOS / "rush-hour.toml"), seed=3)
    t = 0.0
    while t < 14000.0:
        t += 97.3
        sim.advance_to(t)
        assert profit_cents(sim) == money(sim)["profit"]
