"""The River factory: the parts of one run, wired together, and the API that drives it.

Each part owns its state and is handed what it needs when it is built (the engine, the
log, the accounts, the stations): :class:`sim.visits.Arrivals` (the street and the door),
:class:`sim.visits.Visitors` (who is inside; the one way a visit ends),
:class:`sim.orderflow.OrderFlow` (submission, retries, the one way an order ends; it owns the
per-model :class:`sim.dispatch.Dispatcher` and the 3x :class:`sim.patience.WaitBreaker`),
:class:`sim.capacity.Capacity` (base slots, rentals, the rental budget),
:class:`sim.operator.OperatorDesk` (commands) and the autoscaler.  The simulation itself owns
the engine, the random streams, the log and the periodic ticks (billing, metrics,
autoscaling), and is the door for everyone outside: see the package docstring.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from sim import rng
from sim.accounts import Accounts
from sim.alerts import Alerts, Tick
from sim.autoscaler import Autoscaler
from sim.capacity import Capacity, RentalBudget
from sim.commands import Command, CommandError, make_command, validate_commands
from sim.engine import Engine
from sim.eventlog import EventLog
from sim.kpi import profit_cents
from sim.ledger import Ledger
from sim.metrics import EstimateErrors, Histogram, Series, Unmeasured, Window, percentile
from sim.operator import OperatorDesk
from sim.orderflow import OrderFlow
from sim.stations import FactoryWaits, SlotState, Station
from sim.visits import Arrivals, Visitors

COMMAND_PRIORITY = 1
#: what the run counts (the summary's ``customers`` and ``orders`` figures come from here)
COUNTS = ("arrived", "rejected", "left", "done", "rate_limited", "lobby_full", "submitted",
          "enqueued", "delivered", "declined", "refunded_failure", "refunded_abandon",
          "refunded_cancel", "retries", "dead_letters", "asked", "stayed", "vip_declined")


def breaker_acts(scenario, commands) -> bool:
    """Whether the 3x wait breaker can act in this run: it is on and its multiplier is (or a
    ``breaker_multiplier`` command may make it) above 0.  It acts on the wait estimate made
    at every enqueue, so a lean run still makes those estimates then."""
    br = scenario.wait_breaker
    return br.enabled and (br.multiplier > 0
                           or any(c.name == "breaker_multiplier" for c in commands))


def renting_models(scenario, commands) -> frozenset[str]:
    """The models whose autoscaler decision can rent: the autoscaler is on (or an
    ``autoscaler`` command may switch it on) and the model has rental room
    (``max_rented > 0``; no command changes it).  Only for these does the newcomer's wait
    estimate (:meth:`sim.stations.Station.newcomer_wait`) change what happens: elsewhere it
    moves only the autoscaler's own "high" bookkeeping, which nothing else reads while the
    model cannot rent (:meth:`sim.autoscaler.Autoscaler.planned` plans nothing then)."""
    on = scenario.autoscaler.enabled or any(c.name == "autoscaler" and c.args.get("on")
                                            for c in commands)
    if not on:
        return frozenset()
    return frozenset(cfg.name for cfg in scenario.models.values() if cfg.max_rented > 0)


def build_stations(scenario, streams: rng.Streams,
                   factory: FactoryWaits) -> dict[str, Station]:
    """One station per model with its base slots, each with its own purpose key."""
    stations: dict[str, Station] = {}
    for cfg in scenario.models.values():
        st = Station(cfg, scenario, streams.key("upstream:" + cfg.name), factory)
        for _ in range(cfg.slots):
            st.add_slot(False, SlotState.IDLE, 0.0)
        st.base_target = cfg.slots
        stations[cfg.name] = st
    return stations


class Simulation:
    """One run of the River factory.  Drive it with :meth:`advance_to`; see ``sim``'s docs."""

    def __init__(self, scenario, seed: int = 0, commands: list[Command] | tuple = (),
                 keep_log: bool = False, lean: bool = False) -> None:
        """``lean``: the caller reads neither the event-log hash nor the estimate-error
        figures (a planning run): the log is counted but not hashed, and the wait estimates
        are made only where something acts on them -- at every enqueue while the wait
        breaker can act (:func:`breaker_acts`), the autoscaler's newcomer wait for the models
        it can rent for (:func:`renting_models`).  Every other figure of the summary is the
        full run's, bit for bit; the summary names what it skipped (``lean.skipped``)."""
        if lean and keep_log:
            raise ValueError("Simulation(lean=True) keeps no log: its estimates are not made")
        self.scenario = scenario
        self.seed = seed
        self.engine = engine = Engine()
        self.streams = rng.Streams(seed)
        self.lean = lean
        self.log = log = EventLog(keep=keep_log, hashing=not lean)
        self.ledger = Ledger()
        self.accounts = Accounts(self.ledger)
        self.counts: dict[str, int] = dict.fromkeys(COUNTS, 0)
        self.factory_waits = FactoryWaits()
        self.stations = build_stations(scenario, self.streams, self.factory_waits)
        commands = validate_commands(commands, tuple(cfg.name for cfg in scenario.models.values()))
        every = (*scenario.commands, *commands)
        #: the enqueue estimate is made (and measured): always, but in a lean run only while
        #: the breaker can act on it
        self.estimating = not lean or breaker_acts(scenario, every)
        self.estimates = EstimateErrors() if self.estimating else Unmeasured()
        self.visitors = Visitors(engine, log, self.counts, self.accounts)
        auto = scenario.autoscaler
        self.rental_budget = (RentalBudget(engine, log, self.stations, auto.budget_cents,
                                           auto.provision_s) if auto.budget_cents else None)
        self.flow = OrderFlow(engine, log, self.counts, scenario, self.streams, self.accounts,
                              self.visitors, self.stations, self.estimates, self.rental_budget,
                              self.estimating)
        self.arrivals = Arrivals(engine, log, self.counts, scenario, self.streams,
                                 self.accounts, self.visitors, self.flow.lobby_orders,
                                 self.flow.feed)
        self.capacity = Capacity(engine, log, self.stations, self.flow.dispatchers,
                                 auto.provision_s, self.rental_budget)
        self.autoscaler = Autoscaler(auto)
        if lean:
            self.autoscaler.signal_from = renting_models(scenario, every)
        for st in self.stations.values():
            st.planner = self.autoscaler    # the rentals it will make count in the ETA
        self.desk = OperatorDesk(engine, log, self.stations, self.arrivals, self.flow,
                                 self.capacity, self.autoscaler)
        self.alerts = Alerts(scenario)
        # (time, admitted so far, left so far) at each metrics tick: windowed abandon rate
        self._marks: deque[tuple[float, int, int]] = deque([(0.0, 0, 0)])
        self.series = {k: Series(scenario.metrics.series_len)
                       for k in ("wait_p50", "wait_p95", "queue", "profit_cents", "in_building")}
        self._gather_tick_reads()
        self.model_names = tuple(self.stations)
        self._window_q: tuple | None = None
        self._window_all: tuple | None = None
        self.recorded: list[Command] = []
        self._schedule_start(commands)

    def _gather_tick_reads(self) -> None:
        """What the periodic ticks read, gathered once: the stations and the series never
        change during a run (a twin's deepcopy copies these with the rest)."""
        stations, sc = self.stations.values(), self.scenario
        self._tick_series = tuple(self.series.values())
        self._tick_stations = tuple((st.lanes, st.series_queue, st.wait_window, st.series_wait)
                                    for st in stations)
        self._tick_breakers = tuple(st.breaker for st in stations)
        self._tick_windows = tuple(w for st in stations
                                   for w in (st.wait_window, st.gave_up_window))
        self._window_s = sc.metrics.window_s
        self._sample_every_s = sc.metrics.sample_every_s
        self._accrue_every_s = sc.billing.accrue_every_s
        self._check_every_s = sc.autoscaler.check_every_s

    def _schedule_start(self, commands: list[Command]) -> None:
        """The first events: the commands, the first arrival, the periodic ticks."""
        scenario, engine = self.scenario, self.engine
        for cmd in scenario.commands:       # the scenario's own: part of the day, kept by a twin
            engine.at(cmd.at_s, self._apply, cmd, COMMAND_PRIORITY)
        for cmd in commands:                # the operator's: a twin drops those still pending
            self._schedule_command(cmd)
        self.recorded.extend(commands)
        if scenario.trace is not None:
            from sim.replay import TraceFeed

            self.arrivals.trace = TraceFeed(engine, self.arrivals, scenario)
            self.arrivals.trace.schedule()
        if self.arrivals.poisson:
            self.arrivals.schedule()
        engine.at(scenario.billing.accrue_every_s, self._on_accrue_tick)
        engine.at(scenario.metrics.sample_every_s, self._on_metrics_tick)
        engine.at(scenario.autoscaler.check_every_s, self._on_autoscale_tick)

    # -- the parts' state, by the names readers use ------------------------------------------
    @property
    def customers(self) -> dict:
        """Customers in the building, by id."""
        return self.visitors.inside

    @property
    def departures(self) -> deque:
        return self.visitors.departures

    @property
    def multiplier(self) -> float:
        """The 3x wait breaker's multiplier in force."""
        return self.flow.breaker.multiplier

    @property
    def rate_per_min(self) -> float:
        """The base arrival rate in force (the spawn-rate slider)."""
        return self.arrivals.rate_per_min

    # ---------------------------------------------------------------------------- driving
    @property
    def now(self) -> float:
        return self.engine.now

    @property
    def events(self) -> int:
        return self.log.total()

    def advance_to(self, t_s: float) -> None:
        """Process every event up to and including simulated time ``t_s``."""
        run_until, settle = self.engine.run_until, self.log.settle
        while not run_until(t_s, 2048):
            settle()
        settle()

    def event_log_sha256(self) -> str:
        return self.log.sha256()

    def command(self, name: str, **args: Any) -> Command:
        """Validate an operator command and apply it at ``now`` (before the next events)."""
        cmd = make_command(self.engine.now, name, args, "command", self.model_names)
        if self.lean and (
                (not self.estimating and breaker_acts(self.scenario, (cmd,)))
                or not renting_models(self.scenario, (cmd,)) <= self.autoscaler.signal_from):
            raise CommandError(f"command {name!r}: this run was built lean (no wait estimates "
                               "where nothing acted on them); build it with lean=False")
        self._schedule_command(cmd)
        self.recorded.append(cmd)
        return cmd

    def recorded_commands(self) -> list[Command]:
        return list(self.recorded)

    def _schedule_command(self, cmd: Command) -> None:
        self.engine.at(cmd.at_s, self._apply_recorded, cmd, COMMAND_PRIORITY)

    def _apply_recorded(self, cmd: Command) -> None:
        """An operator command (recorded or replayed): the handler :func:`sim.twin.fork`
        recognises, to drop the pending ones from a twin."""
        self.desk.apply(cmd)

    def _apply(self, cmd: Command) -> None:
        self.desk.apply(cmd)

    # ---------------------------------------------------------------------- ticks
    def _on_accrue_tick(self, _: Any = None) -> None:
        now = self.engine.now
        for st in self.stations.values():
            st.accrue(now)
            base, rent = st.unposted()
            if base or rent:
                self.accounts.pay_upstream("slot_fee", base)
                self.accounts.pay_upstream("rental", rent)
                self.log.add((now, "accrue", st.name, base, rent))
        self.engine.at(now + self._accrue_every_s, self._on_accrue_tick)

    def _on_metrics_tick(self, _: Any = None) -> None:
        """The sparklines' samples, the windowed abandon rate and the alerts.  What it reads
        is gathered once at construction (``_tick_*``: the series, each station's lane,
        window and series, the breakers), so a tick allocates only its samples."""
        now = self.engine.now
        # the headline wait: started and gave-up orders alike (sim.kpi), the figure the
        # wait alert compares and the wait sparkline draws
        q = self.window_quantiles_with_gave_up()
        p50, p95, queue, profit, inside = self._tick_series
        p50.points.append((now, q["p50"]))
        p95.points.append((now, q["p95"]))
        waiting = self.flow.lobby_orders()
        queue.points.append((now, waiting))
        profit.points.append((now, profit_cents(self)))
        inside.points.append((now, len(self.visitors.inside)))
        for lanes, series_queue, window, series_wait in self._tick_stations:
            series_queue.points.append((now, len(lanes)))
            # the p95 alone (quantiles() would also rank p50, p99 and sum the mean)
            series_wait.points.append((now, percentile(window.values(now), 0.95)))
        counts = self.counts
        marks = self._marks
        marks.append((now, counts["arrived"] - counts["rejected"], counts["left"]))
        cut = now - self._window_s
        while len(marks) > 2 and marks[1][0] <= cut:
            marks.popleft()
        admitted = marks[-1][1] - marks[0][1]
        tick = Tick(wait=q, waiting=waiting,
                    abandon_rate=(marks[-1][2] - marks[0][2]) / admitted if admitted else 0.0,
                    circuits=tuple([br.state for br in self._tick_breakers]))
        for a in self.alerts.update(now, tick):
            self.log.add((now, "alert", a.name, a.active))
        self.engine.at(now + self._sample_every_s, self._on_metrics_tick)

    def _on_autoscale_tick(self, _: Any = None) -> None:
        now = self.engine.now
        decide = self.autoscaler.decide
        for st in self.stations.values():
            # (decide counts the slots on their way only when it could rent)
            decision = decide(st, now)
            if decision is not None:
                action, slots = decision
                if action == "rent":
                    self.capacity.rent(st, slots, "autoscaler")
                else:
                    self.capacity.give_back(st, slots, "autoscaler", "autoscaler_low_load")
        self.engine.at(now + self._check_every_s, self._on_autoscale_tick)

    # ---------------------------------------------------------------------- reading
    def profit_cents(self) -> int:
        """Profit so far, fees accrued since the last posting included (as in the summary)."""
        return profit_cents(self)

    def waits(self) -> Histogram:
        """Every wait so far (submission to production start), all models."""
        return self.factory_waits.started

    def window_quantiles(self) -> dict[str, float]:
        """Live wait percentiles over the sliding window, all models (computed once per
        instant and event count: a snapshot asks for them twice)."""
        key = (self.engine.now, self.log.total())
        if self._window_q is None or self._window_q[0] != key:
            self._window_q = (key, Window.merged_quantiles(
                (st.wait_window for st in self.stations.values()), self.engine.now))
        return self._window_q[1]

    def window_quantiles_with_gave_up(self) -> dict[str, float]:
        """Live wait percentiles over the sliding window of every order that started *or
        gave up before starting* (with the time it had waited), all models: the headline
        wait (:mod:`sim.kpi`), which the breaker cannot flatter by sending people away."""
        key = (self.engine.now, self.log.total())
        if self._window_all is None or self._window_all[0] != key:
            self._window_all = (key, Window.merged_quantiles(self._tick_windows,
                                                             self.engine.now))
        return self._window_all[1]

    def state_digest(self) -> str:
        """A SHA-256 of the whole model state (clock, pending events, random streams, log,
        counters, people, orders, slots): equal digests mean nothing changed.  For tests that
        prove an observer (the renderer) never mutates the simulation."""
        import hashlib

        h = hashlib.sha256()
        log = self.log
        h.update(repr((self.engine.now, self.engine.pending(), log.total(),
                       log.sha256() if log.hashing else "", sorted(self.counts.items()),
                       self.rate_per_min,
                       self.multiplier, self.arrivals.crowd.vip_share, self.autoscaler.enabled,
                       len(self.recorded))).encode())
        for name in sorted(self.streams._streams):
            h.update(repr((name, self.streams._streams[name].getstate())).encode())
        for t, prio, seq, _, _ in sorted(self.engine._heap):
            h.update(repr((t, prio, seq)).encode())
        for c in self.customers.values():
            h.update(repr((c.id, c.state, c.since_s, c.wallet_cents, c.held_cents, c.active,
                           [(o.id, o.state, o.since_s, o.held_cents, o.attempts, o.qtoken)
                            for o in c.orders])).encode())
        for st in self.stations.values():
            h.update(repr((st.name, st.paused, st.outage_until_s, st.breaker.state,
                           st.n_idle, len(st.lanes), st.accrued_cents,
                           [(k, sl.state, sl.since_s) for k, sl in sorted(st.slots.items())]
                           )).encode())
        return h.hexdigest()

    def estimate_error(self) -> dict[str, float] | None:
        """How far the wait estimates made at submission were from the real waits (None: a
        lean run that made none, see ``lean``)."""
        return self.estimates.summary() if self.estimating else None

    def snapshot(self, follow: int | None = None):
        """The model now; with ``follow`` (a customer id) also that customer's card."""
        from sim.snapshot import take

        return take(self, follow)

    def summary(self, wall_seconds: float = 0.0) -> dict[str, Any]:
        from sim.summary import summarize

        return summarize(self, wall_seconds)


def run(scenario, seed: int = 0, hours: float | None = None,
        commands: list[Command] | tuple = (), lean: bool = False) -> dict[str, Any]:
    """Run headless for ``hours`` (default: the scenario's) and return the summary dict
    (``lean``: see :class:`Simulation`)."""
    import time

    hours = scenario.run.hours if hours is None else hours
    t0 = time.perf_counter()
    sim = Simulation(scenario, seed=seed, commands=commands, lean=lean)
    sim.advance_to(hours * 3600.0)
    return sim.summary(time.perf_counter() - t0)
