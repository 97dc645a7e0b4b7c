"""The rhythm of the frames: which frame takes a snapshot, which is quiet, how much of a
frame's budget the simulation may play, and the speed this machine really keeps.

Why apart from the app: one heavy piece of Python per frame.  A snapshot frame takes the
snapshot and nothing else; the next frame brings the layers up to it (machines, ticker) and
starts the re-seating, whose second slice runs on the frame after (``People.settle``).  A
snapshot waits until the last re-seating has finished.  The frames with none of that are
quiet: the panel's timed repaint waits for them.  The simulation goes last, with what is left
of the frame's budget once the drawing to come is set aside (the longest of the last few
draws of its kind: with or without a band of the panel).
"""

from __future__ import annotations

from collections import deque

from render.presenter import two_digits

SNAP_EVERY_S = 1 / 10   # snapshots (and re-seating) per real second; walking runs every frame
QUIET_WAIT_S = 0.25     # the longest the panel's timed repaint waits for a frame without heavy work
DRAWS_KEPT = 8          # a frame's playback sets aside the longest of the last draws
KEPT_SPAN_S = 1.0       # the header's "plays xN" is measured over this many real seconds
KEPT_SHORT = 0.1        # ...and shown when playback falls short of the asked speed by this share


class Cadence:
    """What kind of frame this one is, for one run (``restart`` on a new one)."""

    def __init__(self, frame_budget_s: float | None) -> None:
        # the wall time of a frame's step and draw; None: play exactly (headless, tests)
        self.frame_budget_s = frame_budget_s
        # recent draws' wall times, apart for the frames that paint a band of the panel
        self._draw_s = {False: deque([0.0], maxlen=DRAWS_KEPT),
                        True: deque([0.0], maxlen=DRAWS_KEPT)}
        self.restart()

    def restart(self) -> None:
        self._snap_clock = -1.0
        self.snapped = True         # this frame took a snapshot
        self.caught_up = True       # the layers have been brought up to the last snapshot
        self.quiet = False          # no heavy work this frame: the panel's timed repaint may run
        self._quiet_at = 0.0
        self.banded = False         # this frame paints a band of the panel (quiet and due)
        self._pace: deque[tuple[float, float]] = deque()   # (clock, playback given up)

    def begin(self, clock: float, busy: bool) -> bool:
        """Start a frame at ``clock`` (``busy``: a re-seating is under way); True when it
        takes a snapshot.  (On a slow machine every frame may carry some work: then the
        oldest wait goes first.)"""
        self.snapped = clock - self._snap_clock >= SNAP_EVERY_S and not busy
        if self.snapped:
            self._snap_clock = clock
            self.caught_up = False
            self.quiet = False
        else:
            self.quiet = (self.caught_up and not busy) or clock - self._quiet_at >= QUIET_WAIT_S
            if self.quiet:
                self._quiet_at = clock
        return self.snapped

    def deadline(self, start: float) -> float | None:
        """When the frame's playback must stop (a ``time.perf_counter`` instant), or None."""
        if self.frame_budget_s is None:
            return None
        return start + self.frame_budget_s - max(self._draw_s[self.banded])

    def drew(self, seconds: float) -> None:
        """A frame's draw took this long."""
        self._draw_s[self.banded].append(seconds)

    def kept(self, clock: float, dropped_s: float, speed: float) -> float | None:
        """The speed this machine actually keeps over the last second, when it falls short
        of ``speed`` by more than ``KEPT_SHORT`` (``dropped_s``: the playback given up past
        the cap of what may be owed, :attr:`Presenter.dropped_s`), else None."""
        pace = self._pace
        pace.append((clock, dropped_s))
        while len(pace) > 2 and clock - pace[1][0] >= KEPT_SPAN_S:
            pace.popleft()
        (t0, d0), (t1, d1) = pace[0], pace[-1]
        if t1 - t0 < KEPT_SPAN_S / 2 or speed <= 0:
            return None
        kept = max(0.0, speed - (d1 - d0) / (t1 - t0))
        return two_digits(kept) if kept < speed * (1 - KEPT_SHORT) else None
