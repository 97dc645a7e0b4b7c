"""The live twin on screen: when it opens, how it advances in the frame, what its card reads.

A :class:`TwinDesk` holds at most one :class:`sim.twin.Comparison`.  It opens when the
operator turns a knob (``before_command``) or, in a replayed session, just before a replayed
command's instant (``before_play``: the live run stands before that instant's commands, as
``python -m sim twin`` stands it), so the same session shows the same cards at the same
moments.  Further changes stack into it; ``restart`` opens a new one at now, ``end`` closes it
(dismiss, a timeline jump, a reset, a scenario switch).

The twin advances after the live run, inside the same frame deadline and through the same
sliced path (:func:`render.presenter.play_within`; no thread: the browser has one), with only
the time the live run left of the frame, and only in frames where the live run keeps its
speed (it owes the clock less than a frame's playback) or stood still (stopped at
``--seconds``, paused): the live run's kept speed is the priority.  When the frame has no
time left the twin lags (through a flash crowd at x600 in the browser, by minutes) and
catches up when the crowd has passed; the card then keeps the last figures read at a
common instant and says how far behind the twin is.  The figures are
:func:`sim.twin.figures`, the very function ``python -m sim twin`` prints.
"""

from __future__ import annotations

import gc
import math
import time
from typing import Any

from render.i18n import tr
from render.panel.twincard import twin_card
from render.presenter import PLAY_SLICES
from sim import TWIN_FIGURES as FIGURES
from sim import Command, Comparison, compare_line, pending, stand_before

#: a twin less than this many simulated seconds behind reads as caught up (at x600 a frame
#: plays 10 s: the twin, played after the live run, may trail by a frame or two)
BEHIND_S = 30.0
#: the twin's slices: at least this much simulated time, and this share of the time left
MIN_SLICE_S = 0.25
FILL = 0.7
#: the wall seconds a simulated second of twin is believed to cost stay within these
#: bounds, and a frame with time left that ran no slice believes this share of it
MIN_COST_S, MAX_COST_S = 1e-7, 1.0
FORGET = 0.95
#: the figures are read, and the card made and painted again, at most this often (real
#: seconds): a card painted every frame costs the live run its frame budget in the browser
READ_EVERY_S = 1.0


