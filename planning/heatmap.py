"""A sweep's metric as a heatmap PNG, drawn with pygame (no plotting dependency).

One or two varied keys: the first along x, the second up y (smallest at the bottom).  Each cell
is coloured on a viridis scale and labelled with its mean (and the CI half-width when the cell
is big enough); a colour bar with ticks sits on the right; the title names the metric, the
subtitle the scenario, seeds and run length.  Cells meeting an optional target get a white
frame, so "where is the capacity good enough" is visible from the back of the room.

pygame runs with SDL's dummy video driver: no window, works on servers and in CI.
"""

from __future__ import annotations

import io
import math
import os

import numpy as np

from planning.grid import format_value
from planning.metrics import PER_MODEL, PLATFORM
from planning.output import fmt_half, fmt_metric, write_bytes_atomic
from planning.sweep import SweepResult

# viridis, sampled at 9 evenly spaced stops (matplotlib's table; public domain, CC0)
_VIRIDIS = [(68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
            (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)]
BG = (250, 250, 247)
INK = (30, 30, 36)
GRID_INK = (120, 120, 128)


def colour(frac: float) -> tuple[int, int, int]:
    """Viridis at ``frac`` in [0, 1] (linear between stops)."""
    frac = min(1.0, max(0.0, frac)) * (len(_VIRIDIS) - 1)
    i = min(int(frac), len(_VIRIDIS) - 2)
    t = frac - i
    a, b = _VIRIDIS[i], _VIRIDIS[i + 1]
    return tuple(round(a[k] + (b[k] - a[k]) * t) for k in range(3))


def _ink_on(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    return INK if luminance > 140 else (255, 255, 255)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5, 5 x 10^k steps)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(1, count - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    v = first
    while v <= hi + 1e-9 * step:
        ticks.append(0.0 if abs(v) < 1e-12 * step else v)
        v += step
    return ticks


def describe(metric: str, labels: dict[str, str] | None = None) -> str:
    """A readable title for a metric column stem; ``labels`` name models (image -> SD1.5)."""
    model, _, base = metric.rpartition(".")
    text = PER_MODEL.get(base, "") if model else PLATFORM.get(base, "")
    if model:
        name = f"{labels[model]} ({model})" if labels and model in labels else model
        text = text.replace("this model's orders", f"{name} orders").replace("this model", name)
    unit = " (s)" if base.endswith("_s") else " ($ per run)" if base.endswith("_cents") else ""
    text = text or metric
    return text[:1].upper() + text[1:] + unit


def wrap(text: str, measure, max_width: int) -> list[str]:
    """Split ``text`` at spaces into lines no wider than ``max_width`` (by ``measure``)."""
    lines: list[str] = []
    for piece in text.split("; "):  # prefer breaking between clauses
        if lines and measure(lines[-1] + "; " + piece) <= max_width:
            lines[-1] += "; " + piece
            continue
        if lines:
            lines[-1] += ";"
        lines.append("")
        for word in piece.split(" "):
            if not lines[-1]:
                lines[-1] = word
            elif measure(lines[-1] + " " + word) <= max_width:
                lines[-1] += " " + word
            else:
                lines.append(word)
    return lines


def render(result: SweepResult, metric: str, path: str, title: str | None = None,
           subtitle: str | None = None, meets: list[bool] | None = None,
           labels: dict[str, str] | None = None, meets_label: str | None = None,
           marker: tuple[float, str] | None = None) -> None:
    """Draw ``metric`` (a column stem) over the sweep's one or two axes and save a PNG.

    ``meets`` frames cells (per grid point, in grid order); ``marker`` = (value, label) draws
    a line on the colour bar, e.g. the target.
    """
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    axes = result.grid.axes
    if not 1 <= len(axes) <= 2:
        raise ValueError(f"a heatmap needs one or two --vary keys, this sweep has {len(axes)}")
    nx = len(axes[0].values)
    ny = len(axes[1].values) if len(axes) == 2 else 1
    j = result.column(metric)
    mean = result.estimates.mean[:, j].reshape(nx, ny)
    half = result.estimates.half[:, j].reshape(nx, ny)

    pygame.font.init()
    cell_w = max(56, min(110, 1100 // nx))
    cell_h = max(40, min(80, 560 // ny))
    left, right, top, bottom = 150, 230, 110, 110
    width, height = left + nx * cell_w + right, top + ny * cell_h + bottom
    surf = pygame.Surface((width, height))
    surf.fill(BG)
    fonts: dict[tuple[int, bool], pygame.font.Font] = {}

    def text(s: str, size: int, pos: tuple[float, float], anchor: str = "center",
             ink: tuple[int, int, int] = INK, bold: bool = False, angle: float = 0) -> None:
        font = fonts.get((size, bold))
        if font is None:
            font = fonts[(size, bold)] = pygame.font.Font(None, size)
            font.set_bold(bold)
        img = font.render(s, True, ink)
        if angle:
            img = pygame.transform.rotate(img, angle)
        rect = img.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
        surf.blit(img, rect)

    finite = mean[np.isfinite(mean)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    span = hi - lo if hi > lo else 1.0
    value_size = max(15, min(26, cell_w // 4))
    for ix in range(nx):
        for iy in range(ny):
            x, y = left + ix * cell_w, top + (ny - 1 - iy) * cell_h
            v = float(mean[ix, iy])
            rgb = colour((v - lo) / span) if math.isfinite(v) else (200, 200, 200)
            pygame.draw.rect(surf, rgb, (x, y, cell_w, cell_h))
            ink = _ink_on(rgb)
            label = fmt_metric(metric, v)
            h = float(half[ix, iy])
            hs = "±" + fmt_half(metric, v, h) if math.isfinite(h) else ""
            show_half = cell_h >= 44 and hs not in ("", "±0", "±0.0")
            cy = y + cell_h / 2 - (7 if show_half else 0)
            text(label, value_size, (x + cell_w / 2, cy), ink=ink, bold=True)
            if show_half:
                text(hs, max(13, value_size - 7), (x + cell_w / 2, cy + value_size * 0.75),
                     ink=ink)
    if meets is not None:
        grid_meets = np.asarray(meets, dtype=bool).reshape(nx, ny)
        for ix in range(nx):
            for iy in range(ny):
                if grid_meets[ix, iy]:
                    x, y = left + ix * cell_w, top + (ny - 1 - iy) * cell_h
                    pygame.draw.rect(surf, (255, 255, 255), (x + 2, y + 2, cell_w - 4,
                                                             cell_h - 4), 3)
    pygame.draw.rect(surf, GRID_INK, (left, top, nx * cell_w, ny * cell_h), 1)

    # x axis: one tick label per column, then the key
    for ix, v in enumerate(axes[0].values):
        x = left + ix * cell_w + cell_w / 2
        y0 = top + ny * cell_h
        pygame.draw.line(surf, GRID_INK, (x, y0), (x, y0 + 6))
        text(format_value(v), 20, (x, y0 + 9), anchor="midtop")
    text(axes[0].key, 24, (left + nx * cell_w / 2, top + ny * cell_h + 48),
         anchor="midtop", bold=True)
    # y axis
    if len(axes) == 2:
        for iy, v in enumerate(axes[1].values):
            y = top + (ny - 1 - iy) * cell_h + cell_h / 2
            pygame.draw.line(surf, GRID_INK, (left - 6, y), (left, y))
            text(format_value(v), 20, (left - 10, y), anchor="midright")
        text(axes[1].key, 24, (40, top + ny * cell_h / 2), bold=True, angle=90)

    # colour bar with ticks
    bar_x, bar_w = left + nx * cell_w + 100, 22  # the gap holds the target label
    bar_top, bar_h = top, ny * cell_h
    for k in range(bar_h):
        pygame.draw.line(surf, colour(1.0 - k / max(1, bar_h - 1)),
                         (bar_x, bar_top + k), (bar_x + bar_w, bar_top + k))
    pygame.draw.rect(surf, GRID_INK, (bar_x, bar_top, bar_w, bar_h), 1)
    ticks = nice_ticks(lo, hi) if hi > lo else [lo]
    for t in ticks:
        y = bar_top + bar_h - 1 - (t - lo) / span * (bar_h - 1) if hi > lo else bar_top + bar_h / 2
        pygame.draw.line(surf, INK, (bar_x + bar_w, y), (bar_x + bar_w + 6, y))
        text(fmt_metric(metric, t), 18, (bar_x + bar_w + 9, y), anchor="midleft")

    if marker is not None and hi > lo and lo <= marker[0] <= hi:
        y = bar_top + bar_h - 1 - (marker[0] - lo) / span * (bar_h - 1)
        pygame.draw.line(surf, (255, 255, 255), (bar_x - 4, y), (bar_x + bar_w + 4, y), 3)
        pygame.draw.line(surf, INK, (bar_x - 4, y), (bar_x + bar_w + 4, y), 1)
        text(marker[1], 18, (bar_x - 8, y), anchor="midright", ink=INK, bold=True)

    text(title or describe(metric, labels), 34, (width / 2, 16), anchor="midtop", bold=True)
    if subtitle is None:
        subtitle = (f"mean over {len(result.seeds)} seeds x {format_value(result.hours)} h each; "
                    "small print: 95% CI half-width")
    font = pygame.font.Font(None, 20)
    for k, line in enumerate(wrap(subtitle, lambda s: font.size(s)[0], width - 40)[:3]):
        text(line, 20, (width / 2, 52 + 18 * k), anchor="midtop", ink=(80, 80, 90))
    if meets is not None:
        x, y = left, top + ny * cell_h + 74
        pygame.draw.rect(surf, colour(0.1), (x, y, 30, 18))
        pygame.draw.rect(surf, (255, 255, 255), (x + 2, y + 2, 26, 14), 2)
        text(meets_label or "meets the target", 18, (x + 38, y + 9), anchor="midleft",
             ink=(80, 80, 90))

    png = io.BytesIO()
    pygame.image.save(surf, png, "heatmap.png")  # encoded in memory: the name is only a hint
    write_bytes_atomic(path, png.getvalue())
