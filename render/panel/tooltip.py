"""Hover tooltips for people and machines: the state behind a sprite, in a few lines of words.

Why lines are built from the snapshot at hover time: the tooltip is the only place that shows
a single customer's wallet, holds and queue position, so it reads the snapshot's people and
slots (the fields :class:`sim.PersonView` and :class:`sim.SlotView` declare) when the mouse
stops on one, and formats them with the same helpers as the dashboard.
"""

from __future__ import annotations

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import tr
from render.panel.ticker import duration, money
from render.words import about, about_range
from sim import PersonView, SlotView, StationView


def situation(person: PersonView, wait_info: tuple | None, lang: str) -> str:
    """What the customer is doing, in words: waiting (for what, where in which line, how
    long), watching orders being made, retrying, asked, or gone and why."""
    state = str(getattr(person.state, "value", person.state))
    if state == "asked":
        return tr("pw_asked", lang)
    if state in ("rejected", "left"):
        return tr("pw_" + state, lang)
    if state == "done":
        return tr("pw_done", lang, person.delivered)
    open_orders = person.active + len(person.pending)
    if wait_info is not None:
        pos, label, remaining = wait_info[:3]
        lo, hi = wait_info[3:5] if len(wait_info) >= 5 else (remaining, remaining)
        when = about_range(lo, hi, lang) if hi > lo else about(remaining, lang)
        if open_orders <= 1:
            return tr("pw_waiting_one", lang, label, pos, when)
        return tr("pw_waiting", lang, open_orders, label, pos, when)
    running = sum(1 for o in person.orders if o.state == "running")
    if running:
        return tr("pw_watching", lang, running)
    if person.active:
        return tr("pw_retrying", lang)
    return tr("pw_placing", lang, len(person.pending))


def person_lines(person: PersonView, wait_info: tuple | None, now: float, lang: str,
                 labels: dict[str, str]) -> list[str]:
    """``wait_info``: (queue position, lane label, seconds to start, its 80% range's low and
    high ends) while waiting, else None."""
    lines = [
        tr("tt_person", lang, person.id),
        situation(person, wait_info, lang),
        tr("tt_tier", lang, person.tier, tr("yes" if person.vip else "no", lang)),
        tr("tt_wallet", lang, money(person.wallet_cents), money(person.held_cents)),
        tr("tt_orders", lang, person.delivered, person.active, len(person.pending)),
        tr("tt_patience", lang, duration(person.patience_s), duration(now - person.arrived_s)),
    ]
    running = [o for o in person.orders if o.state == "running"]
    if running:
        lines.append(tr("pw_making", lang, ", ".join(
            f"{o.id} ({labels.get(o.model, o.model)})" for o in running[:3])))
    return lines


def doing(st: StationView, slot: SlotView, now: float, lang: str) -> list[str]:
    """What a machine is doing, in words: the batch or the order (and whose) with its
    progress, why it is idle or down, or when it arrives."""
    state = str(getattr(slot.state, "value", slot.state))
    if state == "provisioning":
        return [tr("mw_crate", lang, about(slot.arrive_s - now, lang))]
    down = []
    if st.outage_until_s > now:
        down = [tr("mw_outage", lang, st.label, about(st.outage_until_s - now, lang))]
    elif st.circuit == "open":
        down = [tr("mw_breaker", lang)]
    call = slot.call
    if call is None or state not in ("busy", "draining"):
        return down or [tr("mw_idle_paused" if st.paused else "mw_idle", lang)]
    # a call still running on a down model: drawn crossed out with its bar, said so here
    return down + _call_lines(st, slot, call, state, now, lang)


def _call_lines(st: StationView, slot: SlotView, call, state: str, now: float,
                lang: str) -> list[str]:
    span = call.end_s - call.start_s
    pct = f"{(0.0 if span <= 0 else min(1.0, (now - call.start_s) / span)) * 100:.0f}%"
    if call.size > 1:
        out = [tr("mw_batch", lang, st.label, call.size, pct)]
    else:
        order = call.orders[0] if call.orders else None
        who = order.customer if order is not None else None
        out = [tr("mw_one", lang, order.id, who.id, pct) if who is not None else
               tr("mw_one_anon", lang, order.id if order is not None else "?", pct)]
    out.append(tr("mw_left", lang, about(call.end_s - now, lang)))
    if state == "draining":
        out.append(tr("mw_draining", lang))
    return out


def slot_lines(st: StationView, slot: SlotView, now: float, lang: str) -> list[str]:
    mark = tr("tt_rented_mark", lang) if slot.rented else ""
    lines = [tr("tt_slot", lang, st.label, slot.index, mark), *doing(st, slot, now, lang)]
    if slot.last_fail_s >= 0:
        lines.append(tr("tt_last_fail", lang, duration(now - slot.last_fail_s)))
    return lines


def draw(screen: pygame.Surface, fonts: Fonts, lines: list[str], pos: tuple[int, int]) -> None:
    surfs = [fonts.label(t, P.WHITE if i == 0 else P.CLOUD) for i, t in enumerate(lines)]
    w = max(s.get_width() for s in surfs) + 12
    h = len(surfs) * 16 + 8
    x = min(pos[0] + 14, L.SCREEN_W - w - 2)
    y = min(pos[1] + 14, L.SCREEN_H - h - 2)
    box = pygame.Rect(x, y, w, h)
    screen.fill(P.BLACK, box.inflate(4, 4))
    screen.fill(P.NIGHT, box)
    screen.fill(P.YELLOW, pygame.Rect(box.x, box.y, box.w, 2))
    screen.fblits([(s, (x + 6, y + 5 + i * 16)) for i, s in enumerate(surfs)])
