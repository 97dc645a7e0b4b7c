"""Presenter mode: jump anywhere in the day, deterministically, and slow down for the show.

Why a jump is a replay and never a shortcut: the factory is a deterministic simulation, and a
demo that lands somewhere else than the run it shows would be a different run.  A jump forward
fast-forwards the same simulation; a jump backward has the app build a new one from t=0
(``restart``) with the same scenario, seed and construction commands (never re-seeded) and
issues the operator's live commands again at their instants, exactly as the app issued them
(advance to the instant, command, apply), so even the engine's sequence numbers and therefore
``state_digest`` match the run played straight through.  Both advance a slice per frame
(the browser runs only while the frame loop awaits), sized to a wall-time budget.

A jump is a view action, not a command: the commands recorded stay the same.  Those later than
the new playhead wait in ``pending`` and are issued as the playhead passes them, so the session
plays again as recorded (and a new command simply joins it).

Before a marked event (a profile change, a scripted or recorded command) playback eases down
to ``EASE_SPEED`` so the audience sees it happen, holds there around it, then eases back up to
the operator's speed.  A flash crowd is held at the presenter's pace, ``EASE_SPEED``, from its
flag to the profile's next step: its worst minutes (rush-hour's 03:20-03:30) used to pass in
about five real seconds at x600; at the presenter's pace they take twenty.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from sim import Command, SimulationPort

EASE_SPEED = 30.0
HOLD_S = 60.0            # simulated seconds at EASE_SPEED on each side of a marker
LEAD_REAL_S = 1.5        # easing: the marker stays this many real seconds away
PRE_ROLL_S = 90.0        # a jump to a marker lands this long before it
JUMP_BUDGET_S = 0.008    # wall time a jump may take per frame
FIRST_SLICE_S = 60.0     # simulated seconds of the first slice; later ones fit the budget
MAX_SLICE_S = 3600.0
MIN_SLICE_S = 1.0
LEAD_S = 660.0           # a jump's last simulated seconds fed to the ticker (its window + 1m)
FEED_SLICE_S = 3.0       # ...a snapshot this often, as playback at x30 takes them
PLAY_SLICES = 8          # a frame's playback runs in this many slices (see play_within)
MAX_BEHIND_REAL_S = 1.0  # playback owed to the clock is kept up to this many real seconds
FLASH_FACTOR = 3.0       # a profile step to at least this factor is a flash crowd
RUSH_FACTOR = 1.5


@dataclass(frozen=True, slots=True)
class Marker:
    """A scripted moment of the day: where the timeline puts a flag."""

    at_s: float
    kind: str                       # profile | scripted | recorded | pending
    key: str                        # i18n key of the label
    factor: float = 0.0             # profile markers: the new factor
    command: Command | None = None  # command markers
    until_s: float | None = None    # an outage's end


def profile_markers(profile) -> list[Marker]:
    """One marker per change of the arrival profile, named by the step it makes."""
    out = []
    for (_, before), (start, f) in zip(profile[:-1], profile[1:], strict=True):
        if f == before:
            continue
        if f < before:
            key = "mk_calm"
        elif f >= FLASH_FACTOR:
            key = "mk_flash"
        elif f >= RUSH_FACTOR:
            key = "mk_rush"
        else:
            key = "mk_busier"
        out.append(Marker(start, "profile", key, factor=f))
    return out


def flash_spans(profile) -> list[tuple[float, float]]:
    """The flash crowds of an arrival profile: ``(start_s, end_s)`` of each run of steps at
    ``FLASH_FACTOR`` or more (the last one runs to the end of time)."""
    spans: list[tuple[float, float]] = []
    start = None
    for t, f in profile:
        if f >= FLASH_FACTOR and start is None:
            start = t
        elif f < FLASH_FACTOR and start is not None:
            spans.append((start, t))
            start = None
    if start is not None:
        spans.append((start, math.inf))
    return spans


def command_marker(cmd: Command, kind: str) -> Marker:
    until = cmd.at_s + cmd.args["duration_s"] if cmd.name == "outage" else None
    return Marker(cmd.at_s, kind, "mk_" + cmd.name, command=cmd, until_s=until)


def markers(day: dict, pending: list[Command] | tuple = ()) -> list[Marker]:
    """Every marker of a snapshot's ``plan`` plus the commands waiting to be replayed."""
    out = profile_markers(day["profile"])
    out += [command_marker(c, "scripted") for c in day["scripted"]]
    out += [command_marker(c, "recorded") for c in day["recorded"]]
    out += [command_marker(c, "pending") for c in pending]
    out.sort(key=lambda m: m.at_s)
    return out


