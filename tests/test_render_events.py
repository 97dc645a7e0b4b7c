"""Events announce themselves (issue 11): a model that is down looks down, buttons speak a
colour language, the ticker names orders and customers and folds fast repeats into rates,
tooltips say in words what a person or a machine is doing, an empty floor is used.

Pixels are read from the screen at the machine rectangles the machines layer recorded when it
laid them out for that very frame (``Machines.drawn``), never from a planned layout.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pygame
import pytest

import sim
from render import layout as L
from render import palette as P
from render.app import App
from render.panel import tooltip
from render.panel.ticker import RATE_WINDOW_S, Ticker

SCENARIOS = "tests/scenarios/models-{}.toml"
DOWN_SCREEN = P.RED_DARK        # the screen of a machine whose model is down


def frames(app: App, screen, n: int = 3) -> None:
    for _ in range(n):
        app.step(1 / 60)
        app.draw(screen)


def screen_of(app: App, world_xy: tuple[int, int]) -> tuple[int, int, int]:
    return tuple(pygame.display.get_surface().get_at(app.camera.to_screen(*world_xy)))[:3]


def machine_screens(app: App, model: str) -> dict[tuple, tuple[int, int, int]]:
    """The colour of each drawn machine's screen corner (2, 2 sprite pixels in), by slot."""
    out = {}
    for (name, rented, index), (look, rect) in app.machines.drawn.items():
        if name == model and look != "crate":
            k = app.machines.groups[name].scale
            out[(rented, index)] = screen_of(app, (rect.x + 2 * k, rect.y + 2 * k))
    return out


# -- a model that is down looks down -------------------------------------------------------------
def test_machines_of_a_model_in_outage_are_drawn_broken_with_a_banner(screen):
    app = App("default", speed=0.0)
    frames(app, screen)
    before = machine_screens(app, "image")
    assert len(before) == 20 and DOWN_SCREEN not in before.values()
    app.apply("outage", {"model": "image", "duration_s": 600.0})
    frames(app, screen)
    looks = {k: look for k, (look, _) in app.machines.drawn.items() if k[0] == "image"}
    assert set(looks.values()) == {"down"} and len(looks) == 20
    assert set(machine_screens(app, "image").values()) == {DOWN_SCREEN}
    others = machine_screens(app, "audio")
    assert others and DOWN_SCREEN not in others.values()      # the other models work on
    text, rect = app.machines.banners["image"]
    assert text == "OUTAGE · back in ~10 min"          # after the header's "SD1.5 image"
    group = app.machines.groups["image"]
    header = app.camera.rect_to_screen(group.header)
    assert header.contains(rect)                         # in the header: no machine hidden
    for _, cell in app.machines.drawn.values():             # world pixels
        assert not rect.colliderect(app.camera.rect_to_screen(cell))
    assert tuple(screen.get_at(rect.topleft))[:3] == P.RED           # the plate's red edge
    assert tuple(screen.get_at((rect.x + 3, rect.y + 3)))[:3] == P.RED_DARK
    assert set(app.machines.banners) == {"image"}


def test_an_open_breaker_draws_its_machines_down(screen):
    app = App("default", speed=0.0)
    frames(app, screen)
    snap = app.snap
    opened = replace(snap, stations=tuple(replace(st, circuit="open") if st.name == "audio"
                                          else st for st in snap.stations))
    app.machines.prepare(opened)
    looks = {look for (name, _, _), (look, _) in app.machines.drawn.items() if name == "audio"}
    assert looks == {"down"}
    busy = {look for (name, _, _), (look, _) in app.machines.drawn.items() if name == "text"}
    assert "down" not in busy


# -- buttons: red for an active danger, green only for good --------------------------------------
def face(app: App, name: str) -> tuple[int, int, int]:
    app.controls.paint(app.fonts, app.clock, timed=True)
    r = app.controls.buttons[name].rect
    return tuple(app.controls.surface.get_at((r.x + 3, r.bottom - 3)))[:3]


def test_lit_buttons_speak_a_colour_language(screen):
    app = App("default", speed=0.0)
    frames(app, screen)
    assert face(app, "outage") == P.NIGHT
    assert face(app, "autoscaler") == P.GREEN_DARK                  # on: a good thing
    app.apply("_press", {"button": "outage"})
    assert face(app, "outage") == P.RED_DARK                        # active danger
    app.apply("_press", {"button": "dispatch"})
    assert face(app, "dispatch") == P.RED_DARK                      # paused
    app.apply("_press", {"button": "autoscaler"})
    assert face(app, "autoscaler") == P.NIGHT                       # off: neutral


