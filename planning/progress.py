"""A plain-text progress bar on stderr (no tqdm): runs done, rate, time left.

On a terminal the bar redraws in place (at most ten times a second); when stderr is a file or
a pipe it writes only the final line, so logs and CI output stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:d}:{s:02d}"


class Progress:
    """``Progress(total, label)``; call :meth:`advance` per finished run, :meth:`finish` once."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None,
                 enabled: bool = True, width: int = 30) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.live = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.width = width
        self.done = 0
        self.t0 = time.perf_counter()
        self._last_draw = 0.0
        if self.live:
            self._draw()

    def elapsed_s(self) -> float:
        return time.perf_counter() - self.t0

    def line(self) -> str:
        frac = self.done / self.total if self.total else 1.0
        filled = int(frac * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = self.elapsed_s()
        if 0 < self.done < self.total:
            eta = f"  eta {_clock(elapsed / self.done * (self.total - self.done))}"
        else:
            eta = ""
        return (f"{self.label} [{bar}] {self.done}/{self.total} runs {frac:4.0%}  "
                f"{_clock(elapsed)}{eta}")

    def _draw(self) -> None:
        self.stream.write("\r" + self.line() + "\x1b[K")
        self.stream.flush()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.live:
            now = time.perf_counter()
            if now - self._last_draw >= 0.1 or self.done >= self.total:
                self._last_draw = now
                self._draw()

    def finish(self, interrupted: bool = False) -> None:
        """End the bar: a newline on a terminal, the one summary line otherwise."""
        if not self.enabled:
            return
        if self.live:
            self._draw()
            self.stream.write("\n")
        elif not interrupted:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