def two_digits(speed: float) -> float:
    """A speed rounded to two significant digits (x59, x590), so the desk reads calmly."""
    if speed <= 0:
        return speed
    step = 10.0 ** (math.floor(math.log10(speed)) - 1)
    return round(speed / step) * step


def play(sim: SimulationPort, t_s: float, pending: list[Command]) -> None:
    """Advance ``sim`` to ``t_s``, issuing the due ``pending`` commands on the way exactly as
    the app issues a live one (advance to its instant, command, apply)."""
    while pending and pending[0].at_s <= t_s:
        cmd = pending.pop(0)
        sim.advance_to(cmd.at_s)
        sim.command(cmd.name, **cmd.args)
        sim.advance_to(sim.now)
    sim.advance_to(t_s)


def play_within(sim: SimulationPort, t_s: float, pending: list[Command], slice_s: float,
                deadline: float) -> None:
    """:func:`play` towards ``t_s`` in slices of ``slice_s`` simulated seconds, stopping
    before a slice that would end past ``deadline`` (a ``time.perf_counter`` instant) if it
    took as long as the last one.  The first slice always runs.

    Why: the events of a frame come in bursts (a flash crowd's arrivals, a batch of calls
    ending together); a frame that had to run all of a burst would be a visible hitch, while
    the same work spread over the next frames is not.  Where it stops changes nothing in the
    run: a simulation sliced at any instants logs the same events."""
    while True:
        start = time.perf_counter()
        play(sim, min(t_s, sim.now + slice_s), pending)
        end = time.perf_counter()
        if sim.now >= t_s or end + (end - start) >= deadline:
            return


class Jump:
    """A jump in progress: ``sim`` advanced one slice per frame until it stands at the target."""

    def __init__(self, sim: SimulationPort, target_s: float, pending: list[Command],
                 rebuilt: bool) -> None:
        self.sim = sim
        self.target_s = target_s
        self.pending = pending
        self.rebuilt = rebuilt          # a new simulation (backward), not the shown one
        self.start_s = sim.now
        self.slice_s = FIRST_SLICE_S
        # called after each slice of the last LEAD_S before the target, the slices then
        # at most FEED_SLICE_S: the app's ticker reads those minutes as it would have live
        self.on_slice: Callable[[SimulationPort], None] | None = None

    @property
    def progress(self) -> float:
        span = self.target_s - self.start_s
        return 1.0 if span <= 0 else min(1.0, (self.sim.now - self.start_s) / span)

    def step(self, budget_s: float, max_slice_s: float) -> bool:
        """Run one slice; True when the target is reached.  The slice grows or shrinks so a
        frame spends about ``budget_s`` here (the result never depends on the slicing)."""
        t0 = time.perf_counter()
        goal = min(self.target_s, self.sim.now + self.slice_s)
        if self.on_slice is not None:
            lead_from = self.target_s - LEAD_S
            if self.sim.now >= lead_from:
                # the lead-in, fed slice by slice, never more than a slice of it a frame
                stop_s = min(self.target_s, self.sim.now + max_slice_s)
                while self.sim.now < stop_s:
                    play(self.sim, min(stop_s, self.sim.now + FEED_SLICE_S), self.pending)
                    self.on_slice(self.sim)
                    if time.perf_counter() - t0 >= budget_s:
                        break
                return self.sim.now >= self.target_s
            goal = min(goal, lead_from)
        play(self.sim, goal, self.pending)
        spent = max(time.perf_counter() - t0, 1e-6)
        grow = min(2.0, max(0.5, budget_s / spent))
        self.slice_s = min(max_slice_s, max(MIN_SLICE_S, self.slice_s * grow))
        return self.sim.now >= self.target_s


