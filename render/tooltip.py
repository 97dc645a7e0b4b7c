"""Hover tooltips for people and machines: the state behind a sprite, in a few lines.

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
from render.ticker import duration, money
from sim import PersonView, SlotView, StationView


def person_lines(person: PersonView, wait_info: tuple | None, now: float, lang: str,
                 labels: dict[str, str]) -> list[str]:
    """``wait_info``: (queue position, lane label, seconds to start) while waiting, else None."""
    n_done = person.delivered
    n_active = person.active
    n_pending = len(person.pending)
    lines = [
        tr("tt_person", lang, person.id),
        tr("tt_tier", lang, person.tier, tr("yes" if person.vip else "no", lang)),
        tr("tt_wallet", lang, money(person.wallet_cents), money(person.held_cents)),
        tr("tt_orders", lang, n_done, n_active, n_pending),
    ]
    if wait_info is not None:
        pos, label, remaining = wait_info
        lines.append(tr("tt_queue", lang, pos, label, duration(remaining)))
    elif n_active:
        lines.append(tr("tt_running", lang))
    lines.append(tr("tt_patience", lang, duration(person.patience_s),
                    duration(now - person.arrived_s)))
    lines.append(tr("tt_state", lang, tr("st_" + str(getattr(person.state, "value",
                                                                     person.state)), lang)))
    running = [o for o in person.orders if o.state == "running"]
    if running:
        lines.append(tr("tt_orders_ids", lang, ", ".join(
            f"{o.id}:{labels.get(o.model, o.model)}" for o in running[:3])))
    return lines


def slot_lines(st: StationView, slot: SlotView, now: float, lang: str) -> list[str]:
    mark = tr("tt_rented_mark", lang) if slot.rented else ""
    state = str(getattr(slot.state, "value", slot.state))
    lines = [tr("tt_slot", lang, st.label, slot.index, mark),
             tr("tt_slot_state", lang, tr("st_" + state, lang))]
    call = slot.call
    if call is not None and state in ("busy", "draining"):
        span = call.end_s - call.start_s
        frac = 0.0 if span <= 0 else min(1.0, (now - call.start_s) / span)
        lines.append(tr("tt_call", lang, call.size, f"{frac * 100:.0f}%"))
        lines.append(tr("tt_orders_ids", lang, ", ".join(str(o.id) for o in call.orders[:6])))
    if state == "provisioning":
        lines.append(tr("tt_arrives", lang, duration(slot.arrive_s - now)))
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
