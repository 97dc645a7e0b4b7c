"""The controls work in a real browser through the real input path: Chromium's mouse and
keyboard events, SDL's emscripten handlers, pygame's event queue, the app's widgets.

The expected values are computed here from the pixel the mouse is released on (a slider's
stops are spread evenly over its track), not asked from the widget.
"""

from __future__ import annotations

from render import layout as L


def _expected(slider: dict, x: int) -> float:
    tx, _, tw, _ = slider["track"]
    values = slider["values"]
    t = min(1.0, max(0.0, (x - tx) / tw))
    return values[round(t * (len(values) - 1))]


def _drag(page, slider: dict, fraction: float) -> int:
    """Press on the track's left end, drag to ``fraction`` of it, release; the pixel x."""
    tx, ty, tw, th = slider["track"]
    y = ty + th // 2
    x = tx + round(fraction * tw)
    mouse = page.page.mouse
    mouse.move(*page.to_page(tx + 1, y))
    mouse.down()
    mouse.move(*page.to_page(x, y), steps=8)
    mouse.up()
    return x


def _commands(report: dict, name: str) -> list[dict]:
    return [c for c in report["commands"] if c["name"] == name]


def _click(page, rect: list[int]) -> None:
    x, y, w, h = rect
    page.page.mouse.click(*page.to_page(x + w // 2, y + h // 2))


def test_sliders_buttons_and_keys_reach_the_simulation(new_page):
    page = new_page()
    start = page.open(page.site.url(args=["--scenario", "default", "--seed", "7"]))
    assert start["commands"] == []

    spawn = start["sliders"]["spawn"]
    x = _drag(page, spawn, 0.77)
    rate = _expected(spawn, x)
    assert rate != start["controls"]["rate_per_min"]
    got = page.wait_for(lambda r: _commands(r, "spawn_rate"), 5, "spawn_rate command")
    assert [c["rate_per_min"] for c in _commands(got, "spawn_rate")] == [rate]
    assert got["controls"]["rate_per_min"] == rate

    image = start["sliders"]["capacity:image"]
    x = _drag(page, image, 0.61)
    slots = int(_expected(image, x))
    assert slots > start["base_slots"]["image"]          # new slots appear at once
    got = page.wait_for(lambda r: _commands(r, "capacity"), 5, "capacity command")
    assert [(c["model"], c["slots"]) for c in _commands(got, "capacity")] == [("image", slots)]
    got = page.wait_for(lambda r: r["base_slots"]["image"] == slots, 5, "image slot count")
    assert got["controls"]["capacity"]["image"] == slots

    desk = tuple(L.CONTROLS_RECT)
    english = page.screenshot(desk)
    _click(page, start["buttons"]["lang"])
    got = page.wait_for(lambda r: r["lang"] == "zh", 5, "language toggle")
    changed = [(a, b) for a, b in zip(start["labels"], got["labels"], strict=True) if a != b]
    assert len(changed) >= len(start["labels"]) // 2, changed
    page.page.wait_for_timeout(300)
    assert page.screenshot(desk) != english

    # keys: Space pauses playback (the clock stops), O sends an outage for the picked model
    page.page.keyboard.press("Space")
    paused = page.wait_for(lambda r: r["speed"] == 0.0, 5, "Space pauses")
    page.page.wait_for_timeout(500)
    assert page.report()["sim_now"] == paused["sim_now"]
    page.page.keyboard.press("KeyO")
    got = page.wait_for(lambda r: _commands(r, "outage"), 5, "O sends an outage")
    assert [(c["model"], c["duration_s"], c["at_s"]) for c in _commands(got, "outage")] == \
        [("image", 600.0, paused["sim_now"])]
    page.page.keyboard.press("Space")
    page.wait_for(lambda r: r["speed"] == 30.0, 5, "Space resumes")
    assert page.tracebacks() == [] and page.foreign == []
    assert page.report()["sim_error"] == ""
