"""What a sweep leaves behind: a tidy CSV (one row per grid point) and a compact table.

Files are written atomically: into a temporary file beside the target, then ``os.replace``d
over it, so a sweep stopped halfway (Ctrl-C, a crash, a full disk) leaves either the old file
or the new one, never half of one, and no temporary file either.
"""

from __future__ import annotations

import csv
import io
import math

from planning.grid import format_value
from planning.sweep import SweepResult
from sim.cli import atomic_path
from sim.cli import check_writable as sim_check_writable


class OutputError(OSError):
    """A file that cannot be written; ``str(err)`` is one line."""


def check_writable(path: str) -> None:
    """Fail before hours of runs, not after (see :func:`sim.cli.check_writable`)."""
    try:
        sim_check_writable(path)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror}") from None


def write_text_atomic(path: str, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str, data: bytes) -> None:
    """Write ``data`` through :func:`sim.cli.atomic_path`; an error is one line naming
    ``path`` (never the temporary file)."""
    try:
        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            f.write(data)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def _cell(x: float) -> str:
    """Numbers in CSV cells: up to 10 significant digits, empty for 'not defined'."""
    if math.isnan(x):
        return ""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return format(x, ".10g")


def csv_text(result: SweepResult) -> str:
    """Tidy CSV: the varied keys, ``seeds``, ``hours``, then ``<metric>_mean``,
    ``<metric>_ci_low``, ``<metric>_ci_high`` (95% Student-t over seeds) for every metric."""
    est = result.estimates
    header = [*result.grid.keys, "seeds", "hours", "ci_level"]
    for m in result.metrics:
        header += [f"{m}_mean", f"{m}_ci_low", f"{m}_ci_high"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for i, point in enumerate(result.grid.points()):
        row = [format_value(v) for v in point]
        row += [str(len(result.seeds)), _cell(result.hours), _cell(est.level)]
        for j in range(len(result.metrics)):
            row += [_cell(est.mean[i, j]), _cell(est.lo[i, j]), _cell(est.hi[i, j])]
        w.writerow(row)
    return buf.getvalue()


def short_key(key: str) -> str:
    """``models.image.slots`` -> ``image.slots`` (as the metric columns name models); other
    keys stay whole (``autoscaler.enabled``)."""
    return key.removeprefix("models.")


def fmt_metric(metric: str, value: float) -> str:
    """A metric value for people: dollars for cents, percent for rates, seconds otherwise."""
    if math.isnan(value):
        return "-"
    if value == 0 or (metric.endswith("_s") and abs(value) < 0.05):
        return "0" if not metric.endswith("_cents") else "$0"
    if metric.endswith("_cents"):
        return f"${value / 100:,.0f}" if abs(value) >= 100_000 else f"${value / 100:,.2f}"
    if metric.endswith(("_rate", "utilization")):
        return f"{value:.1%}"
    if abs(value) >= 100 or (metric.endswith("_s") and abs(value) >= 10):
        return f"{value:,.0f}"
    if metric.endswith("_s"):  # waits: tenths of a second are plenty
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def fmt_half(metric: str, mean: float, half: float) -> str:
    """A CI half-width in the same style as its mean (whole dollars beside whole dollars)."""
    if abs(half) <= 1e-9 * max(1.0, abs(mean)):  # float dust from identical seeds
        half = 0.0
    if metric.endswith("_cents") and max(abs(mean), abs(half)) >= 100_000:
        return f"{half / 100:,.0f}"
    return fmt_metric(metric, half).lstrip("$")


def fmt_estimate(metric: str, mean: float, half: float) -> str:
    """``mean ±half`` (just the mean when there is no CI, i.e. one seed)."""
    if math.isnan(half):
        return fmt_metric(metric, mean)
    if metric.endswith("_cents") and max(abs(mean), abs(half)) >= 100_000:
        return f"${mean / 100:,.0f} ±{fmt_half(metric, mean, half)}"
    return f"{fmt_metric(metric, mean)} ±{fmt_half(metric, mean, half)}"


def headline_metrics(result: SweepResult, focus: str | None) -> list[str]:
    """The few metrics worth a column in the terminal table."""
    if focus is not None:
        cols = [f"{focus}.wait_p95_s", "breaker_asks", "abandon_rate", f"{focus}.utilization",
                f"{focus}.rented_slot_hours"]
    else:
        cols = ["wait_p95_s", "breaker_asks", "abandon_rate", "rented_slot_hours"]
    return [*cols, "upstream_cost_cents", "profit_cents"]


def table_text(result: SweepResult, metrics: list[str], mark: list[str] | None = None) -> str:
    """A compact, aligned table: one line per grid point, ``mean ±half-width`` per metric."""
    est = result.estimates
    header = [short_key(k) for k in result.grid.keys] + metrics + (["meets"] if mark else [])
    rows = []
    for i, point in enumerate(result.grid.points()):
        row = [format_value(v) for v in point]
        for m in metrics:
            j = result.column(m)
            row.append(fmt_estimate(m, float(est.mean[i, j]), float(est.half[i, j])))
        if mark:
            row.append(mark[i])
        rows.append(row)
    widths = [max(len(h), *(len(r[c]) for r in rows)) for c, h in enumerate(header)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)