def test_scenario_names_are_translated(screen):
    app = App("rush-hour", speed=0.0, lang="zh")
    assert app.controls.buttons["scenario"].label() == "场景: 午间高峰"
    app.lang = "en"
    assert app.controls.buttons["scenario"].label() == "scenario: rush-hour"


# -- the ticker ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def outage_log():
    run = sim.Simulation(sim.load_scenario("scenarios/outage.toml"), seed=1, keep_log=True)
    base = run.snapshot()
    run.advance_to(4800.0)
    return base, run.log.records


def fed(base, records, speed: float, upto_s: float = 1e9, keep: int = 40) -> Ticker:
    """A ticker fed the log in snapshot-sized chunks, as the app would at ``speed``."""
    t = Ticker(keep)
    t.speed = speed
    records = [r for r in records if r[0] <= upto_s]
    for i in range(0, len(records), 100):
        part = tuple(records[i:i + 100])
        t.update(replace(base, events=i + len(part), ticker=part))
    return t


LABELS = {"image": "SD1.5", "video": "VideoGen", "audio": "TTS", "text": "LLM"}


def test_ticker_lines_name_the_order_and_the_customer(outage_log):
    base, records = outage_log
    # the first order given up after three failures, and the instant it was refunded
    dead = next(r for r in records if r[1] == "dead_letter")
    oid = sim.record_field(dead, "order")
    upto = dead[0] + 1e-6
    # the facts, read from the log independently of the ticker
    placed = [r for r in records if r[1] == "place" and r[2] == oid]
    fails = [r for r in records if r[1] == "fail" and r[2] == oid]
    refund = [r for r in records if r[1] == "refund" and r[2] == oid]
    cust = sim.record_field(placed[0], "customer")
    assert [sim.record_field(r, "attempt") for r in fails] == [1, 2, 3]
    assert sim.record_field(refund[0], "cents") == 50
    rows = [text for _, text, _ in fed(base, records, 1.0, upto_s=upto).rows(8, "en", LABELS)]
    assert f"order {oid} of #{cust} refunded $0.50 — failed 3×" in rows
    zh = [text for _, text, _ in fed(base, records, 1.0, upto_s=upto).rows(8, "zh", LABELS)]
    assert f"#{cust} 的订单 {oid} 退款 $0.50, 失败3次" in zh


def test_ticker_folds_fast_repeats_into_rates_at_high_speed(outage_log):
    base, records = outage_log
    fast = fed(base, records, 600.0, upto_s=4100.0)
    rows = [text for _, text, _ in fast.rows(4, "en", LABELS)]
    # a folded line counts its last RATE_WINDOW_S (10 simulated minutes): slower than
    # RATE_MIN_PER_MIN it is a count
    assert rows == ["5.1 deliveries/min, last order 449 $0.30",
                    "6 refunds, last order 427 $0.50",
                    "2.2 failures/min: SD1.5 outage",
                    "SD1.5 breaker open ×13"]
    fail = next(f for f in fast.folds if f.last[1] == "fail" and f.n > 1
                and sim.record_field(f.last, "why") == "outage")
    same = [r for r in records if r[1] == "fail" and fail.first[0] <= r[0] <= fail.last[0]
            and sim.record_field(r, "model") == "image"
            and sim.record_field(r, "why") == "outage"]
    assert len(same) == fail.n                      # every failure in its span, none twice
    assert fail.last[0] - fail.first[0] <= RATE_WINDOW_S
    assert f"{(fail.n - 1) * 60 / (fail.last[0] - fail.first[0]):.1f}" == "2.2"
    # slower scroll: far fewer lines over the same day at x600 than at x1
    slow_lines = len(fed(base, records, 1.0, keep=100_000).folds)
    fast_lines = len(fed(base, records, 600.0, keep=100_000).folds)
    assert fast_lines * 3 < slow_lines, (fast_lines, slow_lines)


# -- tooltips in words -----------------------------------------------------------------------------
def person(**kw) -> SimpleNamespace:
    base = dict(id=77, tier="L2", vip=False, wallet_cents=1234, held_cents=100,
                patience_s=600.0, arrived_s=0.0, state="inside", since_s=0.0, orders=[],
                pending=[], active=2, delivered=0)
    return SimpleNamespace(**(base | kw))


