"""Stations: one upstream model with its slots, its two-lane queue and its books.

A station is River's view of one upstream model: the base slots it contracts, the slots it
rents (provisioning, then working, then draining back), the queue in front of them, the
circuit breaker, the batching basket, and the per-model numbers (utilization, deliveries,
costs).  The decisions about *customers* live in :mod:`sim.simulation`; here is what a slot
and a queue can do.

The wait estimator is here too, because it is made of this station's state only: how many
orders are ahead, how many slots serve them, how long the calls lately started take.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from heapq import heappop, heappush
from math import log

from sim import rng
from sim.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from sim.eta import (
    SpreadCurve,
    StartCurve,
    censored_mean,
    erlang_residual,
    fifo_range,
    line_fifo_range,
    rate_drift,
    walk,
)
from sim.lanes import Lanes
from sim.metrics import Histogram, Series, TimeAverage, Window
from sim.rng import GAMMA, at

US_PER_HOUR = 3_600_000_000
# calls the mean task time is measured over, the last ones *started*: an Erlang-2 task's
# mean over n calls is off by sqrt(1/2n) -- 10% over 50 calls, the largest error the wait
# estimate had (issue 19: among orders told a 50-call mean under 270 s, 27% waited past the
# range's top; over 330 s, 23% started before its bottom); 5% over 200, still the last hour
# of a 20-slot station's calls, so a slower upstream shows within it.  A count, not a time
# window: the error stays the same at any load (a window of an hour holds a few calls at
# night and a thousand at the peak).
CALLS_KEPT = 200


class SlotState(StrEnum):
    PROVISIONING = "provisioning"  # rented, on its way (billed from the rent order)
    IDLE = "idle"
    BUSY = "busy"
    DRAINING = "draining"          # busy, will leave when its task ends
    GONE = "gone"


# Members as module constants: an attribute of an Enum class is slow to look up on 3.11.
PROVISIONING, IDLE, BUSY = SlotState.PROVISIONING, SlotState.IDLE, SlotState.BUSY
DRAINING, GONE = SlotState.DRAINING, SlotState.GONE

@dataclass(slots=True)
class Fees:
    """Upstream fees of one model in whole cents: base-slot contract and rentals."""

    base: int = 0
    rental: int = 0


class FactoryWaits:
    """Waits of every model together, kept as they happen (snapshots read them at frame
    rate; merging the per-model histograms there would cost a pass over every bucket)."""

    __slots__ = ("started", "with_gave_up")

    def __init__(self) -> None:
        self.started = Histogram()        # submission to first start, orders that started
        self.with_gave_up = Histogram()   # ... and orders refunded before they started


class Slot:
    __slots__ = ("key", "index", "rented", "state", "since_s", "call", "lease_start_s",
                 "last_fail_s", "arrive_s", "rented_by")

    def __init__(self, index: int, rented: bool, state: SlotState, now: float) -> None:
        self.index = index
        self.rented = rented
        self.key = (1 if rented else 0, index)
        self.state = state
        self.since_s = now
        self.call = None
        self.lease_start_s = now
        self.last_fail_s = -1.0
        self.arrive_s = now
        self.rented_by = ""     # who rented it: operator | autoscaler ("" for a base slot)


OUT, RUNNING_IN, FINISHED_IN = 0, 1, 2   # a call's place in its station's sample
NOT_SAMPLED = (OUT, 0.0, 0.0, 0)        # the sample entry of a call not (or no longer) in it
DRAW_2 = 3 * GAMMA      # rng.draw(state, 2) steps the state by (2 + 1) increments


class Call:
    """One upstream call on one slot: one order, or a batch."""

    __slots__ = ("station", "slot", "orders", "start_s", "end_s", "outcome", "cancelled", "size",
                 "probe", "sampled")

    def __init__(self, station, slot: Slot, orders: list, start_s: float,
                 end_s: float | None = None, outcome: str = "ok", probe: bool = False) -> None:
        self.station = station
        self.slot = slot
        self.orders = orders
        self.size = len(orders)
        self.start_s = start_s
        self.end_s = start_s if end_s is None else end_s   # known once its draw is made
        self.outcome = outcome
        self.cancelled = False
        self.probe = probe      # the half-open circuit breaker's probe call
        # its entry in the station's sample of calls lately started (``Station.call_time_s``):
        # ``[place, start_s, seconds, ok]``, place RUNNING_IN, FINISHED_IN or OUT (evicted)
        self.sampled = NOT_SAMPLED


def _place(lane, live: int, order) -> int:
    """``order``'s place (0-based) among the ``live`` orders of ``lane``, searched from
    the back (where a new order is), or -1."""
    place = live
    for token, o in reversed(lane):
        if o.qtoken == token:
            place -= 1
            if o is order:
                return place
    return -1


def _back_key(entry: tuple) -> tuple:
    """A backing-off order's ``(due_s, order)`` sorted by when it comes back (then by id:
    the same order in every run)."""
    return entry[0], entry[1].id


class Station:
    def __init__(self, cfg, scenario, key: int, factory: FactoryWaits | None = None) -> None:
        self._init_config(cfg, scenario, key, factory)
        self._init_slots(scenario)
        self._init_numbers(scenario)
        self._init_counts(scenario)

    def _init_config(self, cfg, scenario, key: int, factory: FactoryWaits | None) -> None:
        """What the scenario fixes: the model's settings, the service target, the factory."""
        self.name = cfg.name
        self.key = key                     # the model's purpose key: task times and outcomes
        self.cfg = cfg
        self.label = cfg.label
        self.content = cfg.content
        self.mean_task_s = cfg.mean_task_s
        self.batch_max = cfg.batch_max
        self.batch_window_s = cfg.batch_window_s
        self.max_rented = cfg.max_rented
        self.outage_fail_s = scenario.circuit.outage_fail_s
        self.cancelled_run_cost_cents = 0  # upstream minutes of runs cancelled part-way
        self.target_wait_s = scenario.service.target_wait_s
        self.factory = factory if factory is not None else FactoryWaits()
        self.started_within_target = 0     # orders whose first start came within the target
        self.rented_revenue_cents = 0      # revenue of orders delivered by rented slots

    def _init_slots(self, scenario) -> None:
        """The lanes, the breaker and the slots' state: what serving orders changes."""
        self.lanes = Lanes(scenario.queue.aging_s)
        self.breaker = CircuitBreaker(scenario.circuit)
        self.slots: dict[tuple[int, int], Slot] = {}
        self._idle: list[tuple[tuple[int, int], int, Slot]] = []  # lowest slot first
        self._idle_seq = itertools.count()
        self.n_idle = 0
        self.n_draining = 0
        self.paused = False
        self.outage_until_s = -1.0
        self.batch_deadline_s: float | None = None
        self.batch_due = False
        self.base_target = 0
        self.version = 0                   # bumped by every change of a slot's state
        self._curve_key: tuple | None = None
        self._curve: StartCurve | None = None
        # orders of this model backing off after a failed call, by order id: each comes
        # back to the front of its lane (:meth:`sim.lanes.Lanes.push`), ahead of every
        # order waiting now -- the gateway scheduled their return, so the estimate counts them
        self.backoff: dict[int, object] = {}
        self.trip_fail_s = 0.0             # how long the call that last opened the circuit ran
        # the autoscaler (its ``planned(station, now)``: the rentals it will make while the
        # wait stays high), set by the simulation; None: no rentals to come are counted
        self.planner = None

    def _init_numbers(self, scenario) -> None:
        """Time averages, fees and wait measures: what the metrics and the ledger read."""
        self.busy = TimeAverage()          # busy slots
        self.active = TimeAverage()        # slots able to work (idle + busy + draining)
        self.billed_base = TimeAverage()   # base slots under contract
        self.billed_rented = TimeAverage() # rented slots under lease
        self.queued = TimeAverage()        # orders waiting in the lanes
        self._acc_us = [0, 0]              # carried cent fractions (base, rented), in cent*us
        self._accrued_until_s = 0.0
        self.accrued_cents = Fees()        # slot fees and rentals owed so far
        self.posted_cents = Fees()         # of which posted to the ledger
        # the last CALLS_KEPT calls started (their sums kept as they start, end and leave:
        # call_time_s reads them in O(1) plus a pass over the running ones)
        self.sample: deque[list] = deque()
        self.sample_done_s = 0.0           # seconds the finished ones took (ok or failed)
        self.sample_ok = 0                 # ... how many of them succeeded
        self.sample_running = 0            # ... how many are still running
        self.sample_start_s = 0.0          # ... the running ones' start times, summed
        self.vip_arrivals: deque[float] = deque()   # VIP submissions in the last window
        self.vip_who: deque[int] = deque()          # ... and whose (the clumps they come in)
        self._vip_per: dict[int, int] = {}          # ... counted by customer, as they come
        self._vip_sq = 0                            # ... and the sum of those counts squared
        self.vip_window_s = scenario.metrics.window_s
        self.waits = Histogram()
        self._wait_hists = (self.waits, self.factory.started, self.factory.with_gave_up)
        # orders refunded before they ever started: how long they had waited (a wait
        # measure of started orders alone looks better the more people give up)
        self.gave_up = Histogram()
        self.gave_up_window = Window(scenario.metrics.window_s)   # ... in the live window
        self.wait_window = Window(scenario.metrics.window_s)
        self.asks_window = Window(scenario.autoscaler.window_s)
        self.lane_sum = {"vip": [0.0, 0], "normal": [0.0, 0]}

    def _init_counts(self, scenario) -> None:
        """Plain tallies of what happened, and the series the charts draw."""
        self.delivered = 0
        self.failed = 0
        self.throttled = 0
        self.retries = 0
        self.calls = 0
        self.rented_peak = 0
        self.rent_events = 0
        self.return_events = 0
        self.series_queue = Series(scenario.metrics.series_len)
        self.series_wait = Series(scenario.metrics.series_len)

    # -- slots ---------------------------------------------------------------------------
    def count(self, rented: bool, *states: SlotState) -> int:
        return sum(1 for s in self.slots.values() if s.rented == rented and s.state in states)

    @property
    def rented_slots(self) -> int:
        """Rented slots under lease (provisioning, working or draining)."""
        return int(self.billed_rented.level)

    def _free_index(self, rented: bool) -> int:
        used = {k[1] for k in self.slots if k[0] == (1 if rented else 0)}
        i = 0
        while i in used:
            i += 1
        return i

    def add_slot(self, rented: bool, state: SlotState, now: float) -> Slot:
        self.accrue(now)
        slot = Slot(self._free_index(rented), rented, state, now)
        self.slots[slot.key] = slot
        self.version += 1
        if rented:
            self.billed_rented.add(now, 1)
            self.rented_peak = max(self.rented_peak, self.rented_slots)
        else:
            self.billed_base.add(now, 1)
        if state is IDLE:
            self.active.add(now, 1)
            self.make_idle(slot, now)
        return slot

    def make_idle(self, slot: Slot, now: float) -> None:
        slot.state = IDLE
        slot.since_s = now
        self.version += 1
        slot.call = None
        heappush(self._idle, (slot.key, next(self._idle_seq), slot))
        self.n_idle += 1

    def take_idle(self) -> Slot:
        idle = self._idle
        while True:
            _, _, slot = heappop(idle)
            if slot.state is IDLE and self.slots.get(slot.key) is slot:
                self.n_idle -= 1
                self.version += 1
                return slot

    def remove_slot(self, slot: Slot, now: float) -> None:
        """Take a slot out of service now (it must not be running a call)."""
        self.accrue(now)
        if slot.state is IDLE:
            self.n_idle -= 1
        elif slot.state is DRAINING:
            self.n_draining -= 1
        if slot.state in (IDLE, DRAINING, BUSY):
            self.active.add(now, -1)
        slot.state = GONE
        slot.since_s = now
        self.version += 1
        del self.slots[slot.key]
        if slot.rented:
            self.billed_rented.add(now, -1)
        else:
            self.billed_base.add(now, -1)

    def slots_to_shed(self, rented: bool, n: int, rented_by: str = "") -> list[Slot]:
        """The ``n`` slots of a kind to give up first: not yet working, idle, then busy
        (``rented_by``: only the rented slots that party rented)."""
        order = {SlotState.PROVISIONING: 0, SlotState.IDLE: 1, SlotState.BUSY: 2}
        cands = [s for s in self.slots.values() if s.rented == rented and s.state in order
                 and (not rented_by or s.rented_by == rented_by)]
        cands.sort(key=lambda s: (order[s.state], -s.index))
        return cands[:n]

    def leased_by(self, rented_by: str) -> int:
        """Rented slots under lease (on their way, idle or busy) that ``rented_by`` rented:
        what that party may hand back."""
        return len(self.slots_to_shed(True, len(self.slots), rented_by))

    def working_slots(self) -> int:
        """Slots that can take new work (idle or busy, not draining or provisioning)."""
        return self.active.level - self.n_draining

    def drain(self, slot: Slot, now: float) -> None:
        """A busy slot finishes its call, then leaves."""
        slot.state = DRAINING
        slot.since_s = now
        self.version += 1
        self.n_draining += 1

    # -- the luck of a call ---------------------------------------------------------------
    def draw(self, order_id: int, attempt: int, now: float) -> tuple[float, str]:
        """The ``(duration_s, outcome)`` of attempt ``attempt`` (1, 2, ...) of order
        ``order_id`` on this model, keyed by (seed, model, order, attempt): the same order on
        its n-th attempt gets the same task time and outcome whatever the capacity, the
        breakers, the autoscaler or an outage did before (an outage only replaces the outcome
        while it lasts).  A pure function: the rental budget may look at a call's length
        before a rented slot starts it, and asking twice draws nothing more.

        A batched call (the LLM station) is keyed by its *first* order (the head of the
        queue when it starts) on that order's attempt: the whole call lasts that draw and
        shares its outcome, so the batch keeps the model's task-time distribution; the same
        head on the same attempt gives the same call in any run.

        Draw 0 decides the outcome (a 429 or an error at the model's rates), draw 1 how far an
        error gets, draws 2... the Erlang task time; an outage fails the call after
        ``outage_fail_s``."""
        if self.outage_until_s > now:
            return self.outage_fail_s, "outage"
        cfg = self.cfg
        state = rng.entity(self.key, order_id, attempt)
        throttle = cfg.throttle_rate
        fail = cfg.fail_rate
        # draw 0 decides nothing when neither a 429 nor an error can happen (not computed);
        # draw i is rng.at(state + (i + 1) * GAMMA), rng.draw without its call
        u = at(state + GAMMA) if throttle > 0.0 or fail > 0.0 else 1.0
        if u < throttle:
            return cfg.throttle_delay_s, "throttle"
        shape = cfg.task_shape
        if shape == 1:       # rng.erlang of the draws from index 2, inlined
            duration = -self.mean_task_s * log(1.0 - at(state + DRAW_2))
        else:
            prod = 1.0
            z = state + DRAW_2
            for _ in range(shape):
                prod *= 1.0 - at(z)
                z += GAMMA
            duration = -(self.mean_task_s / shape) * log(prod)
        if u < throttle + fail:
            return duration * rng.draw(state, 1), "error"
        return duration, "ok"

    # -- service rate and the wait estimate ------------------------------------------------
    def call_started(self, call: Call) -> None:
        """``call`` started: it joins the sample, running (the oldest call leaves it).  The
        sample holds a small entry per call, ``[place, start_s, seconds, ok]``, not the call
        (a finished call's orders and customers are not kept alive by it)."""
        sample = self.sample
        call.sampled = entry = [RUNNING_IN, call.start_s, 0.0, 0]
        sample.append(entry)
        self.sample_running += 1
        self.sample_start_s += call.start_s
        if len(sample) > CALLS_KEPT:
            old = sample.popleft()
            if old[0] == RUNNING_IN:           # still running: simply dropped
                self._unrun(old)
            elif old[0] == FINISHED_IN:
                self.sample_done_s -= old[2]
                self.sample_ok -= old[3]
            old[0] = OUT

    def _unrun(self, entry: list) -> None:
        entry[0] = OUT
        self.sample_running -= 1
        self.sample_start_s -= entry[1]
        if not self.sample_running:
            self.sample_start_s = 0.0          # no drift of float sums across none running

    def call_finished(self, call: Call) -> None:
        """``call`` ended by itself (ok or failed) at its ``end_s``: its duration is known."""
        entry = call.sampled
        if entry[0] == RUNNING_IN:
            self._unrun(entry)
            entry[0] = FINISHED_IN
            entry[2] = d = call.end_s - call.start_s
            self.sample_done_s += d
            if call.outcome == "ok":
                entry[3] = 1
                self.sample_ok += 1
        call.sampled = NOT_SAMPLED
        self.version += 1

    def call_cancelled(self, call: Call) -> None:
        """``call`` was given up part-way (its orders cancelled): how long it would have
        run is never known; it leaves the sample (a customer's leaving does not depend on
        the task's length)."""
        if call.sampled[0] == RUNNING_IN:
            self._unrun(call.sampled)
        call.sampled = NOT_SAMPLED

    def call_time_s(self, now: float, elapsed: list[float] | None = None) -> float:
        """Slot-seconds per successful call, lately: what a queued order's turn costs.  A
        failed call frees its slot early, but its order comes back to the front of its
        lane and takes a start again -- each start that moves the queue on takes the
        calls' seconds, failed ones included, over the successful ones (the model's mean
        before five have succeeded).

        Measured over the last :data:`CALLS_KEPT` calls *started*, each finished (its
        duration known) or still running (it has run ``now - start`` so far: it will take
        longer), by :func:`sim.eta.censored_mean`.  Not over the last calls *finished*:
        after a burst from idle the first calls to end are the short ones, while the long
        ones started with them still run -- a sample of completions is biased short
        (issue 19: a mean 7% low on the default scenario).  A sample chosen by its start
        is not; its running calls count as far as they have got.  ``elapsed``: those
        running calls' elapsed seconds if the caller has visited the slots already (the
        curve build does), else they are looked up here."""
        n_ok = self.sample_ok
        if n_ok < 5:
            return self.mean_task_s
        r = self.sample_running
        k = self.cfg.task_shape
        if k <= 1 or not r:
            # exponential: E[D | D > e] = e + theta, and the fixed point is closed-form:
            # every second run so far over the calls that succeeded
            return (self.sample_done_s + r * now - self.sample_start_s) / n_ok
        if elapsed is None:
            elapsed = [now - s.call.start_s for s in self.slots.values()
                       if s.call is not None and s.call.sampled[0] == RUNNING_IN]
        return censored_mean(self.sample_done_s, n_ok, elapsed, k)

    def note_submitted(self, now: float, vip: bool, who: int = -1) -> None:
        """An order entered the queue for the first time (VIPs: the overtaking rate, and
        ``who`` submitted it: how they clump)."""
        if vip:
            self.vip_arrivals.append(now)
            self.vip_who.append(who)
            per = self._vip_per
            x = per.get(who, 0)
            per[who] = x + 1
            self._vip_sq += 2 * x + 1            # (x + 1)^2 - x^2

    def vip_rate_per_s(self, now: float) -> float:
        """VIP orders per second lately submitted (what a gateway has seen, not the
        scenario's profile), over the metrics window or the run so far if shorter."""
        arrivals = self.vip_arrivals
        span = self.vip_window_s
        cut = now - span
        who = self.vip_who
        while arrivals and arrivals[0] < cut:
            arrivals.popleft()
            w = who.popleft()
            per = self._vip_per
            x = per[w]
            self._vip_sq -= 2 * x - 1            # x^2 - (x - 1)^2
            if x > 1:
                per[w] = x - 1
            else:
                del per[w]
        seen = min(span, now)
        return len(arrivals) / seen if seen > 0 else 0.0

    def vip_clumping(self) -> float:
        """How VIP orders lately seen clump by customer: E[X^2] / E[X] of the orders per
        VIP customer (1: each came alone; the variance of a count of them, per order).
        Kept as counts by customer and their sum of squares, updated as VIP orders come
        and leave the window (the estimate asks at every enqueue: no pass over the window)."""
        total = len(self.vip_who)
        return self._vip_sq / total if total else 1.0

    def start_curve(self, now: float, planned: bool = True) -> StartCurve:
        """The start curve at ``now``, made once per instant and state: every order
        enqueued or asked at one instant and the whole snapshot share it.  Its key is what
        it reads: a slot changed state (``version``; a call started: ``calls``), the
        breaker, the pause, the rentals the autoscaler plans (``planned=False``: none, what
        the autoscaler itself asks -- how long with what is rented so far)."""
        br = self.breaker
        planner = self.planner       # switched off, it plans nothing (planned() says so)
        plan = (planner.planned(self, now) if planned and planner is not None
                and planner.enabled else ())
        key = (now, self.version, self.calls, self.paused, br.state, br.down_since_s,
               br.open_until_s, tuple(plan))
        if key != self._curve_key:
            self._curve = self._make_curve(now, plan)
            self._curve_key = key
        return self._curve

    def _make_curve(self, now: float, plan=()) -> StartCurve:
        """The expected starts to come (see :mod:`sim.eta`): idle slots now (unless the
        queue is paused or the circuit is not closed), running calls when they end,
        rented slots when they arrive (and those the autoscaler will rent: ``plan``), all
        of them only once a down circuit is back -- or, half-open, once the probe that is
        answering like a working model ends.  Draining slots take no more work."""
        idle = self.n_idle
        busy: list[float] = []
        arrivals: list[float] = []
        censored = None
        running = int(self.busy.level) - self.n_draining
        if self.cfg.task_shape <= 1 and len(self.slots) == idle + running + self.n_draining:
            # exponential tasks and no slot on its way: how long a call has run tells
            # nothing (memoryless), so the busy slots are counted, not visited
            busy = [0.0] * running
        else:
            # the running calls of the sample: call_time_s reads them
            if not self.n_draining and len(self.slots) == idle + running:
                # busy and idle slots alone (none on its way, none draining): the same
                # lists, in the same (slot) order, made by comprehension
                calls = [s.call for s in self.slots.values() if s.state is BUSY]
                busy = [now - call.start_s for call in calls]
                censored = [e for call, e in zip(calls, busy, strict=True)
                            if call.sampled[0] == RUNNING_IN]
            else:
                censored = self._visit_slots(now, busy, arrivals)
        if plan and not self.paused:
            arrivals = [*arrivals, *plan]   # rentals the autoscaler will make (see planned())
        if self.paused:
            busy += [0.0] * idle
            idle = 0
        br = self.breaker
        down_s = -1.0
        cooldown_left_s = 0.0
        if br.state != CLOSED:
            down_s = max(0.0, now - br.down_since_s)
            if br.state == OPEN:
                cooldown_left_s = max(0.0, br.open_until_s - now)
        n = self.sample_ok
        mean_s = self.call_time_s(now, censored)
        back = self._probe_back(now, mean_s) if br.state == HALF_OPEN else None
        if back is not None:
            # the probe is answering as a working model does: the circuit closes when it
            # ends -- its residual, not the prior on how long the model stays down
            down_s, cooldown_left_s = 0.0, back[0]
        curve = StartCurve(now=now, mean_s=mean_s, shape=self.cfg.task_shape,
                           idle=idle, busy_elapsed=busy, arrivals=arrivals, down_s=down_s,
                           cooldown_left_s=cooldown_left_s, samples=n if n >= 5 else 0)
        if back is not None:
            curve.down_lo = back[0] - back[1]
            curve.down_hi = back[2] - back[0]
        return curve

    def _visit_slots(self, now: float, busy: list, arrivals: list) -> list[float]:
        """Each slot's part in the curve: a busy slot's call's elapsed seconds (to
        ``busy``), a provisioning slot's seconds until it arrives (to ``arrivals``);
        returns the elapsed seconds of the sample's calls still running (busy or draining),
        in slot order."""
        censored = []
        for s in self.slots.values():
            state = s.state
            if state is BUSY:
                call = s.call
                e = now - call.start_s
                busy.append(e)
                if call.sampled[0] == RUNNING_IN:
                    censored.append(e)
            elif state is PROVISIONING:
                arrivals.append(max(0.0, s.arrive_s - now))
            elif state is DRAINING and s.call is not None and s.call.sampled[0] == RUNNING_IN:
                censored.append(now - s.call.start_s)
        return censored

    def _probe_back(self, now: float, mean_s: float) -> tuple[float, float, float] | None:
        """Half-open, with a probe running longer than the call that last opened the
        circuit took to fail: ``(median, lo, hi)`` seconds until the probe ends (then the
        circuit closes), from the task's distribution given how long it has run.  None
        while the probe may still fail as the calls before it did."""
        for s in self.slots.values():
            call = s.call
            if call is not None and call.probe and s.state is not IDLE:
                ran = now - call.start_s
                if ran > self.trip_fail_s:
                    return erlang_residual(ran, mean_s, self.cfg.task_shape)
                return None
        return None

    def estimates(self, now: float, want=None, newcomer: bool = False,
                  planned: bool = True, only_newcomer: bool = False) -> dict:
        """``{order: (median_s, lo_s, hi_s)}``: each waiting order's predicted wait from
        now to its start (the median and an 80% range), or only up to ``want``
        (``planned``: counting the rentals the autoscaler will make)."""
        lanes = self.lanes
        curve = self.start_curve(now, planned)
        rate = self.vip_rate_per_s(now)
        if (want is not None and not lanes.n_vip and rate <= 0.0 and not want.vip
                and not self.backoff):
            # no VIP waits or is coming: the normal lane is first come, first served, and
            # the order's start is its place in it (what the walk would find, unwalked)
            place = _place(lanes.normal, lanes.n_normal, want)
            if place >= 0:
                return {want: fifo_range(curve, place, self.batch_max)}
        vip, normal = self.lane_lists()
        if rate > 0.0:
            disp = self.vip_clumping()
            arrivals = self.vip_arrivals
            curve = SpreadCurve(curve, disp, len(arrivals),
                                rate_drift(arrivals, now, min(self.vip_window_s, now), disp))
        return walk(vip, normal, now, lanes.aging_s, self.batch_max, rate, curve, want,
                    newcomer, only_newcomer)

    def lane_lists(self) -> tuple[list, list]:
        """``(vip, normal)``: the orders each lane will serve, in lane order, as the
        estimate sees them -- the orders backing off first (each comes back to the front of
        its lane, the last to come back foremost), then the orders waiting now."""
        lanes = self.lanes
        vip = [o for t, o in lanes.vip if o.qtoken == t]
        normal = [o for t, o in lanes.normal if o.qtoken == t]
        if self.backoff:
            back = sorted(self.backoff.values(), key=_back_key, reverse=True)
            vip = [o for _, o in back if o.vip] + vip
            normal = [o for _, o in back if not o.vip] + normal
        return vip, normal

    def est_range(self, order, now: float) -> tuple[float, float, float]:
        """One waiting order's predicted wait from now: ``(median_s, lo_s, hi_s)``.  When
        idle slots will take every waiting order at once (the circuit closed, dispatch on),
        it is nothing, and nothing need be played forward."""
        lanes = self.lanes
        closed = self.breaker.state == CLOSED
        if (lanes.n_vip + lanes.n_normal <= self.n_idle * self.batch_max and not self.paused
                and closed):     # len(lanes), without the call
            return 0.0, 0.0, 0.0
        if (closed and self.cfg.task_shape <= 1 and not lanes.n_vip and not order.vip
                and not self.backoff and len(self.slots) == self.n_idle + int(self.busy.level)
                and (not self.vip_arrivals or self.vip_rate_per_s(now) <= 0.0)):
            # the start curve is a straight line (exponential tasks, the circuit closed, no
            # slot on its way) and the lane first come, first served: the range is
            # line_fifo_range's closed form, unless the autoscaler plans rentals
            planner = self.planner
            place = _place(lanes.normal, lanes.n_normal, order)
            if place >= 0 and (planner is None or not planner.enabled
                               or not planner.planned(self, now)):
                idle = self.n_idle
                n_ok = self.sample_ok
                return line_fifo_range(0 if self.paused else idle,
                                       idle + int(self.busy.level) - self.n_draining,
                                       self.call_time_s(now), n_ok if n_ok >= 5 else 0,
                                       place // self.batch_max + 1)
        return self.estimates(now, want=order).get(order, (0.0, 0.0, 0.0))

    def est_wait(self, order, now: float) -> float:
        """One waiting order's median predicted wait from now (DOMAIN section 6)."""
        return self.est_range(order, now)[0]

    def newcomer_wait(self, now: float) -> float:
        """The median wait of a normal order that would be submitted now (the
        autoscaler's signal of how long the queue is).  While idle slots would take every
        waiting order and the newcomer at once (the circuit closed, dispatch on, no order
        backing off to come back first), it is nothing: the walk is not played (it finds
        0.0 there, as :meth:`est_range` says of the orders waiting)."""
        if (len(self.lanes) < self.n_idle * self.batch_max and not self.paused
                and not self.backoff and self.breaker.state == CLOSED):
            return 0.0
        return self.estimates(now, newcomer=True, planned=False,
                              only_newcomer=True)[None][0]

    def record_wait(self, now: float, wait: float, vip: bool) -> None:
        """An order started for the first time after waiting ``wait`` seconds: the
        model's and the factory's wait histograms, the live window, the lane's mean."""
        if wait <= self.target_wait_s:
            self.started_within_target += 1
        Histogram.add_all(self._wait_hists, wait)
        window = self.wait_window
        window.times.append(now)
        window.samples.append(wait)
        window._dirty = True
        lane = self.lane_sum["vip" if vip else "normal"]
        lane[0] += wait
        lane[1] += 1

    def record_gave_up(self, now: float, waited_s: float) -> None:
        """An order refunded before it ever started had waited this long."""
        self.gave_up.add(waited_s)
        self.gave_up_window.add(now, waited_s)
        self.factory.with_gave_up.add(waited_s)

    # -- money -----------------------------------------------------------------------------
    def accrue(self, now: float, commit: bool = True) -> tuple[int, int]:
        """Slot fees and rentals owed since the last accrual, in whole cents.

        Integer arithmetic in cent-microseconds with the fraction carried over, so every
        leased second is paid for and no rounding drifts over a long run.
        """
        elapsed_us = round((now - self._accrued_until_s) * 1e6)
        cfg = self.cfg
        carry_base, carry_rent = self._acc_us
        base, carry_base = divmod(
            carry_base + int(self.billed_base.level) * cfg.slot_cost_cents_per_h * elapsed_us,
            US_PER_HOUR)
        rent, carry_rent = divmod(
            carry_rent + int(self.billed_rented.level) * cfg.rented_cost_cents_per_h * elapsed_us,
            US_PER_HOUR)
        if commit:
            self._acc_us = [carry_base, carry_rent]
            self._accrued_until_s = now
            owed = self.accrued_cents
            owed.base += base
            owed.rental += rent
        return base, rent

    def rental_spent_cents(self, now: float) -> float:
        """Rental fees owed up to ``now``, to the fraction of a cent (the budget guard)."""
        elapsed_us = (now - self._accrued_until_s) * 1e6
        carried = self._acc_us[1] + (self.billed_rented.level * self.cfg.rented_cost_cents_per_h
                                     * elapsed_us)
        return self.accrued_cents.rental + carried / US_PER_HOUR

    def unposted(self) -> tuple[int, int]:
        """Accrue to the last accrual and hand over what the ledger has not seen yet."""
        owed, posted = self.accrued_cents, self.posted_cents
        base, rent = owed.base - posted.base, owed.rental - posted.rental
        self.posted_cents = Fees(owed.base, owed.rental)
        return base, rent

    # -- views -----------------------------------------------------------------------------
    def utilization(self, now: float) -> float:
        avail = self.active.integral(now)
        return self.busy.integral(now) / avail if avail > 0 else 0.0

    def utilization_now(self) -> float:
        working = self.active.level
        return self.busy.level / working if working else 0.0
