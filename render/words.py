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
