"""Touch in a real browser: a phone-sized viewport with touch emulation (Chromium's own touch
events through SDL's emscripten handlers), a finger drags the spawn-rate slider and taps a
button, and both reach the app as they do with a mouse.  The finger lands a little off the
widget (a fingertip is not a pixel): the desk takes a touch within its slop
(render/panel/controls.py) as meant for the nearest widget, and the share dialog opens
with its link in the page's text field.
"""

from __future__ import annotations

import contextlib

import browserpage as bp

PHONE = {"width": 844, "height": 390}     # a phone held sideways (CSS pixels)
OFF_BY = 10                              # canvas pixels the finger misses the widget by


def _touch(cdp, kind: str, x: float, y: float) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y, "radiusX": 8, "radiusY": 8,
                                             "force": 1, "id": 1}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_a_finger_drags_a_slider_and_taps_a_button(browser_context, site):
    context = browser_context.browser.new_context(viewport=PHONE, has_touch=True,
                                                  is_mobile=True, device_scale_factor=2)
    try:
        page = bp.RiverPage(context.new_page(), site)
        start = page.open(site.url(args=["--scenario", "default", "--seed", "7"]),
                          timeout_s=60)
        cdp = context.new_cdp_session(page.page)
        spawn = start["sliders"]["spawn"]
        tx, ty, tw, th = spawn["track"]
        knob_x = tx + round((spawn["values"].index(spawn["shown"])
                             if spawn["shown"] in spawn["values"] else 0)
                            / (len(spawn["values"]) - 1) * tw)
        y = ty + th // 2
        goal = tx + round(0.8 * tw)
        _touch(cdp, "touchStart", *page.to_page(knob_x, y))
        for i in range(1, 11):
            _touch(cdp, "touchMove", *page.to_page(knob_x + (goal - knob_x) * i / 10, y))
            page.page.wait_for_timeout(30)
        _touch(cdp, "touchEnd", 0, 0)
        got = page.wait_for(lambda r: any(c["name"] == "spawn_rate" for c in r["commands"]),
                            10, "the finger's drag sends spawn_rate")
        rates = [c["rate_per_min"] for c in got["commands"] if c["name"] == "spawn_rate"]
        values = spawn["values"]
        expected = values[round((goal - tx) / tw * (len(values) - 1))]
        assert rates[-1] == expected

        bx, by, bw, bh = start["buttons"]["lang"]
        page.page.touchscreen.tap(*page.to_page(bx + bw // 2, by + bh // 2))
        got = page.wait_for(lambda r: r["lang"] == "zh", 10, "a tap on the language button")
        # the share button, missed by a fingertip to its right (the desk's margin)
        sx, sy, sw, sh = start["buttons"]["share"]
        page.page.touchscreen.tap(*page.to_page(sx + sw + OFF_BY, sy + sh // 2))
        page.page.wait_for_function(
            "() => document.getElementById('share').style.display === 'block'", timeout=10000)
        link = page.page.evaluate("() => document.getElementById('share').value")
        assert link.startswith(f"{site.base}/index.html#river=")
        assert page.python("import river_harness\n"
                           "river_harness.state.app.overlays.share.link") == link
        events = page.report()["events"]
        print(f"\nevents the app saw from the finger: {events}")
        assert events.get("FingerDown", 0) == 0     # consumed by render/display.py
        assert got["sim_error"] == "" and page.tracebacks() == [], page.problems()
        assert page.foreign == []
    finally:
        with contextlib.suppress(Exception):
            context.close()
