"""The live twin's card: "since 03:12, +10 SD1.5 slots" -- live, twin and the difference.

A function from the comparison in progress (:class:`render.twin.TwinDesk`) to a
:class:`render.panel.cards.Card`; where it docks, its size and its dismiss button are the card
area's.  The difference is coloured by what the change did: lime where it made the figure
better, red where worse, plain where nothing changed.  Below the table the card says what
the twin is (one paired run, the same customers) and gives the ``python -m sim compare`` line
for a confidence interval; while the twin lags it says so instead ("preparing comparison…"
before its first common instant, then "twin behind by 4 min").
"""

from __future__ import annotations

from render import palette as P
from render.i18n import tr
from render.panel.cards import Card

BETTER, WORSE, SAME = P.LIME, P.RED_LIGHT, P.CLOUD
HEAD = P.SILVER
#: the compare line is cut into lines of at most this many characters (at a space)
WRAP = 48


def twin_card(desk, live, lang: str) -> Card:
    """The card of ``desk``'s open comparison of ``live`` in ``lang``."""
    rows = desk.rows(lang)
    lines: list = [((("", HEAD), (tr("twin_head_live", lang), HEAD),
                     (tr("twin_head_twin", lang), HEAD), (tr("twin_head_diff", lang), HEAD)))]
    if not rows:        # preparing: no figures yet, and no empty table's header either
        lines = []
    for label, a, b, d, better in rows:
        colour = SAME if better is None else (BETTER if better else WORSE)
        lines.append(((label, P.CLOUD), (a, P.CLOUD), (b, P.SILVER), (d, colour)))
    lines += status(desk, live, lang)
    return Card("twin", desk.title(lang), tuple(lines), P.YELLOW,
                (tr("twin_new", lang), "_twin_new"))


def status(desk, live, lang: str) -> list[str]:
    """What the card says under its table: lagging, or what the twin is and the CI line."""
    if desk.shown is None:
        behind = ([tr("twin_behind", lang, lag_text(desk.lag_s(live), lang))]
                  if desk.behind(live) else [])
        return [tr("twin_preparing", lang), *behind, tr("twin_paired", lang)]
    if desk.behind(live):
        return [tr("twin_behind", lang, lag_text(desk.lag_s(live), lang)),
                tr("twin_paired", lang)]
    line = desk.compare_command(live)
    if line is None:
        return [tr("twin_paired", lang), tr("twin_no_ci", lang)]
    return [tr("twin_paired", lang), tr("twin_ci", lang), *wrap(line, WRAP)]


def lag_text(lag_s: float, lang: str) -> str:
    """How far behind, in steps of 10 s, then of a minute (the card changes that often)."""
    if lag_s < 120:
        return tr("sec", lang, f"{lag_s // 10 * 10:.0f}")
    return tr("min", lang, f"{lag_s / 60:.0f}")


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, cut at spaces (a command line:
    the continuation lines are indented)."""
    out, cur = [], ""
    for word in text.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            out.append(cur)
            cur = "  " + word
        else:
            cur = f"{cur} {word}" if cur else word
    return [*out, cur] if cur else out
