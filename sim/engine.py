"""The event loop: a heap of ``(time, priority, sequence, handler, argument)``.

Like SimPy's ``Environment`` it knows nothing of the domain.  The running sequence number
makes ties deterministic without ever comparing handlers; ``priority`` puts operator commands
(priority 1) after every ordinary event (priority 0) of the same instant, so a command sent
live between two frames and the same command replayed from a file land in the same place.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

Handler = Callable[[Any], None]


class Engine:
    """Simulated clock plus pending events."""

    __slots__ = ("now", "_heap", "_seq", "processed")

    def __init__(self) -> None:
        self.now = 0.0
        self.processed = 0     # events run so far (benchmarks and tests count work with it)
        self._heap: list[tuple[float, int, int, Handler, Any]] = []
        self._seq = itertools.count()

    def __deepcopy__(self, memo: dict) -> Engine:
        """A fork's engine (:mod:`sim.twin`): its own heap of copied handlers and a counter
        that goes on from the same number (an ``itertools.count`` cannot be deep-copied on
        every Python)."""
        import copy

        new = Engine.__new__(Engine)
        memo[id(self)] = new
        n = next(self._seq)
        self._seq = itertools.count(n)
        new._seq = itertools.count(n)
        new.now = self.now
        new.processed = self.processed
        new._heap = copy.deepcopy(self._heap, memo)
        return new

    def at(self, t: float, handler: Handler, arg: Any = None, priority: int = 0) -> None:
        """Run ``handler(arg)`` at simulated time ``t`` (never earlier than now)."""
        now = self.now
        heappush(self._heap, (t if t > now else now, priority, next(self._seq), handler, arg))

    def ticket(self) -> int:
        """Take a place in the order of events now, to schedule later (see :meth:`at_ticket`)."""
        return next(self._seq)

    def at_ticket(self, t: float, ticket: int, handler: Handler, arg: Any = None) -> None:
        """Run ``handler(arg)`` at ``t``, ordered among events of the same instant as if it
        had been scheduled when ``ticket`` was taken.  A part that keeps its own deadlines
        (one engine event for many) stays in the order one event per deadline would have."""
        now = self.now
        heappush(self._heap, (t if t > now else now, 0, ticket, handler, arg))

    def after(self, delay_s: float, handler: Handler, arg: Any = None) -> None:
        heappush(self._heap, (self.now + delay_s, 0, next(self._seq), handler, arg))

    def run_until(self, t_end: float, max_events: int = -1) -> bool:
        """Process events with time <= ``t_end``, at most ``max_events`` (-1: no limit).

        Returns True when every such event is done (the clock then stands at ``t_end``),
        False when it stopped at the limit, so a caller can do bounded work in between.
        """
        heap, pop = self._heap, heappop
        budget = max_events
        while heap and heap[0][0] <= t_end:
            if max_events == 0:
                self.processed += budget
                return False
            max_events -= 1
            t, _, _, handler, arg = pop(heap)
            self.now = t
            handler(arg)
        self.processed += budget - max_events
        if t_end > self.now:
            self.now = t_end
        return True

    def pending(self) -> int:
        return len(self._heap)