class Presenter:
    """Jumps and eased playback for one loaded run (the app makes one per load)."""

    def __init__(self, sim: SimulationPort, restart: Callable[[tuple], SimulationPort],
                 budget_s: float = JUMP_BUDGET_S, max_slice_s: float = MAX_SLICE_S,
                 stop_at_s: float | None = None) -> None:
        self.restart = restart                          # commands -> a new run from t=0
        # main.py --seconds: neither playback nor a jump goes past it
        self.stop_at_s = math.inf if stop_at_s is None else stop_at_s
        self.day = sim.snapshot().plan                  # the scripted day (fixed per run)
        self.initial = tuple(sim.recorded_commands())   # given at construction (a session)
        self.pending: list[Command] = []
        self.job: Jump | None = None
        self.ready: SimulationPort | None = None            # a rebuilt run for the app to show
        self.budget_s = budget_s
        self.max_slice_s = max_slice_s
        # playback a frame's deadline left undone is owed to the clock, played on the next
        self.owed_s = 0.0                               # simulated seconds behind the clock
        self.dropped_s = 0.0          # owed beyond the cap, given up: played slower than asked
        self.cruise: float | None = None                # the operator's speed
        self.easing = True     # slow down around markers (off: playback speed is exact)
        self._out: float | None = None                  # the speed returned last frame
        self._next: float | None = None                 # the marker ahead
        self._behind: float | None = None               # the last marker eased into
        self._times: tuple = ((), ())
        self.flashes = flash_spans(self.day["profile"])  # held at the presenter's pace

    def commands(self, sim: SimulationPort) -> list[Command]:
        """The session's commands: recorded so far plus those waiting after a jump back."""
        return [*sim.recorded_commands(), *self.pending]

    @property
    def busy(self) -> bool:
        return self.job is not None

    def jump(self, sim: SimulationPort, t_s: float) -> None:
        """Start a jump of the shown run ``sim`` to simulated time ``t_s``."""
        t_s = min(max(0.0, float(t_s)), self.stop_at_s)
        self._next = self._behind = None
        self.owed_s = 0.0      # playback owed before the jump would carry it past its target
        if t_s >= sim.now:
            self.job = Jump(sim, t_s, self.pending, rebuilt=False)
            return
        fresh = self.restart(self.initial)
        live = self.commands(sim)[len(self.initial):]
        self.job = Jump(fresh, t_s, live, rebuilt=True)

    def take_ready(self) -> SimulationPort | None:
        """The finished rebuilt run (once), which the app then shows instead of its own."""
        sim, self.ready = self.ready, None
        return sim

    def advance(self, sim: SimulationPort, dt_real: float, speed: float,
                deadline: float | None = None) -> float:
        """One frame: a slice of the jump in progress, else play ``sim`` at the eased speed,
        all of the frame's simulated time or, with a ``deadline`` (a ``time.perf_counter``
        instant), as much of it (and of what earlier frames owe) as fits before it.

        Returns the playback speed to show (the operator's, or eased around a marker)."""
        job = self.job
        if job is not None:
            if job.step(self.budget_s, self.max_slice_s):
                self.job = None
                if job.rebuilt:
                    self.pending = job.pending
                    self.ready = job.sim
            return speed
        if self.easing:
            speed = self.ease(sim, speed)
        if speed <= 0:
            self.owed_s = 0.0
        elif deadline is None:
            play(sim, min(self.stop_at_s, sim.now + dt_real * speed), self.pending)
        else:
            goal = min(self.stop_at_s, sim.now + self.owed_s + dt_real * speed)
            play_within(sim, goal, self.pending, dt_real * speed / PLAY_SLICES, deadline)
            behind, cap = goal - sim.now, MAX_BEHIND_REAL_S * speed
            if behind > cap:            # more than the cap: this machine cannot keep up
                self.dropped_s += behind - cap
            self.owed_s = min(behind, cap)
        return speed

    def marker_times(self, sim: SimulationPort) -> tuple[float, ...]:
        recorded = sim.recorded_commands()
        key = (id(sim), len(recorded), len(self.pending))
        if self._times[0] != key:
            day = {**self.day, "recorded": tuple(recorded)}
            times = tuple(m.at_s for m in markers(day, self.pending))
            self._times = (key, times)
        return self._times[1]

    def ease(self, sim: SimulationPort, speed: float) -> float:
        """The speed for this frame: the operator's, slowed to ``EASE_SPEED`` around markers.

        Speed = (distance to the marker - ``HOLD_S``) / ``LEAD_REAL_S``: the marker stays
        ``LEAD_REAL_S`` real seconds away while the speed falls, so it slows smoothly; after
        the marker the same rule speeds back up.  Only a marker that was ahead is eased out
        of, so the operator's own live commands never slow the show.  A speed the operator
        picks (anything but what this returned last frame) becomes the new cruise speed."""
        if speed != self._out or self.cruise is None:
            self.cruise = speed
        cruise = self.cruise
        now = sim.now
        times = self.marker_times(sim)
        i = bisect_right(times, now)
        nxt = times[i] if i < len(times) else None
        if self._next is not None and self._next <= now:
            self._behind = self._next
        self._next = nxt
        out = cruise
        if cruise > EASE_SPEED:
            for d in (None if nxt is None else nxt - now,
                      None if self._behind is None else now - self._behind):
                if d is not None:
                    out = min(out, max(EASE_SPEED, two_digits((d - HOLD_S) / LEAD_REAL_S)))
            if any(a <= now < b for a, b in self.flashes):
                out = EASE_SPEED
        self._out = out
        return out
