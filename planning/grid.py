"""The sweep grid: ``--vary KEY=START:STOP:STEP`` axes and their cartesian product.

An axis is one dotted scenario key and the values it takes, STOP included when the steps land
on it (``models.image.slots=10:40:2`` is 10, 12, ..., 40).  ``KEY=V1,V2,...`` lists values
explicitly (numbers, or ``true,false`` for a switch such as ``autoscaler.enabled``).  Integer
specs give integers, so ``models.image.slots`` passes the scenario's integer check.  Every
mistake is a :class:`GridError` whose text is one line naming the spec and what is allowed;
the key itself is checked later by the scenario (``Scenario.derive``).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

MAX_POINTS_PER_AXIS = 10_000
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")
_FORM = "expected KEY=START:STOP:STEP (e.g. models.image.slots=10:40:2) or KEY=V1,V2,..."
_BOOLS = {"true": True, "false": False}


class GridError(ValueError):
    """A bad ``--vary`` spec; ``str(err)`` is the one line to show."""


@dataclass(frozen=True, slots=True)
class Axis:
    """One varied scenario key and its values, in the order they are swept."""

    key: str
    values: tuple[int | float | bool, ...]

    def override(self, value: int | float | bool) -> str:
        return f"{self.key}={format_value(value)}"


def format_value(value: int | float | bool) -> str:
    """A value as it appears in overrides, CSV cells and labels (``30``, ``4.5``, ``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return repr(float(value)) if not float(value).is_integer() else f"{value:.1f}"


def _number(text: str, spec: str, what: str) -> int | float:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise GridError(f"--vary {spec!r}: {what} {text!r} is not a number; {_FORM}") from None
    if not math.isfinite(value):
        raise GridError(f"--vary {spec!r}: {what} {text!r} must be finite")
    return value


def parse_vary(spec: str) -> Axis:
    """Parse one ``--vary`` argument into an :class:`Axis` (raises :class:`GridError`)."""
    if "=" not in spec:
        raise GridError(f"--vary {spec!r}: {_FORM}")
    key, body = (part.strip() for part in spec.split("=", 1))
    if not _KEY.match(key):
        raise GridError(f"--vary {spec!r}: {key!r} is not a dotted scenario key "
                        "(e.g. models.image.slots, arrivals.rate_per_min)")
    if not body:
        raise GridError(f"--vary {spec!r}: no values; {_FORM}")
    if ":" in body:
        parts = body.split(":")
        if len(parts) != 3:
            raise GridError(f"--vary {spec!r}: a range needs exactly START:STOP:STEP; {_FORM}")
        names = ("START", "STOP", "STEP")
        start, stop, step = (_number(p, spec, w) for p, w in zip(parts, names, strict=True))
        values = _range(spec, start, stop, step)
    else:
        values = tuple(_BOOLS[p.strip()] if p.strip() in _BOOLS else _number(p, spec, "value")
                       for p in body.split(","))
    if len(set(values)) != len(values):
        raise GridError(f"--vary {spec!r}: values repeat")
    return Axis(key, values)


def _range(spec: str, start: int | float, stop: int | float,
           step: int | float) -> tuple[int | float, ...]:
    if step <= 0:
        raise GridError(f"--vary {spec!r}: STEP must be > 0, got {format_value(step)}")
    if stop < start:
        raise GridError(f"--vary {spec!r}: STOP ({format_value(stop)}) is below START "
                        f"({format_value(start)})")
    n = math.floor((stop - start) / step + 1e-9) + 1
    if n > MAX_POINTS_PER_AXIS:
        raise GridError(f"--vary {spec!r}: {n} values; at most {MAX_POINTS_PER_AXIS} per axis")
    if all(isinstance(x, int) for x in (start, stop, step)):
        return tuple(start + i * step for i in range(n))
    # Computed from the index, not accumulated, so 0.1 steps do not drift; rounded to 12
    # significant digits so 0.1 * 3 prints as 0.3.
    return tuple(float(f"{start + i * step:.12g}") for i in range(n))


@dataclass(frozen=True, slots=True)
class Grid:
    """The cartesian product of the axes; point ``i`` is the ``i``-th of ``itertools.product``
    (the last axis varies fastest), so a CSV lists points in a stable, readable order."""

    axes: tuple[Axis, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a.values) for a in self.axes)

    def points(self) -> list[tuple[int | float, ...]]:
        return list(itertools.product(*(a.values for a in self.axes)))

    def overrides(self, point: tuple[int | float, ...]) -> list[str]:
        return [a.override(v) for a, v in zip(self.axes, point, strict=True)]

    def __len__(self) -> int:
        return math.prod(self.shape)


def make_grid(specs: list[str]) -> Grid:
    """Parse every ``--vary`` spec; a key may be varied only once."""
    if not specs:
        raise GridError("give at least one --vary KEY=START:STOP:STEP")
    axes = [parse_vary(s) for s in specs]
    seen: set[str] = set()
    for axis in axes:
        if axis.key in seen:
            raise GridError(f"--vary: key {axis.key!r} is varied twice")
        seen.add(axis.key)
    return Grid(tuple(axes))