class TwinDesk:
    """The comparison in progress for one loaded run, and its card's figures."""

    def __init__(self, scenario: str = "default", enabled: bool = True,
                 replayed: list[Command] | tuple = (), overrides: tuple[str, ...] = ()) -> None:
        self.scenario = scenario          # for the `sim compare` line, with the run's --set
        self.overrides = overrides
        self.enabled = enabled            # main.py --no-twin: nothing ever opens
        self.cmp: Comparison | None = None
        self.words: list[tuple[str, tuple]] = []   # the changes, as (i18n key, args)
        self.shown: dict[str, Any] | None = None   # the last card read at a common instant
        self.reads = 0                     # cards read so far (the docked card's version)
        self.card_shown = None             # the card docked last (redrawn when it changes)
        self.card_key: tuple | None = None   # what it was made from
        self._read_at = -math.inf
        self._cost_s = 1e-3                # wall seconds a simulated second of twin took
        self._replayed: list[Command] = []
        self._next = 0                     # the next replayed command not yet passed
        self.replaying(replayed or ())

    # -- opening and closing -------------------------------------------------------------------
    def replaying(self, commands: list[Command] | tuple) -> None:
        """The commands a replayed session issues (``main.py --commands``), in time order."""
        self._replayed = sorted(commands, key=lambda c: c.at_s) if self.enabled else []
        self._next = 0

    @property
    def due(self) -> bool:
        """Replayed commands are still to come."""
        return self._next < len(self._replayed)

    @property
    def open(self) -> bool:
        return self.cmp is not None

    def command(self, live, name: str, args: dict) -> Command:
        """Issue the operator's command on ``live`` (validated there); a comparison opens
        before it applies (it is pending when the twin forks, so the twin drops it)."""
        cmd = live.command(name, **args)
        if self.enabled:
            if self.cmp is None:
                self._open(live)
            self.words.append(change_words(live, name, args))
            if self.cmp is not None:
                self.cmp.changes.append(cmd)
        return cmd

    def before_play(self, live, goal_s: float) -> None:
        """Before the frame plays ``live`` towards ``goal_s``: a replayed command due on the
        way opens a comparison just before its instant; those already passed stack."""
        cmds = self._replayed
        while self._next < len(cmds) and cmds[self._next].at_s <= goal_s:
            cmd = cmds[self._next]
            if self.cmp is None:
                if cmd.at_s < live.now or not pending(live, cmd):
                    self._next += 1            # already applied (a frame stopped on it)
                    continue
                stand_before(live, cmd.at_s)
                self._open(live)
                if self.cmp is None:
                    self._next += 1
                    continue
            self._next += 1
            self.words.append(change_words(live, cmd.name, cmd.args))
            self.cmp.changes.append(cmd)

    def restart(self, live) -> None:
        """"New comparison": from now, nothing removed yet."""
        if self.enabled:
            self._open(live)

    def end(self) -> None:
        cmp, self.cmp = self.cmp, None
        self.shown = None
        self.words = []
        if cmp is not None:
            del cmp               # no reference left: the collection below frees it
            _release()

    def _open(self, live) -> None:
        if self.cmp is not None:
            self.end()
        try:
            self.cmp = Comparison.open(live)
        except Exception:  # noqa: BLE001 -- a fork that fails must not stop the run
            self.cmp = None
            return
        gc.freeze()
        self.words = []
        self.shown = None
        self._read_at = -math.inf

    # -- the frame -----------------------------------------------------------------------------
    def advance(self, live, slice_s: float, deadline: float | None, clock: float,
                first_s: float = 0.0) -> None:
        """Play the twin towards the live run's time with what is left of the frame before
        ``deadline``; read the card when they stand together.  ``first_s``: simulated
        seconds played whatever the deadline says -- the app gives a frame's playback when
        the live run played nothing this frame (stopped at ``--seconds``, paused): its
        budget is then the twin's, and a slow machine whose draws alone fill the frame
        budget still finishes the comparison at the playback speed."""
        cmp = self.cmp
        if cmp is None:
            return
        tw = cmp.twin
        if tw.now < live.now:
            if deadline is None:
                tw.advance_to(live.now)
            else:
                self._fill(tw, live.now, slice_s, deadline, first_s)
        if tw.now >= live.now and clock - self._read_at >= READ_EVERY_S:
            self._read_at = clock
            self.shown = cmp.card(live)
            self.reads += 1

    def _fill(self, tw, goal_s: float, slice_s: float, deadline: float,
              first_s: float = 0.0) -> None:
        """Slices of the twin that fit before ``deadline``, each sized by what a simulated
        second of it cost lately (no slice is started that would end past the deadline:
        in the browser a frame a little late is a frame missed, and the live run's kept
        speed is the priority -- the twin lags through a burst and catches up after it).
        ``first_s``: the first slice, at least this long, runs whatever the deadline says.

        The cost is measured on slices of at least ``MIN_SLICE_S`` only: the last slice up
        to ``goal_s`` may be a sliver (a float's residue), whose wall time over its length
        is noise -- one such sliver once set the cost to 10^7 s a second, and the twin
        never ran again.  And a frame that runs no slice forgets a part of the cost
        (``FORGET``), so a slow slice (a burst, a collection) never stops the twin for good:
        it tries again with a fresh measure."""
        while tw.now < goal_s:
            gap = goal_s - tw.now
            left = deadline - time.perf_counter()
            step = min(gap, max(slice_s, MIN_SLICE_S, first_s))
            if not first_s:
                step = min(step, FILL * left / self._cost_s)
            first_s = 0.0
            if step < MIN_SLICE_S and step < gap:
                if left > 0:
                    self._cost_s *= FORGET
                return
            t0 = time.perf_counter()
            tw.advance_to(goal_s if step >= gap else tw.now + step)
            spent = time.perf_counter() - t0
            if step >= MIN_SLICE_S:
                self._cost_s = min(MAX_COST_S, max(
                    MIN_COST_S, 0.5 * self._cost_s + 0.5 * spent / step))

    def lag_s(self, live) -> float:
        return 0.0 if self.cmp is None else self.cmp.lag_s(live)

    def behind(self, live) -> bool:
        return self.lag_s(live) >= BEHIND_S

    # -- the card's words ----------------------------------------------------------------------
    def title(self, lang: str) -> str:
        """"since 03:12, +10 SD1.5 slots" (or "3 changes")."""
        since = clock_text(self.cmp.t_s) if self.cmp else ""
        if not self.words:
            what = tr("twin_no_change", lang)
        elif len(self.words) == 1:
            key, args = self.words[0]
            what = tr(key, lang, *args)
        else:
            what = tr("twin_changes", lang, len(self.words))
        return tr("twin_since", lang, since, what)

    def rows(self, lang: str) -> list[tuple[str, str, str, str, bool | None]]:
        """(figure, live, twin, difference, better) per figure of the last card read."""
        card = self.shown
        if card is None:
            return []
        out = []
        for key, _ in FIGURES:
            a, b, d = card["live"][key], card["twin"][key], card["difference"][key]
            out.append((tr("twin_" + key, lang), figure_text(key, a), figure_text(key, b),
                        figure_text(key, d, signed=True), card["difference"][key + "_better"]))
        return out

    def compare_command(self, live) -> str | None:
        if self.cmp is None:
            return None
        return compare_line(self.scenario, live.now, self.cmp.changes, self.overrides)


