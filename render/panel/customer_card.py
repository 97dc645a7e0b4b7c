"""The followed customer's card: what the waiting customer is told, in their language.

Why words and not figures alone: this is the screen a customer watches during a 5-10 minute
wait.  Who they are (tier and its concurrency, VIP, wallet), each order (model, state, place
in line in the lane's effective order and how many VIPs may pass, the ETA as a range,
progress while it runs, the money held), the 3x question as a person would ask it and their
answer, and how it ended.  Every figure is read from the snapshot's
:class:`sim.CustomerCard` (``sim.snapshot(follow=id)``) and nothing else; the card docks in
the card area (:mod:`render.panel.cards`) under the key ``"customer"``.
"""

from __future__ import annotations

import math

from render import palette as P
from render.fonts import Fonts
from render.i18n import tr, word
from render.panel.cards import PAD, Card, area
from render.panel.ticker import money
from render.words import about
from render.wordwrap import wrap
from sim import CustomerCard, OrderCard

KEY = "customer"
BAR = 10          # the progress bar's cells (ASCII: the font subset has no block glyphs)


def eta_range(o: OrderCard, lang: str) -> str:
    """ "4–7 min": the 80% range of the time to start, in whole minutes (floor, ceiling)."""
    if o.eta_hi_s < 60.0:
        return tr("cc_range_s", lang)
    lo = math.floor(o.eta_lo_s / 60.0)
    hi = max(lo + 1, math.ceil(o.eta_hi_s / 60.0))
    return tr("cc_range", lang, lo, hi)


def bar(progress: float) -> str:
    """A progress bar in ASCII: ``[######----]``."""
    n = round(BAR * min(1.0, max(0.0, progress)))
    return "[" + "#" * n + "-" * (BAR - n) + "]"


def order_line(i: int, o: OrderCard, lang: str) -> str:
    """One order: its number, model and what it is doing (or how it ended)."""
    state = o.state
    if state == "pending":
        what = tr("cc_pending", lang)
    elif state == "queued":
        when = eta_range(o, lang)
        what = (tr("cc_queued_vips", lang, o.position, o.vips_may_pass, when)
                if o.vips_may_pass else tr("cc_queued", lang, o.position, when))
    elif state == "running":
        what = tr("cc_running", lang, bar(o.progress), round(100 * o.progress))
    elif state == "backoff":
        what = tr("cc_backoff", lang)
    elif state == "delivered":
        what = tr("cc_delivered", lang, money(o.ended_cents))
    elif state == "declined":
        what = tr("cc_declined", lang)
    else:                       # refunded_failure | refunded_abandon | refunded_cancel
        what = tr("cc_" + state, lang, money(o.ended_cents))
    if o.held_cents:
        what += " · " + tr("cc_held", lang, money(o.held_cents))
    return tr("cc_order", lang, i, o.label, what)


def question_lines(c: CustomerCard, lang: str) -> list[str]:
    """The 3x question in words, and the answer once given."""
    if c.asked_wait_s < 0.0:
        return []
    minutes = max(1, round(c.asked_wait_s / 60.0))
    answer = {"stay": "cc_answer_stay", "leave": "cc_answer_leave"}.get(c.answer)
    if answer is None:
        answer = "cc_answer_wait" if c.state == "asked" else None
    return [tr("cc_ask", lang, minutes)] + ([tr(answer, lang)] if answer else [])


def ending_lines(c: CustomerCard, now_s: float, lang: str) -> list[str]:
    """How the visit went, once it is over, and the offer of the next person."""
    if c.state == "rejected":
        head = tr("cc_end_rejected", lang, word(c.reason, lang))
    elif c.state == "left":
        head = tr("cc_end_left", lang, money(sum(o.ended_cents for o in c.orders
                                                 if o.state.startswith("refunded"))))
    elif c.state == "done":
        paid = sum(o.ended_cents for o in c.orders if o.state == "delivered")
        head = tr("cc_end_done", lang, sum(o.state == "delivered" for o in c.orders),
                  len(c.orders), money(paid))
    else:
        return []
    return [head, tr("cc_stayed", lang, about(c.since_s - c.arrived_s, lang)),
            tr("cc_next", lang)]


def card(c: CustomerCard, now_s: float, lang: str, fonts: Fonts | None = None) -> Card:
    """The card of the followed customer ``c`` at ``now_s`` (with ``fonts``, long lines
    wrapped to the card's width, indented under their first line)."""
    title = tr("cc_title", lang, c.id, c.tier, c.concurrency)
    if c.vip:
        title += " · " + tr("cc_vip", lang)
    lines = [tr("cc_wallet", lang, money(c.wallet_cents), money(c.held_cents))]
    # what matters most first: the card drops the lines that do not fit from the bottom
    lines += ending_lines(c, now_s, lang)
    lines += question_lines(c, lang)
    lines += [order_line(i + 1, o, lang) for i, o in enumerate(c.orders)]
    if fonts is not None:
        width = area(lang).w - 2 * PAD
        wrapped = []
        indent = fonts.width("  ")
        for line in lines:
            first, *rest = wrap(line, width - indent, fonts.width, max_lines=3)
            wrapped += [first] + ["  " + r for r in rest]
        lines = wrapped
    accent = P.YELLOW if c.vip else P.CYAN
    return Card(KEY, title, tuple(lines), accent)


def awaiting(lang: str) -> Card:
    """The card while the next person to come in is awaited."""
    return Card(KEY, tr("cc_awaiting", lang), (), P.CYAN)
