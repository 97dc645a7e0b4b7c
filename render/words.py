"""A duration said as a person would say it, for the world's signs and the panel's tooltips.

Why its own module: the outage banner over the factory floor (the world) and the tooltips
(the panel) say "back in ~4 min" the same way, and neither side may import the other.
"""

from __future__ import annotations

from render.i18n import tr


def about(seconds: float, lang: str) -> str:
    """A duration as a person would say it: "any moment", "~40 s", "~4 min", "~1.5 h"."""
    s = max(0.0, seconds)
    if s < 5:
        return tr("soon", lang)
    if s < 90:
        said = tr("sec", lang, max(10, round(s / 10) * 10) if s >= 10 else round(s))
    elif s < 90 * 60:
        said = tr("min", lang, round(s / 60))
    else:
        said = tr("hour", lang, f"{s / 3600:.1f}")
    return tr("approx", lang, said)


def about_range(lo_s: float, hi_s: float, lang: str) -> str:
    """An 80% range as a person would say it: "starts in 4-7 min" (the unit of its high
    end; a range that rounds to one number is said as that number)."""
    lo, hi = max(0.0, lo_s), max(0.0, hi_s)
    if hi < 5:
        return tr("soon", lang)
    if hi < 90:
        a, b, unit = round(lo), round(hi), "sec"
    elif hi < 90 * 60:
        a, b, unit = round(lo / 60), round(hi / 60), "min"
    else:
        a, b, unit = f"{lo / 3600:.1f}", f"{hi / 3600:.1f}", "hour"
    said = tr(unit, lang, b if a == b else f"{a}-{b}")
    return tr("starts_in", lang, said)