def test_person_tooltip_says_what_they_wait_for():
    lines = tooltip.person_lines(person(), (3, "SD1.5", 240.0), 60.0, "en", LABELS)
    assert lines[:2] == ["customer #77", "waiting for 2 orders (SD1.5 #3 in line, ~4 min)"]
    assert not any(line.startswith("state:") for line in lines)
    zh = tooltip.person_lines(person(), (3, "SD1.5", 240.0), 60.0, "zh", LABELS)
    assert zh[1] == "等待 2 单 (SD1.5 排第 3 位, 约4分钟)"
    ranged = (3, "SD1.5", 240.0, 230.0, 430.0)   # the median and the 80% range (issue 19)
    assert tooltip.person_lines(person(), ranged, 60.0, "en", LABELS)[1] == \
        "waiting for 2 orders (SD1.5 #3 in line, starts in 4-7 min)"
    assert tooltip.person_lines(person(), ranged, 60.0, "zh", LABELS)[1] == \
        "等待 2 单 (SD1.5 排第 3 位, 4-7分钟后开始)"
    short = tooltip.person_lines(person(), (3, "SD1.5", 40.0, 20.0, 70.0), 60.0, "en", LABELS)
    assert short[1] == "waiting for 2 orders (SD1.5 #3 in line, starts in 20-70 s)"
    assert tooltip.person_lines(person(state="left", active=0), None, 60.0, "en",
                                LABELS)[1] == "left at the breaker, refunded"


def test_machine_tooltip_says_what_it_makes(screen):
    app = App("outage", speed=30.0, lang="en")
    app.sim.advance_to(4000.0)
    frames(app, screen, 30)
    at = {name: app.camera.to_screen(*g.cell(False, 0)) for name, g in app.machines.groups.items()}
    assert app.hover_lines(at["image"])[:2] == ["SD1.5 slot 0",
                                                "down: SD1.5 outage, back in ~13 min"]
    assert app.hover_lines(at["video"])[:3] == ["VideoGen slot 0",
                                                "making order 421 for #180, 42% done",
                                                "~8 min left"]
    app.lang = "zh"
    assert app.hover_lines(at["text"])[:3] == ["LLM 槽位 0", "正在为 #186 生产订单 435, 完成 84%",
                                              "剩约8秒"]
    st = app.snap.station("text")
    call = SimpleNamespace(start_s=0.0, end_s=10.0, size=7, outcome="ok", orders=[])
    slot = SimpleNamespace(index=2, rented=False, state="busy", since_s=0.0, call=call,
                           last_fail_s=-1.0, arrive_s=0.0)
    st = replace(st, outage_until_s=0.0, circuit="closed")
    assert tooltip.slot_lines(st, slot, 4.0, "en")[1] == "LLM batch of 7 orders, 40% done"


# -- the floor is used -----------------------------------------------------------------------------
def test_mmc_machines_use_the_floor(screen):
    app = App("mmc", speed=30.0)
    frames(app, screen, 5)
    rects = [rect for (_, _, _), (_, rect) in app.machines.drawn.items()]
    assert len(rects) == 10
    floor = L.FACTORY.w * L.FACTORY.h
    span = rects[0].unionall(rects[1:])
    assert span.w * span.h > 0.5 * floor, span                       # was ~10%
    assert sum(r.w * r.h for r in rects) > 0.25 * floor              # was 2.5%
    assert App("default", speed=0.0).machines.groups["image"].scale == 1   # busy floors stay


@pytest.mark.parametrize("n", [1, 5, 8])
def test_every_group_clear_of_the_gate_and_of_each_other(screen, n):
    app = App(SCENARIOS.format(n), speed=120.0)
    frames(app, screen, 5)
    groups = list(app.machines.groups.values())
    assert len(groups) == n
    sign_top = L.GATE.top - 9                                        # SUPPLIER over the gate
    manager = pygame.Rect(L.MANAGER_POST[0] - 4, L.MANAGER_POST[1] - L.PERSON_H,
                          L.PERSON_W, L.PERSON_H)
    for a, b in zip(groups, groups[1:], strict=False):
        assert a.bottom < b.top, (a.name, b.name)
    for g in groups:
        assert g.bottom < sign_top, g.name
        drawn = [r for (name, _, _), (_, r) in app.machines.drawn.items() if name == g.name]
        assert drawn, g.name
        assert not any(r.colliderect(manager) or r.colliderect(L.GATE) for r in drawn)


def test_folded_customer_lines_count_people_not_the_last_one(outage_log):
    """Three customers leaving at the breaker read "3 left", not "#12 leaves ×3"."""
    base, _ = outage_log
    recs = ((10.0, "leave", 10), (12.0, "leave", 11), (15.0, "leave", 12))
    t = Ticker()
    t.speed = 30.0
    t.update(replace(base, events=3, ticker=recs))
    assert [text for _, text, _ in t.rows(3, "en", LABELS)] == \
        ["3 left at the breaker, refunded"]
    assert [text for _, text, _ in t.rows(3, "zh", LABELS)] == ["3 人在熔断时离开, 已退款"]