def clock_text(t_s: float) -> str:
    """Simulated time as hh:mm (the clock the dashboard shows)."""
    m = int(t_s // 60)
    return f"{m // 60:02d}:{m % 60:02d}"


def figure_text(key: str, x: float, signed: bool = False) -> str:
    """One figure as the card shows it (cents as dollars, a share as %, a wait in s)."""
    sign = "+" if signed and x > 0 else ("-" if x < 0 else "")
    v = abs(x)
    if key.endswith("_cents"):
        return f"{sign}${v / 100:,.2f}"
    if key == "service_level":
        return f"{sign}{v * 100:.1f}%"
    if key == "wait_p95_s":      # as the dashboard writes waits: 11m49s, 58s
        m, sec = divmod(int(round(v)), 60)
        return f"{sign}{m}m{sec:02d}s" if m else f"{sign}{sec}s"
    return f"{sign}{v:g}"


def change_words(live, name: str, args: dict) -> tuple[str, tuple]:
    """A change as an i18n key and its ASCII arguments ("+10 SD1.5 slots"), read against
    the knobs in force before it (the snapshot's controls)."""
    snap = live.snapshot()
    knobs = snap.controls
    model = args.get("model")
    label = next((st.label for st in snap.stations if st.name == model), model or "")
    if name == "capacity":
        d = args["slots"] - knobs.capacity[model]
        return "twin_capacity", (f"{d:+d}", label)
    if name == "spawn_rate":
        return "twin_spawn_rate", (f"{knobs.rate_per_min:g}", f"{args['rate_per_min']:g}")
    if name == "vip_share":
        return "twin_vip_share", (f"{args['share'] * 100:.0f}%",)
    if name == "breaker_multiplier":
        return "twin_breaker", (f"{knobs.multiplier:g}", f"{args['multiplier']:g}")
    if name == "autoscaler":
        return ("twin_autoscaler_on" if args["on"] else "twin_autoscaler_off"), ()
    if name == "outage":
        return "twin_outage", (label or "*", f"{args['duration_s'] / 60:g}")
    if name in ("pause", "resume", "clear_queue"):
        return "twin_" + name, (label or "*",)
    if name in ("rent", "return"):
        return "twin_" + name, (f"{args['slots']}", label)
    if name == "set_price":
        return "twin_price", (label, f"${args['price_cents'] / 100:.2f}")
    return "twin_command", (name,)


def load_desk(app, scenario, replayed) -> TwinDesk:
    """The desk for a run the app loads (a start, a reset, a scenario switch): the old one
    ended first -- its fork is frozen out of the collector until it is closed."""
    old = getattr(app, "twin", None)
    if old is not None:
        old.end()
    return TwinDesk(scenario, app.twin_on, replayed, tuple(app.overrides))


def _release() -> None:
    """Let a closed twin go.  A fork doubles the objects the collector would walk; like the
    app's start-up objects (``main.calm_collector``) it is frozen out of the collector's
    sight when made, so the frames through a flash crowd never pay for walking it.  Closed,
    it is thawed and collected once (its parts hold each other: reference counting alone
    would not free it), and what lives on is frozen again."""
    self_frozen = gc.get_freeze_count()
    if self_frozen:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def play(app, dt: float, deadline: float | None) -> float:
    """The app's playback for one frame, with the twin: a replayed command due in the
    frame opens its comparison first; then the live run (``Presenter.advance``); then the
    twin with what is left of the frame; then the card follows the comparison.  Returns the
    speed to show, as ``Presenter.advance`` does."""
    desk, presenter, sim = app.twin, app.presenter, app.sim
    if not presenter.busy and desk.due:
        desk.before_play(sim, sim.now + presenter.owed_s + dt * max(app.speed, 0.0))
    was = sim.now
    speed = presenter.advance(sim, dt, app.speed, deadline)
    cards = app.overlays.cards
    if desk.open and not presenter.busy:
        # The twin plays only when the live run keeps its speed: it stood still (stopped at
        # --seconds, paused: then the frame is the twin's, at least a frame's playback, at
        # x60 when paused), or it owes the clock less than a frame's playback (it keeps up,
        # a burst's remainder aside: then the twin has what is left before the deadline).
        # While the live run falls behind the clock (a flash crowd at x600 in the browser)
        # the twin takes none of the frame: the time the live run's slices leave is less
        # than a slice of its own, and a frame ended early is, where frames follow each
        # other (headless, a loaded page), the next frame begun early.  The twin lags, the
        # card says so, and it catches up after.
        frame_s = dt * max(speed, 60.0)
        if sim.now == was or deadline is None:
            desk.advance(sim, frame_s / PLAY_SLICES, deadline, app.clock, first_s=frame_s)
        elif presenter.owed_s < dt * speed:
            desk.advance(sim, frame_s / PLAY_SLICES, deadline, app.clock)
        # the card is made again only when what it says changes (new figures, the lag once
        # a READ_EVERY_S, the language), and drawn again only then (render/panel/cards.py)
        behind = desk.behind(sim)   # (a tuple: ``behind and 0`` once read as not behind)
        key = (desk.reads, behind, behind and int(app.clock / READ_EVERY_S),
               app.lang, desk.cmp.t_s, len(desk.words))
        if key != desk.card_key or not any(c.key == "twin" for c in cards.cards):
            desk.card_key = key
            desk.card_shown = twin_card(desk, sim, app.lang)
            cards.show(desk.card_shown)
    elif desk.card_shown is not None or any(c.key == "twin" for c in cards.cards):
        desk.card_shown = None
        cards.dismiss("twin")
    return speed
