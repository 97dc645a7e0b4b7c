"""The headline question answered directly: the smallest capacity that meets a target.

``python -m sim plan --target "wait_p95<=900" --vary models.image.slots=10:40:2`` sweeps one
capacity axis and picks the smallest value that meets the target *with confidence*: for an
upper limit (``<=``, ``<``) the 95% CI's high end must meet it, for a lower limit its low end.
Noise can make a too-small capacity pass by luck once, so the answer is the smallest value from
which every larger one meets the target too; a lucky pass below it is reported, not chosen.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from planning.grid import format_value
from planning.output import fmt_estimate, fmt_metric
from planning.sweep import SweepResult

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}
_TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|<|>)\s*([^\s]+)\s*$")


@dataclass(frozen=True, slots=True)
class Target:
    metric: str  # as typed; resolved against the sweep's metrics by the caller
    op: str
    value: float

    @property
    def upper(self) -> bool:
        return self.op in ("<=", "<")

    def met_by(self, x: float) -> bool:
        return math.isfinite(x) and _OPS[self.op](x, self.value)

    def text(self, metric: str | None = None) -> str:
        return f"{metric or self.metric} {self.op} {format_value(self.value)}"


def parse_target(text: str) -> Target:
    """``"wait_p95<=900"`` -> Target; raises ``ValueError`` with one line."""
    m = _TARGET.match(text)
    if not m:
        raise ValueError(f"--target {text!r}: expected METRIC<=VALUE or METRIC>=VALUE "
                         "(also < and >), e.g. wait_p95<=900")
    try:
        value = float(m.group(3))
    except ValueError:
        raise ValueError(f"--target {text!r}: {m.group(3)!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"--target {text!r}: the limit must be finite")
    return Target(m.group(1), m.group(2), int(value) if value.is_integer() else value)


@dataclass(frozen=True)
class PlanAnswer:
    index: int | None  # grid point chosen, None if none qualifies
    meets: list[bool]  # per grid point: the confident bound meets the target
    lucky: list[int]  # points below the answer that met it by chance


def confident_meets(result: SweepResult, target: Target, metric: str) -> list[bool]:
    """Per grid point: does the 95% CI's far end meet the target?  (With one seed there is
    no CI; the mean is judged.)"""
    j = result.column(metric)
    est = result.estimates
    bound = est.hi[:, j] if target.upper else est.lo[:, j]
    if est.n_seeds < 2:
        bound = est.mean[:, j]
    return [target.met_by(float(b)) for b in bound]


def choose(result: SweepResult, target: Target, metric: str) -> PlanAnswer:
    """The smallest value of the single axis from which every larger one meets the target."""
    meets = confident_meets(result, target, metric)
    values = result.grid.axes[0].values
    order = sorted(range(len(values)), key=lambda i: values[i])
    answer = None
    for i in reversed(order):
        if not meets[i]:
            break
        answer = i
    lucky = [] if answer is None else [i for i in order[:order.index(answer)] if meets[i]]
    return PlanAnswer(answer, meets, lucky)


def report(result: SweepResult, target: Target, metric: str, answer: PlanAnswer,
           slot_cost_cents_per_h: int | None) -> str:
    """The lines ``python -m sim plan`` prints under its table."""
    axis = result.grid.axes[0]
    est = result.estimates
    j = result.column(metric)
    hours = result.hours
    bound = "upper" if target.upper else "lower"
    if answer.index is None:
        best = min(range(len(axis.values)),
                   key=lambda i: est.mean[i, j] if target.upper else -est.mean[i, j])
        return (f"no value of {axis.key} in {format_value(axis.values[0])}.."
                f"{format_value(axis.values[-1])} meets {target.text(metric)} (95% CI "
                f"{bound} bound); best is {axis.key}={format_value(axis.values[best])} with "
                f"{fmt_estimate(metric, est.mean[best, j], est.half[best, j])}")
    i = answer.index
    value = axis.values[i]
    lines = [
        f"answer: {axis.key} = {format_value(value)}",
        f"  {metric}: {fmt_metric(metric, est.mean[i, j])} (95% CI "
        f"{fmt_metric(metric, est.lo[i, j])} .. {fmt_metric(metric, est.hi[i, j])}, "
        f"{len(result.seeds)} seeds x {format_value(hours)} h) meets {target.text(metric)}",
    ]
    if slot_cost_cents_per_h is not None:
        per_h = slot_cost_cents_per_h * value
        lines.append(f"  contract: {format_value(value)} slots x "
                     f"{fmt_metric('x_cents', slot_cost_cents_per_h)}/h = "
                     f"{fmt_metric('x_cents', per_h)}/h = "
                     f"{fmt_metric('x_cents', per_h * 24 * 30)} per 30 days")
    if hours > 0:
        def per_hour(name: str) -> str:
            k = result.column(name)
            return fmt_estimate(name, est.mean[i, k] / hours, est.half[i, k] / hours)

        lines.append(f"  per simulated hour: upstream {per_hour('upstream_cost_cents')}, "
                     f"rentals {per_hour('rental_cost_cents')}, revenue "
                     f"{per_hour('revenue_cents')}, profit {per_hour('profit_cents')}")
    k = result.column("abandon_rate")
    lines.append(f"  customers who left at the breaker: "
                 f"{fmt_estimate('abandon_rate', est.mean[i, k], est.half[i, k])}")
    if answer.lucky:
        vals = ", ".join(format_value(axis.values[x]) for x in answer.lucky)
        lines.append(f"  note: {vals} also met the target but a larger value did not "
                     "(noise); more seeds or hours would settle it")
    return "\n".join(lines)
