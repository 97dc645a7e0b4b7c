"""A live operator against the core, as a hypothesis state machine.

Rules are what happens in the app: frames of random length, every operator command, and
the nasty timings that once crashed or stalled the run -- a customer asked by the 3x breaker
who finishes before answering, a half-open probe cancelled, a batching basket cleared while
a batch runs.  After every step the books must hold (tests/test_core_invariants.check_books);
at the end the factory is drained (no arrivals, outages over, everything resumed) and must
empty, with no model left blocked.
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from test_core_invariants import check_books

from sim import Simulation, load_scenario

MODELS = ("image", "video", "audio", "text")
MODEL_OR_ALL = ("", *MODELS)


class Operator(RuleBasedStateMachine):
    @initialize(seed=st.integers(0, 2**32), answer_after=st.sampled_from([5.0, 300.0, 1200.0]),
                window=st.integers(1, 5), image_slots=st.integers(1, 6))
    def start(self, seed, answer_after, window, image_slots):
        sc = load_scenario("scenarios/default.toml", [
            "arrivals.rate_per_min=8", f"models.image.slots={image_slots}",
            "models.image.mean_task_s=90", "models.video.mean_task_s=150",
            "models.image.fail_rate=0.1", f"wait_breaker.answer_after_s={answer_after}",
            "wait_breaker.multiplier=1.5", f"circuit.window_calls={window}",
            "circuit.min_calls=1", "circuit.cooldown_s=30", "autoscaler.budget_cents=3000",
        ])
        self.sim = Simulation(sc, seed=seed, keep_log=True)

    # -- time ------------------------------------------------------------------------------
    @rule(dt=st.floats(0.01, 600.0))
    def frame(self, dt):
        self.sim.advance_to(self.sim.now + dt)
        self.sim.snapshot()

    # -- every operator command --------------------------------------------------------------
    @rule(rate=st.floats(0, 20))
    def spawn_rate(self, rate):
        self.sim.command("spawn_rate", rate_per_min=rate)

    @rule(share=st.floats(0, 1))
    def vip_share(self, share):
        self.sim.command("vip_share", share=share)

    @rule(model=st.sampled_from(MODELS), slots=st.integers(0, 12))
    def capacity(self, model, slots):
        self.sim.command("capacity", model=model, slots=slots)

    @rule(multiplier=st.sampled_from([0.0, 0.5, 1.0, 3.0, 1000.0]))
    def breaker_multiplier(self, multiplier):
        self.sim.command("breaker_multiplier", multiplier=multiplier)

    @rule(on=st.booleans())
    def autoscaler(self, on):
        self.sim.command("autoscaler", on=on)

    @rule(model=st.sampled_from(MODELS), duration=st.floats(0, 1800))
    def outage(self, model, duration):
        self.sim.command("outage", model=model, duration_s=duration)

    @rule(model=st.sampled_from(MODEL_OR_ALL))
    def pause(self, model):
        self.sim.command("pause", model=model)

    @rule(model=st.sampled_from(MODEL_OR_ALL))
    def resume(self, model):
        self.sim.command("resume", model=model)

    @rule(model=st.sampled_from(MODEL_OR_ALL))
    def clear_queue(self, model):
        self.sim.command("clear_queue", model=model)

    @rule(model=st.sampled_from(MODELS), slots=st.integers(1, 10))
    def rent(self, model, slots):
        self.sim.command("rent", model=model, slots=slots)

    @rule(model=st.sampled_from(MODELS), slots=st.integers(1, 10))
    def give_back(self, model, slots):
        self.sim.command("return", model=model, slots=slots)

    @rule(pick=st.integers(0, 10**6))
    def cancel_some_order(self, pick):
        orders = [o for c in self.sim.customers.values() for o in c.orders]
        self.sim.command("cancel_order", order_id=orders[pick % len(orders)].id if orders
                         else pick)

    # -- the nasty timings -----------------------------------------------------------------
    def _run_until(self, found, step_s: float, limit_s: float):
        """Advance in small steps until ``found()`` returns something (or give up)."""
        end = self.sim.now + limit_s
        while self.sim.now < end:
            hit = found()
            if hit:
                return hit
            self.sim.advance_to(self.sim.now + step_s)
        return None

    @rule()
    def cancel_the_probe(self):
        """Make SD1.5 fail until its breaker probes, then cancel the probe call."""
        image = self.sim.stations["image"]
        self.sim.command("resume", model="image")
        self.sim.command("outage", model="image", duration_s=300.0)
        probe = self._run_until(lambda: [s.call for s in image.slots.values()
                                         if s.call is not None and s.call.probe], 0.5, 3600)
        if probe:
            event("probe cancelled")
            self.sim.command("cancel_order", order_id=probe[0].orders[0].id)
            self.sim.advance_to(self.sim.now)
            assert all(s.call is not probe[0] for s in image.slots.values())

    @rule()
    def asked_customer_finishes(self):
        """Someone asked by the breaker ends all their orders before answering."""
        asked = self._run_until(lambda: [c for c in self.sim.customers.values()
                                         if c.asking is not None], 2.0, 1800)
        if asked:
            event("asked customer finished before answering")
            for o in asked[0].orders:
                self.sim.command("cancel_order", order_id=o.id)
            self.sim.advance_to(self.sim.now + 1.0)
            assert asked[0].asking is None
            assert asked[0].state.value in ("done", "left")

    @rule()
    def clear_the_basket_mid_batch(self):
        """Clear the LLM queue while a batch is running and the basket is filling."""
        text = self.sim.stations["text"]
        self.sim.command("resume", model="text")
        if self._run_until(lambda: [s for s in text.slots.values()
                                    if s.call is not None and s.call.size > 1], 1.0, 1800):
            event("basket cleared mid-batch")
            waiting = list(text.lanes.ordered(self.sim.now))
            self.sim.command("clear_queue", model="text")
            self.sim.advance_to(self.sim.now)
            # everything that waited is refunded (customers' next orders may queue anew)
            assert all(o.state.value == "refunded_cancel" for o in waiting)

    # -- invariants ------------------------------------------------------------------------
    @invariant()
    def books_hold(self):
        check_books(self.sim, with_log=False)   # the log is re-read once, at the end

    @invariant()
    def rentals_within_budget(self):
        spent = self.sim.summary()["money_cents"]["rental_cost"]
        assert spent <= 3000

    def teardown(self):
        """Drain: no arrivals, outages over, everything resumed -> the building empties and
        no model stays blocked."""
        sim = self.sim
        sim.command("spawn_rate", rate_per_min=0.0)
        sim.command("resume", model="")
        for m in MODELS:
            sim.command("outage", model=m, duration_s=0.0)
            sim.command("capacity", model=m, slots=max(1, sim.stations[m].base_target))
        sim.advance_to(sim.now + 3 * 86400.0)
        check_books(sim)
        assert len(sim.customers) == 0, [c.state for c in sim.customers.values()][:5]
        for st_ in sim.stations.values():
            assert len(st_.lanes) == 0
            assert st_.breaker.state == "closed" or not st_.breaker.probing
            assert all(s.call is None for s in st_.slots.values())


Operator.TestCase.settings = settings(max_examples=30, stateful_step_count=25, deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow])
TestOperator = Operator.TestCase
