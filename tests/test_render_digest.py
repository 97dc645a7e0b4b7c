"""Drawing, hovering and stepping with playback paused never change the simulation.

The digest reads everything the renderer can reach (people, orders, slots, queues, money,
counters, random streams, pending events) into plain tuples, so two digests compare equal
only if the model is untouched.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from render.app import App  # noqa: E402


def _order(o) -> tuple:
    slot = o.slot.key if o.slot is not None else None
    return (o.id, o.model, str(o.state), o.since_s, o.held_cents, o.price_cents, o.vip,
            o.submitted_s, o.queued_s, o.started_s, o.est_wait_s, o.attempts, slot, o.asked)


def _person(p) -> tuple:
    return (p.id, p.tier, p.vip, p.wallet_cents, p.held_cents, p.vip_fee_cents, str(p.state),
            p.since_s, p.active, p.delivered, p.ended, tuple(_order(o) for o in p.orders),
            tuple(o.id for o in p.pending))


def _slot(s) -> tuple:
    call = s.call
    c = None if call is None else (call.start_s, call.end_s, call.size, call.outcome,
                                   tuple(o.id for o in call.orders))
    return (s.key, str(s.state), s.since_s, s.last_fail_s, s.arrive_s, c)


def digest(sim) -> tuple:
    snap = sim.snapshot()
    stations = tuple(
        (st.name, tuple(_slot(s) for s in st.slots), tuple(o.id for o in st.queue),
         st.est_start_s, st.paused, st.circuit, st.outage_until_s, st.delivered, st.failed,
         st.retries, st.basket_deadline_s, st.series_queue, st.series_wait_p95)
        for st in snap.stations)
    return (sim.now, sim.events, sim.event_log_sha256(), tuple(_person(p) for p in snap.people),
            tuple(_person(p) for p in snap.departures), stations,
            tuple(sorted(snap.money_cents.items())), tuple(sorted(snap.counts.items())),
            tuple(sorted(snap.gauges.items())), repr(snap.controls), snap.ticker,
            tuple((a.name, a.active, a.value) for a in snap.alerts), sim.state_digest(),
            len(sim.recorded_commands()))


def test_draw_and_hover_leave_the_simulation_unchanged(screen):
    app = App("rush-hour", speed=600.0)
    for _ in range(400):            # into the lunch rush: queues, rentals, asks
        app.step(1 / 60)
    app.draw(screen)
    before = digest(app.sim)
    for a in list(app.people.actors.values())[:20]:
        app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=app.camera.to_screen(a.x, a.y - 5),
                                      rel=(0, 0), buttons=(0, 0, 0)))
        app.draw(screen)
    g = app.machines.groups["image"]
    app.handle(pygame.event.Event(pygame.MOUSEMOTION, pos=app.camera.to_screen(*g.cell(False, 0)),
                                  rel=(0, 0), buttons=(0, 0, 0)))
    app.draw(screen)
    app.show_help = True
    app.draw(screen)
    assert digest(app.sim) == before


def test_paused_playback_changes_nothing(screen):
    app = App("outage", speed=600.0)
    for _ in range(60):
        app.step(1 / 60)
    app.speed = 0.0
    before = digest(app.sim)
    for _ in range(30):
        app.step(1 / 60)
        app.draw(screen)
    assert digest(app.sim) == before
